package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
)

var violet = colorRGB(167, 139, 250)

func TestParseLine(t *testing.T) {
	bold := style{bold: true}
	tests := []struct {
		name string
		in   string
		want []span
	}{
		{"plain", "abc", []span{{0, 3, "abc", style{}}}},
		{"empty", "", nil},
		{"truecolour and reset, as the header", "\x1b[1m\x1b[38;2;167;139;250mrolesw\x1b[0m\x1b[39m\x1b[49m  x",
			[]span{{0, 6, "rolesw", style{bold: true, fg: violet}}, {6, 3, "  x", style{}}}},
		{"multi-byte runes take one cell each", "\x1b[38;2;48;54;60m│\x1b[39m a → b · ✗",
			[]span{{0, 1, "│", style{fg: colorRGB(48, 54, 60)}}, {1, 10, " a → b · ✗", style{}}}},
		{"wide CJK takes two cells", "漢x", []span{{0, 3, "漢x", style{}}}},
		{"empty SGR is a reset", "\x1b[1ma\x1b[mb", []span{{0, 1, "a", bold}, {1, 1, "b", style{}}}},
		{"attributes on and off", "\x1b[1;2;3;4;7;9ma\x1b[22;23;24;27;29mb",
			[]span{{0, 1, "a", style{bold: true, faint: true, italic: true, underline: true, reverse: true, strike: true}}, {1, 1, "b", style{}}}},
		{"39 and 49 restore defaults only", "\x1b[1;31;42ma\x1b[39;49mb",
			[]span{{0, 1, "a", style{bold: true, fg: color{true, basic16[1]}, bg: color{true, basic16[2]}}}, {1, 1, "b", bold}}},
		{"bright colours", "\x1b[97;104ma",
			[]span{{0, 1, "a", style{fg: color{true, basic16[15]}, bg: color{true, basic16[12]}}}}},
		{"256 colours", "\x1b[38;5;196;48;5;244ma",
			[]span{{0, 1, "a", style{fg: colorRGB(255, 0, 0), bg: colorRGB(128, 128, 128)}}}},
		{"truecolour background", "\x1b[48;2;1;2;3ma", []span{{0, 1, "a", style{bg: colorRGB(1, 2, 3)}}}},
		{"colon form with colour space", "\x1b[38:2::10:20:30ma\x1b[4:0mb",
			[]span{{0, 2, "ab", style{fg: colorRGB(10, 20, 30)}}}},
		{"same style twice makes one span", "\x1b[1ma\x1b[1mb", []span{{0, 2, "ab", bold}}},
		{"out-of-range 256 index is ignored", "\x1b[38;5;300;1ma", []span{{0, 1, "a", bold}}},
		{"truncated truecolour is ignored", "\x1b[38;2;1ma", []span{{0, 1, "a", style{}}}},
		{"other CSI and escapes dropped", "a\x1b[2K\x1b7b\x1b[?25lc\x1b", []span{{0, 3, "abc", style{}}}},
		{"control characters dropped, tab is a space", "a\x07\tb", []span{{0, 3, "a b", style{}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, _ := parseLine(tt.in, style{})
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("parseLine(%q)\n got %+v\nwant %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestParseScreenCarriesStyleAcrossLines(t *testing.T) {
	got := parseScreen("\x1b[31mred\nstill red\x1b[0m\nplain\n")
	if len(got) != 3 {
		t.Fatalf("got %d lines, want 3: %+v", len(got), got)
	}
	red := color{true, basic16[1]}
	if got[1][0].style.fg != red || got[1][0].text != "still red" {
		t.Errorf("line 2 = %+v, want red text: tmux does not repeat the SGR on each line", got[1])
	}
	if got[2][0].style != (style{}) {
		t.Errorf("line 3 = %+v, want the default style after the reset", got[2])
	}
}

func TestXterm256(t *testing.T) {
	tests := []struct {
		n    int
		want rgb
	}{
		{1, basic16[1]}, {15, basic16[15]},
		{16, rgb{0, 0, 0}}, {21, rgb{0, 0, 255}}, {196, rgb{255, 0, 0}},
		{67, rgb{95, 135, 175}}, {231, rgb{255, 255, 255}},
		{232, rgb{8, 8, 8}}, {244, rgb{128, 128, 128}}, {255, rgb{238, 238, 238}},
	}
	for _, tt := range tests {
		if got := xterm256(tt.n); got != tt.want {
			t.Errorf("xterm256(%d) = %v, want %v", tt.n, got, tt.want)
		}
	}
}

func TestEscapeXML(t *testing.T) {
	if got, want := escapeXML(`<&> "q" 'a'`), "&lt;&amp;&gt; &quot;q&quot; &#39;a&#39;"; got != want {
		t.Errorf("escapeXML = %q, want %q", got, want)
	}
}

// svgElem is one element of a rendered SVG, as a browser would see it.
type svgElem struct {
	name  string
	attrs map[string]string
	text  string
}

// decodeSVG parses the SVG with a real XML decoder, so a missing escape or
// an unbalanced tag fails the test the way it would break the README image.
func decodeSVG(t *testing.T, b []byte) []svgElem {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(b))
	var out []svgElem
	open := -1 // the element whose character data is being read
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			return out
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v\n%s", err, b)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			e := svgElem{name: tok.Name.Local, attrs: map[string]string{}}
			for _, a := range tok.Attr {
				e.attrs[a.Name.Local] = a.Value
			}
			out = append(out, e)
			open = len(out) - 1
		case xml.EndElement:
			open = -1
		case xml.CharData:
			if open >= 0 {
				out[open].text += string(tok)
			}
		}
	}
}

func render(t *testing.T, screen string, cols, rows int) []svgElem {
	t.Helper()
	var buf bytes.Buffer
	if err := renderSVG(&buf, parseScreen(screen), svgOptions{cols: cols, rows: rows, title: "a <demo> & b", theme: darkTheme}); err != nil {
		t.Fatal(err)
	}
	return decodeSVG(t, buf.Bytes())
}

func texts(elems []svgElem) map[string]svgElem {
	m := map[string]svgElem{}
	for _, e := range elems {
		if e.name == "text" {
			m[e.text] = e
		}
	}
	return m
}

func TestRenderSVGEscapesAndPlacesText(t *testing.T) {
	elems := render(t, "  a<b & \"c\">\n\x1b[1;38;5;196mhot\x1b[0m \x1b[38;2;1;2;3mcool", 20, 3)
	svg := elems[0]
	if svg.name != "svg" || svg.attrs["width"] != "200" || svg.attrs["height"] != "108" {
		t.Errorf("window = %v, want 20 cols by 3 rows: 2*16+20*8.4 = 200 wide, 30+2*12+3*18 = 108 high", svg.attrs)
	}
	ts := texts(elems)
	if _, ok := ts["a <demo> & b"]; !ok {
		t.Errorf("title bar caption missing or mangled; texts: %v", keys(ts))
	}
	e, ok := ts[`a<b & "c">`]
	if !ok {
		t.Fatalf("escaped text did not round-trip; texts: %v", keys(ts))
	}
	// Two leading blanks are trimmed into the x position: 16 + 2*8.4.
	if e.attrs["x"] != "32.8" || e.attrs["textLength"] != "84" {
		t.Errorf("text at x=%s length=%s, want x=32.8 (column 2) and length 84 (10 cells)", e.attrs["x"], e.attrs["textLength"])
	}
	if hot := ts["hot"]; hot.attrs["fill"] != "#ff0000" || hot.attrs["font-weight"] != "bold" {
		t.Errorf("38;5;196 bold = %v, want fill #ff0000 and bold", hot.attrs)
	}
	if cool := ts["cool"]; cool.attrs["fill"] != "#010203" || cool.attrs["x"] != "49.6" {
		t.Errorf("38;2;1;2;3 = %v, want fill #010203 at column 4 (x=49.6)", cool.attrs)
	}
}

func TestRenderSVGReverseBoxAndDecoration(t *testing.T) {
	elems := render(t, "ab\x1b[7m \x1b[0m│\x1b[9;4mno\x1b[0m", 10, 1)
	var rects, paths []svgElem
	for _, e := range elems {
		switch {
		case e.name == "rect" && e.attrs["x"] != "":
			rects = append(rects, e)
		case e.name == "path" && e.attrs["stroke"] != "":
			paths = append(paths, e)
		}
	}
	// The reverse-video blank is the text input's cursor: a block in the foreground colour.
	if len(rects) != 1 || rects[0].attrs["x"] != "32.8" || rects[0].attrs["fill"] != hex(darkTheme.fg) {
		t.Errorf("reverse cell = %v, want one block at column 2 (x=32.8) filled %s", rects, hex(darkTheme.fg))
	}
	// │ is stroked over the full cell height so a pane border is unbroken.
	if len(paths) != 1 || !strings.Contains(paths[0].attrs["d"], "L45.5 60") {
		t.Errorf("box drawing = %v, want one vertical stroke at column 3 down to the cell bottom (y=60)", paths)
	}
	if _, ok := texts(elems)["│"]; ok {
		t.Error("│ was drawn as a glyph too")
	}
	if no := texts(elems)["no"]; no.attrs["text-decoration"] != "underline line-through" {
		t.Errorf("SGR 9;4 = %v, want underline and line-through", no.attrs)
	}
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-keys", "Down"}, "-o is required"},
		{[]string{"-o", "x.svg", "extra"}, `unexpected argument "extra"`},
		{[]string{"-o", "x.svg", "-cols", "5"}, "-cols 5 -rows 30"},
		{[]string{"-o", "x.svg", "-timeout", "0s"}, "-timeout 0s"},
	}
	for _, tt := range tests {
		_, err := parseFlags(tt.args, io.Discard)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseFlags(%q) = %v, want an error containing %q", tt.args, err, tt.want)
		}
	}
	o, err := parseFlags([]string{"-o", "x.svg", "-keys", "Down, Down,,Enter"}, io.Discard)
	if err != nil || !reflect.DeepEqual(o.keys, []string{"Down", "Down", "Enter"}) {
		t.Errorf("-keys split = %q, %v; want [Down Down Enter]", o.keys, err)
	}
}

func keys(m map[string]svgElem) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	return ks
}
