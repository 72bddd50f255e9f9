package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// buildRolesw builds this command into a fresh temporary directory, with
// ldflags when given, and returns the path of the binary. The tests run the
// real binary because what they check (linker stamps, cobra's completion
// scripts) only exists in a built program.
func buildRolesw(t *testing.T, ldflags string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "rolesw")
	if runtime.GOOS == "windows" {
		exe += ".exe"
	}
	// No -trimpath: without it the build reuses the packages `go test`
	// just compiled, which keeps these tests to a link each.
	args := []string{"build", "-o", exe}
	if ldflags != "" {
		args = append(args, "-ldflags", ldflags)
	}
	cmd := exec.Command("go", append(args, ".")...)
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return exe
}

// runRolesw runs the binary with only the given environment (no AWS_*
// variables leak in from the developer's shell) and returns its stdout.
func runRolesw(t *testing.T, exe string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(exe, args...)
	cmd.Env = env
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("rolesw %s: %v\nstderr: %s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out)
}

// releaseLdflags returns the ldflags of .goreleaser.yaml's build with its
// templates filled in, so the test builds exactly as the release does.
func releaseLdflags(t *testing.T, version, commit, date string) string {
	t.Helper()
	b, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	// The file keeps ldflags as one list item on the line after "ldflags:".
	m := regexp.MustCompile(`(?m)^\s+ldflags:\s*\n\s+- (.+)$`).FindSubmatch(b)
	if m == nil {
		t.Fatal(".goreleaser.yaml: no \"ldflags:\" list item found")
	}
	flags := strings.NewReplacer(
		"{{ .Version }}", version,
		"{{ .Commit }}", commit,
		"{{ .CommitDate }}", date,
	).Replace(string(m[1]))
	if strings.Contains(flags, "{{") {
		t.Fatalf(".goreleaser.yaml ldflags use a template this test does not fill: %s", flags)
	}
	return flags
}

// TestVersionStamps checks that the linker stamps land in `rolesw version`.
// A wrong -X path (say main.Version, or the module path) is ignored by the
// linker without a word; this is where it shows.
func TestVersionStamps(t *testing.T) {
	const (
		v = "9.9.9-test"
		c = "abc1234"
		d = "2026-01-02T03:04:05Z"
	)
	want := "rolesw 9.9.9-test (commit abc1234, built 2026-01-02T03:04:05Z)\n"
	tests := []struct {
		name    string
		ldflags string
	}{
		{"plain -X", "-X main.version=" + v + " -X main.commit=" + c + " -X main.date=" + d},
		{"as .goreleaser.yaml builds", releaseLdflags(t, v, c, d)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			exe := buildRolesw(t, tt.ldflags)
			if got := runRolesw(t, exe, []string{"HOME=" + t.TempDir()}, "version"); got != want {
				t.Errorf("ldflags %q:\nrolesw version = %q\nwant            %q", tt.ldflags, got, want)
			}
		})
	}
}

// TestVersionUnstamped checks that a plain `go build` (no ldflags) still
// names a version and a commit: "dev", or the module version Go records
// (v0.0.0-20260102030405-abcdef123456+dirty in a clone), never blank.
func TestVersionUnstamped(t *testing.T) {
	exe := buildRolesw(t, "")
	got := runRolesw(t, exe, []string{"HOME=" + t.TempDir()}, "version")
	re := regexp.MustCompile(`^rolesw (dev|v\d+\.\d+\.\d+\S*) \(commit [0-9a-z]+(, built \S+)?\)\n$`)
	if !re.MatchString(got) {
		t.Errorf("rolesw version = %q, want it to match %s", got, re)
	}
}
