package ui

import (
	"errors"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/rolesw/rolesw/roles"
)

// presetDurations are the lengths offered before any typing.
var presetDurations = []time.Duration{
	15 * time.Minute, 30 * time.Minute, time.Hour, 2 * time.Hour,
	4 * time.Hour, 8 * time.Hour, 12 * time.Hour,
}

// preset is one offered length; refused says why it is out of bounds,
// short says it in a few words.
type preset struct {
	d              time.Duration
	refused, short string
}

// durationStep chooses the session length: a preset picked with the arrow
// keys, or a typed value that is validated on every keystroke. Typed text
// wins over the preset while there is any.
type durationStep struct {
	st    *styles
	keys  *keyMap
	entry Entry

	presets []preset
	sel     int
	input   textinput.Model
	// prefilled is true while the input holds a refused -d value the user
	// has not touched: the first character typed replaces it.
	prefilled bool
}

func newDurationStep(st *styles, keys *keyMap, e Entry, want time.Duration) durationStep {
	b := e.Plan.Bounds
	ds := durationStep{st: st, keys: keys, entry: e}
	max := time.Duration(b.Max.Seconds) * time.Second
	offered := append([]time.Duration(nil), presetDurations...)
	// A maximum between presets (a role allowing 1h30m) is offered too, so
	// the longest allowed session is one key away.
	if max > 0 && max < 12*time.Hour && !containsDur(offered, max) {
		offered = insertSorted(offered, max)
	}
	if want <= 0 {
		want = e.Plan.Default
	}
	// So is the wanted length (a profile's duration_seconds of 1h30m):
	// shown typed instead, it would take the user's first keys as a suffix.
	if want > 0 && refusal(b, want) == "" && !containsDur(offered, want) {
		offered = insertSorted(offered, want)
	}
	for _, d := range offered {
		ds.presets = append(ds.presets, preset{d: d, refused: refusal(b, d), short: shortReason(b, d)})
	}

	ds.input = textinput.New()
	ds.input.Prompt = "or type (90m, 1h30m, 5400): "
	ds.input.CharLimit = 12
	ds.input.Width = 14
	ds.input.Cursor.SetMode(cursor.CursorStatic)
	ds.input.Focus()

	ds.sel = -1
	for i, p := range ds.presets {
		if p.d == want && p.refused == "" {
			ds.sel = i
		}
	}
	if ds.sel < 0 {
		// Not a preset (or refused): show it typed, so a refused -d value
		// is on screen with its reason rather than silently replaced.
		if want > 0 {
			ds.input.SetValue(roles.FormatDuration(want))
			ds.prefilled = true
		}
		ds.sel = ds.lastEnabledUpTo(time.Hour)
	}
	return ds
}

// refusal is "" when d is within b, else the refusing bound in words.
func refusal(b roles.Bounds, d time.Duration) string {
	switch secs := int(d / time.Second); {
	case secs < b.Min.Seconds:
		return "less than " + roles.FormatDuration(time.Duration(b.Min.Seconds)*time.Second) + ", " + b.Min.Reason
	case secs > b.Max.Seconds:
		return "more than " + roles.FormatDuration(time.Duration(b.Max.Seconds)*time.Second) + ": " + b.Max.Reason
	}
	return ""
}

// shortReason is refusal with the bound named, not explained:
// "more than 1h (role chaining)".
func shortReason(b roles.Bounds, d time.Duration) string {
	switch secs := int(d / time.Second); {
	case secs < b.Min.Seconds:
		return "less than " + roles.FormatDuration(time.Duration(b.Min.Seconds)*time.Second) + " (" + boundName(b.Min.Kind) + ")"
	case secs > b.Max.Seconds:
		return "more than " + roles.FormatDuration(time.Duration(b.Max.Seconds)*time.Second) + " (" + boundName(b.Max.Kind) + ")"
	}
	return ""
}

func containsDur(ds []time.Duration, d time.Duration) bool {
	for _, x := range ds {
		if x == d {
			return true
		}
	}
	return false
}

func insertSorted(ds []time.Duration, d time.Duration) []time.Duration {
	for i, x := range ds {
		if d < x {
			return append(ds[:i], append([]time.Duration{d}, ds[i:]...)...)
		}
	}
	return append(ds, d)
}

// lastEnabledUpTo is the longest allowed preset not over limit, else the
// first allowed one, else 0.
func (ds durationStep) lastEnabledUpTo(limit time.Duration) int {
	best := -1
	for i, p := range ds.presets {
		if p.refused == "" && (p.d <= limit || best < 0) {
			best = i
		}
	}
	return max(best, 0)
}

// value is the chosen length, or why it cannot be used.
func (ds durationStep) value() (time.Duration, error) {
	if s := strings.TrimSpace(ds.input.Value()); s != "" {
		d, err := roles.ParseDuration(s)
		if err != nil {
			return 0, err
		}
		return d, ds.entry.Plan.Bounds.Check(d)
	}
	p := ds.presets[ds.sel]
	return p.d, ds.entry.Plan.Bounds.Check(p.d)
}

func (ds durationStep) update(msg tea.Msg) (durationStep, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, ds.keys.Left):
			ds.move(-1)
			return ds, nil
		case key.Matches(k, ds.keys.Right):
			ds.move(+1)
			return ds, nil
		case ds.prefilled && k.Type == tea.KeyRunes:
			ds.input.SetValue("")
		}
		ds.prefilled = false
	}
	var cmd tea.Cmd
	ds.input, cmd = ds.input.Update(msg)
	return ds, cmd
}

