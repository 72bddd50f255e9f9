package ui

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/teatest"
	"github.com/muesli/termenv"

	smithy "github.com/aws/smithy-go"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

func TestMain(m *testing.M) {
	// Goldens hold plain text: what a NO_COLOR user sees.
	lipgloss.SetColorProfile(termenv.Ascii)
	os.Exit(m.Run())
}

// rig is one switcher under test with its fakes.
type rig struct {
	clock    *fakeClock
	sess     *fakeSession
	launcher *fakeLauncher
	hist     *fakeHistory
	tm       *teatest.TestModel
}

func newRig(t *testing.T, w, h int, tweak func(*Options, *rig)) *rig {
	t.Helper()
	r := &rig{clock: newClock(), hist: &fakeHistory{}}
	r.sess = &fakeSession{ambient: longTermAmbient(), res: &session.Result{
		AssumedRoleARN: "arn:aws:sts::222222222222:assumed-role/StagingDeploy/rolesw-dev",
		Granted:        90 * time.Minute,
	}}
	r.launcher = &fakeLauncher{clock: r.clock}
	opts := Options{
		Entries:  fixtureEntries(t),
		Session:  r.sess,
		Launcher: r.launcher,
		History:  r.hist,
		Now:      r.clock.Now,
	}
	if tweak != nil {
		tweak(&opts, r)
	}
	r.tm = teatest.NewTestModel(t, NewModel(opts), teatest.WithInitialTermSize(w, h))
	return r
}

