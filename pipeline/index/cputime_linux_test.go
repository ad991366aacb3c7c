package index_test

import "syscall"

// threadCPUNanos is the CPU time the calling thread has used (user and system), in
// nanoseconds; benchmarks lock their goroutine to its thread around the timed loop. On a
// shared machine it separates the work done from the time spent waiting for a core.
func threadCPUNanos() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(1 /* RUSAGE_THREAD */, &ru); err != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
