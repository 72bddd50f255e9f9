package configgen

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rolesw/rolesw/config"
)

func TestGenerateIsDeterministic(t *testing.T) {
	c1, k1 := Generate(500, 7)
	c2, k2 := Generate(500, 7)
	if !bytes.Equal(c1, c2) || !bytes.Equal(k1, k2) {
		t.Fatal("Generate(500, 7) differs between two calls")
	}
	c3, _ := Generate(500, 8)
	if bytes.Equal(c1, c3) {
		t.Fatal("seeds 7 and 8 give the same config")
	}
}

func load(t *testing.T, n int, seed int64) *config.Config {
	t.Helper()
	c, k := Generate(n, seed)
	cfg, err := config.Parse(c, k, config.Paths{Config: "gen/config", Credentials: "gen/credentials"})
	if err != nil {
		t.Fatalf("Generate(%d, %d) does not parse: %v", n, seed, err)
	}
	return cfg
}

// TestGenerateMix checks what users of the generator rely on: the profile
// count, bench-role over bench-user, and a valid, acyclic mix of every kind.
func TestGenerateMix(t *testing.T) {
	for _, n := range []int{0, 3, 4, 10, 2000} {
		if got := len(load(t, n, 1).Profiles); got != max(n, 3) {
			t.Errorf("Generate(%d) has %d profiles, want %d", n, got, max(n, 3))
		}
	}
	cfg := load(t, 2000, 42)
	role, ok := cfg.Profile(BenchRole)
	if !ok {
		t.Fatal("no bench-role")
	}
	if role.Value("role_arn") != BenchRoleARN || role.Value("source_profile") != BenchUser {
		t.Errorf("bench-role = %v", role.Keys)
	}
	user, ok := cfg.Profile(BenchUser)
	if !ok || user.Value("aws_access_key_id") == "" || user.Value("aws_secret_access_key") == "" || user.Value("role_arn") != "" {
		t.Fatal("bench-user is not a static-key user")
	}

	counts := map[string]int{}
	for _, p := range cfg.Profiles {
		switch {
		case p.Value("sso_session") != "":
			if _, ok := cfg.SSOSessions[p.Value("sso_session")]; !ok {
				t.Errorf("%s: sso_session %q has no [sso-session] section", p.Name, p.Value("sso_session"))
			}
			counts["sso"]++
		case p.Value("credential_source") != "":
			counts["credential_source"]++
		case p.Value("role_arn") != "":
			hops := 0
			for q := p; q.Value("role_arn") != ""; hops++ {
				next, ok := cfg.Profile(q.Value("source_profile"))
				if !ok || hops > 3 {
					t.Fatalf("%s: broken or cyclic chain at %s", p.Name, q.Name)
				}
				q = next
			}
			counts["hops"+string(rune('0'+hops))]++
			if p.Value("mfa_serial") != "" {
				counts["mfa"]++
			}
			if p.Value("duration_seconds") != "" {
				counts["duration"]++
			}
			if p.Value("rolesw_max_session_duration") != "" {
				counts["max"]++
			}
		case p.Value("aws_access_key_id") != "":
			if !strings.HasPrefix(p.Value("aws_access_key_id"), "AKIAFAKE") {
				t.Errorf("%s: key id does not look fake", p.Name)
			}
			counts["user"]++
		}
	}
	for _, kind := range []string{"sso", "credential_source", "hops1", "hops2", "hops3", "mfa", "duration", "max", "user"} {
		if counts[kind] < 10 {
			t.Errorf("only %d profiles of kind %s in 2000: %v", counts[kind], kind, counts)
		}
	}
}

// TestGenerateAgainstAWSCLI: the AWS CLI lists the generated profiles in
// the same order as package config.
func TestGenerateAgainstAWSCLI(t *testing.T) {
	const aws = "/usr/bin/aws"
	if out, err := exec.Command(aws, "--version").Output(); err != nil || !bytes.HasPrefix(out, []byte("aws-cli/2")) {
		if os.Getenv("CI") != "" {
			t.Fatalf("AWS CLI v2 needed at %s", aws)
		}
		t.Skipf("AWS CLI v2 needed at %s", aws)
	}
	dir := t.TempDir()
	c, k := Generate(2000, 3)
	p := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	if err := os.WriteFile(p.Config, c, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p.Credentials, k, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(aws, "configure", "list-profiles")
	cmd.Env = []string{"HOME=" + dir, "PATH=/usr/bin:/bin", "LANG=C.UTF-8",
		"AWS_CONFIG_FILE=" + p.Config, "AWS_SHARED_CREDENTIALS_FILE=" + p.Credentials}
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws configure list-profiles: %v", err)
	}
	cfg, err := config.Load(p)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(cfg.Names(), "\n")+"\n", string(out); got != want {
		t.Errorf("names differ from the AWS CLI's (%d vs %d lines)", strings.Count(got, "\n"), strings.Count(want, "\n"))
	}
}
