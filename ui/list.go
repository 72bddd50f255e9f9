package ui

import (
	"strconv"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/cursor"
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/paginator"
	"github.com/charmbracelet/bubbles/textinput"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// filterMode is where the filter of the profile list stands.
type filterMode int

const (
	filterOff     filterMode = iota // every profile is listed
	filterTyping                    // keys go to the filter field
	filterApplied                   // the matches are listed, keys move the cursor
)

// profileList is the profile list with its filter. bubbles/list draws the
// visible window, paginates and moves the cursor; the filter field, the
// matching and the two lines above the rows are done here. bubbles/list's
// own filter rebuilds several slices of every matching item per keystroke
// and again on each View (VisibleItems copies), which costs more than the
// 10 ms a keystroke may take with 20,000 profiles. Here the list always
// holds just the matches, in a buffer that is reused from one keystroke to
// the next, so it never filters or copies anything itself.
type profileList struct {
	st   *styles
	keys *keyMap
	ls   list.Styles

	// items are the profiles in display order (frecency, then the AWS
	// CLI's); boxed[i] is &items[i] as a list.Item, made once, so a
	// keystroke never boxes 20,000 structs again.
	items []profileItem
	boxed []list.Item
	fx    *filterIndex
	// shown is the matches buffer the list holds. It is shared by every
	// copy of the model and overwritten by the next filter, which is safe
	// because Bubble Tea only ever uses the newest model.
	shown []list.Item

	input textinput.Model
	mode  filterMode
	list  list.Model
}

func newProfileList(st *styles, keys *keyMap, items []profileItem) profileList {
	in := textinput.New()
	in.Prompt = "filter: "
	in.Cursor.SetMode(cursor.CursorStatic)
	ls := listStyles()
	in.PromptStyle = ls.FilterPrompt
	in.Cursor.Style = ls.FilterCursor

	// The items go in last: every setter re-paginates, and bubbles/list
	// starts with dot pagination, which is quadratic in the page count
	// (20,000 profiles on an unsized list are 20,000 pages).
	l := list.New(nil, profileDelegate{st: st}, 0, 0)
	l.Paginator.Type = paginator.Arabic
	l.Styles = ls
	l.KeyMap = keys.listKeyMap()
	l.SetShowTitle(false)
	l.SetShowStatusBar(false)
	l.SetFilteringEnabled(false)
	l.SetShowHelp(false)
	l.SetStatusBarItemName("profile", "profiles")
	l.DisableQuitKeybindings()

	pl := profileList{st: st, keys: keys, ls: ls, input: in, list: l}
	pl.setItems(items)
	return pl
}

// setItems replaces the profiles (a new order) and filters them again with
// the current filter text.
func (pl *profileList) setItems(items []profileItem) {
	pl.items = items
	pl.boxed = make([]list.Item, len(items))
	for i := range pl.items {
		pl.boxed[i] = &pl.items[i]
	}
	pl.fx = newFilterIndex(items)
	pl.shown = nil
	pl.refilter()
}

// refilter puts the matches of the filter text into the list and moves the
// cursor to the best one.
func (pl *profileList) refilter() {
	term := ""
	if pl.mode != filterOff {
		term = pl.input.Value()
	}
	if strings.TrimSpace(term) == "" {
		pl.fx.reset()
		pl.list.SetItems(pl.boxed)
	} else {
		idx := pl.fx.filter(term)
		shown := pl.shown[:0]
		for _, i := range idx {
			shown = append(shown, pl.boxed[i])
		}
		pl.shown = shown
		pl.list.SetItems(shown)
	}
	pl.list.SetDelegate(profileDelegate{st: pl.st, term: strings.TrimSpace(term)})
	pl.list.Select(0)
}

// typing reports whether keys go to the filter field.
func (pl profileList) typing() bool { return pl.mode == filterTyping }

// selected is the highlighted profile.
func (pl profileList) selected() (*profileItem, bool) {
	it, ok := pl.list.SelectedItem().(*profileItem)
	return it, ok
}

// selectName moves the cursor to the profile called name when it is shown.
func (pl *profileList) selectName(name string) {
	for i, it := range pl.list.Items() {
		if it.(*profileItem).entry.Name == name {
			pl.list.Select(i)
			return
		}
	}
}

// accept ends the typing and keeps the matches (enter or an arrow key).
func (pl *profileList) accept() {
	if pl.mode != filterTyping {
		return
	}
	pl.input.Blur()
	pl.mode = filterApplied
	if strings.TrimSpace(pl.input.Value()) == "" {
		pl.clear()
	}
}

// clear drops the filter and keeps the highlighted profile highlighted.
func (pl *profileList) clear() {
	sel, _ := pl.selected()
	pl.mode = filterOff
	pl.input.Reset()
	pl.input.Blur()
	pl.refilter()
	if sel != nil {
		pl.selectName(sel.entry.Name)
	}
}

// startTyping opens the filter field, keeping an applied filter's text.
func (pl *profileList) startTyping() {
	pl.mode = filterTyping
	pl.input.Focus()
	pl.input.CursorEnd()
}

// update handles the list's keys: typing filters, arrows move, esc clears.
func (pl profileList) update(msg tea.Msg) (profileList, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return pl, nil
	}
	keys := pl.keys
	if pl.mode == filterTyping {
		switch {
		case key.Matches(k, keys.ClearFilter):
			pl.clear()
			return pl, nil
		case key.Matches(k, keys.Up, keys.Down):
			// Moving through the matches ends the typing, as in fzf's
			// list; typing again resumes it.
			if len(pl.list.Items()) == 0 {
				return pl, nil
			}
			pl.accept()
		default:
			before := pl.input.Value()
			pl.input, _ = pl.input.Update(k)
			if pl.input.Value() != before {
				pl.refilter()
			}
			return pl, nil
		}
	}
	switch {
	case key.Matches(k, keys.ClearFilter):
		if pl.mode == filterApplied {
			pl.clear()
		}
		return pl, nil
	case key.Matches(k, keys.Filter):
		pl.startTyping()
		return pl, nil
	case k.Type == tea.KeyRunes:
		// Typing filters: open the field and let the key land in it.
		pl.startTyping()
		return pl.update(k)
	}
	var cmd tea.Cmd
	pl.list, cmd = pl.list.Update(k)
	return pl, cmd
}

