// Command screenshot takes a picture of `rolesw demo` for the README: it
// runs the demo in a private tmux server, optionally presses keys, captures
// the screen with its colours and renders it as an SVG terminal window.
//
//	go build -o rolesw . && go run ./docs/screenshot -rolesw ./rolesw -keys Down,Down,Down -o docs/switcher.svg
//
// It needs tmux and nothing else; the demo talks only to its own loopback STS.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "screenshot:", err)
		}
		os.Exit(2)
	}
}

// options are the command-line settings.
type options struct {
	rolesw  string
	keys    []string
	until   string
	out     string
	title   string
	cols    int
	rows    int
	timeout time.Duration
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	var keys string
	fs := flag.NewFlagSet("screenshot", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.rolesw, "rolesw", "./rolesw", "the rolesw `binary` to run as `rolesw demo`")
	fs.StringVar(&keys, "keys", "", "comma-separated tmux key names to press once the list is up, e.g. Down,Down,Enter")
	fs.StringVar(&o.until, "until", "", "after the keys, wait until the screen shows this `text`")
	fs.StringVar(&o.out, "o", "", "write the SVG to this `file` (required)")
	fs.StringVar(&o.title, "title", "rolesw demo", "caption of the window's title bar")
	fs.IntVar(&o.cols, "cols", 100, "terminal width in cells")
	fs.IntVar(&o.rows, "rows", 30, "terminal height in cells")
	fs.DurationVar(&o.timeout, "timeout", 20*time.Second, "give up waiting for the screen after this long")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	switch {
	case fs.NArg() > 0:
		return o, fmt.Errorf("unexpected argument %q: every setting is a flag (see -h)", fs.Arg(0))
	case o.out == "":
		return o, errors.New("-o is required: the SVG file to write, e.g. -o docs/switcher.svg")
	case o.cols < 20 || o.cols > 500 || o.rows < 5 || o.rows > 200:
		return o, fmt.Errorf("-cols %d -rows %d: the terminal must be 20 to 500 cells wide and 5 to 200 high", o.cols, o.rows)
	case o.timeout <= 0:
		return o, fmt.Errorf("-timeout %s: must be positive", o.timeout)
	}
	for _, k := range strings.Split(keys, ",") {
		if k = strings.TrimSpace(k); k != "" {
			o.keys = append(o.keys, k)
		}
	}
	return o, nil
}

func run(args []string, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	bin, err := filepath.Abs(o.rolesw)
	if err != nil {
		return fmt.Errorf("-rolesw %q: %w", o.rolesw, err)
	}
	if fi, err := os.Stat(bin); err != nil || fi.IsDir() {
		return fmt.Errorf("-rolesw %q: no rolesw binary there; build one with `go build -o rolesw .`", o.rolesw)
	}
	tmuxPath, err := exec.LookPath("tmux")
	if err != nil {
		return errors.New("tmux not found in PATH: install it (apt-get install tmux, brew install tmux)")
	}
	dir, err := os.MkdirTemp("", "rolesw-shot-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		return err
	}

	t := &tmux{path: tmuxPath, socket: filepath.Join(dir, "tmux.sock")}
	screen, err := t.shoot(bin, home, o)
	// Whatever happened, the private server and the demo in it go away.
	t.killServer()
	if err != nil {
		return err
	}

	var buf bytes.Buffer
	if err := renderSVG(&buf, parseScreen(screen), svgOptions{cols: o.cols, rows: o.rows, title: o.title, theme: darkTheme}); err != nil {
		return err
	}
	if err := os.WriteFile(o.out, buf.Bytes(), 0o644); err != nil {
		return fmt.Errorf("writing the SVG: %w", err)
	}
	return nil
}

// tmux drives one private tmux server, isolated from the user's by its socket.
type tmux struct {
	path, socket string
}

const target = "shot:0.0"

