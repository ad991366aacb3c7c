//go:build !linux

package index

// adviseHuge does nothing here: huge pages are asked for on Linux only.
func adviseHuge[T any](s []T) {}
