//go:build windows

package session

import (
	"os"
	"os/exec"
	"os/signal"

	"golang.org/x/sys/windows"
)

// Shell returns the user's shell on Windows: the PowerShell rolesw was
// started from, else %COMSPEC%, else cmd.exe.
func Shell(lookup func(string) (string, bool)) (path string, args []string) {
	return windowsShell(lookup, parentExecutable()), nil
}

// parentExecutable is the full path of rolesw's parent process, or "" when
// it cannot be read (the parent exited, or access is denied).
func parentExecutable() string {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(os.Getppid()))
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(h, 0, &buf[0], &n); err != nil {
		return ""
	}
	return windows.UTF16ToString(buf[:n])
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
