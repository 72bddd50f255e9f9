package main

import (
	"context"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"
	"golang.org/x/term"

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
	st := a.store()
	in := a.inputs(st)
	entries := make([]ui.Entry, 0, len(cfg.Profiles))
	for _, p := range cfg.Profiles {
		plan, err := roles.Resolve(cfg, p.Name, in)
		e := ui.Entry{Name: p.Name, Plan: plan, Err: err, Region: p.Value("region")}
		if plan != nil {
			e.Source = sourceLabel(plan)
		}
		entries = append(entries, e)
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
	d, err := parseDuration(af.duration)
	if err != nil {
		return err
	}
	if af.sessionName != "" {
		if err := roles.ValidateSessionName(af.sessionName); err != nil {
			return usagef("--session-name: %v", err)
		}
	}
	if af.sourceIdentity != "" {
		if err := roles.ValidateSourceIdentity(af.sourceIdentity); err != nil {
			return usagef("--source-identity: %v", err)
		}
	}
	if af.mfaCode != "" && !validMFA(af.mfaCode) {
		return usagef("--mfa-code: an MFA code is 6 digits")
	}
	if a.noColor || a.env.get("NO_COLOR") != "" {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	client := a.client(cfg, st)
	code, err := ui.Run(ui.Options{
		Entries:        entries,
		Session:        client,
		Launcher:       launcher{a: a},
		History:        st,
		Initial:        initial,
		Duration:       d,
		SessionName:    af.sessionName,
		SourceIdentity: af.sourceIdentity,
		MFACode:        af.mfaCode,
		Once:           once,
		Note:           a.note,
		Input:          a.stdin,
		Output:         a.stdout,
	})
	if err != nil {
		return err
	}
	if code != 0 {
		a.quietInterrupt = true
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

// launcher starts the subshell for the switcher: the user's shell with the
// child environment, the banner, and signals handled by session.Child.
type launcher struct{ a *app }

func (l launcher) Command(res *session.Result, original session.Identity) tea.ExecCommand {
	path, args := session.Shell(l.a.env.lookup)
	return &session.Child{
		Path:   path,
		Args:   args,
		Env:    session.ChildEnv(l.a.env.list, res),
		Banner: session.Banner(res, original, time.Now()),
	}
}
