package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/google/go-cmp/cmp"

	"github.com/rolesw/rolesw/session"
)

func TestFilterProfiles(t *testing.T) {
	items := []Entry{
		{Name: "prod-admin"}, {Name: "dev"}, {Name: "p-r-o-d"}, {Name: "staging"}, {Name: "Prod EU"},
	}
	var pitems []profileItem
	for i, e := range items {
		it := newProfileItem(e, i)
		it.hay = strings.ToLower(e.Name + nameEnd + map[int]string{
			0: "123456789012 admin eu-west-1", 1: "111111111111 devrole us-east-1",
			2: "999999999999 x us-east-1", 3: "222222222222 productionreader eu-west-1",
			4: "333333333333 admin eu-central-1",
		}[i])
		pitems = append(pitems, it)
	}
	fx := newFilterIndex(pitems)
	names := func(term string) []string {
		var out []string
		for _, i := range fx.filter(term) {
			out = append(out, items[i].Name)
		}
		return out
	}
	for _, tc := range []struct {
		term string
		want []string
	}{
		{"", []string{"prod-admin", "dev", "p-r-o-d", "staging", "Prod EU"}},
		// name substrings first, then other fields, then scattered letters
		{"prod", []string{"prod-admin", "Prod EU", "staging", "p-r-o-d"}},
		{"PROD", []string{"prod-admin", "Prod EU", "staging", "p-r-o-d"}},
		// every word must match
		{"prod eu", []string{"Prod EU", "prod-admin", "staging"}},
		{"prod central", []string{"Prod EU"}},
		{"1111", []string{"dev"}},
		{"us-east", []string{"dev", "p-r-o-d"}},
		{"zzz", nil},
	} {
		if diff := cmp.Diff(tc.want, names(tc.term)); diff != "" {
			t.Errorf("filter %q (-want +got):\n%s", tc.term, diff)
		}
	}
}

func TestFrecencyOrder(t *testing.T) {
	now := t0
	var items []profileItem
	for i, n := range []string{"a", "b", "c", "d", "e"} {
		items = append(items, profileItem{entry: Entry{Name: n}, order: i})
	}
	uses := map[string]session.Usage{
		"d": {Count: 2, Last: now.Add(-time.Hour)},            // recent
		"b": {Count: 40, Last: now.Add(-60 * 24 * time.Hour)}, // frequent, long ago
		"e": {Count: 5, Last: now.Add(-2 * 24 * time.Hour)},   // this week
		"c": {Count: 0},
	}
	frecencyOrder(items, uses, now)
	var got []string
	for _, it := range items {
		got = append(got, it.entry.Name)
	}
	if diff := cmp.Diff([]string{"d", "e", "b", "a", "c"}, got); diff != "" {
		t.Errorf("order (-want +got):\n%s", diff)
	}
}

// drive feeds messages to a model and runs no commands.
func drive(m tea.Model, msgs ...tea.Msg) Model {
	for _, msg := range msgs {
		m, _ = m.Update(msg)
	}
	return m.(Model)
}

func runes(s string) tea.KeyMsg { return tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune(s)} }

var (
	enter     = tea.KeyMsg{Type: tea.KeyEnter}
	backspace = tea.KeyMsg{Type: tea.KeyBackspace}
)

