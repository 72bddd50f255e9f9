package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

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
	add(hanging(st.text, "  ", sourceWords(p.Source), 4, w))
	if len(p.Hops) > 0 {
		add(st.paneHead.Render("Hops"))
		for i, h := range p.Hops {
			line := fmt.Sprintf("  %d. %s", i+1, roles.RoleName(h.RoleARN))
			if acct := roles.AccountID(h.RoleARN); acct != "" {
				line += " @" + acct
			}
			add(hanging(st.text, "", line, 5, w))
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
				add(hanging(st.muted, "     ", strings.Join(notes, ", "), 5, w))
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
			add(hanging(st.muted, fmt.Sprintf("  %s %s ", op, secs(b.Seconds)), b.Reason, 4, w))
		}
	}
	for _, warn := range p.Warnings {
		add(hanging(st.warn, "! ", warn, 2, w))
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

// hanging renders lead+text wrapped to w columns, every line after the
// first indented by indent columns, so a long reason or ARN reads as one
// item in the pane rather than as a new one.
func hanging(style lipgloss.Style, lead, text string, indent, w int) string {
	first := max(w-ansi.StringWidth(lead), 1)
	lines := strings.Split(ansi.Wrap(text, first, ""), "\n")
	if len(lines) > 1 {
		// Wrap the rest again at the narrower, indented width.
		rest := strings.Split(ansi.Wrap(strings.Join(lines[1:], " "), max(w-indent, 1), ""), "\n")
		lines = append(lines[:1], rest...)
	}
	pad := strings.Repeat(" ", indent)
	for i, l := range lines {
		if i == 0 {
			lines[i] = style.Render(lead + l)
		} else {
			lines[i] = style.Render(pad + l)
		}
	}
	return strings.Join(lines, "\n")
}
