package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/folded"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// hostileNames are symbol names a profile may carry that must not reach a
// terminal, a markdown table or a JSON document as they are: escape
// sequences that recolour or retitle the terminal, other control bytes,
// table and HTML syntax, invalid UTF-8 and a name far wider than a column.
var hostileNames = []string{
	"\x1b[31mred\x1b[0m",
	"\x1b]0;title\x07bell",
	"\x1b[2J\x1b[Hclear",
	"ctl\x01\x02\x08\x7fdel",
	"c1\u009b31mcsi",
	"pipe|in|name",
	"<script>alert(1)</script>",
	"<img src=x onerror=alert(1)>",
	`quote"single'`,
	"`tick` **bold** [link](http://x) _em_",
	`lit\nescape\r\t`,
	"bad\xff\xfeutf8",
	"cr\rinside",
	strings.Repeat("L", 5000),
}

// hostileInputs writes the names as leaf frames in a folded file and in a
// perf script file (where ';' may appear inside a name).
func hostileInputs(t *testing.T) map[string]string {
	dir := t.TempDir()
	var fb, pb strings.Builder
	for i, name := range hostileNames {
		fmt.Fprintf(&fb, "main;%s %d\n", strings.ReplaceAll(name, ";", ":"), i+1)
		for j := 0; j <= i; j++ {
			fmt.Fprintf(&pb, "app 100 %d.%06d: 1000000 cpu-clock:ppp:\n", 1000+i, j)
			fmt.Fprintf(&pb, "\t    %x %s+0x1 (/usr/lib/libhostile.so)\n", 0x1000+i, name)
			fmt.Fprintf(&pb, "\t    2000 main+0x10 (/usr/bin/app)\n\n")
		}
	}
	paths := map[string]string{
		"folded": filepath.Join(dir, "hostile.folded"),
		"perf":   filepath.Join(dir, "hostile.perf.txt"),
	}
	require.NoError(t, os.WriteFile(paths["folded"], []byte(fb.String()), 0o644))
	require.NoError(t, os.WriteFile(paths["perf"], []byte(pb.String()), 0o644))
	return paths
}

func TestHostileSymbolNames(t *testing.T) {
	for format, in := range hostileInputs(t) {
		t.Run(format, func(t *testing.T) {
			for _, out := range []string{"text", "markdown", "json"} {
				t.Run("explain-"+out, func(t *testing.T) {
					code, stdout, errOut := run(t, "", "explain", in, "--from", format, "--format", out, "--top", "50")
					require.Equal(t, 0, code, errOut)
					if out == "json" {
						// JSON is data: a name keeps its exact text, with C0
						// controls escaped as \u00XX by the encoder.
						assert.NotContains(t, stdout, "\x1b")
					} else {
						assertNoControlBytes(t, stdout)
					}
					assert.True(t, utf8.ValidString(stdout), "output is valid UTF-8")
					switch out {
					case "markdown":
						assertTablesWellFormed(t, stdout)
						// Names are code spans, shown literally; outside them no HTML survives.
						assert.NotContains(t, withoutCodeSpans(stdout), "<script>", "HTML is escaped in markdown")
						assert.NotContains(t, withoutCodeSpans(stdout), "<img", "HTML is escaped in markdown")
					case "json":
						assert.True(t, json.Valid([]byte(stdout)), "valid JSON")
					case "text":
						assert.Contains(t, stdout, "pipe|in|name", "harmless names are shown as they are")
					}
				})
			}
			t.Run("convert-folded", func(t *testing.T) {
				code, stdout, errOut := run(t, "", "convert", in, "--from", format, "--to", "folded")
				require.Equal(t, 0, code, errOut)
				lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
				assert.Len(t, lines, len(hostileNames), "one line per stack: no raw newline inside a name")
				p, err := folded.Read(strings.NewReader(stdout), "out", profile.ReadOptions{Strict: true})
				require.NoError(t, err, "the folded output reads back")
				n := int64(len(hostileNames))
				assert.Equal(t, n*(n+1)/2*map[string]int64{"folded": 1, "perf": 1000000}[format], p.Total(p.DefaultType))
			})
			t.Run("convert-speedscope", func(t *testing.T) {
				code, stdout, errOut := run(t, "", "convert", in, "--from", format, "--to", "speedscope")
				require.Equal(t, 0, code, errOut)
				assert.True(t, json.Valid([]byte(stdout)), "valid JSON")
				assert.NotContains(t, stdout, "\x1b", "JSON escapes control bytes")
			})
		})
	}
}

