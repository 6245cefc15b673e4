package explain

import (
	"sort"

	"github.com/hotspot-dev/hotspot/profile"
)

// funcKey identifies a function across the tree: the same function reached
// by different paths is one hotspot.
type funcKey struct{ name, file string }

// funcStats is one function's aggregated cost over the active samples.
type funcStats struct {
	key   funcKey
	kind  string
	self  int64
	total int64
	cats  [len(catOrder)]int64 // self by category
	line  int64                // the line with the most self cost, 0 if unknown
}

// functions aggregates self and total cost per function over the active
// (non-idle) samples. Self time of CPython helpers under a named Python
// function counts as that function's: it is the cost of running it.
func (a *analysis) functions() []*funcStats {
	if a.fns == nil {
		a.fns = a.computeFunctions()
	}
	return a.fns
}

func (a *analysis) computeFunctions() []*funcStats {
	p := a.p
	idx := map[funcKey]int{}
	var fs []*funcStats
	frameFn := make([]int, len(p.Frames))
	for i := range frameFn {
		frameFn[i] = -1
	}
	fnOf := func(f profile.FrameID) int {
		if frameFn[f] >= 0 {
			return frameFn[f]
		}
		fi := &a.cls.info[f]
		k := funcKey{name: fi.name, file: fi.file}
		if fi.rt != rtPython && k.file == "" {
			k.file = fi.module
		}
		j, ok := idx[k]
		if !ok {
			j = len(fs)
			idx[k] = j
			fs = append(fs, &funcStats{key: k, kind: kindName(fi.rt)})
		}
		frameFn[f] = j
		return j
	}
	seen := []int{}
	stamp := 0
	frameSelf := make([]int64, len(p.Frames)) // to find each function's hottest line
	sampleFn := make([]int, len(a.samples))
	var buf []profile.FrameID
	for k := range a.samples {
		sampleFn[k] = -1
		cl := a.class[k]
		if cl.Cat == CatIdle {
			continue
		}
		v := a.val[k]
		buf = a.stackOf(k, buf)
		stack := buf
		if len(stack) == 0 {
			continue
		}
		leaf := a.effectiveLeaf(stack, cl)
		lf := fnOf(stack[leaf])
		sampleFn[k] = lf
		fs[lf].self += v
		frameSelf[stack[leaf]] += v
		fs[lf].cats[catIndex(cl.Cat)] += v
		stamp++
		for _, f := range stack {
			j := fnOf(f)
			for len(seen) < len(fs) {
				seen = append(seen, 0)
			}
			if seen[j] == stamp {
				continue
			}
			seen[j] = stamp
			fs[j].total += v
		}
	}
	a.sampleFn = make([]*funcStats, len(a.samples))
	for k, j := range sampleFn {
		if j >= 0 {
			a.sampleFn[k] = fs[j]
		}
	}
	best := make([]int64, len(fs))
	for f, v := range frameSelf {
		j, line := frameFn[f], p.Frames[f].Line
		if j < 0 || line <= 0 || v == 0 {
			continue
		}
		if v > best[j] || (v == best[j] && line < fs[j].line) {
			best[j], fs[j].line = v, line
		}
	}
	sort.SliceStable(fs, func(i, j int) bool {
		x, y := fs[i], fs[j]
		if x.self != y.self {
			return x.self > y.self
		}
		if x.total != y.total {
			return x.total > y.total
		}
		if x.key.name != y.key.name {
			return x.key.name < y.key.name
		}
		return x.key.file < y.key.file
	})
	return fs
}

func kindName(rt runtime) string {
	switch rt {
	case rtPython:
		return "python"
	case rtCPython:
		return "interpreter"
	case rtKernel:
		return "kernel"
	case rtUnknown:
		return "unknown"
	}
	return "native"
}

// mainCat is the category most of a function's self cost went to.
func (f *funcStats) mainCat() Category {
	best := 0
	for i, v := range f.cats {
		if v > f.cats[best] {
			best = i
		}
	}
	return catOrder[best]
}

// hotspots lists the top functions by self cost, shares of the active total.
func (a *analysis) hotspots(top int) []Hotspot {
	fs := a.functions()
	out := []Hotspot{}
	for _, f := range fs {
		if len(out) >= top || f.self == 0 {
			break
		}
		out = append(out, Hotspot{
			Function: f.key.name, File: f.key.file, Kind: f.kind,
			Self: f.self, SelfShare: a.activeShare(f.self),
			Total: f.total, TotalShare: a.activeShare(f.total),
			Category: string(f.mainCat()), Line: f.line,
		})
	}
	return out
}

// effectiveLeaf is the index of the frame a sample's self cost is charged
// to. Off-CPU stacks all end in the scheduler and the wait primitives, so
// the user-space code that blocked is named instead. CPython's own C under
// a Python function (eval loop, attribute lookup, object allocation) is the
// cost of running that function and is charged to it, except for waits,
// I/O and collection, whose CPython names say more.
func (a *analysis) effectiveLeaf(stack []profile.FrameID, cl *Class) int {
	leaf := len(stack) - 1
	if a.recording == RecMemory {
		// Every memory-profile stack ends in the allocator: name the code
		// that asked for the memory.
		if j := a.allocSiteIndex(stack); j >= 0 {
			return j
		}
		return leaf
	}
	if a.recording == RecOffCPU {
		for j := leaf; j > 0; j-- {
			fi := &a.cls.info[stack[j]]
			if fi.rt != rtKernel && fi.rt != rtLibc && fi.rt != rtUnknown && !a.cls.wait[stack[j]] {
				leaf = j
				break
			}
		}
	}
	switch cl.Cat {
	case CatGIL, CatLock, CatIO, CatIdle, CatGC:
		return leaf
	}
	if fi := &a.cls.info[stack[leaf]]; fi.rt != rtCPython && fi.rt != rtLibc && fi.rt != rtUnknown && !a.cls.cpythonAt(stack, leaf) {
		return leaf
	}
	for j := leaf - 1; j >= 0; j-- {
		fi := &a.cls.info[stack[j]]
		switch {
		case fi.rt == rtPython:
			return j
		case fi.rt == rtCPython, fi.rt == rtLibc, fi.rt == rtKernel, fi.rt == rtUnknown, a.cls.cpythonAt(stack, j):
			continue
		}
		break
	}
	return leaf
}
