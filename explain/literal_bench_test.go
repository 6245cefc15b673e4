package explain

import "testing"

// BenchmarkFrameSets asks every frame set about every frame name, file
// and module of the committed fixtures.
func BenchmarkFrameSets(b *testing.B) {
	words := fixtureWords(&testing.T{})
	sets := frameSetsByName()
	b.ResetTimer()
	for range b.N {
		for _, w := range words {
			for _, s := range sets {
				s.set.has(w)
			}
		}
	}
}

// BenchmarkFrameSetsRegexp is BenchmarkFrameSets through the prefilter
// and the regexp engine only, for comparison.
func BenchmarkFrameSetsRegexp(b *testing.B) {
	words := fixtureWords(&testing.T{})
	sets := frameSetsByName()
	b.ResetTimer()
	for range b.N {
		for _, w := range words {
			for _, s := range sets {
				s.set.needs.match(s.set.re, w)
			}
		}
	}
}

// BenchmarkLiteralSets is BenchmarkFrameSets on the literal sets alone.
func BenchmarkLiteralSets(b *testing.B) {
	words := fixtureWords(&testing.T{})
	var sets []*literalSet
	for _, s := range frameSetsByName() {
		if s.set.lit != nil {
			sets = append(sets, s.set.lit)
		}
	}
	b.ResetTimer()
	for range b.N {
		for _, w := range words {
			for _, s := range sets {
				s.match(w)
			}
		}
	}
}
