package explain

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/hotspot-dev/hotspot/hints"
	"github.com/hotspot-dev/hotspot/profile"
)

// Recording kinds: what a profile can show.
const (
	RecOnCPU   = "on-cpu"
	RecOffCPU  = "off-cpu"
	RecWall    = "wall"
	RecMemory  = "memory"
	minSamples = 100 // below this, shares are too noisy to quote without a warning
)

var (
	reMemType  = regexp.MustCompile(`(?i)^(alloc_|allocations$|inuse_|total_|bytes|blocks|space|objects|heap|mem|malloc|tb|tbk|eb|mb|gb|bytes_)`)
	reOffType  = regexp.MustCompile(`(?i)(contentions|delay|block|sched|switch|off-?cpu|wait)`)
	reWallType = regexp.MustCompile(`(?i)^wall`)
)

// inferRecording says what kind of recording p is: the importer's word when
// it has one, else inferred from the value type, the producer and the stacks.
func inferRecording(a *analysis) string {
	m := &a.p.Meta
	pyspy := strings.Contains(strings.ToLower(m.Producer), "py-spy")
	if m.Recording != "" && !(pyspy && m.Recording == RecWall) {
		return m.Recording
	}
	t := a.p.SampleTypes[a.vi]
	switch {
	case pyspy:
		// decided by the stacks below
	case m.Format == "dhat" || strings.EqualFold(t.Unit, "bytes") || reMemType.MatchString(t.Type):
		return RecMemory
	case reOffType.MatchString(t.Type):
		return RecOffCPU
	case reWallType.MatchString(t.Type):
		return RecWall
	}
	// Stacks that end in the scheduler are context switches: off-CPU.
	var sched, idle, all int64
	for k, i := range a.samples {
		s := &a.p.Samples[i]
		v := s.Values[a.vi]
		all += v
		if f := a.p.Nodes[s.Node].Frame; f >= 0 && a.cls.info[f].schedLeaf {
			sched += v
		}
		if pyspy && a.cls.classifyStack(s, a.stackOf(k, nil)).Cat == CatIdle {
			idle += v
		}
	}
	switch {
	case all > 0 && sched*2 > all:
		return RecOffCPU
	case idle*10 >= all && idle > 0:
		// py-spy drops idle threads unless --idle was given: seeing many
		// of them means the recording is wall-clock (a few slip through
		// py-spy's idle heuristic either way).
		return RecWall
	case pyspy:
		// Without --idle py-spy samples only threads the OS sees running:
		// an on-CPU view, whatever the file format says.
		return RecOnCPU
	}
	return RecOnCPU
}

