package ui

import (
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

// preset is one offered length; refused says why it is out of bounds.
type preset struct {
	d       time.Duration
	refused string
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
		ds.presets = append(ds.presets, preset{d: d, refused: refusal(b, d)})
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

func (ds durationStep) view(width, height int) string {
	st := ds.st
	plan := ds.entry.Plan
	b := plan.Bounds
	var lines []string

	target := ds.entry.Name
	if last := plan.Last(); last != nil {
		target += " → " + roles.RoleName(last.RoleARN)
		if acct := roles.AccountID(last.RoleARN); acct != "" {
			target += " @" + acct
		}
	}
	lines = append(lines, st.text.Width(width).Render(st.title.Render("Session length")+" "+target))
	lines = append(lines, st.muted.Render("allowed: "+
		roles.FormatDuration(time.Duration(b.Min.Seconds)*time.Second)+" to "+
		roles.FormatDuration(time.Duration(b.Max.Seconds)*time.Second)))
	lines = append(lines, "")

	typed := strings.TrimSpace(ds.input.Value()) != ""
	var row []string
	refused := map[string][]string{}
	var reasons []string
	for i, p := range ds.presets {
		label := roles.FormatDuration(p.d)
		switch {
		case p.refused != "":
			row = append(row, st.presetNo.Render(label+"✗"))
			if _, seen := refused[p.refused]; !seen {
				reasons = append(reasons, p.refused)
			}
			refused[p.refused] = append(refused[p.refused], label)
		case i == ds.sel && !typed:
			row = append(row, st.presetOn.Render("["+label+"]"))
		default:
			row = append(row, st.preset.Render(" "+label+" "))
		}
	}
	lines = append(lines, wrapWords(row, width))
	// With a typed value its own verdict is shown instead, which keeps the
	// step within a short terminal.
	for _, r := range reasons {
		if typed {
			break
		}
		lines = append(lines, st.muted.Width(width).Render("✗ "+strings.Join(refused[r], " ")+": "+r))
	}
	in := ds.input
	if width < 50 {
		in.Prompt = "or type: "
	}
	lines = append(lines, "", in.View())
	if typed {
		if d, err := ds.value(); err != nil {
			lines = append(lines, st.danger.Width(width).Render("✗ "+err.Error()))
		} else {
			lines = append(lines, st.ok.Render("✓ "+roles.FormatDuration(d)))
		}
	}
	if height < 14 {
		// A short terminal keeps the verdict on screen rather than the spacing.
		kept := lines[:0]
		for _, l := range lines {
			if l != "" {
				kept = append(kept, l)
			}
		}
		lines = kept
	}
	return strings.Join(lines, "\n")
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
