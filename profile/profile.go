// Package profile is hotspot's call-tree model: interned frames, a trie of
// root-first stacks, and samples aggregated per (stack, labels). It knows
// nothing of input formats and imports only the standard library.
package profile

import "slices"

// FrameKind says which runtime a frame belongs to.
type FrameKind string

const (
	KindPython  FrameKind = "python"  // Python code (py-spy frames, perf -X perf py:: frames)
	KindNative  FrameKind = "native"  // C, C++, Rust, Go machine code
	KindKernel  FrameKind = "kernel"  // operating-system kernel
	KindJIT     FrameKind = "jit"     // JIT-compiled code without a better classification
	KindUnknown FrameKind = "unknown" // nothing known
)

// Frame is one function activation site. Frames are interned: a profile holds
// each distinct Frame once, and stacks refer to it by FrameID.
type Frame struct {
	// Name is the function name as the input spelled it, after only the
	// clean-ups the peer tools apply on conversion (perf symbol offsets cut,
	// as stackcollapse does). Conversions write this back.
	Name string
	// Display is the cleaned name used by explain and diff: demangled, Rust
	// hash suffixes removed, legacy escapes decoded. Equal to Name when
	// nothing needed cleaning.
	Display string
	// File is the source file: the Python file for Python frames, the C or
	// Rust source for native frames with debug info. Empty when unknown.
	File string
	// Module is the binary or shared object (DSO) the code lives in, as the
	// recorder named it ("/usr/lib/libc.so.6", "[kernel.kallsyms]",
	// "/tmp/perf-123.map"). Empty when unknown.
	Module string
	// Line is the source line, 0 when unknown.
	Line int64
	// Kind is the runtime the frame belongs to.
	Kind FrameKind
	// Addr is the instruction address for frames that carry one and whose
	// identity depends on it (unsymbolized frames); 0 otherwise.
	Addr uint64
	// Inlined marks a frame the compiler inlined into its caller.
	Inlined bool
}

// FrameID indexes Profile.Frames.
type FrameID int32

// NodeID indexes Profile.Nodes. Node 0 is the root, which has no frame.
type NodeID int32

// RootNode is the ID of the tree's root.
const RootNode NodeID = 0

// NoFrame is the frame of the root node.
const NoFrame FrameID = -1

// ValueType names what one column of sample values measures.
type ValueType struct {
	Type string // "samples", "cpu", "wall", "alloc_space", "cpu-clock", ...
	Unit string // "count", "nanoseconds", "bytes", ...
	// Scale is how many stored units make one input unit, for inputs whose
	// values were fractional (decimal folded counts): the input value is
	// stored*1/Scale. 0 and 1 both mean the values are exact integers.
	Scale int64
}

// Labels are the per-sample attributes hotspot keeps. They are comparable so
// samples can be aggregated per distinct label set.
type Labels struct {
	PID    int64 // process id; meaningful only when HasPID
	TID    int64 // thread id; meaningful only when HasTID
	HasPID bool
	HasTID bool
	Comm   string // process (command) name, as perf prints it
	Thread string // thread name
	// Extra holds any other labels in canonical form: "key=value" pairs,
	// sorted, joined by "\n". Use Labels.Pairs to read them.
	Extra string
}

// Node is one call-tree node: a frame under its parent. Costs live in the
// samples; NodeValues sums them per node when a consumer needs them, so a
// tree of millions of nodes carries no per-node value slices. Its children
// are Profile.Children(id): a window of one array shared by the whole
// tree, so a node costs 16 bytes, not the 40 a slice field made it.
type Node struct {
	Frame  FrameID
	Parent NodeID
	// firstKid is where the node's children start in Profile.kids; the
	// windows follow each other in ID order, so the next node's firstKid
	// is where they end (a count per node would cost 56 MB on a tree of
	// 14M nodes).
	firstKid int32
}

// Sample is the aggregate of all input samples with the same stack and labels.
type Sample struct {
	Node NodeID // the leaf; the stack is the path from the root to it
	// stack is 1 + the index in Profile.stacks of the stack as read, 0
	// when the reader kept none (see SampleStack). It fills what would be
	// padding before Labels.
	stack int32
	// Labels is shared by every sample with the same label set (the
	// Builder interns them), never nil in a built profile: a label set is
	// per thread, not per sample, and held inline it made a sample 112
	// bytes instead of 48 (64 MB per million samples).
	Labels *Labels
	Values []int64 // one per Profile.SampleTypes entry
	Count  int64   // how many input samples were merged into this one
}

