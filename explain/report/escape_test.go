package report

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestTermLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain::name<T>", "plain::name<T>"},
		{"a\x1b[31mred\x1b[0m", `a\x1b[31mred\x1b[0m`},
		{"osc\x1b]0;title\x07", `osc\x1b]0;title\x07`},
		{"two\nlines\r\tx", `two\nlines\r\tx`},
		{"c1\u009b2J", `c1\u009b2J`},
		{"del\x7f", `del\x7f`},
		{"bad\xff\xfeutf8", `bad\xff\xfeutf8`},
		{"bidi\u202eabc\u2066", `bidi\u202eabc\u2066`},
		{"µs — ünïcödé ok", "µs — ünïcödé ok"},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, termLine(tc.in), "%q", tc.in)
	}
	assert.Equal(t, "a\nb    c\\x1b", termText("a\nb\tc\x1b"), "termText keeps newlines")
}

func TestMarkdownEscapes(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain", "plain"},
		{"a|b", `a\|b`},
		{"<script>x</script>", "&lt;script&gt;x&lt;/script&gt;"},
		{"__rust_alloc", `\_\_rust\_alloc`},
		{"*bold* `code` [l](u) ~s~ #h $m$ !i", "\\*bold\\* \\`code\\` \\[l\\](u) \\~s\\~ \\#h \\$m\\$ \\!i"},
		{"Vec<T> & co", "Vec&lt;T&gt; &amp; co"},
		{"new\nline", `new\\nline`},
		{`back\slash`, `back\\slash`},
		{"esc\x1b[1m", `esc\\x1b\[1m`},
	}
	for _, tc := range tests {
		assert.Equal(t, tc.want, mdInline(tc.in), "%q", tc.in)
	}
	assert.Equal(t, `one\\ntwo \| x`, mdText("one\ntwo | x"))
	assert.Equal(t, "&lt;b&gt; &amp; &#34;q&#34; \\x1b", htmlLine("<b> & \"q\" \x1b"))
}

func TestFence(t *testing.T) {
	assert.Equal(t, "```", fence("no ticks"))
	assert.Equal(t, "```", fence("one ` tick and ``two"))
	assert.Equal(t, "````", fence("```"))
	assert.Equal(t, "``````", fence("a `````b"))
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "short", truncate("short", 10))
	assert.Equal(t, "abcd...wxyz", truncate("abcdefghijklmnopqrstuvwxyz", 11))
	assert.Equal(t, "abcdef...", truncateEnd("abcdefghijklmnopqrstuvwxyz", 9))
	assert.Equal(t, "...uvwxyz", truncateLeft("abcdefghijklmnopqrstuvwxyz", 9))
	assert.Equal(t, "ééé...ééé", truncate("éééééééééééé", 9), "counts runes, not bytes")
}

func TestWrap(t *testing.T) {
	assert.Equal(t, "  one two\n  three\n", wrap("one two three", 10, "  ", "  "))
	assert.Equal(t, "- averyveryverylongword\n  x\n", wrap("averyveryverylongword x", 10, "- ", "  "))
	assert.Equal(t, "> a\n  b\n", wrap("a\nb", 10, "> ", "  "))
}
