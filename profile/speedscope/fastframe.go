package speedscope

import (
	"unicode/utf16"
	"unicode/utf8"
)

// fastFrame decodes a shared.frames entry of the usual shape (an object
// whose keys are exactly "name", "file", "line" and "col", each at most
// once, with a string name, a string or null file and integer or null
// line and col) without encoding/json, which cost the reader a sixth of
// its time on a file of 50k frames. b is a value the scanner has checked.
// ok is false for anything else, which frame decodes the slow way with
// its messages and warnings; the result is then unused.
func fastFrame(b []byte) (f rawFrame, ok bool) {
	const (
		hasName = 1 << iota
		hasFile
		hasLine
		hasCol
	)
	seen := 0
	j := skipSpace(b, 0)
	if b[j] != '{' {
		return rawFrame{}, false
	}
	j = skipSpace(b, j+1)
	if b[j] == '}' {
		return rawFrame{}, false
	}
	for {
		if b[j] != '"' {
			return rawFrame{}, false
		}
		end := stringEnd(b, j)
		var bit int
		switch string(b[j:end]) {
		case `"name"`:
			bit = hasName
		case `"file"`:
			bit = hasFile
		case `"line"`:
			bit = hasLine
		case `"col"`:
			bit = hasCol
		default:
			// Other keys, escaped keys and keys in other cases (which
			// encoding/json matches case-insensitively) take the slow way.
			return rawFrame{}, false
		}
		if seen&bit != 0 {
			return rawFrame{}, false
		}
		seen |= bit
		j = skipSpace(b, end)
		if b[j] != ':' {
			return rawFrame{}, false
		}
		j = skipSpace(b, j+1)
		end = valueEnd(b, j)
		v := b[j:end]
		switch {
		case bit == hasName || bit == hasFile:
			if bit == hasFile && isNull(v) {
				break
			}
			if v[0] != '"' {
				return rawFrame{}, false
			}
			s, ok := fastString(v)
			if !ok {
				return rawFrame{}, false
			}
			if bit == hasName {
				f.name = s
			} else {
				f.file = s
			}
		default:
			if v[0] != '-' && (v[0] < '0' || v[0] > '9') && !isNull(v) {
				return rawFrame{}, false
			}
			n, err := rawInt(v)
			if err != nil {
				return rawFrame{}, false
			}
			if bit == hasLine {
				f.line = n
			}
		}
		j = skipSpace(b, end)
		if b[j] == '}' {
			break
		}
		if b[j] != ',' {
			return rawFrame{}, false
		}
		j = skipSpace(b, j+1)
	}
	return f, seen&hasName != 0
}

// stringEnd returns the offset after the string literal that starts at
// b[j], which the scanner has checked.
func stringEnd(b []byte, j int) int {
	for k := j + 1; k < len(b); k++ {
		switch b[k] {
		case '\\':
			k++
		case '"':
			return k + 1
		}
	}
	return len(b)
}

// fastString decodes a checked JSON string literal as encoding/json does.
// ok is false for invalid UTF-8 and escaped surrogates, whose replacement
// rules are left to encoding/json.
func fastString(raw []byte) (string, bool) {
	in := raw[1 : len(raw)-1]
	esc, ascii := false, true
	for _, c := range in {
		if c == '\\' {
			esc = true
		} else if c >= utf8.RuneSelf {
			ascii = false
		}
	}
	if !ascii && !utf8.Valid(in) {
		return "", false
	}
	if !esc {
		return string(in), true
	}
	out := make([]byte, 0, len(in))
	for k := 0; k < len(in); k++ {
		c := in[k]
		if c != '\\' {
			out = append(out, c)
			continue
		}
		k++
		switch in[k] {
		case '"', '\\', '/':
			out = append(out, in[k])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			var r rune
			for _, h := range in[k+1 : k+5] {
				r = r<<4 | rune(hexVal(h))
			}
			if utf16.IsSurrogate(r) {
				return "", false
			}
			out = utf8.AppendRune(out, r)
			k += 4
		default:
			return "", false
		}
	}
	return string(out), true
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
