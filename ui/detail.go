package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/rolesw/rolesw/roles"
)

// detailView explains the highlighted profile: the chain hop by hop, which
// hops are role chaining, and each duration bound with its reason.
func detailView(st *styles, it *profileItem, width, height int) string {
	w := max(width-2, 10) // the pane's border and padding
	if it == nil {
		return st.pane.Width(width).Height(height).MaxHeight(height).Render("")
	}
	var lines []string
	add := func(s string) { lines = append(lines, s) }
	para := func(s string) { add(st.text.Width(w).Render(s)) }

	add(st.paneHead.Render(it.entry.Name))
	if it.reason != "" {
		add(st.danger.Width(w).Render("cannot assume: " + it.reason))
	}
	p := it.entry.Plan
	if p == nil {
		return st.pane.Width(width).Height(height).MaxHeight(height).Render(strings.Join(lines, "\n"))
	}
	if p.Chain != "" {
		para(p.Chain)
	}
	add("")
	add(st.paneHead.Render("Source"))
	para("  " + sourceWords(p.Source))
	if len(p.Hops) > 0 {
		add(st.paneHead.Render("Hops"))
		for i, h := range p.Hops {
			line := fmt.Sprintf("  %d. %s", i+1, roles.RoleName(h.RoleARN))
			if acct := roles.AccountID(h.RoleARN); acct != "" {
				line += " @" + acct
			}
			para(line)
			var notes []string
			if h.Chained {
				notes = append(notes, "role chaining: 1h max")
			}
			if h.MFASerial != "" {
				notes = append(notes, "MFA "+h.MFASerial)
			}
			if h.ExternalID != "" {
				notes = append(notes, "external id")
			}
			if len(notes) > 0 {
				add(st.muted.Width(w).Render("     " + strings.Join(notes, ", ")))
			}
		}
	}
	if len(p.Hops) > 0 {
		add(st.paneHead.Render("Duration"))
		add(st.text.Render(fmt.Sprintf("  %s to %s, default %s",
			secs(p.Bounds.Min.Seconds), secs(p.Bounds.Max.Seconds), roles.FormatDuration(p.Default))))
		for _, b := range p.Bounds.All {
			op := "≤"
			if b.Kind == roles.BoundFloor {
				op = "≥"
			}
			add(st.muted.Width(w).Render(fmt.Sprintf("  %s %s %s", op, secs(b.Seconds), b.Reason)))
		}
	}
	for _, warn := range p.Warnings {
		add(st.warn.Width(w).Render("! " + warn))
	}
	body := strings.Join(lines, "\n")
	return st.pane.Width(width).Height(height).MaxHeight(height).Render(body)
}

func secs(n int) string { return roles.FormatDuration(time.Duration(n) * time.Second) }

// sourceWords says where the base credentials come from.
func sourceWords(s roles.Source) string {
	switch s.Kind {
	case roles.SourceStatic:
		return "static keys of profile " + s.Profile
	case roles.SourceProcess:
		return "credential_process of profile " + s.Profile
	case roles.SourceSSO:
		return "SSO (" + s.SSO.StartURL + ") of profile " + s.Profile
	case roles.SourceWebIdentity:
		return "web identity token of profile " + s.Profile
	case roles.SourceEnvironment:
		return "credentials in the environment"
	case roles.SourceEc2InstanceMetadata:
		return "EC2 instance metadata"
	case roles.SourceEcsContainer:
		return "ECS container credentials"
	}
	return "none"
}
