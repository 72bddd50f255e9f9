package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/term"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
	"github.com/rolesw/rolesw/ui"
)

// runSwitcher opens the interactive switcher, on PROFILE's duration step
// when one is given.
func (a *app) runSwitcher(ctx context.Context, args []string, af assumeFlags, once bool) error {
	if !a.isTerminal() {
		return usagef("the switcher needs a terminal; without one use \"rolesw exec PROFILE -- CMD\" or \"rolesw list\"")
	}
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	if len(cfg.Profiles) == 0 {
		return usagef("no profiles in %s: add one with `aws configure --profile NAME` or `aws configure sso`, or try `rolesw demo`", describePaths(cfg.Paths))
	}
	st := a.store()
	in := a.inputs(st)
	plans, errs := resolveAll(cfg, in)
	entries := make([]ui.Entry, len(cfg.Profiles))
	for i, p := range cfg.Profiles {
		entries[i] = ui.Entry{Name: p.Name, Plan: plans[i], Err: errs[i], Region: p.Value("region")}
		if plans[i] != nil {
			entries[i].Source = plans[i].SourceLabel()
		}
	}
	initial := ""
	if len(args) == 1 {
		initial = args[0]
		if _, ok := cfg.Profile(initial); !ok {
			// Resolve words the error (close names, the file) the same way
			// exec does.
			_, err := roles.Resolve(cfg, initial, in)
			return err
		}
	}
	d, err := af.check()
	if err != nil {
		return err
	}
	if af.mfaCode == "-" {
		return usagef("--mfa-code - reads standard input, which is the switcher's terminal: give the code itself, or type it when asked")
	}
	// credential_process must not draw over the screen or read the keys
	// meant for the switcher: its stderr is kept for the error instead.
	client := a.client(cfg, st, func(o *session.Options) { o.QuietProcess = true })
	l := &launcher{a: a, store: st}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stopSignals := quitOnSignals(cancel, &l.running)
	defer stopSignals()
	code, err := ui.Run(ctx, ui.Options{
		Entries:        entries,
		Session:        client,
		Launcher:       l,
		History:        st,
		Initial:        initial,
		Duration:       d,
		SessionName:    af.sessionName,
		SourceIdentity: af.sourceIdentity,
		MFACode:        af.mfaCode,
		Once:           once,
		NoColor:        a.noColor || a.env.get("NO_COLOR") != "",
		AmbientIssued: func(amb session.Ambient) (time.Time, bool) {
			id := amb.Identity.ARN
			if id == "" {
				id = a.env.get("ROLESW_IDENTITY")
			}
			return st.SessionIssued(id)
		},
		Note:   a.note,
		Input:  a.stdin,
		Output: a.stdout,
	})
	if err != nil {
		return err
	}
	if code != 0 {
		return &childStatus{code: code}
	}
	return nil
}

func (a *app) isTerminal() bool {
	if !a.stdinIsTerminal() {
		return false
	}
	out, ok := a.stdout.(*os.File)
	return ok && term.IsTerminal(int(out.Fd()))
}

// quitOnSignals cancels the switcher on SIGTERM and SIGHUP, and on SIGINT
// while no subshell runs: a ctrl+c typed in the subshell is the shell's.
// In the switcher itself the terminal is raw, so ctrl+c arrives as a key.
func quitOnSignals(cancel context.CancelFunc, childRunning *atomic.Bool) (stop func()) {
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	done := make(chan struct{})
	go func() {
		for {
			select {
			case <-done:
				return
			case s := <-sigs:
				if s == os.Interrupt && childRunning.Load() {
					continue
				}
				cancel()
			}
		}
	}()
	return func() {
		signal.Stop(sigs)
		close(done)
	}
}

// launcher starts the subshell for the switcher: the user's shell with the
// child environment, the banner, and signals handled by session.Child.
type launcher struct {
	a       *app
	store   *session.Store
	running atomic.Bool
}

func (l *launcher) Command(res *session.Result, original session.Identity) ui.ExecCommand {
	recordSession(l.a, l.store, res)
	path, args := session.Shell(l.a.env.lookup)
	return &trackedChild{
		Child: &session.Child{
			Path:   path,
			Args:   args,
			Env:    session.ChildEnv(l.a.env.list, res),
			Banner: session.Banner(res, original, time.Now()),
		},
		running: &l.running,
	}
}

// trackedChild is a session.Child that says when it runs.
type trackedChild struct {
	*session.Child
	running *atomic.Bool
}

func (c *trackedChild) Run() error {
	c.running.Store(true)
	defer c.running.Store(false)
	return c.Child.Run()
}

// describePaths names the files that were read, for "nothing found"
// messages.
func describePaths(p config.Paths) string {
	switch {
	case p.Config != "" && p.Credentials != "":
		return p.Config + " or " + p.Credentials
	case p.Config != "":
		return p.Config
	case p.Credentials != "":
		return p.Credentials
	}
	return "any file (AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE are set but empty)"
}
