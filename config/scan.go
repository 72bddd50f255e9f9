package config

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// section is one [section] of one file after configparser's rules: keys
// lowercased, continuation lines joined, [DEFAULT] keys inherited.
type section struct {
	name string
	line int
	keys map[string]string
}

// scan reads one file the way Python's configparser.RawConfigParser (with
// every default, as botocore uses it) followed by botocore's
// raw_config_parse does, and refuses it in exactly the cases they do.
//
// It is a line-by-line port of RawConfigParser._read: the order of the
// checks below (blank, comment, continuation, header, option) is the order
// that decides what an odd line means, so it must not be rearranged.
//
// Every name and value returned is a substring of s, so s stays alive as
// long as the result does.
func scan(path string, s string) ([]*section, error) {
	if len(s) == 0 {
		return nil, nil
	}
	if strings.HasPrefix(s, "\ufeff") {
		// Python opens the file as plain UTF-8, so the BOM is a character
		// in front of the first header, which then is not a header.
		return nil, &ParseError{Path: path, Line: 1, Reason: "file starts with a UTF-8 byte order mark; save it without BOM"}
	}
	if !utf8.ValidString(s) {
		return nil, invalidUTF8(path, s)
	}

	// Sizing by the number of lines that start with "[" saves the maps and
	// the slice from growing step by step on large files.
	estimate := strings.Count(s, "\n[") + 1
	var (
		sections = make([]*section, 0, estimate)
		seen     = make(map[string]int, estimate) // header -> line, to refuse duplicates
		cur      *section                         // nil before the first header
		defaults *section                         // the literal [DEFAULT] section, if any

		// The option being read: continuation lines append to it.
		opt      string
		optLine  int
		haveOpt  bool
		first    string   // its value on the key line
		parts    []string // continuation lines, only when there are some
		blanks   int      // blank lines seen since, kept only if a continuation follows
		indent   int      // indentation of the last header or key line
		badDeflt map[string]int
	)
	finish := func() error {
		if !haveOpt {
			return nil
		}
		haveOpt = false
		v := first
		if parts != nil {
			// "\n".join(lines).rstrip(): every part is stripped already, so
			// only trailing empty parts can go.
			n := len(parts)
			for n > 0 && parts[n-1] == "" {
				n--
			}
			if n > 0 {
				v = first + "\n" + strings.Join(parts[:n], "\n")
			}
			parts = nil
		}
		cur.keys[opt] = v
		if strings.HasPrefix(v, "\n") {
			if badNested(v) {
				if cur == defaults {
					// Only fatal if some section reads the inherited value.
					if badDeflt == nil {
						badDeflt = make(map[string]int)
					}
					badDeflt[opt] = optLine
					return nil
				}
				return nestedError(path, optLine, opt, cur.name)
			}
		}
		return nil
	}

	lineno := 0
	for pos := 0; pos < len(s); {
		// Python's universal newlines: "\n", "\r\n" and a lone "\r" all end
		// a line.
		end := strings.IndexByte(s[pos:], '\n')
		next := 0
		if end < 0 {
			end, next = len(s), len(s)
		} else {
			end += pos
			next = end + 1
		}
		if cr := strings.IndexByte(s[pos:end], '\r'); cr >= 0 {
			end = pos + cr
			if end+1 < len(s) && s[end+1] == '\n' {
				next = end + 2
			} else {
				next = end + 1
			}
		}
		line := s[pos:end]
		pos = next
		lineno++

		value := pyStrip(line)
		if value == "" {
			if haveOpt {
				blanks++
			}
			continue
		}
		if value[0] == '#' || value[0] == ';' {
			continue // a comment, even indented, even inside a value
		}
		lineIndent := 0
		if c := line[0]; c >= utf8.RuneSelf || pyIsSpace(rune(c)) {
			lineIndent = pyIndent(line)
		}
		if haveOpt && lineIndent > indent {
			// A continuation line, whatever it looks like: an indented
			// "[profile x]" or "k = v" is swallowed into the value.
			for ; blanks > 0; blanks-- {
				parts = append(parts, "")
			}
			parts = append(parts, value)
			continue
		}
		if err := finish(); err != nil {
			return nil, err
		}
		blanks = 0
		indent = lineIndent

		if value[0] == '[' {
			// \[(?P<header>.+)\] matched at the start: up to the last "]",
			// anything after it ignored.
			if j := strings.LastIndexByte(value, ']'); j >= 2 {
				name := value[1:j]
				if name == "DEFAULT" {
					// configparser's defaults section: never a duplicate,
					// but its keys are checked for duplicates across repeats.
					if defaults == nil {
						defaults = &section{name: name, line: lineno, keys: make(map[string]string)}
					}
					cur = defaults
					continue
				}
				if firstLine, dup := seen[name]; dup {
					return nil, &ParseError{Path: path, Line: lineno, Reason: fmt.Sprintf(
						"duplicate section %q (first at line %d); remove or rename one", name, firstLine)}
				}
				seen[name] = lineno
				cur = &section{name: name, line: lineno, keys: make(map[string]string, 4)}
				sections = append(sections, cur)
				continue
			}
		}
		i := indexDelim(value)
		if cur == nil {
			if i > 0 {
				return nil, &ParseError{Path: path, Line: lineno, Reason: fmt.Sprintf(
					"key %q before the first [section]; add a [profile NAME] header above it", pyLower(pyRStrip(value[:i])))}
			}
			// The text itself is not quoted: a stray line may be a pasted secret.
			return nil, &ParseError{Path: path, Line: lineno, Reason: "text before the first [section]; add a [profile NAME] header above it"}
		}
		if i < 0 {
			return nil, &ParseError{Path: path, Line: lineno, Reason: `line has no "=" or ":" (key = value expected)`}
		}
		key := pyRStrip(value[:i])
		if key == "" {
			return nil, &ParseError{Path: path, Line: lineno, Reason: fmt.Sprintf(
				`key name missing before %q; write key = value`, value[i:i+1])}
		}
		key = pyLower(key)
		if _, dup := cur.keys[key]; dup {
			return nil, &ParseError{Path: path, Line: lineno, Reason: fmt.Sprintf(
				"duplicate key %q in section %q; remove one (key names ignore case)", key, cur.name)}
		}
		cur.keys[key] = "" // present from now on, as in configparser
		opt, optLine, haveOpt, first = key, lineno, true, pyStrip(value[i+1:])
	}
	if err := finish(); err != nil {
		return nil, err
	}

	if defaults != nil && len(defaults.keys) > 0 {
		for _, sec := range sections {
			for k, v := range defaults.keys {
				if _, own := sec.keys[k]; own {
					continue
				}
				if line, bad := badDeflt[k]; bad {
					return nil, nestedError(path, line, k, "DEFAULT")
				}
				sec.keys[k] = v
			}
		}
	}
	return sections, nil
}

