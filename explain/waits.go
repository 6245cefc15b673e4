package explain

import "fmt"

// minRunningGIL is the least share of an off-CPU recording's active
// switches that must be preemptions of running code before a lock wait
// with no caller on the stack may be the GIL. Tuning set: the lock-bound
// programs (the lock holder sleeps) show 0.1%, the GIL-bound ones 40-66%.
const minRunningGIL = 0.10

// waitsAmbiguous reports whether the lock waits whose callers are not on
// the stack may as well be GIL waits, so that no finding may call them
// lock contention. In a Python process CPython's GIL wait (take_gil's
// condvar) and a threading.Lock wait (a semaphore) both end in the same
// glibc futex call, and frame-pointer unwinding stops there. What is left
// to tell them apart is what the other threads do: every blocking call in
// CPython releases the GIL, so a GIL waiter waits for a thread that runs
// code. In an off-CPU recording running code shows only where a thread was
// switched out without blocking (preempted while running); where that is
// rare, the process's threads were blocked, not running, and the waits are
// on a lock.
func (a *analysis) waitsAmbiguous() bool {
	if !a.cls.pyProc || a.recording != RecOffCPU || a.callerlessWaits() == 0 {
		return false
	}
	return a.activeShare(a.runningSwitches()) >= minRunningGIL
}

// callerlessWaits is the value of the lock waits whose callers are not on
// the stack.
func (a *analysis) callerlessWaits() int64 {
	var v int64
	for k := range a.samples {
		if a.class[k].Callerless {
			v += a.val[k]
		}
	}
	return v
}

// runningSwitches is the value of the samples whose thread was running
// code (Python, the interpreter, native work and what it calls) rather
// than waiting: in an off-CPU recording, the preemptions.
func (a *analysis) runningSwitches() int64 {
	var v int64
	for k := range a.samples {
		switch a.class[k].Cat {
		case CatLock, CatIO, CatIdle, CatGIL:
		default:
			v += a.val[k]
		}
	}
	return v
}

// ambiguousWaitNote is the blind spot of a recording whose waits cannot be
// told apart: what it cannot say, and the recording that would.
func (a *analysis) ambiguousWaitNote() string {
	return fmt.Sprintf("whether %s of the off-CPU time, futex waits whose callers the stacks do not show, waits for the GIL or for a lock: both end in the same glibc futex call, frame-pointer unwinding stops there, and other threads were running code meanwhile (record with --call-graph dwarf under python3.12 -X perf, or -X perf_jit, to see take_gil or PyThread_acquire_lock above the wait)",
		pct(a.activeShare(a.callerlessWaits())))
}
