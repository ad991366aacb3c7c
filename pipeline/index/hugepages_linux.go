package index

import (
	"runtime"
	"sync/atomic"
	"syscall"
	"unsafe"
)

const (
	hugePage = 2 << 20
	// madvCollapse is MADV_COLLAPSE (Linux 6.1), which package syscall does not name.
	madvCollapse = 25
)

// hugeRegions are the memory ranges of an index given huge pages (see adviseHuge).
type hugeRegions [][]byte

// hugeReleased counts the regions whose advice was withdrawn (see releaseWhenUnreachable).
var hugeReleased atomic.Int64

// adviseHuge asks the kernel to back the whole 2 MiB pages of s with huge pages, now
// (MADV_COLLAPSE) and after (MADV_HUGEPAGE), and adds their range to r. It is advice only: a
// kernel without transparent huge pages, or without MADV_COLLAPSE, refuses it, and the index
// works as well, if slower.
func adviseHuge[T any](r *hugeRegions, s []T) {
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
	if syscall.Madvise(b, syscall.MADV_HUGEPAGE) != nil {
		return
	}
	_ = syscall.Madvise(b, madvCollapse)
	*r = append(*r, b)
}

// releaseWhenUnreachable withdraws the advice on r (MADV_NOHUGEPAGE) once owner, the index
// the regions belong to, is unreachable, before their memory goes back to the heap: the heap
// reuses it for small objects and returns it to the kernel in small pieces, which huge pages
// would hold on to. Until then r keeps the regions' memory allocated.
func releaseWhenUnreachable[T any](owner *T, r hugeRegions) {
	if len(r) == 0 {
		return
	}
	runtime.AddCleanup(owner, func(r hugeRegions) {
		for _, b := range r {
			_ = syscall.Madvise(b, syscall.MADV_NOHUGEPAGE)
			hugeReleased.Add(1)
		}
	}, r)
}
