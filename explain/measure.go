package explain

import (
	"fmt"
	"github.com/hotspot-dev/hotspot/internal/bigmem"
	"math"
	"strings"

	"github.com/hotspot-dev/hotspot/profile"
)

// recordCommand is the command that records this program again the way
// this profile was recorded (same recorder, event, unwinding and Python
// flags), so that before and after compare like with like.
func (a *analysis) recordCommand() string {
	m := &a.p.Meta
	prod := strings.ToLower(m.Producer)
	switch {
	case strings.Contains(prod, "py-spy"):
		flags := ""
		if a.recording == RecWall {
			flags += " --idle"
		}
		if a.cls.nativeFrames {
			flags += " --native"
		}
		if a.threadCount() > 1 && a.threadSrc == threadsFromLabels {
			flags += " --threads"
		}
		out := "--format speedscope -o after.json"
		if m.Format == "folded" {
			out = "--format raw -o after.txt"
		}
		return "py-spy record" + flags + " " + out + " -- python PROGRAM"
	case strings.Contains(prod, "dhat"):
		if strings.Contains(prod, "dhat-rs") {
			return "cargo run --release --features dhat-heap   # dhat::Profiler writes dhat-heap.json"
		}
		return "valgrind --tool=dhat --dhat-out-file=after.dhat.json PROGRAM"
	case m.Format == "heaptrack":
		return "heaptrack -o after PROGRAM"
	case strings.Contains(prod, "heaptrack"):
		return "heaptrack -o after PROGRAM && heaptrack_print -F after.folded.txt after.zst"
	case m.Format == "massif":
		return "valgrind --tool=massif --massif-out-file=after.massif.out PROGRAM"
	case m.Format == "callgrind":
		return "valgrind --tool=callgrind --callgrind-out-file=after.callgrind.out PROGRAM"
	case m.Format == "pstats" && m.Producer == "profile":
		return "python3 -m profile -o after.pstats PROGRAM.py"
	case m.Format == "pstats":
		return "python3 -m cProfile -o after.pstats PROGRAM.py"
	case m.Format == "scalene":
		return "python3 -m scalene --json --outfile after.json --cli PROGRAM.py"
	case m.Format == "austin":
		return "austin -o after.austin python3 PROGRAM.py"
	case m.Format == "pprof" && a.runtime() == "go":
		if a.recording == RecMemory {
			return "go test -run '^$' -bench . -memprofile after.mem.pprof"
		}
		return "go test -run '^$' -bench . -cpuprofile after.cpu.pprof"
	case m.Format == "perf" || m.Format == "folded":
		return a.perfCommand()
	}
	return "record again with the same tool and settings as this profile"
}

// perfCommand rebuilds a perf record command from what the profile shows.
func (a *analysis) perfCommand() string {
	event := "-F 999"
	if a.recording == RecOffCPU {
		event = "-e sched:sched_switch"
	} else if ns := a.nsPerUnit(); ns > 0 && a.count > 0 && a.total > 0 {
		// The mean sample period gives the rate it was recorded at.
		if hz := int(math.Round(1e9 / (ns * float64(a.total) / float64(a.count)))); hz > 0 && hz < 100000 {
			event = fmt.Sprintf("-F %d", hz)
		}
	}
	unwind := "-g"
	jit, xperf := false, false
	for i := range a.p.Frames {
		mod := a.p.Frames[i].Module
		if strings.Contains(mod, "jitted-") || strings.HasSuffix(mod, ".dump") {
			jit = true
		}
		if strings.HasPrefix(a.p.Frames[i].Name, "py::") {
			xperf = true
		}
	}
	if a.dwarfUnwound() {
		unwind = "--call-graph dwarf"
	}
	py := "PROGRAM"
	switch {
	case jit:
		return "perf record " + event + " -k 1 --call-graph dwarf -o after.data -- python3.13 -X perf_jit PROGRAM && perf inject --jit -i after.data -o after.jit.data && perf script -i after.jit.data > after.perf.txt"
	case xperf:
		py = "python3 -X perf PROGRAM"
	case a.cls.pyProc:
		py = "python3 PROGRAM"
	}
	return "perf record " + event + " " + unwind + " -o after.data -- " + py + " && perf script -i after.data > after.perf.txt"
}

// dwarfUnwound says whether the stacks pass through CPython's C frames
// below the eval loop: CPython is built without frame pointers, so only
// DWARF unwinding walks through them.
//
// A leaf in CPython shows in any recording (its address is the sample's);
// a CPython frame called by another CPython frame took an unwinder that
// reads CPython's own code, and frame pointers cannot. Stacks cut short
// say nothing either way: DWARF stops at the end of its stack copy or at
// the first JIT trampoline it has no unwind table for.
func (a *analysis) dwarfUnwound() bool {
	if a.dwarfMemo != 0 {
		return a.dwarfMemo > 0
	}
	a.dwarfMemo = -1
	p := a.p
	// Frame pointers found in a stray register can fake one such call
	// now and then: the stacks that show one must hold a real part of the
	// cost.
	under := bigmem.Written[bool](len(p.Nodes))
	var v int64
	for i := 1; i < len(p.Nodes); i++ {
		nd := &p.Nodes[i]
		if nd.Parent == profile.RootNode {
			continue
		}
		if under[nd.Parent] {
			under[i] = true
			continue
		}
		fi, pi := &a.cls.info[nd.Frame], &a.cls.info[p.Nodes[nd.Parent].Frame]
		if fi.rt == rtCPython && !fi.eval && pi.rt == rtCPython && !pi.eval {
			under[i] = true
			v += a.nodeTotal.at(profile.NodeID(i))
		}
	}
	if a.activeShare(v) >= minDWARFShare {
		a.dwarfMemo = 1
	}
	return a.dwarfMemo > 0
}

