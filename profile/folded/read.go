package folded

import (
	"bufio"
	"fmt"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// maxComments bounds how many '#' comment lines are kept in Meta.Comments.
const maxComments = 20

// Read reads folded stacks from r. name is used only in messages. Lines that
// are not "stack count" are skipped with a warning naming file:line (an
// error with opt.Strict); a count that overflows, and a differential line
// with two counts (ReadDiff reads those), are errors. Lines starting with
// '#' are comments.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	rd := newReader(name, opt)
	if err := rd.run(newTextReader(r)); err != nil {
		return nil, err
	}
	return rd.finish()
}

// ReadDiff reads differential folded stacks, "stack before after" as
// FlameGraph's difffolded.pl writes them, into two profiles: the before
// counts and the after counts. Every stack is added to both, with a zero
// where one side has none, so the two call trees have the same shape and
// the same frame IDs. Lines with one count are skipped with a warning (an
// error with opt.Strict).
func ReadDiff(r io.Reader, name string, opt profile.ReadOptions) (before, after *profile.Profile, err error) {
	rd := newReader(name, opt)
	rd.b2 = profile.NewBuilder(name, []profile.ValueType{{Type: "samples", Unit: "count"}}, rd.limits)
	rd.cols2 = newColumns()
	if err := rd.run(newTextReader(r)); err != nil {
		return nil, nil, err
	}
	return rd.finishDiff()
}

// reader holds the state of one Read or ReadDiff.
type reader struct {
	name     string
	opt      profile.ReadOptions
	limits   profile.Limits
	b        *profile.Builder
	cols     *columns
	b2       *profile.Builder // ReadDiff only: the after counts
	cols2    *columns
	frames   map[string]profile.FrameID // frame text -> interned frame
	info     []frameInfo                // per FrameID
	stack    []profile.FrameID          // the last stack's frames
	prevText []byte                     // the last stack's text
	prevEnd  []int                      // where each of its frames ends in prevText
	long     []byte                     // scratch for lines longer than the read buffer
	line     int
	records  int
	firstBad *profile.SyntaxError // first skipped line, for a file with no valid line
	pyspy    bool
}

func newReader(name string, opt profile.ReadOptions) *reader {
	limits := opt.Limits.WithDefaults()
	return &reader{
		name:   name,
		opt:    opt,
		limits: limits,
		b:      profile.NewBuilder(name, []profile.ValueType{{Type: "samples", Unit: "count"}}, limits),
		cols:   newColumns(),
		frames: map[string]profile.FrameID{},
	}
}

func (rd *reader) run(r io.Reader) error {
	br := bufio.NewReaderSize(r, 64<<10)
	for {
		line, ok, err := rd.next(br)
		if ok {
			rd.line++
			if perr := rd.parse(line); perr != nil {
				return perr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// next returns the next line without its newline; ok is false when the
// input ended without one. Lines longer than the read buffer are gathered
// in rd.long, up to Limits.MaxLineBytes.
func (rd *reader) next(br *bufio.Reader) (line []byte, ok bool, err error) {
	line, err = br.ReadSlice('\n')
	if err == bufio.ErrBufferFull {
		rd.long = append(rd.long[:0], line...)
		for err == bufio.ErrBufferFull && len(rd.long) <= rd.limits.MaxLineBytes {
			line, err = br.ReadSlice('\n')
			rd.long = append(rd.long, line...)
		}
		line = rd.long
	}
	if len(line) > rd.limits.MaxLineBytes {
		return nil, false, &profile.LimitError{File: rd.name, Line: rd.line + 1, What: "line length", Limit: int64(rd.limits.MaxLineBytes), Flag: "--max-line"}
	}
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("reading %s: %w", rd.name, err)
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		return line[:n-1], true, err
	}
	return line, len(line) > 0, err
}
