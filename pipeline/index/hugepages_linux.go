package index

import (
	"syscall"
	"unsafe"
)

const (
	hugePage = 2 << 20
	// madvCollapse is MADV_COLLAPSE (Linux 6.1), which package syscall does not name.
	madvCollapse = 25
)

// adviseHuge asks the kernel to back the whole 2 MiB pages of s with huge pages, now
// (MADV_COLLAPSE) and after (MADV_HUGEPAGE).
func adviseHuge[T any](s []T) {
	if len(s) == 0 {
		return
	}
	n := uintptr(len(s)) * unsafe.Sizeof(s[0])
	p := unsafe.Pointer(unsafe.SliceData(s))
	skip := -uintptr(p) & (hugePage - 1)
	if n < skip+hugePage {
		return
	}
	size := (n - skip) &^ (hugePage - 1)
	b := unsafe.Slice((*byte)(unsafe.Add(p, skip)), size)
	// Advice only: a kernel without transparent huge pages, or without MADV_COLLAPSE,
	// refuses it, and the index works as well, if slower.
	_ = syscall.Madvise(b, syscall.MADV_HUGEPAGE)
	_ = syscall.Madvise(b, madvCollapse)
}
