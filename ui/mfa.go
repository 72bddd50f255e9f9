package ui

import (
	"slices"
	"strconv"
	"strings"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
)

// mfaStep asks for one six-digit code per MFA hop of the plan, in the
// order the hops are called, as the AWS CLI prompts once per hop: STS
// takes each code once, so a serial that comes back needs the device's
// next code. The field echoes bullets, so a code is never on screen, in a
// golden file or in a terminal scrollback; codes live only in the step
// until the assume request takes them.
type mfaStep struct {
	st      *styles
	serials []string // one per MFA hop
	codes   []string // the code of each hop, "" until typed
	idx     int
	input   textinput.Model
	hint    string
	// reason, when set, says why a code is asked in the middle of an
	// assume (the role's maximum was being learned).
	reason string
}

func newMFAStep(st *styles, serials, codes []string) mfaStep {
	in := textinput.New()
	in.Prompt = "code: "
	in.CharLimit = 6
	in.Width = 8
	in.EchoMode = textinput.EchoPassword
	in.EchoCharacter = '•'
	in.Cursor.SetMode(cursor.CursorStatic)
	in.Focus()
	all := make([]string, len(serials))
	copy(all, codes)
	m := mfaStep{st: st, serials: serials, codes: all, input: in}
	m.skipKnown()
	return m
}

// skipKnown moves past hops that already have a code (--mfa-code).
func (m *mfaStep) skipKnown() {
	for m.idx < len(m.serials) && m.codes[m.idx] != "" {
		m.idx++
	}
}

// done reports whether every hop has a code.
func (m mfaStep) done() bool { return m.idx >= len(m.serials) }

// again reports whether the current code is the device's next one: its
// serial was asked for before, here or in the assume that asks again.
func (m mfaStep) again() bool {
	return m.reason != "" || slices.Contains(m.serials[:m.idx], m.serials[m.idx])
}

// submit takes the field as the current hop's code when it is six digits;
// it reports whether it did.
func (m *mfaStep) submit() bool {
	v := m.input.Value()
	if len(v) != 6 {
		m.hint = "the code has 6 digits"
		return false
	}
	if m.again() && slices.Contains(m.codes[:m.idx], v) {
		m.hint = "STS takes each code once: wait for the device's next code"
		return false
	}
	m.codes[m.idx] = v
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
	var lines []string
	if m.reason != "" {
		lines = append(lines, st.warn.Width(width).Render(m.reason), "")
	}
	ask := "Enter MFA code for "
	if m.again() {
		ask = "Enter the next MFA code for "
	}
	title := st.title.Render(ask) + st.text.Render(m.serials[m.idx])
	lines = append(lines, st.text.Width(width).Render(title), "", m.input.View())
	if len(m.serials) > 1 {
		lines = append(lines, st.muted.Render(ansi.Truncate(
			"code "+strconv.Itoa(m.idx+1)+" of "+strconv.Itoa(len(m.serials))+", one per role that needs MFA", width, "…")))
	}
	if m.hint != "" {
		lines = append(lines, st.warn.Render(m.hint))
	}
	return strings.Join(lines, "\n")
}
