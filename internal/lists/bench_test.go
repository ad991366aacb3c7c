package lists

import (
	"context"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// ownedDocuments returns n synthetic SLTD records of owner, issued by it.
func ownedDocuments(n int, seed uint64, owner, prefix string) []watchlist.Document {
	docs := watchlisttest.Documents(n, seed)
	for i := range docs {
		docs[i].ID = prefix + docs[i].ID
		docs[i].Issuer, docs[i].Owner = owner, owner
	}
	return docs
}

func sltdList(docs []watchlist.Document) *jsonl.List {
	return &jsonl.List{Name: "sltd.jsonl", DB: event.DBSLTD, Set: &watchlist.Set{Documents: docs}}
}

// BenchmarkLoad measures loads of 100,000 SLTD records of one owner against kfake, on a topic
// that also holds 100,000 records of another owner: the first load, a reload of the same
// file (read the topic, compare, produce nothing), and reloads changing 1% of the records.
// ns/record is per record of the file.
func BenchmarkLoad(b *testing.B) {
	const n = 100_000
	fra := ownedDocuments(n, 1, "FRA", "FRA-")
	ita := ownedDocuments(n, 2, "ITA", "ITA-")
	changed := ownedDocuments(n, 1, "FRA", "FRA-")
	for i := 0; i < n; i += 100 {
		changed[i].Status = watchlist.StatusRevoked
	}
	setup := func(b *testing.B, preload bool) *env {
		e := newEnv(b)
		e.load(b, e.config("ITA"), sltdList(ita))
		if preload {
			e.load(b, e.config("FRA"), sltdList(fra))
		}
		return e
	}
	run := func(b *testing.B, e *env, lists ...*jsonl.List) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if _, err := Load(context.Background(), e.config("FRA"), lists[i%len(lists)]); err != nil {
				b.Fatal(err)
			}
			i++
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/record")
	}
	b.Run("first/100k", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			b.StopTimer()
			e := setup(b, false)
			b.StartTimer()
			if s, err := Load(context.Background(), e.config("FRA"), sltdList(fra)); err != nil || s.Added != n {
				b.Fatalf("%+v, %v", s, err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/record")
	})
	b.Run("unchanged/100k", func(b *testing.B) { run(b, setup(b, true), sltdList(fra)) })
	b.Run("1pct-changed/100k", func(b *testing.B) { run(b, setup(b, true), sltdList(changed), sltdList(fra)) })
}
