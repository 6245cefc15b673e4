package profile

import (
	"fmt"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"slices"
)

// A Builder in stack-table mode (DeferTree) interns each distinct stack as
// a whole and lays the call tree out once, in Build, instead of walking
// the tree for every sample. For inputs whose stacks share little (a
// million pprof samples make 14M nodes for 900k distinct stacks), walking
// the tree costs a cache miss per frame per sample and the construction
// arrays double the tree's memory; here samples cost a hash of their
// frames, and the tree is written once into arrays of its exact size.
//
// The tree is the one Add would build, node IDs included: a node's ID is
// given by the first stack (in the order stacks were first added) that
// passes through it and its depth, which is the order in which Add
// creates nodes. Build finds both from the stacks sorted by frames, where
// the stacks through a node are neighbours.

// stackChunk is the number of frames in one block of the table's storage.
const stackChunk = 1 << 20

// stackTable interns root-first stacks. Stack i is stacks[i]; IDs follow
// first appearance.
type stackTable struct {
	stacks [][]FrameID
	hashes []uint32
	slots  []int32 // open addressing: stack index + 1, 0 when empty
	block  []FrameID
	frames int // total frames over all stacks
}

func hashStack(s []FrameID) uint32 {
	h := uint64(14695981039346656037)
	for _, f := range s {
		h = (h ^ uint64(uint32(f))) * 1099511628211
	}
	h ^= h >> 29
	return uint32(h)
}

// intern returns the index of stack s, adding a copy of it when new.
func (t *stackTable) intern(s []FrameID) int32 {
	if len(t.stacks)*2 >= len(t.slots) {
		t.grow()
	}
	h := hashStack(s)
	mask := uint32(len(t.slots) - 1)
	for i := h & mask; ; i = (i + 1) & mask {
		e := t.slots[i]
		if e == 0 {
			id := int32(len(t.stacks))
			t.slots[i] = id + 1
			t.stacks = append(t.stacks, t.store(s))
			t.hashes = append(t.hashes, h)
			t.frames += len(s)
			return id
		}
		if t.hashes[e-1] == h && slices.Equal(t.stacks[e-1], s) {
			return e - 1
		}
	}
}

// store copies s into the table's blocks, which are never reallocated.
func (t *stackTable) store(s []FrameID) []FrameID {
	if len(s) > cap(t.block)-len(t.block) {
		t.block = bigmem.Written[FrameID](max(stackChunk, len(s)))[:0]
	}
	t.block = append(t.block, s...)
	return t.block[len(t.block)-len(s) : len(t.block) : len(t.block)]
}

func (t *stackTable) grow() {
	n := max(1024, 2*len(t.slots))
	t.slots = make([]int32, n)
	mask := uint32(n - 1)
	for id, h := range t.hashes {
		i := h & mask
		for t.slots[i] != 0 {
			i = (i + 1) & mask
		}
		t.slots[i] = int32(id) + 1
	}
}

// DeferTree switches b to stack-table mode before the first Add: the call
// tree is laid out in Build, which must be used instead of Profile.
func (b *Builder) DeferTree() { b.table = &stackTable{} }

// addToTable is Add's tail in stack-table mode: it returns the stack's
// index, which stands in for its leaf node until Build.
func (b *Builder) addToTable(stack []FrameID) (NodeID, error) {
	for _, f := range stack {
		if f < 0 || int(f) >= len(b.p.Frames) {
			return 0, fmt.Errorf("%s: frame id %d out of range", b.file, f)
		}
	}
	return NodeID(b.table.intern(stack)), nil
}

// Build finishes the profile like Profile; in stack-table mode it lays out
// the call tree first and fails when the tree has more nodes than
// Limits.MaxNodes allows.
func (b *Builder) Build() (*Profile, error) {
	if b.table == nil {
		return b.Profile(), nil
	}
	t := b.detachTable()
	nodes, leaf, err := b.layOut(t)
	if err != nil {
		return nil, err
	}
	for i := 0; i < b.nsamples; i++ {
		s := b.sampleAt(i)
		s.stack = int32(s.Node) + 1
		s.Node = leaf[s.Node]
	}
	// The stacks stay: explain and the folded writer read every sample's
	// stack, and rebuilding them from the tree costs a cache miss a frame.
	b.p.stacks = t.stacks
	b.p.Nodes = nodes
	b.p.kids = childWindows(nodes)
	return b.Profile(), nil
}