// indexDelim is the index of the first "=" or ":" (configparser's
// delimiters), or -1.
func indexDelim(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] == '=' || s[i] == ':' {
			return i
		}
	}
	return -1
}

// badNested reports whether botocore's _parse_nested fails on a nested
// value ("key =" followed by indented lines): a line without "=".
func badNested(v string) bool {
	for _, l := range pySplitLines(v) {
		if l = pyStrip(l); l != "" && !strings.Contains(l, "=") {
			return true
		}
	}
	return false
}

func nestedError(path string, line int, key, sec string) error {
	return &ParseError{Path: path, Line: line, Reason: fmt.Sprintf(
		`key %q in section %q has an empty value and indented lines, so it is read as a nested block, but one of them has no "="; write each indented line as name = value, or put the value on the key's line`,
		key, sec)}
}

func invalidUTF8(path, s string) error {
	line, col := 1, 1
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			return &ParseError{Path: path, Line: line, Reason: fmt.Sprintf(
				"not valid UTF-8 (column %d); save the file as UTF-8", col)}
		}
		if r == '\n' || (r == '\r' && (i+1 >= len(s) || s[i+1] != '\n')) {
			line, col = line+1, 0
		}
		col++
		i += n
	}
	return &ParseError{Path: path, Reason: "not valid UTF-8; save the file as UTF-8"}
}