// TestDurationNeverOutOfBounds drives the duration step of the chained
// profile with values a user might type; only in-bounds ones may produce a
// request, and the fake counts every call.
func TestDurationNeverOutOfBounds(t *testing.T) {
	for _, tc := range []struct {
		typed   string
		assumes bool
		says    string
	}{
		{"2h", false, "2h is more than 1h: role chaining"},
		{"10m", false, "10m is less than 15m"},
		{"3601", false, "1h1s is more than 1h"},
		{"abc", false, "not valid"},
		{"45m", true, ""},
		{"3600", true, ""},
	} {
		t.Run(tc.typed, func(t *testing.T) {
			fs := &fakeSession{ambient: longTermAmbient(), res: &session.Result{}}
			// --mfa-code skips the MFA step of prod's first hop.
			m := NewModel(Options{Entries: fixtureEntries(t), Session: fs, Initial: "prod", MFACode: "123456", Now: newClock().Now})
			m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, runes(tc.typed))
			if tc.says != "" && !strings.Contains(m.View(), tc.says) {
				t.Errorf("typing %q: screen lacks %q:\n%s", tc.typed, tc.says, m.View())
			}
			_, cmd := m.Update(enter)
			if cmd != nil {
				runCmd(cmd)
			}
			calls := fs.Calls()
			if tc.assumes != (len(calls) == 1) {
				t.Fatalf("typing %q then enter: %d requests, want assume=%v", tc.typed, len(calls), tc.assumes)
			}
		})
	}
}

// runCmd runs a command and every command of a batch, dropping messages;
// enough to make an Assume happen in a plain unit test.
func runCmd(cmd tea.Cmd) {
	msg := cmd()
	if b, ok := msg.(tea.BatchMsg); ok {
		for _, c := range b {
			if c != nil {
				runCmd(c)
			}
		}
	}
}

func TestPresetDurationRefusedFromFlag(t *testing.T) {
	fs := &fakeSession{}
	m := NewModel(Options{Entries: fixtureEntries(t), Session: fs, Initial: "prod", Duration: 2 * time.Hour, MFACode: "123456"})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(m.View(), "2h is more than 1h") {
		t.Errorf("-d 2h on a chained role should be shown refused:\n%s", m.View())
	}
	next, cmd := m.Update(enter)
	if cmd != nil {
		runCmd(cmd)
	}
	if n := len(fs.Calls()); n != 0 || next.(Model).state != stateDuration {
		t.Errorf("enter on a refused -d sent %d requests, state %d", n, next.(Model).state)
	}
	// Clearing the typed value falls back to the highlighted preset (1h).
	m = drive(next, backspace, backspace)
	if _, cmd = m.Update(enter); cmd != nil {
		runCmd(cmd)
	}
	if calls := fs.Calls(); len(calls) != 1 || calls[0].Duration != time.Hour {
		t.Errorf("requests %+v, want one of 1h", calls)
	}
}

func TestStaleTicksDropped(t *testing.T) {
	m := NewModel(Options{Entries: fixtureEntries(t), Now: newClock().Now})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if _, cmd := m.Update(tickMsg{id: m.header.tickID}); cmd == nil {
		t.Error("the current tick did not schedule the next one")
	}
	if _, cmd := m.Update(tickMsg{id: m.header.tickID - 1}); cmd != nil {
		t.Error("a stale tick scheduled another: two tick chains would run")
	}
	// A shell return starts a new chain and retires the old one.
	old := m.header.tickID
	m = drive(m, shellExitMsg{profile: "dev"})
	if m.header.tickID == old {
		t.Fatal("shell return kept the old tick id")
	}
	if _, cmd := m.Update(tickMsg{id: old}); cmd != nil {
		t.Error("the tick pending during the shell was not dropped")
	}
}

// TestCountdownAfterLongExec: the clock jumps while a shell holds the
// terminal (no ticks arrive); the countdown must follow the clock.
func TestCountdownAfterLongExec(t *testing.T) {
	clock := newClock()
	l := &fakeLauncher{clock: clock, runFor: 40 * time.Minute}
	fs := &fakeSession{ambient: expiringAmbient(50 * time.Minute), res: &session.Result{Granted: time.Hour}}
	m := NewModel(Options{Entries: fixtureEntries(t), Session: fs, Launcher: l, Now: clock.Now, Initial: "staging"})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, ambientMsg{seq: 1, ambient: fs.ambient})
	if text, tn := m.header.remaining(); text != "expires in 50m 00s" || tn != toneOK {
		t.Fatalf("before: %q tone %d", text, tn)
	}
	// Run the shell as tea.Exec would: the fake moves the clock by 40m.
	res, _ := fs.Assume(context.Background(), m.entry.Plan, session.Request{})
	_ = l.Command(res, devUser).Run()
	m = drive(m, shellExitMsg{profile: "staging", started: t0})
	text, tn := m.header.remaining()
	if text != "expires in 10m 00s" || tn != toneWarn {
		t.Errorf("after a 40m shell: %q tone %d, want \"expires in 10m 00s\" as a warning", text, tn)
	}
	if !strings.Contains(m.View(), "Left staging after 40m (exit 0)") {
		t.Errorf("return line wrong:\n%s", m.View())
	}
}

