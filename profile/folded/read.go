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
	stack1, tok1, two := splitLast(stack)
	two = two && isCount(tok1)
	switch {
	case two && rd.b2 == nil:
		return rd.syntax(fmt.Sprintf("two counts (%s and %s): differential folded input (before and after) cannot be read as one profile", tok1, tok))
	case !two && rd.b2 != nil:
		return rd.skip("want 'stack before after', got one count")
	}
	if two {
		stack, tok, tok1 = stack1, tok1, tok // tok is now before, tok1 after
	}
	c, err := parseCount(tok)
	if err != nil {
		return rd.syntax(err.Error())
	}
	if err := rd.frameIDs(stack); err != nil {
		return err
	}
	labels := rd.labels()
	if err := rd.add(rd.b, rd.cols, c, labels); err != nil {
		return err
	}
	if two {
		c2, err := parseCount(tok1)
		if err != nil {
			return rd.syntax(err.Error())
		}
		if err := rd.add(rd.b2, rd.cols2, c2, labels); err != nil {
			return err
		}
	}
	rd.records++
	return nil
}

// add adds the current stack with count c to one builder.
func (rd *reader) add(b *profile.Builder, cols *columns, c count, labels profile.Labels) error {
	vals, err := cols.add(b, c)
	if err != nil {
		return rd.syntax(err.Error())
	}
	n := int64(1)
	if c.decimals == 0 {
		n = c.mant
	}
	return rd.where(b.Add(rd.stack, labels, n, vals...))
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
			// Both builders of ReadDiff intern every frame in the same
			// order, so they give it the same ID.
			if rd.b2 != nil {
				if _, err := rd.b2.Frame(f); err != nil {
					return rd.where(err)
				}
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
	if err == nil {
		return nil
	}
	var le *profile.LimitError
	if errors.As(err, &le) && le.Where == "" {
		le.Where = fmt.Sprintf("line %d", rd.line)
	}
	return err
}

func (rd *reader) finish() (*profile.Profile, error) {
	if err := rd.noRecords(); err != nil {
		return nil, err
	}
	rd.setMeta(rd.b.Meta())
	return rd.profile(rd.b, rd.cols)
}

func (rd *reader) finishDiff() (before, after *profile.Profile, err error) {
	if err := rd.noRecords(); err != nil {
		return nil, nil, err
	}
	rd.setMeta(rd.b.Meta())
	m2 := rd.b2.Meta()
	*m2 = *rd.b.Meta()
	m2.Comments = append([]string(nil), m2.Comments...)
	m2.Warnings = append([]string(nil), m2.Warnings...)
	if before, err = rd.profile(rd.b, rd.cols); err != nil {
		return nil, nil, err
	}
	if after, err = rd.profile(rd.b2, rd.cols2); err != nil {
		return nil, nil, err
	}
	return before, after, nil
}

// noRecords is the error for an input whose every line was skipped.
func (rd *reader) noRecords() error {
	if rd.records == 0 && rd.firstBad != nil {
		e := *rd.firstBad
		form := "stack count"
		if rd.b2 != nil {
			form = "stack before after"
		}
		e.Msg += fmt.Sprintf(" (no line in the input has the form '%s')", form)
		return &e
	}
	return nil
}

func (rd *reader) setMeta(m *profile.Meta) {
	m.Format = "folded"
	if rd.pyspy {
		m.Producer = "py-spy"
	}
}

func (rd *reader) profile(b *profile.Builder, cols *columns) (*profile.Profile, error) {
	p := b.Profile()
	cols.merge(p)
	if err := p.Validate(); err != nil {
		return nil, fmt.Errorf("%s: invalid profile: %w", rd.name, err)
	}
	return p, nil
}