// waitFor waits until the program has drawn s.
func (r *rig) waitFor(t *testing.T, s string) {
	t.Helper()
	teatest.WaitFor(t, r.tm.Output(), func(b []byte) bool {
		return bytes.Contains(b, []byte(s))
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

// waitShellReturn waits until the switcher has handled the shell's exit,
// which it acknowledges by fetching the ambient identity again. The screen
// cannot be watched here: bubbletea closes teatest's ANSI-compressed output
// when it releases the terminal for the exec, so frames drawn after a shell
// may never reach the test's reader; the final model's View is the screen.
func (r *rig) waitShellReturn(t *testing.T) {
	t.Helper()
	teatest.WaitFor(t, strings.NewReader(""), func([]byte) bool {
		return r.sess.Ambients() >= 2
	}, teatest.WithDuration(5*time.Second), teatest.WithCheckInterval(5*time.Millisecond))
}

func (r *rig) key(k tea.KeyType) { r.tm.Send(tea.KeyMsg{Type: k}) }

// final quits and returns the last model.
func (r *rig) final(t *testing.T) Model {
	t.Helper()
	_ = r.tm.Quit()
	return r.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
}

// golden compares the final screen with testdata/<test>.golden.
func golden(t *testing.T, m Model) {
	t.Helper()
	teatest.RequireEqualOutput(t, []byte(m.View()))
}

func TestListWide(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.tm.Type("q")
	m := r.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if m.ExitCode() != 0 {
		t.Errorf("q: exit code %d, want 0", m.ExitCode())
	}
	golden(t, m)
}

func TestListNarrow(t *testing.T) {
	r := newRig(t, 40, 15, nil)
	r.waitFor(t, "no expiry")
	m := r.final(t)
	golden(t, m)
	for i, line := range strings.Split(m.View(), "\n") {
		if w := lipgloss.Width(line); w > 40 {
			t.Errorf("line %d is %d columns wide on a 40-column terminal: %q", i, w, line)
		}
	}
	if h := lipgloss.Height(m.View()); h > 15 {
		t.Errorf("view is %d lines on a 15-line terminal", h)
	}
}

func TestFrecencyPutsRecentFirst(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.hist.uses = map[string]session.Usage{"staging": {Count: 3, Last: t0.Add(-time.Hour)}}
		o.History = r.hist
	})
	r.waitFor(t, "no expiry")
	m := r.final(t)
	view := m.View()
	if s, d := strings.Index(view, "> staging"), strings.Index(view, "dev-admin"); s < 0 || d < 0 || s > d {
		t.Errorf("staging (used an hour ago) should be first and highlighted:\n%s", view)
	}
}

func TestFilterToOne(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.tm.Type("stag")
	r.waitFor(t, "1 profile")
	m := r.final(t)
	golden(t, m)
	if strings.Contains(m.View(), "dev-admin") {
		t.Error("filter \"stag\" still lists dev-admin")
	}
}

func TestDetailOfChainedProfile(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.key(tea.KeyDown)
	r.key(tea.KeyDown)
	r.waitFor(t, "role chaining: 1h max")
	m := r.final(t)
	golden(t, m)
	for _, want := range []string{"dev (keys) -> DevAdmin @111111111111 ->", "≤ 1h", "capped at 1h"} {
		if !strings.Contains(m.View(), want) {
			t.Errorf("detail pane lacks %q", want)
		}
	}
}

func TestDetailToggle(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.key(tea.KeyTab)
	r.tm.Type("prod")
	r.waitFor(t, "1 profile")
	m := r.final(t)
	if strings.Contains(m.View(), "Hops") {
		t.Errorf("tab should hide the detail pane:\n%s", m.View())
	}
}

func TestDurationRefuses2hOnChainedRole(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.tm.Type("prod")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.tm.Type("2h")
	r.waitFor(t, "2h is more than 1h")
	r.key(tea.KeyEnter) // refused: nothing may reach STS
	m := r.final(t)
	golden(t, m)
	if n := len(r.sess.Calls()); n != 0 {
		t.Errorf("Assume called %d times with 2h on a chained role", n)
	}
	if m.state != stateDuration {
		t.Errorf("state %d after enter on a refused length, want the duration step", m.state)
	}
}

func TestMFAStep(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.tm.Type("dev-admin")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Enter MFA code for arn:aws:iam::111111111111:mfa/dev")
	r.tm.Type("12x3456")
	r.waitFor(t, "••••••")
	m := r.final(t)
	golden(t, m)
	if strings.Contains(m.View(), "123456") {
		t.Error("the MFA code is on screen")
	}
}

func TestMFACodeReachesRequestOnly(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.tm.Type("dev-admin")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Enter MFA code")
	r.tm.Type("654321")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := r.final(t)
	r.sess.mu.Lock()
	codes := r.sess.codes
	r.sess.mu.Unlock()
	if len(codes) != 1 || codes[0] != "654321" {
		t.Errorf("codes handed to STS: %d, want the one typed", len(codes))
	}
	if calls := r.sess.Calls(); len(calls) != 1 || calls[0].Duration != time.Hour {
		t.Errorf("requests %+v, want one of 1h", calls)
	}
	if strings.Contains(m.View(), "654321") {
		t.Error("the MFA code is on screen")
	}
}

func TestSTSErrorStaysInSwitcher(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.sess.res = nil
		r.sess.err = &session.CallError{
			Action: "AssumeRole", RoleARN: "arn:aws:iam::222222222222:role/StagingDeploy",
			Profile: "staging", SourceProfile: "dev", URL: "https://sts.amazonaws.com",
			Err: &smithy.GenericAPIError{Code: "AccessDenied", Message: "User: arn:aws:iam::111111111111:user/dev is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/StagingDeploy"},
		}
	})
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Could not assume")
	m := r.final(t)
	golden(t, m)
	if !strings.Contains(m.View(), "AccessDenied") {
		t.Error("the STS error code is not shown")
	}
	if m.state != stateError {
		t.Errorf("state %d, want the error screen", m.state)
	}
}

func TestErrorRetryAndBack(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.sess.res, r.sess.err = nil, errors.New("network down")
	})
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "network down")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Could not assume")
	r.key(tea.KeyEsc)
	r.waitFor(t, "Profiles")
	m := r.final(t)
	if m.state != stateList {
		t.Errorf("esc on the error screen: state %d, want the list", m.state)
	}
	if n := len(r.sess.Calls()); n != 2 {
		t.Errorf("%d requests, want 2 (the first and the retry)", n)
	}
}