func TestHeaderTones(t *testing.T) {
	st := newStyles()
	for _, tc := range []struct {
		a    session.Ambient
		want string
		tone tone
	}{
		{expiringAmbient(20 * time.Minute), "expires in 20m 00s", toneOK},
		{expiringAmbient(14*time.Minute + 59*time.Second), "expires in 14m 59s", toneWarn},
		{expiringAmbient(4 * time.Minute), "expires in 4m 00s", toneDanger},
		{expiringAmbient(2*time.Hour + 3*time.Second), "expires in 2h 00m 03s", toneOK},
		{expiringAmbient(-30 * time.Second), "expired 30s ago", toneDanger},
		{expiringAmbient(-75 * time.Minute), "expired 1h15m ago", toneDanger},
		{longTermAmbient(), "no expiry (long-term keys)", toneOK},
		{session.Ambient{}, "no credentials", toneDanger},
	} {
		h := newHeader(&st, func() time.Time { return t0 })
		h.ambient, h.loaded = tc.a, true
		if text, tn := h.remaining(); text != tc.want || tn != tc.tone {
			t.Errorf("got %q tone %d, want %q tone %d", text, tn, tc.want, tc.tone)
		}
	}
}

func TestTypingQInFilterDoesNotQuit(t *testing.T) {
	m := NewModel(Options{Entries: fixtureEntries(t), Now: newClock().Now})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, runes("s"))
	next, cmd := m.Update(runes("q"))
	if cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("q while filtering quit the switcher")
		}
	}
	if got := next.(Model).profiles.input.Value(); got != "sq" {
		t.Errorf("filter %q, want \"sq\"", got)
	}
}

// TestTypingReplacesRefusedFlagValue: a refused -d value is shown typed;
// the first character the user types replaces it instead of extending it.
func TestTypingReplacesRefusedFlagValue(t *testing.T) {
	m := NewModel(Options{Entries: fixtureEntries(t), Initial: "prod", Duration: 2 * time.Hour, Now: newClock().Now})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, runes("4"), runes("5"), runes("m"))
	if got := m.dur.input.Value(); got != "45m" {
		t.Errorf("typed 45m over the refused 2h: input %q, want \"45m\"", got)
	}
	if !strings.Contains(m.View(), "✓ 45m") {
		t.Errorf("45m should be accepted:\n%s", m.View())
	}
}

// TestProfileDefaultIsAPreset: staging's duration_seconds (1h30m) is
// offered and selected as a preset, so typing starts from an empty field.
func TestProfileDefaultIsAPreset(t *testing.T) {
	m := NewModel(Options{Entries: fixtureEntries(t), Initial: "staging", Now: newClock().Now})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30})
	if !strings.Contains(m.View(), "[1h30m]") || m.dur.input.Value() != "" {
		t.Errorf("want 1h30m selected as a preset and an empty field (%q):\n%s", m.dur.input.Value(), m.View())
	}
	m = drive(m, runes("2"), runes("h"))
	if d, err := m.dur.value(); err != nil || d != 2*time.Hour {
		t.Errorf("typed 2h: %v, %v", d, err)
	}
}

