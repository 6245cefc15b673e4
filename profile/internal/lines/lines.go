// Package lines reads text input one line at a time for the line-based
// importers, within Limits.MaxLineBytes and counting line numbers for
// their messages.
package lines

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Reader returns lines without their "\n" (or "\r\n").
type Reader struct {
	br   *bufio.Reader
	name string
	max  int
	long []byte // scratch for lines longer than the read buffer
	// Line is the 1-based number of the line Next returned last.
	Line int
}

// New reads from r; name is for messages, max bounds one line's bytes.
func New(r io.Reader, name string, max int) *Reader {
	return &Reader{br: bufio.NewReaderSize(r, 64<<10), name: name, max: max}
}

// Next returns the next line, valid until the following call, or io.EOF
// after the last one. A line over the limit is a *profile.LimitError.
func (r *Reader) Next() ([]byte, error) {
	line, err := r.br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		r.long = append(r.long[:0], line...)
		for err == bufio.ErrBufferFull && len(r.long) <= r.max {
			line, err = r.br.ReadSlice('\n')
			r.long = append(r.long, line...)
		}
		line = r.long
	}
	if len(line) > r.max {
		return nil, &profile.LimitError{File: r.name, Line: r.Line + 1, What: "line length", Limit: int64(r.max), Flag: "--max-line"}
	}
	if err != nil && err != io.EOF {
		if strings.HasPrefix(err.Error(), r.name+":") {
			return nil, err // a decompressor's error already names the file
		}
		return nil, fmt.Errorf("%s: %w", r.name, err)
	}
	if len(line) == 0 && err == io.EOF {
		return nil, io.EOF
	}
	r.Line++
	if n := len(line); n > 0 && line[n-1] == '\n' {
		line = line[:n-1]
	}
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

// Errorf returns a *profile.SyntaxError at the current line.
func (r *Reader) Errorf(format string, args ...any) error {
	return &profile.SyntaxError{File: r.name, Line: r.Line, Msg: fmt.Sprintf(format, args...)}
}
