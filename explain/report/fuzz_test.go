package report

import (
	"strings"
	"testing"
	"unicode/utf8"
)

var fuzzSeeds = []string{"", "plain", "a\x1b[31mb", "\x9b2J", "\u009b2J", "x|y<z>&`*_", "bad\xff", "\u202eabc", "l1\nl2\r\t"}

// FuzzTermLine: whatever a symbol holds, the terminal gets valid UTF-8 on one
// line with no control character and no bidi override.
func FuzzTermLine(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := termLine(s)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 from %q: %q", s, out)
		}
		for _, r := range out {
			if r < 0x20 || r == 0x7f || (r >= 0x80 && r <= 0x9f) || (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) {
				t.Fatalf("control %U survives in %q (from %q)", r, out, s)
			}
		}
		if termLine(out) != out {
			t.Fatalf("not idempotent on %q", out)
		}
	})
}

// FuzzMarkdownCell: in a table cell, no unescaped '|', no '<' or '>' and no
// line break can come from a profile.
func FuzzMarkdownCell(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := mdInline(s)
		if strings.ContainsAny(out, "<>\n\r\x1b") {
			t.Fatalf("unsafe byte in %q (from %q)", out, s)
		}
		for i := 0; i < len(out); i++ {
			switch out[i] {
			case '\\':
				i++ // the escaped character
			case '|', '`', '*', '_', '[', ']':
				t.Fatalf("unescaped %q at %d in %q (from %q)", out[i], i, out, s)
			}
		}
		h := htmlLine(s)
		if strings.ContainsAny(h, "<>\n") {
			t.Fatalf("unsafe HTML %q (from %q)", h, s)
		}
	})
}