// setSize gives the list its box; the rows get all but the two lines of
// title and status. It only touches the list when the size changed, since
// a resize re-paginates.
func (pl *profileList) setSize(w, h int) {
	h = max(h-2, 1)
	if pl.list.Width() != w || pl.list.Height() != h {
		pl.list.SetSize(w, h)
		pl.input.Width = max(w-ansi.StringWidth(pl.input.Prompt)-1, 1)
	}
}

// view is the title (or the filter field), the count, and the rows.
func (pl profileList) view() string {
	w := pl.list.Width()
	ls := pl.ls
	title := ls.Title.Render("Profiles")
	if pl.mode == filterTyping {
		title = pl.input.View()
	}
	total, shown := len(pl.items), len(pl.list.Items())
	noun := "profiles"
	if shown == 1 {
		noun = "profile"
	}
	var status string
	switch {
	case shown == 0 && pl.mode != filterOff:
		status = ls.StatusEmpty.Render("Nothing matched")
	case total == 0:
		status = ls.StatusEmpty.Render("No profiles")
	default:
		if pl.mode == filterApplied {
			status = "“" + ansi.Truncate(strings.TrimSpace(pl.input.Value()), 10, "…") + "” "
		}
		status += strconv.Itoa(shown) + " " + noun
	}
	if shown < total {
		status += ls.DividerDot.String() + ls.StatusBarFilterCount.Render(strconv.Itoa(total-shown)+" filtered")
	}
	status = ls.StatusBar.Render(status)
	rows := pl.list.View()
	if shown == 0 {
		rows = "" // the count says why
	}
	return ansi.Truncate(title, w, "…") + "\n" + ansi.Truncate(status, w, "…") + "\n" + rows
}

// reorder sorts the profiles again by frecency (after a use), with the
// cursor on the profile called name.
func (pl *profileList) reorder(uses map[string]session.Usage, now time.Time, name string) {
	items := append([]profileItem(nil), pl.items...)
	frecencyOrder(items, uses, now)
	pl.setItems(items)
	pl.selectName(name)
}

// learnedReason is the reason roles gives a maximum learned from STS.
const learnedReason = "the role's maximum (learned from STS)"

// learn applies a role maximum STS just taught (it refused a longer
// session) to every profile that ends in that role, so the duration step
// refuses the same length on screen instead of sending it again. The next
// run reads it from the state file; this keeps the running switcher in step.
func (pl *profileList) learn(roleARN string, seconds int) {
	sel, _ := pl.selected()
	items := append([]profileItem(nil), pl.items...)
	changed := false
	for i, it := range items {
		p := it.entry.Plan
		if p == nil || p.Last() == nil || p.Last().RoleARN != roleARN {
			continue
		}
		e := it.entry
		e.Plan = withLearnedMax(p, seconds)
		items[i] = newProfileItem(e, it.order)
		changed = true
	}
	if !changed {
		return
	}
	pl.setItems(items)
	if sel != nil {
		pl.selectName(sel.entry.Name)
	}
}

// withLearnedMax is a copy of p with a learned role maximum among its
// bounds (replacing an older learned one), the effective maximum and the
// default recomputed as roles does: the smallest upper bound, the later
// one on a tie.
func withLearnedMax(p *roles.Plan, seconds int) *roles.Plan {
	np := *p
	all := make([]roles.Bound, 0, len(p.Bounds.All)+1)
	for _, b := range p.Bounds.All {
		if b.Kind == roles.BoundRoleMax && b.Reason == learnedReason {
			continue
		}
		all = append(all, b)
	}
	all = append(all, roles.Bound{Kind: roles.BoundRoleMax, Seconds: seconds, Reason: learnedReason})
	var hi roles.Bound
	for _, b := range all {
		if b.Kind != roles.BoundFloor && (hi.Seconds == 0 || b.Seconds <= hi.Seconds) {
			hi = b
		}
	}
	np.Bounds = roles.Bounds{Min: p.Bounds.Min, Max: hi, All: all}
	np.Default = np.Bounds.Clip(p.Default)
	return &np
}
