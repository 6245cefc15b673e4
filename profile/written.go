package profile

import "unsafe"

// written returns a zeroed slice of n elements whose pages have all been
// written. The kernel maps a page of fresh memory that is read before it
// is written to its shared zero page, and the first write to it then
// costs a copy-on-write fault that flushes the TLB of every CPU the
// process runs on: several plain faults' worth. Large blocks are read
// first more often than not: the garbage collector scans a block with
// pointers as soon as it is allocated, and a hash table is probed before
// it is filled. On a pprof file of a million samples these faults were a
// third of the system time.
func written[T any](n int) []T {
	s := make([]T, n)
	// Through a byte view: zero bytes over zero memory need no write
	// barrier, and clearing a block with pointers would take one that
	// reads every page first.
	size := uintptr(n) * unsafe.Sizeof(*new(T))
	if size == 0 {
		return s
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size)
	for i := 0; i < len(b); i += pageSize {
		b[i] = 0
	}
	return s
}

// pageSize is the smallest page size of the platforms Go runs on; writing
// one byte in every pageSize writes every page of larger ones too.
const pageSize = 4096
