package ui

import (
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// mfaStep asks for one six-digit code per distinct MFA serial of the plan.
// The field echoes bullets, so a code is never on screen, in a golden file
// or in a terminal scrollback; codes live only in the step until the
// assume request takes them.
type mfaStep struct {
	st      *styles
	serials []string
	idx     int
	codes   map[string]string
	input   textinput.Model
	hint    string
}

func newMFAStep(st *styles, serials []string, codes map[string]string) mfaStep {
	in := textinput.New()
	in.Prompt = "code: "
	in.CharLimit = 6
	in.Width = 8
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Focus()
	if codes == nil {
		codes = map[string]string{}
	}
	m := mfaStep{st: st, serials: serials, codes: codes, input: in}
	m.skipKnown()
	return m
}

// skipKnown moves past serials that already have a code (--mfa-code).
func (m *mfaStep) skipKnown() {
	for m.idx < len(m.serials) && m.codes[m.serials[m.idx]] != "" {
		m.idx++
	}
}

// done reports whether every serial has a code.
func (m mfaStep) done() bool { return m.idx >= len(m.serials) }

// submit takes the field as the current serial's code when it is six
// digits; it reports whether it did.
func (m *mfaStep) submit() bool {
	v := m.input.Value()
	if len(v) != 6 {
		m.hint = "the code has 6 digits"
		return false
	}
	m.codes[m.serials[m.idx]] = v
	m.input.Reset()
	m.hint = ""
	m.idx++
	m.skipKnown()
	return true
}

func (m mfaStep) update(msg tea.Msg) (mfaStep, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && (k.Type == tea.KeyRunes || k.Type == tea.KeySpace) {
		for _, r := range k.Runes {
			if r < '0' || r > '9' {
				m.hint = "digits only"
				return m, nil
			}
		}
		if k.Type == tea.KeySpace {
			return m, nil
		}
	}
	m.hint = ""
	var cmd tea.Cmd
	m.input, cmd = m.input.Update(msg)
	return m, cmd
}

func (m mfaStep) view(width int) string {
	st := m.st
	if m.done() {
		return ""
	}
	title := st.title.Render("Enter MFA code for ") + st.text.Render(m.serials[m.idx])
	lines := []string{st.text.Width(width).Render(title), "", m.input.View()}
	if len(m.serials) > 1 {
		lines = append(lines, st.muted.Render(ansi.Truncate(
			"device "+strconv.Itoa(m.idx+1)+" of "+strconv.Itoa(len(m.serials)), width, "…")))
	}
	if m.hint != "" {
		lines = append(lines, st.warn.Render(m.hint))
	}
	return strings.Join(lines, "\n")
}
