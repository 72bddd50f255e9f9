package session

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
)

// Child is a process that takes over the terminal: the subshell or the
// command of `rolesw exec`. It satisfies bubbletea's tea.ExecCommand
// structurally, so the ui package can hand it to tea.Exec without this
// package importing bubbletea.
type Child struct {
	Path string
	// Args are the arguments after the program name.
	Args []string
	// Env is the complete environment (see ChildEnv); nil inherits ours.
	Env []string
	// Banner is printed on Stderr before the child starts ("" for none).
	Banner string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// SetStdin sets the child's standard input.
func (c *Child) SetStdin(r io.Reader) { c.Stdin = r }

// SetStdout sets the child's standard output.
func (c *Child) SetStdout(w io.Writer) { c.Stdout = w }

// SetStderr sets the child's standard error (the banner goes there too).
func (c *Child) SetStderr(w io.Writer) { c.Stderr = w }

// Run prints the banner, runs the child to completion and returns nil on
// exit 0, *ExitStatus on any other exit (128+signal for a signal death),
// or an error naming the program when it could not start. While the child
// runs, terminal signals meant for it do not stop rolesw, and termination
// signals sent to rolesw are passed on to it.
func (c *Child) Run() error {
	stdin, stdout, stderr := c.Stdin, c.Stdout, c.Stderr
	if stdin == nil {
		stdin = os.Stdin
	}
	if stdout == nil {
		stdout = os.Stdout
	}
	if stderr == nil {
		stderr = os.Stderr
	}
	cmd := exec.Command(c.Path, c.Args...)
	cmd.Env = c.Env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr

	// Install the handlers before the child exists, so a signal that
	// arrives between Start and the watcher is not lost or fatal.
	w := watchSignals()
	defer w.stop()

	if c.Banner != "" {
		fmt.Fprintln(stderr, c.Banner)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("start %s: %w", c.Path, err)
	}
	w.forwardTo(cmd.Process)
	err := cmd.Wait()
	if err == nil {
		return nil
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return &ExitStatus{Code: exitCode(ee)}
	}
	return fmt.Errorf("run %s: %w", c.Path, err)
}