func TestReturnAfterShellExit3(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.launcher.runFor = 12 * time.Minute
		r.launcher.code = 3
	})
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := r.final(t)
	golden(t, m)
	if want := "Left staging after 12m (exit 3). Back as arn:aws:iam::111111111111:user/dev"; !strings.Contains(m.View(), want) {
		t.Errorf("return screen lacks %q", want)
	}
	if got := r.hist.Recorded(); len(got) != 1 || got[0] != "staging" {
		t.Errorf("RecordUse calls %v, want [staging]", got)
	}
	if n := r.sess.Ambients(); n != 2 {
		t.Errorf("Ambient fetched %d times, want 2 (start and after the shell)", n)
	}
	if calls := r.sess.Calls(); len(calls) != 1 || calls[0].Duration != 90*time.Minute {
		t.Errorf("requests %+v, want one of 1h30m (staging's duration_seconds)", calls)
	}
	if len(r.launcher.back) != 1 || r.launcher.back[0] != devUser {
		t.Errorf("launcher told to return to %v, want %v", r.launcher.back, devUser)
	}
}

func TestLearnedMaximumIsSaid(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.sess.res.LearnedMaxSeconds = 7200
		r.sess.res.Granted = 2 * time.Hour
	})
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := r.final(t)
	if !strings.Contains(m.View(), "learned: StagingDeploy allows at most 2h; got 2h") {
		t.Errorf("learned maximum not said:\n%s", m.View())
	}
}

func TestOnceQuitsWithShellStatus(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Once = true
		o.Initial = "staging"
		r.launcher.code = 3
	})
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	m := r.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if m.ExitCode() != 3 {
		t.Errorf("--once exit code %d, want the shell's 3", m.ExitCode())
	}
}

func TestCtrlCExits130(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.key(tea.KeyCtrlC)
	m := r.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if m.ExitCode() != 130 {
		t.Errorf("ctrl+c exit code %d, want 130", m.ExitCode())
	}
}

func TestInitialOpensDurationStep(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Initial = "prod"
		o.Duration = 30 * time.Minute
	})
	r.waitFor(t, "Session length")
	m := r.final(t)
	if !strings.Contains(m.View(), "[30m]") || !strings.Contains(m.View(), "ProductionAccessRole") {
		t.Errorf("rolesw prod -d 30m should open prod's duration step on 30m:\n%s", m.View())
	}
}

func TestCancelAssume(t *testing.T) {
	ctxErr := make(chan error, 1)
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.sess.block = true
		r.sess.ctxErr = ctxErr
	})
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Assuming StagingDeploy (staging)")
	r.key(tea.KeyEsc)
	r.waitFor(t, "cancelled")
	wantCancelled(t, ctxErr)
	m := r.final(t)
	if m.state != stateDuration {
		t.Errorf("after cancel state %d, want the duration step", m.state)
	}
	if len(r.launcher.got) != 0 {
		t.Error("a shell was launched after cancel")
	}
}

func expiringAmbient(left time.Duration) session.Ambient {
	a := session.Ambient{
		HasCredentials: true,
		Identity:       session.Identity{Account: "111111111111", ARN: "arn:aws:sts::111111111111:assumed-role/DevAdmin/rolesw-dev"},
		Expires:        t0.Add(left),
		ExpirySource:   "AWS_CREDENTIAL_EXPIRATION",
		Profile:        "dev-admin",
		Depth:          1,
	}
	return a
}

