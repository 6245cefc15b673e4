package profile

import (
	"fmt"
	"math/bits"
	"sort"
)

// DeriveNote is the approximation every profile whose stacks were derived
// from a call graph carries in Meta.Approximations.
const DeriveNote = "stacks derived from a call graph, not recorded: the file has one caller level only, so a function's cost is split across its callers in proportion to each caller edge's inclusive cost (call counts across callers in proportion to each edge's calls), recursively up to functions without callers; deeper context is an estimate, while each function's self and inclusive cost and each edge's calls are exact"

// derivedMaxDepth bounds a derived stack: a call graph with long caller
// chains would otherwise give stacks deeper than any recorded one.
const derivedMaxDepth = 512

// derivedSteps bounds the work of one derivation (caller steps, shared
// out per function): a graph's paths multiply with its depth (every
// function calling every other is a graph of n! paths). Past its share a
// function's remaining costs follow their heaviest callers only, and past
// four times its share its stacks stop where the walk is.
const derivedSteps = 1 << 20

// cycleNote is added when the graph has call cycles (%d: their functions).
const cycleNote = "%d functions lie on call cycles (mutual recursion, such as an interpreter calling itself through C): inclusive costs through a cycle count its cost again in each member, so derived stacks through them overstate those callers; self costs stay exact"

// truncatedNote is added when some function ran out of steps.
const truncatedNote = "some derived stacks stop below their outermost caller: the call graph has more paths than the derivation walks (a bounded number of caller steps per function)"

// DeriveStacks adds to b, for every function of g, root-first stacks ending
// in it whose values sum to the function's Self: the function's cost is
// split across its callers in proportion to the caller edges' Inclusive
// value of type weight (and the CallsType value, if any, in proportion to
// the edges' Calls), then each share across its caller's callers, up to a
// function that has no callers or whose callers are all already on the
// stack (recursion is cut there). Shares are integers split by largest
// remainder, so totals are exact. A share below a ten-thousandth of the
// total (what no flame graph draws) follows its heaviest caller only, and
// each function's stacks take a bounded number of caller steps. It records DeriveNote in b's Meta and
// attaches g to the profile.
func DeriveStacks(b *Builder, g *Graph, weight int) error {
	nt := len(b.p.SampleTypes)
	if weight < 0 || weight >= nt {
		return fmt.Errorf("%s: derive stacks: weight type %d out of range", b.file, weight)
	}
	calls := -1
	for i, t := range b.p.SampleTypes {
		if t.Type == CallsType {
			calls = i
		}
	}
	var total int64
	for _, f := range g.Funcs {
		total += f.Self[weight]
	}
	d := &deriver{b: b, g: g, nt: nt, minShare: total / 10_000,
		maxDepth: min(derivedMaxDepth, b.limits.MaxStackDepth), onChain: map[FrameID]bool{},
		perFunc: max(4*derivedMaxDepth, derivedSteps/max(len(g.Funcs), 1))}
	for pass := 0; pass < 2; pass++ {
		d.calls = pass == 1
		if d.calls && calls < 0 {
			break
		}
		d.lead = weight
		if d.calls {
			d.lead = calls
		}
		for _, f := range g.Funcs {
			vals := make([]int64, nt)
			any := false
			for j := range vals {
				if (j == calls) == d.calls {
					vals[j] = f.Self[j]
					any = any || vals[j] != 0
				}
			}
			if !any {
				continue
			}
			d.steps = 0
			d.chain = append(d.chain[:0], f.Frame)
			d.onChain[f.Frame] = true
			err := d.walk(vals)
			delete(d.onChain, f.Frame)
			if err != nil {
				return err
			}
		}
	}
	b.p.Meta.Approximations = append(b.p.Meta.Approximations, DeriveNote)
	if d.truncated {
		b.p.Meta.Approximations = append(b.p.Meta.Approximations, truncatedNote)
	}
	if c := g.CycleFuncs(); c > 0 {
		b.p.Meta.Approximations = append(b.p.Meta.Approximations, fmt.Sprintf(cycleNote, c))
	}
	b.p.Graph = g
	return nil
}

type deriver struct {
	b         *Builder
	g         *Graph
	nt        int
	lead      int  // the value type whose size decides whether to split
	calls     bool // this pass splits call counts by edge calls
	minShare  int64
	maxDepth  int
	perFunc   int // caller steps each function's stacks may split in; four times that in all
	steps     int // taken so far by the current function
	truncated bool
	chain     []FrameID // leaf first
	onChain   map[FrameID]bool
	stack     []FrameID
}

