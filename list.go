package main

import (
	"bufio"
	"encoding/json"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
	"time"
	"unicode/utf8"

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
			// list allocates once and exits: most of what it allocates is
			// still live at the end, so collecting on the way costs time
			// (a fifth of the run at 20,000 profiles) and frees little.
			// The soft limit still collects when a huge config needs it.
			debug.SetGCPercent(-1)
			debug.SetMemoryLimit(48 << 20)
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
	plans, errs := resolveAll(cfg, in)
	out := make([]listEntry, len(cfg.Profiles))
	for i, p := range cfg.Profiles {
		out[i] = listEntryOf(p, plans[i], errs[i])
	}
	return out
}

// resolveAll plans every profile, in the AWS CLI's order. Resolve is pure,
// so the profiles are split over the CPUs: at 20,000 profiles this is most
// of what `list` and the switcher's start-up cost.
func resolveAll(cfg *config.Config, in roles.Inputs) ([]*roles.Plan, []error) {
	n := len(cfg.Profiles)
	plans, errs := make([]*roles.Plan, n), make([]error, n)
	workers := runtime.GOMAXPROCS(0)
	if n < 512 {
		workers = 1
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := lo; i < hi; i++ {
				plans[i], errs[i] = roles.Resolve(cfg, cfg.Profiles[i].Name, in)
			}
		}()
	}
	wg.Wait()
	return plans, errs
}

func listEntryOf(p *config.Profile, plan *roles.Plan, err error) listEntry {
	e := listEntry{
		Name:             p.Name,
		RoleARN:          p.Value("role_arn"),
		SourceProfile:    p.Value("source_profile"),
		CredentialSource: p.Value("credential_source"),
		Region:           p.Value("region"),
	}
	e.Role = roles.RoleName(e.RoleARN)
	e.Account = roles.AccountID(e.RoleARN)
	if err != nil {
		e.Error = err.Error()
		e.Source = "-"
		return e
	}
	e.Source = plan.SourceLabel()
	if last := plan.Last(); last != nil {
		e.MFASerial = last.MFASerial
		e.Chained = last.Chained
		if plan.Bounds.Max.Kind != roles.BoundCeiling {
			s := plan.Bounds.Max.Seconds
			e.MaxDurationSeconds = &s
		}
	}
	return e
}

// writeTable prints the aligned table. It measures the columns first and
// writes each row once: tabwriter and fmt cost more than reading the
// files at 20,000 profiles.
func writeTable(w *bufio.Writer, entries []listEntry) error {
	header := [...]string{"NAME", "ROLE", "ACCOUNT", "SOURCE", "REGION", "MFA", "MAX"}
	rows := make([][7]string, len(entries))
	var width [7]int
	for i, h := range header {
		width[i] = len(h)
	}
	for i, e := range entries {
		mfa, max := "-", "-"
		if e.MFASerial != "" {
			mfa = "yes"
		}
		switch {
		case e.Error != "":
			max = "(cannot be assumed)"
		case e.MaxDurationSeconds != nil:
			max = roles.FormatDuration(secondsToDuration(*e.MaxDurationSeconds))
		}
		rows[i] = [7]string{cell(e.Name), cell(e.Role), cell(e.Account), cell(e.Source), cell(e.Region), mfa, max}
		for c, v := range rows[i] {
			if n := utf8.RuneCountInString(v); n > width[c] {
				width[c] = n
			}
		}
	}
	writeRow(w, header, &width)
	for i := range rows {
		writeRow(w, rows[i], &width)
	}
	return w.Flush()
}

func writeRow(w *bufio.Writer, row [7]string, width *[7]int) {
	for c, v := range row {
		w.WriteString(v)
		if c == len(row)-1 {
			break
		}
		for n := utf8.RuneCountInString(v); n < width[c]+2; n++ {
			w.WriteByte(' ')
		}
	}
	w.WriteByte('\n')
}

// cell is a table cell: "-" for empty, and control characters (a value
// continued over several lines) escaped so one profile stays one row.
func cell(s string) string {
	if s == "" {
		return "-"
	}
	for i := 0; i < len(s); i++ {
		if s[i] < ' ' || s[i] == 0x7f {
			q := strconv.Quote(s)
			return q[1 : len(q)-1]
		}
	}
	return s
}

func secondsToDuration(s int) time.Duration { return time.Duration(s) * time.Second }
