package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/spinner"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// state is the screen the switcher is on.
type state int

const (
	stateLoading  state = iota // no window size yet
	stateList                  // choosing a profile
	stateDuration              // choosing the session length
	stateMFA                   // typing an MFA code
	stateAssuming              // waiting for STS
	stateError                 // an assume failed
)

// Exit codes Run returns.
const (
	exitOK          = 0
	exitFailure     = 1
	exitInterrupted = 130
)

// shortHeight is the height under which the status line is cut to two
// lines.
const shortHeight = 20

// detailMinWidth is the narrowest terminal that shows the detail pane
// beside the list without being asked.
const detailMinWidth = 80

// Model is the switcher's root model. It owns the global keys, the window
// size and the messages that cross screens, and hands everything else to
// the child of the current state.
type Model struct {
	opts  Options
	now   func() time.Time
	st    *styles
	keys  *keyMap
	help  help.Model
	state state
	next  state // the state after loading
	// pending is the --initial profile without hops, assumed as soon as
	// the switcher has a size.
	pending *Entry

	width, height int

	header   header
	profiles profileList
	// uses is the frecency record, updated here after each use so the
	// order can change without reading the state file in Update.
	uses map[string]session.Usage
	// detail is the user's toggle; nil follows the terminal width.
	detail *bool

	dur     durationStep
	mfa     mfaStep
	spin    spinner.Model
	entry   Entry         // the profile being assumed
	length  time.Duration // its chosen length
	prefill string        // --mfa-code, used for the first MFA request only

	assumeID int
	cancel   context.CancelFunc
	// ask is the assume in flight waiting for the device's next MFA code.
	ask *codeAskMsg

	errTitle, errBody string
	errRetry          bool // enter tries the same request again

	// err is the failure Run returns with Once (a shell that cannot start).
	err error

	status      string
	statusStyle lipgloss.Style

	exitCode int
}

// NewModel builds the root model (teatest and benchmarks use it directly).
func NewModel(opts Options) Model {
	st := newStyles()
	keys := newKeyMap()
	now := opts.Now
	if now == nil {
		now = time.Now
	}
	m := Model{
		opts:    opts,
		now:     now,
		st:      &st,
		keys:    &keys,
		help:    help.New(),
		next:    stateList,
		prefill: opts.MFACode,
		header:  newHeader(&st, now),
		spin:    spinner.New(spinner.WithSpinner(spinner.Dot), spinner.WithStyle(st.cursor)),
	}
	m.help.Styles = helpStyles()
	m.header.tickID = 1
	m.header.seq = 1

	items := make([]profileItem, len(opts.Entries))
	for i, e := range opts.Entries {
		items[i] = newProfileItem(e, i)
	}
	m.uses = map[string]session.Usage{}
	if opts.History != nil {
		for name, u := range opts.History.Uses() {
			m.uses[name] = u
		}
		frecencyOrder(items, m.uses, now())
	}
	m.profiles = newProfileList(&st, &keys, items)

	if opts.Initial != "" {
		for _, it := range items {
			if it.entry.Name == opts.Initial && it.entry.Plan != nil && it.entry.Err == nil {
				if len(it.entry.Plan.Hops) == 0 {
					// Nothing to choose: the assume starts with the
					// first frame, where its command can run.
					e := it.entry
					m.pending = &e
					break
				}
				m.startFlow(it.entry)
				m.next = m.state
				break
			}
		}
	}
	m.state = stateLoading
	return m
}

// ExitCode is the process exit code the switcher ended with.
func (m Model) ExitCode() int { return m.exitCode }

// Err is the failure the switcher ended with, for main to print once the
// terminal is back: with Once, a shell that could not start. nil otherwise.
func (m Model) Err() error { return m.err }

// Init fetches the ambient identity and starts the clock; the first frame
// never waits for either.
func (m Model) Init() tea.Cmd {
	cmds := []tea.Cmd{tick(m.header.tickID)}
	if m.opts.Session != nil {
		cmds = append(cmds, fetchAmbient(m.opts.Session, m.opts.AmbientIssued, m.header.seq))
	}
	return tea.Batch(cmds...)
}