func TestHeader(t *testing.T) {
	for _, tc := range []struct {
		name   string
		left   time.Duration
		w, h   int
		expect string
	}{
		{"20m", 20 * time.Minute, 100, 30, "expires in 20m 00s"},
		{"4m", 4 * time.Minute, 40, 15, "expires in 4m 00s"},
		{"expired", -3 * time.Minute, 40, 15, "expired 3m ago"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, tc.w, tc.h, func(o *Options, r *rig) {
				r.sess.ambient = expiringAmbient(tc.left)
				// The session began an hour before it expires.
				o.AmbientIssued = func(a session.Ambient) (time.Time, bool) {
					return a.Expires.Add(-time.Hour), true
				}
			})
			r.waitFor(t, tc.expect)
			golden(t, r.final(t))
		})
	}
}

// TestUsedProfileMovesUp: after a use the list is in the order the next
// run would show, with the used profile highlighted; the next profile's
// duration step starts from its own default, not the last length typed.
func TestUsedProfileMovesUp(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	for range 3 {
		r.key(tea.KeyDown) // dev, dev-admin, prod, staging
	}
	r.waitFor(t, "> staging")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length staging")
	r.tm.Type("45m")
	r.waitFor(t, "✓ 45m")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := r.final(t)
	view := m.View()
	first := strings.Index(view, "> staging")
	if first < 0 || first > strings.Index(view, "dev-admin") || first > strings.Index(view, "prod [MFA]") {
		t.Errorf("staging, just used, should be first and highlighted:\n%s", view)
	}
	// prod is now the fourth row: staging, dev, dev-admin, prod.
	next := drive(m, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyDown}, tea.KeyMsg{Type: tea.KeyDown}, enter)
	if next.state != stateDuration || next.entry.Name != "prod" {
		t.Fatalf("state %d on %q, want prod's duration step", next.state, next.entry.Name)
	}
	if got := next.dur.input.Value(); got != "" || !strings.Contains(next.View(), "[1h]") {
		t.Errorf("prod's duration step starts with %q typed, want its default 1h selected:\n%s", got, next.View())
	}
}

const missingShell = "/nonexistent/rolesw-test/zsh"

// TestShellThatCannotStart: the role was assumed but $SHELL does not
// exist. The switcher says so, naming the program, and stays; enter does
// not assume again, esc goes back to the list.
func TestShellThatCannotStart(t *testing.T) {
	err := (&session.Child{Path: missingShell}).Run()
	if err == nil {
		t.Fatal("a missing program started")
	}
	m := NewModel(Options{Entries: fixtureEntries(t), Initial: "staging", Now: newClock().Now})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, shellExitMsg{profile: "staging", started: t0, err: err})
	view := m.View()
	for _, want := range []string{
		"Could not start the shell for staging",
		"cannot start " + missingShell + ": no such file or directory",
		"esc: back to the list",
	} {
		if !strings.Contains(view, want) {
			t.Errorf("screen lacks %q:\n%s", want, view)
		}
	}
	if strings.Contains(view, "try again") || strings.Contains(view, "retry") {
		t.Errorf("retrying cannot help a missing shell, yet it is offered:\n%s", view)
	}
	if next := drive(m, enter); next.state != stateError {
		t.Errorf("enter left the error (state %d); it must not assume again", next.state)
	}
	if next := drive(m, tea.KeyMsg{Type: tea.KeyEsc}); next.state != stateList {
		t.Errorf("esc: state %d, want the list", next.state)
	}
}

// TestOnceShellThatCannotStart: with --once the switcher quits with 1 and
// hands the message to Run's caller, since its own screen is gone.
func TestOnceShellThatCannotStart(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Once = true
		o.Initial = "staging"
		r.launcher.missing = missingShell
	})
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	m := r.tm.FinalModel(t, teatest.WithFinalTimeout(5*time.Second)).(Model)
	if m.ExitCode() != 1 {
		t.Errorf("exit code %d, want 1", m.ExitCode())
	}
	want := "cannot start " + missingShell + ": no such file or directory"
	if m.Err() == nil || m.Err().Error() != want {
		t.Errorf("Err() = %v, want %q", m.Err(), want)
	}
}

