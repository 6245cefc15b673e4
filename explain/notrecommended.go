package explain

import "fmt"

// Fixes people reach for that this profile argues against. The detectors'
// own rejects (a hint with some evidence under its floor) are in
// a.ruledOut already; these are the usual suspects no detector raises,
// judged from the facts every report has: how many threads ran, whether
// any waited for the GIL, how much the collector costs.

// maxOneThreadRest is the most of the active cost other threads may hold
// for a profile to count as one thread's work.
const maxOneThreadRest = 0.05

// ruleOutUsualSuspects adds the structural "not recommended" entries.
func (a *analysis) ruleOutUsualSuspects() {
	a.ruleOutMoreThreadsOnOneCPU()
	if a.recording != RecOnCPU && a.recording != RecWall {
		return
	}
	if a.active <= 0 || !a.cls.pyProc {
		return
	}
	a.ruleOutThreads()
	a.ruleOutGCTuning()
}

// ruleOutThreads: one thread ran the program and none waited for the GIL,
// so more threads or a released GIL have nothing to overlap with.
func (a *analysis) ruleOutThreads() {
	switch a.p.Meta.Format {
	case "pstats", "callgrind", "scalene":
		// cProfile records only the thread that started it, callgrind
		// merges threads unless told otherwise, scalene keeps lines: one
		// thread in the file says nothing of the program's.
		return
	}
	idx, _ := a.threadNumbers()
	per := map[int32]int64{}
	var gil, waits int64
	for k := range a.samples {
		c := a.class[k].Cat
		if c == CatIdle {
			continue
		}
		per[idx[k]] += a.val[k]
		switch c {
		case CatGIL:
			gil += a.val[k]
		case CatIO, CatLock, CatAsync:
			waits += a.val[k]
		}
	}
	var top int64
	for _, v := range per {
		top = max(top, v)
	}
	if gil > 0 || a.activeShare(top) < 1-maxOneThreadRest || a.activeShare(waits) >= maxOneThreadRest {
		// GIL waits, a second thread, or waiting that threads or asyncio
		// could overlap: the question is open, and other findings own it.
		return
	}
	who := fmt.Sprintf("one thread ran %s of the active %s", pct(a.activeShare(top)), a.costNoun())
	if a.threadSrc == threadsFromStructure && len(per) == 1 {
		// No thread ids: the stacks say it, every one starting at the
		// process entry rather than a thread entry.
		who = "the stacks show one thread (none starts at a thread entry; the file has no thread ids)"
	}
	if a.hasNativeEntries() {
		a.ruleOutAs("release-gil", "Releasing the GIL (allow_threads) or more threads", fmt.Sprintf("%s and no thread waited for the GIL: releasing it lets other threads run, and there are none. Threads help only once the native work is split into parts that run without the GIL; otherwise more cores need processes (a process pool)", who))
		return
	}
	waitsSeen := "which this profile barely has"
	if a.recording == RecOnCPU {
		waitsSeen = "and this recording shows running code (an --idle or off-CPU recording would show the waiting)"
	}
	a.ruleOutAs("gil-contention", "More threads, or asyncio, for this work", fmt.Sprintf("%s and no thread waited for the GIL: Python code, and C called from it, holds the GIL while it runs, so threads would take turns on it, and asyncio overlaps only waiting, %s. More cores need processes (a process pool), at the cost of sending the data between them", who, waitsSeen))
}

// ruleOutMoreThreadsOnOneCPU: every sample of a program with two or more
// busy threads ran on one CPU, so its threads already take turns on it:
// more threads (or a process pool) cannot run more at once on that host,
// in any language (oneCPUThreads).
func (a *analysis) ruleOutMoreThreadsOnOneCPU() {
	t := a.oneCPUThreads()
	if t == 0 {
		return
	}
	_, list := a.cpus()
	a.ruleOutAs("more-threads", "More threads or processes on this host", fmt.Sprintf("every sample ran on CPU %s while %d threads were busy (each at least %s of the active %s): the program had one CPU on that host (pinned by taskset or a cpuset, a one-CPU container, or the other CPUs busy), so its threads already take turns on it and more threads or processes cannot run more at once there. Give it more CPUs first, then record again to see what parallel work would gain", list, t, pct(minParallelShare), a.costNoun()))
}

