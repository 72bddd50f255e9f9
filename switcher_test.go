package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

const (
	waitUI    = 20 * time.Second
	userARN   = "arn:aws:iam::111111111111:user/base"
	statusFmt = `; echo "STAT""US=$?"`
)

// checkRedraw resizes the terminal and checks that the new frame replaced
// the old one: one header, one help line, nothing wider than the window.
func checkRedraw(t *testing.T, tm *pty, width, height int, header, help string) {
	t.Helper()
	tm.resize(width, height)
	want := fmt.Sprintf("%dx%d", width, height)
	deadline := time.Now().Add(waitUI)
	for strings.TrimSpace(tm.tmux("display-message", "-p", "-t", "t", "#{pane_width}x#{pane_height}")) != want {
		if time.Now().After(deadline) {
			t.Fatalf("the pane never became %s", want)
		}
		time.Sleep(20 * time.Millisecond)
	}
	s := tm.waitUntil(func(s string) bool {
		return strings.Count(s, header) == 1 && strings.Count(s, help) == 1
	}, fmt.Sprintf("one clean frame after resizing to %dx%d", width, height), waitUI)
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > height {
		t.Errorf("after resize to %dx%d the screen has %d lines", width, height, len(lines))
	}
}

// sameStty compares the terminal settings before and after rolesw.
func sameStty(t *testing.T, dir string) {
	t.Helper()
	before, err1 := os.ReadFile(filepath.Join(dir, "stty.before"))
	after, err2 := os.ReadFile(filepath.Join(dir, "stty.after"))
	if err1 != nil || err2 != nil || len(before) == 0 {
		t.Fatalf("stty output missing: %v %v", err1, err2)
	}
	// The window size is the test's own doing; every other setting must be
	// as it was.
	size := regexp.MustCompile(`rows \d+; columns \d+;`)
	if size.ReplaceAllString(string(before), "") != size.ReplaceAllString(string(after), "") {
		t.Errorf("the terminal is not restored:\nbefore: %s\nafter:  %s", before, after)
	}
}

// The switcher, driven as a person would in a real terminal against the
// loopback STS: filter, pick, 2h, the shell, the AWS CLI inside, exit, back.
func TestSwitcherRoundTrip(t *testing.T) {
	aws := awsCLI(t)
	f := newFixture(t)
	env := append(append([]string(nil), f.env...), "AWS_ACCESS_KEY_ID="+baseKeyID, "AWS_SECRET_ACCESS_KEY="+baseSecret, "AWS_PAGER=")
	tm := newTerm(t, 100, 30, env)
	tm.typeLine("stty -a > stty.before; " + roleswBin + statusFmt + "; stty -a > stty.after")

	tm.waitFor(userARN, waitUI)
	tm.waitFor("r3", waitUI)
	checkRedraw(t, tm, 80, 24, "account 111111111111 ·", "q quit")
	checkRedraw(t, tm, 100, 30, "account 111111111111 ·", "q quit")

	tm.typeText("prod eu")
	tm.waitUntil(func(s string) bool {
		return !strings.Contains(s, "R3 @444444444444") && strings.Contains(s, "ProdAccess @123456789012")
	}, "the filter to leave prod", waitUI)
	tm.keys("Enter")
	tm.waitFor("Session length prod", waitUI)
	tm.typeText("2h")
	tm.keys("Enter")
	tm.waitFor("exit to return to "+userARN, waitUI)
	tm.waitFor("PROMPT>", waitUI)

	tm.typeLine(aws + ` --endpoint-url "$AWS_ENDPOINT_URL_STS" sts get-caller-identity --query Arn --output text; echo "PRO""FILE=$ROLESW_PROFILE EXP=$AWS_CREDENTIAL_EXPIRATION"`)
	s := tm.waitFor("PROFILE=prod", waitUI)
	if !strings.Contains(s, "arn:aws:sts::123456789012:assumed-role/ProdAccess/rolesw-tester-") {
		t.Errorf("the AWS CLI inside the subshell does not show the assumed role:\n%s", s)
	}
	if m := lastMatch(`EXP=(\S+)`, s); m == nil {
		t.Errorf("no expiry in the subshell:\n%s", s)
	} else if exp, err := time.Parse(time.RFC3339, m[1]); err != nil || time.Until(exp) < 119*time.Minute || time.Until(exp) > 121*time.Minute {
		t.Errorf("subshell expiry %s is not 2h ahead (%v)", m[1], err)
	}

	tm.typeLine("exit")
	s = tm.waitFor("Left prod after", waitUI)
	if !strings.Contains(s, "(exit 0). Back as "+userARN) {
		t.Errorf("return line missing or wrong:\n%s", s)
	}
	checkRedraw(t, tm, 70, 20, "account 111111111111 ·", "q quit")
	checkRedraw(t, tm, 100, 30, "account 111111111111 ·", "q quit")
	tm.keys("q")
	tm.wantStatus(0, "q")
	tm.waitFor("PROMPT>", waitUI)
	sameStty(t, tm.dir)
	f.noSecrets("terminal", s)
	if n := f.sts.Count("AssumeRole"); n != 1 {
		t.Errorf("%d AssumeRole calls, want 1", n)
	}
}

