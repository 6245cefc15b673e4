//go:build unix

package pprof

import "syscall"

// cpuNanos is the CPU time this process has used, user plus system. The
// benchmarks report it next to wall time because a busy machine stretches
// wall time but not CPU time.
func cpuNanos() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
