//go:build windows

package session

import (
	"os"
	"os/exec"
	"os/signal"
)

// Shell returns the user's shell on Windows: %COMSPEC%, else cmd.exe.
func Shell(lookup func(string) (string, bool)) (path string, args []string) {
	if v, ok := lookup("COMSPEC"); ok && v != "" {
		return v, nil
	}
	return "cmd.exe", nil
}

// signalWatch holds rolesw's signal handling while a child runs.
type signalWatch struct{ c chan os.Signal }

// watchSignals keeps ctrl+c from ending rolesw: the console delivers it to
// the child as well, which decides what to do with it.
func watchSignals() *signalWatch {
	w := &signalWatch{c: make(chan os.Signal, 4)}
	signal.Notify(w.c, os.Interrupt)
	go func() {
		for range w.c {
		}
	}()
	return w
}

// forwardTo does nothing on Windows: there is no SIGTERM or SIGHUP to pass on.
func (w *signalWatch) forwardTo(*os.Process) {}

// stop restores rolesw's own signal handling.
func (w *signalWatch) stop() {
	signal.Stop(w.c)
	close(w.c)
}

// exitCode is the child's exit code.
func exitCode(ee *exec.ExitError) int { return ee.ExitCode() }
