//go:build unix

package perfscript

import (
	"syscall"
	"time"
)

// cpuTime is the CPU time (user + system) the process has used so far.
// Benchmarks report throughput per CPU second beside the wall-clock MB/s,
// which a loaded machine makes noisy.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
