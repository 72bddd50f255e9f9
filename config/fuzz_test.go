package config

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzParse: Parse never panics, and whatever it accepts obeys the rules a
// user relies on: unique names, a stable order, the merge order of the CLI,
// and clean keys and values.
func FuzzParse(f *testing.F) {
	dirs, _ := filepath.Glob("../testdata/config/[0-9][0-9]-*")
	for _, d := range dirs {
		c, _ := os.ReadFile(filepath.Join(d, "config"))
		k, _ := os.ReadFile(filepath.Join(d, "credentials"))
		f.Add(c, k)
	}
	f.Add([]byte("[profile a]\nx =\n  y = z\n\n  w\n"), []byte("[a]\nx = 1\n"))
	f.Fuzz(func(t *testing.T, configData, credentialsData []byte) {
		p := Paths{Config: "/c", Credentials: "/k"}
		cfg, err := Parse(configData, credentialsData, p)
		if err != nil {
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("error is not a *ParseError: %v", err)
			}
			if pe.Path != "/c" && pe.Path != "/k" {
				t.Fatalf("error names %q, not one of the files", pe.Path)
			}
			// A file refused alone is refused in any company.
			if pe.Path == "/c" {
				if _, err := Parse(configData, nil, p); err == nil {
					t.Fatal("config refused with credentials, accepted alone")
				}
			}
			return
		}
		if !utf8.Valid(configData) || !utf8.Valid(credentialsData) {
			t.Fatal("accepted invalid UTF-8")
		}

		names := cfg.Names()
		seen := map[string]bool{}
		for _, prof := range cfg.Profiles {
			if seen[prof.Name] {
				t.Fatalf("profile %q listed twice", prof.Name)
			}
			seen[prof.Name] = true
			if got, ok := cfg.Profile(prof.Name); !ok || got != prof {
				t.Fatalf("Profile(%q) does not return the listed profile", prof.Name)
			}
			if !prof.InConfig && !prof.InCredentials {
				t.Fatalf("profile %q comes from neither file", prof.Name)
			}
			if prof.Line < 1 {
				t.Fatalf("profile %q has line %d", prof.Name, prof.Line)
			}
			for k, v := range prof.Keys {
				if k == "" || pyStrip(k) != k {
					t.Fatalf("profile %q: key %q is empty or not stripped", prof.Name, k)
				}
				if pyRStrip(v) != v || (!strings.HasPrefix(v, "\n") && pyLStrip(v) != v) {
					t.Fatalf("profile %q: value of %q not stripped: %q", prof.Name, k, v)
				}
			}
		}

		// Same input, same answer.
		again, err := Parse(configData, credentialsData, p)
		if err != nil || !slices.Equal(again.Names(), names) {
			t.Fatalf("second parse differs: %v %v", again.Names(), err)
		}

		// The merge is the CLI's: config profiles in order, then the
		// credentials-only ones in their order.
		cfgOnly, err1 := Parse(configData, nil, p)
		credOnly, err2 := Parse(nil, credentialsData, p)
		if err1 != nil || err2 != nil {
			t.Fatalf("files accepted together, refused apart: %v %v", err1, err2)
		}
		want := cfgOnly.Names()
		for _, n := range credOnly.Names() {
			if _, ok := cfgOnly.Profile(n); !ok {
				want = append(want, n)
			}
		}
		if !slices.Equal(want, names) {
			t.Fatalf("merged order %q, want %q", names, want)
		}
		// And the credentials file wins key by key.
		for _, cp := range credOnly.Profiles {
			merged, _ := cfg.Profile(cp.Name)
			for k, v := range cp.Keys {
				if merged.Keys[k] != v {
					t.Fatalf("profile %q key %q: credentials value lost in the merge", cp.Name, k)
				}
			}
		}
	})
}