// quality reports what the recording can show and how well it was captured.
func (a *analysis) quality() Quality {
	q := Quality{Kind: a.recording, CanSee: []string{}, CannotSee: []string{}, Next: []string{}, Runtime: a.runtime()}
	switch a.recording {
	case RecOnCPU:
		q.CanSee = []string{"where threads spend CPU time", "on-CPU cost of GIL hand-overs, allocation, serialization and boundary glue"}
		q.CannotSee = []string{"threads blocked on the GIL, locks, I/O or sleep (they are not running, so not sampled)", "latency and time spent waiting"}
	case RecOffCPU:
		q.CanSee = []string{"where threads block: GIL waits, lock waits, I/O waits and sleeps, by context switch"}
		if s := a.switchSplit(); s != "" {
			q.CanSee = append(q.CanSee, s)
		}
		q.CannotSee = []string{"CPU time (a thread that never blocks is never sampled)"}
	case RecWall:
		q.CanSee = []string{"where every thread spends wall-clock time, running or waiting"}
		q.CannotSee = []string{"whether a thread was on a CPU or waiting, except where the waiting frame is visible"}
	case RecMemory:
		q.CanSee = []string{"which call sites account for the " + a.costNoun()}
		q.CannotSee = []string{"time: a memory profile counts bytes and blocks, not CPU or wall time"}
		if a.notAllocations() {
			q.CannotSee = []string{"time, and allocations: this profile counts " + a.costNoun()}
		}
		if a.cls.pyProc {
			q.CannotSee = append(q.CannotSee, "allocations by Python code in Python terms (use tracemalloc or memray)")
			if a.p.Meta.Format == "dhat" {
				// pymalloc serves objects up to 512 bytes from its own
				// arenas: DHAT sees the arenas, not the objects.
				q.CannotSee = append(q.CannotSee, "small Python objects: pymalloc hands them out from arenas DHAT sees only as a few large blocks (run with PYTHONMALLOC=malloc to see each one)")
			}
		}
	}
	var unsym, trunc, truncAtPython, pyFrames int64
	hasNative := false
	var buf []profile.FrameID
	for k := range a.samples {
		v := a.val[k]
		buf = a.stackOf(k, buf)
		stack := buf
		if len(stack) > 0 && (a.cls.info[stack[len(stack)-1]].rt == rtUnknown || (a.cls.info[stack[len(stack)-1]].rt == rtKernel && unsymbolizedName(a.cls.info[stack[len(stack)-1]].name))) {
			unsym += v
		}
		if !a.reachesRoot(stack) {
			trunc += v
			if a.startsAtPython(stack) {
				truncAtPython += v
			}
		}
		py := false
		for _, f := range stack {
			switch a.cls.info[f].rt {
			case rtPython:
				py = true
			case rtNative, rtCPython, rtLibc:
				hasNative = true
			}
		}
		if py {
			pyFrames += v
		}
	}
	q.Unsymbolized = share(unsym, a.total)
	q.Truncated = share(trunc, a.total)
	q.TruncatedAtPython = share(truncAtPython, a.total)
	q.PythonFrames = pyFrames > 0
	python := a.cls.pyProc
	if python && !hasNative && strings.Contains(strings.ToLower(a.p.Meta.Producer), "py-spy") {
		q.CannotSee = append(q.CannotSee, "native frames: recorded without --native, so time in C and Rust extensions and GIL waits show as the Python line that called them")
	}
	q.CannotSee = append(q.CannotSee, a.formatBlindSpots()...)
	if q.Truncated >= 0.05 {
		q.CannotSee = append(q.CannotSee, fmt.Sprintf("the callers of %s of the cost: those stacks stop before the process or thread root (unwinding ran out)", pct(q.Truncated)))
	}
	if a.waitsAmbiguous() {
		note := a.ambiguousWaitNote()
		if ok, at, _ := a.gilTimeouts(); ok {
			// The timing attributes the waits as a whole, not one by one.
			note = fmt.Sprintf("which of the futex waits no frame names are the GIL's, one by one (%s of the %s): the frames stop at the futex call, and only their timing (%s waits ran out at the 5 ms switch interval) says they are the GIL's as a whole (record with --call-graph dwarf under python3.12 -X perf, or -X perf_jit, to see take_gil above each wait)", pct(a.activeShare(a.callerlessWaits())), a.costNoun(), thousands(at))
		}
		q.CannotSee = append(q.CannotSee, note)
	}
	q.CPUs, q.CPUList = a.cpus()
	if q.CPUs == 0 {
		q.CPUList = ""
	}
	if t := a.oneCPUThreads(); t > 0 {
		q.CannotSee = append(q.CannotSee, fmt.Sprintf("what more CPUs would give: every sample ran on CPU %s, so its %d busy threads took turns on one CPU (pinned by taskset or a cpuset, a one-CPU container, or the other CPUs busy), and the shares are of that one CPU's time", q.CPUList, t))
	}
	if a.recording != RecMemory && a.threadSrc == threadsFromStructure && a.threadCount() > 1 {
		q.CannotSee = append(q.CannotSee, "how many threads ran the same code: the file has no thread ids, so thread counts are lower bounds")
	}

	switch {
	case a.recording == RecMemory && a.notAllocations():
		q.Next = append(q.Next, "perf record -F 999 -g -p PID -- sleep 30   # on-CPU time, to weigh these sites")
	case a.recording == RecMemory:
		if python {
			q.Next = append(q.Next, "py-spy record --native --format speedscope -o cpu.json --pid PID   # where the time goes, to weigh the allocation sites")
		} else {
			q.Next = append(q.Next, "perf record -F 999 -g -p PID -- sleep 30   # on-CPU time, to weigh the allocation sites")
		}
	case python && a.recording == RecOnCPU && strings.Contains(strings.ToLower(a.p.Meta.Producer), "py-spy"):
		// The recorder the user already runs first: its own flags show
		// the waits and the native frames this file lacks.
		q.Next = append(q.Next,
			"py-spy record --idle --native --format speedscope -o wall.json --pid PID   # wall-clock, every thread, with native frames",
			"perf record -e sched:sched_switch --call-graph dwarf -p PID -- sleep 10   # off-CPU: GIL, lock and I/O waits")
	case python && a.recording == RecOnCPU:
		q.Next = append(q.Next,
			"perf record -e sched:sched_switch --call-graph dwarf -p PID -- sleep 10   # off-CPU: GIL, lock and I/O waits",
			"py-spy record --idle --native --format speedscope -o wall.json --pid PID   # wall-clock, every thread")
	case python && a.recording == RecWall && !hasNative:
		q.Next = append(q.Next, "py-spy record --idle --native --format speedscope -o wall.json --pid PID   # native frames show extension work and GIL waits")
	case python && a.recording == RecOffCPU:
		q.Next = append(q.Next, "perf record -F 999 --call-graph dwarf -p PID -- sleep 10   # on-CPU time, to weigh what the waiting threads wait for")
	case !python && a.recording == RecOnCPU:
		q.Next = append(q.Next, "perf record -e sched:sched_switch --call-graph dwarf -p PID -- sleep 10   # off-CPU: lock and I/O waits")
	}
	if python && !q.PythonFrames {
		ver := a.pythonVersion()
		switch {
		case ver == "" || versionAtLeast(ver, 3, 12):
			py := "python3"
			if ver != "" {
				py = "python" + ver
			}
			q.Next = append(q.Next, "perf record -F 999 --call-graph dwarf -- "+py+" -X perf SCRIPT.py   # CPython 3.12+ names Python functions in perf")
		}
		// Older CPython has no perf trampoline: py-spy is the way to names.
		q.Next = append(q.Next, "py-spy record --native --format speedscope -o out.json -- python3 SCRIPT.py")
	}
	if q.Truncated > 0.2 && a.p.Meta.Format == "perf" {
		switch {
		case a.dwarfUnwound() && 2*truncAtPython > trunc:
			// Stacks that stop at a Python frame under DWARF: perf has no
			// unwind table for -X perf's trampolines; perf_jit writes them.
			q.Next = append(q.Next, "perf record -k 1 --call-graph dwarf -o after.data -- python3.13 -X perf_jit SCRIPT.py && perf inject --jit -i after.data -o after.jit.data   # whole Python stacks: DWARF stops at -X perf's trampolines")
		case a.dwarfUnwound():
			// DWARF unwinding stops where the copied stack ends: the
			// default copy is 8 KB, perf takes up to 65528 bytes.
			q.Next = append(q.Next, "perf record --call-graph dwarf,65528 ...   # perf's largest stack copy: deeper stacks reach their roots")
		default:
			q.Next = append(q.Next, "perf record --call-graph dwarf,16384 ...   # DWARF unwinding reaches the roots frame pointers miss")
		}
	}
	return q
}

