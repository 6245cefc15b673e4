package explain

import (
	"strconv"
	"strings"
)

// cpus reads the CPUs the samples ran on, a recording fact the perf script
// reader keeps in Meta.Attrs "cpus" in the kernel's cpulist form ("0-3,8"):
// how many, and the list. n is 0 when the recording does not say (no CPU
// column, another format) or the list does not parse.
func (a *analysis) cpus() (n int, list string) {
	list = a.p.Meta.Attr("cpus")
	return cpuListLen(list), list
}

// cpuListLen counts the CPUs of a cpulist ("0-3,8" is 5), 0 when it is
// empty or malformed.
func cpuListLen(list string) int {
	if list == "" {
		return 0
	}
	n := 0
	for _, part := range strings.Split(list, ",") {
		lo, hi, isRange := strings.Cut(part, "-")
		first, err := strconv.Atoi(lo)
		if err != nil || first < 0 {
			return 0
		}
		last := first
		if isRange {
			if last, err = strconv.Atoi(hi); err != nil || last < first {
				return 0
			}
		}
		n += last - first + 1
	}
	return n
}

// oneCPUThreads is the number of threads that each ran at least
// minParallelShare of the active cost when every sample of an on-CPU
// recording ran on one CPU, else 0 (an off-CPU recording's switches say
// where threads stopped, not how busy they were): two busy threads time-sliced on one CPU mean the program had one
// CPU on that host (pinned by taskset or a cpuset, a one-CPU container, or
// the other CPUs busy), so more threads cannot run more at once there. One
// busy thread and a few samples of others is not evidence: the scheduler
// keeps a lone busy thread on the CPU it ran on, whatever the host has.
func (a *analysis) oneCPUThreads() int {
	if n, _ := a.cpus(); n != 1 || a.recording != RecOnCPU || a.active <= 0 {
		return 0
	}
	if a.activeCount() < minSamples {
		return 0
	}
	idx, _ := a.threadNumbers()
	per := map[int32]int64{}
	for k := range a.samples {
		if a.class[k].Cat != CatIdle {
			per[idx[k]] += a.val[k]
		}
	}
	busy := 0
	for _, v := range per {
		if a.activeShare(v) >= minParallelShare {
			busy++
		}
	}
	if busy < 2 {
		return 0
	}
	return busy
}

// minParallelShare is the least share of the active cost a thread needs to
// count as one of the busy threads oneCPUThreads looks for.
const minParallelShare = 0.10
