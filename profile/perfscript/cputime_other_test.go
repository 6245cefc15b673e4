//go:build !unix

package perfscript

import "time"

// cpuTime is unknown here: the CPU-time metric is not reported.
func cpuTime() time.Duration { return 0 }
