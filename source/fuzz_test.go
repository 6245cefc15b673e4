package source

import (
	"path"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzSource: whatever a file holds, its quoted lines are valid UTF-8
// with no control, bidi or line-separator character; whatever path a
// profile names, the tails looked up are relative and never climb out.
func FuzzSource(f *testing.F) {
	f.Add([]byte("def f(x):\r\n\treturn x\x1b[31m\n"), "/opt/app/../x.py")
	f.Add([]byte("\xff\xfe\u202e\u2028"), `C:\src\app.py`)
	f.Add([]byte(strings.Repeat("é", 300)), "a//b/./c.py")
	f.Fuzz(func(t *testing.T, data []byte, file string) {
		for i, l := range splitLines(data) {
			if !utf8.ValidString(l) {
				t.Fatalf("line %d is not valid UTF-8: %q", i+1, l)
			}
			for _, r := range l {
				if r < 0x20 || r == 0x7f || r >= 0x80 && r < 0xa0 || bidi(r) {
					t.Fatalf("line %d keeps %U: %q", i+1, r, l)
				}
			}
			if n := utf8.RuneCountInString(l); n > maxLineRunes+1 {
				t.Fatalf("line %d has %d runes", i+1, n)
			}
		}
		for _, tail := range tails(file) {
			if tail == "" || path.IsAbs(tail) {
				t.Fatalf("tail %q of %q leaves the root", tail, file)
			}
			for _, part := range strings.Split(tail, "/") {
				if part == ".." {
					t.Fatalf("tail %q of %q climbs", tail, file)
				}
			}
		}
	})
}
