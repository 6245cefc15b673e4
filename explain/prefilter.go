package explain

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// needs is a cheap test a string must pass before a regexp can match it:
// the string starts with one of the prefix literals or contains one of the
// other literals. A profile has tens of thousands of distinct frame names
// and the rule table dozens of patterns, nearly all of which fail on a
// given name; rejecting those with a few HasPrefix and Contains calls
// instead of running the regexp makes classifying each frame cheap. A nil
// needs rejects nothing.
type needs []needLit

type needLit struct {
	s      string
	prefix bool // the match must start with s (the pattern is anchored with ^)
}

// match reports whether re matches s, trying n first.
func (n needs) match(re *regexp.Regexp, s string) bool {
	return n.may(s) && re.MatchString(s)
}

// may reports whether s passes the test: false means re cannot match s.
func (n needs) may(s string) bool {
	if n == nil {
		return true
	}
	for _, l := range n {
		if l.prefix {
			if strings.HasPrefix(s, l.s) {
				return true
			}
		} else if strings.Contains(s, l.s) {
			return true
		}
	}
	return false
}

// needsOf derives the test from re's syntax: each match must contain a
// literal of every branch of an alternation, and an alternation anchored
// with ^ must start with one of its branches' leading literals. It returns
// nil when some branch could match without any literal (a character class,
// an optional part, case folding).
func needsOf(re *regexp.Regexp) needs {
	if re == nil {
		return nil
	}
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil
	}
	return needsIn(t.Simplify())
}

func needsIn(t *syntax.Regexp) needs {
	switch t.Op {
	case syntax.OpAlternate:
		return unionOf(t.Sub, needsIn)
	case syntax.OpCapture:
		return needsIn(t.Sub[0])
	case syntax.OpConcat:
		if len(t.Sub) > 1 && t.Sub[0].Op == syntax.OpBeginText {
			if n := prefixesOf(t.Sub[1]); n != nil {
				return n
			}
		}
	}
	return containsOf(t)
}

// containsOf returns literals one of which every match of t contains.
func containsOf(t *syntax.Regexp) needs {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 || len(t.Rune) == 0 {
			return nil
		}
		return needs{{s: string(t.Rune)}}
	case syntax.OpCapture, syntax.OpPlus:
		return containsOf(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return containsOf(t.Sub[0])
		}
	case syntax.OpAlternate:
		return unionOf(t.Sub, containsOf)
	case syntax.OpConcat:
		// Any one part's literals will do: take the part whose shortest
		// literal is longest, the most selective.
		var best needs
		bestLen := 0
		for _, s := range t.Sub {
			n := containsOf(s)
			if n == nil {
				continue
			}
			if l := shortest(n); l > bestLen {
				best, bestLen = n, l
			}
		}
		return best
	}
	return nil
}

// prefixesOf returns literals one of which every match of t starts with.
func prefixesOf(t *syntax.Regexp) needs {
	switch t.Op {
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 || len(t.Rune) == 0 {
			return nil
		}
		return needs{{s: string(t.Rune), prefix: true}}
	case syntax.OpCapture, syntax.OpPlus:
		return prefixesOf(t.Sub[0])
	case syntax.OpRepeat:
		if t.Min >= 1 {
			return prefixesOf(t.Sub[0])
		}
	case syntax.OpAlternate:
		return unionOf(t.Sub, prefixesOf)
	case syntax.OpConcat:
		if len(t.Sub) > 0 {
			return prefixesOf(t.Sub[0])
		}
	}
	return nil
}

func unionOf(subs []*syntax.Regexp, f func(*syntax.Regexp) needs) needs {
	var out needs
	for _, s := range subs {
		n := f(s)
		if n == nil {
			return nil
		}
		out = append(out, n...)
	}
	return out
}

func shortest(n needs) int {
	m := -1
	for _, l := range n {
		if m < 0 || len(l.s) < m {
			m = len(l.s)
		}
	}
	return m
}

// pairSet summarises the byte pairs of one string in 1024 bits. A frame is
// tested against hundreds of literals, nearly all absent: a literal whose
// first or last byte pair is not in the set cannot be in the string, and is
// rejected with two bit tests instead of a search.
type pairSet [16]uint64

// set makes ps the pairs of s.
func (ps *pairSet) set(s string) {
	*ps = pairSet{}
	for i := 0; i+1 < len(s); i++ {
		b := pairBit(s[i], s[i+1])
		ps[b>>6] |= 1 << (b & 63)
	}
}

func (ps *pairSet) has(b uint16) bool { return ps[b>>6]&(1<<(b&63)) != 0 }

// pairBit hashes a byte pair to one of 1024 bits.
func pairBit(x, y byte) uint16 { return uint16((uint32(x)<<8 | uint32(y)) * 0x9E3779B1 >> 22) }

// quickNeeds is a needs with the first and last byte pair of each literal
// worked out, for testing strings whose pairSet is known.
type quickNeeds struct {
	n needs
	// first and last are, per literal of n, the bits of its first and
	// last byte pair; for a prefix literal, first is its head instead.
	// Unused for literals under two bytes.
	first, last []uint16
}

func quick(n needs) quickNeeds {
	q := quickNeeds{n: n, first: make([]uint16, len(n)), last: make([]uint16, len(n))}
	for i, l := range n {
		switch {
		case len(l.s) < 2:
		case l.prefix:
			q.first[i] = head(l.s)
		default:
			q.first[i], q.last[i] = pairBit(l.s[0], l.s[1]), pairBit(l.s[len(l.s)-2], l.s[len(l.s)-1])
		}
	}
	return q
}

// head is the first two bytes of s (at least two long) as one number.
func head(s string) uint16 { return uint16(s[0])<<8 | uint16(s[1]) }

// may is q.n.may(s), given ps, the pairs of s.
func (q *quickNeeds) may(s string, ps *pairSet) bool {
	if q.n == nil {
		return true
	}
	var h uint16
	if len(s) >= 2 {
		h = head(s)
	}
	for i, l := range q.n {
		if l.prefix {
			if len(l.s) >= 2 && (len(s) < 2 || h != q.first[i]) {
				continue
			}
			if strings.HasPrefix(s, l.s) {
				return true
			}
			continue
		}
		if len(l.s) >= 2 && (!ps.has(q.first[i]) || !ps.has(q.last[i])) {
			continue
		}
		if strings.Contains(s, l.s) {
			return true
		}
	}
	return false
}

// match reports whether re matches s, trying q first.
func (q *quickNeeds) match(re *regexp.Regexp, s string, ps *pairSet) bool {
	return q.may(s, ps) && re.MatchString(s)
}
