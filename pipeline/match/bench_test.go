package match_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/internal/cputime"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// benchPersons is a person watchlist of n records with realistic (Zipf–Mandelbrot) name
// frequencies and aliases, and 4096 travellers screened against it: nine in ten random people
// drawn from the same name distribution, one in ten a record's person with a variation (see
// watchlisttest.PersonSubjects). Snapshots are built once per size and shared between runs.
type benchPersons struct {
	snap     *index.Snapshot
	subjects []*event.Subject
}

var benchPersonSets sync.Map // size → func() benchPersons

func personBench(n int) benchPersons {
	f, _ := benchPersonSets.LoadOrStore(n, sync.OnceValue(func() benchPersons {
		v := watchlisttest.NewNameVocabulary(max(n/5, 2000), max(n/50, 1000), 1)
		people := watchlisttest.Persons(v, n, 2)
		return benchPersons{
			snap:     index.Build(1, &watchlist.Set{Notices: people}),
			subjects: watchlisttest.PersonSubjects(v, people, 4096, 3),
		}
	}))
	return f.(func() benchPersons)()
}

// screenLatency screens the subjects in turn, timing each screening, and reports the median
// and 99th percentile (µs, timer overhead included) and screenings per second on one core
// besides ns/op; and thread-cpu-ns/op, the CPU time of the benchmarking thread per screening:
// the work done, without the time spent waiting for a core on a shared machine.
func screenLatency(b *testing.B, m *match.Matcher, snap *index.Snapshot, subjects []*event.Subject) {
	b.ReportAllocs()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	lat := make([]time.Duration, 0, 1<<20)
	hits, i := 0, 0
	var cpu int64
	for b.Loop() {
		if i == 0 {
			cpu = cputime.Thread()
		}
		start := time.Now()
		hits += len(m.Screen(snap, subjects[i%len(subjects)]))
		if len(lat) < cap(lat) {
			lat = append(lat, time.Since(start))
		}
		i++
	}
	cpu = cputime.Thread() - cpu
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Nanoseconds()) / 1e3 }
	b.ReportMetric(pct(0.50), "p50-µs")
	b.ReportMetric(pct(0.99), "p99-µs")
	b.ReportMetric(float64(i)/b.Elapsed().Seconds(), "screens/s")
	b.ReportMetric(float64(hits)/float64(i), "hits/op")
	if cpu > 0 {
		b.ReportMetric(float64(cpu)/float64(i), "thread-cpu-ns/op")
	}
}

func benchSLTD(n int) ([]watchlist.Document, []*event.Subject) {
	r := rand.New(rand.NewPCG(5, 6))
	issuers := []string{"FRA", "DEU", "ITA", "ESP", "GBR", "USA", "CAN", "NLD", "BEL", "POL"}
	docs := make([]watchlist.Document, n)
	for i := range docs {
		iss := issuers[r.IntN(len(issuers))]
		docs[i] = watchlist.Document{ID: fmt.Sprintf("SLTD-%09d", i), Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)), Type: "P", Issuer: iss, Status: watchlist.StatusStolen, Owner: iss}
	}
	subjects := make([]*event.Subject, 1000)
	for i := range subjects {
		d := event.Document{Type: "P", Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)), Issuer: issuers[r.IntN(len(issuers))]}
		if i%10 == 0 {
			src := docs[r.IntN(n)]
			d.Number, d.Issuer = src.Number, src.Issuer
		}
		subjects[i] = &event.Subject{ID: fmt.Sprintf("d%d/0", i), EventID: fmt.Sprintf("d%d", i), Kind: event.KindPerson, Person: &event.Person{Documents: []event.Document{d}}}
	}
	return docs, subjects
}

func BenchmarkScreen(b *testing.B) {
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		b.Fatal(err)
	}
	run := func(b *testing.B, snap *index.Snapshot, subjects []*event.Subject) {
		b.ReportAllocs()
		hits, i := 0, 0
		for b.Loop() {
			hits += len(m.Screen(snap, subjects[i%len(subjects)]))
			i++
		}
		b.ReportMetric(float64(hits)/float64(i), "hits/op")
	}
	for _, size := range []struct {
		name string
		n    int
	}{{"100k", 100_000}, {"1M", 1_000_000}} {
		b.Run("person/"+size.name+"-persons", func(b *testing.B) {
			set := personBench(size.n)
			screenLatency(b, m, set.snap, set.subjects)
		})
	}
	b.Run("document/1M-sltd", func(b *testing.B) {
		docs, subjects := benchSLTD(1_000_000)
		snap := index.Build(1, &watchlist.Set{Documents: docs})
		run(b, snap, subjects)
	})
	benchScreenDatabases(b, m, run)
}
