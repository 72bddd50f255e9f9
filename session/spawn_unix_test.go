//go:build !windows

package session

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestShell(t *testing.T) {
	if p, _ := Shell(envMap(map[string]string{"SHELL": "/usr/bin/zsh"})); p != "/usr/bin/zsh" {
		t.Errorf("Shell with $SHELL = %q", p)
	}
	if p, _ := Shell(envMap(nil)); p != "/bin/sh" {
		t.Errorf("Shell without $SHELL = %q, want /bin/sh", p)
	}
}

func TestChildRunStatus(t *testing.T) {
	cases := []struct {
		name   string
		script string
		want   *ExitStatus
	}{
		{"exit 0", "exit 0", nil},
		{"exit 7", "exit 7", &ExitStatus{Code: 7}},
		{"killed by SIGKILL", "kill -KILL $$", &ExitStatus{Code: 128 + 9}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			c := &Child{Path: "/bin/sh", Args: []string{"-c", tc.script}, Env: []string{"PATH=/usr/bin:/bin"},
				Banner: "rolesw: banner line", Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &stderr}
			err := c.Run()
			var es *ExitStatus
			switch {
			case tc.want == nil && err != nil:
				t.Errorf("Run = %v, want nil", err)
			case tc.want != nil && (!errors.As(err, &es) || *es != *tc.want):
				t.Errorf("Run = %#v, want %#v", err, tc.want)
			}
			if stderr.String() != "rolesw: banner line\n" {
				t.Errorf("stderr = %q, want the banner line", stderr.String())
			}
		})
	}
}

func TestChildRunEnvAndStart(t *testing.T) {
	var out bytes.Buffer
	c := &Child{Path: "/bin/sh", Args: []string{"-c", `printf %s "$ROLESW_PROFILE"`}, Env: []string{"ROLESW_PROFILE=prod"}, Stdout: &out, Stderr: &bytes.Buffer{}}
	if err := c.Run(); err != nil || out.String() != "prod" {
		t.Errorf("Run = %v, output %q; want the child to see ROLESW_PROFILE=prod", err, out.String())
	}
	missing := filepath.Join(t.TempDir(), "no-such-shell")
	err := (&Child{Path: missing, Stderr: &bytes.Buffer{}}).Run()
	var es *ExitStatus
	if err == nil || errors.As(err, &es) || !strings.Contains(err.Error(), missing) {
		t.Errorf("Run of a missing program = %v, want a start error naming %s", err, missing)
	}
}

// waitFile polls for a file the child writes; it bounds the wait but
// asserts nothing about timing.
func waitFile(t *testing.T, path string) string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if b, err := os.ReadFile(path); err == nil && bytes.HasSuffix(b, []byte("\n")) {
			return strings.TrimSpace(string(b))
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatalf("%s never appeared", path)
	return ""
}

// trapScript writes its pid to ready, traps sig and waits.
func trapScript(dir, sig string, code int) string {
	return `trap 'echo got-` + sig + ` > ` + filepath.Join(dir, "log") + `; exit ` + strconv.Itoa(code) + `' ` + sig + `
echo $$ > ` + filepath.Join(dir, "ready") + `
while :; do sleep 0.05; done`
}

// TestChildForwardsSignals: SIGTERM and SIGHUP sent to rolesw reach the
// child, and rolesw survives them while the child runs.
func TestChildForwardsSignals(t *testing.T) {
	for _, sig := range []syscall.Signal{syscall.SIGTERM, syscall.SIGHUP} {
		name := map[syscall.Signal]string{syscall.SIGTERM: "TERM", syscall.SIGHUP: "HUP"}[sig]
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			c := &Child{Path: "/bin/sh", Args: []string{"-c", trapScript(dir, name, 3)}, Env: []string{"PATH=/usr/bin:/bin"},
				Stdin: strings.NewReader(""), Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}}
			done := make(chan error, 1)
			go func() { done <- c.Run() }()
			waitFile(t, filepath.Join(dir, "ready"))
			if err := syscall.Kill(os.Getpid(), sig); err != nil {
				t.Fatal(err)
			}
			err := <-done
			var es *ExitStatus
			if !errors.As(err, &es) || es.Code != 3 {
				t.Errorf("Run = %v, want exit 3 from the child's trap", err)
			}
			if got := waitFile(t, filepath.Join(dir, "log")); got != "got-"+name {
				t.Errorf("child log %q, want got-%s", got, name)
			}
		})
	}
}

// TestChildIgnoresSIGINT runs in a copy of the test binary, so that a
// SIGINT that is not handled kills the copy, not the test runner.
func TestChildIgnoresSIGINT(t *testing.T) {
	if os.Getenv("ROLESW_SIGINT_HELPER") != "" {
		sigintHelper()
		return
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChildIgnoresSIGINT$", "-test.v")
	cmd.Env = append(os.Environ(), "ROLESW_SIGINT_HELPER="+dir)
	// If the helper dies, its orphaned child still holds the output pipe:
	// stop waiting for it, and end it.
	cmd.WaitDelay = 5 * time.Second
	t.Cleanup(func() {
		if b, err := os.ReadFile(filepath.Join(dir, "ready")); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil {
				syscall.Kill(pid, syscall.SIGKILL)
			}
		}
	})
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("helper died (%v): rolesw did not survive SIGINT while the child ran:\n%s", err, out)
	}
	if !strings.Contains(string(out), "helper: child exit 4") {
		t.Errorf("helper output lacks the child's own SIGINT exit:\n%s", out)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "log")); strings.TrimSpace(string(b)) != "got-INT" {
		t.Errorf("child log %q, want got-INT: the child must still receive SIGINT", b)
	}
}

// sigintHelper: rolesw gets a SIGINT (and must live), then the child gets
// one, as from the terminal, and must be able to act on it (a disposition
// of SIG_IGN inherited across exec would make its trap impossible).
func sigintHelper() {
	dir := os.Getenv("ROLESW_SIGINT_HELPER")
	c := &Child{Path: "/bin/sh", Args: []string{"-c", trapScript(dir, "INT", 4)}, Env: []string{"PATH=/usr/bin:/bin"},
		Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: os.Stderr}
	done := make(chan error, 1)
	go func() { done <- c.Run() }()
	var pid int
	for pid == 0 {
		b, err := os.ReadFile(filepath.Join(dir, "ready"))
		if err == nil && bytes.HasSuffix(b, []byte("\n")) {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		time.Sleep(10 * time.Millisecond)
	}
	syscall.Kill(os.Getpid(), syscall.SIGINT)
	syscall.Kill(pid, syscall.SIGINT)
	var err error
	select {
	case err = <-done:
	case <-time.After(20 * time.Second):
		// Bounded wait, so a child that cannot act on SIGINT fails the
		// test instead of hanging it.
		syscall.Kill(pid, syscall.SIGKILL)
		err = <-done
	}
	var es *ExitStatus
	if errors.As(err, &es) {
		println("helper: child exit", es.Code)
	} else {
		println("helper: run returned", err)
	}
}