// minDWARFShare is the share of the active cost in stacks with CPython
// calling CPython from which the recording is taken for DWARF-unwound: the
// corpus's frame-pointer recordings show at most 0.5%, its DWARF ones at
// least 2% (native work holding the GIL, little CPython under it).
const minDWARFShare = 0.01

// truncatedShare is the share of the active cost in stacks that do not
// reach a process or thread root.
func (a *analysis) truncatedShare() float64 {
	return a.activeShare(a.activeWhere(func(stack []profile.FrameID) bool { return !a.reachesRoot(stack) }))
}

// activeWhere is the value of the active samples whose root-first stack
// has the property asked.
func (a *analysis) activeWhere(has func(stack []profile.FrameID) bool) int64 {
	var v int64
	var buf []profile.FrameID
	for k := range a.samples {
		if a.class[k].Cat == CatIdle {
			continue
		}
		buf = a.stackOf(k, buf)
		if has(buf) {
			v += a.val[k]
		}
	}
	return v
}

// targets are the pass/fail thresholds for the measurement after a
// finding's fix, from its predicted profile: the claimed cost's share of
// the new total, and the speed-up.
func (a *analysis) targets(f *Finding, moves bool) []string {
	x, lo, hi := f.ClaimedShare, f.RemoveLow, f.RemoveHigh
	if x <= 0 || hi <= 0 {
		return nil
	}
	// After removing r of the claim, the claim's share of the new total
	// is x(1-r) / (1-x r). The low end of the removal is the pass line.
	after := func(r float64) float64 { return x * (1 - r) / (1 - x*r) }
	pass := after(lo)
	what := "the cost this finding claims"
	if len(f.Functions) > 0 {
		what += " (under " + joinNames(f.Functions, 2) + ")"
	}
	out := []string{fmt.Sprintf("Pass: %s falls from %s to at most %s of the active %s (predicted %s); fail: still above %s.",
		what, pct(x), pct(pass), a.costNoun(), pctRange(after(hi), after(lo)), pct(after(lo/2)))}
	if x-pass < 0.05 {
		// A claim that is nearly the whole profile stays nearly the whole
		// after the fix: its share cannot show the change, its amount can.
		out[0] = fmt.Sprintf("Pass: %s, measured for the same work, falls by at least %s of today's amount (predicted %s); fail: by less than %s.",
			what, pct(lo), pctRange(lo, hi), pct(lo/2))
	}
	sLo, sHi := 1/(1-x*lo), 1/(1-x*hi)
	switch {
	case moves:
		out = append(out, "CPU time for the same work stays about the same (the work moves to another thread, it is not removed): judge the fix by the share above, taken on the event loop's thread, and by the latency of the other tasks, not by CPU time.")
	case a.recording == RecMemory:
		out = append(out, fmt.Sprintf("Pass: "+a.costNoun()+" for the same work fall at least %s (predicted %s); fail: under %s.", xRange(sLo, sLo), xRange(sLo, sHi), xRange(1+(sLo-1)/2, 1+(sLo-1)/2)))
	case a.recording == RecOffCPU:
		if w := f.waitShare; w > 0 {
			// Timed switches: the waiting the fix shortens is the claim's
			// share of the time, not of the switches.
			sLo, sHi = 1/(1-w*lo), 1/(1-w*hi)
		}
		out = append(out, fmt.Sprintf("Pass: off-CPU waiting for the same work falls at least %s (predicted %s); check wall time too: waits off the critical path do not shorten it.", xRange(sLo, sLo), xRange(sLo, sHi)))
	default:
		out = append(out, fmt.Sprintf("Pass: the same work runs at least %s faster in CPU time (predicted %s); fail: under %s.", xRange(sLo, sLo), xRange(sLo, sHi), xRange(1+(sLo-1)/2, 1+(sLo-1)/2)))
	}
	out = append(out, "Record with "+asCode(a.recordCommand())+".")
	return out
}

// asCode puts a shell command in a code span, so every renderer shows it as
// code; a trailing "# comment" goes after it in parentheses, as prose.
func asCode(cmd string) string {
	c, why, _ := strings.Cut(cmd, "#")
	out := "`" + strings.TrimSpace(c) + "`"
	if why = strings.TrimSpace(why); why != "" {
		out += " (" + why + ")"
	}
	return out
}