// TestHostileNameWithNewlineFromJSON feeds a speedscope document whose frame
// names hold real line breaks and escape sequences, which JSON can carry:
// folded output must keep one stack per line and the text report must not
// break lines inside a name.
func TestHostileNameWithNewlineFromJSON(t *testing.T) {
	doc := `{"$schema":"https://www.speedscope.app/file-format-schema.json",
"shared":{"frames":[{"name":"main"},{"name":"two\nlines\u001b[31m"},{"name":"tab\there|x"}]},
"profiles":[{"type":"sampled","name":"p","unit":"none","startValue":0,"endValue":3,
"samples":[[0,1],[0,2],[0,2]],"weights":[1,1,1]}]}`
	in := filepath.Join(t.TempDir(), "nl.speedscope.json")
	require.NoError(t, os.WriteFile(in, []byte(doc), 0o644))
	code, stdout, errOut := run(t, "", "convert", in, "--to", "folded")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "main;tab\there|x 2\nmain;two\\nlines\x1b[31m 1\n", stdout)
	for _, out := range []string{"text", "markdown"} {
		code, stdout, errOut = run(t, "", "explain", in, "--format", out)
		require.Equal(t, 0, code, errOut)
		assertNoControlBytes(t, stdout)
		if out == "markdown" {
			assertTablesWellFormed(t, stdout)
		}
	}
}

// assertNoControlBytes fails on any C0 control byte but the line feed, on
// DEL and on C1 controls (U+0080..U+009F; U+009B is a one-rune CSI).
func assertNoControlBytes(t *testing.T, s string) {
	t.Helper()
	for i, r := range s {
		if (r < 0x20 && r != '\n') || (r >= 0x7f && r <= 0x9f) {
			t.Errorf("control character %U at byte %d: %q", r, i, around(s, i))
			return
		}
	}
}

func around(s string, i int) string {
	lo, hi := max(0, i-40), min(len(s), i+40)
	return s[lo:hi]
}

// assertTablesWellFormed checks that every row of every markdown table has
// as many cells as its header: a '|' from a name must arrive escaped.
func assertTablesWellFormed(t *testing.T, md string) {
	t.Helper()
	want := -1
	for _, line := range strings.Split(md, "\n") {
		if !strings.HasPrefix(line, "|") {
			want = -1
			continue
		}
		n := cells(line)
		if want < 0 {
			want = n
			continue
		}
		assert.Equal(t, want, n, "cells in %q", line)
	}
}

// cells counts the cells of a table row: unescaped '|' minus one.
func cells(row string) int {
	n := 0
	for i := 0; i < len(row); i++ {
		switch row[i] {
		case '\\':
			i++
		case '|':
			n++
		}
	}
	return n - 1
}

// withoutCodeSpans drops Markdown code spans (a backtick run closed by a run
// of the same length on the same line), which renderers show literally.
func withoutCodeSpans(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		if s[i] != '`' || (i > 0 && s[i-1] == '\\') {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] == '`' {
			j++
		}
		end := strings.Index(s[j:], s[i:j])
		if end < 0 || strings.Contains(s[j:j+end], "\n") {
			b.WriteString(s[i:j])
			i = j
			continue
		}
		i = j + end + (j - i)
	}
	return b.String()
}

// TestHostileSourceLines: a source line quoted with --source is data from
// the program's files: escape sequences, HTML, backticks and pipes in it
// render as text in every format. The profile is a hand-made py-spy
// folded file whose json.dumps call with indent= runs the pure-Python
// encoder (a finding that names app.py:3 and quotes the function).
func TestHostileSourceLines(t *testing.T) {
	dir := t.TempDir()
	src := "import json\n\ndef pretty(x):\n    return json.dumps(x, indent=2)  # \x1b[31m<img src=x onerror=alert(1)> `tick` | pipe\n"
	require.NoError(t, os.WriteFile(filepath.Join(dir, "app.py"), []byte(src), 0o644))
	var b strings.Builder
	for i, leaf := range []string{"_iterencode (json/encoder.py:430)", "_iterencode_dict (json/encoder.py:395)", "_iterencode_list (json/encoder.py:326)"} {
		fmt.Fprintf(&b, "<module> (app.py:9);pretty (app.py:4);dumps (json/__init__.py:238);encode (json/encoder.py:202);%s %d\n", leaf, 30+i)
	}
	b.WriteString("<module> (app.py:9);other (app.py:12) 10\n")
	in := filepath.Join(dir, "p.folded")
	require.NoError(t, os.WriteFile(in, []byte(b.String()), 0o644))
	for _, out := range []string{"text", "markdown", "html", "json"} {
		code, stdout, errOut := run(t, "", "explain", in, "--source", dir, "--format", out)
		require.Equal(t, 0, code, errOut)
		assert.NotContains(t, stdout, "\x1b", out)
		assert.Contains(t, stdout, "onerror", "%s: the line is quoted", out)
		switch out {
		case "text":
			assertNoControlBytes(t, stdout)
			assert.Contains(t, stdout, "app.py:4 in pretty", out)
		case "markdown":
			assertNoControlBytes(t, stdout)
			assert.Contains(t, stdout, "`app.py:4` in `pretty`", out)
		case "html":
			assert.NotContains(t, stdout, "<img src=x", "HTML in a source line is escaped")
		case "json":
			assert.True(t, json.Valid([]byte(stdout)))
		}
		if out == "markdown" {
			// Fenced sketches and code spans show text literally.
			outside := regexp.MustCompile("(?s)\n```[a-z]*\n.*?\n```\n").ReplaceAllString(stdout, "\n")
			assert.NotContains(t, withoutCodeSpans(outside), "<img", "HTML is escaped in markdown")
		}
	}
}
