package speedscope

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// batchBytes is about how much stack text goes to the parsing goroutine
// at a time.
const batchBytes = 256 << 10

// stackBatch is a run of consecutive samples' stacks, as the file spells
// them: stack k is data[ends[k-1]:ends[k]].
type stackBatch struct {
	data  []byte
	ends  []int
	first int // the index of the first sample in the profile's array
}

// samples reads profiles[i].samples: arrays of frame indices, root first.
// The JSON decoder (this goroutine) and the parsing of stacks into the trie
// (parseStacks, on another) run side by side, in batches; the stacks are
// still parsed in order, so the result and the first error are the serial
// ones.
func (r *reader) samples(p *rawProfile) error {
	p.hasSamples = true
	if err := r.open('[', p.path()+".samples"); err != nil {
		return err
	}
	if r.freeBatches == nil {
		r.freeBatches = make(chan *stackBatch, 6)
	}
	free := r.freeBatches
	batches := make(chan *stackBatch, 4)
	done := make(chan error, 1)
	go func() { done <- r.parseStacks(p, batches, free) }()
	var cur *stackBatch
	select {
	case cur = <-free:
	default:
		cur = &stackBatch{}
	}
	cur.first = 0
	var readErr error
	for i := 0; r.more(); i++ {
		if readErr = r.element(); readErr != nil {
			break
		}
		cur.data = append(cur.data, r.raw...)
		cur.ends = append(cur.ends, len(cur.data))
		if len(cur.data) >= batchBytes {
			batches <- cur
			select {
			case cur = <-free:
			default:
				cur = &stackBatch{}
			}
			cur.first = i + 1
		}
	}
	batches <- cur
	close(batches)
	// A stack's error comes before a later read error, as it would serially.
	if err := <-done; err != nil {
		return err
	}
	if readErr != nil {
		return readErr
	}
	_, err := r.tok()
	return err
}

// parseStacks interns the stacks of each batch in order, appending their
// nodes to p.nodes. After a fatal error it drains the batches unread and
// returns the error.
func (r *reader) parseStacks(p *rawProfile, batches <-chan *stackBatch, free chan<- *stackBatch) error {
	var failed error
	for b := range batches {
		start := 0
		for k := 0; failed == nil && k < len(b.ends); k++ {
			n, err := r.stack(p, b.first+k, b.data[start:b.ends[k]])
			start = b.ends[k]
			if err != nil {
				if !isRecordError(err) {
					failed = err
					break
				}
				// A malformed sample is left out (node -1), its weight too.
				if failed = r.skipRecord(err, "sample"); failed != nil {
					break
				}
				n = -1
			}
			p.nodes = append(p.nodes, n)
		}
		b.data, b.ends = b.data[:0], b.ends[:0]
		select {
		case free <- b:
		default:
		}
	}
	return failed
}

// stack interns one sample's stack, b. A malformed stack gives a
// *profile.SyntaxError (a record error); limits give a *profile.LimitError.
func (r *reader) stack(p *rawProfile, i int, b []byte) (int32, error) {
	j := skipSpace(b, 0)
	if b[j] != '[' {
		return 0, r.pathError(fmt.Sprintf("%s.samples[%d]", p.path(), i), "want an array of frame indices, got "+rawKind(b[j:]))
	}
	j++
	node := int32(0)
	depth := 0
	for {
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
				return 0, err
			}
		}
		if f < 0 || r.framesKnown && int(f) >= len(r.frames) || !r.framesKnown && f > p.maxFrame {
			if err := r.checkFrame(p, f, b[j:next], "samples", i); err != nil {
				return 0, err
			}
		}
		j = next
		if depth >= r.lim.MaxStackDepth {
			return 0, &profile.LimitError{File: r.file, Where: fmt.Sprintf("%s.samples[%d]", p.path(), i), What: fmt.Sprintf("stack depth (more than %d frames)", r.lim.MaxStackDepth), Limit: int64(r.lim.MaxStackDepth), Flag: "--max-depth"}
		}
		// The previous stack's path, inlined from trie.step: py-spy
		// stacks repeat, and most frames are found here.
		if t := r.trie; depth < len(t.prevFrames) && t.prevFrames[depth] == f && (depth == 0 || t.prevNodes[depth-1] == node) {
			node = t.prevNodes[depth]
		} else {
			var ok bool
			if node, ok = t.step(node, depth, f); !ok {
				return 0, t.limitError(r.file, fmt.Sprintf("%s.samples[%d]", p.path(), i))
			}
		}
		depth++
	}
	return node, nil
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
	if k := r.dec.PeekKind(); k != '[' && k != 0 {
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
		if err := r.element(); err != nil {
			return err
		}
		lit := r.raw
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
