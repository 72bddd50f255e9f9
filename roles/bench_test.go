package roles

import (
	"fmt"
	"testing"

	"github.com/rolesw/rolesw/config"
)

// bigConfig builds n profiles the way an organisation's generated config
// looks: a few base profiles (keys, SSO), then roles per account, each a
// hop or two above a base, some with MFA, external ids and durations.
func bigConfig(n int) *config.Config {
	profiles := make([]*config.Profile, 0, n)
	add := func(name string, keys map[string]string) {
		profiles = append(profiles, &config.Profile{Name: name, Keys: keys, File: "/home/u/.aws/config", Line: len(profiles)*6 + 1, InConfig: true})
	}
	add("default", map[string]string{"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "secret", "region": "eu-west-1"})
	add("sso", map[string]string{"sso_session": "corp", "sso_account_id": "111111111111", "sso_role_name": "Jump", "region": "eu-west-1"})
	add("jump", map[string]string{"role_arn": "arn:aws:iam::111111111111:role/Jump", "source_profile": "default", "mfa_serial": "arn:aws:iam::111111111111:mfa/alice"})
	for i := 0; len(profiles) < n; i++ {
		acct := fmt.Sprintf("%012d", 200000000000+i/4)
		keys := map[string]string{
			"role_arn": fmt.Sprintf("arn:aws:iam::%s:role/team-%d/Role%d", acct, i%50, i%4),
			"region":   []string{"eu-west-1", "us-east-1", "ap-southeast-2"}[i%3],
		}
		switch i % 4 {
		case 0:
			keys["source_profile"] = "default"
			keys["duration_seconds"] = "7200"
		case 1:
			keys["source_profile"] = "jump"
			keys["external_id"] = "ext-" + acct
		case 2:
			keys["source_profile"] = "sso"
		case 3:
			keys["source_profile"] = fmt.Sprintf("acct-%d-role-%d", i-1, (i-1)%4)
			keys["role_session_name"] = "alice"
		}
		add(fmt.Sprintf("acct-%d-role-%d", i, i%4), keys)
	}
	sso := map[string]map[string]string{"corp": {"sso_start_url": "https://corp.awsapps.com/start", "sso_region": "eu-west-1"}}
	return config.New(config.Paths{Config: "/home/u/.aws/config"}, profiles, sso, nil)
}

func BenchmarkResolve(b *testing.B) {
	cfg := bigConfig(20000)
	names := cfg.Names()
	in := Inputs{LearnedMax: map[string]int{"arn:aws:iam::200000000000:role/team-0/Role0": 14400}}
	// Every profile must resolve, or the benchmark measures error paths.
	for _, n := range names {
		if _, err := Resolve(cfg, n, in); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("one", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := Resolve(cfg, names[i%len(names)], in); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
	b.Run("all-20000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			for _, n := range names {
				if _, err := Resolve(cfg, n, in); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("not-found", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Resolve(cfg, "acct-12-rol", in); err == nil {
				b.Fatal("want not found")
			}
		}
	})
}
