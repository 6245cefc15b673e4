package perfscript

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
)

// Reading in parallel. The record state machine (events, warnings, frame
// interning, merging) stays on one goroutine, so the result is the serial
// one by construction; what moves to other cores is the work done per line
// before it: reading (and gunzipping) the input, finding line ends, trimming,
// recognising callchain entries and hashing their text, parsing event lines. A producer cuts
// the input into chunks of whole lines; workers tokenize each chunk, giving
// every distinct callchain text in it a small number; the state machine then
// takes the chunks in order and, for a text already resolved in the chunk,
// finds its frames by that number instead of a string lookup. After each
// event line the workers also look up the record's whole callchain as a
// block (block.go), so that a callchain read before takes one step in the
// state machine instead of one per line. Memory stays bounded by the
// chunks in flight and the capped block set.

// chunkSize is the size of one chunk of input (it grows for a longer line).
const chunkSize = 256 << 10

// chunk is a run of whole lines and their tokens.
type chunk struct {
	buf   []byte
	lines []lineTok
	evs   []parsedEvent // lines parsed as event lines, by lineTok.ev
	nKeys int32
	// long marks that the line after the last one exceeds MaxLineBytes;
	// err is a read error after the last line.
	long bool
	err  error
	done chan struct{} // closed when the lines are tokenized
}

// lineTok is one line of a chunk: buf[start:end], newline included, and
// its callchain key number (-1: the line cannot be a callchain entry), and
// for a line that cannot, 1 + its index in chunk.evs (0: not parsed).
//
// A token with blk set is a callchain block instead: the lines
// buf[start:end] after an event line, up to the blank line that ends the
// record. The next follow tokens are those lines, tokenized, when this
// worker had not met the block before (0: only the text is there).
type lineTok struct {
	start, end int
	key, ev    int32
	follow     int32
	blk        *block
}

// parsedEvent is parseEventLine's result for one line.
type parsedEvent struct {
	ev eventLine
	ok bool
}

// runParallel is run with the per-line work spread over workers goroutines;
// chunk is the chunk size (tests make it tiny to cut everywhere).
func (r *reader) runParallel(src io.Reader, workers, size int) error {
	if workers < 1 {
		workers = 1
	}
	inFlight := 2*workers + 2
	order := make(chan *chunk, inFlight) // chunks in input order
	work := make(chan *chunk, inFlight)
	free := make(chan *chunk, inFlight+1) // chunks done with, for reuse
	stop := make(chan struct{})
	// On an error the producer and workers stop at their next chunk.
	defer close(stop)
	go r.produce(src, size, order, work, free, stop)
	blocks := newBlockSet(r.blockLimit)
	for i := 0; i < workers; i++ {
		go tokenize(work, r.opt.Addrs, blocks)
	}
	for c := range order {
		<-c.done
		r.local[0], r.local[1] = resetLocal(r.local[0], c.nKeys), resetLocal(r.local[1], c.nKeys)
		for i := 0; i < len(c.lines); i++ {
			t := c.lines[i]
			if t.blk == nil {
				if err := r.feed(c, t); err != nil {
					return err
				}
				continue
			}
			follow := c.lines[i+1 : i+1+int(t.follow)]
			i += len(follow)
			if err := r.readBlock(c, t, follow); err != nil {
				return err
			}
		}
		if c.long {
			return r.lineLimit()
		}
		if c.err != nil {
			return fmt.Errorf("reading %s: line %d: %w", r.name, r.lineNo+1, c.err)
		}
		select {
		case free <- c:
		default:
		}
	}
	return r.end()
}

// feed hands one tokenized line to the state machine.
func (r *reader) feed(c *chunk, t lineTok) error {
	line := c.buf[t.start:t.end]
	if len(trimNewline(line)) > r.lim.MaxLineBytes {
		return r.lineLimit()
	}
	r.key, r.ev = t.key, nil
	if t.ev > 0 {
		r.ev = &c.evs[t.ev-1]
	}
	err := r.line(line)
	r.key, r.ev = -1, nil
	return err
}

// readBlock reads the callchain block t: from its resolved stack when the
// record is fresh and the block was resolved before, else line by line
// (from the tokens that follow it, or from its text) and then resolved.
func (r *reader) readBlock(c *chunk, t lineTok, follow []lineTok) error {
	b := t.blk
	fresh := r.freshRecord()
	if res := b.res[r.java]; fresh && res != nil {
		return r.takeBlock(b, res)
	}
	start := r.lineNo
	if len(follow) > 0 {
		for _, f := range follow {
			if err := r.feed(c, f); err != nil {
				return err
			}
		}
	} else {
		for off := t.start; off < t.end; {
			end := off + bytes.IndexByte(c.buf[off:t.end], '\n') + 1
			if err := r.feed(c, lineTok{start: off, end: end, key: -1}); err != nil {
				return err
			}
			off = end
		}
	}
	if !fresh {
		return nil
	}
	return r.resolveBlock(b, start)
}

