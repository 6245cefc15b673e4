package profile

import (
	"fmt"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"slices"
	"strings"
)

// Builder assembles a Profile from root-first stacks. Frames and stacks are
// interned as they arrive, so memory grows with the number of distinct
// frames and call paths, not with the number of samples: importers stream
// their input through Add and never hold it whole.
type Builder struct {
	p       Profile
	file    string // input name, for limit errors
	limits  Limits
	frameID map[Frame]FrameID
	// indexed is how many of p.Frames frameID holds: frames added by
	// NewFrame are indexed only when Frame is next called.
	indexed int
	child   map[childKey]NodeID
	// sample indexes Samples by leaf node and label set, the label set
	// given by its index in labelID: a map keyed by two integers is
	// cheaper to probe than one keyed by the whole Labels struct.
	sample map[uint64]int
	// samplesIndexed is how many samples sample holds (see leafSample).
	samplesIndexed int
	labelID        map[Labels]uint32
	labelSets      []*Labels // by label set ID: what samples point at
	// lastLabels and lastLabelID cache the previous sample's label set,
	// which the next sample usually repeats.
	lastLabels  Labels
	lastLabelID uint32
	hasLast     bool
	stack       []FrameID // scratch for AddFrames
	// lastStack and lastPath remember the previous stack and its nodes:
	// consecutive samples share long prefixes (folded files are sorted,
	// perf records repeat the same threads), and walking the shared prefix
	// from here skips most child-map lookups.
	lastStack []FrameID
	lastPath  []NodeID
	// The call tree under construction, one entry per node in one flat
	// array (children as linked lists): 20 bytes a node and no allocation
	// per node, where Node with its slices costs about 90. A node's fields
	// sit together, so walking a child list costs one cache miss a child,
	// which dominates building trees of millions of nodes. Profile() turns
	// them into Nodes whose slices share a few large backing arrays. The
	// array is kept in fixed-size chunks: growing never copies it, and a
	// tree of millions of nodes never needs its old and new copies at once.
	tree [][]bnode
	// spareTree holds chunks allocated with the last group, not yet in use.
	spareTree [][]bnode
	nodes     int // number of nodes in tree
	// valBlock is the unused rest of the block new samples' values come from.
	valBlock []int64
	// samples holds the samples under construction in fixed-size chunks,
	// as tree holds the nodes: appending to one slice of 112-byte samples
	// copied it again at every growth (about five times its final size
	// for 129k samples), and Profile() copies them once into a slice of
	// the exact size instead.
	samples  [][]Sample
	nsamples int
	// block holds the first samples instead when the importer said how
	// many to expect (ExpectSamples): Profile() then hands it over whole
	// instead of copying a hundred megabytes of samples while the
	// originals are still alive. Once it is full, samples go on in the
	// chunks.
	block []Sample
	// table holds the distinct stacks in stack-table mode (DeferTree);
	// nil otherwise.
	table *stackTable
	// labelOf is the label set ID of each sample. In stack-table mode,
	// byStack[n] is 1 + the index of the first sample of stack n: most
	// stacks have one label set, and a slice indexed by stack is cheaper
	// than the sample map, which then holds only the other label sets.
	byStack []int32
	labelOf []uint32
}

// sampleChunkBits sets the size of the samples' chunks: 4 Ki samples.
const sampleChunkBits = 12

// sampleGroup is how many samples' chunks a large profile allocates at
// once (over 4 MiB: huge pages).
const sampleGroup = 32

// sampleAt returns the sample under construction with index i.
func (b *Builder) sampleAt(i int) *Sample {
	if i < len(b.block) {
		return &b.block[i]
	}
	i -= len(b.block)
	return &b.samples[i>>sampleChunkBits][i&(1<<sampleChunkBits-1)]
}

// chunkBits sets the size of the tree's chunks: 64 Ki nodes, 1.25 MiB.
const chunkBits = 16