// BuildStacks finishes the profile without its call tree, for callers
// that read each sample's stack (SampleStack) and labels, never the tree:
// Nodes holds the root alone and every sample's Node is RootNode. Laying
// out a tree of millions of nodes is most of the work Build does, and
// folded output needs none of it. It fails as Build does when the tree
// would have more nodes than Limits.MaxNodes allows. Outside stack-table
// mode it is Build.
func (b *Builder) BuildStacks() (*Profile, error) {
	if b.table == nil {
		return b.Profile(), nil
	}
	t := b.detachTable()
	if err := b.checkNodes(t.stacks, t.frames); err != nil {
		return nil, err
	}
	for i := 0; i < b.nsamples; i++ {
		s := b.sampleAt(i)
		s.stack = int32(s.Node) + 1
		s.Node = RootNode
	}
	b.p.stacks = t.stacks
	b.p.Nodes = []Node{{Frame: NoFrame, Parent: RootNode}}
	b.p.kids = []NodeID{}
	return b.Profile(), nil
}

// detachTable takes the stack table out of the builder for the last step
// of Build or BuildStacks, dropping the interning state neither needs any
// more so that it can be collected while the profile is laid out.
func (b *Builder) detachTable() *stackTable {
	t := b.table
	b.table = nil
	b.frameID, b.child, b.sample, b.labelID = nil, nil, nil, nil
	b.byStack, b.labelOf = nil, nil
	t.slots, t.hashes, t.block = nil, nil, nil
	return t
}

// checkNodes fails when the call tree of stacks, which hold frames frames
// in all, would have more nodes than Limits.MaxNodes, as layOut would.
// The tree has a node per distinct non-empty prefix, one per frame at
// most; only when that bound passes the limit are the prefixes counted,
// each stack adding the frames it does not share with the one before it
// in sorted order.
func (b *Builder) checkNodes(stacks [][]FrameID, frames int) error {
	if 1+frames <= b.limits.MaxNodes {
		return nil
	}
	order, lcp := sortStacks(stacks)
	total := 1
	for i, s := range order {
		total += len(stacks[s]) - int(lcp[i])
	}
	if total > b.limits.MaxNodes {
		return &LimitError{File: b.file, What: "number of distinct call paths", Limit: int64(b.limits.MaxNodes), Flag: "--max-nodes"}
	}
	return nil
}

// layOut builds the call tree of t's stacks with the node IDs Add would
// give, and returns the nodes (children not yet placed) and each stack's
// leaf node.
func (b *Builder) layOut(t *stackTable) ([]Node, []NodeID, error) {
	stacks := t.stacks
	n := len(stacks)
	order, lcp := sortStacks(stacks)
	// shared[s]: the most frames stack s shares with an earlier stack, the
	// depth from which its nodes are its own. The earlier stack sharing
	// most is the nearest earlier one on either side in sorted order.
	shared := make([]int32, n)
	nearestEarlier(order, lcp, shared, false)
	nearestEarlier(order, lcp, shared, true)
	// first[s]: the ID of the first node stack s adds.
	first := make([]int32, n)
	total := 1
	for s, st := range stacks {
		first[s] = int32(total)
		total += len(st) - int(shared[s])
		if total > b.limits.MaxNodes {
			return nil, nil, &LimitError{File: b.file, What: "number of distinct call paths", Limit: int64(b.limits.MaxNodes), Flag: "--max-nodes"}
		}
	}
	leaf := make([]NodeID, n)
	// up[s]: the parent of the first node stack s owns, a node owned by
	// an earlier stack.
	up := make([]NodeID, n)
	// Walk the sorted stacks as a depth-first traversal of the tree. A
	// node's ID is known when it is left: by then owner holds the first
	// stack through it. A stack whose first own node is left waits in
	// pending until that node's parent is left too.
	var (
		path    []FrameID // the current stack
		owner   []int32   // per depth on path: the first stack through the node
		ends    []int32   // per depth on path: the stack ending there, or -1
		pendAt  []int32   // per depth on path: where its children start in pending
		pending []int32
	)
	leave := func(d int) {
		o := owner[d]
		id := NodeID(first[o] + int32(d) - shared[o])
		for _, c := range pending[pendAt[d]:] {
			up[c] = id
		}
		pending = pending[:pendAt[d]]
		if int32(d) == shared[o] && d > 0 {
			pending = append(pending, o)
		}
		if d > 0 {
			owner[d-1] = min(owner[d-1], o)
		}
		if ends[d] >= 0 {
			leaf[ends[d]] = id
		}
	}
	for i, s := range order {
		st := stacks[s]
		l := int(lcp[i])
		for d := len(path) - 1; d >= l; d-- {
			leave(d)
		}
		owner, ends, pendAt = owner[:l], ends[:l], pendAt[:l]
		for d := l; d < len(st); d++ {
			owner = append(owner, s)
			ends = append(ends, -1)
			pendAt = append(pendAt, int32(len(pending)))
		}
		path = st
		if len(st) == 0 {
			leaf[s] = RootNode
		} else {
			ends[len(st)-1] = s
		}
	}
	for d := len(path) - 1; d >= 0; d-- {
		leave(d)
	}
	// Each stack's own nodes are consecutive IDs down its stack: write
	// them stack by stack, in order, rather than one by one as the walk
	// leaves them, which would miss the cache on every node.
	nodes := bigmem.Written[Node](total)
	nodes[RootNode] = Node{Frame: NoFrame, Parent: RootNode}
	for s, st := range stacks {
		id, parent := NodeID(first[s]), up[s]
		for d := int(shared[s]); d < len(st); d++ {
			nodes[id] = Node{Frame: st[d], Parent: parent}
			parent = id
			id++
		}
	}
	return nodes, leaf, nil
}

