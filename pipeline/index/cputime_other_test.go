//go:build !linux

package index_test

// threadCPUNanos is unavailable here: benchmarks report no CPU-time metric.
func threadCPUNanos() int64 { return 0 }
