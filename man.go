package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/cobra/doc"
	"github.com/spf13/pflag"
)

// newManCmd returns the hidden `rolesw man DIR` command. The release build
// runs it so the archives ship man pages made from the same help text and
// flags as the binary they sit beside, rather than a hand-kept copy.
func (a *app) newManCmd() *cobra.Command {
	return &cobra.Command{
		Use:    "man DIR",
		Short:  "Write a man page for every command into DIR",
		Hidden: true,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("man takes one argument, the directory to write the pages into (rolesw man ./man), got %d", len(args))
			}
			return nil
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			n, err := writeManPages(cmd.Root(), args[0])
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "wrote %d man pages to %s\n", n, args[0])
			return nil
		},
	}
}

// writeManPages writes rolesw.1, rolesw-exec.1, ... into dir, creating it,
// and returns how many pages it wrote.
func writeManPages(root *cobra.Command, dir string) (int, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return 0, fmt.Errorf("man pages: %w", err)
	}
	v, _, d := buildInfo()
	header := &doc.GenManHeader{
		Section: "1",
		Source:  "rolesw " + v,
		Manual:  "rolesw manual",
	}
	// Date the pages by the build, not by the clock, so two release builds
	// of one commit make identical archives. Without a stamped date cobra
	// falls back to SOURCE_DATE_EPOCH, then to today.
	if t, err := time.Parse(time.RFC3339, d); err == nil && !t.IsZero() {
		header.Date = &t
	}
	// The auto-generated footer carries today's date; drop it for the same
	// reason.
	root.DisableAutoGenTag = true
	escapeFlagPlaceholders(root)
	if err := doc.GenManTree(root, header, dir); err != nil {
		return 0, fmt.Errorf("man pages in %s: %w", dir, err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, fmt.Errorf("man pages: %w", err)
	}
	n := 0
	for _, e := range entries {
		if !e.IsDir() && filepath.Ext(e.Name()) == ".1" {
			n++
		}
	}
	if n == 0 {
		return 0, fmt.Errorf("man pages: none written to %s", dir)
	}
	return n, nil
}

// placeholder matches a <word> in help text, such as rolesw-<user>.
var placeholder = regexp.MustCompile(`<([A-Za-z][^<>]*)>`)

// escapeFlagPlaceholders backslash-escapes <word> placeholders in every
// flag's help. cobra hands the help to a markdown renderer, which reads
// <user> as an HTML tag and drops it, so the man page would say "rolesw--".
// Only flags: long descriptions hold shell examples such as
// "source <(rolesw completion bash)" in code blocks, where an escape would
// show. This runs in the short-lived `man` process only.
func escapeFlagPlaceholders(root *cobra.Command) {
	// A flag may be shared by several commands; escape it once.
	done := map[*pflag.Flag]bool{}
	var walk func(*cobra.Command)
	walk = func(cmd *cobra.Command) {
		cmd.LocalFlags().VisitAll(func(f *pflag.Flag) {
			if !done[f] {
				done[f] = true
				f.Usage = placeholder.ReplaceAllString(f.Usage, `\<$1\>`)
			}
		})
		for _, c := range cmd.Commands() {
			walk(c)
		}
	}
	walk(root)
}