// node returns the tree node with ID i.
func (b *Builder) node(i NodeID) *bnode {
	return &b.tree[i>>chunkBits][i&(1<<chunkBits-1)]
}

// bnode is one call-tree node under construction.
type bnode struct {
	frame      FrameID
	parent     NodeID
	firstChild NodeID // 0: none (the root is nobody's child)
	nextSib    NodeID // 0: none
	childCount int32
}

type childKey struct {
	parent NodeID
	frame  FrameID
}

// NewBuilder starts a profile with the given value types. file names the
// input in limit errors.
func NewBuilder(file string, types []ValueType, limits Limits) *Builder {
	b := &Builder{
		file:    file,
		limits:  limits.WithDefaults(),
		frameID: map[Frame]FrameID{},
		child:   map[childKey]NodeID{},
		sample:  map[uint64]int{},
		labelID: map[Labels]uint32{},
	}
	b.p.SampleTypes = append([]ValueType(nil), types...)
	b.tree = [][]bnode{make([]bnode, 1, 1<<chunkBits)}
	b.tree[0][0] = bnode{frame: NoFrame, parent: RootNode}
	b.nodes = 1
	return b
}

// Meta gives importers access to the profile's metadata while building.
func (b *Builder) Meta() *Meta { return &b.p.Meta }

// SetDefaultType chooses which value type is the default.
func (b *Builder) SetDefaultType(i int) { b.p.DefaultType = i }

// AddType appends a value type (for inputs that reveal new types as they go,
// such as perf files with several events) and returns its index. Samples
// already added get 0 for it.
func (b *Builder) AddType(t ValueType) int {
	b.p.SampleTypes = append(b.p.SampleTypes, t)
	for i := 0; i < b.nsamples; i++ {
		s := b.sampleAt(i)
		s.Values = append(s.Values, 0)
	}
	return len(b.p.SampleTypes) - 1
}

// ExpectSamples says that about n samples will be added (pprof knows how
// many its input holds before reading them), so that the samples and, in
// stack-table mode, the stacks are stored in blocks of that size from the
// start: nothing is copied as they grow, and Profile() hands the samples
// over instead of copying them. Call it before the first Add; n may be
// more than the samples that come (repeated samples merge into one).
func (b *Builder) ExpectSamples(n int) {
	if b.nsamples > 0 || n <= 0 {
		return
	}
	b.block = bigmem.Written[Sample](n)[:0]
	if t := b.table; t != nil && len(t.stacks) == 0 {
		t.stacks = bigmem.Written[[]FrameID](n)[:0]
		t.hashes = make([]uint32, 0, n)
		// intern grows the slots when they are half full.
		size := 1024
		for size <= 2*n {
			size *= 2
		}
		t.slots = bigmem.Written[int32](size)
		b.byStack = make([]int32, 0, n)
		b.labelOf = make([]uint32, 0, n)
	}
}

// SetScale sets the Scale of value type i.
func (b *Builder) SetScale(i int, scale int64) { b.p.SampleTypes[i].Scale = scale }

// Frame interns f and returns its ID. An empty Display is set to Name and an
// empty Kind to KindUnknown.
func (b *Builder) Frame(f Frame) (FrameID, error) {
	if f.Display == "" {
		f.Display = f.Name
	}
	if f.Kind == "" {
		f.Kind = KindUnknown
	}
	for ; b.indexed < len(b.p.Frames); b.indexed++ {
		b.frameID[b.p.Frames[b.indexed]] = FrameID(b.indexed)
	}
	if id, ok := b.frameID[f]; ok {
		return id, nil
	}
	id, err := b.NewFrame(f)
	if err == nil {
		b.frameID[f] = id
		b.indexed++
	}
	return id, err
}