// move steps the preset selection over refused presets and clears any
// typed value, since the arrows mean "use a preset".
func (ds *durationStep) move(dir int) {
	ds.input.SetValue("")
	ds.prefilled = false
	for i := ds.sel + dir; i >= 0 && i < len(ds.presets); i += dir {
		if ds.presets[i].refused == "" {
			ds.sel = i
			return
		}
	}
}

// durLayout is how much of the duration step is drawn; view tries the
// fullest first and gives up spacing, the allowed line, the title's second
// line and then the long reasons until the step fits.
type durLayout struct {
	blanks, allowed, fullTitle, fullReasons bool
}

var durLayouts = []durLayout{
	{blanks: true, allowed: true, fullTitle: true, fullReasons: true},
	{allowed: true, fullTitle: true, fullReasons: true},
	{fullTitle: true, fullReasons: true},
	{fullReasons: true},
	{},
}

// view draws the step in width x height. The verdict on a typed value (or
// the reasons presets are refused) is what a user must see, so on a short
// or narrow terminal everything else gives way first; as a last resort the
// top lines go.
func (ds durationStep) view(width, height int) string {
	var lines []string
	for _, l := range durLayouts {
		lines = ds.lines(width, l)
		if len(lines) <= height {
			break
		}
	}
	if len(lines) > height {
		lines = lines[len(lines)-height:]
	}
	return strings.Join(lines, "\n")
}

// lines renders the step with layout l, one screen line per element.
func (ds durationStep) lines(width int, l durLayout) []string {
	st := ds.st
	plan := ds.entry.Plan
	b := plan.Bounds
	var out []string
	add := func(s string) { out = append(out, strings.Split(s, "\n")...) }
	blank := func() {
		if l.blanks {
			out = append(out, "")
		}
	}

	target := ds.entry.Name
	if last := plan.Last(); last != nil {
		target += " → " + roles.RoleName(last.RoleARN)
		if acct := roles.AccountID(last.RoleARN); acct != "" {
			target += " @" + acct
		}
	}
	title := st.title.Render("Session length") + " " + st.text.Render(target)
	if l.fullTitle {
		add(st.body.Width(width).Render(title))
	} else {
		add(ansi.Truncate(title, width, "…"))
	}
	if l.allowed {
		add(st.muted.Render(ansi.Truncate("allowed: "+
			roles.FormatDuration(time.Duration(b.Min.Seconds)*time.Second)+" to "+
			roles.FormatDuration(time.Duration(b.Max.Seconds)*time.Second), width, "…")))
	}
	blank()

	typed := strings.TrimSpace(ds.input.Value()) != ""
	var row []string
	refused := map[string][]string{}
	var reasons []preset
	for i, p := range ds.presets {
		label := roles.FormatDuration(p.d)
		switch {
		case p.refused != "":
			row = append(row, st.presetNo.Render(label+"✗"))
			if _, seen := refused[p.refused]; !seen {
				reasons = append(reasons, p)
			}
			refused[p.refused] = append(refused[p.refused], label)
		case i == ds.sel && !typed:
			row = append(row, st.presetOn.Render("["+label+"]"))
		default:
			row = append(row, st.preset.Render(" "+label+" "))
		}
	}
	add(wrapWords(row, width))
	// With a typed value its own verdict is shown instead, which keeps the
	// step within a short terminal.
	for _, p := range reasons {
		if typed {
			break
		}
		why := p.refused
		if !l.fullReasons {
			why = p.short
		}
		add(st.muted.Width(width).Render("✗ " + strings.Join(refused[p.refused], " ") + ": " + why))
	}
	blank()
	in := ds.input
	if width < 50 {
		in.Prompt = "or type: "
	}
	add(in.View())
	if typed {
		d, err := ds.value()
		var be *roles.BoundError
		switch {
		case err == nil:
			add(st.ok.Render("✓ " + roles.FormatDuration(d)))
		case !l.fullReasons && errors.As(err, &be):
			add(st.danger.Width(width).Render("✗ " + shortRefusal(be)))
		default:
			add(st.danger.Width(width).Render("✗ " + err.Error()))
		}
	}
	return out
}

// boundName is a bound in two or three words, for a terminal too small for
// its whole reason.
func boundName(k roles.BoundKind) string {
	switch k {
	case roles.BoundFloor:
		return "the STS minimum"
	case roles.BoundCeiling:
		return "the STS maximum"
	case roles.BoundRoleMax:
		return "the role's maximum"
	case roles.BoundChaining:
		return "role chaining"
	}
	return "a limit"
}

// shortRefusal is a BoundError with the bound named, not explained:
// "2h is more than 1h (role chaining)".
func shortRefusal(e *roles.BoundError) string {
	word := "more"
	if e.Below {
		word = "less"
	}
	return roles.FormatDuration(e.Asked) + " is " + word + " than " +
		secs(e.Bound.Seconds) + " (" + boundName(e.Bound.Kind) + ")"
}

// wrapWords joins styled cells with spaces, breaking lines at width.
func wrapWords(cells []string, width int) string {
	var out, line strings.Builder
	w := 0
	for _, c := range cells {
		cw := ansi.StringWidth(c)
		if w > 0 && w+1+cw > width {
			out.WriteString(line.String() + "\n")
			line.Reset()
			w = 0
		}
		if w > 0 {
			line.WriteString(" ")
			w++
		}
		line.WriteString(c)
		w += cw
	}
	out.WriteString(line.String())
	return out.String()
}
