package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// completionConfig is an AWS config with names that trip up completion
// scripts: a dash and a dot.
const completionConfig = `[profile dev]
region = eu-west-1

[profile prod-admin]
role_arn = arn:aws:iam::123456789012:role/Admin
source_profile = dev

[profile team.ops]
role_arn = arn:aws:iam::210987654321:role/Ops
source_profile = dev
`

var completionProfiles = []string{"dev", "prod-admin", "team.ops"}

// completionEnv writes the test config and returns the binary and an
// environment that points rolesw at that config and at an empty HOME.
func completionEnv(t *testing.T) (exe string, env []string) {
	t.Helper()
	exe = buildRolesw(t, "")
	dir := t.TempDir()
	cfg := filepath.Join(dir, "config")
	if err := os.WriteFile(cfg, []byte(completionConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	home := filepath.Join(dir, "home")
	if err := os.Mkdir(home, 0o700); err != nil {
		t.Fatal(err)
	}
	env = []string{
		"HOME=" + home,
		"AWS_CONFIG_FILE=" + cfg,
		"AWS_SHARED_CREDENTIALS_FILE=" + filepath.Join(dir, "credentials"),
		// The bash script calls the program by its name, as a shell would.
		"PATH=" + filepath.Dir(exe) + string(os.PathListSeparator) + os.Getenv("PATH"),
	}
	return exe, env
}

// completeLines runs cobra's hidden `__complete` entry, which the bash, zsh,
// fish and powershell scripts all call, and returns the candidates and the
// directive line (":4" is ShellCompDirectiveNoFileComp).
func completeLines(t *testing.T, exe string, env []string, args ...string) (candidates []string, directive string) {
	t.Helper()
	out := strings.TrimRight(runRolesw(t, exe, env, append([]string{"__complete"}, args...)...), "\n")
	lines := strings.Split(out, "\n")
	return lines[:len(lines)-1], lines[len(lines)-1]
}

// TestCompleteProfiles checks the candidates every shell receives.
func TestCompleteProfiles(t *testing.T) {
	exe, env := completionEnv(t)
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"exec", []string{"exec", ""}, completionProfiles},
		{"env", []string{"env", ""}, completionProfiles},
		// The shells filter by prefix, so every name comes back.
		{"exec with a prefix", []string{"exec", "pro"}, completionProfiles},
		// A second argument of exec is a command, not a profile.
		{"exec after the profile", []string{"exec", "dev", ""}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, directive := completeLines(t, exe, env, tt.args...)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rolesw __complete %q candidates (-want +got):\n%s", tt.args, diff)
			}
			if directive != ":4" {
				t.Errorf("rolesw __complete %q directive = %q, want \":4\" (no file completion)", tt.args, directive)
			}
		})
	}

	t.Run("root offers profiles and commands", func(t *testing.T) {
		got, _ := completeLines(t, exe, env, "")
		names := map[string]bool{}
		for _, line := range got {
			name, _, _ := strings.Cut(line, "\t") // commands carry a tab and a description
			names[name] = true
		}
		for _, want := range append([]string{"exec", "list", "env", "version"}, completionProfiles...) {
			if !names[want] {
				t.Errorf("rolesw __complete \"\" lacks %q; got %q", want, got)
			}
		}
	})

	t.Run("--config beats AWS_CONFIG_FILE", func(t *testing.T) {
		other := filepath.Join(t.TempDir(), "other-config")
		if err := os.WriteFile(other, []byte("[profile sandbox]\nregion = us-east-1\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		got, _ := completeLines(t, exe, env, "--config", other, "exec", "")
		if diff := cmp.Diff([]string{"sandbox"}, got); diff != "" {
			t.Errorf("candidates with --config %s (-want +got):\n%s", other, diff)
		}
	})

	t.Run("unreadable config completes nothing", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad-config")
		if err := os.WriteFile(bad, []byte("region = eu-west-1\n[profile x\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		got, directive := completeLines(t, exe, env, "--config", bad, "exec", "")
		if len(got) != 0 || directive != ":5" {
			t.Errorf("candidates from a broken config = %q %s, want none and \":5\" (error, no files)", got, directive)
		}
	})
}

// TestCompletionScripts checks that each shell's script is produced and goes
// through `__complete`, the path TestCompleteProfiles covers.
func TestCompletionScripts(t *testing.T) {
	exe, env := completionEnv(t)
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		t.Run(shell, func(t *testing.T) {
			script := runRolesw(t, exe, env, "completion", shell)
			if !strings.Contains(script, "__complete") {
				t.Errorf("rolesw completion %s does not call __complete:\n%.400s", shell, script)
			}
		})
	}
}

// bashCompletionLib loads the bash-completion package, which cobra's bash
// script relies on for _get_comp_words_by_ref, as a user's interactive bash
// does. Where the package is not installed (a bare CI image) a stand-in
// defines the one function the script calls, from the COMP_* variables
// bash sets; words are not re-joined around ":" and "=", which profile names
// here do not contain.
const bashCompletionLib = `
for f in /usr/share/bash-completion/bash_completion /etc/bash_completion \
  /opt/homebrew/etc/profile.d/bash_completion.sh /usr/local/etc/profile.d/bash_completion.sh; do
  if [[ -r $f ]]; then source "$f"; break; fi
done
if ! declare -F _get_comp_words_by_ref >/dev/null; then
  _get_comp_words_by_ref() {
    words=("${COMP_WORDS[@]}")
    cword=$COMP_CWORD
    cur=${COMP_WORDS[COMP_CWORD]}
    prev=${COMP_WORDS[COMP_CWORD-1]}
  }
fi
`

// TestBashCompletion sources `rolesw completion bash` in a bare bash and
// presses tab the way bash does: fill COMP_WORDS and friends, call the
// completion function, read COMPREPLY.
func TestBashCompletion(t *testing.T) {
	if runtime.GOOS == "windows" {
		// Git Bash cannot use a Windows PATH to find rolesw.exe by name.
		t.Skip("bash completion is tested on Unix; __complete is tested everywhere")
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("bash is needed for this test in CI: %v", err)
		}
		t.Skipf("bash not found, skipping the bash completion test: %v", err)
	}
	exe, env := completionEnv(t)
	script := filepath.Join(t.TempDir(), "rolesw.bash")
	if err := os.WriteFile(script, []byte(runRolesw(t, exe, env, "completion", "bash")), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		line string // what was typed before tab
		want []string
	}{
		{"rolesw exec ", completionProfiles},
		{"rolesw env ", completionProfiles},
		{"rolesw exec pro", []string{"prod-admin"}},
		{"rolesw exec team.", []string{"team.ops"}},
		{"rolesw te", []string{"team.ops"}},
		{"rolesw exec nosuch", nil},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			// The words, as bash splits the line; a trailing space starts an
			// empty word.
			words := strings.Fields(tt.line)
			if strings.HasSuffix(tt.line, " ") {
				words = append(words, "")
			}
			quoted := make([]string, len(words))
			for i, w := range words {
				quoted[i] = "'" + w + "'"
			}
			prog := bashCompletionLib + `
source "$1"
COMP_WORDS=(` + strings.Join(quoted, " ") + `)
COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
COMP_LINE='` + tt.line + `'
COMP_POINT=${#COMP_LINE}
COMP_TYPE=9
__start_rolesw
printf '%s\n' "${COMPREPLY[@]}"
`
			cmd := exec.Command(bash, "--norc", "--noprofile", "-c", prog, "bash", script)
			cmd.Env = env
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("bash completion of %q: %v\n%s", tt.line, err, stderr.String())
			}
			// Outside a real tab press bash refuses compopt (the script's
			// "no file completion" switch) with this one message; anything
			// else on stderr is a broken script.
			for _, line := range strings.Split(strings.TrimSpace(stderr.String()), "\n") {
				if line != "" && !strings.HasSuffix(line, "compopt: not currently executing completion function") {
					t.Errorf("bash completion of %q wrote to stderr: %s", tt.line, line)
				}
			}
			var got []string
			for _, s := range strings.Split(string(out), "\n") {
				if s = strings.TrimSpace(s); s != "" {
					got = append(got, s)
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(tt.want, got, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("tab after %q: COMPREPLY (-want +got):\n%s", tt.line, diff)
			}
		})
	}
}