// NewFrame adds f without looking for an equal frame already added, with
// Display and Kind defaulted as Frame does. It is for importers that
// intern frames by a key of their own that determines the Frame (the
// folded reader's frame text): hashing and comparing whole Frames again
// cost the folded reader a fifth of its time. Adding the same Frame twice
// gives two IDs for one frame, which Validate does not catch.
func (b *Builder) NewFrame(f Frame) (FrameID, error) {
	if f.Display == "" {
		f.Display = f.Name
	}
	if f.Kind == "" {
		f.Kind = KindUnknown
	}
	if len(b.p.Frames) >= b.limits.MaxFrames {
		return 0, &LimitError{File: b.file, What: "number of distinct frames", Limit: int64(b.limits.MaxFrames), Flag: "--max-frames"}
	}
	id := FrameID(len(b.p.Frames))
	if len(b.p.Frames) == cap(b.p.Frames) {
		// Double: append grows a large slice by a quarter, which copies
		// (and the GC rescans) a table of 100-byte frames about five
		// times its final size while a big profile is read. Written
		// first, as the GC may scan the new half before it is filled.
		grown := bigmem.Written[Frame](max(2*len(b.p.Frames), 256))[:len(b.p.Frames)]
		copy(grown, b.p.Frames)
		b.p.Frames = grown
	}
	b.p.Frames = append(b.p.Frames, f)
	return id, nil
}

// Add records one sample (or count merged samples) with the given root-first
// stack, labels and values (one per value type; missing trailing values are 0).
func (b *Builder) Add(stack []FrameID, labels Labels, count int64, values ...int64) error {
	if len(stack) > b.limits.MaxStackDepth {
		return b.depthError(len(stack))
	}
	if len(values) > len(b.p.SampleTypes) {
		return fmt.Errorf("%s: sample has %d values for %d value types", b.file, len(values), len(b.p.SampleTypes))
	}
	n := RootNode
	if b.table != nil {
		var err error
		if n, err = b.addToTable(stack); err != nil {
			return err
		}
		return b.addSample(n, labels, count, values, false)
	}
	common := 0
	for common < len(stack) && common < len(b.lastStack) && stack[common] == b.lastStack[common] {
		common++
	}
	if common > 0 {
		n = b.lastPath[common-1]
	}
	b.lastStack = append(b.lastStack[:common], stack[common:]...)
	b.lastPath = b.lastPath[:common]
	created := false // whether this Add created the leaf
	for _, f := range stack[common:] {
		if f < 0 || int(f) >= len(b.p.Frames) {
			b.lastStack, b.lastPath = b.lastStack[:0], b.lastPath[:0]
			return fmt.Errorf("%s: frame id %d out of range", b.file, f)
		}
		c, ok := b.findChild(n, f)
		if !ok {
			if b.nodes >= b.limits.MaxNodes {
				b.lastStack, b.lastPath = b.lastStack[:0], b.lastPath[:0]
				return &LimitError{File: b.file, What: "number of distinct call paths", Limit: int64(b.limits.MaxNodes), Flag: "--max-nodes"}
			}
			c = b.newChild(n, f)
		}
		n, created = c, !ok
		b.lastPath = append(b.lastPath, n)
	}
	return b.addSample(n, labels, count, values, created)
}

// addSample adds count and values to the sample of leaf n (in stack-table
// mode, of stack n) with the given labels. newLeaf says the leaf was
// created by this Add, so it has no sample yet.
func (b *Builder) addSample(n NodeID, labels Labels, count int64, values []int64, newLeaf bool) error {
	if !b.hasLast || labels != b.lastLabels {
		id, ok := b.labelID[labels]
		if !ok {
			id = uint32(len(b.labelID))
			b.labelID[labels] = id
			l := labels
			b.labelSets = append(b.labelSets, &l)
		}
		b.lastLabels, b.lastLabelID, b.hasLast = labels, id, true
	}
	var s *Sample
	if b.table != nil {
		s = b.stackSample(n, labels)
	} else {
		s = b.leafSample(n, labels, newLeaf)
	}
	s.Count += count
	for j, v := range values {
		s.Values[j] += v
	}
	return nil
}

