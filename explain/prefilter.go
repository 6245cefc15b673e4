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