// TestDuration40x15: `rolesw prod -d 2h` inside a rolesw session on a
// 40x15 terminal: the three-line header, the chain's long reason and the
// typed verdict compete for ten lines; the refusing bound must be on
// screen, with or without a status line above.
func TestDuration40x15(t *testing.T) {
	for _, tc := range []struct {
		name, typed string
		status      bool
		want        string
	}{
		{"typed", "2h", false, "2h is more than 1h"},
		{"presets", "", false, "more than 1h"},
		{"status", "2h", true, "2h is more than 1h"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := newRig(t, 40, 15, func(o *Options, r *rig) {
				r.sess.ambient = expiringAmbient(20 * time.Minute)
				o.Initial = "prod"
				if tc.status {
					o.Note = "demo: a local STS on 127.0.0.1:42125; the MFA code is 123456"
				}
			})
			r.waitFor(t, "depth 1") // the ambient identity is in
			r.tm.Type(tc.typed)
			m := r.final(t)
			if tc.status {
				m.setStatus(m.st.warn, "cancelled: prod was not assumed; learned: ProductionAccessRole allows at most 1h")
			}
			golden(t, m)
			view := m.View()
			if !strings.Contains(view, tc.want) || !strings.Contains(view, "chaining") {
				t.Errorf("the refusing bound is not on screen (want %q and \"chaining\"):\n%s", tc.want, view)
			}
			lines := strings.Split(view, "\n")
			if len(lines) > 15 {
				t.Errorf("%d lines on a 15-line terminal:\n%s", len(lines), view)
			}
			for i, l := range lines {
				if w := lipgloss.Width(l); w > 40 {
					t.Errorf("line %d is %d columns: %q", i, w, l)
				}
			}
			if !strings.Contains(lines[len(lines)-1], "enter choose") {
				t.Errorf("the key help is not the last line:\n%s", view)
			}
		})
	}
}

// TestLearnedMaximumApplies: STS granted staging's role only 1h (under the
// 2h its profile claims); choosing it again, the duration step refuses 2h
// on screen with the learned bound, and starts from 1h.
func TestLearnedMaximumApplies(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		r.sess.res.LearnedMaxSeconds = 3600
		r.sess.res.Granted = time.Hour
	})
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "1 profile")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := drive(r.final(t), enter)
	if m.state != stateDuration || m.entry.Name != "staging" {
		t.Fatalf("state %d on %q, want staging's duration step", m.state, m.entry.Name)
	}
	view := m.View()
	for _, want := range []string{"allowed: 15m to 1h", "2h✗", "learned from STS", "[1h]"} {
		if !strings.Contains(view, want) {
			t.Errorf("duration step lacks %q:\n%s", want, view)
		}
	}
	if n := len(r.sess.Calls()); n != 1 {
		t.Errorf("%d requests, want 1", n)
	}
}

// TestShellReturnClearsFilter: back from a shell the list starts fresh. The
// filter that found the profile would otherwise swallow the next search
// ("staging" + "prod" = nothing matched).
func TestShellReturnClearsFilter(t *testing.T) {
	r := newRig(t, 100, 30, nil)
	r.waitFor(t, "no expiry")
	r.tm.Type("staging")
	r.waitFor(t, "> staging")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Session length staging")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := r.final(t)
	if v := m.View(); strings.Contains(v, "filter:") || !strings.Contains(v, "> staging") || !strings.Contains(v, "dev-admin") {
		t.Errorf("after the shell the filter should be gone, every profile listed, staging highlighted:\n%s", v)
	}
	next := drive(m, tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune("prod")}, enter)
	if next.state != stateDuration || next.entry.Name != "prod" {
		t.Errorf("typing prod after the return found %q (state %d), want prod's duration step:\n%s", next.entry.Name, next.state, next.View())
	}
}

// devAdminAsk is STS refusing 4h of DevAdmin after the first code was spent.
var devAdminAsk = session.MFAAsk{
	Serial:  "arn:aws:iam::111111111111:mfa/dev",
	Refused: 4 * time.Hour, Next: 3 * time.Hour,
	Why: "DevAdmin allows less than 4h; STS takes each MFA code once, so trying 3h needs the next code",
}

