//go:build !linux

package index

// hugeRegions: huge pages are asked for on Linux only.
type hugeRegions []struct{}

// adviseHuge does nothing here: huge pages are asked for on Linux only.
func adviseHuge[T any](r *hugeRegions, s []T) {}

// releaseWhenUnreachable does nothing here (see adviseHuge).
func releaseWhenUnreachable[T any](owner *T, r hugeRegions) {}
