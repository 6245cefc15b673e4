package explain

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Per-item calls from a call graph's exact counts (cProfile's pstats): a
// Python function that calls another many times for each call of its own
// is calling it from a loop, once per item. When each such call costs
// little, the calls and the loop around them are the cost, and the fix is
// one call per batch. A sampled profile cannot see this (it has no call
// counts); a call graph states it.
const (
	minPerItemCalls = 1000 // calls on the edge, so a handful of calls is never "per item"
	perItemRatio    = 100  // edge calls per call of the caller: made from a loop
	maxPerCallNS    = 5000 // inclusive cost per call at most this: the call, not its work, is the size
)

// perItemCall is one caller→callee edge called once per item.
type perItemCall struct {
	callee profile.FrameID
	calls  int64
	incl   int64 // the callee's inclusive cost when called from the loop
	native bool  // a builtin or extension function: a Python→native crossing per call
	// nativeIncl is the cost of native calls made once per call of a
	// Python callee (str.strip inside a per-item helper): crossings too.
	nativeIncl int64
}

// perItemLoop is a Python function whose loop makes per-item calls.
type perItemLoop struct {
	caller profile.FrameID
	calls  int64 // calls of the caller itself, or of the native function running it (by)
	// by is the native function that runs the caller once per item (sum
	// over a generator expression, which cProfile counts as a call per
	// item it yields), NoFrame when the caller runs its own loop.
	by    profile.FrameID
	self  int64 // its own cost: the loop around the calls
	items []perItemCall
}

// cost is the loop's own cost plus its per-item calls.
func (l *perItemLoop) cost() int64 {
	v := l.self
	for _, c := range l.items {
		v += c.incl
	}
	return v
}

// nativeShare is the part of the per-item calls' cost spent in native
// calls (direct, or once per call inside a Python callee).
func (l *perItemLoop) native() (native, all int64) {
	for _, c := range l.items {
		all += c.incl
		if c.native {
			native += c.incl
		} else {
			native += c.nativeIncl
		}
	}
	return native, all
}

// perItemLoops finds the loops of per-item calls in the profile's call
// graph, costliest first; nil without a graph, call counts or time units.
func (a *analysis) perItemLoops() []perItemLoop {
	if !a.itemLoopsDone {
		a.itemLoops, a.itemLoopsDone = a.findPerItemLoops(), true
	}
	return a.itemLoops
}

func (a *analysis) findPerItemLoops() []perItemLoop {
	g := a.p.Graph
	ns := a.nsPerUnit()
	if g == nil || ns == 0 || a.p.TypeIndex(profile.CallsType) < 0 || a.p.SampleTypes[a.vi].Type == profile.CallsType {
		return nil
	}
	byCaller := map[profile.FrameID]*perItemLoop{}
	var order []profile.FrameID
	for _, e := range g.Edges {
		if e.Caller == e.Callee || e.Calls < minPerItemCalls || a.cls.info[e.Caller].rt != rtPython {
			continue
		}
		cf := g.Func(e.Caller)
		if cf == nil || a.libraryCode(e.Caller) {
			continue
		}
		calls, by := cf.Calls, iteratedBy(g, a.cls.info, e.Caller)
		if by != profile.NoFrame {
			calls = g.Func(by).Calls
		}
		if e.Calls < perItemRatio*max(calls, 1) {
			continue
		}
		incl := edgeInclusive(g, e, a.vi)
		if incl <= 0 || float64(incl)*ns/float64(e.Calls) > maxPerCallNS {
			continue
		}
		l := byCaller[e.Caller]
		if l == nil {
			l = &perItemLoop{caller: e.Caller, calls: calls, by: by, self: cf.Self[a.vi]}
			byCaller[e.Caller] = l
			order = append(order, e.Caller)
		}
		c := perItemCall{callee: e.Callee, calls: e.Calls, incl: incl, native: a.cls.info[e.Callee].rt != rtPython}
		if !c.native {
			// Native calls the callee makes on every one of its calls.
			if f := g.Func(e.Callee); f != nil {
				for _, ce := range g.Callees(e.Callee) {
					if a.cls.info[ce.Callee].rt != rtPython && ce.Calls*2 >= f.Calls {
						c.nativeIncl += edgeInclusive(g, ce, a.vi) * e.Calls / max(f.Calls, 1)
					}
				}
			}
		}
		l.items = append(l.items, c)
	}
	out := make([]perItemLoop, 0, len(order))
	for _, f := range order {
		l := byCaller[f]
		// A loop whose cheap calls are a small part of its function's
		// time makes them once per batch, not per item: its iterations
		// do heavier work (a deadline check beside one large call per
		// batch is not a per-item crossing).
		if cf := g.Func(f); 2*l.cost() < cf.Inclusive[a.vi] {
			continue
		}
		sort.SliceStable(l.items, func(i, j int) bool { return l.items[i].incl > l.items[j].incl })
		out = append(out, *l)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if ci, cj := out[i].cost(), out[j].cost(); ci != cj {
			return ci > cj
		}
		return a.cls.info[out[i].caller].name < a.cls.info[out[j].caller].name
	})
	return out
}

