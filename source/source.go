// Package source reads lines of the profiled program's source files from
// a directory the user names, so that a report can quote the line a cost
// sits on. A profile records files as the recorder saw them (py-spy's
// path relative to sys.path, perf's absolute path on the recording host,
// a build path in pprof), so a file is looked up under the directory by
// its whole path, then by shorter and shorter tails of it, as pprof's
// -source_path does. Nothing outside the directory is read.
package source

import (
	"bytes"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// MaxFileBytes is the largest source file read: a profile's frames name
// program files, and a multi-megabyte "source" is data, not code.
const MaxFileBytes = 4 << 20

// maxLineRunes is where a quoted line is cut (a minified line is no
// quote).
const maxLineRunes = 240

// Tree is a directory of source files. Its zero value, and a nil *Tree,
// read nothing. Lookups are cached per file; a Tree is for one goroutine.
type Tree struct {
	root  string
	files map[string][]string // profile path -> its lines; nil when not found
}

// Dir returns the tree of source files under root.
func Dir(root string) *Tree {
	return &Tree{root: root, files: map[string][]string{}}
}

// Line returns line n (from 1) of the file a profile calls file, with
// control characters replaced and tabs expanded, and whether it was
// found. A line that is blank says so with ok false: it quotes nothing.
func (t *Tree) Line(file string, n int) (text string, ok bool) {
	if t == nil || t.root == "" || n < 1 || file == "" {
		return "", false
	}
	lines, seen := t.files[file]
	if !seen {
		lines = t.load(file)
		t.files[file] = lines
	}
	if n > len(lines) {
		return "", false
	}
	text = lines[n-1]
	return text, strings.TrimSpace(text) != ""
}

// load reads the first file under the root that a tail of file names.
func (t *Tree) load(file string) []string {
	for _, rel := range tails(file) {
		p := filepath.Join(t.root, filepath.FromSlash(rel))
		st, err := os.Stat(p)
		if err != nil || !st.Mode().IsRegular() {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		data, err := io.ReadAll(io.LimitReader(f, MaxFileBytes+1))
		f.Close()
		if err != nil || len(data) > MaxFileBytes || bytes.IndexByte(data, 0) >= 0 {
			return nil // unreadable, too large, or binary: quote nothing
		}
		return splitLines(data)
	}
	return nil
}

// tails are the relative paths to try for file, longest first: every
// suffix of its clean slash-separated components. A component ".." (or a
// path that is nothing but a root) yields none, so a lookup never leaves
// the root.
func tails(file string) []string {
	file = strings.ReplaceAll(file, `\`, "/")
	if i := strings.Index(file, ":/"); i == 1 { // a Windows drive letter
		file = file[2:]
	}
	parts := strings.Split(path.Clean("/"+file), "/")[1:]
	var out []string
	for i := range parts {
		if parts[i] == ".." || parts[i] == "" {
			return nil
		}
	}
	for i := range parts {
		out = append(out, strings.Join(parts[i:], "/"))
	}
	return out
}

// splitLines splits data into lines without their end (LF or CRLF),
// each cleaned for quoting.
func splitLines(data []byte) []string {
	raw := strings.Split(string(data), "\n")
	out := make([]string, len(raw))
	for i, l := range raw {
		out[i] = clean(strings.TrimSuffix(l, "\r"))
	}
	return out
}

// bidi reports the characters that reorder text on screen (so that a
// line reads differently from what it does) and the line separators.
func bidi(r rune) bool {
	return r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069 || r == 0x2028 || r == 0x2029 || r == 0x200e || r == 0x200f
}

// clean makes a line safe to print anywhere: tabs become four spaces,
// other control characters, bidirectional overrides and invalid UTF-8
// become U+FFFD (a quoted line must not move a terminal's cursor or
// read differently from what it is), trailing blanks go, and a line
// longer than maxLineRunes is cut with an ellipsis.
func clean(l string) string {
	var b strings.Builder
	runes := 0
	for i := 0; i < len(l); {
		r, size := utf8.DecodeRuneInString(l[i:])
		out, n := string(r), 1
		switch {
		case r == '\t':
			out, n = "    ", 4
		case r == utf8.RuneError && size == 1, r < 0x20, r == 0x7f, r >= 0x80 && r < 0xa0, bidi(r):
			out = string(utf8.RuneError)
		}
		if runes+n > maxLineRunes {
			b.WriteString("…")
			break
		}
		b.WriteString(out)
		runes += n
		i += size
	}
	return strings.TrimRight(b.String(), " ")
}
