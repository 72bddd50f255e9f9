package main

import (
	"errors"
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

// TestManPages runs the hidden `rolesw man DIR` the release hook runs and
// checks the pages a user would open: every page the Homebrew cask in
// .goreleaser.yaml installs, the release's version in the footer, no page
// for the hidden command, and <placeholders> in flag help kept (the
// markdown step would drop them as HTML tags).
func TestManPages(t *testing.T) {
	exe := buildRolesw(t, "-X main.version=9.9.9-test -X main.date=2026-01-02T03:04:05Z")
	env := []string{"HOME=" + t.TempDir()}
	dir := filepath.Join(t.TempDir(), "man")
	runRolesw(t, exe, env, "man", dir)

	yaml, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	listed := regexp.MustCompile(`(?m)^\s+- man/(\S+\.1)$`).FindAllSubmatch(yaml, -1)
	if len(listed) == 0 {
		t.Fatal(".goreleaser.yaml lists no man/*.1 pages for the cask")
	}
	for _, m := range listed {
		page := filepath.Join(dir, string(m[1]))
		b, err := os.ReadFile(page)
		if err != nil {
			t.Errorf(".goreleaser.yaml installs man/%s, but rolesw man wrote none: %v", m[1], err)
			continue
		}
		th, _, _ := strings.Cut(strings.TrimPrefix(string(b), ".nh\n"), "\n")
		if !strings.Contains(th, `"Jan 2026" "rolesw 9.9.9-test"`) {
			t.Errorf("%s: header %q, want the build date (Jan 2026) and version (rolesw 9.9.9-test)", m[1], th)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "rolesw-man.1")); err == nil {
		t.Error("rolesw man wrote a page for itself, a hidden command")
	}

	for _, sub := range []string{"exec", "env"} {
		help := runRolesw(t, exe, env, sub, "--help")
		page, err := os.ReadFile(filepath.Join(dir, "rolesw-"+sub+".1"))
		if err != nil {
			t.Fatal(err)
		}
		for _, ph := range regexp.MustCompile(`<[A-Za-z][^<>]*>`).FindAllString(help, -1) {
			if !strings.Contains(string(page), ph) {
				t.Errorf("rolesw %s --help says %s, rolesw-%s.1 lost it", sub, ph, sub)
			}
		}
	}
}

// TestManNeedsDir checks that `rolesw man` without a directory is a usage
// error (exit 2) that says what to pass.
func TestManNeedsDir(t *testing.T) {
	exe := buildRolesw(t, "")
	cmd := exec.Command(exe, "man")
	cmd.Env = []string{"HOME=" + t.TempDir()}
	out, err := cmd.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 {
		t.Fatalf("rolesw man: err %v, want exit status 2; output: %s", err, out)
	}
	if !strings.Contains(string(out), "the directory to write the pages into") {
		t.Errorf("rolesw man: output %q does not say a directory is needed", out)
	}
}