// Update handles the messages that cross screens, then passes the rest to
// the current screen.
func (m Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.help.Width = m.innerWidth()
		var cmd tea.Cmd
		if m.state == stateLoading {
			m.state = m.next
			if m.pending != nil {
				cmd = m.startFlow(*m.pending)
				m.pending = nil
			}
		}
		m.layout()
		return m, cmd

	case tickMsg:
		if msg.id != m.header.tickID {
			return m, nil // a tick chain from before a shell or a restart
		}
		return m, tick(msg.id)

	case ambientMsg:
		if msg.seq == m.header.seq {
			m.header.ambient, m.header.err, m.header.loaded = msg.ambient, msg.err, true
			m.header.issued = msg.issued
			m.layout()
		}
		return m, nil

	case assumedMsg:
		return m.assumed(msg)

	case codeAskMsg:
		if msg.id != m.assumeID || m.state != stateAssuming {
			return m, nil // a cancelled assume; its context is done
		}
		m.ask = &msg
		m.mfa = newMFAStep(m.st, []string{msg.ask.Serial}, nil)
		m.mfa.reason = msg.ask.Why
		m.state = stateMFA
		m.layout()
		return m, nil

	case shellExitMsg:
		return m.shellExited(msg)

	case recordedMsg:
		if msg.err != nil {
			m.setStatus(m.st.warn, "could not save profile history: "+msg.err.Error())
		}
		return m, nil

	case spinner.TickMsg:
		if m.state != stateAssuming {
			return m, nil
		}
		var cmd tea.Cmd
		m.spin, cmd = m.spin.Update(msg)
		return m, cmd

	case tea.KeyMsg:
		if m.state == stateAssuming {
			if key.Matches(msg, m.keys.Cancel) {
				return m.cancelAssume(), nil
			}
			return m, nil
		}
		if key.Matches(msg, m.keys.ForceQuit) {
			if m.cancel != nil {
				m.cancel() // an assume waiting for an MFA code ends too
			}
			m.exitCode = exitInterrupted
			return m, tea.Quit
		}
		if key.Matches(msg, m.keys.Help) && !m.filtering() && m.state != stateLoading {
			m.help.ShowAll = !m.help.ShowAll
			m.layout()
			return m, nil
		}
	}

	switch m.state {
	case stateList:
		return m.updateList(msg)
	case stateDuration:
		return m.updateDuration(msg)
	case stateMFA:
		return m.updateMFA(msg)
	case stateError:
		return m.updateError(msg)
	}
	return m, nil
}

func (m Model) filtering() bool {
	return m.state == stateList && m.profiles.typing()
}

func (m *Model) setStatus(style lipgloss.Style, s string) {
	m.status, m.statusStyle = s, style
	m.layout()
}

func (m Model) updateList(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.keys.Detail):
			on := !m.detailShown()
			m.detail = &on
			m.layout()
			return m, nil
		case key.Matches(k, m.keys.Choose):
			it, ok := m.profiles.selected()
			if !ok {
				return m, nil
			}
			m.profiles.accept()
			if it.entry.Err != nil || it.entry.Plan == nil {
				m.setStatus(m.st.danger, it.entry.Name+" cannot be assumed: "+it.reason)
				return m, nil
			}
			m.status = ""
			cmd := m.startFlow(it.entry)
			m.layout()
			return m, cmd
		case !m.profiles.typing() && key.Matches(k, m.keys.Quit):
			m.exitCode = exitOK
			return m, tea.Quit
		}
	}
	var cmd tea.Cmd
	m.profiles, cmd = m.profiles.update(msg)
	return m, cmd
}

// startFlow opens the steps for e: the duration step, or for a profile
// without hops (its own base credentials) straight to MFA or assuming.
func (m *Model) startFlow(e Entry) tea.Cmd {
	m.entry = e
	if len(e.Plan.Hops) == 0 {
		m.length = 0
		return m.afterDuration()
	}
	want := m.opts.Duration
	if m.length > 0 {
		want = m.length // a retry keeps the last choice
	}
	m.dur = newDurationStep(m.st, m.keys, e, want)
	m.state = stateDuration
	return nil
}

func (m Model) updateDuration(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.keys.Back):
			m.state = stateList
			m.length = 0
			m.layout()
			return m, nil
		case key.Matches(k, m.keys.Choose):
			d, err := m.dur.value()
			if err != nil {
				return m, nil // the step already shows why
			}
			m.length = d
			cmd := m.afterDuration()
			m.layout()
			return m, cmd
		}
	}
	var cmd tea.Cmd
	m.dur, cmd = m.dur.update(msg)
	return m, cmd
}

