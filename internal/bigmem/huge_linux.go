package bigmem

import (
	"syscall"
	"unsafe"
)

// madvHugepage is MADV_HUGEPAGE (Linux 2.6.38+).
const madvHugepage = 14

// adviseHuge asks the kernel to back the whole 2 MiB pages inside b with
// transparent huge pages (where they are enabled for madvise, the default
// on most distributions). Before b is written: a page already mapped small
// stays small until khugepaged collapses it. A kernel without THP says
// EINVAL, which changes nothing.
func adviseHuge(b []byte) {
	const huge = 2 << 20
	p := uintptr(unsafe.Pointer(unsafe.SliceData(b)))
	start := (p + huge - 1) &^ (huge - 1)
	end := (p + uintptr(len(b))) &^ (huge - 1)
	if end <= start {
		return
	}
	_ = syscall.Madvise(b[start-p:end-p], madvHugepage)
}
