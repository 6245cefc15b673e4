package speedscope

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/go-json-experiment/json/jsontext"

	"github.com/hotspot-dev/hotspot/profile"
	"github.com/hotspot-dev/hotspot/profile/internal/jsonerr"
)

// keepBytes is how much of the most recent input source keeps, so that a
// syntax error's byte offset can be turned into line:col. The JSON decoder
// only buffers the value it is reading, which for this format is one stack,
// weight, event or frame: far less than this.
const keepBytes = 1 << 20

// source is the reader under the JSON decoder. It counts lines as the input
// passes and keeps a window of recent bytes for error positions.
type source struct {
	r        io.Reader
	total    int64  // bytes read so far
	win      []byte // the most recent bytes; win[0] is at offset winStart
	winStart int64
	lines    int   // newlines before winStart
	lastNL   int64 // offset of the last newline before winStart, -1 if none
}

func newSource(r io.Reader) *source {
	return &source{r: r, lastNL: -1}
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.r.Read(p)
	s.total += int64(n)
	s.win = append(s.win, p[:n]...)
	if len(s.win) > 2*keepBytes {
		drop := len(s.win) - keepBytes
		gone := s.win[:drop]
		if c := bytes.Count(gone, []byte{'\n'}); c > 0 {
			s.lines += c
			s.lastNL = s.winStart + int64(bytes.LastIndexByte(gone, '\n'))
		}
		s.win = s.win[:copy(s.win, s.win[drop:])]
		s.winStart += int64(drop)
	}
	return n, err
}

// lineCol returns the 1-based line and byte column of offset, or ok false
// when offset has left the window.
func (s *source) lineCol(off int64) (line, col int, ok bool) {
	if off < s.winStart || off > s.winStart+int64(len(s.win)) {
		return 0, 0, false
	}
	before := s.win[:off-s.winStart]
	line = s.lines + bytes.Count(before, []byte{'\n'}) + 1
	last := s.lastNL
	if i := bytes.LastIndexByte(before, '\n'); i >= 0 {
		last = s.winStart + int64(i)
	}
	return line, int(off - last), true
}

// at returns the retained input from offset on, or nil.
func (s *source) at(off int64) []byte {
	if off < s.winStart || off > s.winStart+int64(len(s.win)) {
		return nil
	}
	return s.win[off-s.winStart:]
}

// syntaxError converts an error from the JSON decoder into a
// *profile.SyntaxError at line:col, worded as encoding/json words it (the
// messages users and tests know). start is the decoder's input offset
// after its last good token: the fallback position.
func (s *source) syntaxError(file string, err error, start int64) error {
	var se *jsontext.SyntacticError
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF):
		return s.errorAt(file, s.total, "unexpected end of input: the file is cut short")
	case errors.As(err, &se):
		off := se.ByteOffset
		if off < start {
			off = start
		}
		return s.errorAt(file, off, jsonerr.Message(se.Err))
	}
	return fmt.Errorf("%s: reading: %w", file, err)
}

// errorAt builds a SyntaxError at a byte offset, as line and column when the
// offset is still in the window.
func (s *source) errorAt(file string, off int64, msg string) error {
	if line, col, ok := s.lineCol(off); ok {
		return &profile.SyntaxError{File: file, Line: line, Col: col, Offset: -1, Msg: msg}
	}
	return &profile.SyntaxError{File: file, Offset: off, Msg: msg}
}