// afterDuration asks for MFA codes when a hop needs one, else assumes.
func (m *Model) afterDuration() tea.Cmd {
	serials := mfaSerials(m.entry.Plan)
	var codes []string
	if m.prefill != "" && len(serials) > 0 {
		// --mfa-code is good for one request: a TOTP code is single-use.
		codes = []string{m.prefill}
		m.prefill = ""
	}
	m.mfa = newMFAStep(m.st, serials, codes)
	if !m.mfa.done() {
		m.state = stateMFA
		return nil
	}
	return m.startAssume()
}

func (m Model) updateMFA(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case key.Matches(k, m.keys.Back) && m.ask != nil:
			// Asked in the middle of an assume: going back abandons it.
			m.ask = nil
			m.mfa = mfaStep{}
			return m.cancelAssume(), nil
		case key.Matches(k, m.keys.Back):
			m.mfa = mfaStep{}
			if len(m.entry.Plan.Hops) == 0 {
				m.state = stateList
			} else {
				m.state = stateDuration
			}
			m.layout()
			return m, nil
		case key.Matches(k, m.keys.Choose):
			if !m.mfa.submit() || !m.mfa.done() {
				return m, nil // the step says why, or asks for the next code
			}
			if m.ask != nil {
				// The assume in flight takes the code and goes on.
				ask := m.ask
				m.ask = nil
				ask.reply <- m.mfa.codes[0]
				m.mfa = mfaStep{}
				m.state = stateAssuming
				m.length = ask.ask.Next
				m.layout()
				return m, tea.Batch(m.spin.Tick, ask.wait)
			}
			cmd := m.startAssume()
			m.layout()
			return m, cmd
		}
	}
	var cmd tea.Cmd
	m.mfa, cmd = m.mfa.update(msg)
	return m, cmd
}

