package explain

import (
	"fmt"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// Allocation churn from a memory profiler that tracks frees (heaptrack):
// a temporary allocation is one freed right after it was made, with no
// other allocation in between. Many of them from one site are a buffer
// made and dropped per item, which a reused buffer or a stack array
// removes, whatever the program's rate of allocation.
const (
	minTemporaries     = 1000 // temporaries at least this many, so a handful is never churn
	minTemporaryShare  = 0.10 // and at least this share of all allocations
	temporaryTypeName  = "temporary_allocations"
	allocationTypeName = "allocations"
	leakedTypeName     = "leaked_space"
)

// temporaries is reduce-allocations from the temporary-allocation counts,
// or false when the profile has none (or too few to matter).
func (a *analysis) temporaries(ev *evidence) (candidate, bool) {
	ti, ai := a.p.TypeIndex(temporaryTypeName), a.p.TypeIndex(allocationTypeName)
	if ti < 0 || ai < 0 {
		return candidate{}, false
	}
	var temps, allocs int64
	bySite, allocBySite := tally{}, tally{}
	for k, i := range a.samples {
		s := &a.p.Samples[i]
		temps += s.Values[ti]
		allocs += s.Values[ai]
		site := ev.site(k)
		if site == "" {
			// Only the runtime's own code above (CPython's C without
			// Python frames): name the code that asked, not the
			// allocator it asked.
			site = a.allocCallerName(k)
		}
		if s.Values[ti] > 0 {
			bySite[site] += s.Values[ti]
		}
		allocBySite[site] += s.Values[ai]
	}
	if temps < minTemporaries || share(temps, allocs) < minTemporaryShare {
		return candidate{}, false
	}
	top := bySite.top(3)
	var parts []string
	for _, t := range top {
		parts = append(parts, fmt.Sprintf("%s %s of its %s allocations", t.name, thousands(t.v), thousands(allocBySite[t.name])))
	}
	e := fmt.Sprintf("%s of the %s allocations (%s) are temporary: freed right after they were made, with no other allocation in between; by allocating function: %s. Each is a buffer made and dropped per call: one reused buffer, or a stack array for a small fixed size, removes the allocation and the free",
		thousands(temps), thousands(allocs), pct(share(temps, allocs)), strings.Join(parts, ", "))
	if a.p.Meta.Format == "heaptrack" {
		e += "; heaptrack records no time, so what they cost is not measured here (at about 60 ns per allocation and free, " + thousands(temps) + " of them are ≈ " + fmtNS(float64(temps)*allocNS) + ")"
	}
	claim := func(k int) float64 {
		s := &a.p.Samples[a.samples[k]]
		if s.Values[ai] <= 0 || s.Values[ti] <= 0 {
			return 0
		}
		return min(1, float64(s.Values[ti])/float64(s.Values[ai]))
	}
	return candidate{hint: "reduce-allocations", cat: CatAlloc, value: temps, unit: "rust-alloc",
		what: "Reusing a buffer instead of a temporary allocation per call", evidence: e + ".",
		functions: names(top), callers: names(top), inside: []string{"temporary allocations"}, claim: claim}, true
}

// notAllocations says whether the explained values count something other
// than allocations in a memory-kind profile: bytes copied (DHAT's copy
// mode) or the program's own units (ad-hoc mode). No allocation hint
// applies to them.
func (a *analysis) notAllocations() bool {
	if a.recording != RecMemory {
		return false
	}
	switch strings.ToLower(a.p.SampleTypes[a.vi].Type) {
	case "copy_space", "copy_objects", "units", "events":
		return true
	}
	return false
}

// leakNote says how many bytes were never freed and where they were
// allocated, for profiles that track leaks; "" when none were.
func (a *analysis) leakNote() string {
	li := a.p.TypeIndex(leakedTypeName)
	if li < 0 {
		return ""
	}
	var leaked int64
	by := tally{}
	for _, i := range a.samples {
		s := &a.p.Samples[i]
		if v := s.Values[li]; v > 0 {
			leaked += v
			by[a.leafName(s.Node)] += v
		}
	}
	if leaked == 0 {
		return ""
	}
	var parts []string
	for _, t := range by.top(3) {
		parts = append(parts, fmt.Sprintf("%s %s", t.name, fmtBytes(float64(t.v))))
	}
	return fmt.Sprintf("%s were still allocated when the program exited (leaked, or freed only by the operating system), allocated in %s.",
		fmtBytes(float64(leaked)), strings.Join(parts, ", "))
}

// allocCallerName names the deepest frame of sample k's stack that is not
// an allocator (malloc, CPython's _PyObject_Malloc, Rust's alloc): the code
// that asked for the memory. The leaf when every frame allocates.
func (a *analysis) allocCallerName(k int) string {
	stack := a.stackOf(k, nil)
	if j := a.askerIndex(stack); j >= 0 {
		return a.cls.info[stack[j]].name
	}
	return a.leafName(a.p.Samples[a.samples[k]].Node)
}

// askerIndex is the index in stack of the innermost frame that asked for
// memory rather than served it (an allocator, its shims, libc, a task
// label or an unsymbolized frame), -1 when there is none.
func (a *analysis) askerIndex(stack []profile.FrameID) int {
	for j := len(stack) - 1; j >= 0; j-- {
		f := stack[j]
		fi := &a.cls.info[f]
		if fi.pseudo || fi.rt == rtLibc || fi.rt == rtUnknown || fi.rustAlloc || a.cls.alloc[f] || a.isAllocRule(f) || fi.is(factAllocator) {
			continue
		}
		return j
	}
	return -1
}

// leafName is the name of a node's frame, "(no frames)" for the root.
func (a *analysis) leafName(n profile.NodeID) string {
	if f := a.p.Nodes[n].Frame; f != profile.NoFrame {
		return a.cls.info[f].name
	}
	return "(no frames)"
}
