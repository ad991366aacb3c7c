//go:build !amd64 && !arm64

package index

import "unsafe"

// prefetch does nothing on this architecture: the reads it would have started happen when the
// data are used.
func prefetch(p unsafe.Pointer) {}

// prefetchLines does nothing on this architecture (see prefetch).
func prefetchLines(p unsafe.Pointer, n uintptr) {}
