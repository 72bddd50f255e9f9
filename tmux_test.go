package main

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// pty is a real pseudo-terminal: a tmux server of its own, one window,
// driven as a person would with send-keys and read with capture-pane.
type pty struct {
	t      *testing.T
	socket string
	dir    string
}

// newTerm starts a tmux window of the given size running an interactive
// /bin/sh with env (and nothing of ours else), in dir.
func newTerm(t *testing.T, width, height int, env []string) *pty {
	t.Helper()
	_, err := exec.LookPath("tmux")
	needTool(t, err == nil, "tmux")
	dir := t.TempDir()
	tm := &pty{t: t, socket: filepath.Join(dir, "tmux.sock"), dir: dir}
	// The pane's shell gets exactly env: a wrapper clears ours first.
	var b strings.Builder
	b.WriteString("#!/bin/sh\nexec env -i")
	for _, kv := range append(env, "TERM=xterm-256color", "PS1=PROMPT> ", "SHELL=/bin/sh") {
		b.WriteString(" " + shQuote(kv))
	}
	b.WriteString(" /bin/sh\n")
	start := filepath.Join(dir, "start.sh")
	if err := os.WriteFile(start, []byte(b.String()), 0o700); err != nil {
		t.Fatal(err)
	}
	tm.tmux("-f", "/dev/null", "new-session", "-d", "-s", "t", "-c", dir, "-x", fmt.Sprint(width), "-y", fmt.Sprint(height), start)
	tm.tmux("set-option", "-g", "status", "off")
	t.Cleanup(func() { _ = exec.Command("tmux", "-S", tm.socket, "kill-server").Run() })
	tm.waitFor("PROMPT>", 10*time.Second)
	return tm
}

