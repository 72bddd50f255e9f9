package config_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/config/configgen"
	"gopkg.in/ini.v1"
)

// writeGenerated writes configgen's files for n profiles into a temp dir.
func writeGenerated(b *testing.B, n int) config.Paths {
	b.Helper()
	dir := b.TempDir()
	c, k := configgen.Generate(n, 1)
	p := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	if err := os.WriteFile(p.Config, c, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(p.Credentials, k, 0o600); err != nil {
		b.Fatal(err)
	}
	return p
}

func benchmarkLoad(b *testing.B, n int) {
	p := writeGenerated(b, n)
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := config.Load(p)
		if err != nil {
			b.Fatal(err)
		}
		if len(cfg.Profiles) != n {
			b.Fatalf("%d profiles, want %d", len(cfg.Profiles), n)
		}
	}
}

// BenchmarkLoad2000 and BenchmarkLoad20000 time Load, file reads included.
func BenchmarkLoad2000(b *testing.B)  { benchmarkLoad(b, 2000) }
func BenchmarkLoad20000(b *testing.B) { benchmarkLoad(b, 20000) }

// BenchmarkINIv1 is the alternative that was measured and not chosen:
// gopkg.in/ini.v1 loading the same two files, without the CLI-parity work
// (duplicates, [DEFAULT], continuation clean-up, shlex, merge) that would
// still have to be done by a scanner of our own on top.
func BenchmarkINIv1(b *testing.B) {
	p := writeGenerated(b, 20000)
	for _, bc := range []struct {
		name string
		opts ini.LoadOptions
	}{
		{"default-options", ini.LoadOptions{}},
		{"AWS-CONFIG-9.2-options", ini.LoadOptions{
			IgnoreInlineComment:        true,
			InsensitiveKeys:            true,
			AllowPythonMultilineValues: true,
			PreserveSurroundedQuote:    true,
			AllowNonUniqueSections:     true,
			AllowShadows:               true,
			ChildSectionDelimiter:      "\x00",
		}},
		{"9.2-options-without-python-multiline", ini.LoadOptions{
			IgnoreInlineComment:     true,
			InsensitiveKeys:         true,
			PreserveSurroundedQuote: true,
			AllowNonUniqueSections:  true,
			AllowShadows:            true,
			ChildSectionDelimiter:   "\x00",
		}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				f, err := ini.LoadSources(bc.opts, p.Config, p.Credentials)
				if err != nil {
					b.Fatal(err)
				}
				// Reading every key is part of the job.
				for _, s := range f.Sections() {
					_ = s.KeysHash()
				}
			}
		})
	}
}
