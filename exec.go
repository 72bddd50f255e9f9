package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

func (a *app) newExecCmd() *cobra.Command {
	var af assumeFlags
	cmd := &cobra.Command{
		Use:   "exec PROFILE [flags] [-- CMD ARGS...]",
		Short: "Assume PROFILE and run CMD (default: a subshell) with its credentials",
		Long: `exec assumes PROFILE without the switcher and runs CMD with the temporary
credentials in its environment, or your shell when no CMD is given. rolesw exits
with CMD's status.`,
		Example: `  rolesw exec prod -- aws s3 ls
  rolesw exec prod -d 2h
  rolesw exec mfa-role --mfa-code 123456 -- terraform plan`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) == 0 {
				return usagef("exec needs a PROFILE: rolesw exec PROFILE [-- CMD ARGS...] (rolesw list shows the names)")
			}
			return nil
		},
		ValidArgsFunction: a.completeProfiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			profile, command := args[0], args[1:]
			if dash := cmd.ArgsLenAtDash(); dash > 1 || (dash == -1 && len(args) > 1) {
				return usagef("exec takes one PROFILE; put the command after --: rolesw exec %s -- %s", args[0], strings.Join(args[1:], " "))
			}
			return a.runExec(cmd.Context(), profile, command, af)
		},
	}
	af.add(cmd)
	return cmd
}

// assumed is a finished assume with what the commands need afterwards.
type assumed struct {
	res      *session.Result
	original session.Identity
}

// prepared is a profile ready to assume: config, plan, state and client.
type prepared struct {
	cfg    *config.Config
	plan   *roles.Plan
	store  *session.Store
	client *session.Client
	req    session.Request
}

// prepare loads the files, resolves the profile and checks the flags, so
// every refusal happens before any network call.
func (a *app) prepare(profile string, af assumeFlags) (*prepared, error) {
	cfg, err := a.loadConfig()
	if err != nil {
		return nil, err
	}
	st := a.store()
	plan, err := roles.Resolve(cfg, profile, a.inputs(st))
	if err != nil {
		return nil, err
	}
	for _, w := range plan.Warnings {
		fmt.Fprintf(a.stderr, "rolesw: warning: %s\n", w)
	}
	d, err := af.check()
	if err != nil {
		return nil, err
	}
	if af.duration != "" && len(plan.Hops) > 0 {
		if err := plan.Bounds.Check(d); err != nil {
			return nil, fmt.Errorf("profile %q: %w", profile, err)
		}
	}
	req := session.Request{Duration: d, SessionName: af.sessionName, SourceIdentity: af.sourceIdentity}
	if plan.MFASerial() != "" {
		code, err := a.mfaFlag(af.mfaCode)
		if err != nil {
			return nil, err
		}
		if code == "" && !a.stdinIsTerminal() {
			return nil, usagef("profile %q needs an MFA code for %s and there is no terminal to ask on: pass --mfa-code CODE, or --mfa-code - to read it from standard input", profile, plan.MFASerial())
		}
		req.MFACode = a.mfaPrompt(code)
		if a.stdinIsTerminal() {
			req.NewMFACode = func(_ context.Context, ask session.MFAAsk) (string, error) {
				fmt.Fprintf(a.stderr, "rolesw: %s\n", ask.Why)
				return a.readMFA(ask.Serial)
			}
		}
	}
	return &prepared{cfg: cfg, plan: plan, store: st, client: a.client(cfg, st), req: req}, nil
}

func (a *app) stdinIsTerminal() bool {
	in, ok := a.stdin.(*os.File)
	return ok && term.IsTerminal(int(in.Fd()))
}

// check validates the flags that do not depend on the profile and returns
// the duration (0 when -d is not given).
func (af assumeFlags) check() (time.Duration, error) {
	d, err := parseDuration(af.duration)
	if err != nil {
		return 0, err
	}
	if af.sessionName != "" {
		if err := roles.ValidateSessionName(af.sessionName); err != nil {
			return 0, usagef("--session-name: %v", err)
		}
	}
	if af.sourceIdentity != "" {
		if err := roles.ValidateSourceIdentity(af.sourceIdentity); err != nil {
			return 0, usagef("--source-identity: %v", err)
		}
	}
	if af.mfaCode != "" && af.mfaCode != "-" && !validMFA(af.mfaCode) {
		return 0, usagef("--mfa-code: an MFA code is 6 digits")
	}
	return d, nil
}

// mfaFlag reads --mfa-code; "-" reads one line from standard input.
func (a *app) mfaFlag(v string) (string, error) {
	if v != "-" {
		return v, nil
	}
	line, err := bufio.NewReader(a.stdin).ReadString('\n')
	if err != nil && line == "" {
		return "", usagef("--mfa-code -: no code on standard input")
	}
	code := strings.TrimSpace(line)
	if !validMFA(code) {
		return "", usagef("--mfa-code -: an MFA code is 6 digits")
	}
	return code, nil
}

