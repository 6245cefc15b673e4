package dhat

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
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

// errorOffset finds the input offset of a json.Decoder syntax error. The
// decoder's own SyntaxError.Offset is not an input offset when it fails
// inside a value (it counts the bytes its scanner has seen in values so
// far), but the decoder stays at the start of the value it failed on. A
// fresh decoder over the window from there meets the same error at an
// offset relative to that start. from is returned when the window no longer
// holds the value's start or the error lies outside the window.
func (p *posReader) errorOffset(from int64) int64 {
	if from < p.winOff || from > p.winOff+int64(len(p.win)) {
		return from
	}
	var v json.RawMessage
	err := json.NewDecoder(bytes.NewReader(p.win[from-p.winOff:])).Decode(&v)
	var se *json.SyntaxError
	if errors.As(err, &se) && se.Offset > 0 {
		return from + se.Offset - 1
	}
	return from
}
