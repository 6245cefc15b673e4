package profile

import (
	"fmt"
	"sort"
)

// Graph is what a call-graph profiler recorded (cProfile's pstats,
// callgrind): each function's own and inclusive cost, and each
// caller→callee edge with its call count and the callee's inclusive cost
// when called from that caller. It has no stacks: one caller level is all
// it knows. A Profile read from such a file carries its Graph exactly as
// recorded, and samples derived from it by DeriveStacks (an approximation,
// which Meta.Approximations states); consumers that can use the graph
// (explain's self costs, per-call costs) should read it, not the samples.
//
// Values are indexed like Profile.SampleTypes. The value type named
// CallsType, where present, holds exact call counts: a function's Self and
// Inclusive are its number of calls, an edge's Inclusive its Calls.
type Graph struct {
	Funcs []GraphFunc // sorted by Frame, one per function
	Edges []GraphEdge // sorted by Callee, then Caller; at most one per pair
}

// CallsType is the name of the value type that holds exact call counts.
const CallsType = "calls"

// GraphFunc is one function of a call graph.
type GraphFunc struct {
	Frame FrameID
	// Self is the cost spent in the function's own code; summed over all
	// functions it is the profile's total.
	Self []int64
	// Inclusive is self plus everything called from it, as the profiler
	// computed it (recursion counted once where the profiler did so).
	Inclusive []int64
	// Calls counts all calls of the function; PrimitiveCalls those not
	// made from inside itself (cProfile's cc; equal to Calls where the
	// profiler does not tell them apart).
	Calls, PrimitiveCalls int64
}

// GraphEdge is one caller→callee pair.
type GraphEdge struct {
	Caller, Callee FrameID
	Calls          int64
	// Inclusive is the callee's inclusive cost when called from Caller.
	Inclusive []int64
}

// Func returns the graph's entry for frame f, or nil.
func (g *Graph) Func(f FrameID) *GraphFunc {
	i := sort.Search(len(g.Funcs), func(i int) bool { return g.Funcs[i].Frame >= f })
	if i < len(g.Funcs) && g.Funcs[i].Frame == f {
		return &g.Funcs[i]
	}
	return nil
}

// Callers returns the edges into frame f, sorted by caller.
func (g *Graph) Callers(f FrameID) []GraphEdge {
	lo := sort.Search(len(g.Edges), func(i int) bool { return g.Edges[i].Callee >= f })
	hi := lo
	for hi < len(g.Edges) && g.Edges[hi].Callee == f {
		hi++
	}
	return g.Edges[lo:hi]
}

// Callees returns the edges out of frame f, sorted by callee. It scans
// every edge: call it per function of interest, not in a loop over all.
func (g *Graph) Callees(f FrameID) []GraphEdge {
	var out []GraphEdge
	for _, e := range g.Edges {
		if e.Caller == f {
			out = append(out, e)
		}
	}
	return out
}

// Sort puts functions and edges in the order Graph documents.
func (g *Graph) Sort() {
	sort.Slice(g.Funcs, func(i, j int) bool { return g.Funcs[i].Frame < g.Funcs[j].Frame })
	sort.Slice(g.Edges, func(i, j int) bool {
		a, b := &g.Edges[i], &g.Edges[j]
		if a.Callee != b.Callee {
			return a.Callee < b.Callee
		}
		return a.Caller < b.Caller
	})
}

// validate checks that the graph fits the profile it is attached to.
func (g *Graph) validate(p *Profile) error {
	nt := len(p.SampleTypes)
	for i, f := range g.Funcs {
		if f.Frame < 0 || int(f.Frame) >= len(p.Frames) {
			return fmt.Errorf("graph function %d: frame %d out of range", i, f.Frame)
		}
		if i > 0 && g.Funcs[i-1].Frame >= f.Frame {
			return fmt.Errorf("graph function %d: frames not sorted and distinct", i)
		}
		if len(f.Self) != nt || len(f.Inclusive) != nt {
			return fmt.Errorf("graph function %d: want %d values", i, nt)
		}
		if f.Calls < 0 || f.PrimitiveCalls < 0 {
			return fmt.Errorf("graph function %d: negative call count", i)
		}
	}
	for i, e := range g.Edges {
		if g.Func(e.Caller) == nil || g.Func(e.Callee) == nil {
			return fmt.Errorf("graph edge %d: %d->%d names a function the graph lacks", i, e.Caller, e.Callee)
		}
		if len(e.Inclusive) != nt {
			return fmt.Errorf("graph edge %d: want %d values", i, nt)
		}
		if e.Calls < 0 {
			return fmt.Errorf("graph edge %d: negative call count", i)
		}
		if i > 0 {
			if a := g.Edges[i-1]; a.Callee > e.Callee || (a.Callee == e.Callee && a.Caller >= e.Caller) {
				return fmt.Errorf("graph edge %d: edges not sorted and distinct", i)
			}
		}
	}
	return nil
}
