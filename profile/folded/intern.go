package folded

import (
	"bytes"
	"encoding/binary"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"hash/maphash"
)

// textIDs numbers byte strings in the order they are first added: the
// frame texts of one worker, and of the whole input in the caller. Each
// text is copied once into a block of the arena, after a header of its
// number and length, and an open-addressing table of 8-byte slots points
// at the copies, so a lookup reads one slot and one text. A
// map[string]int32 reads a control word, a key and the text, each a cache
// miss in a table of 50k frames (the workers of the bench input look up
// over a million frames), and costs a string per text.
type textIDs struct {
	seed maphash.Seed
	// slots hold the top bits of a text's hash over 1 + where its entry
	// is: block<<blockBits | offset (0 is an empty slot).
	slots  []uint64
	blocks [][]byte // filled up to their length, never reallocated
	n      int
}

const (
	posBits    = 40 // block<<blockBits | offset
	blockBits  = 20 // a block holds up to 1 MiB of entries
	headerSize = 8  // number, length
)

// newTextIDs returns an empty table. Its slots are read before any is
// written, so they come from bigmem.Written (pages written once).
func newTextIDs() *textIDs {
	return &textIDs{seed: maphash.MakeSeed(), slots: bigmem.Written[uint64](1024)}
}

// id returns the number of text, adding it when new (added says so), and
// the arena's copy of it, which stays valid and unchanged: blocks are
// only ever appended to, up to their capacity.
func (t *textIDs) id(text []byte) (id int32, added bool, kept []byte) {
	h := maphash.Bytes(t.seed, text)
	mask := uint64(len(t.slots) - 1)
	tag := h >> posBits
	for i := h & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			break
		}
		if s>>posBits != tag {
			continue
		}
		e := t.entry(s)
		if n := int(binary.LittleEndian.Uint32(e[4:])); n == len(text) && bytes.Equal(e[headerSize:headerSize+n], text) {
			return int32(binary.LittleEndian.Uint32(e)), false, e[headerSize : headerSize+n : headerSize+n]
		}
	}
	id = int32(t.n)
	t.n++
	need := headerSize + len(text)
	last := len(t.blocks) - 1
	if last < 0 || len(t.blocks[last])+need > cap(t.blocks[last]) {
		// Blocks double up to 1 MiB, so that a small input costs
		// little; a text longer than that gets a block of its own.
		size := 4 << 10
		if last >= 0 {
			size = min(2*cap(t.blocks[last]), 1<<blockBits)
		}
		t.blocks = append(t.blocks, make([]byte, 0, max(need, size)))
		last++
	}
	b := t.blocks[last]
	pos := uint64(last)<<blockBits | uint64(len(b))
	b = binary.LittleEndian.AppendUint32(b, uint32(id))
	b = binary.LittleEndian.AppendUint32(b, uint32(len(text)))
	b = append(b, text...)
	t.blocks[last] = b
	if 2*t.n > len(t.slots) {
		t.grow() // places the new text too
	} else {
		t.put(h, pos)
	}
	return id, true, b[len(b)-len(text) : len(b) : len(b)]
}

// entry returns the arena from the entry slot s points at.
func (t *textIDs) entry(s uint64) []byte {
	pos := s&(1<<posBits-1) - 1
	return t.blocks[pos>>blockBits][pos&(1<<blockBits-1):]
}

// put points a free slot at the entry at pos, whose text hashes to h.
func (t *textIDs) put(h, pos uint64) {
	mask := uint64(len(t.slots) - 1)
	i := h & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = h>>posBits<<posBits | (pos + 1)
}

// grow doubles the slots and places every entry again, hashing its text
// again: growing is rare, looking up is not, so the hash is not kept.
func (t *textIDs) grow() {
	t.slots = bigmem.Written[uint64](2 * len(t.slots))
	for k, b := range t.blocks {
		for off := 0; off < len(b); {
			n := int(binary.LittleEndian.Uint32(b[off+4:]))
			t.put(maphash.Bytes(t.seed, b[off+headerSize:off+headerSize+n]), uint64(k)<<blockBits|uint64(off))
			off += headerSize + n
		}
	}
}
