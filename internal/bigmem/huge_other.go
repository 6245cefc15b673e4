//go:build !linux

package bigmem

// adviseHuge is a no-op where Linux's madvise is not available.
func adviseHuge([]byte) {}