// leafSample returns the sample of leaf n with labels (whose ID is
// b.lastLabelID), adding it when new. The sample index holds only the
// samples before b.samplesIndexed: a sample whose leaf its Add created is found
// by no lookup until another Add reaches that leaf, which in folded
// stacks, one line per distinct stack, may never happen, so samples are
// indexed only before such a lookup.
func (b *Builder) leafSample(n NodeID, labels Labels, newLeaf bool) *Sample {
	k := uint64(uint32(n))<<32 | uint64(b.lastLabelID)
	if !newLeaf {
		for ; b.samplesIndexed < b.nsamples; b.samplesIndexed++ {
			i := b.samplesIndexed
			b.sample[uint64(uint32(b.sampleAt(i).Node))<<32|uint64(b.labelOf[i])] = i
		}
		if i, ok := b.sample[k]; ok {
			return b.sampleAt(i)
		}
	}
	i := b.newSample(Sample{Node: n, Labels: b.labelSets[b.lastLabelID], Values: b.values(len(b.p.SampleTypes))})
	b.labelOf = append(b.labelOf, b.lastLabelID)
	return b.sampleAt(i)
}

// stackSample returns the sample of stack n with labels (whose ID is
// b.lastLabelID) in stack-table mode, adding it when new.
func (b *Builder) stackSample(n NodeID, labels Labels) *Sample {
	if int(n) == len(b.byStack) {
		b.byStack = append(b.byStack, 0)
	}
	first := b.byStack[n]
	if first != 0 && b.labelOf[first-1] == b.lastLabelID {
		return b.sampleAt(int(first - 1))
	}
	k := uint64(uint32(n))<<32 | uint64(b.lastLabelID)
	if first != 0 {
		if i, ok := b.sample[k]; ok {
			return b.sampleAt(i)
		}
	}
	i := b.newSample(Sample{Node: n, Labels: b.labelSets[b.lastLabelID], Values: b.values(len(b.p.SampleTypes))})
	b.labelOf = append(b.labelOf, b.lastLabelID)
	if first == 0 {
		b.byStack[n] = int32(i) + 1
	} else {
		b.sample[k] = i
	}
	return b.sampleAt(i)
}

// AddFrames interns each frame and adds the sample: a convenience for
// importers whose stacks arrive as Frame values.
func (b *Builder) AddFrames(stack []Frame, labels Labels, count int64, values ...int64) error {
	if len(stack) > b.limits.MaxStackDepth {
		return b.depthError(len(stack))
	}
	b.stack = b.stack[:0]
	for _, f := range stack {
		id, err := b.Frame(f)
		if err != nil {
			return err
		}
		b.stack = append(b.stack, id)
	}
	return b.Add(b.stack, labels, count, values...)
}

// Profile finishes the build: it lays out the call tree and sorts children
// so that output does not depend on input order quirks. The Builder must
// not be used afterwards.
func (b *Builder) Profile() *Profile {
	p := &b.p
	// The interning maps are done with; dropping them before the tree is
	// laid out lowers the peak.
	b.frameID, b.child, b.sample, b.labelID = nil, nil, nil, nil
	b.byStack, b.labelOf = nil, nil
	b.lastStack, b.lastPath, b.stack = nil, nil, nil
	// The frames' sort order reads only the frames: on a profile of many
	// frames it is worked out while the tree is laid out.
	var rank []int32
	ranked := make(chan struct{})
	if len(p.Frames) >= minConcurrentRank {
		go func() {
			defer close(ranked)
			rank = frameRanks(p.Frames)
		}()
	} else {
		rank = frameRanks(p.Frames)
		close(ranked)
	}
	if p.Nodes == nil {
		b.buildNodes()
	}
	b.tree = nil
	if b.nsamples == len(b.block) {
		p.Samples = b.block
	} else {
		p.Samples = bigmem.Written[Sample](b.nsamples)[:0]
		p.Samples = append(p.Samples, b.block...)
		for _, chunk := range b.samples {
			p.Samples = append(p.Samples, chunk[:min(len(chunk), b.nsamples-len(p.Samples))]...)
		}
	}
	b.samples, b.block = nil, nil
	if p.DefaultType < 0 || p.DefaultType >= len(p.SampleTypes) {
		p.DefaultType = 0
	}
	<-ranked
	for i := range p.Nodes {
		sortChildren(p, rank, p.Children(NodeID(i)))
	}
	return p
}

