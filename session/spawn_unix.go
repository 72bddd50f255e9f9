//go:build !windows

package session

import (
	"os"
	"os/exec"
	"os/signal"
	"syscall"
)

// Shell returns the user's shell: $SHELL when set, else /bin/sh. The
// shell gets no arguments: an interactive shell reads the user's rc files
// as it would in a new terminal.
func Shell(lookup func(string) (string, bool)) (path string, args []string) {
	return unixShell(lookup), nil
}

// signalWatch holds rolesw's signal handling while a child runs.
type signalWatch struct {
	quiet, pass chan os.Signal
	child       chan *os.Process
	done        chan struct{}
}

// watchSignals catches SIGINT and SIGQUIT (the terminal delivers them to
// the child, which shares our foreground process group, so rolesw must
// neither die of them nor deliver them twice) and SIGTERM and SIGHUP
// (sent to rolesw alone, so they are passed on to the child).
//
// The terminal signals are caught and dropped rather than set to SIG_IGN:
// an ignored disposition survives exec, and a child started with SIGINT
// ignored (sh -c, most programs) could then never be interrupted.
func watchSignals() *signalWatch {
	w := &signalWatch{
		quiet: make(chan os.Signal, 4),
		pass:  make(chan os.Signal, 4),
		child: make(chan *os.Process, 1),
		done:  make(chan struct{}),
	}
	signal.Notify(w.quiet, syscall.SIGINT, syscall.SIGQUIT)
	signal.Notify(w.pass, syscall.SIGTERM, syscall.SIGHUP)
	go w.loop()
	return w
}

func (w *signalWatch) loop() {
	var p *os.Process
	var pending []os.Signal
	for {
		select {
		case <-w.done:
			return
		case <-w.quiet:
		case p = <-w.child:
			// A signal that came before the child existed is still
			// meant for it.
			for _, s := range pending {
				_ = p.Signal(s)
			}
			pending = nil
		case s := <-w.pass:
			if p == nil {
				pending = append(pending, s)
				continue
			}
			_ = p.Signal(s)
		}
	}
}

// forwardTo starts passing SIGTERM and SIGHUP to p.
func (w *signalWatch) forwardTo(p *os.Process) { w.child <- p }

// stop restores rolesw's own signal handling.
func (w *signalWatch) stop() {
	signal.Stop(w.quiet)
	signal.Stop(w.pass)
	close(w.done)
}

// exitCode is the child's status as a shell reports it: the exit code, or
// 128 plus the signal number when a signal ended it.
func exitCode(ee *exec.ExitError) int {
	if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return ee.ExitCode()
}
