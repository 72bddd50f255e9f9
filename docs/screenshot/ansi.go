package main

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// rgb is a 24-bit colour.
type rgb struct{ R, G, B uint8 }

// color is a foreground or background colour; the zero value is the
// terminal's default, which the renderer's theme decides.
type color struct {
	set bool
	rgb
}

func colorRGB(r, g, b uint8) color { return color{set: true, rgb: rgb{r, g, b}} }

// style is the set of SGR attributes that apply to one cell.
type style struct {
	fg, bg    color
	bold      bool
	faint     bool
	italic    bool
	underline bool
	reverse   bool
	strike    bool
}

// span is a stretch of same-styled characters on one line, starting at
// column col and covering width cells.
type span struct {
	col   int
	width int
	text  string
	style style
}

// basic16 is the theme for the 16 standard colours (30-37, 90-97 and
// 38;5;0-15). They are the terminal's choice, not xterm's fixed values, so
// they are picked to stay legible on the dark window background.
var basic16 = [16]rgb{
	{0x48, 0x4f, 0x58}, {0xff, 0x7b, 0x72}, {0x3f, 0xb9, 0x50}, {0xd2, 0x99, 0x22},
	{0x58, 0xa6, 0xff}, {0xbc, 0x8c, 0xff}, {0x39, 0xc5, 0xcf}, {0xb1, 0xba, 0xc4},
	{0x6e, 0x76, 0x81}, {0xff, 0xa1, 0x98}, {0x56, 0xd3, 0x64}, {0xe3, 0xb3, 0x41},
	{0x79, 0xc0, 0xff}, {0xd2, 0xa8, 0xff}, {0x56, 0xd4, 0xdd}, {0xf0, 0xf6, 0xfc},
}

// xterm256 maps a 256-colour index to RGB: the themed 16, then xterm's
// 6x6x6 cube and its 24-step grey ramp.
func xterm256(n int) rgb {
	switch {
	case n < 16:
		return basic16[n]
	case n < 232:
		n -= 16
		level := func(v int) uint8 {
			if v == 0 {
				return 0
			}
			return uint8(55 + 40*v)
		}
		return rgb{level(n / 36), level(n / 6 % 6), level(n % 6)}
	default:
		g := uint8(8 + 10*(n-232))
		return rgb{g, g, g}
	}
}

// parseScreen splits a `tmux capture-pane -p -e` dump into lines of styled
// runs. tmux resets nothing between lines, so the style carries over from
// one line to the next exactly as it does on the terminal.
func parseScreen(s string) [][]span {
	s = strings.TrimSuffix(s, "\n")
	var lines [][]span
	var st style
	for _, l := range strings.Split(s, "\n") {
		var runs []span
		runs, st = parseLine(strings.TrimSuffix(l, "\r"), st)
		lines = append(lines, runs)
	}
	return lines
}

