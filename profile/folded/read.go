package folded

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// maxComments bounds how many '#' comment lines are kept in Meta.Comments.
const maxComments = 20

// Read reads folded stacks from r. name is used only in messages. Lines that
// are not "stack count" are skipped with a warning naming file:line (an
// error with opt.Strict); a count that overflows, and a differential line
// with two counts, are errors. Lines starting with '#' are comments.
func Read(r io.Reader, name string, opt profile.ReadOptions) (*profile.Profile, error) {
	rd := newReader(name, opt)
	if err := rd.run(newTextReader(r)); err != nil {
		return nil, err
	}
	return rd.finish()
}

// reader holds the state of one Read.
type reader struct {
	name     string
	opt      profile.ReadOptions
	limits   profile.Limits
	b        *profile.Builder
	cols     *columns
	frames   map[string]profile.FrameID // frame text -> interned frame
	info     []frameInfo                // per FrameID
	stack    []profile.FrameID          // scratch
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
		return nil, false, &profile.LimitError{File: rd.name, Where: fmt.Sprintf("line %d", rd.line+1), What: "line length", Limit: int64(rd.limits.MaxLineBytes), Flag: "--max-line"}
	}
	if err != nil && err != io.EOF {
		return nil, false, fmt.Errorf("reading %s: %w", rd.name, err)
	}
	if n := len(line); n > 0 && line[n-1] == '\n' {
		return line[:n-1], true, err
	}
	return line, len(line) > 0, err
}

// parse handles one line (without its newline).
func (rd *reader) parse(raw []byte) error {
	line := trimRight(raw)
	if len(line) == 0 {
		return nil
	}
	if line[0] == '#' {
		m := rd.b.Meta()
		if len(m.Comments) < maxComments {
			m.Comments = append(m.Comments, string(line))
		}
		return nil
	}
	stack, tok, ok := splitLast(line)
	if !ok {
		return rd.skip("want 'stack count', got no count")
	}
	if !isCount(tok) {
		return rd.skip(badCount(tok))
	}
	if _, tok1, ok := splitLast(stack); ok && isCount(tok1) {
		return rd.syntax(fmt.Sprintf("two counts (%s and %s): differential folded input (before and after) cannot be read as one profile", tok1, tok))
	}
	c, err := parseCount(tok)
	if err != nil {
		return rd.syntax(err.Error())
	}
	if err := rd.frameIDs(stack); err != nil {
		return err
	}
	vals, err := rd.cols.add(rd.b, c)
	if err != nil {
		return rd.syntax(err.Error())
	}
	n := int64(1)
	if c.decimals == 0 {
		n = c.mant
	}
	if err := rd.b.Add(rd.stack, rd.labels(), n, vals...); err != nil {
		return rd.where(err)
	}
	rd.records++
	return nil
}

// frameIDs splits the stack at ';' into rd.stack, interning frames by
// their text so that each distinct frame is parsed once.
func (rd *reader) frameIDs(stack []byte) error {
	rd.stack = rd.stack[:0]
	for {
		i := bytes.IndexByte(stack, ';')
		text := stack
		if i >= 0 {
			text = stack[:i]
		}
		if len(rd.stack) >= rd.limits.MaxStackDepth {
			return &profile.LimitError{File: rd.name, Where: fmt.Sprintf("line %d", rd.line), What: "stack depth", Limit: int64(rd.limits.MaxStackDepth), Flag: "--max-depth"}
		}
		id, ok := rd.frames[string(text)]
		if !ok {
			s := string(text)
			f, info := parseFrame(s)
			var err error
			if id, err = rd.b.Frame(f); err != nil {
				return rd.where(err)
			}
			rd.frames[s] = id
			for len(rd.info) <= int(id) {
				rd.info = append(rd.info, frameInfo{})
			}
			rd.info[id] = info
			rd.pyspy = rd.pyspy || info.pyspyLocation
		}
		rd.stack = append(rd.stack, id)
		if i < 0 {
			return nil
		}
		stack = stack[i+1:]
	}
}

// labels reads py-spy's synthetic root frames (processes, then the thread)
// at the start of the stack into labels. The frames stay in the stack, so
// conversion writes them back.
func (rd *reader) labels() profile.Labels {
	var l profile.Labels
	for _, id := range rd.stack {
		in := rd.info[id]
		switch {
		case in.isPID:
			l.PID, l.HasPID = in.pid, true
		case in.isTID:
			l.TID, l.HasTID, l.Thread = in.tid, true, in.thread
		default:
			return l
		}
	}
	return l
}

// skip records a malformed line: a warning, or the error under Strict.
func (rd *reader) skip(msg string) error {
	e := &profile.SyntaxError{File: rd.name, Line: rd.line, Msg: msg}
	if rd.opt.Strict {
		return e
	}
	if rd.firstBad == nil {
		rd.firstBad = e
	}
	m := rd.b.Meta()
	m.Skipped++
	m.Warn(e.Error())
	return nil
}

func (rd *reader) syntax(msg string) error {
	return &profile.SyntaxError{File: rd.name, Line: rd.line, Msg: msg}
}

// where adds the line to limit errors from the Builder.
func (rd *reader) where(err error) error {
	var le *profile.LimitError
	if errors.As(err, &le) && le.Where == "" {
		le.Where = fmt.Sprintf("line %d", rd.line)
	}
	return err
}

func (rd *reader) finish() (*profile.Profile, error) {
	if rd.records == 0 && rd.firstBad != nil {
		e := *rd.firstBad
		e.Msg += " (no line in the input has the form 'stack count')"
		return nil, &e
	}
	m := rd.b.Meta()
	m.Format = "folded"
	if rd.pyspy {
		m.Producer = "py-spy"
	}
	p := rd.b.Profile()
	rd.cols.merge(p)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", rd.name, err)
	}
	return p, nil
}
