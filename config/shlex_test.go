package config

import (
	"slices"
	"testing"
)

// TestShlexSplit pins shlexSplit and secondWord to Python 3.11's
// shlex.split, whose answers (nil: ValueError) were recorded from
// /usr/bin/python3.
func TestShlexSplit(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"profile a", []string{"profile", "a"}},
		{"profile  a  ", []string{"profile", "a"}},
		{"profile \"a b\"", []string{"profile", "a b"}},
		{"profile 'a b'", []string{"profile", "a b"}},
		{"profile a\\ b", []string{"profile", "a b"}},
		{"profile a\\", nil},
		{"profile \"a", nil},
		{"profile 'a\\'", []string{"profile", "a\\"}},
		{"profile \"a\\\"b\"", []string{"profile", "a\"b"}},
		{"profile \"a\\x\"", []string{"profile", "a\\x"}},
		{"profile \"\"", []string{"profile", ""}},
		{"profile ''", []string{"profile", ""}},
		{"profile a\"\"b", []string{"profile", "ab"}},
		{"profile #x", []string{"profile", "#x"}},
		{"profile\ta", []string{"profile", "a"}},
		{"profile a\\\\b", []string{"profile", "a\\b"}},
		{"profile 'it'\"s\"", []string{"profile", "its"}},
		{"profile a\"b c\"d", []string{"profile", "ab cd"}},
		{"profile", []string{"profile"}},
	}
	for _, tt := range tests {
		got, err := shlexSplit(tt.in)
		if tt.want == nil {
			if err == nil {
				t.Errorf("shlexSplit(%q) = %q, want an error", tt.in, got)
			}
		} else if err != nil || !slices.Equal(got, tt.want) {
			t.Errorf("shlexSplit(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		name, ok := secondWord(tt.in)
		if wantOK := len(tt.want) == 2; ok != wantOK || (ok && name != tt.want[1]) {
			t.Errorf("secondWord(%q) = %q, %v", tt.in, name, ok)
		}
	}
}

func TestPyLower(t *testing.T) {
	// Recorded from Python 3.11's str.lower.
	for in, want := range map[string]string{
		"Region": "region", "İ": "i\u0307", "ΣΑΣ": "σας", "Σ": "σ", "AΣ.": "aς.", "ÀÉ": "àé",
	} {
		if got := pyLower(in); got != want {
			t.Errorf("pyLower(%q) = %q, want %q", in, got, want)
		}
	}
}
