package explain

import "github.com/hotspot-dev/hotspot/profile"

// poolSpins marks the kept samples that spin (sched_yield, a spin-loop
// hint) in a worker thread's own loop: with one frame between the thread's
// entry (start_thread and the runtime's thread start-up shims, Rust's
// thread_start and call_once) and the spin, no caller asked for a lock;
// the pool's workers are polling for work (OpenBLAS and OpenMP workers
// yield this way between jobs). It returns the marks, their value and the
// loop frames by value.
func (a *analysis) poolSpins() ([]bool, int64, tally) {
	rule := a.cls.rule("lock.spin")
	if rule == nil {
		return nil, 0, nil
	}
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
