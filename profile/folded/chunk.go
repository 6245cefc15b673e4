package folded

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"runtime"
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// Read splits its work in three (pipeline.go runs them):
//
//   - one goroutine reads the input in chunks of whole lines;
//   - workers parse chunks into records, interning frame texts in tables
//     of their own: chunk i goes to worker i mod W, so each worker looks a
//     text up in a map once per distinct frame it meets, not once per line;
//   - the caller's goroutine applies the records in input order, mapping
//     each worker's frame numbers to the profile's frame IDs on first use
//     and adding the samples.
//
// Frames get their IDs in the order they first occur in the input, and
// samples reach the Builder in input order, so the profile is the same
// whatever order the workers finish in.

// chunkSize is how many bytes a chunk holds (a chunk grows past it only
// to hold one line that is longer).
const chunkSize = 256 << 10

// maxWorkers bounds the parsing goroutines: applying records in order is
// one goroutine's work, and more parsers than that can feed do not help.
const maxWorkers = 4

// recKind says what one line of the input turned out to be.
type recKind uint8

const (
	recStack   recKind = iota // a sample: frames, a count (and a second count for ReadDiff)
	recEmpty                  // a sample with no frames (" count")
	recComment                // a '#' line, text in msg
	recSkip                   // a malformed line to skip: msg (and col)
	recSyntax                 // an error at the line: msg (and col)
	recDepth                  // a stack deeper than MaxStackDepth: its first frames are in the record
	recLong                   // a line longer than MaxLineBytes
)

// record is one parsed line that is not blank.
type record struct {
	kind recKind
	line int32 // line number within the chunk, from 1
	col  int32 // byte column of the problem, 0 for the whole line
	n    int32 // the record's frames: the next n of chunkResult.frames
	c    count // the count (before, for ReadDiff)
	c2   count // ReadDiff's after count
	msg  string
}

// chunkResult is what a worker made of one chunk. The last result of the
// input carries end (io.EOF, or the error that stopped reading) and, when
// a line was too long to gather, long.
type chunkResult struct {
	lines  int32 // lines in the chunk
	recs   []record
	frames []int32  // every stack record's frames, in the worker's numbering
	fresh  [][]byte // texts the worker numbered in this chunk, in number order
	end    error    // set on the last result
	long   bool     // with end: the next line exceeds MaxLineBytes
	semi   int32    // stacks written with a ';' before the count (heaptrack_print -F)
}

// chunk is one piece of input for a worker: whole lines, or the end.
type chunk struct {
	data []byte
	end  error
	long bool
}

// lineParser is one worker: it parses lines of its chunks into records.
type lineParser struct {
	diff     bool
	maxDepth int
	maxLine  int
	// ids numbers frame texts in the order this worker first meets them.
	ids *textIDs
	// stack, prevText and prevEnd are the last stack of the chunk, whose
	// leading frames the next line usually shares (folded files are
	// usually sorted): frames within the shared bytes keep their numbers
	// and only the rest are looked up by text.
	stack    []int32
	prevText []byte
	prevEnd  []int
	res      *chunkResult
}

func newLineParser(diff bool, limits profile.Limits) *lineParser {
	return &lineParser{diff: diff, maxDepth: limits.MaxStackDepth, maxLine: limits.MaxLineBytes, ids: newTextIDs()}
}

// reset empties r for another chunk, keeping its arrays.
func (r *chunkResult) reset() {
	clear(r.fresh)
	*r = chunkResult{recs: r.recs[:0], frames: r.frames[:0], fresh: r.fresh[:0]}
}

// parseChunk parses the lines of data into res. The chunk's bytes are not
// kept.
func (lp *lineParser) parseChunk(data []byte, res *chunkResult) {
	lp.res = res
	lp.forgetPrev()
	var line int32
	for len(data) > 0 {
		i := bytes.IndexByte(data, '\n')
		raw, size := data, len(data)
		if i >= 0 {
			raw, size = data[:i], i+1
		}
		data = data[size:]
		line++
		if size > lp.maxLine {
			lp.res.recs = append(lp.res.recs, record{kind: recLong, line: line})
			break
		}
		lp.parse(raw, line)
	}
	lp.res.lines = line
	lp.forgetPrev()
	lp.res = nil
}

func (lp *lineParser) emit(r record) { lp.res.recs = append(lp.res.recs, r) }

