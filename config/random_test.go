package config

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Fragments of odd files: each line is a case configparser, botocore's
// nesting or shlex treats specially.
var (
	randomHeaders = []string{
		"[default]", "[profile default]", "[DEFAULT]", "[ default ]", "[Default]",
		"[profile a]", "[profile b]", "[profile \"a\"]", "[profile 'b']", "[profile a b]",
		"[profile \"x y\"]", "[profile a\\ b]", "[profile a\\]", "[profile \"open]", "[profile]",
		"[profiles a]", "[sso-session s]", "[sso-session \"s\"]", "[services x]", "[plain]",
		"[a]", "[b]", "[profile #h]", "[profile a] ; tail", "[profile a]b]", "[]", "[profile \"\"]",
		"  [profile c]", "\t[profile d]", "[profile\ta]", "[profile é]", "[profile Σ]",
	}
	randomLines = []string{
		"region = r1", "Region = r2", "REGION: r3", "output=json", "k = a = b", "k2 : a: b",
		"my key = v", "empty =", "q = \"quoted\"", "c = v # not a comment", "s = v;x",
		"  cont", "    deeper", "\tk = v", "  [profile swallowed]", "  # indented comment",
		"# comment", "; comment", "", "   ", "s3 =", "  a = b", "  a: b", "  bare",
		"word", "= x", "x\u00a0= nbsp", "\u00a0 nbsp-indented", "ΣΑΣ = greek", "İ = dotted",
		"i̇ = dotted-lower", "σας = lower", "v = \u2028sep", "k3 = a\x0bb", "  z = \x1cq",
		"aws_access_key_id = AKIAFAKE", "role_arn = arn:aws:iam::1:role/r", "source_profile = a",
	}
	randomEOL = []string{"\n", "\n", "\n", "\r\n", "\r"}
)

func randomFile(r *rand.Rand) string {
	var b strings.Builder
	for range r.IntN(12) {
		var l string
		if r.IntN(4) == 0 {
			l = randomHeaders[r.IntN(len(randomHeaders))]
		} else {
			l = randomLines[r.IntN(len(randomLines))]
		}
		if r.IntN(3) == 0 {
			l = strings.Repeat(" ", r.IntN(3)) + l
		}
		b.WriteString(l)
		b.WriteString(randomEOL[r.IntN(len(randomEOL))])
	}
	s := b.String()
	if r.IntN(4) == 0 {
		s = strings.TrimRight(s, "\r\n") // a last line without end of line
	}
	return s
}

// TestRandomFilesAgainstBotocore judges 600 random files, built from the odd
// lines above, with the CLI's botocore: same refusals, names, order and keys.
// Starting each file with a header makes most of them acceptable, so the
// comparison of names and keys gets exercised too.
func TestRandomFilesAgainstBotocore(t *testing.T) {
	requireCLI(t)
	r := rand.New(rand.NewPCG(2026, 11))
	dir := t.TempDir()
	var cases []corpusCase
	for i := range 600 {
		cfg, cred := randomFile(r), randomFile(r)
		if r.IntN(3) > 0 {
			cfg = randomHeaders[r.IntN(len(randomHeaders))] + "\n" + cfg
		}
		if r.IntN(3) > 0 {
			cred = randomHeaders[r.IntN(len(randomHeaders))] + "\n" + cred
		}
		d := filepath.Join(dir, fmt.Sprint(i))
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
		p := Paths{Config: filepath.Join(d, "config"), Credentials: filepath.Join(d, "credentials")}
		if err := os.WriteFile(p.Config, []byte(cfg), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p.Credentials, []byte(cred), 0o600); err != nil {
			t.Fatal(err)
		}
		cases = append(cases, corpusCase{name: fmt.Sprint(i), paths: p})
	}
	want := botocoreDump(t, cases)
	accepted := 0
	for _, tc := range cases {
		w := want[tc.name]
		if !w.Refused {
			accepted++
		}
		t.Run(tc.name, func(t *testing.T) {
			compareWithBotocore(t, tc.paths, w)
			if t.Failed() {
				c, _ := os.ReadFile(tc.paths.Config)
				k, _ := os.ReadFile(tc.paths.Credentials)
				t.Logf("config: %q\ncredentials: %q", c, k)
			}
		})
	}
	if accepted < 60 {
		t.Errorf("only %d of 600 random cases accepted by botocore: the names and keys comparison is barely exercised", accepted)
	}
	t.Logf("%d of %d random cases accepted by botocore", accepted, len(cases))
}
