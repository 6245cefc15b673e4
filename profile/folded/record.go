package folded

import (
	"errors"
	"fmt"
	"io"

	"github.com/hotspot-dev/hotspot/profile"
)

// apply applies the records of one chunk, parsed by the worker whose
// numbering t maps.
func (rd *reader) apply(t *workerFrames, res *chunkResult) error {
	// Every frame the worker numbered in this chunk is first used in it.
	first := int32(len(t.ids))
	rd.semi += int(res.semi)
	for range res.fresh {
		t.ids = append(t.ids, -1)
	}
	base := rd.line
	frames := res.frames
	for i := range res.recs {
		r := &res.recs[i]
		rd.line = base + int(r.line)
		switch r.kind {
		case recComment:
			if m := rd.b.Meta(); len(m.Comments) < maxComments {
				m.Comments = append(m.Comments, r.msg)
			}
		case recSkip:
			if err := rd.skipAt(int(r.col), r.msg); err != nil {
				return err
			}
		case recSyntax:
			return rd.syntaxAt(int(r.col), r.msg)
		case recLong:
			return rd.longLine()
		case recEmpty:
			rd.stack = rd.stack[:0]
			if err := rd.add(rd.b, rd.cols, r.c, profile.Labels{}); err != nil {
				return err
			}
			rd.records++
		case recStack, recDepth:
			rd.stacks++
			rd.stack = rd.stack[:0]
			for _, local := range frames[:r.n] {
				id := t.ids[local]
				if id < 0 {
					var err error
					if id, err = rd.frameID(res.fresh[local-first]); err != nil {
						return err
					}
					t.ids[local] = id
				}
				rd.stack = append(rd.stack, id)
			}
			frames = frames[r.n:]
			if r.kind == recDepth {
				return &profile.LimitError{File: rd.name, Line: rd.line, What: "stack depth", Limit: int64(rd.limits.MaxStackDepth), Flag: "--max-depth"}
			}
			if err := rd.addStack(r); err != nil {
				return err
			}
		}
	}
	rd.line = base + int(res.lines)
	return nil
}

// ended handles the end of the input: a read error, or a line too long to
// gather, after the lines before it.
func (rd *reader) ended(res *chunkResult) error {
	switch {
	case res.long:
		rd.line++
		return rd.longLine()
	case res.end != io.EOF:
		return fmt.Errorf("reading %s: %w", rd.name, res.end)
	}
	return nil
}

func (rd *reader) longLine() error {
	return &profile.LimitError{File: rd.name, Line: rd.line, What: "line length", Limit: int64(rd.limits.MaxLineBytes), Flag: "--max-line"}
}

// addStack adds a sample of rd.stack with the counts of r.
func (rd *reader) addStack(r *record) error {
	labels := rd.labels()
	if err := rd.add(rd.b, rd.cols, r.c, labels); err != nil {
		return err
	}
	if rd.b2 != nil {
		if err := rd.add(rd.b2, rd.cols2, r.c2, labels); err != nil {
			return err
		}
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

// frameID returns the frame ID of a text a worker met for the first
// time: one another worker met first already has one.
func (rd *reader) frameID(text []byte) (profile.FrameID, error) {
	// rd.frames numbers texts in the order the Builder gets their frames,
	// so its numbers are the frame IDs.
	id, added, _ := rd.frames.id(text)
	if !added {
		return profile.FrameID(id), nil
	}
	return rd.newFrame(string(text))
}

// newFrame interns a frame text seen for the first time.
func (rd *reader) newFrame(s string) (profile.FrameID, error) {
	f, info := parseFrame(s)
	// Distinct texts parse to distinct Frames (only _[k] and _[j] are
	// cut from Name, and they set Kind), so rd.frames is the only
	// interning needed.
	id, err := rd.b.NewFrame(f)
	if err != nil {
		return 0, rd.where(err)
	}
	// Both builders of ReadDiff intern every frame in the same
	// order, so they give it the same ID.
	if rd.b2 != nil {
		if _, err := rd.b2.NewFrame(f); err != nil {
			return 0, rd.where(err)
		}
	}
	labels := info.comm != "" || info.isPID || info.isTID
	rd.hasLabels = append(rd.hasLabels, labels)
	if labels {
		rd.info[id] = info
	}
	rd.pyspy = rd.pyspy || info.pyspyEvidence
	return id, nil
}

// labels reads py-spy's synthetic root frames (processes, then the thread),
// or stackcollapse-perf's task root (comm-pid/tid) when it is the first frame,
// at the start of the stack into labels. The frames stay in the stack, so
// conversion writes them back.
func (rd *reader) labels() profile.Labels {
	var l profile.Labels
	for i, id := range rd.stack {
		if !rd.hasLabels[id] {
			return l
		}
		in := rd.info[id]
		if in.comm != "" {
			// perf's task root: the first frame only.
			if i == 0 {
				l.PID, l.HasPID = in.pid, in.isPID
				l.TID, l.HasTID = in.tid, in.isTID
				// No Comm label: the frame carries the command
				// name, and the folded writer would add it again.
			}
			return l
		}
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

// skipAt records a malformed line: a warning, or the error under Strict.
// col is the column the problem starts at (0: the whole line).
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