// startAssume sends the request. The codes move into the request's closure
// and leave the model, so nothing keeps them after the call.
func (m *Model) startAssume() tea.Cmd {
	if err := checkPlan(m.entry.Plan, m.length); err != nil {
		// Unreachable through the duration step; kept so that no path can
		// send an out-of-bounds request.
		m.state = stateDuration
		m.setStatus(m.st.danger, err.Error())
		return nil
	}
	serials, codes := m.mfa.serials, m.mfa.codes
	m.mfa = mfaStep{}
	req := session.Request{
		Duration:       m.length,
		SessionName:    m.opts.SessionName,
		SourceIdentity: m.opts.SourceIdentity,
	}
	if len(codes) > 0 {
		// One code per MFA hop, handed out in call order.
		next := 0
		req.MFACode = func(_ context.Context, serial string) (string, error) {
			if next >= len(codes) || serials[next] != serial {
				return "", errors.New("no MFA code was entered for " + serial)
			}
			next++
			return codes[next-1], nil
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	m.cancel = cancel
	m.assumeID++
	m.state = stateAssuming
	m.status = ""
	return tea.Batch(m.spin.Tick, assume(ctx, m.opts.Session, m.entry, req, m.assumeID))
}

// cancelAssume abandons the request in flight: its context is cancelled
// and its answer, when it comes, carries a stale id and is dropped.
func (m Model) cancelAssume() Model {
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	m.assumeID++
	m.setStatus(m.st.warn, "cancelled: "+m.entry.Name+" was not assumed")
	if len(m.entry.Plan.Hops) == 0 {
		// No step to go back to: starting the flow again would assume.
		m.state = stateList
	} else {
		m.startFlow(m.entry)
	}
	m.layout()
	return m
}

func (m Model) assumed(msg assumedMsg) (tea.Model, tea.Cmd) {
	if msg.id != m.assumeID || m.state != stateAssuming {
		return m, nil
	}
	if m.cancel != nil {
		m.cancel()
		m.cancel = nil
	}
	if msg.err != nil {
		m.state = stateError
		m.errRetry = true
		m.errTitle = "Could not assume " + m.target()
		m.errBody = session.Describe(msg.err)
		m.layout()
		return m, nil
	}
	res := msg.res
	m.status = ""
	if res.LearnedMaxSeconds > 0 {
		m.profiles.learn(res.RoleARN, res.LearnedMaxSeconds)
		m.status = "learned: " + roles.RoleName(res.RoleARN) + " allows at most " +
			secs(res.LearnedMaxSeconds) + "; got " + roles.FormatDuration(res.Granted)
		m.statusStyle = m.st.warn
	}
	m.state = stateList
	// The next profile starts from its own default, not this length.
	m.length = 0
	// Count the use here as the History will, so the list can be put in
	// the order the next run would show once the shell returns.
	u := m.uses[msg.entry.Name]
	u.Count++
	u.Last = m.now()
	m.uses[msg.entry.Name] = u
	m.layout()
	back := m.header.ambient.Identity
	return m, tea.Batch(
		recordUse(m.opts.History, msg.entry.Name),
		launch(m.opts.Launcher, msg.entry.Name, res, back, m.now()),
	)
}

// target names the role being assumed: "ProdAdmin (prod)".
func (m Model) target() string {
	if last := m.entry.Plan.Last(); last != nil {
		return roles.RoleName(last.RoleARN) + " (" + m.entry.Name + ")"
	}
	return m.entry.Name
}

func (m Model) shellExited(msg shellExitMsg) (tea.Model, tea.Cmd) {
	if !m.opts.Once {
		// Back from a shell the list starts fresh: the filter that found
		// this profile would swallow the next search.
		m.profiles.clear()
		m.profiles.reorder(m.uses, m.now(), msg.profile)
	}
	code := 0
	var es *session.ExitStatus
	switch {
	case msg.err == nil:
	case errors.As(msg.err, &es):
		code = es.Code
	default:
		// The role was assumed but no shell ran: say so where the user
		// will read it. With Once the switcher is gone before they could,
		// so Run hands the error to main, which prints it after the
		// terminal is restored.
		err := shellStartError(msg.err)
		if m.opts.Once {
			m.exitCode = exitFailure
			m.err = err
			return m, tea.Quit
		}
		m.state = stateError
		m.errRetry = false
		m.errTitle = "Could not start the shell for " + msg.profile
		m.errBody = err.Error() + "\n\nThe role was assumed, but no shell ran with it. " +
			"Check $SHELL, then choose " + msg.profile + " again."
		m.layout()
		return m, nil
	}
	if m.opts.Once {
		m.exitCode = code
		return m, tea.Quit
	}
	back := "the original credentials"
	if msg.back.ARN != "" {
		back = msg.back.ARN
	}
	learned := ""
	if strings.HasPrefix(m.status, "learned:") {
		learned = m.status + ". "
	}
	m.status = learned + "Left " + msg.profile + " after " + elapsed(m.now().Sub(msg.started)) +
		" (exit " + strconv.Itoa(code) + "). Back as " + back
	m.statusStyle = m.st.ok
	// The clock kept running while the shell held the terminal: refetch the
	// identity and restart the tick chain under a new id, so the tick that
	// was pending during the exec is dropped instead of doubling the rate.
	m.header.seq++
	m.header.tickID++
	m.layout()
	cmds := []tea.Cmd{tick(m.header.tickID)}
	if m.opts.Session != nil {
		cmds = append(cmds, fetchAmbient(m.opts.Session, m.opts.AmbientIssued, m.header.seq))
	}
	return m, tea.Batch(cmds...)
}

// elapsed words how long a shell lasted: 42s, 12m, 1h5m.
func elapsed(d time.Duration) string {
	if d < time.Minute {
		return strconv.Itoa(int(d/time.Second)) + "s"
	}
	return roles.FormatDuration(d.Truncate(time.Minute))
}

// errKeys is the error box's last line: what the keys do.
func (m Model) errKeys() string {
	if m.errRetry {
		return "enter: try again · esc: back to the list"
	}
	return "esc: back to the list · q: quit"
}

func (m Model) updateError(msg tea.Msg) (tea.Model, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok {
		switch {
		case m.errRetry && key.Matches(k, m.keys.Retry):
			cmd := m.startFlow(m.entry)
			m.layout()
			return m, cmd
		case key.Matches(k, m.keys.Back):
			m.state = stateList
			m.length = 0
			m.layout()
			return m, nil
		case key.Matches(k, m.keys.Quit):
			return m, tea.Quit
		}
	}
	return m, nil
}
