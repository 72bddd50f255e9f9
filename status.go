package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// statusJSON is `rolesw status --json`.
type statusJSON struct {
	Credentials  bool       `json:"credentials"`
	ARN          string     `json:"arn,omitempty"`
	Account      string     `json:"account,omitempty"`
	UserID       string     `json:"user_id,omitempty"`
	IdentityErr  string     `json:"identity_error,omitempty"`
	Source       string     `json:"source,omitempty"`
	Profile      string     `json:"profile,omitempty"`
	Depth        int        `json:"depth"`
	Expires      *time.Time `json:"expires,omitempty"`
	ExpirySource string     `json:"expiry_source,omitempty"`
	SecondsLeft  *int64     `json:"seconds_left,omitempty"`
	LongTerm     bool       `json:"long_term"`
	Valid        bool       `json:"valid"`
}

func (a *app) newStatusCmd() *cobra.Command {
	var asJSON, short bool
	cmd := &cobra.Command{
		Use:   "status [--json] [--short]",
		Short: "Show the active identity and its time left",
		Long: `status shows who the current credentials belong to and how long they last.
It exits 0 while they are valid and 1 when they are expired or absent.

--short prints one line for a shell prompt ("prodaccess 41m") from the
environment alone: no network call, no credential provider.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if short && asJSON {
				return usagef("--short and --json do not go together; pick one")
			}
			now := time.Now()
			if short {
				return a.statusShort(now)
			}
			return a.statusFull(cmd.Context(), now, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVar(&short, "short", false, "one line for a shell prompt, without network calls")
	return cmd
}

// sessionLabel names the active session for the short form: rolesw's own
// profile, another switcher's, or the selected profile.
func (a *app) sessionLabel(amb session.Ambient) string {
	for _, v := range []string{amb.Profile, a.env.get("AWS_VAULT"), a.env.get("AWSUME_PROFILE"), a.env.get("AWS_SSO_PROFILE"), a.env.get("AWS_PROFILE")} {
		if v != "" {
			return v
		}
	}
	if id := a.env.get("ROLESW_IDENTITY"); id != "" {
		return roles.RoleName(id)
	}
	return "aws"
}

func (a *app) statusShort(now time.Time) error {
	client := session.New(session.Options{Lookup: a.env.lookup})
	amb := client.AmbientOffline()
	if !amb.HasCredentials && amb.Profile == "" && a.env.get("AWS_PROFILE") == "" {
		a.exitCode = exitFailure
		return nil
	}
	label := a.sessionLabel(amb)
	switch {
	case amb.Expires.IsZero():
		fmt.Fprintln(a.stdout, label)
	case !amb.Expires.After(now):
		fmt.Fprintf(a.stdout, "%s expired\n", label)
		a.exitCode = exitFailure
	default:
		fmt.Fprintf(a.stdout, "%s %s\n", label, shortLeft(amb.Expires.Sub(now)))
	}
	return nil
}

// shortLeft is the prompt's time left: 41m, 2h05m, 30s.
func shortLeft(d time.Duration) string {
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm", int(d.Minutes()))
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

func (a *app) statusFull(ctx context.Context, now time.Time, asJSON bool) error {
	cfg, err := a.loadConfig()
	if err != nil {
		return err
	}
	client := a.client(cfg, nil)
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	amb, err := client.Ambient(ctx)
	if err != nil {
		return err
	}
	valid := amb.HasCredentials && amb.IdentityErr == nil && (amb.Expires.IsZero() || amb.Expires.After(now))
	if !valid {
		a.exitCode = exitFailure
	}
	if asJSON {
		s := statusJSON{Credentials: amb.HasCredentials, ARN: amb.Identity.ARN, Account: amb.Identity.Account,
			UserID: amb.Identity.UserID, Source: amb.Source, Profile: amb.Profile, Depth: amb.Depth,
			ExpirySource: amb.ExpirySource, LongTerm: amb.LongTerm, Valid: valid}
		if amb.IdentityErr != nil {
			s.IdentityErr = session.Describe(amb.IdentityErr)
		}
		if !amb.Expires.IsZero() {
			e := amb.Expires.UTC()
			left := int64(amb.Expires.Sub(now).Seconds())
			s.Expires, s.SecondsLeft = &e, &left
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(s)
	}
	var b strings.Builder
	switch {
	case !amb.HasCredentials:
		b.WriteString("no credentials: nothing in the environment and no usable profile\n")
	case amb.IdentityErr != nil:
		fmt.Fprintf(&b, "identity unknown: %s\n", session.Describe(amb.IdentityErr))
	default:
		fmt.Fprintf(&b, "%s\n", amb.Identity.ARN)
		fmt.Fprintf(&b, "  account  %s\n", amb.Identity.Account)
	}
	if amb.Source != "" {
		fmt.Fprintf(&b, "  source   %s\n", amb.Source)
	}
	if amb.Profile != "" {
		fmt.Fprintf(&b, "  rolesw   %s (depth %d)\n", amb.Profile, amb.Depth)
	}
	switch {
	case !amb.HasCredentials:
	case amb.Expires.IsZero() && amb.LongTerm:
		b.WriteString("  expires  never (long-term keys)\n")
	case amb.Expires.IsZero():
		b.WriteString("  expires  unknown\n")
	case !amb.Expires.After(now):
		fmt.Fprintf(&b, "  expires  %s (expired %s ago)\n", amb.Expires.Local().Format("2006-01-02 15:04:05 MST"), shortLeft(now.Sub(amb.Expires)))
	default:
		fmt.Fprintf(&b, "  expires  %s (%s left)\n", amb.Expires.Local().Format("2006-01-02 15:04:05 MST"), shortLeft(amb.Expires.Sub(now)))
	}
	_, err = fmt.Fprint(a.stdout, b.String())
	return err
}
