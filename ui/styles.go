package ui

import (
	"github.com/charmbracelet/bubbles/help"
	"github.com/charmbracelet/bubbles/list"
	"github.com/charmbracelet/bubbles/progress"
	"github.com/charmbracelet/lipgloss"
)

// palette is the small set of adaptive colours every style is built from;
// each colour has a light- and a dark-background variant so text stays
// readable on both. With NO_COLOR main switches lipgloss to the Ascii
// profile, so no meaning may be carried by colour alone: every warning also
// has words or a marker.
var palette = struct {
	accent, text, muted, subtle, ok, warn, danger lipgloss.AdaptiveColor
}{
	accent: lipgloss.AdaptiveColor{Light: "#5A3FD6", Dark: "#A78BFA"},
	text:   lipgloss.AdaptiveColor{Light: "#1F2328", Dark: "#E6EDF3"},
	muted:  lipgloss.AdaptiveColor{Light: "#6E7781", Dark: "#8B949E"},
	subtle: lipgloss.AdaptiveColor{Light: "#D0D7DE", Dark: "#30363D"},
	ok:     lipgloss.AdaptiveColor{Light: "#1A7F37", Dark: "#3FB950"},
	warn:   lipgloss.AdaptiveColor{Light: "#9A6700", Dark: "#D29922"},
	danger: lipgloss.AdaptiveColor{Light: "#CF222E", Dark: "#F85149"},
}

// gaugeColor is the progress gauge's fill; bubbles/progress takes a plain
// colour string, so it is a mid tone legible on either background.
const gaugeColor = "#8B7CF6"

// styles holds every lipgloss style of the UI. It is built once in
// NewModel; views never create styles inline.
type styles struct {
	app      lipgloss.Style
	body     lipgloss.Style
	title    lipgloss.Style
	header   lipgloss.Style
	text     lipgloss.Style
	muted    lipgloss.Style
	bold     lipgloss.Style
	selected lipgloss.Style
	cursor   lipgloss.Style
	match    lipgloss.Style
	badge    lipgloss.Style
	ok       lipgloss.Style
	warn     lipgloss.Style
	danger   lipgloss.Style
	rule     lipgloss.Style
	pane     lipgloss.Style
	paneHead lipgloss.Style
	preset   lipgloss.Style
	presetOn lipgloss.Style
	presetNo lipgloss.Style
	errBox   lipgloss.Style
	help     lipgloss.Style
}

func newStyles() styles {
	s := styles{}
	s.app = lipgloss.NewStyle().Padding(0, 1)
	s.body = lipgloss.NewStyle()
	s.title = lipgloss.NewStyle().Bold(true).Foreground(palette.accent)
	s.header = lipgloss.NewStyle()
	s.text = lipgloss.NewStyle().Foreground(palette.text)
	s.muted = lipgloss.NewStyle().Foreground(palette.muted)
	s.bold = lipgloss.NewStyle().Bold(true)
	s.selected = lipgloss.NewStyle().Bold(true).Foreground(palette.accent)
	s.cursor = lipgloss.NewStyle().Foreground(palette.accent)
	s.match = lipgloss.NewStyle().Underline(true)
	s.badge = lipgloss.NewStyle().Foreground(palette.accent)
	s.ok = lipgloss.NewStyle().Foreground(palette.ok)
	s.warn = lipgloss.NewStyle().Bold(true).Foreground(palette.warn)
	s.danger = lipgloss.NewStyle().Bold(true).Foreground(palette.danger)
	s.rule = lipgloss.NewStyle().Foreground(palette.subtle)
	s.pane = lipgloss.NewStyle().
		Border(lipgloss.NormalBorder(), false, false, false, true).
		BorderForeground(palette.subtle).
		PaddingLeft(1)
	s.paneHead = lipgloss.NewStyle().Bold(true).Foreground(palette.text)
	s.preset = lipgloss.NewStyle().Foreground(palette.text)
	s.presetOn = lipgloss.NewStyle().Bold(true).Foreground(palette.accent)
	s.presetNo = lipgloss.NewStyle().Foreground(palette.muted).Strikethrough(true)
	s.errBox = lipgloss.NewStyle().
		Border(lipgloss.RoundedBorder()).
		BorderForeground(palette.danger).
		Padding(0, 1)
	s.help = lipgloss.NewStyle().Foreground(palette.muted)
	return s
}

// newGauge is the header's elapsed-share bar. It follows lipgloss' colour
// profile, so --no-color and NO_COLOR reach it too.
func newGauge() progress.Model {
	return progress.New(
		progress.WithSolidFill(gaugeColor),
		progress.WithColorProfile(lipgloss.ColorProfile()),
		progress.WithWidth(22),
	)
}

// listStyles dresses bubbles/list in the palette.
func listStyles() list.Styles {
	ls := list.DefaultStyles()
	ls.TitleBar = lipgloss.NewStyle()
	ls.Title = lipgloss.NewStyle().Bold(true).Foreground(palette.accent)
	ls.StatusBar = lipgloss.NewStyle().Foreground(palette.muted).Padding(0, 0, 0, 2)
	ls.StatusEmpty = lipgloss.NewStyle().Foreground(palette.muted)
	ls.StatusBarActiveFilter = lipgloss.NewStyle().Foreground(palette.text)
	ls.StatusBarFilterCount = lipgloss.NewStyle().Foreground(palette.muted)
	ls.NoItems = lipgloss.NewStyle().Foreground(palette.muted).PaddingLeft(2)
	ls.PaginationStyle = lipgloss.NewStyle().PaddingLeft(2)
	ls.ArabicPagination = lipgloss.NewStyle().Foreground(palette.muted)
	ls.DividerDot = lipgloss.NewStyle().Foreground(palette.subtle).SetString(" • ")
	ls.FilterPrompt = lipgloss.NewStyle().Foreground(palette.accent)
	ls.FilterCursor = lipgloss.NewStyle().Foreground(palette.accent)
	return ls
}

// helpStyles dresses bubbles/help in the palette.
func helpStyles() help.Styles {
	k := lipgloss.NewStyle().Foreground(palette.text)
	d := lipgloss.NewStyle().Foreground(palette.muted)
	sep := lipgloss.NewStyle().Foreground(palette.subtle)
	return help.Styles{
		Ellipsis:       sep,
		ShortKey:       k,
		ShortDesc:      d,
		ShortSeparator: sep,
		FullKey:        k,
		FullDesc:       d,
		FullSeparator:  sep,
	}
}