// The same round trip through `rolesw demo`, which needs nothing but the
// binary, and leaves nothing behind.
func TestDemoRoundTrip(t *testing.T) {
	aws := awsCLI(t)
	home := t.TempDir()
	tm := newTerm(t, 100, 30, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "USER=tester", "LANG=C.UTF-8", "TMPDIR=" + home, "AWS_PAGER="})
	tm.typeLine("stty -a > stty.before; " + roleswBin + " demo" + statusFmt + "; stty -a > stty.after")

	tm.waitFor("arn:aws:iam::111111111111:user/demo", waitUI)
	tm.waitFor("the MFA code is", waitUI)
	tm.keys("Enter")
	tm.waitFor("Session length dev-admin", waitUI)
	tm.typeText("2h")
	tm.keys("Enter")
	tm.waitFor("exit to return to arn:aws:iam::111111111111:user/demo", waitUI)
	tm.typeLine(aws + ` --endpoint-url "$AWS_ENDPOINT_URL_STS" sts get-caller-identity --query Arn --output text; echo "PRO""FILE=$ROLESW_PROFILE CFG=$AWS_CONFIG_FILE"`)
	s := tm.waitFor("PROFILE=dev-admin", waitUI)
	if !strings.Contains(s, "arn:aws:sts::222222222222:assumed-role/DevAdmin/rolesw-tester-") {
		t.Errorf("the AWS CLI inside the demo subshell does not show the assumed role:\n%s", s)
	}
	m := lastMatch(`CFG=(\S+)`, s)
	if m == nil || !strings.HasPrefix(m[1], home) {
		t.Fatalf("the demo config is not in the temporary directory:\n%s", s)
	}
	tm.typeLine("exit")
	tm.waitFor("Left dev-admin after", waitUI)
	tm.keys("q")
	tm.wantStatus(0, "q in rolesw demo")
	tm.waitFor("PROMPT>", waitUI)
	sameStty(t, tm.dir)
	if _, err := os.Stat(filepath.Dir(m[1])); !os.IsNotExist(err) {
		t.Errorf("the demo left %s behind", filepath.Dir(m[1]))
	}
	entries, _ := os.ReadDir(home)
	for _, e := range entries {
		t.Errorf("the demo left %s in HOME/TMPDIR", e.Name())
	}
}

// lastMatch is the last match on the screen: the first is the typed command.
func lastMatch(re, screen string) []string {
	all := regexp.MustCompile(re).FindAllStringSubmatch(screen, -1)
	if len(all) == 0 {
		return nil
	}
	return all[len(all)-1]
}

