package ui

import (
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"github.com/rolesw/rolesw/roles"
)

// The root model's drawing: the chrome (header, note, status, key help)
// around the body of the current screen, sized to the terminal.

// detailShown reports whether the detail pane is on: the user's toggle,
// else on when the terminal is wide enough.
func (m Model) detailShown() bool {
	if m.detail != nil {
		return *m.detail
	}
	return m.width >= detailMinWidth
}

// chrome is everything above and below the body: header, note, status and
// help, rendered at the current width.
func (m Model) chrome() (top, bottom string) {
	w := m.innerWidth()
	parts := []string{m.header.view(w)}
	if m.opts.Note != "" {
		parts = append(parts, m.st.muted.Render(ansi.Truncate(m.opts.Note, w, "…")))
	}
	if m.status != "" {
		status := m.statusStyle.Width(w).Render(m.status)
		// On a short terminal a long status would push the step it is
		// about off the screen: keep two lines.
		if lines := strings.Split(status, "\n"); m.height < shortHeight && len(lines) > 2 {
			status = lines[0] + "\n" + ansi.Truncate(lines[1], w-1, "") + "…"
		}
		parts = append(parts, status)
	}
	top = strings.Join(parts, "\n")
	return top, m.helpView(w)
}

// helpView is the key help cut to whole items that fit in w. bubbles/help
// adds an item that overruns when its ellipsis would not fit, which a cut
// at the edge turns into a dangling "esc back •".
func (m Model) helpView(w int) string {
	hk := m.keys.helpFor(m.state, m.filtering(), m.errRetry)
	if m.help.ShowAll {
		return m.fullHelp(hk.full, w)
	}
	h := m.help
	h.Width = 0
	short := hk.short
	if s := h.ShortHelpView(short); lipgloss.Width(s) <= w {
		return s
	}
	// Too narrow for all: the items after the first go, from the second
	// on, so "enter" and the last ones ("q quit", "? more keys", which
	// shows the rest) stay.
	for k := 1; k < len(short); k++ {
		s := h.ShortHelpView(append([]key.Binding{short[0]}, short[k+1:]...))
		if lipgloss.Width(s) <= w {
			return s
		}
	}
	return ""
}

// fullHelp lays the groups of keys side by side, starting a new row of
// groups when the next would not fit in w, so a narrow terminal shows
// every key rather than the first column only.
func (m Model) fullHelp(groups [][]key.Binding, w int) string {
	h := m.help
	h.Width = 0 // bubbles/help would cut the groups that overrun with "…"
	if s := h.FullHelpView(groups); lipgloss.Width(s) <= w {
		return s
	}
	const gap = "  "
	var rows []string
	var row []string
	rowWidth := 0
	for _, g := range groups {
		col := h.FullHelpView([][]key.Binding{g})
		cw := lipgloss.Width(col)
		if len(row) > 0 && rowWidth+len(gap)+cw > w {
			rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
			row, rowWidth = nil, 0
		}
		if len(row) > 0 {
			row = append(row, gap)
			rowWidth += len(gap)
		}
		row = append(row, col)
		rowWidth += cw
	}
	rows = append(rows, lipgloss.JoinHorizontal(lipgloss.Top, row...))
	return m.st.body.MaxWidth(w).Render(strings.Join(rows, "\n"))
}

func (m Model) innerWidth() int { return max(m.width-2, 10) }

// bodySize is the space between the chrome, less one blank line under the
// header.
func (m Model) bodySize() (w, h int) {
	top, bottom := m.chrome()
	return m.innerWidth(), max(m.height-lipgloss.Height(top)-lipgloss.Height(bottom)-1, 3)
}

// listWidth is the list's share of the body.
func (m Model) listWidth(w int) int {
	if !m.detailShown() {
		return w
	}
	if m.width < detailMinWidth {
		return 0 // narrow: the detail pane replaces the list
	}
	return w * 55 / 100
}

// layout sizes the list to the body.
func (m *Model) layout() {
	if m.width == 0 {
		return
	}
	w, h := m.bodySize()
	lw := m.listWidth(w)
	switch {
	case lw == 0:
		lw = w
	case m.detailShown():
		lw-- // a free column, so a row never touches the pane's border
	}
	m.profiles.setSize(lw, h)
}

// View renders the current screen.
func (m Model) View() string {
	if m.state == stateLoading {
		return "rolesw: starting…"
	}
	top, bottom := m.chrome()
	w, h := m.bodySize()
	var body string
	switch m.state {
	case stateList:
		body = m.listBody(w, h)
	case stateDuration:
		body = m.dur.view(w, h)
	case stateMFA:
		body = m.mfa.view(w)
	case stateAssuming:
		body = m.spin.View() + " " + m.st.text.Render("Assuming "+m.target()+
			" for "+lengthWords(m.length)+"…")
	case stateError:
		box := m.st.errBox.Width(min(w-2, 76))
		body = box.Render(m.st.danger.Render(m.errTitle) + "\n\n" + m.st.text.Render(m.errBody) +
			"\n\n" + m.st.muted.Render(m.errKeys()))
	}
	body = m.st.body.Height(h).MaxHeight(h).MaxWidth(w).Render(body)
	return m.st.app.Render(top + "\n\n" + body + "\n" + bottom)
}

func lengthWords(d time.Duration) string {
	if d == 0 {
		return "the default length"
	}
	return roles.FormatDuration(d)
}

func (m Model) listBody(w, h int) string {
	if !m.detailShown() {
		return m.profiles.view()
	}
	it, _ := m.profiles.selected()
	lw := m.listWidth(w)
	if lw == 0 {
		return detailView(m.st, it, w-1, h)
	}
	return lipgloss.JoinHorizontal(lipgloss.Top,
		m.st.body.Width(lw).Render(m.profiles.view()), detailView(m.st, it, w-lw-1, h))
}
