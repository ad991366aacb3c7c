// Package cputime tells benchmarks the CPU time of the calling thread: on a shared machine it
// separates the work done from the time spent waiting for a core, which wall time mixes in.
// Benchmarks lock their goroutine to its thread (runtime.LockOSThread) around the timed loop.
package cputime

import "syscall"

// Thread is the CPU time the calling thread has used (user and system), in nanoseconds; 0
// where the system cannot tell.
func Thread() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
