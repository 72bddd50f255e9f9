package session

import (
	"context"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/credentials/processcreds"
)

// quietProcess is the SDK's credential_process provider with the command
// kept off the terminal (Options.QuietProcess): the command runs through
// the same shell as the SDK's own builder, with an empty standard input,
// and the end of its standard error is kept for the error message.
type quietProcess struct {
	*processcreds.Provider
	stderr *tail
}

func newQuietProcess(command string, opts ...func(*processcreds.Options)) *quietProcess {
	q := &quietProcess{stderr: &tail{max: 4096}}
	build := processcreds.NewCommandBuilderFunc(func(ctx context.Context) (*exec.Cmd, error) {
		shell, flag := "sh", "-c"
		if runtime.GOOS == "windows" {
			shell, flag = "cmd.exe", "/C"
		}
		cmd := exec.CommandContext(ctx, shell, flag, command)
		cmd.Env = os.Environ()
		q.stderr.reset()
		cmd.Stderr = q.stderr
		return cmd, nil
	})
	q.Provider = processcreds.NewProviderCommand(build, opts...)
	return q
}

// said is the last non-empty line the command wrote on standard error,
// cut to 200 characters.
func (q *quietProcess) said() string {
	lines := strings.Split(strings.TrimSpace(q.stderr.String()), "\n")
	last := strings.TrimSpace(lines[len(lines)-1])
	if r := []rune(last); len(r) > 200 {
		last = string(r[:200]) + "…"
	}
	return last
}

// tail keeps the last max bytes written to it.
type tail struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if over := len(t.b) - t.max; over > 0 {
		t.b = append(t.b[:0], t.b[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.b)
}

func (t *tail) reset() {
	t.mu.Lock()
	t.b = t.b[:0]
	t.mu.Unlock()
}
