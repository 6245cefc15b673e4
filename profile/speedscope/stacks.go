package speedscope

import (
	"fmt"
	"slices"
)

// stackTable interns stacks of raw frame indices (as the file spells
// them): each distinct stack gets an ID, in order of first appearance, and
// samples and entries refer to stacks by ID. A sample costs a hash of its
// frames and a probe, where walking a trie costs a cache miss a frame: a
// file of 775k samples may have 129k distinct stacks and rarely two alike
// in a row, and then the trie was most of the reading. Nothing in the
// table holds a pointer but the list of blocks, so the garbage collector
// has little to scan, and a slot holds the hash, so that a probe touches
// the stack's frames only when the hashes match.
type stackTable struct {
	blocks [][]int32   // storage for the stacks, never reallocated
	refs   []stackRef  // where stack ID lies
	slots  []stackSlot // open addressing, at most half full
	frames int         // frames over all stacks
	// last is the ID of the stack interned last: consecutive samples
	// often repeat one.
	last int32
}

type stackRef struct{ block, off, n uint32 }

// stackSlot is one slot of the table: ID + 1, 0 when empty.
type stackSlot struct {
	hash uint32
	id   int32
}

// stackBlock is the number of frames in one block of the table's storage.
const stackBlock = 1 << 18

func hashFrames(s []int32) uint32 {
	h := uint64(14695981039346656037)
	for _, f := range s {
		h = (h ^ uint64(uint32(f))) * 1099511628211
	}
	h ^= h >> 29
	return uint32(h)
}

// len is the number of distinct stacks.
func (t *stackTable) len() int { return len(t.refs) }

// stack returns the frames of stack id; the slice belongs to the table.
func (t *stackTable) stack(id int32) []int32 {
	r := t.refs[id]
	return t.blocks[r.block][r.off : r.off+r.n : r.off+r.n]
}

// intern returns the ID of stack s, adding a copy of it when new.
func (t *stackTable) intern(s []int32) int32 {
	if len(t.refs) > 0 && slices.Equal(t.stack(t.last), s) {
		return t.last
	}
	if 2*(len(t.refs)+1) > len(t.slots) {
		t.grow()
	}
	h := hashFrames(s)
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		sl := t.slots[i]
		if sl.id == 0 {
			id := int32(len(t.refs))
			t.slots[i] = stackSlot{hash: h, id: id + 1}
			t.refs = append(t.refs, t.store(s))
			t.frames += len(s)
			t.last = id
			return id
		}
		if sl.hash == h && slices.Equal(t.stack(sl.id-1), s) {
			t.last = sl.id - 1
			return sl.id - 1
		}
	}
}

// store copies s into the blocks.
func (t *stackTable) store(s []int32) stackRef {
	last := len(t.blocks) - 1
	if last < 0 || len(s) > cap(t.blocks[last])-len(t.blocks[last]) {
		t.blocks = append(t.blocks, make([]int32, 0, max(stackBlock, len(s))))
		last++
	}
	off := len(t.blocks[last])
	t.blocks[last] = append(t.blocks[last], s...)
	return stackRef{block: uint32(last), off: uint32(off), n: uint32(len(s))}
}

func (t *stackTable) grow() {
	old := t.slots
	n := max(1024, 2*len(old))
	t.slots = make([]stackSlot, n)
	mask := uint32(n - 1)
	for _, sl := range old {
		if sl.id == 0 {
			continue
		}
		i := sl.hash & mask
		for t.slots[i].id != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = sl
	}
}

// The node limit (Limits.MaxNodes) counts the distinct call paths of the
// whole file, as a trie of the stacks read so far would hold them. The
// trie is built only when that count could reach the limit: a trie has at
// most one node per frame of its distinct stacks, plus the root, so while
// 1 + stacks.frames stays within the limit no stack can pass it. Past
// that, and for evented profiles, whose replay walks the trie, every stack
// read so far is walked into the trie (buildTree) and every later one too,
// so the limit is met at the same sample as when the trie was always built.
// A stack that fails part way (a frame out of range) leaves the nodes of
// the frames before the failure in the trie; its prefix is kept in the
// table (keepPrefix) so that the trie built later has them too.

// mayStep reports whether adding the frame at depth of a new stack needs
// the trie: it is built, or the limit could be reached.
func (r *reader) mayStep(depth int) bool {
	return r.tree || 1+r.stacks.frames+depth+1 > r.lim.MaxNodes
}

// step walks the trie one frame down from node, to the last frame of
// path, building the trie first when needed. where names the sample for
// a limit error.
func (r *reader) step(node int32, path []int32, where func() string) (int32, error) {
	depth := len(path) - 1
	if !r.tree {
		r.buildTree()
		node = 0
		for d, f := range path[:depth] {
			// Within the limit: the frames read so far fitted.
			node, _ = r.trie.step(node, d, f)
		}
	}
	t := r.trie
	f := path[depth]
	// The previous stack's path, inlined from trie.step: consecutive
	// stacks often share a prefix.
	if depth < len(t.prevFrames) && t.prevFrames[depth] == f && (depth == 0 || t.prevNodes[depth-1] == node) {
		return t.prevNodes[depth], nil
	}
	n, ok := t.step(node, depth, f)
	if !ok {
		return 0, t.limitError(r.file, where())
	}
	return n, nil
}

// buildTree walks every stack of the table into the trie; from then on
// the trie holds every stack read.
func (r *reader) buildTree() {
	if r.tree {
		return
	}
	r.tree = true
	for id := range r.stacks.len() {
		s := r.stacks.stack(int32(id))
		node := int32(0)
		for d, f := range s {
			node, _ = r.trie.step(node, d, f)
		}
	}
}

// keepPrefix records the frames of a stack that failed after them, whose
// trie nodes exist (or would).
func (r *reader) keepPrefix(prefix []int32) {
	if !r.tree && len(prefix) > 0 {
		r.stacks.intern(prefix)
	}
}

// samplePath names sample i of p, for limit errors.
func samplePath(p *rawProfile, i int) func() string {
	return func() string { return fmt.Sprintf("%s.samples[%d]", p.path(), i) }
}
