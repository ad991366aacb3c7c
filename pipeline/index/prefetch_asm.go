//go:build amd64 || arm64

package index

import "unsafe"

// prefetch asks the processor to bring the cache line at p into its caches, and returns at
// once: unlike a load, it does not hold up the instructions after it until the line arrives.
//
//go:noescape
func prefetch(p unsafe.Pointer)

// prefetchLines prefetches every cache line of the n bytes from p.
//
//go:noescape
func prefetchLines(p unsafe.Pointer, n uintptr)
