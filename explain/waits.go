package explain

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

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
		if runningCategory(a.class[k].Cat) {
			v += a.val[k]
		}
	}
	return v
}

// runningCategory reports whether a category's samples ran code rather
// than waited (a lock, I/O, the GIL, or idle).
func runningCategory(c Category) bool {
	switch c {
	case CatLock, CatIO, CatIdle, CatGIL:
		return false
	}
	return true
}

// ambiguousWaitNote is the blind spot of a recording whose waits cannot be
// told apart: what it cannot say, and the recording that would.
func (a *analysis) ambiguousWaitNote() string {
	return fmt.Sprintf("whether %s of the %s, futex waits whose callers the stacks do not show, waits for the GIL or for a lock: both end in the same glibc futex call, frame-pointer unwinding stops there, and other threads were running code meanwhile (record with --call-graph dwarf under python3.12 -X perf, or -X perf_jit, to see take_gil or PyThread_acquire_lock above the wait)",
		pct(a.activeShare(a.callerlessWaits())), a.costNoun())
}

// switchEvents reports whether an off-CPU recording's values count
// context switches (perf's sched_switch samples, a folded file of them)
// rather than measure time off the CPU: a switch that lasted 10 µs and one
// that lasted a second weigh the same, so its shares are of switches and
// must not be called time.
func (a *analysis) switchEvents() bool {
	if a.recording != RecOffCPU {
		return false
	}
	return timeUnit(a.p.SampleTypes[a.vi].Unit) == 0
}

// eventNoun names the events an off-CPU recording counts: lock
// contentions in a contention profile (pprof, JFR), context switches in a
// sched_switch recording and what is folded from one.
func (a *analysis) eventNoun() string {
	t := strings.ToLower(a.p.SampleTypes[a.vi].Type)
	switch {
	case strings.Contains(t, "contention"):
		return "lock contentions"
	case strings.Contains(t, "switch"), t == "samples", t == "":
		return "context switches"
	}
	return "off-CPU events"
}

// countNoun names what the input samples count: the events of an off-CPU
// recording that counts them, samples otherwise.
func (a *analysis) countNoun() string {
	if a.switchEvents() {
		n := a.eventNoun()
		return n[strings.LastIndexByte(n, ' ')+1:]
	}
	return "samples"
}

// switchInterval is CPython's default GIL switch interval
// (sys.getswitchinterval(), 5 ms), in nanoseconds. A thread waiting for
// the GIL asks its holder to drop it only after waiting this long, so
// CPU-bound threads serialised by the GIL hold it in stretches of at least
// the interval.
const switchInterval = 5_000_000

// takingTurns reads how the recording's threads took turns (the perf
// reader's thread_runs, thread_run_samples, thread_run_gap_ns and
// thread_run_period_ns): serial is true when they ran one at a time, in
// runs of consecutive samples lasting on average at least the switch
// interval; how says how long, in the recording's own numbers. Threads
// that run side by side interleave their samples instead. The runs are
// those of the whole recording (--thread and --focus do not change them),
// and need a sampling interval short enough to resolve them; on a host
// with one CPU the scheduler's time slices look the same.
//
// A run is timed by the wall time between its samples where that resolves
// the interval; on a loaded host, where a thread waits for a CPU between
// samples and the gaps outgrow the interval, by the CPU time its samples
// stand for (a clock event's period), which never exceeds the wall time
// the run took: a run that long in CPU time held the GIL at least as long.
func (a *analysis) takingTurns() (serial bool, how string) {
	m := &a.p.Meta
	attr := func(k string) int64 {
		v, _ := strconv.ParseInt(m.Attr(k), 10, 64)
		return v
	}
	runs, n, gap, period := attr("thread_runs"), attr("thread_run_samples"), attr("thread_run_gap_ns"), attr("thread_run_period_ns")
	if runs <= 0 || n <= 0 {
		return false, ""
	}
	perRun := float64(n) / float64(runs)
	if gap > 0 && gap <= switchInterval/2 {
		if run := perRun * float64(gap); run >= switchInterval {
			return true, fmt.Sprintf("%.1f ms on one thread on average before another runs", run/1e6)
		}
	}
	if period > 0 && period <= switchInterval/2 {
		if run := perRun * float64(period); run >= switchInterval {
			return true, fmt.Sprintf("%.1f samples in a row on one thread on average before another runs, %.1f ms of its CPU time at %.1f ms a sample (the host was loaded: %.1f ms passed between a run's samples)", perRun, run/1e6, float64(period)/1e6, float64(gap)/1e6)
		}
	}
	return false, ""
}

