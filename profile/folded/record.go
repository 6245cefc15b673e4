package folded

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/hotspot-dev/hotspot/profile"
)

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
	if isSpace(line[0]) && rd.b2 == nil {
		if tok := bytes.TrimLeft(line, " \t\v\f"); isCount(tok) {
			// A sample with no frames (py-spy's idle samples): hotspot's
			// folded output writes it as " count", and flamegraph.pl reads
			// it as such.
			return rd.emptyStack(tok, len(line)-len(tok)+1)
		}
	}
	stack, tok, ok := splitLast(line)
	if !ok {
		return rd.skip("want 'stack count', got no count")
	}
	// col is the 1-based byte column of the count, for messages about it.
	col := len(line) - len(tok) + 1
	if !isCount(tok) {
		return rd.skipAt(col, badCount(tok))
	}
	stack1, tok1, two := trailingCount(stack)
	switch {
	case two && rd.b2 == nil:
		return rd.syntax(fmt.Sprintf("two counts (%s and %s): differential folded input (before and after) cannot be read as one profile", tok1, tok))
	case !two && rd.b2 != nil:
		return rd.skip("want 'stack before after', got one count")
	}
	col1 := col
	if two {
		col = len(stack) - len(tok1) + 1
		stack, tok, tok1 = stack1, tok1, tok // tok is now before, tok1 after
	}
	c, err := parseCount(tok)
	if err != nil {
		return rd.syntaxAt(col, err.Error())
	}
	var c2 count
	if two {
		if c2, err = parseCount(tok1); err != nil {
			return rd.syntaxAt(col1, err.Error())
		}
	}
	if len(bytes.Trim(stack, "; \t")) == 0 {
		// Nothing but separators: folded text has no way to write an empty
		// stack back, so it is not a record.
		return rd.skip("want 'stack count', got a count with no frames")
	}
	if err := rd.frameIDs(stack); err != nil {
		return err
	}
	labels := rd.labels()
	if err := rd.add(rd.b, rd.cols, c, labels); err != nil {
		return err
	}
	if two {
		if err := rd.add(rd.b2, rd.cols2, c2, labels); err != nil {
			return err
		}
	}
	rd.records++
	return nil
}

// emptyStack adds a sample with no frames and count tok (at column col).
func (rd *reader) emptyStack(tok []byte, col int) error {
	c, err := parseCount(tok)
	if err != nil {
		return rd.syntaxAt(col, err.Error())
	}
	rd.forgetPrev()
	if err := rd.add(rd.b, rd.cols, c, profile.Labels{}); err != nil {
		return err
	}
	rd.records++
	return nil
}

// add adds the current stack with count c to one builder. The sample's
// Count (input samples merged) is the count itself when it is an integer,
// since folded counts are sample counts (py-spy raw) or periods, and 1 for
// a decimal weight.
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
// their text so that each distinct frame is parsed once. Trailing empty
// frames are dropped, as flamegraph.pl's split drops them: heaptrack_print
// -F writes "main (c.c);work (c.c); 200000", and the empty leaf would
// otherwise be a nameless frame blamed for all the cost. Empty frames
// inside a stack stay, as they do there.
//
// Folded files are usually sorted, so a line tends to start with the
// frames of the line before it: the frames inside the bytes the two
// stacks share keep the IDs rd.stack already holds, and only the rest are
// looked up by text (on the shared bench input, 60% of frames are shared).
func (rd *reader) frameIDs(stack []byte) error {
	if n := len(stack); n > 0 && stack[n-1] == ';' {
		stack = bytes.TrimRight(stack, ";")
	}
	same := commonPrefix(stack, rd.prevText)
	k := 0
	// Frame k of the previous stack ends at prevEnd[k], on a ';' or at
	// its end; it is also frame k of this one when that end lies inside
	// the shared bytes, or is where both stacks end.
	for k < len(rd.prevEnd) && (rd.prevEnd[k] < same || rd.prevEnd[k] == same && same == len(stack)) {
		k++
	}
	start := 0
	if k > 0 {
		start = rd.prevEnd[k-1] + 1
	}
	rd.stack, rd.prevEnd = rd.stack[:k], rd.prevEnd[:k]
	rd.prevText = append(rd.prevText[:0], stack...)
	if k > 0 && rd.prevEnd[k-1] == len(stack) {
		return nil
	}
	for {
		i := bytes.IndexByte(stack[start:], ';')
		end := len(stack)
		if i >= 0 {
			end = start + i
		}
		text := stack[start:end]
		if len(rd.stack) >= rd.limits.MaxStackDepth {
			rd.forgetPrev()
			return &profile.LimitError{File: rd.name, Line: rd.line, What: "stack depth", Limit: int64(rd.limits.MaxStackDepth), Flag: "--max-depth"}
		}
		id, ok := rd.frames[string(text)]
		if !ok {
			var err error
			if id, err = rd.newFrame(string(text)); err != nil {
				rd.forgetPrev()
				return err
			}
		}
		rd.stack = append(rd.stack, id)
		rd.prevEnd = append(rd.prevEnd, end)
		if i < 0 {
			return nil
		}
		start = end + 1
	}
}

// newFrame parses and interns a frame text seen for the first time.
func (rd *reader) newFrame(s string) (profile.FrameID, error) {
	f, info := parseFrame(s)
	id, err := rd.b.Frame(f)
	if err != nil {
		return 0, rd.where(err)
	}
	// Both builders of ReadDiff intern every frame in the same
	// order, so they give it the same ID.
	if rd.b2 != nil {
		if _, err := rd.b2.Frame(f); err != nil {
			return 0, rd.where(err)
		}
	}
	rd.frames[s] = id
	for len(rd.info) <= int(id) {
		rd.info = append(rd.info, frameInfo{})
	}
	rd.info[id] = info
	rd.pyspy = rd.pyspy || info.pyspyEvidence
	return id, nil
}

// forgetPrev drops the previous stack, for when rd.stack no longer holds
// its frames.
func (rd *reader) forgetPrev() {
	rd.stack, rd.prevText, rd.prevEnd = rd.stack[:0], rd.prevText[:0], rd.prevEnd[:0]
}

// commonPrefix returns how many leading bytes a and b share, comparing
// eight bytes at a time.
func commonPrefix(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for i+8 <= n && binary.LittleEndian.Uint64(a[i:]) == binary.LittleEndian.Uint64(b[i:]) {
		i += 8
	}
	for i < n && a[i] == b[i] {
		i++
	}
	return i
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
func (rd *reader) skip(msg string) error { return rd.skipAt(0, msg) }

// skipAt is skip with the column the problem starts at (0: the whole line).
func (rd *reader) skipAt(col int, msg string) error {
	e := &profile.SyntaxError{File: rd.name, Line: rd.line, Col: col, Msg: msg}
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

func (rd *reader) syntax(msg string) error { return rd.syntaxAt(0, msg) }

func (rd *reader) syntaxAt(col int, msg string) error {
	return &profile.SyntaxError{File: rd.name, Line: rd.line, Col: col, Msg: msg}
}

// where adds the line to limit errors from the Builder.
func (rd *reader) where(err error) error {
	if err == nil {
		return nil
	}
	var le *profile.LimitError
	if errors.As(err, &le) && le.Where == "" && le.Line == 0 {
		le.Line = rd.line
	}
	return err
}
