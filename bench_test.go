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
	dir := b.TempDir()
	c, cr := configgen.Generate(20000, 1)
	paths := config.Paths{Config: filepath.Join(dir, "config"), Credentials: filepath.Join(dir, "credentials")}
	if err := os.WriteFile(paths.Config, c, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(paths.Credentials, cr, 0o600); err != nil {
		b.Fatal(err)
	}
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
