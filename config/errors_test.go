package config

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestParseErrors pins the message a user sees for each file the CLI
// refuses: the file, the line, what is wrong and how to fix it.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, config, credentials string
		want                      string
	}{
		{"duplicate section", "[profile a]\nx = 1\n\n[profile dev]\nx = 1\n[profile dev]\n", "",
			`unable to parse config file /c: line 6: duplicate section "profile dev" (first at line 4); remove or rename one`},
		{"duplicate key", "[profile dev]\nregion = a\noutput = json\nregion = b\n", "",
			`unable to parse config file /c: line 4: duplicate key "region" in section "profile dev"; remove one (key names ignore case)`},
		{"duplicate key differing in case", "[profile dev]\nregion = a\nREGION = b\n", "",
			`unable to parse config file /c: line 3: duplicate key "region" in section "profile dev"; remove one (key names ignore case)`},
		{"duplicate key across two [DEFAULT]", "[DEFAULT]\nregion = a\n[DEFAULT]\nregion = b\n", "",
			`unable to parse config file /c: line 4: duplicate key "region" in section "DEFAULT"; remove one (key names ignore case)`},
		{"no delimiter", "[profile dev]\n# c\njust_a_word\n", "",
			`unable to parse config file /c: line 3: line has no "=" or ":" (key = value expected)`},
		{"key before section", "\n# c\nRegion = us-east-1\n[default]\n", "",
			`unable to parse config file /c: line 3: key "region" before the first [section]; add a [profile NAME] header above it`},
		{"text before section, not quoted", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n[default]\n", "",
			`unable to parse config file /c: line 1: text before the first [section]; add a [profile NAME] header above it`},
		{"empty key", "[default]\n= x\n", "",
			`unable to parse config file /c: line 2: key name missing before "="; write key = value`},
		{"bom", "\ufeff[default]\n", "",
			`unable to parse config file /c: line 1: file starts with a UTF-8 byte order mark; save it without BOM`},
		{"invalid utf-8", "[default]\r\nregion = caf\xe9\r\n", "",
			`unable to parse config file /c: line 2: not valid UTF-8 (column 13); save the file as UTF-8`},
		{"invalid utf-8 after lone CR", "[default]\rx = \xff\r", "",
			`unable to parse config file /c: line 2: not valid UTF-8 (column 5); save the file as UTF-8`},
		{"bad nested block", "[profile dev]\ns3 =\n  max_concurrent_requests\n", "",
			`unable to parse config file /c: line 2: key "s3" in section "profile dev" has an empty value and indented lines, so it is read as a nested block, but one of them has no "="; write each indented line as name = value, or put the value on the key's line`},
		{"bad nested block inherited from [DEFAULT]", "[DEFAULT]\n\ns3 =\n  oops\n[profile dev]\n", "",
			`unable to parse config file /c: line 3: key "s3" in section "DEFAULT" has an empty value and indented lines, so it is read as a nested block, but one of them has no "="; write each indented line as name = value, or put the value on the key's line`},
		{"credentials file named", "[default]\n", "[default]\n[default]\n",
			`unable to parse config file /k: line 2: duplicate section "default" (first at line 1); remove or rename one`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.config), []byte(tt.credentials), Paths{Config: "/c", Credentials: "/k"})
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("Parse error = %v, want a *ParseError", err)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("Error() =\n  %s\nwant\n  %s", got, tt.want)
			}
			if strings.Contains(err.Error(), "EXAMPLEKEY") {
				t.Error("the error repeats the file's text, which may be a secret")
			}
		})
	}
}

func TestParseErrorWithoutLine(t *testing.T) {
	e := &ParseError{Path: "/x", Reason: "r"}
	if got, want := e.Error(), "unable to parse config file /x: r"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// TestLoadFiles covers what Load does with the file system: a missing file,
// a directory and "" read as empty, as for the CLI; an unreadable file is an
// error naming it.
func TestLoadFiles(t *testing.T) {
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "config")
	if err := os.WriteFile(cfgPath, []byte("[profile a]\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, p := range []Paths{
		{Config: cfgPath, Credentials: filepath.Join(dir, "missing")},
		{Config: cfgPath, Credentials: dir},
		{Config: cfgPath, Credentials: ""},
		{Config: cfgPath, Credentials: filepath.Join(cfgPath, "under-a-file")},
	} {
		cfg, err := Load(p)
		if err != nil {
			t.Fatalf("Load(%+v): %v", p, err)
		}
		if got := strings.Join(cfg.Names(), ","); got != "a" {
			t.Errorf("Load(%+v) names = %q, want a", p, got)
		}
		if cfg.Paths != p {
			t.Errorf("Config.Paths = %+v, want %+v", cfg.Paths, p)
		}
	}

	// An unreadable file is an error naming it. Root reads files whatever
	// their mode, so under root (CI) the file is one the kernel refuses to
	// read at offset 0 instead.
	locked, why := filepath.Join(dir, "locked"), "permission"
	if os.Geteuid() == 0 {
		if runtime.GOOS != "linux" {
			t.Skip("as root, only Linux has a file that cannot be read")
		}
		locked, why = "/proc/self/mem", "input/output error"
	} else if err := os.WriteFile(locked, []byte("[x]\n"), 0o000); err != nil {
		t.Fatal(err)
	}
	_, err := Load(Paths{Config: locked})
	if err == nil || !strings.Contains(err.Error(), locked) || !strings.Contains(err.Error(), why) {
		t.Errorf("Load of an unreadable file: %v, want an error naming it and saying %q", err, why)
	}
}
