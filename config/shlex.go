package config

import (
	"errors"
	"strings"
)

var (
	errNoClosingQuote = errors.New("no closing quotation")
	errNoEscapedChar  = errors.New("no escaped character")
)

// shlexSplit is Python's shlex.split(s) (posix=True, comments=False), which
// botocore applies to "[profile ...]" and "[sso-session ...]" headers. It is
// a port of shlex.read_token restricted to that configuration: whitespace is
// " \t\r\n", quotes are ' and ", the escape is \, and "#" is ordinary.
//
// github.com/google/shlex is not equivalent: it treats "#" as a comment.
func shlexSplit(s string) ([]string, error) {
	var (
		words  []string
		token  []byte
		quoted bool // the token had quotes, so it counts even when empty
		state  byte = ' '
		escOut byte // state to return to after an escaped character
	)
	emit := func() {
		if len(token) > 0 || quoted {
			words = append(words, string(token))
		}
		token, quoted = token[:0], false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch state {
		case ' ', 'a':
			switch {
			case isShlexSpace(rune(c)):
				if state == 'a' {
					emit()
				}
				state = ' '
			case c == '\\':
				escOut, state = 'a', '\\'
			case c == '\'' || c == '"':
				state = c
			default:
				token = append(token, c)
				state = 'a'
			}
		case '\'', '"':
			quoted = true
			switch {
			case c == state:
				state = 'a'
			case c == '\\' && state == '"':
				escOut, state = state, '\\'
			default:
				token = append(token, c)
			}
		case '\\':
			// Inside double quotes, a backslash only escapes " and \.
			if escOut == '"' && c != '\\' && c != '"' {
				token = append(token, '\\')
			}
			token = append(token, c)
			state = escOut
		}
	}
	switch state {
	case '\'', '"':
		return nil, errNoClosingQuote
	case '\\':
		return nil, errNoEscapedChar
	case 'a':
		emit()
	}
	return words, nil
}

// secondWord returns the second word of a "[profile NAME]" or
// "[sso-session NAME]" header when shlex.split gives exactly two words, as
// botocore requires. Headers without quotes or backslashes, nearly all of
// them, are split without allocating.
func secondWord(s string) (string, bool) {
	if strings.ContainsAny(s, `'"\`) {
		words, err := shlexSplit(s)
		if err != nil || len(words) != 2 {
			return "", false
		}
		return words[1], true
	}
	var words [3]string
	n := 0
	for i := 0; i < len(s) && n < 3; {
		for i < len(s) && isShlexSpace(rune(s[i])) {
			i++
		}
		start := i
		for i < len(s) && !isShlexSpace(rune(s[i])) {
			i++
		}
		if i > start {
			words[n] = s[start:i]
			n++
		}
	}
	return words[1], n == 2
}

func isShlexSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\r' || r == '\n' }
