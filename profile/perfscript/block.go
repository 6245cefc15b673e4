package perfscript

import (
	"bytes"
	"hash/crc32"
	"hash/maphash"
	"sync"

	"github.com/hotspot-dev/hotspot/profile"
)

// Whole callchains seen before. A recording repeats a few thousand
// distinct callchains over and over, and every line of a callchain is
// resolved the same way each time it recurs (the line cache is keyed by
// the line's text). So the workers find, after each event line, the block
// of callchain lines up to the blank line that ends the record, and look
// its text up whole; the state machine resolves a block the first time it
// meets it, line by line as always, remembers the stack it gave and, for
// every later record with the same text, takes the stack from there
// instead of reading the lines again.
//
// A block's stack is remembered only when its lines read exactly as a
// callchain that nothing around it can change: every line is an
// "address symbol (dso)" entry (a line without its dso is read only in
// files that print no dso elsewhere, which the file seen so far decides),
// the record started on the line just before and ends with a blank line,
// and reading it warned about nothing.

// maxBlocks bounds the blocks kept, so memory stays flat on inputs whose
// callchains rarely repeat; past it, new blocks are read line by line.
const maxBlocks = 1 << 16

// block is one distinct callchain text: the lines between an event line
// and the blank line that ends its record.
type block struct {
	lines int32
	// ok is false for a text that is not only "address symbol (dso)"
	// lines; such a block is never remembered.
	ok bool
	// res is the stack the text resolved to, per reader.java (the
	// collapsers tidy names differently for java* processes). Only the
	// state machine reads and writes it.
	res [2]*resolved
}

// resolved is what reading a block's lines gave: the record's stack, root
// first, its hash for the merge of equal stacks, and complete's findings.
type resolved struct {
	id          uint32 // in order of resolution
	stack       []profile.FrameID
	hash        uint64
	user, entry bool
}

// blockKey identifies a block's text by its length, a 64-bit hash with a
// random seed and its CRC-32C. Comparing the text itself cost a fifth of
// the read (each lookup fetched a kilobyte of cold text); two distinct
// texts of one length share the key with probability about 2^-64 for the
// seeded hash alone, with the checksum on top.
type blockKey struct {
	n   int
	h   uint64
	crc uint32
}

// blockSet is the blocks the workers share, at most limit of them.
type blockSet struct {
	seed  maphash.Seed
	limit int
	mu    sync.Mutex
	m     map[blockKey]*block
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

func newBlockSet(limit int) *blockSet {
	return &blockSet{seed: maphash.MakeSeed(), limit: limit, m: map[blockKey]*block{}}
}

func (s *blockSet) key(text []byte) blockKey {
	return blockKey{len(text), maphash.Bytes(s.seed, text), crc32.Checksum(text, castagnoli)}
}

// find returns the block of text (k is its key), adding it when there is
// room; nil when the set is full.
func (s *blockSet) find(k blockKey, text []byte) *block {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.m[k]; ok {
		return b
	}
	if len(s.m) >= s.limit {
		return nil
	}
	b := &block{lines: int32(bytes.Count(text, newline)), ok: entriesOnly(text)}
	s.m[k] = b
	return b
}

var newline = []byte("\n")

// entriesOnly reports whether every line of text is a callchain entry
// with its dso, "address symbol (dso)", which stackLine reads the same
// wherever it is.
func entriesOnly(text []byte) bool {
	for len(text) > 0 {
		line, rest := cutLine(text)
		text = rest
		s := trimLeft(trimRight(line))
		i := pcEnd(s)
		if i <= 0 {
			return false
		}
		if _, _, ok := splitSymDSO(s[i+1:]); !ok {
			return false
		}
	}
	return true
}

// blockAfter returns the block of indented lines that starts at buf[off:]
// and the offset of the blank line ("\n") that ends it; end is -1 when the
// lines there are not such a block within buf.
func blockAfter(buf []byte, off int) (end int) {
	k := off
	for k < len(buf) && (buf[k] == ' ' || buf[k] == '\t') {
		e := bytes.IndexByte(buf[k:], '\n')
		if e < 0 {
			return -1
		}
		k += e + 1
	}
	if k == off || k >= len(buf) || buf[k] != '\n' {
		return -1
	}
	return k
}

// freshRecord reports whether the state machine is at the start of a
// record's callchain: the event line just read started it and nothing of
// it has been read yet.
func (r *reader) freshRecord() bool {
	return r.inRecord && r.rec.event >= 0 && r.rec.line == r.lineNo &&
		len(r.entries) == 0 && r.recLines == 0 && !r.recWarned && len(r.srcs) == 0
}

// takeBlock reads a fresh record's callchain from its block's resolved
// stack, as reading its lines and the blank line after them would.
func (r *reader) takeBlock(b *block, res *resolved) error {
	r.lineNo += int(b.lines)
	r.recLines = int(b.lines)
	r.lastStack = r.lineNo
	r.inRecord = false
	r.countFound(res.user, res.entry)
	return r.addSample(res.stack, res.hash, res)
}

// resolveBlock ends a fresh record whose block's lines were just read and
// remembers its stack, when they read as a clean callchain.
func (r *reader) resolveBlock(b *block, start int) error {
	if !b.ok || b.res[r.java] != nil || !r.inRecord || r.rec.line != start || r.rec.event < 0 ||
		r.recWarned || len(r.entries) != int(b.lines) || r.recLines != int(b.lines) || len(r.srcs) != 0 {
		return nil
	}
	r.inRecord = false
	user, entry := r.complete()
	r.countFound(user, entry)
	if err := r.buildStack(); err != nil {
		return err
	}
	r.nResolved++
	res := &resolved{id: r.nResolved, stack: append([]profile.FrameID(nil), r.stack...), hash: hashIDs(r.stack), user: user, entry: entry}
	b.res[r.java] = res
	return r.addSample(res.stack, res.hash, res)
}