// ruleOutGCTuning: the collector shows in the profile and costs too
// little for gc.freeze or new thresholds to pay.
func (a *analysis) ruleOutGCTuning() {
	var v int64
	var n float64
	for k, i := range a.samples {
		if a.class[k].Cat == CatGC {
			v += a.val[k]
			n += float64(a.p.Samples[i].Count)
		}
	}
	floor := a.minShare("gc-pressure")
	if v <= 0 && a.cls.pyProc && !a.cls.nativeFrames && a.recording != RecMemory && a.recording != RecOffCPU {
		// Python frames only: a collection runs inside the Python line
		// whose allocation started it, and is counted in that line's own
		// time. No evidence either way, so no tuning on it yet.
		a.ruleOutAs("gc-pressure", "GC tuning", "this recording has Python frames only: a collection is counted in the own time of whatever Python line started it, so what the collector costs cannot be told from this file; record with native frames ("+a.nativeRecordCommand()+") and look for the collector's frames (gc_collect_main) before tuning it")
		return
	}
	if v <= 0 || a.activeShare(v) >= floor {
		return
	}
	reason := fmt.Sprintf("the garbage collector is %s, under the %s at which tuning it (gc.freeze, higher thresholds) pays", a.evidenceNumber(v, n), pct(floor))
	if total := float64(a.activeCount()); total > 0 {
		if lo, _ := wilson(n/total, total); lo < 0.01 {
			reason += "; within sampling noise"
		}
	}
	reason += "; re-check after the fixes above, when it is a larger share of a smaller total"
	a.ruleOutAs("gc-pressure", "GC tuning", reason)
}

// ruleOutAs is ruleOut under a title of its own (the usual suspect as people
// name it, not the catalogue's hint), unless the hint is ruled out already.
func (a *analysis) ruleOutAs(hint, title, reason string) {
	for _, r := range a.ruledOut {
		if r.Hint == hint {
			return
		}
	}
	a.ruleOut(candidate{hint: hint}, reason)
	a.ruledOut[len(a.ruledOut)-1].Title = title
}

// hasNativeEntries says whether any sample entered an extension's native
// code from Python (not the standard library's C modules).
func (a *analysis) hasNativeEntries() bool {
	for _, e := range a.sampleEntry {
		if e != nil && !e.stdlib {
			return true
		}
	}
	return false
}

// maxCompilablePy is the share of the active cost with Python code or the
// interpreter on top of the stack under which compiling or vectorising the
// Python is ruled out: the rest runs in code it calls.
const maxCompilablePy = 0.10

// ruleOutCompiling: in a Python program whose recording shows native
// frames, little of the time has Python code or the interpreter itself on
// top of the stack; the rest is native code the Python calls (codecs,
// extensions, the kernel), which compiling or vectorising the Python
// around it does not make faster.
func (a *analysis) ruleOutCompiling(ev *evidence) {
	if a.recording != RecOnCPU && a.recording != RecWall || a.active <= 0 || !a.cls.pyProc {
		return
	}
	if !a.cls.nativeFrames {
		return // C time is charged to the Python line that called it
	}
	var py int64
	for k := range a.samples {
		if ev.leafPy[k] && a.class[k].Cat != CatIdle {
			py += a.val[k]
		}
	}
	if a.activeShare(py) >= maxCompilablePy {
		return
	}
	top, topV := Category(""), int64(0)
	for i, c := range catOrder {
		switch c {
		case CatIdle, CatPython, CatInterpreter:
			continue
		}
		if a.catVal[i] > topV {
			top, topV = c, a.catVal[i]
		}
	}
	if top == "" {
		return
	}
	a.ruleOutAs("move-hot-loop-native", "Compiling or vectorising the Python code (Cython, mypyc, PyPy, NumPy)", fmt.Sprintf("only %s of the active %s has Python code or the interpreter on top of the stack, and the largest category is %s at %s: time in code the Python calls, or waiting, which compiling or vectorising the Python around it does not make shorter. It pays where the interpreter itself is the cost", pct(a.activeShare(py)), a.costNoun(), top, pct(a.activeShare(topV))))
}
