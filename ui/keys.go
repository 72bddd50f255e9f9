package ui

import (
	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/bubbles/list"
)

// keyMap declares every key of the switcher once, with its help text. The
// list's own navigation keys are taken from here too (see listKeyMap), so
// help and behaviour can never disagree.
//
// Letters are deliberately absent from navigation: typing a letter in the
// list starts the filter, so j/k/g/G would make names unsearchable.
type keyMap struct {
	Up, Down, PageUp, PageDown, Home, End key.Binding
	Filter, ClearFilter                   key.Binding
	Choose, Detail                        key.Binding
	Left, Right                           key.Binding
	Back, Retry, Cancel                   key.Binding
	Help, HelpClose, Quit, ForceQuit      key.Binding
}

func newKeyMap() keyMap {
	return keyMap{
		Up:          key.NewBinding(key.WithKeys("up", "ctrl+p"), key.WithHelp("↑", "up")),
		Down:        key.NewBinding(key.WithKeys("down", "ctrl+n"), key.WithHelp("↓", "down")),
		PageUp:      key.NewBinding(key.WithKeys("pgup"), key.WithHelp("pgup", "prev page")),
		PageDown:    key.NewBinding(key.WithKeys("pgdown"), key.WithHelp("pgdn", "next page")),
		Home:        key.NewBinding(key.WithKeys("home"), key.WithHelp("home", "first")),
		End:         key.NewBinding(key.WithKeys("end"), key.WithHelp("end", "last")),
		Filter:      key.NewBinding(key.WithKeys("/"), key.WithHelp("type or /", "filter")),
		ClearFilter: key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "clear filter")),
		Choose:      key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "choose")),
		Detail:      key.NewBinding(key.WithKeys("tab"), key.WithHelp("tab", "details")),
		Left:        key.NewBinding(key.WithKeys("left", "shift+tab"), key.WithHelp("←/→", "preset")),
		Right:       key.NewBinding(key.WithKeys("right", "tab")),
		Back:        key.NewBinding(key.WithKeys("esc"), key.WithHelp("esc", "back")),
		Retry:       key.NewBinding(key.WithKeys("enter"), key.WithHelp("enter", "retry")),
		Cancel:      key.NewBinding(key.WithKeys("esc", "ctrl+c"), key.WithHelp("esc", "cancel")),
		Help:        key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "more keys")),
		HelpClose:   key.NewBinding(key.WithKeys("?"), key.WithHelp("?", "fewer keys")),
		Quit:        key.NewBinding(key.WithKeys("q"), key.WithHelp("q", "quit")),
		ForceQuit:   key.NewBinding(key.WithKeys("ctrl+c"), key.WithHelp("ctrl+c", "quit")),
	}
}

// listKeyMap gives bubbles/list the switcher's bindings. Quit and help are
// handled by the root model, so the list's own are switched off.
func (k keyMap) listKeyMap() list.KeyMap {
	km := list.DefaultKeyMap()
	km.CursorUp = k.Up
	km.CursorDown = k.Down
	km.PrevPage = k.PageUp
	km.NextPage = k.PageDown
	km.GoToStart = k.Home
	km.GoToEnd = k.End
	km.Filter = k.Filter
	km.ClearFilter = k.ClearFilter
	km.CancelWhileFiltering = k.ClearFilter
	// Enter while filtering is taken by the root (it chooses the
	// highlighted profile at once); up and down accept the filter so the
	// cursor can move through the matches.
	km.AcceptWhileFiltering = key.NewBinding(key.WithKeys("up", "down", "ctrl+p", "ctrl+n"))
	km.Quit = key.NewBinding(key.WithDisabled())
	km.ForceQuit = key.NewBinding(key.WithDisabled())
	km.ShowFullHelp = key.NewBinding(key.WithDisabled())
	km.CloseFullHelp = key.NewBinding(key.WithDisabled())
	return km
}

// helpKeys adapts the key map to bubbles/help for the current state.
type helpKeys struct {
	short []key.Binding
	full  [][]key.Binding
}

func (h helpKeys) ShortHelp() []key.Binding  { return h.short }
func (h helpKeys) FullHelp() [][]key.Binding { return h.full }

// helpFor returns the bindings that do something in state s.
func (k keyMap) helpFor(s state, filtering, retry bool) helpKeys {
	switch s {
	case stateList:
		if filtering {
			return helpKeys{
				short: []key.Binding{k.Choose, k.Up, k.Down, k.ClearFilter},
				full:  [][]key.Binding{{k.Choose, k.Up, k.Down}, {k.ClearFilter, k.Detail, k.ForceQuit}},
			}
		}
		return helpKeys{
			short: []key.Binding{k.Choose, k.Filter, k.Detail, k.Quit, k.Help},
			full: [][]key.Binding{
				{k.Up, k.Down, k.PageUp, k.PageDown, k.Home, k.End},
				{k.Choose, k.Filter, k.ClearFilter, k.Detail},
				{k.HelpClose, k.Quit, k.ForceQuit},
			},
		}
	case stateDuration:
		return helpKeys{
			short: []key.Binding{k.Choose, k.Left, k.Back, k.Help},
			full:  [][]key.Binding{{k.Choose, k.Left, k.Back}, {k.HelpClose, k.ForceQuit}},
		}
	case stateMFA:
		return helpKeys{
			short: []key.Binding{k.Choose, k.Back},
			full:  [][]key.Binding{{k.Choose, k.Back, k.ForceQuit}},
		}
	case stateAssuming:
		return helpKeys{short: []key.Binding{k.Cancel}, full: [][]key.Binding{{k.Cancel}}}
	case stateError:
		if !retry {
			return helpKeys{
				short: []key.Binding{k.Back, k.Quit},
				full:  [][]key.Binding{{k.Back}, {k.Quit, k.ForceQuit}},
			}
		}
		return helpKeys{
			short: []key.Binding{k.Retry, k.Back, k.Quit},
			full:  [][]key.Binding{{k.Retry, k.Back}, {k.Quit, k.ForceQuit}},
		}
	}
	return helpKeys{short: []key.Binding{k.ForceQuit}}
}