// While it learns a role's maximum, an assume that needs the device's
// next code asks for it in the switcher, saying why, and goes on.
func TestMFANextCodeMidAssume(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Initial, o.Duration = "dev-admin", 4*time.Hour
		r.sess.asks = []session.MFAAsk{devAdminAsk}
		r.sess.res.Granted, r.sess.res.LearnedMaxSeconds = 3*time.Hour, 10800
	})
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Enter MFA code")
	r.tm.Type("111111")
	r.key(tea.KeyEnter)
	r.waitFor(t, "trying 3h needs the next code")
	r.tm.Type("246810")
	r.waitFor(t, "••••••")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	m := r.final(t)
	r.sess.mu.Lock()
	codes := append([]string(nil), r.sess.codes...)
	r.sess.mu.Unlock()
	if strings.Join(codes, ",") != "111111,246810" {
		t.Errorf("codes handed to STS: %d, want the two typed in order", len(codes))
	}
	if calls := r.sess.Calls(); len(calls) != 1 || calls[0].Duration != 4*time.Hour {
		t.Errorf("requests %+v, want one of 4h", calls)
	}
	if v := m.View(); !strings.Contains(v, "learned: DevAdmin allows at most 3h") || strings.Contains(v, "246810") {
		t.Errorf("after the shell:\n%s", v)
	}
}

// The screen that asks for the next code in the middle of an assume.
func TestMFANextCodeScreen(t *testing.T) {
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Initial, o.Duration, o.MFACode = "dev-admin", 4*time.Hour, "111111"
		r.sess.asks = []session.MFAAsk{devAdminAsk}
	})
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "trying 3h needs the next code")
	r.tm.Type("12")
	r.waitFor(t, "••")
	m := r.final(t)
	golden(t, m)
}

// esc while the next code is asked abandons the assume: its request
// ends and the switcher is back on the duration step.
func TestMFANextCodeEscCancels(t *testing.T) {
	ended := make(chan error, 1)
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Initial, o.Duration, o.MFACode = "dev-admin", 4*time.Hour, "111111"
		r.sess.asks = []session.MFAAsk{devAdminAsk}
		r.sess.ctxErr = ended
	})
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "trying 3h needs the next code")
	r.key(tea.KeyEsc)
	wantCancelled(t, ended)
	r.waitFor(t, "was not assumed")
	m := r.final(t)
	if m.state != stateDuration || m.ask != nil {
		t.Errorf("after esc: state %d, ask %v; want the duration step", m.state, m.ask)
	}
}

// Two roles of one chain that both name an MFA device each need a code,
// as the AWS CLI asks once per role: STS takes a code once, so the
// second must be the device's next one.
func TestMFAOneCodePerHop(t *testing.T) {
	const conf = `[profile hub]
role_arn = arn:aws:iam::111111111111:role/Hub
source_profile = dev
mfa_serial = arn:aws:iam::111111111111:mfa/dev

[profile spoke]
role_arn = arn:aws:iam::222222222222:role/Spoke
source_profile = hub
mfa_serial = arn:aws:iam::111111111111:mfa/dev
`
	cfg, err := config.Parse([]byte(conf), []byte(fixtureCredentials), config.Paths{Config: "/home/dev/.aws/config"})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := roles.Resolve(cfg, "spoke", roles.Inputs{})
	if err != nil {
		t.Fatal(err)
	}
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Entries = []Entry{{Name: "spoke", Plan: plan}}
		o.Initial = "spoke"
	})
	r.waitFor(t, "Session length")
	r.key(tea.KeyEnter)
	r.waitFor(t, "code 1 of 2")
	r.tm.Type("111111")
	r.key(tea.KeyEnter)
	r.waitFor(t, "Enter the next MFA code for")
	r.tm.Type("111111")
	r.key(tea.KeyEnter)
	r.waitFor(t, "STS takes each code once: wait for the device's next code")
	for range 6 {
		r.key(tea.KeyBackspace)
	}
	r.tm.Type("333333")
	r.key(tea.KeyEnter)
	r.waitShellReturn(t)
	r.final(t)
	r.sess.mu.Lock()
	codes := append([]string(nil), r.sess.codes...)
	r.sess.mu.Unlock()
	if strings.Join(codes, ",") != "111111,333333" {
		t.Errorf("codes handed to STS per hop: %d, want the two different ones typed", len(codes))
	}
}

