package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolesw/rolesw/session"
)

func (a *app) newEnvCmd() *cobra.Command {
	var (
		af     assumeFlags
		format string
	)
	cmd := &cobra.Command{
		Use:   "env PROFILE [--format sh|fish|powershell|json]",
		Short: "Print the credentials of PROFILE as export lines or credential_process JSON",
		Long: `env assumes PROFILE and prints the subshell's environment as commands for your
shell (sh, fish, powershell), or as credential_process JSON (Version 1) for an
AWS profile:

  [profile prod-via-rolesw]
  credential_process = rolesw env prod --format json`,
		Example: `  eval "$(rolesw env prod)"
  rolesw env prod --format fish | source
  rolesw env prod --format powershell | Invoke-Expression`,
		Args: func(_ *cobra.Command, args []string) error {
			if len(args) != 1 {
				return usagef("env takes one PROFILE: rolesw env PROFILE [--format sh|fish|powershell|json]")
			}
			return nil
		},
		ValidArgsFunction: a.completeProfiles,
		RunE: func(cmd *cobra.Command, args []string) error {
			switch format {
			case "sh", "fish", "powershell", "json":
			default:
				return usagef("--format %q: use sh, fish, powershell or json", format)
			}
			p, err := a.prepare(args[0], af)
			if err != nil {
				return err
			}
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
			defer stop()
			as, err := a.assume(ctx, p, false)
			if err != nil {
				return err
			}
			recordAssume(a, p.store, p.plan.Profile, as.res)
			return writeEnv(a.stdout, format, as.res, a.env.list)
		},
	}
	af.add(cmd)
	cmd.Flags().StringVar(&format, "format", "sh", "sh, fish, powershell or json")
	return cmd
}

// credentialProcess is the credential_process output format, Version 1.
type credentialProcess struct {
	Version         int    `json:"Version"`
	AccessKeyID     string `json:"AccessKeyId"`
	SecretAccessKey string `json:"SecretAccessKey"`
	SessionToken    string `json:"SessionToken,omitempty"`
	Expiration      string `json:"Expiration,omitempty"`
}

// writeEnv prints what the subshell would get: the variables ChildEnv sets
// and unsets, in the syntax of one shell.
func writeEnv(w io.Writer, format string, res *session.Result, parent []string) error {
	if format == "json" {
		c := credentialProcess{Version: 1, AccessKeyID: res.Credentials.AccessKeyID,
			SecretAccessKey: res.Credentials.SecretAccessKey, SessionToken: res.Credentials.SessionToken}
		if res.Credentials.CanExpire() {
			c.Expiration = res.Credentials.Expires.UTC().Format(time.RFC3339)
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(c)
	}
	set, unset := envDiff(parent, session.ChildEnv(parent, res))
	var b strings.Builder
	for _, k := range unset {
		switch format {
		case "sh":
			fmt.Fprintf(&b, "unset %s\n", k)
		case "fish":
			fmt.Fprintf(&b, "set -e %s\n", k)
		case "powershell":
			fmt.Fprintf(&b, "Remove-Item Env:%s -ErrorAction SilentlyContinue\n", k)
		}
	}
	for _, kv := range set {
		k, v := kv[0], kv[1]
		switch format {
		case "sh":
			fmt.Fprintf(&b, "export %s=%s\n", k, shQuote(v))
		case "fish":
			fmt.Fprintf(&b, "set -gx %s %s\n", k, fishQuote(v))
		case "powershell":
			fmt.Fprintf(&b, "$Env:%s = '%s'\n", k, strings.ReplaceAll(v, "'", "''"))
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// envDiff lists what child sets (new or changed values) and what it removes
// from parent, each sorted by name.
func envDiff(parent, child []string) (set [][2]string, unset []string) {
	pm, cm := envMap(parent), envMap(child)
	for k, v := range cm {
		if pv, ok := pm[k]; !ok || pv != v {
			set = append(set, [2]string{k, v})
		}
	}
	for k := range pm {
		if _, ok := cm[k]; !ok {
			unset = append(unset, k)
		}
	}
	sort.Slice(set, func(i, j int) bool { return set[i][0] < set[j][0] })
	sort.Strings(unset)
	return set, unset
}

func envMap(list []string) map[string]string {
	m := make(map[string]string, len(list))
	for _, kv := range list {
		if k, v, ok := strings.Cut(kv, "="); ok {
			m[k] = v
		}
	}
	return m
}

// shQuote quotes a value for sh and fish: single quotes, with embedded ones
// closed, escaped and reopened.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes a value for fish, where a backslash inside single quotes
// escapes a quote or another backslash.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, "'", `\'`).Replace(s) + "'"
}