// minConcurrentRank is the number of frames from which Profile sorts them
// on a goroutine of its own.
const minConcurrentRank = 4096

// buildNodes turns the flat construction arrays into Nodes. All children
// lists are windows of one array (Profile.kids), in creation order (parents before
// children, so a node's ID is always larger than its parent's).
func (b *Builder) buildNodes() {
	n := b.nodes
	// The sibling lists are not needed once the tree is complete, so each
	// node's firstChild becomes the start of its window in kids and nextSib
	// the number of children placed so far.
	var total int32
	for i := 0; i < n; i++ {
		bn := b.node(NodeID(i))
		bn.firstChild, bn.nextSib = NodeID(total), 0
		total += bn.childCount
	}
	kids := bigmem.Written[NodeID](int(total))
	for i := 1; i < n; i++ {
		pn := b.node(b.node(NodeID(i)).parent)
		kids[pn.firstChild+pn.nextSib] = NodeID(i)
		pn.nextSib++
	}
	nodes := bigmem.Written[Node](n)
	for i := 0; i < n; i++ {
		nd := &nodes[i]
		bn := b.node(NodeID(i))
		nd.Frame = bn.frame
		nd.Parent = bn.parent
		nd.firstKid = int32(bn.firstChild)
	}
	b.p.Nodes = nodes
	b.p.kids = kids
	b.tree = nil
}

// sortChildren sorts c by the rank of each node's frame, then by ID:
// deterministic.
func sortChildren(p *Profile, rank []int32, c []NodeID) {
	if len(c) < 2 {
		return
	}
	slices.SortFunc(c, func(x, y NodeID) int {
		if r := rank[p.Nodes[x].Frame] - rank[p.Nodes[y].Frame]; r != 0 {
			return int(r)
		}
		return int(x - y)
	})
}

// frameRanks orders frames by display name, then module, then file, the
// order of a node's children, and gives each its place in that order,
// equal frames the same: sorting children then compares two integers, not
// up to three strings of frames scattered through memory.
func frameRanks(frames []Frame) []int32 {
	byName := make([]int32, len(frames))
	for i := range byName {
		byName[i] = int32(i)
	}
	cmp := func(x, y int32) int {
		a, b := &frames[x], &frames[y]
		if r := strings.Compare(a.Display, b.Display); r != 0 {
			return r
		}
		if r := strings.Compare(a.Module, b.Module); r != 0 {
			return r
		}
		return strings.Compare(a.File, b.File)
	}
	slices.SortFunc(byName, cmp)
	rank := make([]int32, len(frames))
	for i, f := range byName {
		if i > 0 && cmp(byName[i-1], f) != 0 {
			rank[f] = rank[byName[i-1]] + 1
		} else if i > 0 {
			rank[f] = rank[byName[i-1]]
		}
	}
	return rank
}

// smallFanout is the number of children up to which a node's children are
// searched by a linear scan; nodes with more are indexed in b.child. Most
// call-tree nodes have one or two children, and scanning them is cheaper
// than hashing into a map of millions of entries.
const smallFanout = 8