// OffCPUType names the value a recording of context switches (perf's
// sched_switch) has besides their counts where it timed each: how long
// the switch kept its thread off the CPU, in nanoseconds, until the
// recording shows the thread running again, or until the recording ends.
const OffCPUType = "off-cpu"

// Meta describes where a profile came from.
type Meta struct {
	Format   string // importer name: "pprof", "speedscope", "perf", "folded", "dhat"
	Producer string // "py-spy@0.4.0", "perf", "valgrind DHAT", "dhat-rs", "go runtime", ...
	// Recording says what the profile can show when the importer knows:
	// "on-cpu", "off-cpu", "wall", "memory"; empty when unknown.
	Recording string
	// PeriodType and Period are the sampling period when known (pprof's fields).
	PeriodType    ValueType
	Period        int64
	TimeNanos     int64
	DurationNanos int64
	// Comments are free-form notes from the input (pprof comments, perf
	// header lines, dhat command line) and from the importer.
	Comments []string
	// Truncated is true when the producer is known to cut stacks (dhat-rs
	// backtrace trimming, py-spy frame limits).
	Truncated bool
	// Skipped counts malformed records that were skipped with a warning.
	Skipped int
	// Warnings explain skipped records and other importer caveats, as
	// sentences naming file and line. At most MaxWarnings are kept; Skipped
	// keeps the full count.
	Warnings []string
	// Approximations say how the profile departs from a recording of
	// stacks (a flame graph SVG's undrawn frames, stacks derived from a
	// call graph), one sentence each; convert prints them.
	Approximations []string
	// Attrs holds importer-specific facts as sorted key/value pairs
	// (for example dhat's "tu" time unit or py-spy's rate).
	Attrs []Attr
}

// Attr is one importer-specific fact.
type Attr struct{ Key, Value string }

// MaxWarnings bounds Meta.Warnings so a file with a million bad lines
// does not produce a million messages.
const MaxWarnings = 20

// Profile is the call-tree model every hotspot command works on.
type Profile struct {
	Meta        Meta
	SampleTypes []ValueType
	// DefaultType indexes SampleTypes: the value explain and convert use
	// unless told otherwise.
	DefaultType int
	Frames      []Frame
	Nodes       []Node
	Samples     []Sample
	// kids holds every node's children, node by node: Children(n) is a
	// window of it.
	kids []NodeID
	// stacks holds the root-first stacks a Builder in stack-table mode
	// interned (DeferTree), which Sample.stack indexes: readers of every
	// sample's stack get it without walking the tree from the leaf.
	stacks [][]FrameID
	// Graph is set for call-graph recordings (pstats, callgrind): the
	// exact per-function and per-edge costs the samples were derived from
	// (see DeriveStacks). Nil for recordings of stacks.
	Graph *Graph
}

// Children returns node n's children, sorted by frame display name, then
// module, then file, then ID: deterministic. The slice belongs to p.
func (p *Profile) Children(n NodeID) []NodeID {
	start, end := p.Nodes[n].firstKid, int32(len(p.kids))
	if int(n)+1 < len(p.Nodes) {
		end = p.Nodes[n+1].firstKid
	}
	return p.kids[start:end:end]
}

// SampleStack returns s's root-first stack, the same frames as
// Stack(s.Node), when the reader kept the stacks it read (pprof does), and
// false otherwise. s must be one of p's samples (or a copy of one). The
// slice is shared: read it, never modify it.
func (p *Profile) SampleStack(s *Sample) ([]FrameID, bool) {
	if s.stack <= 0 || int(s.stack) > len(p.stacks) {
		return nil, false
	}
	return p.stacks[s.stack-1], true
}

// StackKey returns a small key for s's stack, equal for two of p's
// samples exactly when their stacks are, and the number of keys: the
// index of the stack the reader kept (see SampleStack) among the distinct
// stacks, or else its leaf node among the nodes. Per-stack tables indexed
// by it are then as long as the profile has stacks, not nodes (900k
// rather than 14M for a million-sample pprof file).
func (p *Profile) StackKey(s *Sample) (key, n int) {
	if s.stack > 0 && int(s.stack) <= len(p.stacks) {
		return int(s.stack) - 1, len(p.stacks)
	}
	return int(s.Node), len(p.Nodes)
}

