package main

import (
	"bufio"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
)

// Window geometry in SVG user units (pixels). The cell is 0.6 em wide,
// the advance of every common monospace font, and each text element also
// carries textLength so a font with another advance still lands on the grid.
const (
	fontSize  = 14.0
	cellW     = 8.4
	cellH     = 18.0
	baseline  = 13.5 // from the top of a cell
	padX      = 16.0
	padY      = 12.0
	titleBarH = 30.0
	radius    = 8.0
)

// theme is the window's default colours, used where the program left the
// terminal default (SGR 39/49) and for reverse video.
type theme struct {
	fg, bg, bar, title rgb
}

// darkTheme matches the dark palette the switcher chooses on a dark
// terminal (GitHub's dark canvas and text colours).
var darkTheme = theme{
	fg:    rgb{0xe6, 0xed, 0xf3},
	bg:    rgb{0x0d, 0x11, 0x17},
	bar:   rgb{0x16, 0x1b, 0x22},
	title: rgb{0x8b, 0x94, 0x9e},
}

// svgOptions sizes and labels the rendered window.
type svgOptions struct {
	cols, rows int
	title      string
	theme      theme
}

// renderSVG draws screen, as parsed by parseScreen, as a terminal window.
func renderSVG(w io.Writer, screen [][]span, o svgOptions) error {
	cols, rows := o.cols, max(o.rows, len(screen))
	for _, line := range screen {
		if n := len(line); n > 0 {
			cols = max(cols, line[n-1].col+line[n-1].width)
		}
	}
	th := o.theme
	width := 2*padX + float64(cols)*cellW
	height := titleBarH + 2*padY + float64(rows)*cellH

	bw := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(bw, format, args...) }
	p(`<svg xmlns="http://www.w3.org/2000/svg" width="%s" height="%s" viewBox="0 0 %[1]s %[2]s">`+"\n", num(width), num(height))
	p(`<rect width="100%%" height="100%%" rx="%s" fill="%s"/>`+"\n", num(radius), hex(th.bg))
	// The title bar: a rounded top with square lower corners, three dots and a caption.
	p(`<path d="M0 %s V%s A%s %s 0 0 1 %s 0 H%s A%s %s 0 0 1 %s %s V%s Z" fill="%s"/>`+"\n",
		num(titleBarH), num(radius), num(radius), num(radius), num(radius),
		num(width-radius), num(radius), num(radius), num(width), num(radius), num(titleBarH), hex(th.bar))
	for i, c := range []string{"#ff5f57", "#febc2e", "#28c840"} {
		p(`<circle cx="%s" cy="%s" r="6" fill="%s"/>`+"\n", num(padX+6+float64(i)*20), num(titleBarH/2), c)
	}
	if o.title != "" {
		p(`<text x="%s" y="%s" text-anchor="middle" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" font-size="13" fill="%s">%s</text>`+"\n",
			num(width/2), num(titleBarH/2+4.5), hex(th.title), escapeXML(o.title))
	}
	p(`<g font-family="ui-monospace, SFMono-Regular, Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace" font-size="%s" xml:space="preserve">`+"\n", num(fontSize))
	top := titleBarH + padY
	// Backgrounds first so no glyph is painted over by the next cell's box.
	for row, line := range screen {
		for _, r := range line {
			_, bg, hasBG := colours(r.style, th)
			if hasBG {
				p(`<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>`+"\n",
					num(padX+float64(r.col)*cellW), num(top+float64(row)*cellH),
					num(float64(r.width)*cellW), num(cellH), hex(bg))
			}
		}
	}
	for row, line := range screen {
		for _, r := range line {
			writeSpan(bw, r, top+float64(row)*cellH, th)
		}
	}
	p("</g>\n</svg>\n")
	return bw.Flush()
}

// writeSpan emits one span's glyphs. Box-drawing characters are drawn as
// strokes, as modern terminals do, because a font's glyphs rarely fill the
// line height and a pane border would come out dashed. The text between
// them is trimmed of blanks at both ends so textLength spans only glyphs.
func writeSpan(w io.Writer, s span, rowTop float64, th theme) {
	fg, _, _ := colours(s.style, th)
	col, segCol := s.col, s.col
	var seg strings.Builder
	flush := func() {
		writeText(w, seg.String(), segCol, rowTop+baseline, s.style, fg)
		seg.Reset()
	}
	for _, r := range s.text {
		cw := cellWidth(r)
		if a, ok := boxArms[r]; ok {
			flush()
			writeBox(w, a, col, rowTop, fg)
			segCol = col + cw
		} else {
			seg.WriteRune(r)
		}
		col += cw
	}
	flush()
}

