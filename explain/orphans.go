package explain

import "github.com/hotspot-dev/hotspot/profile"

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
	scanSelf, otherSelf int64
	others              tally
}

// share is the part of the orphaned comparisons counted as the scans'.
func (o *orphanCompares) share() float64 {
	if o.value == 0 || o.scanSelf == 0 {
		return 0
	}
	return float64(o.scanSelf) / float64(o.scanSelf+o.otherSelf)
}

// orphanComparisons finds them, in a recording with native frames whose
// stacks do not all reach a root. scan says which kept samples have a
// linear scan on the stack.
func (a *analysis) orphanComparisons(scan func(k int) bool) *orphanCompares {
	o := &orphanCompares{who: tally{}, others: tally{}}
	if !a.cls.nativeFrames {
		return o
	}
	o.mark = make([]bool, len(a.samples))
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		stack := buf
		if len(stack) == 0 {
			continue
		}
		v := a.val[k]
		top := &a.cls.info[stack[len(stack)-1]]
		switch {
		case scan(k):
			o.scanSelf += v
			continue
		case compareCallerFrames.has(top.name):
			o.otherSelf += v
			o.others[top.name] += v
			continue
		case !compareFrames.has(top.name) || a.reachesRoot(stack):
			continue
		}
		// Above the comparisons, only unsymbolized frames and labels: the
		// caller is not in the recording.
		j := len(stack) - 1
		for j >= 0 && compareFrames.has(a.cls.info[stack[j]].name) {
			j--
		}
		for ; j >= 0; j-- {
			if fi := &a.cls.info[stack[j]]; fi.rt != rtUnknown && !fi.pseudo {
				break
			}
		}
		if j >= 0 {
			if compareCallerFrames.has(a.cls.info[stack[j]].name) {
				o.otherSelf += v
				o.others[a.cls.info[stack[j]].name] += v
			}
			continue
		}
		o.mark[k] = true
		o.value += v
		o.who[top.name] += v
	}
	return o
}

// poolSpins marks the kept samples that spin (sched_yield, a spin-loop
// hint) in a worker thread's own loop: with one frame between the thread's
// entry (start_thread and the runtime's thread start-up shims, Rust's
// thread_start and call_once) and the spin, no caller asked for a lock;
// the pool's workers are polling for work (OpenBLAS and OpenMP workers
// yield this way between jobs). It returns the marks, their value and the
// loop frames by value.
func (a *analysis) poolSpins() ([]bool, int64, tally) {
	spin := -1
	for i := range a.cls.rules {
		if a.cls.rules[i].ID == "lock.spin" {
			spin = i
		}
	}
	if spin < 0 {
		return nil, 0, nil
	}
	rule := &a.cls.rules[spin]
	var marks []bool
	var v int64
	loops := tally{}
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Rule != rule.ID {
			continue
		}
		buf = a.stackOf(k, buf)
		// Past the labels, thread entry frames and start-up shims at the
		// root, the first frame is the thread's own loop; the spin must
		// come right below.
		j := 0
		entered := false
		for j < len(buf) {
			fi := &a.cls.info[buf[j]]
			if !fi.pseudo && !fi.threadEntry && !(entered && fi.is(factStartup)) {
				break
			}
			entered = entered || fi.threadEntry
			j++
		}
		if !entered || j+1 >= len(buf) || !rule.Name.MatchString(a.cls.info[buf[j+1]].name) {
			continue
		}
		if marks == nil {
			marks = make([]bool, len(a.samples))
		}
		marks[k] = true
		v += a.val[k]
		loops[a.cls.info[buf[j]].name] += a.val[k]
	}
	return marks, v, loops
}
