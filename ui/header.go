package ui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/x/ansi"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// header shows who rolesw runs as and how long those credentials last.
// It keeps the absolute expiry and reads the clock on every View, because
// ticks stop while a subshell holds the terminal: a countdown that
// subtracted ticks would be wrong by the length of the shell.
type header struct {
	st  *styles
	now func() time.Time

	ambient session.Ambient
	err     error // the ambient lookup itself failed
	loaded  bool
	// seq numbers ambient lookups so a slow, stale answer cannot overwrite
	// a newer one (after a shell returns the header is fetched again).
	seq int
	// tickID guards the once-a-second tick: only the tick chain with the
	// current id keeps running, stray ticks from before an exec are dropped.
	tickID int
	// issued is when the ambient session began (zero when unknown), for
	// the gauge of its elapsed share.
	issued time.Time
	gauge  progress.Model
}

func newHeader(st *styles, now func() time.Time) header {
	return header{st: st, now: now, gauge: newGauge()}
}

// tone is how alarming a piece of the header is; it picks the style.
type tone int

const (
	toneMuted tone = iota
	toneOK
	toneWarn
	toneDanger
)

// remaining words the credentials' expiry and says how alarming it is:
// warning under 15 minutes, danger under 5 and once expired.
func (h header) remaining() (string, tone) {
	a := h.ambient
	switch {
	case !h.loaded:
		return "checking credentials…", toneMuted
	case h.err != nil && !a.HasCredentials:
		return "credentials unreadable: " + session.Describe(h.err), toneDanger
	case !a.HasCredentials:
		return "no credentials", toneDanger
	case a.LongTerm:
		return "no expiry (long-term keys)", toneOK
	case a.Expires.IsZero():
		return "expiry unknown", toneMuted
	}
	left := a.Expires.Sub(h.now())
	switch {
	case left <= 0:
		return "expired " + roughAgo(-left) + " ago", toneDanger
	case left < 5*time.Minute:
		return "expires in " + clock(left), toneDanger
	case left < 15*time.Minute:
		return "expires in " + clock(left), toneWarn
	}
	return "expires in " + clock(left), toneOK
}

// countdown is the expiry part of the header with its style applied.
func (h header) countdown() string {
	text, t := h.remaining()
	switch t {
	case toneOK:
		return h.st.ok.Render(text)
	case toneWarn:
		return h.st.warn.Render(text)
	case toneDanger:
		return h.st.danger.Render(text)
	}
	return h.st.muted.Render(text)
}

// clock formats a time left to the second: 41m 09s, 1h 02m 03s.
func clock(d time.Duration) string {
	d = d.Truncate(time.Second)
	h, m, s := d/time.Hour, (d%time.Hour)/time.Minute, (d%time.Minute)/time.Second
	if h > 0 {
		return fmt.Sprintf("%dh %02dm %02ds", h, m, s)
	}
	return fmt.Sprintf("%dm %02ds", m, s)
}

// roughAgo formats a past duration for "expired … ago": 42s, 3m, 2h5m.
func roughAgo(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int(d/time.Second))
	}
	return roles.FormatDuration(d.Truncate(time.Minute))
}

// share is the elapsed fraction of the ambient session,
// (now - issued) / (expires - issued), and whether it is known: an issue
// time before the expiry is needed.
func (h header) share() (float64, bool) {
	a := h.ambient
	if h.issued.IsZero() || a.Expires.IsZero() || a.LongTerm || !a.HasCredentials ||
		!a.Expires.After(h.issued) {
		return 0, false
	}
	f := float64(h.now().Sub(h.issued)) / float64(a.Expires.Sub(h.issued))
	return min(max(f, 0), 1), true
}

// view renders two or three lines, each cut to width.
func (h header) view(width int) string {
	st := h.st
	a := h.ambient
	who := st.muted.Render("looking up identity…")
	switch {
	case !h.loaded:
	case !a.HasCredentials:
		who = st.muted.Render("no AWS credentials found")
	case a.IdentityErr != nil:
		who = st.warn.Render("identity unknown: " + session.Describe(a.IdentityErr))
	case !a.Identity.Unknown():
		who = st.text.Render(a.Identity.ARN)
	}
	// On a narrow terminal the ARN matters more than the program's name.
	line1 := who
	if width >= 60 {
		line1 = st.title.Render("rolesw") + "  " + who
	}

	parts := []string{h.countdown()}
	if h.loaded && a.Identity.Account != "" && width >= 60 {
		parts = append([]string{st.muted.Render("account " + a.Identity.Account)}, parts...)
	}
	if h.loaded && a.ExpirySource != "" && !a.Expires.IsZero() && width >= 70 {
		parts = append(parts, st.muted.Render("from "+a.ExpirySource))
	}
	line2 := strings.Join(parts, st.muted.Render(" · "))
	if f, ok := h.share(); ok {
		g := h.gauge
		g.Width = 22
		bar := g.ViewAs(f)
		if ansi.StringWidth(line2)+2+ansi.StringWidth(bar) <= width {
			line2 += "  " + bar
		}
	}
	lines := []string{ansi.Truncate(line1, width, "…"), ansi.Truncate(line2, width, "…")}
	if h.loaded && a.Depth > 0 {
		in := fmt.Sprintf("inside rolesw session %s (depth %d): exit the shell to go back", a.Profile, a.Depth)
		if width < 60 {
			in = fmt.Sprintf("in rolesw session %s, depth %d", a.Profile, a.Depth)
		}
		lines = append(lines, ansi.Truncate(st.badge.Render(in), width, "…"))
	}
	return strings.Join(lines, "\n")
}