func (tm *pty) tmux(args ...string) string {
	tm.t.Helper()
	out, err := exec.Command("tmux", append([]string{"-S", tm.socket}, args...)...).CombinedOutput()
	if err != nil {
		tm.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// typeLine types text and presses Enter.
func (tm *pty) typeLine(text string) {
	tm.t.Helper()
	tm.tmux("send-keys", "-t", "t", "-l", text)
	tm.tmux("send-keys", "-t", "t", "Enter")
}

// typeText types text without Enter.
func (tm *pty) typeText(text string) {
	tm.t.Helper()
	tm.tmux("send-keys", "-t", "t", "-l", text)
}

// keys presses tmux key names (Enter, Down, C-c, Escape...).
func (tm *pty) keys(keys ...string) {
	tm.t.Helper()
	tm.tmux(append([]string{"send-keys", "-t", "t"}, keys...)...)
}

// screen is what the terminal shows now.
func (tm *pty) screen() string {
	tm.t.Helper()
	return tm.tmux("capture-pane", "-p", "-t", "t")
}

// wantStatus waits for the STATUS= line a test's command prints after
// rolesw and checks rolesw's exit status; what is the step it ends.
func (tm *pty) wantStatus(code int, what string) string {
	tm.t.Helper()
	s := tm.waitFor("STATUS=", waitUI)
	if !strings.Contains(s, fmt.Sprintf("STATUS=%d\n", code)) {
		tm.t.Errorf("%s: want exit status %d; the screen:\n%s", what, code, s)
	}
	return s
}

// joined is the screen with wrapped lines joined back into the lines the
// program wrote, trailing spaces kept: a message that wraps at a space
// still reads as written.
func (tm *pty) joined() string {
	tm.t.Helper()
	return tm.tmux("capture-pane", "-p", "-J", "-t", "t")
}

func (tm *pty) resize(width, height int) {
	tm.t.Helper()
	tm.tmux("resize-window", "-t", "t", "-x", fmt.Sprint(width), "-y", fmt.Sprint(height))
}

// waitFor polls the screen until it contains want; the screen it saw is
// in the failure message.
func (tm *pty) waitFor(want string, timeout time.Duration) string {
	tm.t.Helper()
	return tm.waitUntil(func(s string) bool { return strings.Contains(s, want) }, "text "+fmt.Sprintf("%q", want), timeout)
}

func (tm *pty) waitUntil(ok func(string) bool, what string, timeout time.Duration) string {
	tm.t.Helper()
	deadline := time.Now().Add(timeout)
	var s string
	for {
		s = tm.screen()
		if ok(s) {
			return s
		}
		if time.Now().After(deadline) {
			tm.t.Fatalf("timed out after %s waiting for %s; the screen:\n%s", timeout, what, s)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// A ctrl+c typed in the terminal reaches the child once; rolesw survives
// it and returns the child's status.
func TestExecCtrlCReachesChildOnce(t *testing.T) {
	f := newFixture(t)
	tm := newTerm(t, 100, 20, f.env)
	mark := filepath.Join(tm.dir, "int")
	tm.typeLine(roleswBin + ` exec prod -- sh -c 'trap "echo int >> ` + mark + `; exit 5" INT; touch ` + mark + `.ready; while :; do sleep 0.05; done'; echo "STAT""US=$?"`)
	waitFile(t, mark+".ready")
	tm.keys("C-c")
	s := tm.waitFor("STATUS=", 20*time.Second)
	if !strings.Contains(s, "STATUS=5") {
		t.Errorf("rolesw did not return the child's status 5; screen:\n%s", s)
	}
	b, _ := os.ReadFile(mark)
	if string(b) != "int\n" {
		t.Errorf("the child saw SIGINT %d times, want once", strings.Count(string(b), "int"))
	}
	f.noSecrets("terminal", s)
}

// exec on a terminal asks for the MFA code without echo, as the AWS CLI
// does. Asked for more than the role allows, with an STS that takes each
// code once, it says why it needs the next code and asks again, then
// remembers the maximum it learned.
func TestExecMFAPromptAndNextCode(t *testing.T) {
	f := newFixture(t)
	const serial = "arn:aws:iam::111111111111:mfa/tester"
	tm := newTerm(t, 160, 30, f.env)
	tm.typeLine(roleswBin + ` exec mfa -d 3h -- sh -c 'echo "ROLE=$ROLESW_ROLE_ARN"'; echo "STAT""US=$?"`)
	prompt := "Enter MFA code for " + serial + ":"
	tm.waitFor(prompt, waitUI)
	tm.typeLine("424242")
	tm.waitFor("MFARole allows less than 3h; STS takes each MFA code once, so trying 2h needs the next code", waitUI)
	tm.waitUntil(func(s string) bool { return strings.Count(s, prompt) == 2 }, "a second prompt", waitUI)
	f.sts.SetMFACode(serial, "135790")
	tm.typeLine("135790")
	tm.waitFor("MFARole allows less than 2h; STS takes each MFA code once, so trying 1h needs the next code", waitUI)
	tm.waitUntil(func(s string) bool { return strings.Count(s, prompt) == 3 }, "a third prompt", waitUI)
	f.sts.SetMFACode(serial, "246802")
	tm.typeLine("246802")
	s := tm.waitFor("STATUS=", waitUI)
	for _, want := range []string{"rolesw: MFARole allows at most 1h; got 1h (remembered)", "ROLE=arn:aws:iam::123456789012:role/MFARole", "STATUS=0"} {
		if !strings.Contains(s, want) {
			t.Errorf("the screen lacks %q:\n%s", want, s)
		}
	}
	for _, code := range []string{"424242", "135790", "246802"} {
		if strings.Contains(s, code) {
			t.Errorf("the MFA code %s was echoed:\n%s", code, s)
		}
	}
	f.noSecrets("terminal", s)

	var tried []string
	for _, q := range f.sts.Requests() {
		tried = append(tried, q.Params.Get("DurationSeconds")+"/"+cmp.Or(q.Err, "ok"))
	}
	want := "10800/ValidationError 7200/AccessDenied 7200/ValidationError 3600/ok"
	if got := strings.Join(tried, " "); got != want {
		t.Errorf("requests: %s\nwant:     %s", got, want)
	}
}
