package ui

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/charmbracelet/bubbles/list"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// nameEnd separates the name from the other fields in a filter target.
const nameEnd = "\x1f"

// profileItem is one row of the list. Everything a row shows or is
// filtered on is computed once in newProfileItem, because a keystroke
// filters every profile and a View must stay cheap with 20,000 profiles.
type profileItem struct {
	entry   Entry
	order   int    // position in the AWS CLI's order
	role    string // role name ("" without hops)
	account string
	source  string
	region  string
	badges  []string
	reason  string // why it cannot be assumed ("" when it can)
	hay     string // lowercased "name\x1faccount role region", the filter target
}

// FilterValue is what bubbles/list would filter on; the list's own filter
// is off (see profileList), so it only satisfies list.Item.
func (p *profileItem) FilterValue() string { return p.hay }

func newProfileItem(e Entry, order int) profileItem {
	it := profileItem{entry: e, order: order, source: e.Source, region: e.Region}
	if e.Err != nil {
		// The row and the pane already name the profile.
		it.reason = strings.TrimPrefix(session.Describe(e.Err), fmt.Sprintf("profile %q: ", e.Name))
	}
	if p := e.Plan; p != nil {
		if it.region == "" {
			it.region = p.Region
		}
		if last := p.Last(); last != nil {
			it.role = roles.RoleName(last.RoleARN)
			it.account = roles.AccountID(last.RoleARN)
		} else if p.Source.Kind == roles.SourceSSO {
			it.role, it.account = p.Source.SSO.RoleName, p.Source.SSO.AccountID
		}
		if it.source == "" {
			it.source = p.SourceLabel()
		}
		it.badges = planBadges(p)
	}
	// The unit separator ends the name, so the filter can tell a name hit
	// from another field's even when the name has spaces.
	it.hay = strings.ToLower(e.Name + nameEnd + strings.Join([]string{it.account, it.role, it.region}, " "))
	return it
}

// planBadges are the short markers of a row: MFA, chained (1h max), and a
// known role maximum.
func planBadges(p *roles.Plan) []string {
	var b []string
	if p.MFASerial() != "" {
		b = append(b, "MFA")
	}
	if last := p.Last(); last != nil && last.Chained {
		b = append(b, "chained")
	}
	for _, bd := range p.Bounds.All {
		if bd.Kind == roles.BoundRoleMax {
			b = append(b, "max "+roles.FormatDuration(time.Duration(bd.Seconds)*time.Second))
		}
	}
	return b
}

// mfaSerials lists the MFA serial of each hop that has one, in call order
// (a serial repeats when two hops name it: each needs its own code).
func mfaSerials(p *roles.Plan) []string {
	if p == nil {
		return nil
	}
	var out []string
	for _, h := range p.Hops {
		if h.MFASerial != "" {
			out = append(out, h.MFASerial)
		}
	}
	return out
}

// frecencyOrder sorts items in place: profiles used before first, by a
// score that weighs each use by how recent the last one was, then every
// other profile in the AWS CLI's order.
func frecencyOrder(items []profileItem, uses map[string]session.Usage, now time.Time) {
	score := make(map[string]float64, len(uses))
	for name, u := range uses {
		if u.Count > 0 {
			score[name] = frecency(u, now)
		}
	}
	sort.SliceStable(items, func(i, j int) bool {
		si, sj := score[items[i].entry.Name], score[items[j].entry.Name]
		if si != sj {
			return si > sj
		}
		return items[i].order < items[j].order
	})
}

// frecency is the usage count weighted by the age of the last use, as
// browsers rank history: a profile used twice today outranks one used ten
// times last quarter.
func frecency(u session.Usage, now time.Time) float64 {
	age := now.Sub(u.Last)
	w := 0.25
	switch {
	case age < 4*time.Hour:
		w = 8
	case age < 24*time.Hour:
		w = 4
	case age < 7*24*time.Hour:
		w = 2
	case age < 30*24*time.Hour:
		w = 1
	}
	// log keeps a very frequent profile from burying a recent one forever.
	return w * (1 + math.Log1p(float64(u.Count)))
}

// filterIndex matches the filter text over 20,000 profiles within a
// keystroke: each profile's name and other fields split once, a bitmask of
// the letters and digits each holds (a word with a letter the profile lacks
// is refused without a scan), the matches of the previous term (a term that
// only grew can only match fewer profiles), and buffers that are reused
// from one keystroke to the next, so a keystroke allocates almost nothing.
type filterIndex struct {
	names, rests []string
	masks        []uint64

	lastTerm string
	last     []int32 // matches of lastTerm in index order
	spare    []int32 // the other matches buffer; last and spare swap
	tiers    [3][]int32
	out      []int32
}

func newFilterIndex(items []profileItem) *filterIndex {
	fx := &filterIndex{
		names: make([]string, len(items)),
		rests: make([]string, len(items)),
		masks: make([]uint64, len(items)),
	}
	for i, it := range items {
		name, rest := it.hay, ""
		if sp := strings.IndexByte(it.hay, nameEnd[0]); sp >= 0 {
			name, rest = it.hay[:sp], it.hay[sp+1:]
		}
		fx.names[i], fx.rests[i], fx.masks[i] = name, rest, charMask(it.hay)
	}
	return fx
}

// reset forgets the previous term (the filter was cleared).
func (fx *filterIndex) reset() { fx.lastTerm = "" }

// charMask has a bit per ASCII letter and digit present in s.
func charMask(s string) uint64 {
	var m uint64
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 'a' && c <= 'z':
			m |= 1 << (c - 'a')
		case c >= '0' && c <= '9':
			m |= 1 << (26 + c - '0')
		}
	}
	return m
}

