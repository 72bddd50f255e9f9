package ui

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// ambientTimeout bounds the identity lookup; the header says "checking"
// meanwhile, so a slow network never holds up the first frame.
const ambientTimeout = 15 * time.Second

// assumeTimeout bounds one assume, all hops and retries included; esc
// cancels it earlier.
const assumeTimeout = 2 * time.Minute

// ambientMsg carries the answer of Session.Ambient and, when known, when
// that session was issued.
type ambientMsg struct {
	seq     int
	ambient session.Ambient
	err     error
	issued  time.Time // zero when unknown
}

func fetchAmbient(s Session, issuedAt func(session.Ambient) (time.Time, bool), seq int) tea.Cmd {
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), ambientTimeout)
		defer cancel()
		a, err := s.Ambient(ctx)
		msg := ambientMsg{seq: seq, ambient: a, err: err}
		if issuedAt != nil && a.HasCredentials && !a.Expires.IsZero() {
			if t, ok := issuedAt(a); ok {
				msg.issued = t
			}
		}
		return msg
	}
}

// tickMsg is the header's once-a-second redraw.
type tickMsg struct{ id int }

func tick(id int) tea.Cmd {
	return tea.Tick(time.Second, func(time.Time) tea.Msg { return tickMsg{id: id} })
}

// assumedMsg carries the outcome of Session.Assume.
type assumedMsg struct {
	id    int
	entry Entry
	res   *session.Result
	err   error
}

// codeAskMsg is an assume in flight asking for the device's next MFA
// code (session.Request.NewMFACode). The model answers on reply and then
// waits for the assume's next message with wait.
type codeAskMsg struct {
	id    int
	ask   session.MFAAsk
	reply chan<- string
	wait  tea.Cmd
}

// errAssumeTimeout ends an assume STS has not answered in assumeTimeout.
var errAssumeTimeout = fmt.Errorf("no answer from STS within %s; check the network or the endpoint, then try again", assumeTimeout)

// assume runs Session.Assume. Its messages, a codeAskMsg whenever the
// request needs another MFA code and the assumedMsg at the end, come
// one at a time through events. The time limit runs only while rolesw
// waits for STS, not while the user fetches a code.
func assume(ctx context.Context, s Session, e Entry, req session.Request, id int) tea.Cmd {
	// Room for an unread ask and the final answer: the goroutine never
	// blocks on a model that has moved on.
	events := make(chan tea.Msg, 2)
	wait := func() tea.Msg { return <-events }
	return func() tea.Msg {
		ctx, cancel := context.WithCancelCause(ctx)
		timer := time.AfterFunc(assumeTimeout, func() { cancel(errAssumeTimeout) })
		req.NewMFACode = func(ctx context.Context, ask session.MFAAsk) (string, error) {
			timer.Stop()
			defer timer.Reset(assumeTimeout)
			reply := make(chan string, 1)
			events <- codeAskMsg{id: id, ask: ask, reply: reply, wait: wait}
			select {
			case code := <-reply:
				return code, nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		}
		go func() {
			defer cancel(nil)
			defer timer.Stop()
			res, err := s.Assume(ctx, e.Plan, req)
			if err != nil && errors.Is(context.Cause(ctx), errAssumeTimeout) {
				// Say it as a deadline, with the endpoint when known.
				var ce *session.CallError
				if errors.As(err, &ce) {
					timedOut := *ce
					timedOut.Err = context.DeadlineExceeded
					err = &timedOut
				} else {
					err = errAssumeTimeout
				}
			}
			events <- assumedMsg{id: id, entry: e, res: res, err: err}
		}()
		return wait()
	}
}

// recordedMsg reports a failure to save the use of a profile; the use of
// the session itself is not affected.
type recordedMsg struct{ err error }

func recordUse(h History, profile string) tea.Cmd {
	if h == nil {
		return nil
	}
	return func() tea.Msg { return recordedMsg{err: h.RecordUse(profile)} }
}

// shellExitMsg says the subshell ended; err is nil, a *session.ExitStatus
// for a non-zero exit (a normal return), or a failure to start.
type shellExitMsg struct {
	profile string
	started time.Time
	back    session.Identity
	err     error
}

func launch(l Launcher, profile string, res *session.Result, back session.Identity, started time.Time) tea.Cmd {
	return tea.Exec(l.Command(res, back), func(err error) tea.Msg {
		return shellExitMsg{profile: profile, started: started, back: back, err: err}
	})
}

// shellStartError words a shell that could not start, naming the program:
// "cannot start /bin/zsh: no such file or directory".
func shellStartError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("cannot start %s: %w", pe.Path, pe.Err)
	}
	var ee *exec.Error
	if errors.As(err, &ee) {
		return fmt.Errorf("cannot start %s: %w", ee.Name, ee.Err)
	}
	return fmt.Errorf("cannot start the shell: %w", err)
}

// checkPlan is the last gate before the network: a duration outside the
// plan's bounds never reaches Session.Assume.
func checkPlan(p *roles.Plan, d time.Duration) error {
	if len(p.Hops) == 0 {
		return nil
	}
	return p.Bounds.Check(d)
}