// startsAtPython says whether a stack's first frame, past task and thread
// labels, is a Python function.
func (a *analysis) startsAtPython(stack []profile.FrameID) bool {
	for _, f := range stack {
		if fi := &a.cls.info[f]; !fi.pseudo {
			return fi.rt == rtPython
		}
	}
	return false
}

// reachesRoot reports whether a stack starts at a process or thread root.
func (a *analysis) reachesRoot(stack []profile.FrameID) bool {
	if a.p.Graph != nil {
		// Stacks derived from a call graph start where the graph has no
		// caller: nothing was cut off by unwinding.
		return true
	}
	if a.p.Meta.Format == "pprof" && a.runtime() == "go" {
		// Go's profiler drops runtime.goexit: a goroutine's stack starts
		// at the function the goroutine was started with.
		return true
	}
	if a.p.Meta.Format == "scalene" {
		// scalene reports lines and functions, never their callers: a
		// one-frame stack is all there is, not a stack cut short.
		return true
	}
	for k := 0; k < len(stack) && k < 3; k++ {
		// A Python-level stack (py-spy, austin) is whole when it starts at
		// a module body or a thread's bootstrap (processTop has both); one
		// that starts at an inner function lost its callers, as perf's
		// DWARF stacks that stop at the innermost -X perf frame do.
		if a.cls.info[stack[k]].processTop {
			return true
		}
	}
	return false
}

