package folded

import (
	"bytes"
	"io"
)

// sniffLines is how many non-blank lines of the head Sniff looks at.
const sniffLines = 200

// Sniff reports whether head (the first bytes of an input) looks like folded
// stacks: lines of "stack count". It is formats.md's detection rule 5 with
// two allowances: '#' comment lines are ignored, and a minority of other
// lines may be malformed (speedscope's sample collection has such files;
// Read skips them with warnings). It never claims JSON, and never claims
// perf script text, whose event lines can end in a number (the period).
func Sniff(head []byte) bool {
	head = utf8Head(head)
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && (t[0] == '{' || jsonArray(t)) {
		return false
	}
	// The last line may have been cut by the head limit.
	if i := bytes.LastIndexByte(head, '\n'); i >= 0 && i < len(head)-1 && len(head) >= 4096 {
		head = head[:i]
	}
	if cutStack(head) {
		return true
	}
	good, bad, seen := 0, 0, 0
	for len(head) > 0 && seen < sniffLines {
		line := head
		if i := bytes.IndexByte(head, '\n'); i >= 0 {
			line, head = head[:i], head[i+1:]
		} else {
			head = nil
		}
		line = trimRight(line)
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		seen++
		if perfEventLine(line) {
			return false
		}
		if _, tok, ok := splitLast(line); ok && isCount(tok) {
			good++
		} else {
			bad++
		}
	}
	return good > 0 && good >= 2*bad
}

// jsonArray reports a head that opens a JSON array: '[' followed by the
// start of a JSON value. A folded stack may also start with '[' (VTune's
// "[Unknown]`Total" root, "[unknown]" frames), but then a name follows.
func jsonArray(t []byte) bool {
	for depth := 0; depth < 64; depth++ {
		if len(t) == 0 || t[0] != '[' {
			return false
		}
		t = bytes.TrimLeft(t[1:], " \t\r\n")
		if len(t) == 0 {
			return true
		}
		switch c := t[0]; {
		case c == '{' || c == '"' || c == ']':
			return true
		case c == '-' || '0' <= c && c <= '9':
			i := 1
			for i < len(t) && bytes.IndexByte([]byte("0123456789.eE+-"), t[i]) >= 0 {
				i++
			}
			return jsonValueEnd(t[i:])
		case c == '[':
			continue
		}
		for _, lit := range []string{"true", "false", "null"} {
			if rest, ok := bytes.CutPrefix(t, []byte(lit)); ok {
				return jsonValueEnd(rest)
			}
		}
		return false
	}
	return false
}

// jsonValueEnd reports whether what follows a JSON scalar in an array is
// whitespace, a ',' or the array's end.
func jsonValueEnd(t []byte) bool {
	t = bytes.TrimLeft(t, " \t\r\n")
	return len(t) == 0 || t[0] == ',' || t[0] == ']'
}

// longStackHead is the least head that cutStack judges: a first line this
// long with no count in sight is a very deep stack, not a short record.
const longStackHead = 32 << 10

// cutStack reports a head that is all one cut line of a very deep stack
// (a 100k-frame stack is a megabyte on one line, past any head): printable
// text, no JSON, and frames separated by ';' at least every 512 bytes.
func cutStack(head []byte) bool {
	if len(head) < longStackHead || bytes.IndexByte(head, '\n') >= 0 {
		return false
	}
	for _, c := range head {
		if c < ' ' && c != '\t' {
			return false
		}
	}
	return bytes.Count(head, []byte(";")) >= len(head)/512 && !perfEventLine(head[:min(len(head), 512)])
}

// utf8Head transcodes a UTF-16 head (with BOM) and drops a UTF-8 BOM.
func utf8Head(head []byte) []byte {
	out, _ := io.ReadAll(newTextReader(bytes.NewReader(head)))
	return out
}

// perfEventLine reports a perf script event line: a tid or pid/tid word, an
// optional [cpu] word, then a "seconds.micros:" timestamp word.
func perfEventLine(line []byte) bool {
	f := bytes.Fields(line)
	for i := 1; i+1 < len(f); i++ {
		if !tidWord(f[i]) {
			continue
		}
		j := i + 1
		if j+1 < len(f) && len(f[j]) > 2 && f[j][0] == '[' && f[j][len(f[j])-1] == ']' {
			j++
		}
		if timeWord(f[j]) {
			return true
		}
	}
	return false
}

func tidWord(w []byte) bool {
	a, b, slash := bytes.Cut(w, []byte("/"))
	if slash {
		return allDigits(string(a)) && allDigits(string(b))
	}
	return allDigits(string(w))
}

func timeWord(w []byte) bool {
	t, ok := bytes.CutSuffix(w, []byte(":"))
	if !ok {
		return false
	}
	a, b, dot := bytes.Cut(t, []byte("."))
	return dot && allDigits(string(a)) && allDigits(string(b))
}
