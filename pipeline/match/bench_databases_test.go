package match_test

import (
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// benchDB is one database built once per test binary for the screening benchmarks: building
// 10 million SLTD records takes seconds, so -count repeats share it. build is how long that
// one index.Build took.
type benchDB struct {
	snap     *index.Snapshot
	subjects []*event.Subject
	records  int
	build    time.Duration
	bytes    int
}

func buildBench(n int, set *watchlist.Set, db event.Database, subjects []*event.Subject) *benchDB {
	runtime.GC()
	start := time.Now()
	snap := index.Build(1, set)
	d := &benchDB{snap: snap, subjects: subjects, records: n, build: time.Since(start)}
	if got := snap.Counts()[db]; got != n {
		panic("benchmark set not fully indexed")
	}
	switch db {
	case event.DBSLTD, event.DBTDAWN:
		d.bytes = snap.DocumentBytes(db)
	default:
		d.bytes = snap.ObjectBytes(db)
	}
	return d
}

var (
	sltd10M = sync.OnceValue(func() *benchDB {
		docs := watchlisttest.Documents(10_000_000, 10)
		// Enough travellers that the table data they read is not all in cache from a previous
		// round, as in traffic: 10,000 fit (their filter lines are 640 KB).
		subjects := watchlisttest.DocumentSubjects(docs, 200_000, 10)
		return buildBench(len(docs), &watchlist.Set{Documents: docs}, event.DBSLTD, subjects)
	})
	vehicles1M = sync.OnceValue(func() *benchDB {
		recs := watchlisttest.Vehicles(1_000_000, 11)
		return buildBench(len(recs), &watchlist.Set{Vehicles: recs}, event.DBVehicles, watchlisttest.VehicleSubjects(recs, 10_000, 11))
	})
	vessels100k = sync.OnceValue(func() *benchDB {
		recs := watchlisttest.Vessels(100_000, 12)
		return buildBench(len(recs), &watchlist.Set{Vessels: recs}, event.DBVessels, watchlisttest.VesselSubjects(recs, 10_000, 12))
	})
	firearms1M = sync.OnceValue(func() *benchDB {
		recs := watchlisttest.Firearms(1_000_000, 13)
		return buildBench(len(recs), &watchlist.Set{Firearms: recs}, event.DBFirearms, watchlisttest.FirearmSubjects(recs, 10_000, 13))
	})
)

// report adds the build figures; call it after the timed loop, which resets metrics.
func (d *benchDB) report(b *testing.B) {
	b.ReportMetric(d.build.Seconds(), "build-s")
	b.ReportMetric(float64(d.bytes)/float64(d.records), "index-B/record")
}

// benchScreenDatabases adds the SLTD-at-scale, vehicle, vessel and firearm sub-benchmarks to
// BenchmarkScreen. One subject in ten is a listed record (some with OCR noise or an
// unreadable character), as in the SLTD benchmark above.
func benchScreenDatabases(b *testing.B, m *match.Matcher, run func(*testing.B, *index.Snapshot, []*event.Subject)) {
	b.Run("document/10M-sltd", func(b *testing.B) {
		d := sltd10M()
		run(b, d.snap, d.subjects)
		d.report(b)
	})
	// As a worker would screen a manifest: 64 travellers at a time with ScreenBatch, their
	// documents looked up together. ns/subject compares with the ns/op above.
	b.Run("document-batch/10M-sltd", func(b *testing.B) {
		d := sltd10M()
		const batch = 64
		subjects := make([]event.Subject, len(d.subjects)-len(d.subjects)%batch)
		for i := range subjects {
			subjects[i] = *d.subjects[i]
		}
		b.ReportAllocs()
		hits, i := 0, 0
		for b.Loop() {
			start := i * batch % len(subjects)
			group := subjects[start : start+batch]
			for _, hs := range m.ScreenBatch(d.snap, group) {
				hits += len(hs)
			}
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(i*batch), "ns/subject")
		b.ReportMetric(float64(hits)/float64(i*batch), "hits/subject")
		d.report(b)
	})
	b.Run("document-lookup/10M-sltd", func(b *testing.B) {
		d := sltd10M()
		docs := make([]event.Document, len(d.subjects))
		for i, s := range d.subjects {
			docs[i] = s.Person.Documents[0]
		}
		b.ReportAllocs()
		var buf [8]index.DocumentMatch
		found, i := 0, 0
		for b.Loop() {
			doc := &docs[i%len(docs)]
			found += len(d.snap.LookupDocument(event.DBSLTD, doc.Number, doc.Issuer, buf[:0]))
			i++
		}
		b.ReportMetric(float64(found)/float64(i), "found/op")
		d.report(b)
	})
	b.Run("vehicle/1M-vehicles", func(b *testing.B) {
		d := vehicles1M()
		run(b, d.snap, d.subjects)
		d.report(b)
	})
	b.Run("vessel/100k-vessels", func(b *testing.B) {
		d := vessels100k()
		run(b, d.snap, d.subjects)
		d.report(b)
	})
	b.Run("firearm/1M-firearms", func(b *testing.B) {
		d := firearms1M()
		run(b, d.snap, d.subjects)
		d.report(b)
	})
}
