package report

import (
	"strings"
	"unicode/utf8"
)

// wrap breaks text into lines of at most width runes, the first starting with
// first and the others with rest. Newlines in text start new paragraphs with
// rest. Words longer than a line are kept whole. The result ends in a newline.
func wrap(text string, width int, first, rest string) string {
	var b strings.Builder
	prefix := first
	for _, para := range strings.Split(text, "\n") {
		line := prefix
		n := utf8.RuneCountInString(line)
		empty := true
		for _, word := range strings.Fields(para) {
			wn := utf8.RuneCountInString(word)
			if !empty && n+1+wn > width {
				b.WriteString(line)
				b.WriteByte('\n')
				line, n, empty = rest, utf8.RuneCountInString(rest), true
			}
			if !empty {
				line += " "
				n++
			}
			line += word
			n += wn
			empty = false
		}
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
		prefix = rest
	}
	return b.String()
}

// indent prefixes every line of a block (code sketches) with pre.
func indent(block, pre string) string {
	var b strings.Builder
	for _, l := range strings.Split(strings.TrimRight(block, "\n"), "\n") {
		if l == "" {
			b.WriteByte('\n')
			continue
		}
		b.WriteString(pre)
		b.WriteString(l)
		b.WriteByte('\n')
	}
	return b.String()
}
