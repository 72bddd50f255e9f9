package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"os/exec"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// dumpScript asks the CLI's own botocore (the code /usr/bin/aws runs) for
// Session.full_config of every case: the merged keys of every profile and
// the sso-session sections, exactly as `aws configure get` would read them.
const dumpScript = `
import json, os, sys
from awscli.botocore.session import Session
out = {}
for name, cfg, cred in json.load(sys.stdin):
    os.environ["AWS_CONFIG_FILE"] = cfg
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = cred
    try:
        full = Session().full_config
        out[name] = {"names": list(full["profiles"]), "profiles": full["profiles"],
                     "sso_sessions": full.get("sso_sessions", {})}
    except Exception as e:  # the vendored class is not importable by one name
        if type(e).__name__ != "ConfigParseError":
            raise
        out[name] = {"refused": True}
json.dump(out, sys.stdout)
`

type botocoreCase struct {
	Refused     bool                      `json:"refused"`
	Names       []string                  `json:"names"`
	Profiles    map[string]map[string]any `json:"profiles"`
	SSOSessions map[string]map[string]any `json:"sso_sessions"`
}

// TestKeysAgainstBotocore compares every key of every profile and sso-session
// of every corpus case with what the AWS CLI's botocore reads.
func TestKeysAgainstBotocore(t *testing.T) {
	requireCLI(t)
	cases := corpus(t)
	want := botocoreDump(t, cases)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { compareWithBotocore(t, tc.paths, want[tc.name]) })
	}
}

// botocoreDump runs dumpScript once over all cases.
func botocoreDump(t *testing.T, cases []corpusCase) map[string]botocoreCase {
	t.Helper()
	var in [][3]string
	for _, tc := range cases {
		in = append(in, [3]string{tc.name, tc.paths.Config, tc.paths.Credentials})
	}
	input, _ := json.Marshal(in)
	cmd := exec.Command("/usr/bin/python3", "-c", dumpScript)
	cmd.Env = []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "LANG=C.UTF-8"}
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("botocore dump: %v\n%s", err, stderr.String())
	}
	var want map[string]botocoreCase
	if err := json.Unmarshal(out, &want); err != nil {
		t.Fatal(err)
	}
	if len(want) != len(cases) {
		t.Fatalf("botocore dump has %d cases, want %d", len(want), len(cases))
	}
	return want
}

func compareWithBotocore(t *testing.T, p Paths, w botocoreCase) {
	t.Helper()
	cfg, err := Load(p)
	if w.Refused || err != nil {
		if w.Refused != (err != nil) {
			t.Fatalf("botocore refused=%v, Load error: %v", w.Refused, err)
		}
		return
	}
	if w.Names == nil {
		w.Names = []string{}
	}
	if diff := cmp.Diff(w.Names, cfg.Names()); diff != "" {
		t.Errorf("profile names differ (-botocore +Load):\n%s", diff)
	}
	got := map[string]map[string]any{}
	for _, prof := range cfg.Profiles {
		got[prof.Name] = asBotocore(prof.Keys)
	}
	if diff := cmp.Diff(redact(w.Profiles), redact(got)); diff != "" {
		t.Errorf("profile keys differ (-botocore +Load):\n%s", diff)
	}
	gotSSO := map[string]map[string]any{}
	for name, keys := range cfg.SSOSessions {
		gotSSO[name] = asBotocore(keys)
	}
	if diff := cmp.Diff(w.SSOSessions, gotSSO); diff != "" {
		t.Errorf("sso-sessions differ (-botocore +Load):\n%s", diff)
	}
}

// asBotocore turns raw values into botocore's shape: a value that starts with
// "\n" is a nested block, which botocore splits into a dict.
func asBotocore(keys map[string]string) map[string]any {
	m := make(map[string]any, len(keys))
	for k, v := range keys {
		if !strings.HasPrefix(v, "\n") {
			m[k] = v
			continue
		}
		nested := map[string]any{}
		for _, l := range pySplitLines(v) {
			if l = pyStrip(l); l != "" {
				k2, v2, _ := strings.Cut(l, "=")
				nested[pyStrip(k2)] = pyStrip(v2)
			}
		}
		m[k] = nested
	}
	return m
}

// redact replaces secret values by a fingerprint, so a failing diff shows
// that they differ without printing them.
func redact(profiles map[string]map[string]any) map[string]map[string]any {
	out := make(map[string]map[string]any, len(profiles))
	for name, keys := range profiles {
		r := make(map[string]any, len(keys))
		for k, v := range keys {
			if s, ok := v.(string); ok && isSecretKey(k) {
				h := fnv.New32a()
				h.Write([]byte(s))
				v = fmt.Sprintf("<secret %08x>", h.Sum32())
			}
			r[k] = v
		}
		out[name] = r
	}
	return out
}

func isSecretKey(k string) bool {
	return k == "aws_secret_access_key" || k == "aws_session_token" || k == "aws_security_token"
}

// TestConfigureGet checks a few values through `aws configure get`, the
// command a user would run: quotes and inline comments kept, [DEFAULT]
// inherited, the credentials file winning, continuation lines joined.
func TestConfigureGet(t *testing.T) {
	requireCLI(t)
	byName := map[string]Paths{}
	for _, tc := range corpus(t) {
		byName[tc.name] = tc.paths
	}
	checks := []struct{ corpus, profile, key string }{
		{"03-inline-comments", "tail", "region"},
		{"03-inline-comments", "tail", "output"},
		{"04-quotes", "quoted name", "region"},
		{"04-quotes", "plain", "role_session_name"},
		{"05-continuation", "cont", "description"},
		{"08-default-then-profile-default", "default", "region"},
		{"17-DEFAULT-section", "dev", "region"},
		{"17-DEFAULT-section", "other", "output"},
		{"33-continuation-kv", "cont", "aws_access_key_id"},
		{"47-credentials-override", "both", "role_arn"},
		{"47-credentials-override", "base", "region"},
		{"50-delimiters", "delims", "colon"},
	}
	var mu sync.Mutex
	loaded := map[string]*Config{}
	for _, c := range checks {
		t.Run(c.corpus+"/"+c.profile+"/"+c.key, func(t *testing.T) {
			t.Parallel()
			p := byName[c.corpus]
			stdout, stderr, code := runCLI(t, p, "configure", "get", c.key, "--profile", c.profile)
			if code != 0 {
				t.Fatalf("aws configure get exited %d: %s", code, stderr)
			}
			mu.Lock()
			cfg, ok := loaded[c.corpus]
			if !ok {
				var err error
				if cfg, err = Load(p); err != nil {
					mu.Unlock()
					t.Fatal(err)
				}
				loaded[c.corpus] = cfg
			}
			mu.Unlock()
			prof, ok := cfg.Profile(c.profile)
			if !ok {
				t.Fatalf("Load has no profile %q", c.profile)
			}
			got, ok := prof.Get(c.key)
			if want := strings.TrimSuffix(stdout, "\n"); !ok || got != want {
				t.Errorf("value of %s: aws prints %q, Load has %q (set %v)", c.key, want, got, ok)
			}
		})
	}
}
