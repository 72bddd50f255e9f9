package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/rolesw/rolesw/config"
	"github.com/rolesw/rolesw/roles"
)

// listEntry is one row of `rolesw list`; its JSON form is the --json output.
type listEntry struct {
	Name             string `json:"name"`
	RoleARN          string `json:"role_arn"`
	Role             string `json:"role"`
	Account          string `json:"account"`
	SourceProfile    string `json:"source_profile"`
	CredentialSource string `json:"credential_source"`
	Source           string `json:"source"`
	Region           string `json:"region"`
	MFASerial        string `json:"mfa_serial"`
	Chained          bool   `json:"chained"`
	// MaxDurationSeconds is the known maximum (configured, learned or the
	// chaining hour); null when only the STS ceiling is known.
	MaxDurationSeconds *int   `json:"max_duration_seconds"`
	Error              string `json:"error,omitempty"`
}

func (a *app) newListCmd() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List every profile, in the AWS CLI's order",
		Long: `list prints every profile of the config and credentials files, in the order of
"aws configure list-profiles", with the role, account, source, region, MFA and
known maximum session duration. Profiles that cannot be assumed are listed with
the reason.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := a.loadConfig()
			if err != nil {
				return err
			}
			entries := listEntries(cfg, a.inputs(a.store()))
			w := bufio.NewWriterSize(a.stdout, 64<<10)
			defer w.Flush()
			if asJSON {
				enc := json.NewEncoder(w)
				enc.SetIndent("", "  ")
				return enc.Encode(entries)
			}
			return writeTable(w, entries)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print a JSON array")
	return cmd
}

// listEntries resolves every profile; a profile that cannot be assumed keeps
// its row with the reason.
func listEntries(cfg *config.Config, in roles.Inputs) []listEntry {
	out := make([]listEntry, 0, len(cfg.Profiles))
	for _, p := range cfg.Profiles {
		e := listEntry{
			Name:             p.Name,
			RoleARN:          p.Value("role_arn"),
			SourceProfile:    p.Value("source_profile"),
			CredentialSource: p.Value("credential_source"),
			Region:           p.Value("region"),
		}
		e.Role = roles.RoleName(e.RoleARN)
		e.Account = roles.AccountID(e.RoleARN)
		plan, err := roles.Resolve(cfg, p.Name, in)
		if err != nil {
			e.Error = err.Error()
			e.Source = "-"
			out = append(out, e)
			continue
		}
		e.Source = sourceLabel(plan)
		if last := plan.Last(); last != nil {
			e.MFASerial = last.MFASerial
			e.Chained = last.Chained
			if plan.Bounds.Max.Kind != roles.BoundCeiling {
				s := plan.Bounds.Max.Seconds
				e.MaxDurationSeconds = &s
			}
		}
		out = append(out, e)
	}
	return out
}

// sourceLabel is the SOURCE column: the profile that gives the credentials
// for the first hop, or the kind of base credentials.
func sourceLabel(p *roles.Plan) string {
	s := p.Source
	switch s.Kind {
	case roles.SourceEnvironment:
		return "Environment"
	case roles.SourceEc2InstanceMetadata:
		return "Ec2InstanceMetadata"
	case roles.SourceEcsContainer:
		return "EcsContainer"
	}
	if len(p.Hops) > 0 {
		// The innermost hop's source is the profile holding the base keys,
		// but the user thinks of the chain's next profile.
		if len(p.Hops) > 1 {
			return p.Hops[len(p.Hops)-2].Profile
		}
		return s.Profile
	}
	switch s.Kind {
	case roles.SourceStatic:
		return "keys"
	case roles.SourceProcess:
		return "credential_process"
	case roles.SourceSSO:
		return "sso"
	case roles.SourceWebIdentity:
		return "web_identity"
	}
	return "-"
}

func writeTable(w *bufio.Writer, entries []listEntry) error {
	tw := tabwriter.NewWriter(w, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tACCOUNT\tSOURCE\tREGION\tMFA\tMAX")
	for _, e := range entries {
		mfa, max := "-", "-"
		if e.MFASerial != "" {
			mfa = "yes"
		}
		if e.MaxDurationSeconds != nil {
			max = roles.FormatDuration(secondsToDuration(*e.MaxDurationSeconds))
		}
		if e.Error != "" {
			max = "(cannot be assumed)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
			e.Name, dash(e.Role), dash(e.Account), dash(e.Source), dash(e.Region), mfa, max)
	}
	return tw.Flush()
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return strconv.Quote(s)[1 : len(strconv.Quote(s))-1]
}

func secondsToDuration(s int) time.Duration { return time.Duration(s) * time.Second }
