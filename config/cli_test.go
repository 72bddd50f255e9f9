package config

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The AWS CLI v2 is the oracle: these tests run /usr/bin/aws (CLI v2; the
// "aws" first on PATH may be CLI v1) on every corpus case and require the
// same answer from this package.

const awsCLI = "/usr/bin/aws"

// requireCLI skips when the oracle is missing, except in CI, where a
// missing oracle must not turn the differential tests green.
func requireCLI(t *testing.T) {
	t.Helper()
	out, err := exec.Command(awsCLI, "--version").CombinedOutput()
	if err == nil && bytes.HasPrefix(out, []byte("aws-cli/2")) {
		return
	}
	msg := "differential tests need AWS CLI v2 at " + awsCLI + " (Debian package awscli); got: " + strings.TrimSpace(string(out))
	if err != nil {
		msg += " (" + err.Error() + ")"
	}
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// corpusCase is one directory of testdata/config.
type corpusCase struct {
	name  string
	paths Paths
}

// corpus lists the cases; a case without a credentials file points at a
// path that does not exist, which is how the CLI sees a missing file.
func corpus(t testing.TB) []corpusCase {
	t.Helper()
	dirs, err := filepath.Glob("../testdata/config/[0-9][0-9]-*")
	if err != nil || len(dirs) == 0 {
		t.Fatalf("no corpus under ../testdata/config (%v)", err)
	}
	var cases []corpusCase
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			t.Fatal(err)
		}
		cases = append(cases, corpusCase{
			name:  filepath.Base(d),
			paths: Paths{Config: filepath.Join(abs, "config"), Credentials: filepath.Join(abs, "credentials")},
		})
	}
	return cases
}

// runCLI runs the oracle with only the two files as configuration.
func runCLI(t *testing.T, p Paths, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	cmd := exec.Command(awsCLI, args...)
	cmd.Env = []string{
		"HOME=" + t.TempDir(),
		"PATH=/usr/bin:/bin",
		"LANG=C.UTF-8", // Python reads the files with the locale's codec
		"AWS_CONFIG_FILE=" + p.Config,
		"AWS_SHARED_CREDENTIALS_FILE=" + p.Credentials,
		"AWS_PAGER=",
	}
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
	case errors.As(err, &exit):
		code = exit.ExitCode()
	default:
		t.Fatalf("run %s: %v", awsCLI, err)
	}
	return out.String(), errOut.String(), code
}

func TestCorpusSize(t *testing.T) {
	if n := len(corpus(t)); n < 35 {
		t.Fatalf("corpus has %d cases, want at least 35", n)
	}
}

var update = flag.Bool("update", false, "rewrite testdata/config/*/want from /usr/bin/aws")

// outcome is what a case's "want" file holds: the list-profiles output, or
// which file is refused.
func outcome(cfg *Config, err error, p Paths) string {
	var pe *ParseError
	if errors.As(err, &pe) {
		return "refused: " + filepath.Base(pe.Path) + "\n"
	}
	if err != nil {
		return "error: " + err.Error() + "\n"
	}
	var b strings.Builder
	for _, n := range cfg.Names() {
		b.WriteString(n + "\n")
	}
	return b.String()
}

// TestAgainstAWSCLI requires, for every corpus case, the same profile names
// in the same order as `aws configure list-profiles`, or that both refuse
// the same file. It also checks (or, with -update, writes) each case's
// "want" file, which TestCorpusGolden uses where the CLI is missing.
func TestAgainstAWSCLI(t *testing.T) {
	requireCLI(t)
	for _, tc := range corpus(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			stdout, stderr, code := runCLI(t, tc.paths, "configure", "list-profiles")
			cli := stdout
			if code != 0 {
				const prefix = "Unable to parse config file: "
				i := strings.Index(stderr, prefix)
				if i < 0 {
					t.Fatalf("aws exited %d without a parse error: %s", code, stderr)
				}
				cli = "refused: " + filepath.Base(strings.TrimSpace(stderr[i+len(prefix):])) + "\n"
			}
			wantFile := filepath.Join(filepath.Dir(tc.paths.Config), "want")
			if *update {
				if err := os.WriteFile(wantFile, []byte(cli), 0o644); err != nil {
					t.Fatal(err)
				}
			} else if golden, err := os.ReadFile(wantFile); err != nil || string(golden) != cli {
				t.Errorf("%s is %q, aws says %q; run go test -run TestAgainstAWSCLI -update", wantFile, golden, cli)
			}
			cfg, err := Load(tc.paths)
			if got := outcome(cfg, err, tc.paths); got != cli {
				t.Errorf("aws configure list-profiles (-) and Load (+) differ:\n%s\nLoad error: %v",
					cmp.Diff(strings.Split(cli, "\n"), strings.Split(got, "\n")), err)
			}
		})
	}
}

// TestCorpusGolden runs everywhere, CLI or not: Load must give each case's
// recorded CLI answer.
func TestCorpusGolden(t *testing.T) {
	for _, tc := range corpus(t) {
		t.Run(tc.name, func(t *testing.T) {
			golden, err := os.ReadFile(filepath.Join(filepath.Dir(tc.paths.Config), "want"))
			if err != nil {
				t.Fatalf("no recorded answer: %v; run go test -run TestAgainstAWSCLI -update where /usr/bin/aws is CLI v2", err)
			}
			cfg, err := Load(tc.paths)
			if got := outcome(cfg, err, tc.paths); got != string(golden) {
				t.Errorf("Load gives %q, the AWS CLI gave %q (error: %v)", got, golden, err)
			}
		})
	}
}

// TestResolvePathsAgainstAWSCLI checks "~", $VAR and set-but-empty
// variables: the CLI and ResolvePaths+Load must list the same profiles.
func TestResolvePathsAgainstAWSCLI(t *testing.T) {
	requireCLI(t)
	tests := []struct{ name, cfgVar, credVar string }{
		{"tilde", "~/sub/cfg", "~/sub/creds"},
		{"vars", "$CFGDIR/cfg", "${CFGDIR}/creds"},
		{"empty config var ignores ~/.aws/config", "", "~/sub/creds"},
		{"empty credentials var ignores ~/.aws/credentials", "~/sub/cfg", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			home := t.TempDir()
			for path, body := range map[string]string{
				"sub/cfg":          "[profile from-sub]\n",
				"sub/creds":        "[creds-from-sub]\n",
				".aws/config":      "[profile from-default-location]\n",
				".aws/credentials": "[creds-from-default-location]\n",
			} {
				full := filepath.Join(home, path)
				if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(full, []byte(body), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			env := map[string]string{"HOME": home, "CFGDIR": filepath.Join(home, "sub"),
				"AWS_CONFIG_FILE": tt.cfgVar, "AWS_SHARED_CREDENTIALS_FILE": tt.credVar}
			cmd := exec.Command(awsCLI, "configure", "list-profiles")
			cmd.Env = []string{"PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
			for k, v := range env {
				cmd.Env = append(cmd.Env, k+"="+v)
			}
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("aws: %v", err)
			}
			want := strings.Fields(string(out))
			lookup := func(k string) (string, bool) { v, ok := env[k]; return v, ok }
			cfg, err := Load(ResolvePaths("", "", lookup, home))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want, cfg.Names()); diff != "" {
				t.Errorf("names differ (-aws +ResolvePaths/Load):\n%s", diff)
			}
		})
	}
}
