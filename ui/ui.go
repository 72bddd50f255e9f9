// Package ui is rolesw's interactive switcher: a Bubble Tea program that
// shows who you are and how long your credentials last, lists the profiles,
// explains each chain and its duration bounds, asks for a session length and
// an MFA code, assumes the role and hands the terminal to a subshell.
//
// It is the only package that imports bubbletea, bubbles and lipgloss. It
// reaches AWS and the shell only through the Session, Launcher and History
// interfaces declared here, so tests drive it with fakes and main with the
// real session package.
package ui

import (
	"context"
	"errors"
	"io"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// Session assumes roles and describes the ambient credentials.
type Session interface {
	Assume(ctx context.Context, plan *roles.Plan, req session.Request) (*session.Result, error)
	Ambient(ctx context.Context) (session.Ambient, error)
}

// Launcher builds the subshell for an assumed session.
type Launcher interface {
	// Command returns the subshell for a result; the real one is a
	// *session.Child that prints the banner and handles signals. original
	// is the identity the user returns to when the shell exits.
	Command(res *session.Result, original session.Identity) tea.ExecCommand
}

// History is the frecency record of assumed profiles.
type History interface {
	Uses() map[string]session.Usage
	RecordUse(profile string) error
}

// Entry is one row of the list: a profile with its plan or the reason it
// cannot be assumed.
type Entry struct {
	Name string
	Plan *roles.Plan
	Err  error
	// Region and Source are shown on the row; empty ones are taken from
	// the plan.
	Region, Source string
}

// Options configure the switcher.
type Options struct {
	// Entries are in the AWS CLI's order (main resolves the plans).
	Entries  []Entry
	Session  Session
	Launcher Launcher
	History  History
	// Now is the clock (nil: time.Now).
	Now func() time.Time
	// Initial opens the switcher on that profile's duration step
	// (`rolesw PROFILE`); main refuses unknown names before Run.
	Initial string
	// Duration preselects a session length (0: the plan's default).
	Duration time.Duration
	// SessionName and SourceIdentity are passed through to every request.
	SessionName, SourceIdentity string
	// MFACode prefills the first MFA code (--mfa-code).
	MFACode string
	// Once quits after the first subshell with its exit status.
	Once bool
	// Note is a line shown under the header ("demo: MFA code is 123456").
	Note string
	// AmbientIssued looks up when the ambient session began (main reads
	// rolesw's state file, keyed by ROLESW_IDENTITY); false when unknown.
	// When it answers and the credentials expire, the header shows a gauge
	// of the elapsed share. It may do I/O: it runs in a command, beside
	// Session.Ambient, never in Update or View. nil: no gauge.
	AmbientIssued func(session.Ambient) (time.Time, bool)
	// NoColor renders without colour (--no-color, NO_COLOR).
	NoColor bool
	// Input and Output are the terminal (nil: stdin and stdout).
	Input  io.Reader
	Output io.Writer
}

// ExecCommand is what a Launcher returns: a process that takes over the
// terminal (bubbletea's tea.ExecCommand, so main need not import it).
type ExecCommand = tea.ExecCommand

// Run runs the switcher and returns the process exit code: 0 after q, the
// shell's status with Once, 130 after ctrl+c or when ctx is cancelled (main
// cancels it on SIGTERM and SIGHUP). err reports a failure to run the UI
// itself, or with Once a shell that could not start (code 1; "cannot start
// /bin/zsh: no such file or directory"), for the caller to print now that
// the terminal is restored.
func Run(ctx context.Context, opts Options) (int, error) {
	if opts.NoColor {
		lipgloss.SetColorProfile(termenv.Ascii)
	}
	// No signal handler: while a shell runs, session.Child owns SIGINT and
	// friends; bubbletea's handler would queue an interrupt during the exec
	// and quit rolesw right after the shell returns. In the UI, ctrl+c is
	// an ordinary key (the terminal is in raw mode).
	popts := []tea.ProgramOption{tea.WithContext(ctx), tea.WithAltScreen(), tea.WithoutSignalHandler()}
	if opts.Input != nil {
		popts = append(popts, tea.WithInput(opts.Input))
	}
	if opts.Output != nil {
		popts = append(popts, tea.WithOutput(opts.Output))
	}
	final, err := tea.NewProgram(NewModel(opts), popts...).Run()
	if errors.Is(err, tea.ErrProgramKilled) && ctx.Err() != nil {
		// Terminated from outside; bubbletea has restored the terminal.
		return 130, nil
	}
	if err != nil {
		return 1, err
	}
	if m, ok := final.(Model); ok {
		return m.exitCode, m.err
	}
	return 1, nil
}