// TestGaugeFromIssued: the gauge shows (now - issued) / (expires - issued)
// when AmbientIssued answers; the hook runs in the ambient command, with
// the ambient it describes, and never for credentials that do not expire.
func TestGaugeFromIssued(t *testing.T) {
	for _, tc := range []struct {
		name    string
		ambient session.Ambient
		issued  time.Time
		known   bool
		want    string // "" for no gauge
		asked   bool
	}{
		{"quarter", expiringAmbient(45 * time.Minute), t0.Add(-15 * time.Minute), true, " 25%", true},
		{"unknown", expiringAmbient(45 * time.Minute), time.Time{}, false, "", true},
		{"issued after expiry", expiringAmbient(45 * time.Minute), t0.Add(time.Hour), true, "", true},
		{"long-term keys", longTermAmbient(), t0.Add(-time.Hour), true, "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var asked []session.Ambient
			hook := func(a session.Ambient) (time.Time, bool) {
				asked = append(asked, a)
				return tc.issued, tc.known
			}
			fs := &fakeSession{ambient: tc.ambient}
			m := NewModel(Options{Entries: fixtureEntries(t), Session: fs, AmbientIssued: hook, Now: newClock().Now})
			msg := fetchAmbient(fs, hook, m.header.seq)()
			m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, msg)
			if tc.asked != (len(asked) == 1) {
				t.Fatalf("hook called %d times, want asked=%v", len(asked), tc.asked)
			}
			if tc.asked && asked[0].Profile != tc.ambient.Profile {
				t.Errorf("hook got ambient %+v", asked[0])
			}
			line2 := strings.Split(m.View(), "\n")[1]
			switch {
			case tc.want != "" && !strings.Contains(line2, tc.want):
				t.Errorf("header lacks the gauge %q: %q", tc.want, line2)
			case tc.want == "" && strings.Contains(line2, "%"):
				t.Errorf("header shows a gauge it cannot know: %q", line2)
			}
			_ = m.View()
			if tc.asked && len(asked) != 1 {
				t.Errorf("View called the hook (%d calls): no I/O in View", len(asked))
			}
		})
	}
}

// TestFilterKeys: typing filters, an arrow ends the typing and moves
// through the matches, typing again extends the same filter, and esc drops
// it with the highlighted profile still highlighted.
func TestFilterKeys(t *testing.T) {
	down := tea.KeyMsg{Type: tea.KeyDown}
	esc := tea.KeyMsg{Type: tea.KeyEsc}
	m := NewModel(Options{Entries: fixtureEntries(t), Now: newClock().Now})
	m = drive(m, tea.WindowSizeMsg{Width: 100, Height: 30}, runes("d"), runes("e"), runes("v"))
	if !m.profiles.typing() || !strings.Contains(m.View(), "filter: dev") {
		t.Fatalf("typing dev should open the filter:\n%s", m.View())
	}
	m = drive(m, down)
	sel, _ := m.profiles.selected()
	if m.profiles.typing() || sel == nil || sel.entry.Name != "dev-admin" {
		t.Fatalf("down should end the typing on the second match, dev-admin; got %v typing=%v", sel, m.profiles.typing())
	}
	if !strings.Contains(m.View(), "“dev”") {
		t.Errorf("the applied filter is not shown:\n%s", m.View())
	}
	m = drive(m, runes("-"))
	if got := m.profiles.input.Value(); got != "dev-" || !m.profiles.typing() {
		t.Errorf("typing after the arrow: filter %q typing=%v, want \"dev-\" and typing", got, m.profiles.typing())
	}
	m = drive(m, esc, runes("stag"), down, esc)
	sel, _ = m.profiles.selected()
	if sel == nil || sel.entry.Name != "staging" || m.profiles.list.Index() != 3 ||
		len(m.profiles.list.Items()) != 5 || m.profiles.mode != filterOff {
		t.Errorf("esc should list all 5 with staging (the fourth) still highlighted; got %v at %d, %d shown",
			sel, m.profiles.list.Index(), len(m.profiles.list.Items()))
	}
	m = drive(m, runes("z"), runes("z"), runes("z"))
	if !strings.Contains(m.View(), "Nothing matched") {
		t.Errorf("no match should say so:\n%s", m.View())
	}
	if next := drive(m, enter); next.state != stateList {
		t.Errorf("enter with nothing matched left the list (state %d)", next.state)
	}
}
