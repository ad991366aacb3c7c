//go:build amd64 || arm64

package index

import "unsafe"

// prefetch asks the processor to bring the cache line at p into its caches, and returns at
// once: unlike a load, it does not hold up the instructions after it until the line arrives.
// On amd64 it fills the second-level cache (PREFETCHT1): a search has a hundred lines or more
// under way at once, and the first-level cache tracks far fewer misses — on the machine
// measured, a burst of 64 to 256 random lines arrived every 13 ns with PREFETCHT1, every
// 31–41 ns with PREFETCHT0 (slower than plain loads, 17–19 ns). On arm64 it is PRFM
// PLDL1KEEP.
//
//go:noescape
func prefetch(p unsafe.Pointer)

// prefetchLines prefetches every cache line of the n bytes from p.
//
//go:noescape
func prefetchLines(p unsafe.Pointer, n uintptr)