// parseLine turns one line with SGR escapes into runs, starting from style
// st, and returns the style in force at its end. Escape sequences other
// than SGR are dropped; malformed ones are skipped, never fatal.
func parseLine(l string, st style) ([]span, style) {
	var runs []span
	var text strings.Builder
	col, start, width := 0, 0, 0
	flush := func() {
		if text.Len() > 0 {
			runs = append(runs, span{col: start, width: width, text: text.String(), style: st})
		}
		text.Reset()
		start, width = col, 0
	}
	for i := 0; i < len(l); {
		if l[i] == 0x1b {
			n, params, final := scanEscape(l[i:])
			i += n
			if final == 'm' {
				next := applySGR(st, params)
				if next != st {
					flush()
					st = next
				}
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(l[i:])
		i += size
		if r == '\t' {
			// capture-pane expands tabs already; a stray one is a space.
			r = ' '
		}
		if unicode.IsControl(r) || r == utf8.RuneError && size == 1 {
			continue
		}
		w := cellWidth(r)
		if w == 0 {
			// A combining mark rides on the previous cell.
			text.WriteRune(r)
			continue
		}
		text.WriteRune(r)
		col += w
		width += w
	}
	flush()
	return runs, st
}

// scanEscape measures the escape sequence at the start of s and, for a CSI
// sequence, returns its parameter bytes and final byte.
func scanEscape(s string) (n int, params string, final byte) {
	if len(s) < 2 || s[1] != '[' {
		// Two-byte escapes (ESC 7, ESC =, ...) or a lone ESC at the end.
		return min(2, len(s)), "", 0
	}
	for j := 2; j < len(s); j++ {
		if c := s[j]; c >= 0x40 && c <= 0x7e {
			return j + 1, s[2:j], c
		}
	}
	return len(s), "", 0
}

// applySGR returns st changed by the parameters of one `ESC [ ... m`.
func applySGR(st style, params string) style {
	if params == "" {
		return style{}
	}
	fields := strings.Split(params, ";")
	num := func(f string) int {
		v, err := strconv.Atoi(f)
		if err != nil {
			return -1
		}
		return v
	}
	for i := 0; i < len(fields); i++ {
		f := fields[i]
		if strings.Contains(f, ":") {
			st = applyColonSGR(st, strings.Split(f, ":"))
			continue
		}
		code := 0
		if f != "" {
			code = num(f)
		}
		switch {
		case code == 0:
			st = style{}
		case code == 1:
			st.bold = true
		case code == 2:
			st.faint = true
		case code == 3:
			st.italic = true
		case code == 4:
			st.underline = true
		case code == 7:
			st.reverse = true
		case code == 9:
			st.strike = true
		case code == 22:
			st.bold, st.faint = false, false
		case code == 23:
			st.italic = false
		case code == 24:
			st.underline = false
		case code == 27:
			st.reverse = false
		case code == 29:
			st.strike = false
		case code >= 30 && code <= 37:
			st.fg = color{set: true, rgb: basic16[code-30]}
		case code == 39:
			st.fg = color{}
		case code >= 40 && code <= 47:
			st.bg = color{set: true, rgb: basic16[code-40]}
		case code == 49:
			st.bg = color{}
		case code >= 90 && code <= 97:
			st.fg = color{set: true, rgb: basic16[code-90+8]}
		case code >= 100 && code <= 107:
			st.bg = color{set: true, rgb: basic16[code-100+8]}
		case code == 38 || code == 48:
			c, used, ok := extendedColor(fields[i+1:], num)
			i += used
			if ok {
				if code == 38 {
					st.fg = c
				} else {
					st.bg = c
				}
			}
		}
	}
	return st
}

// extendedColor reads the `5;N` or `2;R;G;B` that follows a 38 or 48 and
// reports how many fields it consumed.
func extendedColor(rest []string, num func(string) int) (color, int, bool) {
	if len(rest) == 0 {
		return color{}, 0, false
	}
	byte8 := func(f string) (uint8, bool) {
		v := num(f)
		return uint8(v), v >= 0 && v <= 255
	}
	switch num(rest[0]) {
	case 5:
		if len(rest) < 2 {
			return color{}, len(rest), false
		}
		n, ok := byte8(rest[1])
		if !ok {
			return color{}, 2, false
		}
		return color{set: true, rgb: xterm256(int(n))}, 2, true
	case 2:
		if len(rest) < 4 {
			return color{}, len(rest), false
		}
		r, okR := byte8(rest[1])
		g, okG := byte8(rest[2])
		b, okB := byte8(rest[3])
		return colorRGB(r, g, b), 4, okR && okG && okB
	}
	return color{}, 1, false
}

// applyColonSGR handles the ITU form with sub-parameters (`38:2::R:G:B`,
// `38:5:N`, `4:3`), which some terminals and tmux versions emit.
func applyColonSGR(st style, sub []string) style {
	num := func(f string) int {
		v, err := strconv.Atoi(f)
		if err != nil {
			return -1
		}
		return v
	}
	switch num(sub[0]) {
	case 4:
		st.underline = num(sub[1]) != 0
	case 38, 48:
		rest := sub[1:]
		// `38:2:CS:R:G:B` carries a colour-space id before the components.
		if len(rest) == 5 && num(rest[0]) == 2 {
			rest = append([]string{"2"}, rest[2:]...)
		}
		if c, _, ok := extendedColor(rest, num); ok {
			if num(sub[0]) == 38 {
				st.fg = c
			} else {
				st.bg = c
			}
		}
	}
	return st
}

// cellWidth is how many terminal cells r covers. Box drawing, arrows,
// middle dots and check marks are one cell, as tmux lays them out; East
// Asian wide characters and emoji are two; combining marks none.
func cellWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me):
		return 0
	case r >= 0x1100 && r <= 0x115f,
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f,
		r >= 0xac00 && r <= 0xd7a3,
		r >= 0xf900 && r <= 0xfaff,
		r >= 0xfe30 && r <= 0xfe4f,
		r >= 0xff00 && r <= 0xff60,
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f,
		r >= 0x1f900 && r <= 0x1f9ff,
		r >= 0x20000 && r <= 0x3fffd:
		return 2
	}
	return 1
}
