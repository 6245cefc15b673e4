package speedscope

import (
	"math"

	"github.com/hotspot-dev/hotspot/profile"
)

// trie interns stacks of raw frame indices (as the file spells them) before
// the frame table is known. Node 0 is the root. Each sample is reduced to
// one node, so a profile costs four bytes per sample while it is read.
type trie struct {
	parent []int32
	frame  []int32
	child  map[uint64]int32
	limit  int
	// prev caches the path of the previous stack: consecutive samples often
	// share a prefix (py-spy writes one sample per tick), and comparing
	// integers is cheaper than a map lookup.
	prevFrames []int32
	prevNodes  []int32
}

func newTrie(limit int) *trie {
	return &trie{parent: []int32{0}, frame: []int32{-1}, child: map[uint64]int32{}, limit: limit}
}

// step returns the node for frame f under parent, at stack position depth
// (0-based), creating it when needed. ok is false when the node limit is hit.
func (t *trie) step(parent int32, depth int, f int32) (int32, bool) {
	if depth < len(t.prevFrames) && t.prevFrames[depth] == f && (depth == 0 || t.prevNodes[depth-1] == parent) {
		return t.prevNodes[depth], true
	}
	k := uint64(uint32(parent))<<32 | uint64(uint32(f))
	n, ok := t.child[k]
	if !ok {
		if len(t.parent) >= t.limit || len(t.parent) >= math.MaxInt32 {
			return 0, false
		}
		n = int32(len(t.parent))
		t.parent = append(t.parent, parent)
		t.frame = append(t.frame, f)
		t.child[k] = n
	}
	t.prevFrames = append(t.prevFrames[:depth], f)
	t.prevNodes = append(t.prevNodes[:depth], n)
	return n, true
}

// stack appends the raw frames of node n, root first, to dst.
func (t *trie) stack(dst []int32, n int32) []int32 {
	start := len(dst)
	for ; n != 0; n = t.parent[n] {
		dst = append(dst, t.frame[n])
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
