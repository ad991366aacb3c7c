package index_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// benchDocuments generates n SLTD records shaped like real ones: two letters and seven digits,
// 60 issuers, ids like "SLTD-000000001", one in 1000 a reported range.
func benchDocuments(n int) []watchlist.Document {
	r := rand.New(rand.NewPCG(1, 2))
	issuers := make([]string, 60)
	for i := range issuers {
		issuers[i] = fmt.Sprintf("%c%c%c", 'A'+i%26, 'A'+(i/26)%26, 'A'+(i*7)%26)
	}
	docs := make([]watchlist.Document, n)
	for i := range docs {
		iss := issuers[r.IntN(len(issuers))]
		d := watchlist.Document{
			ID:     fmt.Sprintf("SLTD-%09d", i),
			Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)),
			Type:   "P", Issuer: iss, Status: watchlist.StatusStolen, Owner: iss,
		}
		if i%1000 == 0 {
			d.Status, d.NumberTo = watchlist.StatusStolenBlank, d.Number[:2]+"9999999"
		}
		docs[i] = d
	}
	return docs
}

func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkBuild measures building the SLTD index, and reports bytes per SLTD record two ways:
// the index's own accounting (index-B/record) and the live heap it adds (heap-B/record).
func BenchmarkBuild(b *testing.B) {
	const n = 1_000_000
	set := &watchlist.Set{Documents: benchDocuments(n)}
	b.Run("1M-sltd", func(b *testing.B) {
		b.ReportAllocs()
		var snap *index.Snapshot
		var heap float64
		for b.Loop() {
			before := heapInUse()
			snap = index.Build(1, set)
			heap = float64(heapInUse()-before) / n
		}
		if got := snap.Counts()[event.DBSLTD]; got != n {
			b.Fatalf("indexed %d records, want %d", got, n)
		}
		b.ReportMetric(float64(snap.DocumentBytes(event.DBSLTD))/n, "index-B/record")
		b.ReportMetric(heap, "heap-B/record")
		runtime.KeepAlive(snap)
	})
	b.Run("1M-persons", func(b *testing.B) {
		// Notices with realistic (Zipf) name frequencies, aliases and partial dates.
		v := watchlisttest.NewNameVocabulary(n/5, n/50, 1)
		people := &watchlist.Set{Notices: watchlisttest.Persons(v, n, 2)}
		b.ReportAllocs()
		var snap *index.Snapshot
		var heap float64
		for b.Loop() {
			before := heapInUse()
			snap = index.Build(1, people)
			heap = float64(heapInUse()-before) / n
		}
		if got := snap.Counts()[event.DBNotices]; got != n {
			b.Fatalf("indexed %d records, want %d", got, n)
		}
		b.ReportMetric(float64(snap.PersonBytes(event.DBNotices))/n, "index-B/record")
		b.ReportMetric(heap, "heap-B/record")
		runtime.KeepAlive(snap)
	})
}
