//go:build !linux

// Package cputime tells benchmarks the CPU time of the calling thread: on a shared machine it
// separates the work done from the time spent waiting for a core, which wall time mixes in.
// Benchmarks lock their goroutine to its thread (runtime.LockOSThread) around the timed loop.
package cputime

// Thread is the CPU time the calling thread has used: unavailable here, always 0 (benchmarks
// then report no CPU-time metric).
func Thread() int64 { return 0 }
