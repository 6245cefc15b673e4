package explain

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// switchEvent writes one sched_switch event of thread tid at time at (in
// seconds), switching out in state S, with frames leaf first ("name
// module").
func switchEvent(b *strings.Builder, tid int, at float64, frames ...string) {
	fmt.Fprintf(b, "python3 10/%d [000] %.6f: sched:sched_switch: prev_comm=python3 prev_pid=%d prev_prio=120 prev_state=S ==> next_comm=swapper/0 next_pid=0 next_prio=120\n", tid, at, tid)
	for i, f := range frames {
		cut := strings.LastIndex(f, " ")
		fmt.Fprintf(b, "\t%x %s+0x1 %s\n", 0x1000+i, f[:cut], f[cut+1:])
	}
	b.WriteString("\n")
}

// gilTimeRecording: thread 11 switches out 80 times in a file read, 10 ms
// apart; thread 12 switches out 20 times waiting for the GIL, gap apart,
// after thread 11's last switch when short. Each switch lasts until its
// thread's next one (the last until the recording ends), so with a 50 µs
// gap the GIL waits are 20 of 100 switches but 19 × 50 µs = 0.95 ms of
// about 801 ms off the CPU (worked by hand).
func gilTimeRecording(gap float64) string {
	read := []string{"__x64_sys_read [kernel.kallsyms]", "read " + libc, "_Py_read " + libpy, "_io_FileIO_readinto_impl " + libpy, "_PyEval_EvalFrameDefault " + libpy, "py::main:/app/main.py " + perfPy}
	gil := []string{"__x64_sys_futex [kernel.kallsyms]", "__futex_abstimed_wait_common " + libc, "take_gil " + libpy, "PyEval_RestoreThread " + libpy, "_PyEval_EvalFrameDefault " + libpy, "py::work:/app/main.py " + perfPy}
	type ev struct {
		at     float64
		tid    int
		frames []string
	}
	var evs []ev
	for i := range 80 {
		evs = append(evs, ev{1.0 + 0.010*float64(i), 11, read})
	}
	start := 1.799
	if gap >= 0.010 {
		start = 1.0025
	}
	for i := range 20 {
		evs = append(evs, ev{start + gap*float64(i), 12, gil})
	}
	// In time order, as perf script prints them.
	for i := 1; i < len(evs); i++ {
		for j := i; j > 0 && evs[j].at < evs[j-1].at; j-- {
			evs[j], evs[j-1] = evs[j-1], evs[j]
		}
	}
	var b strings.Builder
	for _, e := range evs {
		switchEvent(&b, e.tid, e.at, e.frames...)
	}
	return b.String()
}

// TestGILWaitsNeedTheirTime: short GIL hand-overs that are many switches
// but little time are not contention; the same switches lasting 10 ms
// each are.
func TestGILWaitsNeedTheirTime(t *testing.T) {
	short := explainText(t, "gil.perf.txt", gilTimeRecording(0.000050))
	assert.NotContains(t, hintsOf(short), "gil-contention")
	var reason string
	for _, r := range short.RuledOut {
		if strings.Contains(r.Reason, "time off the CPU") {
			reason = r.Reason
		}
	}
	assert.Contains(t, reason, "GIL waits are 20.0% of the context switches but 0.1% of the time off the CPU (950 µs of")

	long := explainText(t, "gil.perf.txt", gilTimeRecording(0.010))
	assert.Contains(t, hintsOf(long), "gil-contention")
}

// TestClaimSaysTimeOffCPU: where the switches were timed, a finding's
// claim gives the time besides the count. In the long recording the GIL
// waits are thread 12's 19 gaps of 10 ms and its last wait, open from
// 1.1925 s to the end at 1.790 s (787.5 ms), of 1,577.5 ms in all with
// thread 11's 79 gaps of 10 ms (worked by hand): 49.9%.
func TestClaimSaysTimeOffCPU(t *testing.T) {
	r := explainText(t, "gil.perf.txt", gilTimeRecording(0.010))
	for _, f := range r.Findings {
		if f.Hint == "gil-contention" {
			assert.Contains(t, f.Claim, "in time off the CPU, 788 ms of the active 1.58 s (49.9%)")
			// The fix removes 50-90% of the claim: waiting time falls
			// 1/(1 - 0.4992 × 0.5) = 1.33× to 1/(1 - 0.4992 × 0.9) = 1.82×.
			assert.Contains(t, f.ExpectedImpact, "in time off the CPU, of which the claim holds 49.9%, waiting falls 1.33–1.82×")
			assert.Contains(t, strings.Join(f.Targets, " "), "off-CPU waiting for the same work falls at least 1.33× (predicted 1.33–1.82×)")
			return
		}
	}
	t.Fatalf("no gil-contention: %v", hintsOf(r))
}