// A profile without hops (its own keys, SSO or credential_process) has no
// step to choose: enter assumes it at once and opens the shell.
func TestProfileWithoutHopsAssumes(t *testing.T) {
	for _, initial := range []bool{false, true} {
		t.Run(map[bool]string{false: "from the list", true: "rolesw dev"}[initial], func(t *testing.T) {
			r := newRig(t, 100, 30, func(o *Options, r *rig) {
				if initial {
					o.Initial = "dev"
				}
			})
			if !initial {
				r.waitFor(t, "no expiry")
				r.tm.Type("dev")
				r.waitFor(t, "2 profiles") // dev first, then dev-admin
				r.key(tea.KeyEnter)
			}
			r.waitShellReturn(t)
			m := r.final(t)
			if calls := r.sess.Calls(); len(calls) != 1 || calls[0].Duration != 0 {
				t.Errorf("requests %+v, want one with the default length", calls)
			}
			if !strings.Contains(m.View(), "Left dev after") {
				t.Errorf("no return line:\n%s", m.View())
			}
		})
	}
}

// esc while a profile without hops is being assumed goes back to the list
// (there is no step to go back to) and ends the request.
func TestProfileWithoutHopsCancel(t *testing.T) {
	ended := make(chan error, 1)
	r := newRig(t, 100, 30, func(o *Options, r *rig) {
		o.Initial = "dev"
		r.sess.block, r.sess.ctxErr = true, ended
	})
	r.waitFor(t, "Assuming dev")
	r.key(tea.KeyEsc)
	wantCancelled(t, ended)
	r.waitFor(t, "cancelled: dev was not assumed")
	m := r.final(t)
	if m.state != stateList || len(r.sess.Calls()) != 1 {
		t.Errorf("after esc: state %d, %d requests; want the list and no new request", m.state, len(r.sess.Calls()))
	}
}

// wantCancelled waits for the fake session's request to end and checks
// that its context was cancelled (esc), not left running.
func wantCancelled(t *testing.T, ended <-chan error) {
	t.Helper()
	select {
	case err := <-ended:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("the request ended with %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("esc did not end the request")
	}
}

// ? shows every key of the list, at 100 columns and at 40, where the
// groups wrap instead of being cut to the first.
func TestFullHelp(t *testing.T) {
	for _, size := range [][2]int{{100, 30}, {40, 15}} {
		t.Run(fmt.Sprintf("%dx%d", size[0], size[1]), func(t *testing.T) {
			r := newRig(t, size[0], size[1], nil)
			r.waitFor(t, "no expiry")
			r.tm.Type("?")
			r.waitFor(t, "fewer keys")
			m := r.final(t)
			golden(t, m)
			view := m.View()
			for _, want := range []string{"up", "down", "page", "choose", "filter", "clear filter", "details", "fewer keys", "quit"} {
				if !strings.Contains(view, want) {
					t.Errorf("full help lacks %q:\n%s", want, view)
				}
			}
			lines := strings.Split(view, "\n")
			if len(lines) > size[1] {
				t.Errorf("%d lines on a %d-line terminal", len(lines), size[1])
			}
			for i, line := range lines {
				if lw := lipgloss.Width(line); lw > size[0] {
					t.Errorf("line %d is %d columns wide: %q", i, lw, line)
				}
			}
		})
	}
}
