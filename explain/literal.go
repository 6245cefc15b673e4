package explain

import (
	"regexp"
	"regexp/syntax"
	"strings"
	"unicode/utf8"
)

// literalSet is a pattern that is a set of literal forms: each alternative
// is one literal, anchored or not at either end, and at the end anchor
// perhaps followed by a run of one character class (`^(start_thread|
// clone3?|__clone\w*)$`, `sys_(read|recvfrom)$`). Most frame sets are of
// this shape, and a profile has tens of thousands of distinct frames to
// test against each: a map probe and a few prefix tests decide what the
// regexp engine would, at a fraction of the cost. compileLiteral refuses
// any pattern it cannot decide exactly.
type literalSet struct {
	exact map[string]bool // ^lit$
	forms []litForm       // the other alternatives
	// The same, indexed so that a string is tested only against the
	// alternatives that could match its first or last byte: exactFirst
	// marks the first bytes of the exact literals; byFirst holds the
	// start-anchored forms by their literal's first byte, byLast the
	// end-anchored ones by its last, other the rest.
	exactFirst      [256]bool
	emptyExact      bool
	byFirst, byLast *[256][]litForm
	other           []litForm
}

// litForm is one alternative of a literalSet.
type litForm struct {
	lit        string
	start, end bool // anchored at the start (^), at the end ($)
	// tail, with end: the literal is followed by any run (at least
	// tailMin long) of the bytes tail marks, then the end.
	tail    *[256]bool
	tailMin int
}

// maxLiteralForms bounds the expansion: a pattern with more alternatives
// stays with the regexp engine.
const maxLiteralForms = 512

// compileLiteral returns re as a literalSet, or false when re is not of
// that shape.
func compileLiteral(re *regexp.Regexp) (*literalSet, bool) {
	if re == nil {
		return nil, false
	}
	t, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		return nil, false
	}
	seqs, ok := expand(t.Simplify())
	if !ok {
		return nil, false
	}
	ls := &literalSet{exact: map[string]bool{}}
	for _, sq := range seqs {
		f, ok, never := sq.form()
		if !ok {
			return nil, false
		}
		if never {
			continue
		}
		if f.start && f.end && f.tail == nil {
			ls.exact[f.lit] = true
			continue
		}
		ls.forms = append(ls.forms, f)
	}
	ls.index()
	return ls, true
}

func (ls *literalSet) index() {
	ls.byFirst, ls.byLast = new([256][]litForm), new([256][]litForm)
	for lit := range ls.exact {
		if lit == "" {
			ls.emptyExact = true
		} else {
			ls.exactFirst[lit[0]] = true
		}
	}
	for _, f := range ls.forms {
		switch {
		case f.lit == "":
			ls.other = append(ls.other, f)
		case f.start:
			ls.byFirst[f.lit[0]] = append(ls.byFirst[f.lit[0]], f)
		case f.end:
			ls.byLast[f.lit[len(f.lit)-1]] = append(ls.byLast[f.lit[len(f.lit)-1]], f)
		default:
			ls.other = append(ls.other, f)
		}
	}
}

// match reports whether s matches the pattern.
func (ls *literalSet) match(s string) bool {
	if s == "" {
		if ls.emptyExact {
			return true
		}
	} else {
		if ls.exactFirst[s[0]] && ls.exact[s] {
			return true
		}
		for i, fs := 0, ls.byFirst[s[0]]; i < len(fs); i++ {
			if fs[i].match(s) {
				return true
			}
		}
		for i, fs := 0, ls.byLast[s[len(s)-1]]; i < len(fs); i++ {
			if fs[i].match(s) {
				return true
			}
		}
	}
	for i := range ls.other {
		if ls.other[i].match(s) {
			return true
		}
	}
	return false
}

func (f *litForm) match(s string) bool {
	switch {
	case f.tail != nil: // start is set: form() refuses an unanchored tail
		if !strings.HasPrefix(s, f.lit) {
			return false
		}
		rest := s[len(f.lit):]
		if len(rest) < f.tailMin {
			return false
		}
		for i := 0; i < len(rest); i++ {
			if !f.tail[rest[i]] {
				return false
			}
		}
		return true
	case f.start && f.end:
		return s == f.lit
	case f.start:
		return strings.HasPrefix(s, f.lit)
	case f.end:
		return strings.HasSuffix(s, f.lit)
	}
	return strings.Contains(s, f.lit)
}

// litToken is one element of an expanded alternative: a literal piece, an
// anchor, or a run of a character class.
type litToken struct {
	kind    tokKind
	lit     string
	class   *[256]bool
	min     int
	anyTail bool // the class is every character: .* or (?s).*
}

type tokKind uint8

const (
	tokLit tokKind = iota
	tokBegin
	tokEnd
	tokRun
)

type litSeq []litToken

