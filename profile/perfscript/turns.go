package perfscript

import (
	"strconv"

	"github.com/hotspot-dev/hotspot/profile"
)

// turns counts, over the samples of the default event in time order, the
// runs of consecutive samples from one thread: how the threads took turns.
// Threads that run side by side interleave their samples (runs of about
// one sample); threads serialised by a lock or CPython's GIL run in
// stretches of many. It needs no per-sample memory: the last sample's
// thread and time are enough.
type turns struct {
	samples, runs int64
	lastTID       int64
	lastTime      int64
	// gapSum and gaps add up the time between consecutive samples of the
	// same run: the sampling interval while a thread runs.
	gapSum, gaps int64
	// periodSum adds up the samples' periods while every sample has one
	// (periods is false after the first without): with a clock event, the
	// CPU time each sample stands for.
	periodSum int64
	periods   bool
	tids      map[int64]bool
}

// maxTurnThreads bounds the threads tracked: past it, only the count of
// distinct threads stops growing.
const maxTurnThreads = 1 << 12

func (t *turns) add(tid, timeNs, period int64, hasPeriod bool) {
	if t.tids == nil {
		t.tids = map[int64]bool{}
		t.periods = true
	}
	t.periods = t.periods && hasPeriod
	t.periodSum += period
	if len(t.tids) < maxTurnThreads {
		t.tids[tid] = true
	}
	t.samples++
	switch {
	case t.samples == 1 || tid != t.lastTID:
		t.runs++
	case timeNs >= t.lastTime:
		t.gapSum += timeNs - t.lastTime
		t.gaps++
	}
	t.lastTID, t.lastTime = tid, timeNs
}

// describe records the runs in Meta.Attrs when two or more threads had
// timed samples: thread_runs, thread_run_samples and thread_run_gap_ns
// (the mean time between consecutive samples of a run), and for a clock
// event (clock: cpu-clock, task-clock) thread_run_period_ns, the mean CPU
// time a sample stands for. On a loaded host the gap outgrows the period
// while the thread waits for a CPU.
func (t *turns) describe(m *profile.Meta, clock bool) {
	if len(t.tids) < 2 || t.gaps == 0 {
		return
	}
	if clock && t.periods && t.periodSum > 0 {
		setAttr(m, "thread_run_period_ns", strconv.FormatInt(t.periodSum/t.samples, 10))
	}
	setAttr(m, "thread_runs", strconv.FormatInt(t.runs, 10))
	setAttr(m, "thread_run_samples", strconv.FormatInt(t.samples, 10))
	setAttr(m, "thread_run_gap_ns", strconv.FormatInt(t.gapSum/t.gaps, 10))
}
