package ui

import (
	"fmt"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"github.com/rolesw/rolesw/roles"
	"github.com/rolesw/rolesw/session"
)

// benchEntries builds n profiles by hand: a mix of direct roles, chained
// roles with MFA and a known maximum, and broken profiles.
func benchEntries(n int) []Entry {
	floor := roles.Bound{Kind: roles.BoundFloor, Seconds: 900, Reason: "the STS minimum (900 s)"}
	ceil := roles.Bound{Kind: roles.BoundCeiling, Seconds: 43200, Reason: "the STS maximum (43200 s)"}
	chain := roles.Bound{Kind: roles.BoundChaining, Seconds: 3600, Reason: "role chaining is capped at 1h by STS"}
	regions := []string{"us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"}
	out := make([]Entry, n)
	for i := range out {
		name := fmt.Sprintf("team%03d-app%02d-%s", i/40, i%40, []string{"dev", "stage", "prod"}[i%3])
		acct := fmt.Sprintf("%012d", 100000000000+i)
		arn := "arn:aws:iam::" + acct + ":role/Deploy" + fmt.Sprint(i%7)
		p := &roles.Plan{
			Profile: name,
			Region:  regions[i%len(regions)],
			Source:  roles.Source{Kind: roles.SourceStatic, Profile: "base"},
			Hops:    []roles.Hop{{Profile: name, RoleARN: arn}},
			Bounds:  roles.Bounds{Min: floor, Max: ceil, All: []roles.Bound{floor, ceil}},
			Default: time.Hour,
			Chain:   "base (keys) -> Deploy @" + acct,
		}
		if i%5 == 0 {
			p.Hops = append([]roles.Hop{{Profile: "hub", RoleARN: "arn:aws:iam::111111111111:role/Hub", MFASerial: "arn:aws:iam::111111111111:mfa/me"}}, p.Hops...)
			p.Hops[1].Chained = true
			p.Bounds = roles.Bounds{Min: floor, Max: chain, All: []roles.Bound{floor, ceil, chain}}
		}
		out[i] = Entry{Name: name, Plan: p, Region: p.Region}
		if i%97 == 0 {
			out[i] = Entry{Name: name, Err: fmt.Errorf("profile %q: source_profile %q does not exist", name, "gone")}
		}
	}
	return out
}

type benchHistory struct{ uses map[string]session.Usage }

func (h benchHistory) Uses() map[string]session.Usage { return h.uses }
func (h benchHistory) RecordUse(string) error         { return nil }

func benchOptions(entries []Entry) Options {
	uses := map[string]session.Usage{}
	for i := 0; i < len(entries); i += 50 {
		uses[entries[i].Name] = session.Usage{Count: i % 9, Last: t0.Add(-time.Duration(i) * time.Minute)}
	}
	return Options{Entries: entries, History: benchHistory{uses}, Now: func() time.Time { return t0 }}
}

// BenchmarkFirstFrame: from options to the first drawn frame with 20,000
// profiles (budget: 200 ms; DESIGN.md asks 100 ms).
func BenchmarkFirstFrame(b *testing.B) {
	opts := benchOptions(benchEntries(20000))
	b.ReportAllocs()
	for b.Loop() {
		m, _ := NewModel(opts).Update(tea.WindowSizeMsg{Width: 120, Height: 40})
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkFilterKeystroke: one keystroke re-filters 20,000 profiles and
// redraws (budget: 10 ms). The filter alternates between two terms so
// every iteration really filters.
func BenchmarkFilterKeystroke(b *testing.B) {
	var m tea.Model = NewModel(benchOptions(benchEntries(20000)))
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	for _, r := range "team01 pro" {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var k tea.KeyMsg
		if i%2 == 0 {
			k = tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'d'}}
		} else {
			k = tea.KeyMsg{Type: tea.KeyBackspace}
		}
		i++
		m, _ = m.Update(k)
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
	}
}

// BenchmarkFilterKeystrokeFirstChar: the worst keystroke, the first letter
// of a filter, which scans every profile and matches most of them.
func BenchmarkFilterKeystrokeFirstChar(b *testing.B) {
	var m tea.Model = NewModel(benchOptions(benchEntries(20000)))
	m, _ = m.Update(tea.WindowSizeMsg{Width: 120, Height: 40})
	b.ReportAllocs()
	for b.Loop() {
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{'d'}})
		if len(m.View()) == 0 {
			b.Fatal("empty frame")
		}
		b.StopTimer()
		m, _ = m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
		b.StartTimer()
	}
}

// BenchmarkFilterOnly: the matching alone, a full scan of 20,000 profiles
// per term (no incremental narrowing), to tell it from the drawing.
func BenchmarkFilterOnly(b *testing.B) {
	entries := benchEntries(20000)
	items := make([]profileItem, len(entries))
	for i, e := range entries {
		items[i] = newProfileItem(e, i)
	}
	fx := newFilterIndex(items)
	for _, term := range []string{"team01 prod", "team01 prodd", "d"} {
		b.Run(term, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fx.reset() // a full scan every time
				if len(fx.filter(term)) == 0 {
					b.Fatal("no match")
				}
			}
		})
	}
}