// switchSplit describes an off-CPU recording's context switches from the
// perf reader's split (switches_voluntary, switches_involuntary and their
// offcpu_*_ns times): how many blocked and how many were preempted, with
// their time off the CPU where the timestamps measured it, or as events
// where they did not. Empty without the split.
func (a *analysis) switchSplit() string {
	m := &a.p.Meta
	vol, err1 := strconv.ParseInt(m.Attr("switches_voluntary"), 10, 64)
	inv, err2 := strconv.ParseInt(m.Attr("switches_involuntary"), 10, 64)
	if err1 != nil || err2 != nil || vol+inv == 0 {
		return ""
	}
	part := func(n int64, kind, what string) string {
		s := fmt.Sprintf("%s %s (%s)", thousands(n), kind, what)
		ns, err := strconv.ParseInt(m.Attr("offcpu_"+kind+"_ns"), 10, 64)
		timed, _ := strconv.ParseInt(m.Attr("offcpu_"+kind+"_timed"), 10, 64)
		if err == nil && timed > 0 {
			s += fmt.Sprintf(", %.3f s off the CPU over the %s the recording saw end (%.2f ms each on average)", float64(ns)/1e9, thousands(timed), float64(ns)/float64(timed)/1e6)
		}
		return s
	}
	return fmt.Sprintf("the context switches, split: %s; %s. The shares count switch events, not time", part(vol, "voluntary", "blocked: prev_state S or D"), part(inv, "involuntary", "preempted while runnable: prev_state R"))
}

// GIL timeouts. A thread waiting for the GIL waits on a condition variable
// with the switch interval as its timeout; when that runs out it asks the
// holder to drop the GIL and waits again. A holder running Python drops it
// at its next eval-breaker check, so the waiter's wait ends early, woken;
// a holder that does not check (native code that never releases the GIL)
// lets the waiter's waits run out at the interval, one after the other. So
// many blocked waits ending at the interval, where frame pointers hide
// take_gil, say the unattributed futex waits are the GIL's. Thresholds
// from the tuning set's off-CPU recordings: GIL-holding extensions 43-90
// such waits (12-25% of the timed voluntary switches), their controls that
// release the GIL 0-7 (under 2%), lock-bound programs 0.
const (
	minGILTimeouts     = 20
	minGILTimeoutShare = 0.08
)

// gilTimeouts reports whether the recording's blocked waits ran out at
// the GIL's switch interval often enough to be GIL waits (the perf
// reader's offcpu_voluntary_at_5ms over offcpu_voluntary_timed), with the
// two counts for the evidence.
func (a *analysis) gilTimeouts() (yes bool, at, timed int64) {
	if !a.cls.pyProc || a.recording != RecOffCPU {
		return false, 0, 0
	}
	m := &a.p.Meta
	at, err1 := strconv.ParseInt(m.Attr("offcpu_voluntary_at_5ms"), 10, 64)
	timed, err2 := strconv.ParseInt(m.Attr("offcpu_voluntary_timed"), 10, 64)
	if err1 != nil || err2 != nil || timed <= 0 {
		return false, 0, 0
	}
	return at >= minGILTimeouts && float64(at) >= minGILTimeoutShare*float64(timed), at, timed
}

// offCPUTime sums, where an off-CPU recording counts context switches
// and also timed each one (the perf reader's profile.OffCPUType value),
// the time off the CPU of the kept samples, each weighed by weight (a
// claim's take, or 1 for the samples a test picks), and of all the active
// ones; timed says whether the recording has that time at all.
func (a *analysis) offCPUTime(weight func(k int) float64) (weighed, active int64, timed bool) {
	if !a.switchEvents() {
		return 0, 0, false
	}
	ti := slices.IndexFunc(a.p.SampleTypes, func(t profile.ValueType) bool {
		return t.Type == profile.OffCPUType && timeUnit(t.Unit) > 0
	})
	if ti < 0 {
		return 0, 0, false
	}
	var w float64
	for k, i := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		v := a.p.Samples[i].Values[ti]
		active += v
		w += weight(k) * float64(v)
	}
	return int64(math.Round(w)), active, active > 0
}

// claimOffCPU says, where the recording timed its context switches, how
// long the switches a claim takes kept their threads off the CPU: their
// share of the active time off the CPU, and a note for the claim's
// sentence ("; in time off the CPU, ..."). Elsewhere it returns 0 and "".
func (a *analysis) claimOffCPU(take []float64) (timeShare float64, note string) {
	if take == nil {
		return 0, ""
	}
	ns, all, timed := a.offCPUTime(func(k int) float64 { return take[k] })
	if !timed {
		return 0, ""
	}
	sh := share(ns, all)
	return sh, fmt.Sprintf("; in time off the CPU, %s of the active %s (%s)", fmtNS(float64(ns)), fmtNS(float64(all)), pct(sh))
}