func resetLocal(s []*lineInfo, n int32) []*lineInfo {
	if cap(s) < int(n) {
		return make([]*lineInfo, n)
	}
	s = s[:n]
	clear(s)
	return s
}

// produce reads src into chunks of whole lines and hands each to the
// workers and, in order, to the state machine. A line longer than
// MaxLineBytes ends the input with c.long set, as a read error does.
func (r *reader) produce(src io.Reader, size int, order, work chan<- *chunk, free <-chan *chunk, stop <-chan struct{}) {
	defer close(order)
	defer close(work)
	var carry []byte // the start of a line cut by the end of a chunk
	for {
		select {
		case <-stop:
			return
		default:
		}
		var c *chunk
		select {
		case c = <-free:
			c.buf, c.lines, c.evs, c.nKeys, c.long, c.err = c.buf[:0], c.lines[:0], c.evs[:0], 0, false, nil
		default:
			c = &chunk{}
		}
		c.done = make(chan struct{})
		if need := len(carry) + size; cap(c.buf) < need {
			c.buf = make([]byte, 0, need)
		}
		buf := append(c.buf, carry...)
		n, err := io.ReadFull(src, buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		eof := err == io.EOF || err == io.ErrUnexpectedEOF
		if eof {
			err = nil
		}
		c.err = err
		cut := len(buf)
		if !eof && err == nil {
			cut = bytes.LastIndexByte(buf, '\n') + 1
		}
		carry = append(carry[:0], buf[cut:]...)
		c.buf = buf[:cut]
		if cut == 0 && !eof && err == nil {
			// No line end in a whole chunk: the line is longer than a chunk.
			if len(carry) <= r.lim.MaxLineBytes {
				size *= 2
				continue
			}
			c.long = true
		}
		select {
		case order <- c:
		case <-stop:
			return
		}
		work <- c
		if eof || err != nil || c.long {
			return
		}
	}
}

// tokenize splits each chunk into lines and numbers their callchain keys
// (the text stackLine looks up: after the address, or the whole entry
// when Addrs keeps the address of an unknown symbol). After an event line,
// the callchain up to the blank line is looked up as a block in blocks.
func tokenize(work <-chan *chunk, addrs bool, blocks *blockSet) {
	keys := map[string]int32{}
	// seen is the blocks this worker met, by the seeded hash alone (a
	// map with a wider key cost a tenth of the worker's time).
	seen := map[uint64]seenBlock{}
	full := false
	for c := range work {
		clear(keys)
		buf := c.buf
		lines, evs := c.lines[:0], c.evs[:0]
		blockEnd := -1 // the end of a block whose lines are tokenized next
		for off := 0; off < len(buf); {
			if off == blockEnd {
				blockEnd = -1
			}
			end := bytes.IndexByte(buf[off:], '\n') + 1
			if end == 0 {
				end = len(buf) - off
			}
			line := buf[off : off+end]
			t := lineTok{start: off, end: off + end, key: -1}
			off += end
			if line[0] == '#' {
				lines = append(lines, t)
				continue
			}
			trimmed := trimRight(line)
			s := trimLeft(trimmed)
			if i := pcEnd(s); i > 0 {
				key := s[i+1:]
				if addrs && bytes.Contains(key, unknownSym) {
					key = s
				}
				k, ok := keys[string(key)]
				if !ok {
					k = int32(len(keys))
					keys[string(key)] = k
				}
				t.key = k
				lines = append(lines, t)
				continue
			} else if len(s) == 0 {
				lines = append(lines, t)
				continue
			}
			ev, ok := parseEventLine(trimmed)
			evs = append(evs, parsedEvent{ev, ok})
			t.ev = int32(len(evs))
			lines = append(lines, t)
			if !ok || ev.event == nil || len(ev.trailing) > 0 || blockEnd >= 0 {
				continue
			}
			bend := blockAfter(buf, off)
			if bend < 0 {
				continue
			}
			text := buf[off:bend]
			k := blocks.key(text)
			sb, met := seen[k.h]
			b := sb.b
			if met && sb.key != k {
				b, met = nil, false
			}
			if !met && !full {
				if b = blocks.find(k, text); b == nil {
					full = true
				} else {
					seen[k.h] = seenBlock{k, b}
				}
			}
			if b == nil || !b.ok {
				continue
			}
			bt := lineTok{start: off, end: bend, key: -1, blk: b}
			if met {
				// Known here: the state machine has resolved it or will
				// read its text; skip the lines.
				lines = append(lines, bt)
				off = bend
				continue
			}
			bt.follow = b.lines
			lines = append(lines, bt)
			blockEnd = bend
		}
		c.lines, c.evs, c.nKeys = lines, evs, int32(len(keys))
		close(c.done)
	}
}

type seenBlock struct {
	key blockKey
	b   *block
}

// parallelWorkers is how many tokenizing goroutines Read starts: one per
// core beyond the state machine's, at least one.
func parallelWorkers() int {
	return max(1, runtime.GOMAXPROCS(0)-1)
}
