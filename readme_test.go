package main

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
)

// readmeCommands returns every rolesw command line of the README: in code
// blocks, and in `inline code` that starts with "rolesw ".
func readmeCommands(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	inBlock := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "```") {
			inBlock = !inBlock
			continue
		}
		if inBlock {
			for _, m := range regexp.MustCompile(`(?:^|\$\(|= )(rolesw(?: [^|)#"]*)?)`).FindAllStringSubmatch(line, -1) {
				out = append(out, strings.TrimSpace(m[1]))
			}
			continue
		}
		for _, m := range regexp.MustCompile("`(rolesw(?: [^`]*)?)`").FindAllStringSubmatch(line, -1) {
			out = append(out, m[1])
		}
	}
	return out
}

// Every command and flag the README shows exists, and takes the arguments
// shown: the README cannot drift from the program.
func TestReadmeCommandsExist(t *testing.T) {
	cmds := readmeCommands(t)
	if len(cmds) < 25 {
		t.Fatalf("found only %d rolesw commands in README.md; the extractor is broken", len(cmds))
	}
	for _, line := range cmds {
		t.Run(line, func(t *testing.T) {
			a := &app{env: newEnv(nil)}
			root := a.newRootCmd()
			root.InitDefaultCompletionCmd()
			words := strings.Fields(line)[1:]
			// Placeholders and alternatives as the README writes them.
			var args []string
			for _, w := range words {
				if w == "--" || strings.ContainsAny(w, "<>") {
					break
				}
				w = strings.Trim(w, "[]")
				if i := strings.Index(w, `\|`); i >= 0 {
					w = w[:i]
				}
				if i := strings.Index(w, "|"); i >= 0 {
					w = w[:i]
				}
				if w == "..." || w == "" {
					continue
				}
				args = append(args, w)
			}
			cmd, rest, err := root.Find(args)
			if err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			if cmd.Name() == "completion" || (cmd.HasParent() && cmd.Parent().Name() == "completion") {
				return // cobra's own
			}
			if err := cmd.ParseFlags(rest); err != nil {
				t.Fatalf("%q: %v", line, err)
			}
			if cmd.Args != nil {
				if err := cmd.Args(cmd, cmd.Flags().Args()); err != nil {
					t.Errorf("%q: arguments refused: %v", line, err)
				}
			}
			checkFlagsDocumented(t, cmd)
		})
	}
}

// checkFlagsDocumented: every flag of the command is in the README.
func checkFlagsDocumented(t *testing.T, cmd *cobra.Command) {
	t.Helper()
	b, _ := os.ReadFile("README.md")
	cmd.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Name == "help" {
			return
		}
		if !strings.Contains(string(b), "--"+f.Name) {
			t.Errorf("flag --%s of %q is not in the README", f.Name, cmd.CommandPath())
		}
	})
}
