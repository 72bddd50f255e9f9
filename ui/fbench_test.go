package ui

import "testing"

func BenchmarkFilterOnly(b *testing.B) {
	entries := benchEntries(20000)
	targets := make([]string, len(entries))
	for i, e := range entries {
		targets[i] = newProfileItem(e, i).hay
	}
	fx := &filterIndex{}
	fx.build(targets)
	for _, term := range []string{"team01 prod", "team01 prodd", "d"} {
		b.Run(term, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fx.lastTerm = "" // a full scan every time
				fx.filter(term, targets)
			}
		})
	}
}