// expand lists the alternatives of t as litToken sequences.
func expand(t *syntax.Regexp) ([]litSeq, bool) {
	switch t.Op {
	case syntax.OpEmptyMatch:
		return []litSeq{nil}, true
	case syntax.OpLiteral:
		if t.Flags&syntax.FoldCase != 0 {
			return nil, false
		}
		return []litSeq{{{kind: tokLit, lit: string(t.Rune)}}}, true
	case syntax.OpBeginText:
		return []litSeq{{{kind: tokBegin}}}, true
	case syntax.OpEndText:
		return []litSeq{{{kind: tokEnd}}}, true
	case syntax.OpCapture:
		return expand(t.Sub[0])
	case syntax.OpCharClass:
		// A small class is a choice of single characters.
		var out []litSeq
		for i := 0; i+1 < len(t.Rune); i += 2 {
			for r := t.Rune[i]; r <= t.Rune[i+1]; r++ {
				if len(out) >= 16 {
					return nil, false
				}
				out = append(out, litSeq{{kind: tokLit, lit: string(r)}})
			}
		}
		return out, len(out) > 0
	case syntax.OpQuest:
		sub, ok := expand(t.Sub[0])
		if !ok {
			return nil, false
		}
		return append([]litSeq{nil}, sub...), len(sub)+1 <= maxLiteralForms
	case syntax.OpStar, syntax.OpPlus:
		class, anyTail, ok := byteClass(t.Sub[0])
		if !ok {
			return nil, false
		}
		return []litSeq{{{kind: tokRun, class: class, min: b2i(t.Op == syntax.OpPlus), anyTail: anyTail}}}, true
	case syntax.OpAlternate:
		var out []litSeq
		for _, s := range t.Sub {
			sub, ok := expand(s)
			if !ok || len(out)+len(sub) > maxLiteralForms {
				return nil, false
			}
			out = append(out, sub...)
		}
		return out, true
	case syntax.OpConcat:
		out := []litSeq{nil}
		for _, s := range t.Sub {
			sub, ok := expand(s)
			if !ok || len(out)*len(sub) > maxLiteralForms {
				return nil, false
			}
			next := make([]litSeq, 0, len(out)*len(sub))
			for _, a := range out {
				for _, b := range sub {
					next = append(next, append(append(litSeq{}, a...), b...))
				}
			}
			out = next
		}
		return out, true
	}
	return nil, false
}

// byteClass returns the bytes a run of t may hold, for a class of ASCII
// characters (with or without every non-ASCII character), and whether the
// class is every character.
func byteClass(t *syntax.Regexp) (*[256]bool, bool, bool) {
	var ranges []rune
	switch t.Op {
	case syntax.OpCharClass:
		ranges = t.Rune
	case syntax.OpAnyCharNotNL:
		ranges = []rune{0, '\n' - 1, '\n' + 1, utf8.MaxRune}
	case syntax.OpAnyChar:
		ranges = []rune{0, utf8.MaxRune}
	default:
		return nil, false, false
	}
	var c [256]bool
	nonASCII := false
	for i := 0; i+1 < len(ranges); i += 2 {
		lo, hi := ranges[i], ranges[i+1]
		if hi >= utf8.RuneSelf {
			// Non-ASCII characters: all of them (their bytes are all
			// >= 0x80) or the class cannot be told by bytes.
			if lo > utf8.RuneSelf || hi < utf8.MaxRune {
				return nil, false, false
			}
			nonASCII = true
			hi = utf8.RuneSelf - 1
		}
		for r := lo; r <= hi; r++ {
			c[r] = true
		}
	}
	if nonASCII {
		for b := utf8.RuneSelf; b < 256; b++ {
			c[b] = true
		}
	}
	all := true
	for _, x := range c {
		all = all && x
	}
	return &c, all, true
}

// form reduces a litToken sequence to a litForm. never says the sequence
// can match nothing (text after the end anchor); ok false that it has a
// shape litForm cannot hold.
func (sq litSeq) form() (f litForm, ok, never bool) {
	i := 0
	// Leading anchors and runs of every character (.*) only say whether
	// the start is fixed: ^ fixes it, .* after it frees it again.
	for ; i < len(sq); i++ {
		if sq[i].kind == tokBegin {
			f.start = true
		} else if sq[i].kind == tokRun && sq[i].anyTail && sq[i].min == 0 {
			f.start = false
		} else {
			break
		}
	}
	var lit strings.Builder
	for ; i < len(sq) && sq[i].kind == tokLit; i++ {
		lit.WriteString(sq[i].lit)
	}
	f.lit = lit.String()
	for ; i < len(sq); i++ {
		switch tk := sq[i]; tk.kind {
		case tokBegin:
			// ^ after text (the leading ones were taken above).
			return f, true, true
		case tokEnd:
			f.end = true
		case tokLit:
			if f.end {
				return f, true, true
			}
			return f, false, false // text after a run
		case tokRun:
			switch {
			case f.end:
				if tk.min > 0 {
					return f, true, true
				}
			case tk.anyTail && tk.min == 0:
				// .*: the end is free if nothing but more of the same
				// and anchors follow.
				if !onlyRunsAndEnd(sq[i+1:]) {
					return f, false, false
				}
				f.tail, f.tailMin = nil, 0
				return f, true, false
			case f.tail != nil:
				return f, false, false
			default:
				f.tail, f.tailMin = tk.class, tk.min
			}
		}
	}
	if f.tail != nil {
		switch {
		case !f.end && f.tailMin == 0:
			f.tail = nil // lit\w* with a free end is just lit
		case !f.end || !f.start:
			return f, false, false
		}
	}
	return f, true, false
}

// onlyRunsAndEnd reports whether the tokens are runs of every character
// and end anchors only: whatever follows matches them.
func onlyRunsAndEnd(sq litSeq) bool {
	for _, tk := range sq {
		if tk.kind != tokEnd && !(tk.kind == tokRun && tk.anyTail && tk.min == 0) {
			return false
		}
	}
	return true
}