// libraryCode says whether Python function f is in the standard library
// or an installed package (packageOf): a loop there is the library's own,
// which the program does not write and cannot batch (statistics._sum
// turning each value into a ratio); the program's unit is its call into
// the library.
func (a *analysis) libraryCode(f profile.FrameID) bool {
	_, kind := packageOf(a.cls.info[f].file)
	return kind == pkgStdlib || kind == pkgThirdParty
}

// codeName is a Python function's name, with its file and line where
// CPython names the code rather than the programmer (<genexpr>,
// <listcomp>, <lambda>): a program has many of each.
func (a *analysis) codeName(f profile.FrameID) string {
	name, fr := a.cls.info[f].name, a.p.Frames[f]
	if strings.HasPrefix(name, "<") && fr.File != "" && fr.Line > 0 {
		return fmt.Sprintf("%s at %s:%d", name, path.Base(fr.File), fr.Line)
	}
	return name
}

// iteratedBy is the native function that runs Python function f once
// per item, or NoFrame: f's calls come mostly (by count) from one native
// caller called at least perItemRatio times less often. A generator
// expression consumed by sum, list or any is resumed once per item it
// yields, and cProfile counts each resumption as a call; the loop is in
// the consumer, which runs once per batch.
func iteratedBy(g *profile.Graph, info []frameInfo, f profile.FrameID) profile.FrameID {
	ff := g.Func(f)
	if ff == nil {
		return profile.NoFrame
	}
	best := profile.NoFrame
	var most int64
	for _, e := range g.Callers(f) {
		if e.Calls > most {
			best, most = e.Caller, e.Calls
		}
	}
	if best == profile.NoFrame || most*2 < ff.Calls || info[best].rt == rtPython {
		return profile.NoFrame
	}
	if bf := g.Func(best); bf == nil || bf.Calls*perItemRatio > ff.Calls {
		return profile.NoFrame
	}
	return best
}

// detectPerItemCalls turns per-item loops into findings: batch-ffi-calls
// where most of the per-item cost is native calls (builtins, extension
// methods: a crossing per item), the hot-loop finding otherwise (Python
// calls per item: the call overhead and the loop are the cost).
func detectPerItemCalls(a *analysis, ev *evidence) []candidate {
	loops := a.perItemLoops()
	if len(loops) == 0 {
		return nil
	}
	ns := a.nsPerUnit()
	var batch, python []perItemLoop
	for _, l := range loops {
		if a.activeShare(l.cost()) < 0.02 {
			continue
		}
		if nat, all := l.native(); nat*2 >= all {
			batch = append(batch, l)
		} else {
			python = append(python, l)
		}
	}
	var out []candidate
	if c, ok := a.perItemCandidate(batch, ns, "batch-ffi-calls", CatFFI, "pyo3-crossing",
		"One call per batch instead of per item (removing the per-call crossings and the Python loop around them)"); ok {
		out = append(out, c)
	}
	if c, ok := a.perItemCandidate(python, ns, "move-hot-loop-native", CatPython, "python-call",
		"Moving the per-item loop and the calls it makes into one batch call"); ok {
		out = append(out, c)
	}
	return out
}