// ctrl+c typed in the switcher's subshell belongs to the shell: the
// switcher comes back after exit. SIGTERM to rolesw in the list quits it
// and restores the terminal.
func TestSwitcherSignals(t *testing.T) {
	f := newFixture(t)
	env := append(append([]string(nil), f.env...), "AWS_ACCESS_KEY_ID="+baseKeyID, "AWS_SECRET_ACCESS_KEY="+baseSecret)
	tm := newTerm(t, 100, 30, env)
	tm.typeLine("stty -a > stty.before; " + roleswBin + statusFmt + "; stty -a > stty.after")
	tm.waitFor(userARN, waitUI)
	tm.keys("Enter")
	tm.waitFor("Session length prod", waitUI)
	tm.keys("Enter")
	tm.waitFor("exit to return to", waitUI)
	tm.waitFor("PROMPT>", waitUI)
	tm.typeLine("sleep 30")
	tm.keys("C-c")
	tm.typeLine(`echo "after""-interrupt"`)
	tm.waitFor("after-interrupt", waitUI)
	tm.typeLine("exit")
	tm.waitFor("Left prod after", waitUI)

	shell := strings.TrimSpace(tm.tmux("display-message", "-p", "-t", "t", "#{pane_pid}"))
	pid := childPID(t, shell, "rolesw")
	proc, err := os.FindProcess(pid)
	if err != nil {
		t.Fatal(err)
	}
	if err := proc.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	tm.wantStatus(130, "SIGTERM")
	tm.waitFor("PROMPT>", waitUI)
	sameStty(t, tm.dir)
}

// With no profiles at all the switcher does not open on an empty list: it
// says where it looked and what to do.
func TestSwitcherNoProfiles(t *testing.T) {
	home := t.TempDir()
	tm := newTerm(t, 100, 20, []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home})
	tm.typeLine(roleswBin + statusFmt)
	tm.waitFor("STATUS=", waitUI)
	s := tm.joined()
	want := "rolesw: no profiles in " + home + "/.aws/config or " + home + "/.aws/credentials: add one with `aws configure --profile NAME` or `aws configure sso`, or try `rolesw demo`"
	if !strings.Contains(s, want) || !strings.Contains(s, "STATUS=2") {
		t.Errorf("want %q and exit 2; the screen:\n%s", want, s)
	}
}

// childPID finds the process named name whose parent is ppid, from /proc
// (no procps needed on the machine).
func childPID(t *testing.T, ppid, name string) int {
	t.Helper()
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	for _, p := range stats {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces, so split at the
		// last ')'.
		s := string(b)
		open, closing := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || closing < open {
			continue
		}
		fields := strings.Fields(s[closing+1:])
		if s[open+1:closing] == name && len(fields) > 1 && fields[1] == ppid {
			pid, err := strconv.Atoi(strings.TrimSpace(s[:open]))
			if err == nil {
				return pid
			}
		}
	}
	t.Fatalf("no %s process under the pane's shell %s", name, ppid)
	return 0
}

// A credential_process that fails in the switcher does not write over the
// screen: its last line comes in the error, and the switcher stays usable.
func TestSwitcherCredentialProcessQuiet(t *testing.T) {
	f := newFixture(t)
	f.write("creds.sh", "#!/bin/sh\necho 'the SSO session has expired' >&2\necho 'run: aws sso login --profile work' >&2\nexit 1\n")
	env := append(append([]string(nil), f.env...), "AWS_ACCESS_KEY_ID="+baseKeyID, "AWS_SECRET_ACCESS_KEY="+baseSecret)
	tm := newTerm(t, 120, 30, env)
	tm.typeLine(roleswBin + statusFmt)
	tm.waitFor(userARN, waitUI)
	// procbase is the process's own profile: no step, enter assumes it.
	tm.typeText("procbase")
	tm.waitFor("1 profile", waitUI)
	tm.keys("Enter")
	s := tm.waitFor("it said: run: aws sso login --profile work", waitUI)
	if !strings.Contains(s, "Could not assume procbase") || strings.Contains(s, "the SSO session has expired") {
		t.Errorf("want the error box with the process's last line and nothing else of its stderr:\n%s", s)
	}
	tm.keys("Escape")
	tm.waitFor("q quit", waitUI)
	tm.typeText("q")
	tm.wantStatus(0, "q after the error")
}
