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
// escaped, and no line of the output can start a list or a heading.
func mdText(s string) string { return mdInline(s) }

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