// parse handles one line (without its newline).
func (lp *lineParser) parse(raw []byte, n int32) {
	line := trimRight(raw)
	if len(line) == 0 {
		return
	}
	if line[0] == '#' {
		lp.emit(record{kind: recComment, line: n, msg: string(line)})
		return
	}
	if isSpace(line[0]) && !lp.diff {
		if tok := bytes.TrimLeft(line, " \t\v\f"); isCount(tok) {
			// A sample with no frames (py-spy's idle samples): hotspot's
			// folded output writes it as " count", and flamegraph.pl reads
			// it as such.
			c, err := parseCount(tok)
			if err != nil {
				lp.emit(record{kind: recSyntax, line: n, col: int32(len(line) - len(tok) + 1), msg: err.Error()})
				return
			}
			lp.forgetPrev()
			lp.emit(record{kind: recEmpty, line: n, c: c})
			return
		}
	}
	stack, tok, ok := splitLast(line)
	if !ok {
		lp.emit(record{kind: recSkip, line: n, msg: "want 'stack count', got no count"})
		return
	}
	// col is the 1-based byte column of the count, for messages about it.
	col := len(line) - len(tok) + 1
	if !isCount(tok) {
		lp.emit(record{kind: recSkip, line: n, col: int32(col), msg: badCount(tok)})
		return
	}
	stack1, tok1, two := trailingCount(stack)
	switch {
	case two && !lp.diff:
		lp.emit(record{kind: recSyntax, line: n, msg: fmt.Sprintf("two counts (%s and %s): differential folded input (before and after) cannot be read as one profile", tok1, tok)})
		return
	case !two && lp.diff:
		lp.emit(record{kind: recSkip, line: n, msg: "want 'stack before after', got one count"})
		return
	}
	col1 := col
	if two {
		col = len(stack) - len(tok1) + 1
		stack, tok, tok1 = stack1, tok1, tok // tok is now before, tok1 after
	}
	c, err := parseCount(tok)
	if err != nil {
		lp.emit(record{kind: recSyntax, line: n, col: int32(col), msg: err.Error()})
		return
	}
	var c2 count
	if two {
		if c2, err = parseCount(tok1); err != nil {
			lp.emit(record{kind: recSyntax, line: n, col: int32(col1), msg: err.Error()})
			return
		}
	}
	if len(bytes.Trim(stack, "; \t")) == 0 {
		// Nothing but separators: folded text has no way to write an empty
		// stack back, so it is not a record.
		lp.emit(record{kind: recSkip, line: n, msg: "want 'stack count', got a count with no frames"})
		return
	}
	kind := recStack
	if !lp.frameIDs(stack) {
		kind = recDepth
	}
	lp.res.frames = append(lp.res.frames, lp.stack...)
	lp.emit(record{kind: kind, line: n, n: int32(len(lp.stack)), c: c, c2: c2})
	if kind == recDepth {
		lp.forgetPrev()
	}
}

// frameIDs splits the stack at ';' into lp.stack, numbering frames by
// their text. Trailing empty frames are dropped, as flamegraph.pl's split
// drops them: heaptrack_print -F writes "main (c.c);work (c.c); 200000",
// and the empty leaf would otherwise be a nameless frame blamed for all
// the cost. Empty frames inside a stack stay, as they do there. It
// returns false when the stack is deeper than MaxStackDepth, with the
// frames before the limit in lp.stack.
//
// The frames inside the bytes this stack shares with the last one keep
// the numbers lp.stack already holds (on the shared bench input, 60% of
// frames are shared).
func (lp *lineParser) frameIDs(stack []byte) bool {
	if n := len(stack); n > 0 && stack[n-1] == ';' {
		stack = bytes.TrimRight(stack, ";")
		lp.res.semi++
	}
	same := commonPrefix(stack, lp.prevText)
	k := 0
	// Frame k of the previous stack ends at prevEnd[k], on a ';' or at
	// its end; it is also frame k of this one when that end lies inside
	// the shared bytes, or is where both stacks end.
	for k < len(lp.prevEnd) && (lp.prevEnd[k] < same || lp.prevEnd[k] == same && same == len(stack)) {
		k++
	}
	start := 0
	if k > 0 {
		start = lp.prevEnd[k-1] + 1
	}
	lp.stack, lp.prevEnd = lp.stack[:k], lp.prevEnd[:k]
	// The chunk stays whole while the worker parses it, so the previous
	// stack's text can point into it.
	lp.prevText = stack
	if k > 0 && lp.prevEnd[k-1] == len(stack) {
		return true
	}
	for {
		i := bytes.IndexByte(stack[start:], ';')
		end := len(stack)
		if i >= 0 {
			end = start + i
		}
		if len(lp.stack) >= lp.maxDepth {
			return false
		}
		id, added, text := lp.ids.id(stack[start:end])
		if added {
			// Parsed by the caller, once per distinct text: each worker
			// meets most of them.
			lp.res.fresh = append(lp.res.fresh, text)
		}
		lp.stack = append(lp.stack, id)
		lp.prevEnd = append(lp.prevEnd, end)
		if i < 0 {
			return true
		}
		start = end + 1
	}
}

// forgetPrev drops the previous stack, for when lp.stack no longer holds
// its frames.
func (lp *lineParser) forgetPrev() {
	lp.stack, lp.prevText, lp.prevEnd = lp.stack[:0], nil, lp.prevEnd[:0]
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

// chunker cuts the input into chunks of whole lines.
type chunker struct {
	r       io.Reader
	maxLine int
	size    int    // bytes a chunk holds
	rest    []byte // the start of a line the last chunk did not end
	free    chan []byte
}

// next returns the next chunk; the last one carries the error that ended
// the input (io.EOF at its end) and may hold a final line with no newline.
func (ck *chunker) next() chunk {
	var buf []byte
	select {
	case buf = <-ck.free:
	default:
		buf = make([]byte, 0, ck.size)
	}
	buf = append(buf[:0], ck.rest...)
	ck.rest = ck.rest[:0]
	for {
		if len(buf) == cap(buf) {
			if i := bytes.LastIndexByte(buf, '\n'); i >= 0 {
				ck.rest = append(ck.rest, buf[i+1:]...)
				return chunk{data: buf[:i+1]}
			}
			// One line fills the chunk: it grows, unless the line is
			// already too long.
			if len(buf) > ck.maxLine {
				return chunk{end: io.EOF, long: true}
			}
			buf = slices.Grow(buf, max(len(buf), ck.size))
		}
		n, err := ck.r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		switch {
		case err == io.EOF:
			return chunk{data: buf, end: io.EOF}
		case err != nil:
			// Lines the error cut are dropped: they were not read whole.
			return chunk{data: buf[:bytes.LastIndexByte(buf, '\n')+1], end: err}
		}
	}
}

// workers is how many parsing goroutines Read starts.
func workers() int { return max(1, min(runtime.GOMAXPROCS(0), maxWorkers)) }
