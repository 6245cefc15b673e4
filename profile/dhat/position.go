package dhat

import (
	"bytes"
	"io"
	"strconv"
	"strings"
)

// posReader passes the input through to json.Decoder while keeping enough
// of it to turn a byte offset into a line and column: the newlines before a
// sliding window, and the window itself. json.Decoder reports syntax errors
// at offsets near what it has read last, so a window of a few hundred KiB
// covers them without holding the input.
type posReader struct {
	r       io.Reader
	win     []byte
	winOff  int64 // input offset of win[0]
	linesIn int   // newlines before win[0]
	total   int64 // bytes read so far
}

const posWindow = 256 << 10

func (p *posReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if n > 0 {
		if len(p.win)+n > 2*posWindow {
			drop := len(p.win) + n - posWindow
			if drop > len(p.win) {
				drop = len(p.win)
			}
			p.linesIn += bytes.Count(p.win[:drop], []byte{'\n'})
			p.winOff += int64(drop)
			p.win = append(p.win[:0], p.win[drop:]...)
		}
		p.win = append(p.win, b[:n]...)
		p.total += int64(n)
	}
	return n, err
}

// lineCol returns the 1-based line and column of input offset off; ok is
// false when the offset has left the window.
func (p *posReader) lineCol(off int64) (line, col int, ok bool) {
	if off < p.winOff || off > p.winOff+int64(len(p.win)) {
		return 0, 0, false
	}
	before := p.win[:off-p.winOff]
	line = p.linesIn + bytes.Count(before, []byte{'\n'}) + 1
	col = len(before) - bytes.LastIndexByte(before, '\n')
	return line, col, true
}

// badCharOffset finds the input offset of the character a json.Decoder
// syntax error complains about. The decoder's own SyntaxError.Offset is not
// an input offset when Token decodes a scalar value (it counts bytes the
// scanner saw since an internal reset), but the decoder has not moved past
// the value's start, and the message quotes the character: the first such
// character at or after the decoder's position is the culprit.
func (p *posReader) badCharOffset(from int64, msg string) int64 {
	const intro = "invalid character "
	i := strings.Index(msg, intro)
	if i < 0 || from < p.winOff {
		return from
	}
	q := msg[i+len(intro):]
	var c string
	switch {
	case strings.HasPrefix(q, `'\''`):
		c = "'"
	case len(q) > 2 && q[0] == '\'':
		j := strings.IndexByte(q[1:], '\'')
		if j < 0 {
			return from
		}
		u, err := strconv.Unquote(`"` + q[1:1+j] + `"`)
		if err != nil {
			return from
		}
		c = u
	default:
		return from
	}
	start := from - p.winOff
	if start > int64(len(p.win)) {
		return from
	}
	if k := bytes.Index(p.win[start:], []byte(c)); k >= 0 {
		return from + int64(k)
	}
	return from
}