// warnings are the capture-quality sentences, importer warnings first.
// minProfilerNote is the share of the active cost from which the
// profiler's own work gets a warning.
const minProfilerNote = 0.05

// profilerCost is the active value of the samples with an in-process
// profiler's frame on their stack (factProfiler).
func (a *analysis) profilerCost() int64 {
	// The note and the memory finding both ask: one walk.
	if a.profilerDone {
		return a.profilerVal
	}
	a.profilerVal, a.profilerDone = a.computeProfilerCost(), true
	return a.profilerVal
}

func (a *analysis) computeProfilerCost() int64 {
	// A goroutine profile counts goroutines, not a cost being paid.
	if t := a.p.SampleTypes[a.vi].Type; t == "goroutine" || t == "goroutines" {
		return 0
	}
	// Too few samples for a share to mean anything (warnings says so
	// in a note of its own).
	if a.recording != RecMemory && a.count < minSamples {
		return 0
	}
	if !slices.ContainsFunc(a.cls.info, func(fi frameInfo) bool { return fi.is(factProfiler) }) {
		return 0
	}
	return a.activeWhere(func(stack []profile.FrameID) bool {
		return slices.ContainsFunc(stack, func(f profile.FrameID) bool { return a.cls.info[f].is(factProfiler) })
	})
}

func (a *analysis) warnings(r *Report) []string {
	var w []string
	m := &a.p.Meta
	if m.Skipped > 0 {
		w = append(w, fmt.Sprintf("%d malformed records were skipped while reading; shares are of what was read.", m.Skipped))
	}
	w = append(w, m.Warnings...)
	if a.count > 0 && a.count < minSamples && a.recording != RecMemory {
		w = append(w, fmt.Sprintf("Only %s samples: a share of 50%% is uncertain by ±%.0f points (2σ), and shares below %.0f%% are noise; record longer or at a higher rate.",
			thousands(a.count), 100*noise(0.5, a.count), 100*noise(0.05, a.count)))
	}
	if share(a.idle, a.total) >= minIdleNote {
		w = append(w, fmt.Sprintf("%s of the total is idle (threads asleep or waiting with nothing to do); hotspots and findings rank by the %s that is active.",
			pct(share(a.idle, a.total)), pct(share(a.active, a.total))))
	}
	q := &r.Quality
	if v := a.profilerCost(); a.activeShare(v) >= minProfilerNote {
		w = append(w, fmt.Sprintf("%s of the %s is Go's profiler itself (runtime/pprof writing or serving profiles, and the compression under it): the cost of being profiled, not the program's work. A service profiled continuously pays it on every collection; the allocation sites and findings include it.", pct(a.activeShare(v)), a.activeNoun()))
	}
	if q.Unsymbolized > 0.10 {
		w = append(w, fmt.Sprintf("%.0f%% of the cost ends in unsymbolized frames ([unknown] or bare addresses); install debug symbols or record with --call-graph dwarf.", 100*q.Unsymbolized))
	}
	if e := a.ruleVal["kind:empty"]; share(e, a.total) >= 0.02 {
		w = append(w, fmt.Sprintf("%s of the total is samples with no frames at all (the recorder found no stack for the thread); they count as %s and no function can be named for them.", pct(share(e, a.total)), a.classOfEmpty()))
	}
	if q.Truncated > 0.20 && !m.Truncated {
		w = append(w, fmt.Sprintf("%.0f%% of the cost is in stacks that never reach a process or thread root (truncated unwinding); callers of those samples are unknown.", 100*q.Truncated))
	}
	if a.cls.pyProc && !q.PythonFrames {
		w = append(w, "This is a Python process, but the profile names no Python functions (only interpreter frames): Python-level hotspots cannot be told apart. Record with `-X perf` under perf (CPython 3.12+), or with py-spy; the commands are under what to record next.")
	}
	if m.Format == "flamegraph-svg" && m.Recording == "" && a.recording == RecOnCPU {
		w = append(w, "The flame graph does not say how it was recorded: its counts are read as on-CPU samples (perf's and py-spy's default). If it was recorded with py-spy --idle or off-CPU, the shares are of wall-clock or waiting time instead.")
	}
	switch a.recording {
	case RecOnCPU:
		if a.cls.pyProc || q.PythonFrames {
			w = append(w, "On-CPU profile: threads blocked on the GIL, locks or I/O are not sampled, so waiting is invisible here.")
		}
	case RecMemory:
		if a.notAllocations() {
			w = append(w, fmt.Sprintf("The values are %s, not allocations and not time: no allocation advice applies to them.", a.costNoun()))
			break
		}
		w = append(w, "Memory profile: values are bytes (or blocks) allocated, not time.")
		if n := a.leakNote(); n != "" {
			w = append(w, n)
		}
	}
	return w
}

