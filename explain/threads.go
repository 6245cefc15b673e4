package explain

import (
	"github.com/hotspot-dev/hotspot/profile"
)

// threadSource says where thread identities come from.
type threadSource uint8

const (
	threadsFromLabels    threadSource = iota // tids or thread names on the samples
	threadsFromStructure                     // no labels: worker vs main from the stacks' roots
)

// threadNumbers returns, per kept sample, the index of its thread in the
// distinct threads, and those threads in order of first sample: per-thread
// sums then index a slice instead of hashing a key per sample.
func (a *analysis) threadNumbers() ([]int32, []threadKey) {
	if !a.threadsDone {
		a.numberThreads()
	}
	return a.threadIdx, a.threadTab
}

// numberThreads assigns each kept sample a thread identity, once. With
// thread labels (tids, names) those decide. Without them
// (stackcollapse-perf's folded files keep only the process name) a thread
// is told by where its stack starts: the main thread at the process entry,
// a worker at a thread entry, named by the first code frame below that
// entry (the thread's target). Workers running the same target cannot be
// told apart, so counts from structure are lower bounds.
func (a *analysis) numberThreads() {
	p := a.p
	a.threadIdx = make([]int32, len(a.samples))
	a.threadTab = a.threadTab[:0]
	a.threadSrc = threadsFromStructure
	for _, i := range a.samples {
		if l := p.Samples[i].Labels; l.HasTID || l.Thread != "" {
			a.threadSrc = threadsFromLabels
			break
		}
	}
	// Consecutive samples are mostly of one thread: the last key is
	// checked before the map. Only the distinct keys are kept, not one
	// per sample: a million samples would cost 32 MB.
	number := map[threadKey]int32{}
	last := int32(-1)
	numberKey := func(k int, tk threadKey) {
		if last < 0 || a.threadTab[last] != tk {
			var ok bool
			if last, ok = number[tk]; !ok {
				last = int32(len(a.threadTab))
				a.threadTab = append(a.threadTab, tk)
				number[tk] = last
			}
		}
		a.threadIdx[k] = last
	}
	if a.threadSrc == threadsFromLabels {
		for k, i := range a.samples {
			l := p.Samples[i].Labels
			tk := threadKey{l.PID, l.Thread, l.TID}
			if !l.HasTID && l.Thread == "" {
				tk.name = l.Comm
			}
			numberKey(k, tk)
		}
		a.threadsDone = true
		return
	}
	// Per distinct stack an index into the few distinct names, and each
	// name joined once: a million samples would otherwise cost a string
	// and a map entry of 16 bytes each. memo holds 1 + the index in sigs
	// per stack (stackKey), 0 while unknown.
	var memo []int32
	var sigs interned[string]
	// joined holds per comm (commOf numbers them) the names joined so
	// far, by signature index; consecutive samples are mostly of one
	// comm, checked before the map.
	commOf := map[string]int{}
	var joined [][]string
	lastComm, lastC := "", -1
	var buf []profile.FrameID
	for k, i := range a.samples {
		sk, nk := a.stackKey(k)
		if memo == nil {
			memo = make([]int32, nk)
		}
		id := memo[sk] - 1
		if id < 0 {
			buf = a.stackOf(k, buf)
			id = sigs.id(a.structuralThread(buf))
			memo[sk] = id + 1
		}
		l := p.Samples[i].Labels
		comm := l.Comm
		if lastC < 0 || comm != lastComm {
			c, ok := commOf[comm]
			if !ok {
				c = len(joined)
				commOf[comm] = c
				joined = append(joined, nil)
			}
			lastComm, lastC = comm, c
		}
		names := joined[lastC]
		for int(id) >= len(names) {
			names = append(names, "")
		}
		if names[id] == "" {
			names[id] = comm + "\x00" + sigs.values[id]
		}
		joined[lastC] = names
		numberKey(k, threadKey{l.PID, names[id], l.TID})
	}
	a.threadsDone = true
}

// threadOf is kept sample k's thread.
func (a *analysis) threadOf(k int) threadKey {
	idx, tab := a.threadNumbers()
	return tab[idx[k]]
}

// structuralThread names the thread a root-first stack ran on: "main", or
// "worker:" and the first code frame below the last thread entry.
func (a *analysis) structuralThread(stack []profile.FrameID) string {
	entry := -1
	for j, f := range stack {
		if a.cls.bits[f]&bitThreadEntry != 0 {
			entry = j
		}
	}
	if entry < 0 {
		return "main"
	}
	for _, f := range stack[entry+1:] {
		fi := &a.cls.info[f]
		if (fi.rt == rtPython && !fi.threadEntry && fi.fn != "run") || (fi.rt == rtNative && !fi.pseudo && !isRuntimeFrame(fi)) {
			return "worker:" + fi.name
		}
	}
	return "worker"
}

// threadCount is the number of distinct threads with active samples: from
// labels, or a lower bound from structure. GIL waits and hand-overs need a
// second thread holding the GIL, and a thread blocked on a lock (off-CPU)
// one holding the lock, so a profile with them has at least two.
func (a *analysis) threadCount() int {
	idx, _ := a.threadNumbers()
	seen := map[int32]bool{}
	gil, blocked := false, false
	for k := range a.samples {
		if a.class[k].Cat != CatIdle {
			seen[idx[k]] = true
		}
		if a.class[k].Cat == CatGIL {
			gil = true
		}
		if a.class[k].Cat == CatLock && a.recording == RecOffCPU {
			// A thread blocked on a lock waits for another that holds it.
			blocked = true
		}
	}
	n := len(seen)
	if a.threadSrc == threadsFromStructure && (gil || blocked) && n < 2 {
		n = 2
	}
	return n
}
