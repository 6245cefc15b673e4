package speedscope

import (
	"math"

	"github.com/hotspot-dev/hotspot/profile"
)

// trie interns stacks of raw frame indices (as the file spells them) before
// the frame table is known. Node 0 is the root. Each sample is reduced to
// one node, so a profile costs four bytes per sample while it is read.
type trie struct {
	// chunks holds the nodes in fixed-size blocks: growing never copies
	// them, and a trie of millions of nodes never needs its old and new
	// copies at once.
	chunks [][]tnode
	n      int // number of nodes
	// child indexes the children of nodes with more than smallFanout of
	// them; the others are found by walking their short child lists,
	// which touches one node where a lookup in a map of millions of
	// entries misses the cache once or twice.
	child map[uint64]int32
	limit int
	// prev caches the path of the previous stack: consecutive samples often
	// share a prefix (py-spy writes one sample per tick), and comparing
	// integers is cheaper than a map lookup.
	prevFrames []int32
	prevNodes  []int32
}

// tnode is one trie node; children are linked through nextSib, newest first.
type tnode struct {
	parent, frame       int32
	firstChild, nextSib int32 // 0: none (the root is nobody's child)
	kids                int32
}

// smallFanout is how many children a node may have before they are
// indexed in trie.child.
const smallFanout = 8

// chunkBits sets the size of the trie's chunks: 64 Ki nodes, 1.25 MiB.
const chunkBits = 16

// node returns node i.
func (t *trie) node(i int32) *tnode {
	return &t.chunks[i>>chunkBits][i&(1<<chunkBits-1)]
}

func newTrie(limit int) *trie {
	root := make([]tnode, 1, 256)
	root[0] = tnode{frame: -1}
	return &trie{chunks: [][]tnode{root}, n: 1, child: map[uint64]int32{}, limit: limit}
}

// step returns the node for frame f under parent, at stack position depth
// (0-based), creating it when needed. ok is false when the node limit is hit.
func (t *trie) step(parent int32, depth int, f int32) (int32, bool) {
	if depth < len(t.prevFrames) && t.prevFrames[depth] == f && (depth == 0 || t.prevNodes[depth-1] == parent) {
		return t.prevNodes[depth], true
	}
	n, ok := t.find(parent, f)
	if !ok {
		if t.n >= t.limit || t.n >= math.MaxInt32 {
			return 0, false
		}
		n = t.add(parent, f)
	}
	t.prevFrames = append(t.prevFrames[:depth], f)
	t.prevNodes = append(t.prevNodes[:depth], n)
	return n, true
}

func (t *trie) find(parent, f int32) (int32, bool) {
	p := t.node(parent)
	if p.kids <= smallFanout {
		for c := p.firstChild; c != 0; c = t.node(c).nextSib {
			if t.node(c).frame == f {
				return c, true
			}
		}
		return 0, false
	}
	n, ok := t.child[key(parent, f)]
	return n, ok
}

func (t *trie) add(parent, f int32) int32 {
	n := int32(t.n)
	last := &t.chunks[len(t.chunks)-1]
	if len(*last) == 1<<chunkBits {
		t.chunks = append(t.chunks, make([]tnode, 0, 1<<chunkBits))
		last = &t.chunks[len(t.chunks)-1]
	}
	// The first chunk starts small (most profiles are small) and grows
	// by append up to the chunk size.
	*last = append(*last, tnode{parent: parent, frame: f, nextSib: t.node(parent).firstChild})
	t.n++
	p := t.node(parent) // after the append, which may have moved the first chunk
	p.firstChild = n
	p.kids++
	switch {
	case p.kids <= smallFanout:
	case p.kids == smallFanout+1:
		for c := p.firstChild; c != 0; c = t.node(c).nextSib {
			t.child[key(parent, t.node(c).frame)] = c
		}
	default:
		t.child[key(parent, f)] = n
	}
	return n
}

func key(parent, f int32) uint64 { return uint64(uint32(parent))<<32 | uint64(uint32(f)) }

// stack appends the raw frames of node n, root first, to dst.
func (t *trie) stack(dst []int32, n int32) []int32 {
	start := len(dst)
	for ; n != 0; n = t.node(n).parent {
		dst = append(dst, t.node(n).frame)
	}
	s := dst[start:]
	for i, j := 0, len(s)-1; i < j; i, j = i+1, j-1 {
		s[i], s[j] = s[j], s[i]
	}
	return dst
}

func (t *trie) limitError(file, where string) error {
	return &profile.LimitError{File: file, Where: where, What: "number of distinct call paths", Limit: int64(t.limit), Flag: "--max-nodes"}
}
