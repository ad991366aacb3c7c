package index_test

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/internal/cputime"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// Generated inputs are shared by every benchmark run of one test binary.
var (
	docs1M   = sync.OnceValue(func() []watchlist.Document { return watchlisttest.Documents(1_000_000, 20) })
	docs10M  = sync.OnceValue(func() []watchlist.Document { return watchlisttest.Documents(10_000_000, 21) })
	snap10M  = sync.OnceValue(func() *index.Snapshot { return index.Build(1, &watchlist.Set{Documents: docs10M()}) })
	vehicles = sync.OnceValue(func() []watchlist.Vehicle { return watchlisttest.Vehicles(1_000_000, 22) })
	vessels  = sync.OnceValue(func() []watchlist.Vessel { return watchlisttest.Vessels(100_000, 23) })
	firearms = sync.OnceValue(func() []watchlist.Firearm { return watchlisttest.Firearms(1_000_000, 24) })
)

// BenchmarkBuildDatabases measures index.Build per database at the sizes of the brief, with
// the index's own size accounting (index-B/record) and the live heap it adds (heap-B/record).
func BenchmarkBuildDatabases(b *testing.B) {
	build := func(b *testing.B, n int, db event.Database, set func() *watchlist.Set, size func(*index.Snapshot) int) {
		s := set()
		b.ReportAllocs()
		var snap *index.Snapshot
		var heap float64
		for b.Loop() {
			b.StopTimer() // the forced collections below are not part of the build
			snap = nil
			before := heapInUse()
			b.StartTimer()
			snap = index.Build(1, s)
			b.StopTimer()
			heap = float64(heapInUse()-before) / float64(n)
			b.StartTimer()
		}
		if got := snap.Counts()[db]; got != n {
			b.Fatalf("indexed %d records, want %d", got, n)
		}
		b.ReportMetric(float64(size(snap))/float64(n), "index-B/record")
		b.ReportMetric(heap, "heap-B/record")
		runtime.KeepAlive(snap)
	}
	docBytes := func(s *index.Snapshot) int { return s.DocumentBytes(event.DBSLTD) }
	b.Run("10M-sltd", func(b *testing.B) {
		build(b, 10_000_000, event.DBSLTD, func() *watchlist.Set { return &watchlist.Set{Documents: docs10M()} }, docBytes)
	})
	b.Run("1M-vehicles", func(b *testing.B) {
		build(b, 1_000_000, event.DBVehicles, func() *watchlist.Set { return &watchlist.Set{Vehicles: vehicles()} },
			func(s *index.Snapshot) int { return s.ObjectBytes(event.DBVehicles) })
	})
	b.Run("100k-vessels", func(b *testing.B) {
		build(b, 100_000, event.DBVessels, func() *watchlist.Set { return &watchlist.Set{Vessels: vessels()} },
			func(s *index.Snapshot) int { return s.ObjectBytes(event.DBVessels) })
	})
	b.Run("1M-firearms", func(b *testing.B) {
		build(b, 1_000_000, event.DBFirearms, func() *watchlist.Set { return &watchlist.Set{Firearms: firearms()} },
			func(s *index.Snapshot) int { return s.ObjectBytes(event.DBFirearms) })
	})
}

// BenchmarkLookupDocument measures LookupDocument alone: one in ten numbers listed (one in
// three of those with OCR noise), the rest random, over 60 issuers with reported ranges; the
// -unlisted variant presents only random numbers, as nearly all real traffic is.
// thread-cpu-ns/op is the CPU time of the benchmarking thread per lookup: the work done,
// without the time spent waiting for a core on a shared machine.
func BenchmarkLookupDocument(b *testing.B) {
	b.Run("1M-sltd", func(b *testing.B) {
		benchLookups(b, index.Build(1, &watchlist.Set{Documents: docs1M()}), docs1M(), 1)
	})
	b.Run("10M-sltd", func(b *testing.B) {
		benchLookups(b, snap10M(), docs10M(), 1)
	})
	// Real traffic: about one search in 15,000 hits, so nearly every number is unlisted.
	b.Run("10M-sltd-unlisted", func(b *testing.B) {
		benchLookups(b, snap10M(), docs10M(), 1)
	})
}

// BenchmarkLookupDocuments measures LookupDocuments on the queries of BenchmarkLookupDocument,
// in batches of 16 and of 64 documents (a manifest's travellers); ns/lookup and
// thread-cpu-ns/lookup are per document, comparable with BenchmarkLookupDocument's ns/op.
func BenchmarkLookupDocuments(b *testing.B) {
	for _, n := range []int{16, 64} {
		b.Run(fmt.Sprintf("10M-sltd/batch-%d", n), func(b *testing.B) {
			benchLookups(b, snap10M(), docs10M(), n)
		})
		b.Run(fmt.Sprintf("10M-sltd-unlisted/batch-%d", n), func(b *testing.B) {
			benchLookups(b, snap10M(), docs10M(), n)
		})
	}
}

// benchLookups looks up documents presented by generated travellers (only unlisted ones when
// the benchmark's name has "unlisted"), one at a time with LookupDocument (batch 1) or batch
// at a time with LookupDocuments.
func benchLookups(b *testing.B, snap *index.Snapshot, docs []watchlist.Document, batch int) {
	subjects := watchlisttest.DocumentSubjects(docs, 100_000, 30)
	if strings.Contains(b.Name(), "unlisted") {
		subjects = watchlisttest.DocumentSubjects(nil, 100_000, 30)
	}
	qs := make([]index.DocQuery, len(subjects)-len(subjects)%batch)
	for i := range qs {
		d := subjects[i].Person.Documents[0]
		qs[i] = index.DocQuery{Number: d.Number, Issuer: d.Issuer}
	}
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	dst := make([]index.DocumentMatch, 0, 8*batch)
	found, i := 0, 0
	var cpu int64
	for b.Loop() {
		if i == 0 {
			cpu = cputime.Thread()
		}
		if batch == 1 {
			q := &qs[i%len(qs)]
			found += len(snap.LookupDocument(event.DBSLTD, q.Number, q.Issuer, dst[:0]))
		} else {
			start := i * batch % len(qs)
			found += len(snap.LookupDocuments(event.DBSLTD, qs[start:start+batch], dst[:0]))
		}
		i++
	}
	cpu = cputime.Thread() - cpu
	lookups := float64(i * batch)
	b.ReportMetric(float64(found)/lookups, "found/lookup")
	if batch > 1 {
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/lookups, "ns/lookup")
	}
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/lookups, "thread-cpu-ns/lookup")
	}
}
