package speedscope

import (
	"math"
	"math/bits"

	"github.com/hotspot-dev/hotspot/profile"
)

// trie holds the call paths of the stacks of raw frame indices (as the
// file spells them), for the node limit and the replay of evented
// profiles; it is built only when they need it (see reader.mayStep).
// Node 0 is the root.
type trie struct {
	// chunks holds the nodes in fixed-size blocks: growing never copies
	// them, and a trie of millions of nodes never needs its old and new
	// copies at once.
	chunks [][]tnode
	n      int // number of nodes
	// child indexes the children of nodes with more than smallFanout of
	// them; the others are found by walking their short child lists,
	// which touches one node where a lookup in a table of millions of
	// entries misses the cache once or twice.
	child childTable
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
	return &trie{chunks: [][]tnode{root}, n: 1, limit: limit}
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
	return t.child.get(key(parent, f))
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
			t.child.put(key(parent, t.node(c).frame), c)
		}
	default:
		t.child.put(key(parent, f), n)
	}
	return n
}

func key(parent, f int32) uint64 { return uint64(uint32(parent))<<32 | uint64(uint32(f)) }

// childTable maps key(parent, frame) to a child node: open addressing
// with linear probing over two flat arrays, at most half full. Each probe
// reads one key where a Go map reads a control word and then a key, and
// the trie's lookups were a sixth of reading a file of many distinct
// stacks. The key of the root's child 0 is 0, so a slot is empty when its
// node is 0 (no child is the root).
type childTable struct {
	keys  []uint64
	nodes []int32
	n     int
	shift uint8 // 64 - log2(len(keys))
}

func (c *childTable) slot(k uint64) uint64 { return (k * 0x9E3779B97F4A7C15) >> c.shift }

func (c *childTable) get(k uint64) (int32, bool) {
	if c.n == 0 {
		return 0, false
	}
	mask := uint64(len(c.keys) - 1)
	for i := c.slot(k); ; i = (i + 1) & mask {
		if c.nodes[i] == 0 {
			return 0, false
		}
		if c.keys[i] == k {
			return c.nodes[i], true
		}
	}
}

// put adds k, which must not be in the table yet.
func (c *childTable) put(k uint64, node int32) {
	if 2*(c.n+1) > len(c.keys) {
		c.grow()
	}
	mask := uint64(len(c.keys) - 1)
	i := c.slot(k)
	for c.nodes[i] != 0 {
		i = (i + 1) & mask
	}
	c.keys[i], c.nodes[i] = k, node
	c.n++
}

func (c *childTable) grow() {
	keys, nodes := c.keys, c.nodes
	size := max(1024, 2*len(keys))
	c.keys, c.nodes, c.n = make([]uint64, size), make([]int32, size), 0
	c.shift = uint8(64 - bits.TrailingZeros(uint(size)))
	for i, n := range nodes {
		if n != 0 {
			c.put(keys[i], n)
		}
	}
}

func (t *trie) limitError(file, where string) error {
	return &profile.LimitError{File: file, Where: where, What: "number of distinct call paths", Limit: int64(t.limit), Flag: "--max-nodes"}
}