func share(v, total int64) float64 {
	if total <= 0 {
		return 0
	}
	return float64(v) / float64(total)
}

// noise is the 2-sigma sampling error of a share p measured over n samples.
func noise(p float64, n int64) float64 {
	if n <= 0 {
		return 1
	}
	return 2 * math.Sqrt(p*(1-p)/float64(n))
}

var rePyVersion = regexp.MustCompile(`(?:libpython|/python|^python)(3\.\d+)`)

// pythonVersion is the CPython version named by the profile's modules or
// files ("3.12"), or "".
func (a *analysis) pythonVersion() string {
	for i := range a.p.Frames {
		f := &a.p.Frames[i]
		for _, s := range []string{f.Module, f.File} {
			if m := rePyVersion.FindStringSubmatch(s); m != nil {
				return m[1]
			}
		}
	}
	return ""
}

// versionAtLeast compares a "3.12"-style version with major.minor.
func versionAtLeast(v string, major, minor int) bool {
	var a, b int
	if _, err := fmt.Sscanf(v, "%d.%d", &a, &b); err != nil {
		return false
	}
	return a > major || (a == major && b >= minor)
}

// nativeRecordCommand is the command that records this Python program again
// with native frames, in the same kind of recording (wall-clock keeps
// --idle).
func (a *analysis) nativeRecordCommand() string {
	idle := ""
	if a.recording == RecWall {
		idle = " --idle"
	}
	return "`py-spy record" + idle + " --native --format speedscope -o native.json --pid PID`; py-spy's --native works on Linux and Windows, or `perf record -F 999 --call-graph dwarf` with python3.12+ -X perf on Linux"
}

// runtime names the language of the program the profile is of, for
// runtime-specific advice: "python" for a Python process (its extensions
// included), else "go", "rust" or "c" (C and C++) by the frames present.
func (a *analysis) runtime() string {
	if a.lang != "" {
		return a.lang
	}
	a.lang = "c"
	if a.cls.pyProc {
		a.lang = "python"
		return a.lang
	}
	for i := range a.p.Frames {
		if fi := &a.cls.info[i]; (fi.rt == rtNative || fi.rt == rtLibc) && fi.is(factGoRuntime) {
			a.lang = "go"
			return a.lang
		}
	}
	if a.hasRustCode() {
		a.lang = "rust"
	}
	return a.lang
}

// hasRustCode says whether any frame is Rust's (its std, core or alloc):
// a Python program with a Rust extension, where a Rust sketch may apply.
func (a *analysis) hasRustCode() bool {
	if a.rustCode == 0 {
		a.rustCode = -1
		for i := range a.p.Frames {
			if fi := &a.cls.info[i]; (fi.rt == rtNative || fi.rt == rtLibc) && fi.is(factRustStd) {
				a.rustCode = 1
				break
			}
		}
	}
	return a.rustCode > 0
}

// forRuntime words a hint for the program's runtime: the catalogue's
// variant when it has one, and only sketches in languages the program
// uses (a Python program may have Rust extensions; a Go program gets no
// Python sketch).
func (a *analysis) forRuntime(h hints.Hint) hints.Hint {
	rt := a.runtime()
	// A Python process running an extension's Rust code keeps the hint's
	// wording for both languages; without one, the Python wording.
	if rt != "python" || !a.hasRustCode() {
		h = h.For(rt)
	}
	keep := func(lang string) bool {
		switch rt {
		case "python":
			return lang == "python" || lang == "rust" && a.hasRustCode()
		default:
			return lang == rt
		}
	}
	var out []hints.Sketch
	for _, s := range h.Sketches {
		if keep(s.Language) {
			out = append(out, s)
		}
	}
	h.Sketches = out
	return h
}

// classOfEmpty is the category empty stacks go to (classify.go).
func (a *analysis) classOfEmpty() Category {
	if a.cls.pyProc {
		return CatInterpreter
	}
	return CatNative
}

