package explain

import (
	"slices"

	"github.com/hotspot-dev/hotspot/profile"
)

// orphanCompares are comparisons whose callers the recording lost. CPython's
// list scans (x in list, list.index, list.remove) make a rich comparison
// per element they pass; where stacks break inside libpython (frame
// pointers through a build without them), those comparisons are leaves
// with nothing known above them, and the scan keeps only its own loop.
// They are shared among the comparison callers the recording does show,
// in proportion to what it shows of each (its own samples and the
// comparisons seen under it): a scan seen ten times as often as the eval
// loop is taken to make ten times its comparisons.
type orphanCompares struct {
	mark  []bool // kept sample k is an orphaned comparison
	value int64  // their value
	who   tally  // the comparison functions on top, by name
	// What the recording shows of the comparison callers: samples with a
	// linear scan on the stack, and of every other caller (sorts, lookups,
	// the eval loop) its own samples and the comparisons seen under it.
	scanSeen, otherSeen int64
	others              tally
}

// share is the part of the orphaned comparisons counted as the scans'.
func (o *orphanCompares) share() float64 {
	if o.value == 0 || o.scanSeen == 0 {
		return 0
	}
	return float64(o.scanSeen) / float64(o.scanSeen+o.otherSeen)
}

// orphanComparisons finds them in a recording with native frames. scan
// says which kept samples have a linear scan on the stack. Which frames
// compare, and which call comparisons, is decided once per distinct
// frame; a stack is read only for a sample with a comparison on top.
func (a *analysis) orphanComparisons(scan func(k int) bool) *orphanCompares {
	o := &orphanCompares{who: tally{}, others: tally{}}
	if !a.cls.nativeFrames {
		return o
	}
	p := a.p
	compares, callers := make([]bool, len(p.Frames)), make([]bool, len(p.Frames))
	for f := range p.Frames {
		name := a.cls.info[f].name
		compares[f], callers[f] = compareFrames.has(name), compareCallerFrames.has(name)
	}
	o.mark = make([]bool, len(a.samples))
	var buf []profile.FrameID
	for k, i := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		v := a.val[k]
		top := p.Nodes[p.Samples[i].Node].Frame
		switch {
		case scan(k):
			o.scanSeen += v
			continue
		case callers[top]:
			o.otherSeen += v
			o.others[a.cls.info[top].name] += v
			continue
		case !compares[top]:
			continue
		}
		buf = a.stackOf(k, buf)
		if a.reachesRoot(buf) {
			continue
		}
		// Above the comparisons, only unsymbolized frames and labels: the
		// caller is not in the recording.
		j := len(buf) - 1
		for j >= 0 && compares[buf[j]] {
			j--
		}
		for ; j >= 0; j-- {
			if fi := &a.cls.info[buf[j]]; fi.rt != rtUnknown && !fi.pseudo {
				break
			}
		}
		if j >= 0 {
			if callers[buf[j]] {
				o.otherSeen += v
				o.others[a.cls.info[buf[j]].name] += v
			}
			continue
		}
		o.mark[k] = true
		o.value += v
		o.who[a.cls.info[top].name] += v
	}
	return o
}

// orphanAllocs are allocator samples whose callers the recording lost.
// glibc is built without frame pointers, so a frame-pointer stack that
// samples inside malloc's internals (_int_malloc, _int_free,
// malloc_consolidate) often stops right above them: nothing but
// unsymbolized frames and labels is left. Who allocated is then unknown,
// but the allocations the recording does show with their callers say how
// the work divides: the copies for ownership are counted at their share of
// those (a clone seen on a third of the allocations it shows is taken to
// make a third of the orphaned ones too).
type orphanAllocs struct {
	mark  []bool // kept sample k is an orphaned allocation
	value int64  // their value
	who   tally  // the allocator functions on top, by name
	// What the recording shows: allocation under a clone frame, and other
	// allocation with a known caller.
	cloneSeen, otherSeen int64
}

// share is the part of the orphaned allocations counted as copies.
func (o *orphanAllocs) share() float64 {
	if o.value == 0 || o.cloneSeen == 0 {
		return 0
	}
	return float64(o.cloneSeen) / float64(o.cloneSeen+o.otherSeen)
}

// orphanAllocations finds them in an on-CPU recording with native frames.
// clone says which kept samples have a clone frame on the stack. Whether a
// stack shows a caller is decided once per distinct stack.
func (a *analysis) orphanAllocations(clone func(k int) bool) *orphanAllocs {
	o := &orphanAllocs{who: tally{}}
	if !a.cls.nativeFrames || a.recording == RecMemory {
		return o
	}
	p := a.p
	// callerSeen is, per distinct stack (stackKey), 0 while
	// unknown, 1 when a caller shows, 2 when none does.
	var callerSeen []uint8
	var buf []profile.FrameID
	for k, i := range a.samples {
		if a.class[k].Cat != CatAlloc {
			continue
		}
		v := a.val[k]
		if clone(k) {
			o.cloneSeen += v
			continue
		}
		sk, nk := a.stackKey(k)
		if callerSeen == nil {
			callerSeen = make([]uint8, nk)
		}
		if callerSeen[sk] == 0 {
			buf = a.stackOf(k, buf)
			// A caller is any frame that is not the allocator (by the
			// allocation rules), the C library around it, unsymbolized
			// or a label.
			callerSeen[sk] = 2
			if slices.ContainsFunc(buf, func(f profile.FrameID) bool {
				fi := &a.cls.info[f]
				return !a.cls.alloc[f] && !a.isAllocRule(f) && fi.rt != rtLibc && fi.rt != rtUnknown && !fi.pseudo
			}) {
				callerSeen[sk] = 1
			}
		}
		if callerSeen[sk] == 1 {
			o.otherSeen += v
			continue
		}
		if o.mark == nil {
			o.mark = make([]bool, len(a.samples))
		}
		o.mark[k] = true
		o.value += v
		o.who[a.cls.info[p.Nodes[p.Samples[i].Node].Frame].name] += v
	}
	return o
}
