package report

import (
	"fmt"
	"html"
	"strings"
	"unicode/utf8"
)

// Strings that came from a profile (symbol names, file paths, thread names)
// are untrusted: a crafted symbol can hold terminal escape sequences, Markdown
// table syntax or HTML. These helpers neutralise them for each medium.

// escapeRune returns the visible escape for a rune that must not reach the
// output as is, or "" when the rune is safe. Control characters (C0, DEL, C1)
// become \xNN or \uNNNN; bidirectional overrides, which can make text read
// differently from how it is stored, become \uNNNN.
func escapeRune(r rune, keepNewline bool) string {
	switch {
	case r == '\n' && keepNewline:
		return ""
	case r == '\n':
		return `\n`
	case r == '\r':
		return `\r`
	case r == '\t':
		return `\t`
	case r < 0x20 || r == 0x7f:
		return fmt.Sprintf(`\x%02x`, r)
	case r >= 0x80 && r <= 0x9f, // C1 controls, including the 8-bit CSI
		r == 0x200e || r == 0x200f, // LRM, RLM
		r >= 0x202a && r <= 0x202e, // LRE..RLO
		r >= 0x2066 && r <= 0x2069, // LRI..PDI
		r == 0xfeff:                // BOM, zero-width no-break space
		return fmt.Sprintf(`\u%04x`, r)
	}
	return ""
}

// sanitize escapes control characters, invalid UTF-8 and bidi controls.
// With keepNewline, '\n' survives (prose, code); otherwise the result is one line.
func sanitize(s string, keepNewline bool) string {
	clean := true
	for i, r := range s {
		if (r == utf8.RuneError && isInvalidAt(s, i)) || escapeRune(r, keepNewline) != "" {
			clean = false
			break
		}
	}
	if clean {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
			i++
			continue
		}
		if e := escapeRune(r, keepNewline); e != "" {
			b.WriteString(e)
		} else {
			b.WriteRune(r)
		}
		i += n
	}
	return b.String()
}

func isInvalidAt(s string, i int) bool {
	_, n := utf8.DecodeRuneInString(s[i:])
	return n <= 1
}

// termLine makes a string safe for a terminal, on one line.
func termLine(s string) string { return sanitize(s, false) }

// termProse makes prose safe for a terminal. Prose quotes symbol names, so a
// newline in it may come from a profile: it is escaped like any control.
func termProse(s string) string { return sanitize(s, false) }

// termText makes multi-line text (code sketches) safe for a terminal; tabs
// become spaces so that indentation survives.
func termText(s string) string {
	return sanitize(strings.ReplaceAll(s, "\t", "    "), true)
}

// mdSpecial are the ASCII characters that can start or end Markdown syntax
// anywhere in a line: emphasis, code, links, images, headings, tables,
// strikethrough and math. HTML and entities are handled separately.
const mdSpecial = "\\`*_[]|~#$!"