// minIdleNote is the idle share of the total below which the report does
// not mention idle time (it would read "0.0% ... idle").
const minIdleNote = 0.0005

// unsymbolizedName says whether a display name is no function name: an
// address, [unknown], or an object name in brackets ([kernel.kallsyms],
// [libfoo.so]) that perf prints when it has no symbol.
func unsymbolizedName(name string) bool {
	return isUnsymbolized(name) || isUnsymbolized(strings.Trim(name, "[]")) || reBracketMod.MatchString(name)
}

// blindSpots is what each input format cannot show whatever the program,
// by importer name: the recorder's own limits, stated once in the
// report's capture quality.
var blindSpots = map[string][]string{
	"pstats": {
		"threads other than the one that started the profiler (cProfile hooks only its own thread)",
		"native frames: C and Rust code has no entries except the builtin or extension function Python called, and the work of the bytecode is in each function's own time, not per line",
		"stacks: the file records one caller level; the stacks shown are derived from the call graph",
	},
	"callgrind": {
		"time: callgrind counts instructions executed (Ir) under valgrind, not time; cache misses, system calls and waiting cost no instructions",
		"stacks: the file records one caller level; the stacks shown are derived from the call graph",
	},
	"massif": {
		"allocation churn: massif snapshots the live heap, so memory allocated and freed between snapshots never shows (use heaptrack or DHAT for churn)",
		"time: bytes live at the peak, not where time goes",
	},
	"heaptrack": {
		"CPU time: heaptrack records allocations and frees, not where time goes",
	},
	"scalene": {
		"stacks: scalene reports lines and functions, not who called them",
		"how short native calls cost: scalene counts them as the calling line's Python time",
	},
	"austin": {
		"native frames: austin samples Python frames only, so time in C and Rust extensions and waits on the GIL show as the Python line that called them",
	},
	"flamegraph-svg": {
		"frames narrower than the writer's minimum width: it dropped them, so their cost shows as their parents' own time",
	},
}

// formatBlindSpots is what this profile's format cannot show, with the
// conditions that depend on the program (Python under callgrind).
func (a *analysis) formatBlindSpots() []string {
	m := &a.p.Meta
	out := append([]string{}, blindSpots[m.Format]...)
	if m.Format == "callgrind" && a.cls.pyProc && !a.hasPythonFrames() {
		out = append(out, "Python function names: under CPython callgrind sees only the interpreter's C functions (_PyEval_EvalFrameDefault runs every Python function)")
	}
	if strings.Contains(strings.ToLower(m.Producer), "austin") && m.Format != "austin" {
		out = append(out, blindSpots["austin"]...)
	}
	return out
}

// perCallHints are the hints whose fix is about how often something is
// called: their savings are per call, and a sampled profile has no counts.
var perCallHints = map[string]bool{"batch-ffi-calls": true, "faster-serialization": true, "hot-logging": true}

// callCountsLimit says, for a Python program sampled on the CPU or the
// wall clock with a finding about calls, that the recording has no call
// counts and how to get them: cProfile, whose pstats output hotspot reads
// (its counts are exact; its times are inflated by tracing, so the counts
// are what to take). Not when the profile has a call graph (pstats,
// callgrind) or --items gave the count.
func (a *analysis) callCountsLimit(r *Report, items int64) {
	if !a.cls.pyProc || a.p.Graph != nil || items > 0 || (a.recording != RecOnCPU && a.recording != RecWall) {
		return
	}
	var fns []string
	for _, f := range r.Findings {
		if !perCallHints[f.Hint] {
			continue
		}
		for _, fn := range f.Functions {
			if !slices.Contains(fns, fn) {
				fns = append(fns, fn)
			}
		}
	}
	if len(fns) == 0 {
		return
	}
	r.Quality.CannotSee = append(r.Quality.CannotSee, fmt.Sprintf("how many calls %s made: a sampled profile has no call counts, so the findings' costs are shares, not costs per call (pass --items N when the count is known, or count the calls with cProfile: its counts are exact, its times inflated by tracing)", joinNames(fns, 3)))
	r.Quality.Next = append(r.Quality.Next, "python -m cProfile -o calls.pstats SCRIPT.py   # exact call counts; hotspot reads calls.pstats")
}