func (t *tmux) cmd(args ...string) ([]byte, error) {
	c := exec.Command(t.path, append([]string{"-S", t.socket, "-f", "/dev/null"}, args...)...)
	// Drop TMUX so running this from inside tmux does not confuse the client.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "TMUX=") {
			c.Env = append(c.Env, kv)
		}
	}
	out, err := c.CombinedOutput()
	if err != nil {
		return out, fmt.Errorf("tmux %s: %v: %s", args[0], err, bytes.TrimSpace(out))
	}
	return out, nil
}

func (t *tmux) killServer() { _, _ = t.cmd("kill-server") }

// shoot starts the demo, waits for the list and the ambient identity,
// presses the keys and returns the settled screen with its SGR escapes.
func (t *tmux) shoot(bin, home string, o options) (string, error) {
	demo := []string{
		"env", "-i",
		"PATH=/usr/local/bin:/usr/bin:/bin",
		"HOME=" + home,
		"TERM=xterm-256color",
		"COLORTERM=truecolor",
		"LANG=C.UTF-8",
		bin, "demo",
	}
	// One tmux invocation, so the options are in place before the demo starts:
	// no status line (the pane gets every row) and a dead pane stays readable.
	args := []string{
		"start-server", ";",
		"set-option", "-g", "status", "off", ";",
		"set-option", "-g", "remain-on-exit", "on", ";",
		"new-session", "-d", "-s", "shot", "-x", fmt.Sprint(o.cols), "-y", fmt.Sprint(o.rows), "--",
	}
	if _, err := t.cmd(append(args, demo...)...); err != nil {
		return "", err
	}
	deadline := time.Now().Add(o.timeout)
	// The identity in the header arrives asynchronously after the list.
	if err := t.waitFor(deadline, "Profiles", "user/demo"); err != nil {
		return "", err
	}
	for _, k := range o.keys {
		if _, err := t.cmd("send-keys", "-t", target, k); err != nil {
			return "", err
		}
	}
	if o.until != "" {
		if err := t.waitFor(deadline, o.until); err != nil {
			return "", err
		}
	}
	return t.settled(deadline)
}

// waitFor polls the plain screen until it contains every one of texts.
func (t *tmux) waitFor(deadline time.Time, texts ...string) error {
	var last []byte
	for {
		out, err := t.cmd("capture-pane", "-p", "-t", target)
		if err != nil {
			return err
		}
		last = out
		if containsAll(string(out), texts) {
			return nil
		}
		if dead, _ := t.cmd("display-message", "-p", "-t", target, "#{pane_dead}"); strings.TrimSpace(string(dead)) == "1" {
			// tmux scrolls the last screen into the history to print its
			// "Pane is dead" line, so read the history for the demo's error.
			if all, err := t.cmd("capture-pane", "-p", "-S", "-", "-t", target); err == nil {
				last = all
			}
			return fmt.Errorf("rolesw demo exited before showing %q; its output:\n%s", texts, nonBlankLines(last))
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("the screen did not show %q in time (raise -timeout?); it shows:\n%s", texts, nonBlankLines(last))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// settled returns the coloured screen once two captures in a row agree, so
// the picture is not taken half way through a redraw.
func (t *tmux) settled(deadline time.Time) (string, error) {
	prev, err := t.cmd("capture-pane", "-p", "-e", "-t", target)
	if err != nil {
		return "", err
	}
	for {
		time.Sleep(150 * time.Millisecond)
		cur, err := t.cmd("capture-pane", "-p", "-e", "-t", target)
		if err != nil {
			return "", err
		}
		if bytes.Equal(cur, prev) || time.Now().After(deadline) {
			return string(cur), nil
		}
		prev = cur
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// nonBlankLines keeps an error message short: a screen is mostly empty rows.
func nonBlankLines(screen []byte) string {
	var keep []string
	for _, l := range strings.Split(string(screen), "\n") {
		if strings.TrimSpace(l) != "" {
			keep = append(keep, l)
		}
	}
	return strings.Join(keep, "\n")
}
