package roles

import (
	"strings"
	"testing"

	"github.com/rolesw/rolesw/config"
)

// testConfig builds a merged *config.Config from a small ini-like text:
// "[name]" starts a profile (as merged, no "profile " prefix), "[sso-session
// name]" an SSO session, "key = value" lines fill the current section. It
// stands in for the config package's reader, which has its own tests; the
// planner only sees the merged result.
func testConfig(t testing.TB, text string) *config.Config {
	t.Helper()
	var profiles []*config.Profile
	sso := map[string]map[string]string{}
	var keys map[string]string
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
		case strings.HasPrefix(line, "[sso-session ") && strings.HasSuffix(line, "]"):
			keys = map[string]string{}
			sso[strings.TrimSuffix(strings.TrimPrefix(line, "[sso-session "), "]")] = keys
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			keys = map[string]string{}
			profiles = append(profiles, &config.Profile{Name: line[1 : len(line)-1], Keys: keys,
				File: "/home/u/.aws/config", Line: i + 1, InConfig: true})
		default:
			k, v, ok := strings.Cut(line, "=")
			if !ok || keys == nil {
				t.Fatalf("test config line %d: %q is not [section] or key = value", i+1, line)
			}
			keys[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return config.New(config.Paths{Config: "/home/u/.aws/config", Credentials: "/home/u/.aws/credentials"}, profiles, sso, nil)
}
