// Package bigmem allocates the large arrays a profile's model and its
// analysis are made of so that their pages cost little to map: written
// once at allocation, on huge pages where the kernel gives them.
package bigmem

import "unsafe"

// Written returns a zeroed slice of n elements whose pages have all been
// written. The kernel maps a page of fresh memory that is read before it
// is written to its shared zero page, and the first write to it then
// costs a copy-on-write fault that flushes the TLB of every CPU the
// process runs on: several plain faults' worth. Large blocks are read
// first more often than not: the garbage collector scans a block with
// pointers as soon as it is allocated, and a hash table is probed before
// it is filled. On a pprof file of a million samples these faults were a
// third of the system time.
func Written[T any](n int) []T {
	s := make([]T, n)
	// Through a byte view: zero bytes over zero memory need no write
	// barrier, and clearing a block with pointers would take one that
	// reads every page first.
	size := uintptr(n) * unsafe.Sizeof(*new(T))
	if size == 0 {
		return s
	}
	b := unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(s))), size)
	if size >= hugeMin {
		adviseHuge(b)
	}
	for i := 0; i < len(b); i += pageSize {
		b[i] = 0
	}
	return s
}

// hugeMin is the size from which a block is worth huge pages: one fault
// maps 2 MiB instead of 512 faults mapping 4 KiB each (on a virtual
// machine a fault can cost 10 µs: a 100 MB array then takes a second of
// faults with small pages, a third of that with huge ones, and misses the
// TLB less while it is read). Smaller blocks would round up to waste.
const hugeMin = 4 << 20

// pageSize is the smallest page size of the platforms Go runs on; writing
// one byte in every pageSize writes every page of larger ones too.
const pageSize = 4096

// Advise asks for huge pages under a large buffer that is about to be
// filled (an input read whole), without writing it first: a buffer sized
// from a hint may be larger than what fills it, and untouched pages cost
// nothing.
func Advise(b []byte) {
	if len(b) >= hugeMin {
		adviseHuge(b)
	}
}