// perItemCandidate words the loops' evidence from the exact call counts
// and claims the loops' own cost and everything under their per-item
// calls.
func (a *analysis) perItemCandidate(loops []perItemLoop, ns float64, hint string, cat Category, unit, what string) (candidate, bool) {
	if len(loops) == 0 {
		return candidate{}, false
	}
	var v int64
	var parts []string
	var callers, named, entries, callees []string
	for i, l := range loops {
		v += l.cost()
		if i >= 3 {
			continue
		}
		// The sentences name generated code by file and line (a program
		// has many <genexpr>); the frames are matched by their name.
		callers = append(callers, a.codeName(l.caller))
		named = appendNew(named, a.cls.info[l.caller].name)
		s := fmt.Sprintf("%s (called %s) calls ", a.codeName(l.caller), timesWord(l.calls))
		if l.by != profile.NoFrame {
			s = fmt.Sprintf("%s (run by %s, called %s) calls ", a.codeName(l.caller), a.cls.info[l.by].name, timesWord(l.calls))
		}
		for j, c := range l.items {
			if j >= 3 {
				s += fmt.Sprintf(" and %d more", len(l.items)-3)
				break
			}
			if j > 0 {
				s += ", "
			}
			name := a.cls.info[c.callee].name
			if !slices.Contains(callees, name) {
				callees = append(callees, name)
			}
			if c.native && len(entries) < 3 && !slices.Contains(entries, name) {
				entries = append(entries, name)
			}
			s += fmt.Sprintf("%s %s times, %s each", name, thousands(c.calls), fmtNS(float64(c.incl)*ns/float64(c.calls)))
			if !c.native && c.nativeIncl > 0 {
				s += fmt.Sprintf(" (%s of it in native calls it makes on every call)", fmtNS(float64(c.nativeIncl)*ns/float64(c.calls)))
			}
		}
		s += fmt.Sprintf("; its own time, the loop around those calls, is %s", a.fmtValue(l.self))
		parts = append(parts, s)
	}
	e := fmt.Sprintf("The call counts show calls made once per item from a loop: %s. Loops and per-item calls together are %s",
		joinClauses(parts), a.about(v))
	e += "; each call costs about what a call costs, not what its work costs, so one call per batch removes most of it"
	if a.p.Meta.Format == "pstats" {
		e += fmt.Sprintf(" (%s's own bookkeeping is in every call it records, so the per-call costs here are upper bounds)", a.p.Meta.Producer)
	}
	inLoop := a.perItemNodes(loops)
	claim := func(k int) bool { return inLoop[a.p.Samples[a.samples[k]].Node] }
	fns := append(append([]string{}, named...), entries...)
	if hint != "batch-ffi-calls" {
		fns = append(append([]string{}, named...), callees...)
	}
	// Per-item calls into CPython's own C functions: nothing can be added
	// beside them, so the batch is another operation (stdlib-callee).
	variant := ""
	if hint == "batch-ffi-calls" && len(entries) > 0 && !slices.ContainsFunc(entries, func(n string) bool { return !stdlibBuiltin(n) }) {
		variant = "stdlib-callee"
	}
	return candidate{hint: hint, variant: variant, cat: cat, value: v, unit: unit, what: what, evidence: e + ".",
		functions: fns, callers: callers, entries: entries, claim: whole(claim)}, true
}

// perItemNodes marks the nodes whose samples the loops account for: the
// callers' own (self) samples and everything under a per-item edge.
// Computed once per node, parents before children.
func (a *analysis) perItemNodes(loops []perItemLoop) []bool {
	type edge struct{ caller, callee profile.FrameID }
	isCaller := map[profile.FrameID]bool{}
	isEdge := map[edge]bool{}
	for _, l := range loops {
		isCaller[l.caller] = true
		for _, c := range l.items {
			isEdge[edge{l.caller, c.callee}] = true
		}
	}
	nodes := a.p.Nodes
	under := make([]bool, len(nodes))
	mark := make([]bool, len(nodes))
	for n := 1; n < len(nodes); n++ {
		nd := &nodes[n]
		pf := nodes[nd.Parent].Frame
		under[n] = under[nd.Parent] || (pf != profile.NoFrame && isEdge[edge{pf, nd.Frame}])
		mark[n] = under[n] || isCaller[nd.Frame]
	}
	return mark
}

// timesWord says how often a function was called: "once", "2 times".
func timesWord(n int64) string {
	if n == 1 {
		return "once"
	}
	return thousands(n) + " times"
}

// joinClauses joins clauses that hold commas with semicolons.
func joinClauses(cs []string) string { return strings.Join(cs, "; ") }

// isPerItemCaller says whether a function's loop makes per-item calls
// that detectPerItemCalls reports.
func (a *analysis) isPerItemCaller(name string) bool {
	for _, l := range a.perItemLoops() {
		if a.activeShare(l.cost()) >= 0.02 && a.cls.info[l.caller].name == name {
			return true
		}
	}
	return false
}

// edgeInclusive is the callee's inclusive cost when called from the edge's
// caller. Python's pure-Python profiler records only call counts per
// caller: there the callee's inclusive cost is split by calls (exact when
// it has one caller).
func edgeInclusive(g *profile.Graph, e profile.GraphEdge, vi int) int64 {
	if v := e.Inclusive[vi]; v > 0 {
		return v
	}
	f := g.Func(e.Callee)
	if f == nil || f.Calls <= 0 {
		return 0
	}
	return f.Inclusive[vi] * min(e.Calls, f.Calls) / f.Calls
}

// graphContextCost is, for a call-graph profile, the largest inclusive
// cost of a function that a context rule of category c matches (the
// outermost import function holds all the imports below it, counted
// once; functions on a call cycle are left out, their inclusive costs
// count the cycle again), with its name; 0 and "" without a graph or such a function.
func (a *analysis) graphContextCost(c Category) (int64, string) {
	g := a.p.Graph
	if g == nil {
		return 0, ""
	}
	var best int64
	name := ""
	cyc := g.InCycle()
	for i, f := range g.Funcs {
		if cyc[i] {
			continue // its inclusive cost counts the cycle again
		}
		match := false
		for _, j := range a.cls.ctx[f.Frame] {
			if a.cls.rules[j].Cat == c {
				match = true
				break
			}
		}
		if match && (f.Inclusive[a.vi] > best || name == "") {
			best, name = f.Inclusive[a.vi], a.cls.info[f.Frame].name
		}
	}
	return best, name
}
