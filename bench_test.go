package main

import (
	"bufio"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/config/configgen"
	"github.com/rolesw/rolesw/roles"
)

// BenchmarkList is `rolesw list` without process start: read, resolve every
// profile, print the table.
func BenchmarkList20000(b *testing.B) {
	paths := writeGenerated(b, 20000)
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := config.Load(paths)
		if err != nil {
			b.Fatal(err)
		}
		w := bufio.NewWriter(io.Discard)
		if err := writeTable(w, listEntries(cfg, roles.Inputs{})); err != nil {
			b.Fatal(err)
		}
		w.Flush()
	}
}

// BenchmarkSwitcherEntries20000 is the switcher's start-up before the UI:
// read the files and plan every profile (ui's BenchmarkFirstFrame is the
// rest, up to the first frame).
func BenchmarkSwitcherEntries20000(b *testing.B) {
	paths := writeGenerated(b, 20000)
	b.ReportAllocs()
	for b.Loop() {
		cfg, err := config.Load(paths)
		if err != nil {
			b.Fatal(err)
		}
		plans, _ := resolveAll(cfg, roles.Inputs{})
		if len(plans) != 20000 {
			b.Fatal(len(plans))
		}
	}
}

func writeGenerated(b *testing.B, n int) config.Paths {
	b.Helper()
	dir := b.TempDir()
	c, cr := configgen.Generate(n, 1)
	paths := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	if err := os.WriteFile(paths.Config, c, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(paths.Credentials, cr, 0o600); err != nil {
		b.Fatal(err)
	}
	return paths
}