func validMFA(s string) bool {
	if len(s) != 6 {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// mfaPrompt gives the code from the flag for the first MFA hop and asks on
// the terminal for any other, as the AWS CLI does (`Enter MFA code for
// SERIAL: `). The code is read without echo and never printed.
func (a *app) mfaPrompt(given string) func(context.Context, string) (string, error) {
	return func(_ context.Context, serial string) (string, error) {
		if given != "" {
			code := given
			given = ""
			return code, nil
		}
		if !a.stdinIsTerminal() {
			return "", usagef("a second MFA code for %s is needed and there is no terminal to ask on", serial)
		}
		return a.readMFA(serial)
	}
}

// readMFA asks for a code on the terminal, without echo.
func (a *app) readMFA(serial string) (string, error) {
	in := a.stdin.(*os.File)
	fmt.Fprintf(a.stderr, "Enter MFA code for %s: ", serial)
	b, err := term.ReadPassword(int(in.Fd()))
	fmt.Fprintln(a.stderr)
	if err != nil {
		return "", fmt.Errorf("reading the MFA code: %w", err)
	}
	code := strings.TrimSpace(string(b))
	if !validMFA(code) {
		return "", usagef("an MFA code is 6 digits")
	}
	return code, nil
}

// assume runs the prepared plan and, in parallel (so it adds no latency),
// learns the original identity for the banner.
func (a *app) assume(ctx context.Context, p *prepared, wantOriginal bool) (*assumed, error) {
	type idResult struct{ id session.Identity }
	var idc chan idResult
	if wantOriginal {
		idc = make(chan idResult, 1)
		go func() {
			ictx, cancel := context.WithTimeout(ctx, 3*time.Second)
			defer cancel()
			amb, err := p.client.Ambient(ictx)
			if err != nil || amb.IdentityErr != nil {
				idc <- idResult{}
				return
			}
			idc <- idResult{amb.Identity}
		}()
	}
	res, err := p.client.Assume(ctx, p.plan, p.req)
	if err != nil {
		return nil, err
	}
	if res.LearnedMaxSeconds > 0 {
		fmt.Fprintf(a.stderr, "rolesw: %s allows at most %s; got %s (remembered)\n",
			roles.RoleName(res.RoleARN), roles.FormatDuration(time.Duration(res.LearnedMaxSeconds)*time.Second), roles.FormatDuration(res.Granted))
	}
	out := &assumed{res: res}
	if idc != nil {
		select {
		case r := <-idc:
			out.original = r.id
		case <-ctx.Done():
		}
	}
	return out, nil
}

func (a *app) runExec(ctx context.Context, profile string, command []string, af assumeFlags) error {
	p, err := a.prepare(profile, af)
	if err != nil {
		return err
	}
	shell := len(command) == 0
	// ctrl+c, SIGTERM or SIGHUP while STS answers cancels the request. Once
	// the child runs, the signals are the child's (session.Child).
	actx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	as, err := a.assume(actx, p, shell)
	stop()
	if err != nil {
		return err
	}
	// The state file is written while the child starts: it is not on the
	// way to the user's command.
	recorded := make(chan struct{})
	go func() {
		defer close(recorded)
		recordAssume(a, p.store, p.plan.Profile, as.res)
	}()
	defer func() { <-recorded }()
	child := &session.Child{
		Env:    session.ChildEnv(a.env.list, as.res),
		Stdin:  a.stdin,
		Stdout: a.stdout,
		Stderr: a.stderr,
	}
	if shell {
		child.Path, child.Args = session.Shell(a.env.lookup)
		child.Banner = session.Banner(as.res, as.original, time.Now())
	} else {
		child.Path, child.Args = command[0], command[1:]
	}
	return childErr(child.Run())
}

// childErr turns a child's exit into rolesw's exit status.
func childErr(err error) error {
	var st *session.ExitStatus
	if errors.As(err, &st) {
		return &childStatus{code: st.Code}
	}
	return err
}

// recordAssume counts the use of profile (frecency) and remembers when the
// session began, so a rolesw run inside it can show how much has gone.
func recordAssume(a *app, st *session.Store, profile string, res *session.Result) {
	if err := st.RecordAssume(profile, res.AssumedRoleARN, sessionIssued(res), res.Credentials.Expires); err != nil {
		fmt.Fprintf(a.stderr, "rolesw: warning: %v\n", err)
	}
}

// recordSession is recordAssume without the use, for the switcher, whose
// model counts uses itself.
func recordSession(a *app, st *session.Store, res *session.Result) {
	if err := st.RecordSession(res.AssumedRoleARN, sessionIssued(res), res.Credentials.Expires); err != nil {
		fmt.Fprintf(a.stderr, "rolesw: warning: %v\n", err)
	}
}

// sessionIssued is when STS issued the credentials (zero when unknown).
func sessionIssued(res *session.Result) time.Time {
	if res.Granted <= 0 || !res.Credentials.CanExpire() {
		return time.Time{}
	}
	return res.Credentials.Expires.Add(-res.Granted)
}
