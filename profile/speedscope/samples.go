package speedscope

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// samples reads profiles[i].samples: arrays of frame indices, root first.
// A stack of plain indices, as every producer writes them, is parsed where
// it lies in the scanner's buffer (fastStack); anything else is read whole
// and parsed by stack, which knows the messages.
func (r *reader) samples(p *rawProfile) error {
	p.hasSamples = true
	if err := r.open('[', p.path()+".samples"); err != nil {
		return err
	}
	for i := 0; r.more(); i++ {
		n, ok, err := r.fastStack(p, i)
		if !ok {
			if err := r.element(); err != nil {
				return err
			}
			n, err = r.stack(p, i, r.raw)
		}
		if err != nil {
			if !isRecordError(err) {
				return err
			}
			// A malformed sample is left out (stack -1), its weight too.
			if err := r.skipRecord(err, "sample"); err != nil {
				return err
			}
			n = -1
		}
		p.nodes = append(p.nodes, n)
	}
	_, err := r.tok()
	return err
}

// fastStack reads the stack at the scanner's position when it is an array
// of plain indices below 10^9. A stack that runs past the buffer is read
// again once after the buffer is refilled; one longer than that goes to the
// general path, which reads it in one sweep (each refill of a compressed
// or piped input adds only a read's worth, and parsing the stack again
// after each would be quadratic in its length). ok is false, with nothing
// read, for anything else.
func (r *reader) fastStack(p *rawProfile, i int) (node int32, ok bool, err error) {
	s := r.s
	if !s.located {
		// more found a syntax error, which element reports.
		return 0, false, nil
	}
	for refills := 0; ; refills++ {
		frames, j, st := plainStack(s.buf[s.pos:s.end], r.frameBuf[:0])
		r.frameBuf = frames
		switch st {
		case stackShort:
			// locate set hold at pos: the refill keeps the stack.
			if refills == 1 || !s.more() {
				return 0, false, nil
			}
			continue
		case stackOther:
			return 0, false, nil
		}
		s.pos += j
		s.done()
		node, err = r.intern(p, i, frames)
		return node, true, err
	}
}

// stackScan is what plainStack found.
type stackScan int

const (
	stackPlain stackScan = iota // an array of plain indices
	stackShort                  // b ended first
	stackOther                  // anything else
)

// plainStack parses the array of plain frame indices below 10^9 at the
// start of b, appending them to frames, and returns the offset after it.
func plainStack(b []byte, frames []int32) ([]int32, int, stackScan) {
	if len(b) == 0 {
		return frames, 0, stackShort
	}
	if b[0] != '[' {
		return frames, 0, stackOther
	}
	j := 1
	for j < len(b) && isSpace(b[j]) {
		j++
	}
	if j < len(b) && b[j] == ']' {
		return frames, j + 1, stackPlain
	}
	for {
		if j >= len(b) {
			return frames, 0, stackShort
		}
		c := b[j]
		if c < '0' || c > '9' {
			return frames, 0, stackOther
		}
		f, start := int32(c-'0'), j
		j++
		if c != '0' {
			for j < len(b) && j-start < 9 && b[j] >= '0' && b[j] <= '9' {
				f = f*10 + int32(b[j]-'0')
				j++
			}
		}
		for j < len(b) && isSpace(b[j]) {
			j++
		}
		if j >= len(b) {
			return frames, 0, stackShort
		}
		frames = append(frames, f)
		if b[j] == ']' {
			return frames, j + 1, stackPlain
		}
		if b[j] != ',' {
			return frames, 0, stackOther
		}
		j++
		for j < len(b) && isSpace(b[j]) {
			j++
		}
	}
}

// intern adds a stack of plain frame indices to the stack table, with the
// checks and in the order stack makes them, and returns its ID.
func (r *reader) intern(p *rawProfile, i int, frames []int32) (int32, error) {
	node := int32(0)
	for depth, f := range frames {
		if r.framesKnown && int(f) >= len(r.frames) || !r.framesKnown && f > p.maxFrame {
			if err := r.checkFrame(p, f, strconv.AppendInt(nil, int64(f), 10), "samples", i); err != nil {
				r.keepPrefix(frames[:depth])
				return 0, err
			}
		}
		if depth >= r.lim.MaxStackDepth {
			return 0, r.depthLimit(p, i)
		}
		if r.mayStep(depth) {
			var err error
			if node, err = r.step(node, frames[:depth+1], samplePath(p, i)); err != nil {
				return 0, err
			}
		}
	}
	return r.stacks.intern(frames), nil
}

func (r *reader) depthLimit(p *rawProfile, i int) error {
	return &profile.LimitError{File: r.file, Where: fmt.Sprintf("%s.samples[%d]", p.path(), i), What: fmt.Sprintf("stack depth (more than %d frames)", r.lim.MaxStackDepth), Limit: int64(r.lim.MaxStackDepth), Flag: "--max-depth"}
}

