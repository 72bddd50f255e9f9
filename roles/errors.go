package roles

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/rolesw/rolesw/config"
)

// Sentinels wrapped by some ProfileErrors, for errors.Is.
var (
	// ErrNotFound: the profile name is in neither file.
	ErrNotFound = errors.New("profile not found")
	// ErrNotAssumable: the profile has neither role_arn nor credentials
	// (a profile holding only region or output settings, say).
	ErrNotAssumable = errors.New("profile cannot be assumed")
)

// ProfileError is why a profile cannot be assumed, with the AWS CLI's wording
// where the CLI has one, and how to fix it.
type ProfileError struct {
	// Profile and Key locate the problem: the profile whose key is wrong,
	// which is not always the selected one (a source profile, say).
	Profile, Key string
	// Msg says what is wrong; Fix, when set, says what to change.
	Msg, Fix string
	// Err is a sentinel the UI can match with errors.Is (ErrNotFound,
	// ErrNotAssumable), or nil.
	Err error
	// named is true when Msg already names the profile, as the CLI's own
	// sentences do, so Error does not name it twice.
	named bool
}

// Error reads `profile "P": MSG (fix: FIX)`, without the prefix when the
// message already names the profile.
func (e *ProfileError) Error() string {
	var b strings.Builder
	if !e.named {
		fmt.Fprintf(&b, "profile %q: ", e.Profile)
	}
	b.WriteString(e.Msg)
	if e.Fix != "" {
		b.WriteString(" (fix: " + e.Fix + ")")
	}
	return b.String()
}

// Unwrap returns the sentinel, if any.
func (e *ProfileError) Unwrap() error { return e.Err }

// notFound is the error for a profile name that is in neither file, naming
// the files and any close names.
func notFound(cfg *config.Config, name string) *ProfileError {
	var files []string
	if cfg != nil {
		for _, f := range []string{cfg.Paths.Config, cfg.Paths.Credentials} {
			if f != "" {
				files = append(files, f)
			}
		}
	}
	msg := fmt.Sprintf("profile %q not found", name)
	if len(files) > 0 {
		msg += " in " + strings.Join(files, " or ")
	}
	e := &ProfileError{Profile: name, Msg: msg, Err: ErrNotFound, named: true}
	if close := closeNames(cfg, name, 5); len(close) > 0 {
		e.Fix = "did you mean " + quoteList(close, " or ") + "?"
	} else {
		e.Fix = "run `rolesw list` for the names"
	}
	return e
}

// closeNames returns up to n profile names a user may have meant: the same
// name in another case, names that contain it or are contained in it, and
// names within a small edit distance, in the files' order.
func closeNames(cfg *config.Config, name string, n int) []string {
	if cfg == nil || name == "" {
		return nil
	}
	lname := strings.ToLower(name)
	limit := max(1, utf8.RuneCountInString(name)/3)
	var out []string
	for _, p := range cfg.Profiles {
		if len(out) == n {
			break
		}
		l := strings.ToLower(p.Name)
		if p.Name == "" || slices.Contains(out, p.Name) {
			continue
		}
		// Containment only counts for 3 letters or more: "a" is in everything.
		contains := len(lname) >= 3 && len(l) >= 3 && (strings.Contains(l, lname) || strings.Contains(lname, l))
		if l == lname || contains || editDistance(lname, l, limit) <= limit {
			out = append(out, p.Name)
		}
	}
	return out
}

// editDistance is the Levenshtein distance of a and b in runes, or limit+1
// once it is known to exceed limit (so 20,000 names stay cheap).
func editDistance(a, b string, limit int) int {
	// Most names differ in length by more than limit: counting is enough
	// to rule them out, before any conversion.
	if d := utf8.RuneCountInString(a) - utf8.RuneCountInString(b); d > limit || -d > limit {
		return limit + 1
	}
	ra, rb := []rune(a), []rune(b)
	// Two rows of the table; names are short, so they fit on the stack.
	const onStack = 48
	var rows [2 * onStack]int
	var prev, cur []int
	if n := len(rb) + 1; n <= onStack {
		prev, cur = rows[:n], rows[onStack:onStack+n]
	} else {
		prev, cur = make([]int, n), make([]int, n)
	}
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		best := cur[0]
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			best = min(best, cur[j])
		}
		if best > limit {
			return limit + 1
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

func quoteList(names []string, sep string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + sep + q[len(q)-1]
}

// pyList renders names as Python's repr of a list of str, as the CLI's
// infinite-loop message prints its visited list: ['a', 'b'].
func pyList(names []string) string {
	parts := make([]string, len(names))
	for i, n := range names {
		parts[i] = pyRepr(n)
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// pyRepr is Python's repr of a str: single quotes unless the string holds a
// single quote and no double quote, backslash escapes for the quote in use,
// backslash and control characters.
func pyRepr(s string) string {
	q := byte('\'')
	if strings.ContainsRune(s, '\'') && !strings.ContainsRune(s, '"') {
		q = '"'
	}
	var b strings.Builder
	b.WriteByte(q)
	for _, r := range s {
		switch {
		case r == rune(q) || r == '\\':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		default:
			b.WriteRune(r)
		}
	}
	b.WriteByte(q)
	return b.String()
}