// walk distributes vals, the cost of the stack d.chain, over the callers of
// the chain's outermost function.
func (d *deriver) walk(vals []int64) error {
	top := d.chain[len(d.chain)-1]
	var edges []GraphEdge
	d.steps++
	if d.steps > 4*d.perFunc {
		d.truncated = true
	} else if len(d.chain) < d.maxDepth {
		for _, e := range d.g.Callers(top) {
			if !d.onChain[e.Caller] {
				edges = append(edges, e)
			}
		}
	}
	if len(edges) == 0 {
		return d.emit(vals)
	}
	w := make([]uint64, len(edges)+1)
	var sum uint64
	for i, e := range edges {
		w[i] = d.weight(e)
		sum += w[i]
	}
	if sum == 0 {
		// No edge carries weight (zero-time calls): fall back to calls,
		// then to equal shares.
		for i, e := range edges {
			w[i] = uint64(max(e.Calls, 0))
			sum += w[i]
		}
		if sum == 0 {
			for i := range edges {
				w[i] = 1
			}
			sum = uint64(len(edges))
		}
	} else {
		// The last bucket is the cost no caller edge accounts for (the
		// profiler's own call of the root, a signal handler): it stays
		// with stacks that start here.
		w[len(edges)] = d.uncalled(top)
	}
	sum = fitSum(w)
	if len(edges) == 1 && w[1] == 0 || vals[d.lead] < d.minShare || d.steps > d.perFunc {
		best := 0
		for i := range w {
			if w[i] > w[best] {
				best = i
			}
		}
		if best == len(edges) {
			return d.emit(vals)
		}
		return d.up(edges[best].Caller, vals)
	}
	shares := splitShares(vals, w, sum)
	if !zeroShare(shares[len(edges)]) {
		if err := d.emit(shares[len(edges)]); err != nil {
			return err
		}
	}
	for i, e := range edges {
		if zeroShare(shares[i]) {
			continue
		}
		if err := d.up(e.Caller, shares[i]); err != nil {
			return err
		}
	}
	return nil
}

// fitSum returns the sum of w, halving every weight until it fits 64 bits
// (only hostile inputs have weights that large).
func fitSum(w []uint64) uint64 {
	for {
		var sum uint64
		ok := true
		for _, x := range w {
			if sum+x < sum {
				ok = false
				break
			}
			sum += x
		}
		if ok {
			return sum
		}
		for i := range w {
			w[i] >>= 1
		}
	}
}

func zeroShare(v []int64) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}

// weight is an edge's weight in this pass.
func (d *deriver) weight(e GraphEdge) uint64 {
	if d.calls {
		return uint64(max(e.Calls, 0))
	}
	return uint64(max(e.Inclusive[d.lead], 0))
}

// uncalled is the part of f's inclusive cost (or calls) that its caller
// edges do not account for, self-edges aside (their cost is f's again).
func (d *deriver) uncalled(f FrameID) uint64 {
	fn := d.g.Func(f)
	if fn == nil {
		return 0
	}
	own := fn.Inclusive[d.lead]
	if d.calls {
		own = fn.Calls
	}
	var in int64
	for _, e := range d.g.Callers(f) {
		if e.Caller != f {
			in += int64(d.weight(e))
		}
	}
	return uint64(max(own-in, 0))
}

func (d *deriver) up(caller FrameID, vals []int64) error {
	d.chain = append(d.chain, caller)
	d.onChain[caller] = true
	err := d.walk(vals)
	delete(d.onChain, caller)
	d.chain = d.chain[:len(d.chain)-1]
	return err
}

func (d *deriver) emit(vals []int64) error {
	d.stack = d.stack[:0]
	for i := len(d.chain) - 1; i >= 0; i-- {
		d.stack = append(d.stack, d.chain[i])
	}
	return d.b.Add(d.stack, Labels{}, 0, vals...)
}

// splitShares splits each value in proportion to w (summing to sum), by
// largest remainder so that the shares of each value add up to it.
func splitShares(vals []int64, w []uint64, sum uint64) [][]int64 {
	out := make([][]int64, len(w))
	for i := range out {
		out[i] = make([]int64, len(vals))
	}
	rem := make([]uint64, len(w))
	order := make([]int, len(w))
	for j, v := range vals {
		if v <= 0 {
			continue
		}
		left := v
		for i := range w {
			hi, lo := bits.Mul64(uint64(v), w[i])
			q, r := bits.Div64(hi, lo, sum)
			out[i][j] = int64(q)
			rem[i] = r
			left -= int64(q)
			order[i] = i
		}
		sort.SliceStable(order, func(a, b int) bool { return rem[order[a]] > rem[order[b]] })
		for k := 0; left > 0; k++ {
			out[order[k]][j]++
			left--
		}
	}
	return out
}