// stack interns one sample's stack, b, and returns its ID. A malformed
// stack gives a *profile.SyntaxError (a record error); limits give a
// *profile.LimitError.
func (r *reader) stack(p *rawProfile, i int, b []byte) (int32, error) {
	j := skipSpace(b, 0)
	if b[j] != '[' {
		return 0, r.pathError(fmt.Sprintf("%s.samples[%d]", p.path(), i), "want an array of frame indices, got "+rawKind(b[j:]))
	}
	j++
	node := int32(0)
	frames := r.frameBuf[:0]
	defer func() { r.frameBuf = frames }()
	for {
		depth := len(frames)
		if c := b[j]; c < '0' || c > '9' {
			j = skipSpace(b, j)
			if b[j] == ']' {
				break
			}
			if b[j] == ',' {
				j++
				continue
			}
		}
		// Fast path: a plain index below 10^9, as every producer writes.
		// Anything else (signs, fractions, strings, big numbers) goes
		// through index for its checks and messages.
		f, next := int32(0), j
		for next < len(b) && next-j < 9 && b[next] >= '0' && b[next] <= '9' {
			f = f*10 + int32(b[next]-'0')
			next++
		}
		if next == j || next == len(b) || (b[next] != ',' && b[next] != ']' && !isSpace(b[next])) {
			var err error
			f, next, err = r.index(b, j, func() string { return fmt.Sprintf("%s.samples[%d][%d]", p.path(), i, depth) })
			if err != nil {
				r.keepPrefix(frames)
				return 0, err
			}
		}
		if f < 0 || r.framesKnown && int(f) >= len(r.frames) || !r.framesKnown && f > p.maxFrame {
			if err := r.checkFrame(p, f, b[j:next], "samples", i); err != nil {
				r.keepPrefix(frames)
				return 0, err
			}
		}
		j = next
		if depth >= r.lim.MaxStackDepth {
			return 0, r.depthLimit(p, i)
		}
		frames = append(frames, f)
		if r.mayStep(depth) {
			var err error
			if node, err = r.step(node, frames, samplePath(p, i)); err != nil {
				return 0, err
			}
		}
	}
	return r.stacks.intern(frames), nil
}

// index parses the frame index that starts at b[j]. It returns the index,
// the offset after it, or an error naming path. Indices beyond int32 come
// back as -1 for checkFrame to report.
func (r *reader) index(b []byte, j int, path func() string) (int32, int, error) {
	k := j
	var v int64
	for k < len(b) && b[k] >= '0' && b[k] <= '9' {
		if v <= 1<<31 {
			v = v*10 + int64(b[k]-'0')
		}
		k++
	}
	if k == j || (k < len(b) && (b[k] == '.' || b[k] == 'e' || b[k] == 'E')) {
		// Not a plain non-negative integer: a string, an object, a
		// negative number or an integer in float form (1.0, 1e2).
		end := j
		for end < len(b) && strings.IndexByte("0123456789+-.eE", b[end]) >= 0 {
			end++
		}
		d, ok := parseDecimal(b[j:end])
		if !ok {
			return 0, 0, r.pathError(path(), "want a frame index, got "+rawKind(b[j:]))
		}
		iv, exact, fits := d.scaled(0)
		if !exact || !fits {
			return 0, 0, r.pathError(path(), fmt.Sprintf("frame index %s is not an integer", b[j:end]))
		}
		if iv < 0 || iv > 1<<31-1 {
			return -1, end, nil
		}
		return int32(iv), end, nil
	}
	if v > 1<<31-1 {
		return -1, k, nil
	}
	return int32(v), k, nil
}

// checkFrame reports a frame index out of range when the frame table is
// known; otherwise it remembers the largest index for build to check.
func (r *reader) checkFrame(p *rawProfile, f int32, lit []byte, kind string, i int) error {
	if f < 0 || (r.framesKnown && int(f) >= len(r.frames)) {
		msg := fmt.Sprintf("frame %s out of range", lit)
		if r.framesKnown {
			msg += fmt.Sprintf(" (%d frames)", len(r.frames))
		}
		return r.pathError(fmt.Sprintf("%s.%s[%d]", p.path(), kind, i), msg)
	}
	if !r.framesKnown && f > p.maxFrame {
		p.maxFrame, p.maxAt, p.maxKind = f, i, kind
	}
	return nil
}

// weights reads profiles[i].weights, one element at a time. A repeated
// literal (py-spy writes the same weight every time) is parsed once.
func (r *reader) weights(p *rawProfile) error {
	p.hasWeights = true
	path := p.path() + ".weights"
	if k := r.s.peek(); k != '[' && k != 0 {
		if err := r.element(); err != nil {
			return err
		}
		return r.pathError(path, "want an array, got "+rawKind(r.raw))
	}
	if err := r.open('[', path); err != nil {
		return err
	}
	var d decimal
	var prev []byte // the last literal parsed, copied: r.raw is reused
	havePrev := false
	for i := 0; r.more(); i++ {
		lit, ok := r.s.plainNumber()
		if !ok {
			if err := r.element(); err != nil {
				return err
			}
			lit = r.raw
		}
		if !havePrev || !bytes.Equal(lit, prev) {
			var bad error
			var ok bool
			if d, ok = parseDecimal(lit); !ok {
				bad = r.pathError(fmt.Sprintf("%s[%d]", path, i), "want a number, got "+rawKind(lit))
			} else if d.neg() {
				bad = r.pathError(fmt.Sprintf("%s[%d]", path, i), fmt.Sprintf("negative weight %s, want a non-negative number", lit))
			}
			if bad != nil {
				if err := r.skipRecord(bad, "sample"); err != nil {
					return err
				}
				p.badWeights = append(p.badWeights, i)
				p.weights.add(decimal{})
				havePrev = false
				continue
			}
			prev = append(prev[:0], lit...)
			havePrev = true
		}
		p.weights.add(d)
	}
	_, err := r.tok()
	return err
}
