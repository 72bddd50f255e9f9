package ui

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// The fakes stand in for the session layer only (one layer down); plans
// come from the real config and roles packages.

var t0 = time.Date(2025, 3, 14, 9, 0, 0, 0, time.UTC)

// fakeClock is a settable clock shared between the test and the program.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *fakeClock { return &fakeClock{now: t0} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// fakeSession records every Assume and answers with res or err. With block
// set, Assume waits for its context to end.
type fakeSession struct {
	mu       sync.Mutex
	ambient  session.Ambient
	ambients int
	calls    []session.Request
	codes    []string // MFA codes the request handed out
	res      *session.Result
	err      error
	block    bool
	ctxErr   chan error
	// asks are made through NewMFACode after the hops' codes, as Assume
	// does when it learns a role's maximum with single-use codes.
	asks []session.MFAAsk
}

func (f *fakeSession) Assume(ctx context.Context, plan *roles.Plan, req session.Request) (*session.Result, error) {
	f.mu.Lock()
	f.calls = append(f.calls, req)
	block, res, err := f.block, f.res, f.err
	f.mu.Unlock()
	for _, h := range plan.Hops {
		if h.MFASerial != "" {
			if req.MFACode == nil {
				return nil, context.Canceled
			}
			code, err := req.MFACode(ctx, h.MFASerial)
			if err != nil {
				return nil, err
			}
			f.mu.Lock()
			f.codes = append(f.codes, code)
			f.mu.Unlock()
		}
	}
	f.mu.Lock()
	asks := f.asks
	f.mu.Unlock()
	for _, ask := range asks {
		if req.NewMFACode == nil {
			return nil, &session.MFASpentError{Profile: plan.Profile, RoleARN: plan.Last().RoleARN, Refused: ask.Refused, Next: ask.Next}
		}
		code, err := req.NewMFACode(ctx, ask)
		if err != nil {
			if f.ctxErr != nil {
				f.ctxErr <- err
			}
			return nil, err
		}
		f.mu.Lock()
		f.codes = append(f.codes, code)
		f.mu.Unlock()
	}
	if block {
		<-ctx.Done()
		if f.ctxErr != nil {
			f.ctxErr <- ctx.Err()
		}
		return nil, ctx.Err()
	}
	if res != nil {
		r := *res
		r.Profile = plan.Profile
		if last := plan.Last(); last != nil {
			r.RoleARN = last.RoleARN
		}
		return &r, err
	}
	return nil, err
}

func (f *fakeSession) Ambient(context.Context) (session.Ambient, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ambients++
	return f.ambient, nil
}

func (f *fakeSession) Calls() []session.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]session.Request(nil), f.calls...)
}

func (f *fakeSession) Ambients() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ambients
}

// fakeLauncher returns a shell that exits at once with code, after moving
// the clock forward by runFor (the time the user spent in the shell). With
// missing set it returns the real session.Child for a program that does not
// exist, so the error is the one a user with a broken $SHELL gets.
type fakeLauncher struct {
	clock   *fakeClock
	runFor  time.Duration
	code    int
	missing string
	mu      sync.Mutex
	got     []*session.Result
	back    []session.Identity
}

func (l *fakeLauncher) Command(res *session.Result, original session.Identity) tea.ExecCommand {
	l.mu.Lock()
	l.got = append(l.got, res)
	l.back = append(l.back, original)
	l.mu.Unlock()
	if l.missing != "" {
		return &session.Child{Path: l.missing}
	}
	return &fakeShell{l: l}
}

type fakeShell struct{ l *fakeLauncher }

func (s *fakeShell) Run() error {
	s.l.clock.Add(s.l.runFor)
	if s.l.code != 0 {
		return &session.ExitStatus{Code: s.l.code}
	}
	return nil
}
func (s *fakeShell) SetStdin(io.Reader)  {}
func (s *fakeShell) SetStdout(io.Writer) {}
func (s *fakeShell) SetStderr(io.Writer) {}

// fakeHistory is an in-memory History.
type fakeHistory struct {
	mu       sync.Mutex
	uses     map[string]session.Usage
	recorded []string
}

func (h *fakeHistory) Uses() map[string]session.Usage { return h.uses }

func (h *fakeHistory) RecordUse(p string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recorded = append(h.recorded, p)
	return nil
}

func (h *fakeHistory) Recorded() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.recorded...)
}

const fixtureConfig = `[profile dev]
region = us-east-1

[profile dev-admin]
role_arn = arn:aws:iam::111111111111:role/DevAdmin
source_profile = dev
mfa_serial = arn:aws:iam::111111111111:mfa/dev
region = eu-west-1

[profile prod]
role_arn = arn:aws:iam::123456789012:role/ProductionAccessRole
source_profile = dev-admin
region = eu-west-1

[profile staging]
role_arn = arn:aws:iam::222222222222:role/StagingDeploy
source_profile = dev
rolesw_max_session_duration = 7200
duration_seconds = 5400
region = us-west-2

[profile broken]
role_arn = arn:aws:iam::333333333333:role/Nope
source_profile = missing
`

const fixtureCredentials = `[dev]
aws_access_key_id = AKIAIOSFODNN7EXAMPLE
aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
`

// fixtureEntries resolves the fixture files with the real config and roles
// packages, as main does.
func fixtureEntries(t testing.TB) []Entry {
	t.Helper()
	cfg, err := config.Parse([]byte(fixtureConfig), []byte(fixtureCredentials),
		config.Paths{Config: "/home/dev/.aws/config", Credentials: "/home/dev/.aws/credentials"})
	if err != nil {
		t.Fatal(err)
	}
	var out []Entry
	for _, name := range cfg.Names() {
		p, err := roles.Resolve(cfg, name, roles.Inputs{})
		e := Entry{Name: name, Plan: p, Err: err}
		if p != nil {
			e.Region = p.Region
		}
		out = append(out, e)
	}
	return out
}

// devUser is the ambient identity of the tests.
var devUser = session.Identity{Account: "111111111111", ARN: "arn:aws:iam::111111111111:user/dev", UserID: "AIDAEXAMPLE"}

func longTermAmbient() session.Ambient {
	return session.Ambient{HasCredentials: true, Identity: devUser, LongTerm: true, Source: "profile default"}
}
