// Command rolesw is an interactive terminal role switcher for AWS: pick a
// profile from ~/.aws/config, pick a session duration, and get a subshell
// holding the assumed role's temporary credentials.
//
// main parses the command line, builds the real dependencies, runs, maps the
// result to an exit code and prints a fatal error once, on stderr.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
)

// Exit codes (DESIGN.md section 1).
const (
	exitOK          = 0
	exitFailure     = 1
	exitUsage       = 2
	exitInterrupted = 130
)

func main() {
	// Signals are handled per command: exec cancels its request on them but
	// leaves them to the child once it runs; the switcher quits on them
	// unless a subshell is running.
	env := newEnv(os.Environ())
	a := &app{
		stdin:  os.Stdin,
		stdout: os.Stdout,
		stderr: os.Stderr,
		env:    env,
	}
	os.Exit(a.run(context.Background(), os.Args[1:]))
}

// run executes one command line and returns the exit code. Every error is
// printed here, once.
func (a *app) run(ctx context.Context, args []string) int {
	root := a.newRootCmd()
	root.SetArgs(args)
	root.SetIn(a.stdin)
	root.SetOut(a.stdout)
	root.SetErr(a.stderr)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return a.exitCode
	}
	code := exitCodeOf(err)
	// A child's status (or the switcher's) is an outcome, not an error.
	var st *childStatus
	if !errors.As(err, &st) {
		printError(a.stderr, err)
	}
	return code
}

func printError(w io.Writer, err error) {
	fmt.Fprintf(w, "rolesw: %s\n", describe(err))
}
