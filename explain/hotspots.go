package explain

import (
	"cmp"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"slices"
	"strings"

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
	// pySelf and allocSelf are the self cost in the python and alloc
	// categories, which findings weigh for every Python function. The
	// other categories are summed only for the hotspots' rows (mainCats):
	// a full row per function cost 120 bytes each, 6 MB on a profile of
	// 50k functions.
	pySelf, allocSelf int64
	line              int64 // the line with the most self cost, 0 if unknown
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
	// Frames the classifier found the same but for a line or address
	// are one function: the others are at most one per frame the
	// classifier kept, which sizes the tables once instead of growing
	// them (on 50k functions the growth was 10 MB of garbage).
	reps := 0
	for f, s := range a.cls.same {
		if s == profile.FrameID(f) {
			reps++
		}
	}
	idx := make(map[funcKey]int, reps)
	fs := make([]*funcStats, 0, reps)
	// The structs come in blocks: one allocation, not one per function.
	var block []funcStats
	// seen, self and total are per function, in slices rather than in
	// fs's structs: the walk touches them once per frame of every stack.
	seen := make([]int32, 0, reps)
	self, total := make([]int64, 0, reps), make([]int64, 0, reps)
	frameFn := make([]int, len(p.Frames))
	for i := range frameFn {
		frameFn[i] = -1
	}
	fnOf := func(f profile.FrameID) int {
		if frameFn[f] >= 0 {
			return frameFn[f]
		}
		// A frame the classifier found the same as an earlier one (but
		// for its line or address) is the same function.
		if s := a.cls.same[f]; s != f && frameFn[s] >= 0 {
			frameFn[f] = frameFn[s]
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
			if len(block) == cap(block) {
				block = make([]funcStats, 0, min(max(reps-len(fs), 1), 4096))
			}
			block = append(block, funcStats{key: k, kind: kindName(fi.rt)})
			fs = append(fs, &block[len(block)-1])
			seen, self, total = append(seen, 0), append(self, 0), append(total, 0)
		}
		frameFn[f] = j
		return j
	}
	var stamp int32
	// frameSelf finds each function's hottest line, where frames have
	// lines.
	var frameSelf []int64
	if slices.ContainsFunc(p.Frames, func(f profile.Frame) bool { return f.Line > 0 }) {
		frameSelf = make([]int64, len(p.Frames))
	}
	sampleFn := bigmem.Written[int](len(a.samples))
	leafAt := bigmem.Written[int32](len(a.samples))
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
		leafAt[k] = int32(leaf)
		lf := fnOf(stack[leaf])
		sampleFn[k] = lf
		self[lf] += v
		if frameSelf != nil {
			frameSelf[stack[leaf]] += v
		}
		switch cl.Cat {
		case CatPython:
			fs[lf].pySelf += v
		case CatAlloc:
			fs[lf].allocSelf += v
		}
		stamp++
		for _, f := range stack {
			j := frameFn[f]
			if j < 0 {
				j = fnOf(f)
			}
			if seen[j] == stamp {
				continue
			}
			seen[j] = stamp
			total[j] += v
		}
	}
	for j, v := range total {
		fs[j].self, fs[j].total = self[j], v
	}
	a.leafAt = leafAt
	a.sampleFn = bigmem.Written[*funcStats](len(a.samples))
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
	// Functions are distinct by name and file, so the order is total.
	slices.SortFunc(fs, func(x, y *funcStats) int {
		if x.self != y.self {
			return cmp.Compare(y.self, x.self)
		}
		if x.total != y.total {
			return cmp.Compare(y.total, x.total)
		}
		if x.key.name != y.key.name {
			return strings.Compare(x.key.name, y.key.name)
		}
		return strings.Compare(x.key.file, y.key.file)
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

// mainCats returns the category most of each function's self cost went
// to (the first in catOrder on a tie), for the few functions of fs, in one
// pass over the samples computeFunctions charged to them.
func (a *analysis) mainCats(fs []*funcStats) []Category {
	row := make(map[*funcStats]int, len(fs))
	for i, f := range fs {
		row[f] = i
	}
	cats := make([][len(catOrder)]int64, len(fs))
	for k, f := range a.sampleFn {
		if f == nil {
			continue
		}
		if i, ok := row[f]; ok {
			cats[i][catIndex(a.class[k].Cat)] += a.val[k]
		}
	}
	out := make([]Category, len(fs))
	for i := range cats {
		best := 0
		for j, v := range cats[i] {
			if v > cats[i][best] {
				best = j
			}
		}
		out[i] = catOrder[best]
	}
	return out
}

// hotspots lists the top functions by self cost, shares of the active total.
func (a *analysis) hotspots(top int) []Hotspot {
	fs := a.functions()
	n := 0
	for n < len(fs) && n < top && fs[n].self != 0 {
		n++
	}
	cats := a.mainCats(fs[:n])
	out := []Hotspot{}
	for i, f := range fs[:n] {
		out = append(out, Hotspot{
			Function: f.key.name, File: f.key.file, Kind: f.kind,
			Self: f.self, SelfShare: a.activeShare(f.self),
			Total: f.total, TotalShare: a.activeShare(f.total),
			Category: string(cats[i]), Line: f.line,
		})
	}
	return out
}

// leafOf is effectiveLeaf of kept sample k, whose stack is stack, which
// computeFunctions works out once for every active sample with a stack.
func (a *analysis) leafOf(k int, stack []profile.FrameID) int {
	if a.leafAt != nil {
		return int(a.leafAt[k])
	}
	return a.effectiveLeaf(stack, a.class[k])
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
		// Only the runtime's own C above (CPython without Python
		// frames): the code that asked, not the allocator it asked.
		if j := a.askerIndex(stack); j >= 0 {
			return j
		}
		return leaf
	}
	rts := a.cls.rt
	if a.recording == RecOffCPU {
		// Where frame-pointer unwinding stopped in libc, no frame above
		// the wait names its caller: the innermost user-space frame (the
		// futex wait, the semaphore post) still says more than the
		// scheduler every switch ends in.
		user := -1
		for j := leaf; j >= 0; j-- {
			rt := rts[stack[j]]
			if user < 0 && rt != rtKernel && rt != rtUnknown && !a.cls.info[stack[j]].pseudo {
				user = j
			}
			if j > 0 && rt != rtKernel && rt != rtLibc && rt != rtUnknown && !a.cls.wait[stack[j]] {
				user = j
				break
			}
		}
		if user >= 0 {
			leaf = user
		}
	}
	if a.recording != RecOffCPU && rts[stack[leaf]] == rtKernel {
		// A fault or an interrupt taken in user code (a page fault on
		// first touch, a timer interrupt landing in the hypervisor's
		// irq_enable) is the cost of the code that took it.
		for j := leaf; j > 0 && rts[stack[j]] == rtKernel; j-- {
			if a.cls.info[stack[j]].is(factTrapEntry) {
				if up := &a.cls.info[stack[j-1]]; up.rt != rtKernel && up.rt != rtUnknown && !up.pseudo {
					leaf = j - 1
				}
				break
			}
		}
	}
	switch cl.Cat {
	case CatGIL, CatLock, CatIO, CatIdle, CatGC:
		return leaf
	}
	if rt := rts[stack[leaf]]; rt != rtCPython && rt != rtLibc && rt != rtUnknown && !a.cls.cpythonAt(stack, leaf) {
		return leaf
	}
	for j := leaf - 1; j >= 0; j-- {
		switch rt := rts[stack[j]]; {
		case rt == rtPython:
			return j
		case rt == rtCPython, rt == rtLibc, rt == rtKernel, rt == rtUnknown, a.cls.cpythonAt(stack, j):
			continue
		}
		break
	}
	return leaf
}
