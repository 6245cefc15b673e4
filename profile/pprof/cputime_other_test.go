//go:build !unix

package pprof

func cpuNanos() int64 { return 0 }
