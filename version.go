package main

import (
	"fmt"
	"runtime/debug"

	"github.com/spf13/cobra"
)

// Stamped by the release build:
// -X main.version=1.2.3 -X main.commit=abc1234 -X main.date=2026-11-26T00:00:00Z
var (
	version = ""
	commit  = ""
	date    = ""
)

// buildInfo returns the version, commit and date, falling back to what the
// Go toolchain recorded (go install, go build in a clone).
func buildInfo() (v, c, d string) {
	v, c, d = version, commit, date
	if bi, ok := debug.ReadBuildInfo(); ok {
		if v == "" && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
			v = bi.Main.Version
		}
		for _, s := range bi.Settings {
			switch s.Key {
			case "vcs.revision":
				if c == "" {
					c = s.Value
				}
			case "vcs.time":
				if d == "" {
					d = s.Value
				}
			}
		}
	}
	if v == "" {
		v = "dev"
	}
	if c == "" {
		c = "unknown"
	}
	if len(c) > 12 {
		c = c[:12]
	}
	return v, c, d
}

func (a *app) newVersionCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print the version and commit",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			v, c, d := buildInfo()
			if d != "" {
				fmt.Fprintf(a.stdout, "rolesw %s (commit %s, built %s)\n", v, c, d)
			} else {
				fmt.Fprintf(a.stdout, "rolesw %s (commit %s)\n", v, c)
			}
			return nil
		},
	}
}