func (b *Builder) findChild(n NodeID, f FrameID) (NodeID, bool) {
	if pn := b.node(n); pn.childCount <= smallFanout {
		var prev *bnode
		for c := pn.firstChild; c != 0; {
			cn := b.node(c)
			if cn.frame == f {
				if prev != nil {
					// Move the hit to the front: a caller's busiest
					// callees are then found first.
					prev.nextSib, cn.nextSib, pn.firstChild = cn.nextSib, pn.firstChild, c
				}
				return c, true
			}
			prev, c = cn, cn.nextSib
		}
		return 0, false
	}
	c, ok := b.child[childKey{n, f}]
	return c, ok
}

// newChild adds a node for frame f under n at the front of its sibling
// list; Profile() lays children out in creation order before sorting.
func (b *Builder) newChild(n NodeID, f FrameID) NodeID {
	c := NodeID(b.nodes)
	last := &b.tree[len(b.tree)-1]
	if len(*last) == cap(*last) {
		b.growTree()
		last = &b.tree[len(b.tree)-1]
	}
	pn := b.node(n)
	*last = append(*last, bnode{frame: f, parent: n, nextSib: pn.firstChild})
	b.nodes++
	pn.firstChild = c
	pn.childCount++
	switch {
	case pn.childCount <= smallFanout:
	case pn.childCount == smallFanout+1:
		// n outgrew the linear scan: index all its children.
		for k := pn.firstChild; k != 0; k = b.node(k).nextSib {
			b.child[childKey{n, b.node(k).frame}] = k
		}
	default:
		b.child[childKey{n, f}] = c
	}
	return c
}

// treeGroup is how many of the tree's chunks a large tree allocates at
// once: 4 chunks are 5 MiB, enough for bigmem to put them on huge pages
// (a tree of millions of nodes otherwise costs a page fault per 4 KiB).
const treeGroup = 4

// growTree appends an empty chunk to the tree: the first few one at a
// time, so that a small profile stays small, then treeGroup at a time from
// one block.
func (b *Builder) growTree() {
	if len(b.tree) < treeGroup {
		b.tree = append(b.tree, make([]bnode, 0, 1<<chunkBits))
		return
	}
	if len(b.spareTree) == 0 {
		block := bigmem.Written[bnode](treeGroup << chunkBits)
		for i := range treeGroup {
			b.spareTree = append(b.spareTree, block[i<<chunkBits:i<<chunkBits:(i+1)<<chunkBits])
		}
	}
	b.tree = append(b.tree, b.spareTree[0])
	b.spareTree = b.spareTree[1:]
}

// newSample appends s to the samples under construction and returns its index.
func (b *Builder) newSample(s Sample) int {
	if len(b.block) < cap(b.block) && len(b.samples) == 0 {
		b.block = append(b.block, s)
		b.nsamples++
		return b.nsamples - 1
	}
	if b.nsamples-len(b.block) == len(b.samples)<<sampleChunkBits {
		// The first chunks one at a time, so that a small profile stays
		// small; then sampleGroup at a time from one block, large enough
		// for huge pages.
		if len(b.samples) < sampleGroup {
			b.samples = append(b.samples, bigmem.Written[Sample](1<<sampleChunkBits))
		} else {
			block := bigmem.Written[Sample](sampleGroup << sampleChunkBits)
			for i := range sampleGroup {
				b.samples = append(b.samples, block[i<<sampleChunkBits:(i+1)<<sampleChunkBits:(i+1)<<sampleChunkBits])
			}
		}
	}
	i := b.nsamples
	*b.sampleAt(i) = s
	b.nsamples++
	return i
}

// values returns a zeroed slice of n values for a new sample, carved from
// a shared block: a million samples then cost a few allocations, not a
// million.
func (b *Builder) values(n int) []int64 {
	if len(b.valBlock) < n {
		b.valBlock = make([]int64, max(n, 4096))
	}
	v := b.valBlock[:n:n]
	b.valBlock = b.valBlock[n:]
	return v
}

func (b *Builder) depthError(n int) error {
	return &LimitError{File: b.file, What: fmt.Sprintf("stack depth (%d frames)", n), Limit: int64(b.limits.MaxStackDepth), Flag: "--max-depth"}
}
