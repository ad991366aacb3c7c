//go:build unix

package watchlistfeed

import (
	"fmt"
	"iter"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/packed"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// coldStartScale is the full-scale target of a restart: 10 million SLTD records and 1
// million persons. WATCHPOST_BENCH_SCALE divides it (e.g. 10 for a quick run).
func coldStartScale(b *testing.B) (docs, persons int) {
	div := 1
	if s := os.Getenv("WATCHPOST_BENCH_SCALE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("WATCHPOST_BENCH_SCALE=%q: want a positive divisor", s)
		}
		div = n
	}
	return 10_000_000 / div, 1_000_000 / div
}

// coldStartState writes a snapshot file of nDocs SLTD records and nPersons notices (with
// aliases) into dir, as a feed's save would, and returns its size.
func coldStartState(b *testing.B, dir string, nDocs, nPersons int) int64 {
	b.Helper()
	r := rand.New(rand.NewPCG(1, 2))
	docs := make([]string, nDocs)
	for i := range docs {
		iss := watchlisttest.Issuers[r.IntN(len(watchlisttest.Issuers))]
		d := watchlist.Document{ID: fmt.Sprintf("SLTD-%09d", i), Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)),
			Type: "P", Issuer: iss, Status: watchlist.StatusStolen, Owner: iss}
		docs[i] = packed.Document(&d)
	}
	people := watchlisttest.Persons(watchlisttest.NewNameVocabulary(20_000, 5_000, 1), nPersons, 1)
	slices.SortFunc(people, func(a, b watchlist.Person) int {
		switch {
		case a.ID < b.ID:
			return -1
		case a.ID > b.ID:
			return 1
		}
		return 0
	})
	persons := make([]string, len(people))
	for i := range people {
		people[i].NoticeType = watchlist.NoticeRed
		persons[i] = packed.Person(&people[i])
	}
	st := &state{
		header: stateHeader{Created: time.Now().UTC(), Version: uint64(nDocs + nPersons),
			Offsets:   []stateOffset{{Topic: "sltd", Partition: 0, Next: int64(nDocs)}, {Topic: "notices", Partition: 0, Next: int64(nPersons)}},
			Databases: []stateDatabase{{DB: event.DBSLTD, Topic: "sltd", Count: nDocs}, {DB: event.DBNotices, Topic: "notices", Count: nPersons}}},
		lists: []iter.Seq[string]{listOf(docs), listOf(persons)},
	}
	path := filepath.Join(dir, StateFile)
	if err := writeState(path, st); err != nil {
		b.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		b.Fatal(err)
	}
	return fi.Size()
}

func liveHeap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// BenchmarkColdStart measures what a worker restarted with a local snapshot does before it
// can screen: read and check the file, rebuild its record store, and build every index (the
// tail replay after it is proportional to the updates since the save). It reports the
// wall-clock and CPU seconds, the file's bytes per record, and the live heap per record
// afterwards (record store plus indexes).
func BenchmarkColdStart(b *testing.B) {
	nDocs, nPersons := coldStartScale(b)
	dir := b.TempDir()
	size := coldStartState(b, dir, nDocs, nPersons)
	n := float64(nDocs + nPersons)
	b.Run(fmt.Sprintf("state/%d-sltd+%d-persons", nDocs, nPersons), func(b *testing.B) {
		var secs, cpu, heap, sltdIndex, personIndex float64
		for b.Loop() {
			before := liveHeap()
			start, cpu0 := time.Now(), processCPU()
			store := &index.Store{}
			f, err := New(Config{Brokers: []string{"127.0.0.1:1"}, Topics: map[event.Database]string{event.DBSLTD: "sltd", event.DBNotices: "notices"},
				Decoder: nopDecoder{}, Store: store, State: StateConfig{Dir: dir}})
			if err != nil {
				b.Fatal(err)
			}
			if !f.loadState() {
				b.Fatal("state not loaded")
			}
			f.publish(false)
			secs, cpu = time.Since(start).Seconds(), (processCPU() - cpu0).Seconds()
			snap := store.Load()
			if c := snap.Counts(); c[event.DBSLTD] != nDocs || c[event.DBNotices] != nPersons {
				b.Fatalf("counts %v", c)
			}
			heap = float64(liveHeap()-before) / n
			sltdIndex = float64(snap.DocumentBytes(event.DBSLTD)) / float64(nDocs)
			personIndex = float64(snap.PersonBytes(event.DBNotices)) / float64(nPersons)
			runtime.KeepAlive(f)
		}
		b.ReportMetric(sltdIndex, "sltd-index-B/record")
		b.ReportMetric(personIndex, "person-index-B/record")
		b.ReportMetric(secs, "s/start")
		b.ReportMetric(cpu, "cpu-s/start")
		b.ReportMetric(float64(size)/n, "file-B/record")
		b.ReportMetric(heap, "heap-B/record")
	})
}

// processCPU is the CPU time the process has used: on a shared machine it tells the work
// done from the time spent waiting for a core.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// nopDecoder is never called: the benchmark reads no topic.
type nopDecoder struct{ Decoder }
