//go:build unix

package speedscope_test

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user and system, all threads, GC included) this
// process has used. Benchmarks report throughput per CPU second next to the
// wall-clock MB/s because shared machines inflate wall time.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
