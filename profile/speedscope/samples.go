package speedscope

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// samples reads profiles[i].samples: arrays of frame indices, root first.
func (r *reader) samples(p *rawProfile) error {
	p.hasSamples = true
	if err := r.open('[', p.path()+".samples"); err != nil {
		return err
	}
	for i := 0; r.dec.More(); i++ {
		if err := r.element(); err != nil {
			return err
		}
		n, err := r.stack(p, i)
		if err != nil {
			if !isRecordError(err) {
				return err
			}
			// A malformed sample is left out (node -1), its weight too.
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

// stack interns one sample's stack, held in r.raw. A malformed stack gives
// a *profile.SyntaxError (a record error); limits give a *profile.LimitError.
func (r *reader) stack(p *rawProfile, i int) (int32, error) {
	b := r.raw
	j := skipSpace(b, 0)
	if b[j] != '[' {
		return 0, r.pathError(fmt.Sprintf("%s.samples[%d]", p.path(), i), "want an array of frame indices, got "+rawKind(b[j:]))
	}
	j++
	node := int32(0)
	depth := 0
	for {
		j = skipSpace(b, j)
		if b[j] == ']' {
			break
		}
		if b[j] == ',' {
			j++
			continue
		}
		f, next, err := r.index(b, j, func() string { return fmt.Sprintf("%s.samples[%d][%d]", p.path(), i, depth) })
		if err != nil {
			return 0, err
		}
		if err := r.checkFrame(p, f, b[j:next], "samples", i); err != nil {
			return 0, err
		}
		j = next
		if depth >= r.lim.MaxStackDepth {
			return 0, &profile.LimitError{File: r.file, Where: fmt.Sprintf("%s.samples[%d]", p.path(), i), What: fmt.Sprintf("stack depth (more than %d frames)", r.lim.MaxStackDepth), Limit: int64(r.lim.MaxStackDepth), Flag: "--max-depth"}
		}
		var ok bool
		if node, ok = r.trie.step(node, depth, f); !ok {
			return 0, r.trie.limitError(r.file, fmt.Sprintf("%s.samples[%d]", p.path(), i))
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

// weights reads profiles[i].weights. Unlike stacks, the array is decoded
// as one value and parsed in place from the decoder's buffer: weights take a
// few bytes per sample, and encoding/json allocates three times for every
// bare number it decodes on its own.
func (r *reader) weights(p *rawProfile) error {
	p.hasWeights = true
	wl := weightList{r: r, p: p}
	if err := r.dec.Decode(&wl); err != nil {
		if wl.err != nil {
			return wl.err
		}
		if err == io.EOF {
			return r.src.errorAt(r.file, r.src.total, "unexpected end of input")
		}
		return r.src.syntaxError(r.file, err, r.dec.InputOffset())
	}
	return nil
}

// weightList receives a weights array from the JSON decoder.
type weightList struct {
	r   *reader
	p   *rawProfile
	err error
}

// errStop ends a weights array early; weightList.err says why.
var errStop = errors.New("stop")

// UnmarshalJSON parses b, a syntactically valid JSON value.
func (w *weightList) UnmarshalJSON(b []byte) error {
	path := func(i int) string { return fmt.Sprintf("%s.weights[%d]", w.p.path(), i) }
	j := skipSpace(b, 0)
	if b[j] != '[' {
		w.err = w.r.pathError(w.p.path()+".weights", "want an array, got "+rawKind(b[j:]))
		return errStop
	}
	j++
	var d decimal
	var prev []byte
	for i := 0; ; i++ {
		j = skipSpace(b, j)
		if b[j] == ',' {
			j = skipSpace(b, j+1)
		}
		if b[j] == ']' {
			return nil
		}
		end := j
		for end < len(b) && strings.IndexByte("0123456789+-.eE", b[end]) >= 0 {
			end++
		}
		lit := b[j:end]
		// A repeated literal (py-spy writes the same weight every time)
		// is parsed once. An empty one is not a number: parse it to fail.
		if len(lit) == 0 || prev == nil || !bytes.Equal(lit, prev) {
			var bad error
			var ok bool
			if d, ok = parseDecimal(lit); !ok {
				bad = w.r.pathError(path(i), "want a number, got "+rawKind(b[j:]))
			} else if d.neg() {
				bad = w.r.pathError(path(i), fmt.Sprintf("negative weight %s", lit))
			}
			if bad != nil {
				if w.err = w.r.skipRecord(bad, "sample"); w.err != nil {
					return errStop
				}
				w.p.badWeights = append(w.p.badWeights, i)
				w.p.weights.add(decimal{})
				j = valueEnd(b, j)
				prev = nil
				continue
			}
			prev = lit
		}
		w.p.weights.add(d)
		j = end
	}
}