// sortStacks returns the indexes of stacks in the order slices.Compare
// gives their frames (a stack before those it is a prefix of), and lcp[i],
// the number of frames sorted stack i shares with sorted stack i-1. It
// sorts one depth at a time, each group of stacks that share a prefix by
// their next frame (a radix sort from the root): each frame is looked at
// about once, where comparing whole stacks reads their shared prefixes
// again at every comparison. Stacks must be distinct, frames non-negative.
func sortStacks(stacks [][]FrameID) (order, lcp []int32) {
	n := len(stacks)
	order = make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	lcp = make([]int32, n)
	// keys[i]: sorted stack i's frame at the group's depth, plus 1 (0 when
	// it ends before it), above its index, so sorting keys sorts the group.
	keys := bigmem.Written[uint64](n)
	// split sorts one group by its next frame and returns the groups of
	// stacks that share one more frame. Groups are disjoint windows of
	// order, lcp and keys, so different groups can be split at once.
	split := func(g window, todo []window) []window {
		for i := g.lo; i < g.hi; i++ {
			s := order[i]
			var f uint64
			if st := stacks[s]; int(g.depth) < len(st) {
				f = uint64(uint32(st[g.depth])) + 1
			}
			keys[i] = f<<32 | uint64(uint32(s))
		}
		ks := keys[g.lo:g.hi]
		slices.Sort(ks)
		for i, k := range ks {
			order[int(g.lo)+i] = int32(uint32(k))
		}
		// Runs of one next frame share one more frame; at most one stack
		// of a group ends at its depth (stacks are distinct).
		start := g.lo
		for i := g.lo + 1; i <= g.hi; i++ {
			if i < g.hi && keys[i]>>32 == keys[start]>>32 {
				continue
			}
			if i < g.hi {
				lcp[i] = g.depth
			}
			if i-start > 1 && keys[start]>>32 != 0 {
				todo = append(todo, window{start, i, g.depth + 1})
			}
			start = i
		}
		return todo
	}
	drainGroups(n, split)
	return order, lcp
}

// nearestEarlier raises shared[s] to the frames s shares with the nearest
// stack before it in sorted order (or after it, when fromRight) that was
// added earlier. It keeps a stack of sorted positions whose stack indexes
// increase, each with the least lcp between it and the next one up.
func nearestEarlier(order, lcp, shared []int32, fromRight bool) {
	type entry struct{ s, m int32 }
	var st []entry
	n := len(order)
	for k := 0; k < n; k++ {
		i, gap := k, int32(0)
		if fromRight {
			i = n - 1 - k
			if i+1 < n {
				gap = lcp[i+1]
			}
		} else if i > 0 {
			gap = lcp[i]
		}
		s := order[i]
		if len(st) > 0 {
			st[len(st)-1].m = min(st[len(st)-1].m, gap)
		}
		for len(st) > 0 && st[len(st)-1].s > s {
			m := st[len(st)-1].m
			st = st[:len(st)-1]
			if len(st) > 0 {
				st[len(st)-1].m = min(st[len(st)-1].m, m)
			}
		}
		if len(st) > 0 {
			shared[s] = max(shared[s], st[len(st)-1].m)
		}
		st = append(st, entry{s, 1 << 30})
	}
}

// childWindows places every node's children in one array, in ID order,
// and records each node's window of it.
func childWindows(nodes []Node) []NodeID {
	// firstKid counts each node's children, then becomes where its window
	// starts, then, as children are placed, where it ends, which is where
	// the next node's starts: shifting by one node gives the starts.
	for i := 1; i < len(nodes); i++ {
		nodes[nodes[i].Parent].firstKid++
	}
	var at int32
	for i := range nodes {
		n := nodes[i].firstKid
		nodes[i].firstKid = at
		at += n
	}
	kids := bigmem.Written[NodeID](int(at))
	for i := 1; i < len(nodes); i++ {
		p := &nodes[nodes[i].Parent]
		kids[p.firstKid] = NodeID(i)
		p.firstKid++
	}
	for i := len(nodes) - 1; i > 0; i-- {
		nodes[i].firstKid = nodes[i-1].firstKid
	}
	if len(nodes) > 0 {
		nodes[0].firstKid = 0
	}
	return kids
}