// writeText draws text that starts at column col.
func writeText(w io.Writer, text string, col int, y float64, st style, fg rgb) {
	trimmed := strings.TrimLeft(text, " ")
	col += len(text) - len(trimmed)
	trimmed = strings.TrimRight(trimmed, " ")
	if trimmed == "" {
		return
	}
	cells := 0
	for _, r := range trimmed {
		cells += cellWidth(r)
	}
	var attrs strings.Builder
	fmt.Fprintf(&attrs, ` x="%s" y="%s" textLength="%s" fill="%s"`,
		num(padX+float64(col)*cellW), num(y), num(float64(cells)*cellW), hex(fg))
	if st.bold {
		attrs.WriteString(` font-weight="bold"`)
	}
	if st.italic {
		attrs.WriteString(` font-style="italic"`)
	}
	var deco []string
	if st.underline {
		deco = append(deco, "underline")
	}
	if st.strike {
		deco = append(deco, "line-through")
	}
	if len(deco) > 0 {
		fmt.Fprintf(&attrs, ` text-decoration="%s"`, strings.Join(deco, " "))
	}
	fmt.Fprintf(w, "<text%s>%s</text>\n", attrs.String(), escapeXML(trimmed))
}

// arms says which edges of its cell a box-drawing character reaches.
type arms struct {
	up, down, left, right bool
	heavy, round          bool
}

// boxArms covers the light, heavy and rounded single-line box characters,
// the ones lipgloss borders use.
var boxArms = map[rune]arms{
	'─': {left: true, right: true}, '│': {up: true, down: true},
	'┌': {down: true, right: true}, '┐': {down: true, left: true},
	'└': {up: true, right: true}, '┘': {up: true, left: true},
	'├': {up: true, down: true, right: true}, '┤': {up: true, down: true, left: true},
	'┬': {down: true, left: true, right: true}, '┴': {up: true, left: true, right: true},
	'┼': {up: true, down: true, left: true, right: true},
	'╭': {down: true, right: true, round: true}, '╮': {down: true, left: true, round: true},
	'╰': {up: true, right: true, round: true}, '╯': {up: true, left: true, round: true},
	'╴': {left: true}, '╵': {up: true}, '╶': {right: true}, '╷': {down: true},
	'━': {left: true, right: true, heavy: true}, '┃': {up: true, down: true, heavy: true},
	'┏': {down: true, right: true, heavy: true}, '┓': {down: true, left: true, heavy: true},
	'┗': {up: true, right: true, heavy: true}, '┛': {up: true, left: true, heavy: true},
	'┣': {up: true, down: true, right: true, heavy: true}, '┫': {up: true, down: true, left: true, heavy: true},
	'┳': {down: true, left: true, right: true, heavy: true}, '┻': {up: true, left: true, right: true, heavy: true},
	'╋': {up: true, down: true, left: true, right: true, heavy: true},
}

// writeBox strokes one box-drawing cell from its centre to the edges it reaches.
func writeBox(w io.Writer, a arms, col int, rowTop float64, fg rgb) {
	x0 := padX + float64(col)*cellW
	x1, y0, y1 := x0+cellW, rowTop, rowTop+cellH
	width := 1.0
	if a.heavy {
		width = 2
	}
	// Centre the stroke on a pixel (odd width) or a pixel edge (even) so it stays sharp.
	snap := func(v float64) float64 {
		if width == 1 {
			return math.Floor(v) + 0.5
		}
		return math.Round(v)
	}
	cx, cy := snap(x0+cellW/2), snap(y0+cellH/2)
	var d strings.Builder
	line := func(x, y float64) { fmt.Fprintf(&d, "M%s %sL%s %s", num(cx), num(cy), num(x), num(y)) }
	if a.round {
		// A quarter curve between the two arms, as in ╭╮╰╯.
		var ex, ey float64
		if a.up {
			ey = y0
		} else {
			ey = y1
		}
		if a.left {
			ex = x0
		} else {
			ex = x1
		}
		fmt.Fprintf(&d, "M%s %sQ%s %s %s %s", num(cx), num(ey), num(cx), num(cy), num(ex), num(cy))
	} else {
		if a.up {
			line(cx, y0)
		}
		if a.down {
			line(cx, y1)
		}
		if a.left {
			line(x0, cy)
		}
		if a.right {
			line(x1, cy)
		}
	}
	fmt.Fprintf(w, "<path d=\"%s\" stroke=\"%s\" stroke-width=\"%s\" stroke-linecap=\"square\" fill=\"none\"/>\n",
		d.String(), hex(fg), num(width))
}

// colours resolves a style to the fill of its glyphs and of its cell,
// applying the theme defaults, reverse video and faint.
func colours(s style, th theme) (fg, bg rgb, hasBG bool) {
	fg, bg = th.fg, th.bg
	if s.fg.set {
		fg = s.fg.rgb
	}
	if s.bg.set {
		bg, hasBG = s.bg.rgb, true
	}
	if s.reverse {
		fg, bg, hasBG = bg, fg, true
	}
	if s.faint {
		// Half way to the background, which is how most terminals dim.
		fg = mix(fg, bg, 0.5)
	}
	return fg, bg, hasBG
}

func mix(a, b rgb, t float64) rgb {
	f := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*(1-t) + float64(y)*t)) }
	return rgb{f(a.R, b.R), f(a.G, b.G), f(a.B, b.B)}
}

func hex(c rgb) string { return fmt.Sprintf("#%02x%02x%02x", c.R, c.G, c.B) }

// num formats a coordinate with at most two decimals, keeping the file small.
func num(v float64) string {
	return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
}

var xmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&#39;")

// escapeXML makes s safe as element content or a quoted attribute value.
func escapeXML(s string) string { return xmlEscaper.Replace(s) }