// filter returns the indexes of the profiles that match term: every
// space-separated word as a subsequence (fuzzy), case-insensitively. Rows
// where every word is a substring of the profile name come first, then
// rows where every word is a substring somewhere, then the scattered
// matches; inside each group the list's own order (frecency, then the AWS
// CLI's) is kept. An empty term matches everything. The slice is valid
// until the next call. Match positions are not computed: the delegate works
// them out for the dozen rows on screen.
func (fx *filterIndex) filter(term string) []int32 {
	term = strings.ToLower(term)
	words := strings.Fields(term)
	if len(words) == 0 {
		fx.out = fx.out[:0]
		for i := range fx.names {
			fx.out = append(fx.out, int32(i))
		}
		fx.lastTerm = ""
		return fx.out
	}
	var masks [8]uint64
	wmask := masks[:0]
	for _, w := range words {
		wmask = append(wmask, charMask(w))
	}
	for t := range fx.tiers {
		fx.tiers[t] = fx.tiers[t][:0]
	}
	matched := fx.spare[:0]
	check := func(i int32) {
		tier := 0
		name, rest, m := fx.names[i], fx.rests[i], fx.masks[i]
		for k, w := range words {
			switch {
			case m&wmask[k] != wmask[k]:
				return
			case strings.Contains(name, w):
			case strings.Contains(rest, w):
				tier = max(tier, 1)
			case subsequence2(name, rest, w):
				tier = 2
			default:
				return
			}
		}
		fx.tiers[tier] = append(fx.tiers[tier], i)
		matched = append(matched, i)
	}
	if fx.lastTerm != "" && strings.HasPrefix(term, fx.lastTerm) {
		for _, i := range fx.last {
			check(i)
		}
	} else {
		for i := range fx.names {
			check(int32(i))
		}
	}
	fx.lastTerm, fx.spare, fx.last = term, fx.last, matched
	fx.out = fx.out[:0]
	for _, t := range fx.tiers {
		fx.out = append(fx.out, t...)
	}
	return fx.out
}

// subsequence2 is subsequence over a+b without building the string.
func subsequence2(a, b, w string) bool {
	for i, r := range w {
		var j int
		if r < utf8.RuneSelf {
			j = strings.IndexByte(a, byte(r))
		} else {
			j = strings.IndexRune(a, r)
		}
		if j < 0 {
			return subsequence(b, w[i:])
		}
		a = a[j+utf8.RuneLen(r):]
	}
	return true
}

// subsequence reports whether every rune of w appears in s in order.
func subsequence(s, w string) bool {
	for _, r := range w {
		var i int
		if r < utf8.RuneSelf {
			i = strings.IndexByte(s, byte(r))
		} else {
			i = strings.IndexRune(s, r)
		}
		if i < 0 {
			return false
		}
		s = s[i+utf8.RuneLen(r):]
	}
	return true
}

// matchedRunes returns, for highlighting, the rune positions in name that a
// greedy match of the filter words hits.
func matchedRunes(name, term string) map[int]bool {
	words := strings.Fields(strings.ToLower(term))
	if len(words) == 0 {
		return nil
	}
	lower := []rune(strings.ToLower(name))
	hit := map[int]bool{}
	for _, w := range words {
		wr := []rune(w)
		if i := strings.Index(string(lower), w); i >= 0 {
			start := utf8.RuneCountInString(string(lower)[:i])
			for k := range wr {
				hit[start+k] = true
			}
			continue
		}
		j := 0
		for i, r := range lower {
			if j < len(wr) && r == wr[j] {
				hit[i] = true
				j++
			}
		}
	}
	return hit
}

// profileDelegate draws a profile as two lines: the name with badges, then
// role @ account, source and region, or the reason it cannot be assumed.
type profileDelegate struct {
	st   *styles
	term string // the filter text, for underlining the matched letters
}

func (d profileDelegate) Height() int                             { return 2 }
func (d profileDelegate) Spacing() int                            { return 0 }
func (d profileDelegate) Update(_ tea.Msg, _ *list.Model) tea.Cmd { return nil }

func (d profileDelegate) Render(w io.Writer, m list.Model, index int, li list.Item) {
	it, ok := li.(*profileItem)
	if !ok {
		return
	}
	st := d.st
	width := max(m.Width()-2, 10)
	selected := index == m.Index()

	cursor := "  "
	nameStyle := st.text
	if selected {
		cursor = st.cursor.Render("> ")
		nameStyle = st.selected
	}
	if it.reason != "" {
		nameStyle = st.muted
	}

	var name string
	if d.term != "" {
		hits := matchedRunes(it.entry.Name, d.term)
		var b strings.Builder
		for i, r := range []rune(it.entry.Name) {
			if hits[i] {
				b.WriteString(nameStyle.Inherit(st.match).Render(string(r)))
			} else {
				b.WriteString(nameStyle.Render(string(r)))
			}
		}
		name = b.String()
	} else {
		name = nameStyle.Render(it.entry.Name)
	}
	line1 := name
	if len(it.badges) > 0 {
		line1 += " " + st.badge.Render("["+strings.Join(it.badges, "] [")+"]")
	}

	var line2 string
	if it.reason != "" {
		line2 = st.muted.Render("cannot assume: " + it.reason)
	} else {
		var parts []string
		if it.role != "" {
			r := it.role
			if it.account != "" {
				r += " @" + it.account
			}
			parts = append(parts, r)
		}
		if it.source != "" {
			parts = append(parts, "from "+it.source)
		}
		if it.region != "" {
			parts = append(parts, it.region)
		}
		line2 = st.muted.Render(strings.Join(parts, " · "))
	}
	fmt.Fprintf(w, "%s%s\n  %s",
		cursor, ansi.Truncate(line1, width, "…"), ansi.Truncate(line2, width, "…"))
}
