package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// app holds what every command needs: the standard streams, the
// environment, and the global flags. Tests build one with their own streams
// and environment and call run.
type app struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	env            *env

	// flags shared by several commands
	configFile, credentialsFile string
	region                      string
	noColor, debug              bool

	// exitCode is set by a command that succeeds with a non-zero status
	// (status: 1 when the credentials are expired).
	exitCode int
	// note is shown under the switcher's header (the demo's MFA code).
	note string
}

// env is the process environment as a list (for the child) and a lookup.
type env struct {
	list []string
	m    map[string]string
}

func newEnv(list []string) *env {
	e := &env{list: append([]string(nil), list...), m: make(map[string]string, len(list))}
	for _, kv := range list {
		if k, v, ok := strings.Cut(kv, "="); ok {
			e.m[k] = v
		}
	}
	return e
}

func (e *env) lookup(k string) (string, bool) {
	v, ok := e.m[k]
	return v, ok
}

func (e *env) get(k string) string { return e.m[k] }

// set replaces or adds a variable (the demo points rolesw at its own files).
func (e *env) set(k, v string) {
	e.m[k] = v
	for i, kv := range e.list {
		if strings.HasPrefix(kv, k+"=") {
			e.list[i] = k + "=" + v
			return
		}
	}
	e.list = append(e.list, k+"="+v)
}

func (e *env) unset(k string) {
	delete(e.m, k)
	out := e.list[:0]
	for _, kv := range e.list {
		if !strings.HasPrefix(kv, k+"=") {
			out = append(out, kv)
		}
	}
	e.list = out
}

func (a *app) home() string {
	if h := a.env.get("HOME"); h != "" {
		return h
	}
	if h := a.env.get("USERPROFILE"); h != "" {
		return h
	}
	h, _ := os.UserHomeDir()
	return h
}

// usageError is bad usage or a bad value on the command line: exit 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

// childStatus carries a child's exit status through cobra to run.
type childStatus struct{ code int }

func (e *childStatus) Error() string { return fmt.Sprintf("exit status %d", e.code) }

// exitCodeOf maps an error to the exit codes of DESIGN.md section 1.
func exitCodeOf(err error) int {
	var (
		st    *childStatus
		ue    *usageError
		pe    *config.ParseError
		roleE *roles.ProfileError
		be    *roles.BoundError
	)
	switch {
	case errors.As(err, &st):
		return st.code
	case errors.Is(err, context.Canceled):
		return exitInterrupted
	case errors.As(err, &ue), errors.As(err, &pe), errors.As(err, &roleE), errors.As(err, &be):
		return exitUsage
	case isCobraUsage(err):
		return exitUsage
	}
	return exitFailure
}

// isCobraUsage recognises cobra's own flag and argument errors.
func isCobraUsage(err error) bool {
	msg := err.Error()
	for _, p := range []string{"unknown command", "unknown flag", "unknown shorthand flag",
		"flag needs an argument", "invalid argument", "accepts ", "requires at least", "requires exactly", "bad flag syntax"} {
		if strings.HasPrefix(msg, p) || strings.Contains(msg, " "+p) {
			return true
		}
	}
	return false
}

// describe words an error for the user. STS errors go through
// session.Describe; the rest are already written for people.
func describe(err error) string {
	if errors.Is(err, context.Canceled) {
		return "interrupted"
	}
	return session.Describe(err)
}

// loadConfig reads the config and credentials files that the flags and the
// environment select.
func (a *app) loadConfig() (*config.Config, error) {
	paths := config.ResolvePaths(a.configFile, a.credentialsFile, a.env.lookup, a.home())
	return config.Load(paths)
}

// store opens rolesw's state (frecency and learned maxima). Warnings about a
// corrupt file are printed and never block.
func (a *app) store() *session.Store {
	s := session.OpenStore(session.StateDir(a.env.lookup, a.home()), time.Now)
	for _, w := range s.Load() {
		fmt.Fprintf(a.stderr, "rolesw: warning: %s\n", w)
	}
	return s
}

// inputs are what the planner needs from outside config.
func (a *app) inputs(st *session.Store) roles.Inputs {
	in := roles.Inputs{EnvHasSessionToken: a.env.get("AWS_SESSION_TOKEN") != ""}
	if st != nil {
		in.LearnedMax = st.Maxima()
	}
	return in
}

// client builds the session client over the real SDK.
func (a *app) client(cfg *config.Config, st *session.Store, tweaks ...func(*session.Options)) *session.Client {
	var dbg io.Writer
	if a.debug {
		dbg = a.debugLog()
	}
	opts := session.Options{
		Lookup: a.env.lookup,
		Region: a.region,
		Store:  st,
		Config: cfg,
		Debug:  dbg,
	}
	for _, t := range tweaks {
		t(&opts)
	}
	return session.New(opts)
}

// debugLog opens the --debug log in the state directory. It holds masked key
// ids only; session never writes secrets to it.
func (a *app) debugLog() io.Writer {
	dir := session.StateDir(a.env.lookup, a.home())
	if err := os.MkdirAll(dir, 0o700); err != nil {
		fmt.Fprintf(a.stderr, "rolesw: warning: no debug log: %v\n", err)
		return nil
	}
	f, err := os.OpenFile(dir+string(os.PathSeparator)+"debug.log", os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		fmt.Fprintf(a.stderr, "rolesw: warning: no debug log: %v\n", err)
		return nil
	}
	return f
}

// parseDuration reads -d, naming the flag in the error.
func parseDuration(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	d, err := roles.ParseDuration(s)
	if err != nil {
		return 0, &usageError{msg: "--duration: " + err.Error()}
	}
	return d, nil
}
