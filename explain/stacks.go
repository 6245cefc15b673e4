package explain

import (
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"github.com/hotspot-dev/hotspot/profile"
)

// maxCachedFrames bounds the stack cache (4 bytes a frame): beyond it the
// passes rebuild each stack from the tree instead.
const maxCachedFrames = 1 << 26

// stackOf returns the root-first stack of kept sample k. The analysis
// walks every kept stack in several passes (classification, hotspots,
// crossings, evidence, quality); walking the call tree from the leaf each
// time costs a cache miss a frame on large trees, so the stacks are laid
// out once, on first use, in one array that every pass then reads in
// order. When they would not fit maxCachedFrames, the stack is built into
// buf. The result is read-only and valid until the next call with buf.
func (a *analysis) stackOf(k int, buf []profile.FrameID) []profile.FrameID {
	// The reader may have kept every sample's stack (pprof's stack
	// table): nothing to lay out then.
	if st, ok := a.p.SampleStack(&a.p.Samples[a.samples[k]]); ok {
		return st
	}
	if a.stackAt == nil && !a.stacksTooBig {
		a.layOutStacks()
	}
	if a.stacksTooBig {
		return a.p.AppendStack(buf[:0], a.p.Samples[a.samples[k]].Node)
	}
	return a.stackFrames[a.stackAt[k]:a.stackAt[k+1]:a.stackAt[k+1]]
}

func (a *analysis) layOutStacks() {
	p := a.p
	a.stackAt = make([]int32, len(a.samples)+1)
	var total int
	for k, i := range a.samples {
		total += p.Depth(p.Samples[i].Node)
		if total > maxCachedFrames {
			a.stackAt, a.stacksTooBig = nil, true
			return
		}
		a.stackAt[k+1] = int32(total)
	}
	// Each stack has its place: the halves are laid out at once.
	a.stackFrames = bigmem.Written[profile.FrameID](total)
	inParts(len(a.samples), func(lo, hi int) {
		for k := lo; k < hi; k++ {
			p.AppendStack(a.stackFrames[:a.stackAt[k]], p.Samples[a.samples[k]].Node)
		}
	})
}

// stackKey returns kept sample k's number among the kept samples'
// distinct stacks, and how many there are. Tables kept per distinct stack
// are then as long as the samples have stacks, not as the profile has
// keys (profile.StackKey numbers a folded file's stacks by their leaf
// node: 1.2M keys for its 129k stacks).
func (a *analysis) stackKey(k int) (key, n int) {
	return int(a.stackNum[k]), a.stacksNumbered
}

func (a *analysis) numberStacks() {
	p := a.p
	a.stackNum = make([]int32, len(a.samples))
	var num []int32 // per profile key: 1 + its number here, 0 before it shows
	n := 0
	for k, i := range a.samples {
		key, keys := p.StackKey(&p.Samples[i])
		if num == nil {
			num = make([]int32, keys)
		}
		if num[key] == 0 {
			n++
			num[key] = int32(n)
		}
		a.stackNum[k] = num[key] - 1
	}
	a.stacksNumbered = n
}