// Stack returns the frames from the root to node n, root first.
func (p *Profile) Stack(n NodeID) []FrameID {
	return p.AppendStack([]FrameID{}, n) // never nil, even for the root
}

// Depth is the number of frames on the path from the root to node n (0
// for the root). It is walked, not stored: 4 bytes a node of a 14M-node
// tree cost more than the walk.
func (p *Profile) Depth(n NodeID) int {
	d := 0
	for ; n != RootNode; n = p.Nodes[n].Parent {
		d++
	}
	return d
}

// AppendStack appends the root-first stack of node n to dst and returns the
// extended slice: loops over many stacks reuse one buffer instead of
// allocating a stack each.
func (p *Profile) AppendStack(dst []FrameID, n NodeID) []FrameID {
	d := p.Depth(n)
	dst = slices.Grow(dst, d)
	out := dst[len(dst) : len(dst)+d]
	for i := d - 1; i >= 0; i-- {
		out[i] = p.Nodes[n].Frame
		n = p.Nodes[n].Parent
	}
	return dst[:len(dst)+d]
}

// Frame returns the frame of node n; the root has none and returns a zero Frame.
func (p *Profile) FrameOf(n NodeID) Frame {
	f := p.Nodes[n].Frame
	if f == NoFrame {
		return Frame{}
	}
	return p.Frames[f]
}

// TypeIndex returns the index of the value type with the given Type name,
// or -1.
func (p *Profile) TypeIndex(name string) int {
	for i, t := range p.SampleTypes {
		if t.Type == name {
			return i
		}
	}
	return -1
}

// Total returns the sum over all samples of value type i.
func (p *Profile) Total(i int) int64 {
	if i < 0 || i >= len(p.SampleTypes) {
		return 0
	}
	var t int64
	for _, s := range p.Samples {
		t += s.Values[i]
	}
	return t
}

// NodeValues returns, for value type i, each node's self cost (samples whose
// leaf it is) and total cost (self plus all descendants), indexed by NodeID.
func (p *Profile) NodeValues(i int) (self, total []int64) {
	self = make([]int64, len(p.Nodes))
	total = make([]int64, len(p.Nodes))
	if i < 0 || i >= len(p.SampleTypes) {
		return self, total
	}
	for _, s := range p.Samples {
		self[s.Node] += s.Values[i]
	}
	copy(total, self)
	// Children always have larger IDs than their parents, so a reverse
	// sweep visits every child before its parent.
	for n := len(p.Nodes) - 1; n > 0; n-- {
		total[p.Nodes[n].Parent] += total[n]
	}
	return self, total
}

// NodeTotals returns, for value type i, each node's total cost (its own
// plus all descendants'), indexed by NodeID: NodeValues without the self
// array, for consumers that only read the self cost of the few nodes
// they keep (SelfOf).
func (p *Profile) NodeTotals(i int) []int64 {
	total := make([]int64, len(p.Nodes))
	if i < 0 || i >= len(p.SampleTypes) {
		return total
	}
	for _, s := range p.Samples {
		total[s.Node] += s.Values[i]
	}
	for n := len(p.Nodes) - 1; n > 0; n-- {
		total[p.Nodes[n].Parent] += total[n]
	}
	return total
}

// SelfOf is node n's self cost from the totals NodeTotals returned: its
// total less its children's.
func (p *Profile) SelfOf(total []int64, n NodeID) int64 {
	v := total[n]
	for _, c := range p.Children(n) {
		v -= total[c]
	}
	return v
}

// SampleCount is the number of input samples merged into the profile.
func (p *Profile) SampleCount() int64 {
	var n int64
	for _, s := range p.Samples {
		n += s.Count
	}
	return n
}

// Attr returns the value of the Meta attribute key, or "".
func (m *Meta) Attr(key string) string {
	for _, a := range m.Attrs {
		if a.Key == key {
			return a.Value
		}
	}
	return ""
}

// Warn records a warning, keeping at most MaxWarnings messages.
func (m *Meta) Warn(msg string) {
	if len(m.Warnings) < MaxWarnings {
		m.Warnings = append(m.Warnings, msg)
	}
}