// mdInline escapes a string for running Markdown text, on one line. '<' and
// '>' become entities so that no HTML tag survives; other punctuation that
// Markdown interprets gets a backslash.
func mdInline(s string) string {
	s = sanitize(s, false)
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r < utf8.RuneSelf && strings.ContainsRune(mdSpecial, r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// mdText escapes prose (engine sentences, catalogue text) for Markdown. Prose
// quotes symbol names, so a newline in it may come from a profile: it stays
// escaped, and no line of the output can start a list or a heading. Code
// it quotes in backticks stays code (mdProse).
func mdText(s string) string { return mdProse(s) }

// htmlLine escapes a string for HTML text (a <summary>), on one line.
func htmlLine(s string) string { return html.EscapeString(sanitize(s, false)) }

// fence returns a code fence longer than any run of backticks in code, so a
// sketch can never close its own block.
func fence(code string) string {
	longest, run := 0, 0
	for _, r := range code {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	return strings.Repeat("`", max(3, longest+1))
}

// truncate shortens s to at most n runes, keeping the start and the end and
// marking the cut with "...". Long generic Rust names keep their method name.
// Text output truncates after escaping, so that the width holds; Markdown
// truncates before escaping, so that no escape is cut in half.
func truncate(s string, n int) string {
	if n < 8 || utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	tail := (n - 3) / 2
	head := n - 3 - tail
	return string(rs[:head]) + "..." + string(rs[len(rs)-tail:])
}

// truncateEnd keeps the start of s (titles, which read from the left).
func truncateEnd(s string, n int) string {
	if n < 8 || utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n-3]) + "..."
}

// truncateLeft keeps the end of s (the file name of a long path).
func truncateLeft(s string, n int) string {
	if n < 8 || utf8.RuneCountInString(s) <= n {
		return s
	}
	rs := []rune(s)
	return "..." + string(rs[len(rs)-(n-3):])
}

// mdCode writes s as a Markdown code span: shown literally (no HTML, no
// emphasis), on one line, with a delimiter longer than any backtick run in
// it. In a table cell, pipes are escaped as well, which GitHub's tables
// require even inside code.
func mdCode(s string, inTable bool) string {
	s = sanitize(s, false)
	if s == "" {
		return ""
	}
	if inTable {
		s = strings.ReplaceAll(s, "|", `\|`)
	}
	longest, run := 0, 0
	for _, r := range s {
		if r == '`' {
			run++
			longest = max(longest, run)
		} else {
			run = 0
		}
	}
	d := strings.Repeat("`", longest+1)
	if strings.HasPrefix(s, "`") || strings.HasSuffix(s, "`") || (strings.HasPrefix(s, " ") && strings.HasSuffix(s, " ")) {
		s = " " + s + " "
	}
	return d + s + d
}

// mdProse escapes engine and catalogue prose for Markdown, keeping the
// commands and code it quotes between single backticks as code spans. A
// backtick without a partner is escaped like any other metacharacter.
func mdProse(s string) string {
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '`')
		if i < 0 {
			break
		}
		j := strings.IndexByte(s[i+1:], '`')
		if j < 0 {
			break
		}
		code := s[i+1 : i+1+j]
		if strings.TrimSpace(code) == "" || strings.ContainsAny(code, "\n\r") {
			b.WriteString(mdInline(s[:i+1+j]))
			s = s[i+1+j:]
			continue
		}
		b.WriteString(mdInline(s[:i]))
		b.WriteString(mdCode(code, false))
		s = s[i+2+j:]
	}
	b.WriteString(mdInline(s))
	return b.String()
}

// mdWrap breaks Markdown text into lines of at most width runes where it can
// (a code span or a long word may overflow), the first line starting with
// first and the others with rest. No line may start with something Markdown
// would read as a block (a list marker, a setext underline, a fence), so a
// word that would is kept on the line before it.
func mdWrap(text string, width int, first, rest string) string {
	var b strings.Builder
	line, n := first, utf8.RuneCountInString(first)
	empty := true
	for _, word := range mdWords(text) {
		wn := utf8.RuneCountInString(word)
		if !empty && n+1+wn > width && !mdBlockStart(word) {
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
	return b.String()
}

// mdWords splits Markdown text at spaces, keeping each code span whole so
// that a break never falls inside one.
func mdWords(s string) []string {
	var words []string
	var cur strings.Builder
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '`' && (i == 0 || s[i-1] != '\\'):
			j := i
			for j < len(s) && s[j] == '`' {
				j++
			}
			delim := s[i:j]
			end := strings.Index(s[j:], delim)
			if end < 0 {
				cur.WriteString(delim)
				i = j
				continue
			}
			cur.WriteString(s[i : j+end+len(delim)])
			i = j + end + len(delim)
		case c == ' ':
			if cur.Len() > 0 {
				words = append(words, cur.String())
				cur.Reset()
			}
			i++
		default:
			cur.WriteByte(c)
			i++
		}
	}
	if cur.Len() > 0 {
		words = append(words, cur.String())
	}
	return words
}

// mdBlockStart says whether a line starting with word could open a block:
// a bullet or ordered-list marker, a setext underline, a fence, a quote,
// a heading or a table row.
func mdBlockStart(word string) bool {
	switch word[0] {
	case '-', '+', '*', '=', '>', '#', '|':
		return true
	}
	if strings.HasPrefix(word, "```") || strings.HasPrefix(word, "~~~") {
		return true
	}
	digits := strings.TrimLeft(word, "0123456789")
	return len(digits) < len(word) && (strings.HasPrefix(digits, ".") || strings.HasPrefix(digits, ")"))
}
