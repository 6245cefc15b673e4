package report

import (
	"strings"
	"unicode/utf8"
)

// shortenDistinct shortens each name to at most n runes for a table column,
// keeping names that differ distinct. A name keeps its start and its
// distinguishing tail (the method after the last "::" or "."), cut in the
// middle with "..."; when two different names would print the same, more of
// their tail is kept, then more of their head, until they differ. Names that
// cannot be told apart within n runes are left whole: a wide row beats two
// rows that look like one function. Equal input names stay equal.
func shortenDistinct(names []string, n int) []string {
	out := make([]string, len(names))
	for i, s := range names {
		out[i] = shorten(s, n, preferredTail(s, n))
	}
	for range 2 { // a second pass settles names a first fix made collide anew
		groups := map[string][]int{}
		var order []string
		for i, s := range out {
			if _, ok := groups[s]; !ok {
				order = append(order, s)
			}
			groups[s] = append(groups[s], i)
		}
		for _, s := range order {
			idx := groups[s]
			if !collides(names, idx) {
				continue
			}
			resolve(names, out, idx, n)
		}
	}
	return out
}

// collides says whether the names at idx differ although they print the same.
func collides(names []string, idx []int) bool {
	for _, i := range idx[1:] {
		if names[i] != names[idx[0]] {
			return true
		}
	}
	return false
}

// resolve tries every head/tail split for a group of names that print the
// same, tails longest first, and takes the first under which they all differ.
func resolve(names, out []string, idx []int, n int) {
	keep := n - 3
	for tail := keep; tail >= 0; tail-- {
		seen := map[string]string{}
		ok := true
		for _, i := range idx {
			s := shorten(names[i], n, tail)
			if prev, dup := seen[s]; dup && prev != names[i] {
				ok = false
				break
			}
			seen[s] = names[i]
		}
		if ok {
			for _, i := range idx {
				out[i] = shorten(names[i], n, tail)
			}
			return
		}
	}
	for _, i := range idx {
		out[i] = names[i]
	}
}

// preferredTail is how many runes of the end of s to keep: the last path
// segment of a qualified name when it fits in half the room or a little
// more, else half the room.
func preferredTail(s string, n int) int {
	keep := n - 3
	tail := keep / 2
	seg := lastSegment(s)
	if l := utf8.RuneCountInString(seg); l > tail && l <= keep*2/3 {
		tail = l
	}
	return tail
}

// lastSegment is the part of a qualified name after its last separator,
// ignoring separators inside generic arguments at the end.
func lastSegment(s string) string {
	i := max(strings.LastIndex(s, "::")+1, strings.LastIndexByte(s, '.'))
	if i <= 0 {
		return s
	}
	return s[i+1:]
}

// shorten cuts s to n runes with "..." in the middle, keeping tail runes of
// its end (at most n-3). A name that fits, or a room too small to cut
// meaningfully, is returned whole.
func shorten(s string, n, tail int) string {
	if n < 8 || utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	keep := n - 3
	tail = max(0, min(tail, keep))
	head := keep - tail
	return string(rs[:head]) + "..." + string(rs[len(rs)-tail:])
}
