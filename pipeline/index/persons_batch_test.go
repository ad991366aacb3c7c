package index_test

import (
	"math/rand/v2"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestBatchedPersonReads checks that the batched lookups answer exactly what the single ones
// answer — FindTerms as ItemFor and SkeletonTerm (texts the index has, texts one edit away,
// absent texts, items of the other kind), MayPairs as MayPair, PairPostingsBatch as
// PairPostings, Traits as
// SexCode and Nationalities — on a watchlist with realistic name frequencies, and that the
// Warm functions read within bounds for every term, group and record.
func TestBatchedPersonReads(t *testing.T) {
	t.Parallel()
	v := watchlisttest.NewNameVocabulary(2000, 500, 7)
	people := append(watchlisttest.Persons(v, 20_000, 8), watchlist.Person{ID: "two-nationalities", NoticeType: watchlist.NoticeRed,
		Names: []watchlist.Name{{Surname: "Smith"}}, Nationalities: []string{"FRA", "DEU"}, Sex: "F"})
	snap := index.Build(1, &watchlist.Set{Notices: people})
	p := snap.Persons(event.DBNotices)
	r := rand.New(rand.NewPCG(3, 4))
	var sc index.BatchScratch

	// Terms: ask in batches of random sizes, compare with the single lookups.
	var qs []index.TermQuery
	for range 3000 {
		it := uint32(r.IntN(p.ItemCount()))
		text := p.ItemText(it)
		switch r.IntN(5) {
		case 0:
			qs = append(qs, index.TermQuery{Text: text, Joined: !p.ItemJoined(it)}) // the other kind
		case 1:
			qs = append(qs, index.TermQuery{Text: text[:len(text)-1] + "Q"})
		case 2:
			qs = append(qs, index.TermQuery{Text: normalize.Skeleton(text), Skeleton: true})
		case 3:
			qs = append(qs, index.TermQuery{Text: "ZZ" + text, Skeleton: r.IntN(2) == 0})
		default:
			qs = append(qs, index.TermQuery{Text: text, Joined: p.ItemJoined(it)})
		}
	}
	found, hits := 0, 0
	for len(qs) > 0 {
		n := min(len(qs), 1+r.IntN(40))
		batch := qs[:n]
		qs = qs[n:]
		got := make([]uint32, n)
		p.FindTerms(batch, got, &sc)
		for i, q := range batch {
			want, ok := index.NoItem, false
			if q.Skeleton {
				want, ok = p.SkeletonTerm(q.Text)
			} else {
				want, ok = p.ItemFor(&index.Unit{Text: q.Text, Joined: q.Joined})
			}
			if got[i] != want || ok != (got[i] != index.NoItem) {
				t.Fatalf("FindTerms(%+v) = %d, want %d (%v)", q, got[i], want, ok)
			}
			if ok && !q.Skeleton && q.Weight != p.ItemWeight(want) {
				t.Fatalf("FindTerms(%+v): weight %v, want %v", q, q.Weight, p.ItemWeight(want))
			}
			found++
			if ok {
				hits++
			}
		}
	}
	if hits < found/3 || hits == found {
		t.Fatalf("%d of %d queries found a term: the queries do not exercise both answers", hits, found)
	}

	// Pairs of frequent terms, and the Warm functions over every term.
	var frequent []uint32
	for it := range uint32(p.Terms()) {
		if p.TermFrequent(it) {
			frequent = append(frequent, it)
			for i := range p.GroupKeys(it) {
				start, end := p.GroupSpan(it, i)
				p.WarmGroupSpan(it, i)
				p.WarmPostings(start, end, true)
			}
		}
	}
	all := make([]uint32, p.Terms())
	for i := range all {
		all[i] = uint32(i)
	}
	p.WarmTerms(all)
	p.WarmTermData(all)
	if len(frequent) < 20 {
		t.Fatalf("only %d frequent terms", len(frequent))
	}
	var pqs []index.PairQuery
	var as, bs []uint32
	for range 2000 {
		a, b := frequent[r.IntN(len(frequent))], frequent[r.IntN(len(frequent))]
		pqs = append(pqs, index.PairQuery{A: a, B: b, OnePart: r.IntN(2) == 0})
		as, bs = append(as, a), append(bs, b)
	}
	may := make([]bool, len(as))
	p.WarmPairs(as, bs, &sc)
	p.MayPairs(may, &sc)
	mayCount := 0
	for i := range as {
		if may[i] != p.MayPair(as[i], bs[i]) {
			t.Fatalf("MayPairs: pair %d %d: %v, MayPair %v", as[i], bs[i], may[i], !may[i])
		}
		if may[i] {
			mayCount++
		}
	}
	if mayCount == 0 || mayCount == len(as) {
		t.Fatalf("MayPairs: %d of %d pairs may pair: the pairs do not exercise both answers", mayCount, len(as))
	}
	got := make([][]index.PairPosting, len(pqs))
	p.PairPostingsBatch(pqs, got, &sc)
	nonEmpty := 0
	for i, q := range pqs {
		want := p.PairPostings(q.A, q.B, q.OnePart)
		if len(got[i]) != len(want) || len(want) > 0 && &got[i][0] != &want[0] {
			t.Fatalf("PairPostingsBatch(%+v) = %v, want %v", q, got[i], want)
		}
		if len(want) > 0 {
			nonEmpty++
		}
	}
	if nonEmpty == 0 {
		t.Fatal("no pair query found postings")
	}

	// Traits and the record Warm functions.
	recs := make([]uint32, p.Len())
	for i := range recs {
		recs[i] = uint32(i)
	}
	for _, r := range recs {
		p.WarmRecord(r, p.DateSummary(r))
	}
	p.WarmRecordData(recs, nil)
	p.WarmNames(recs)
	traits := p.AppendTraits(nil, recs, nil)
	several := 0
	for i, tr := range traits {
		rec := uint32(i)
		if tr.Sex() != p.SexCode(rec) {
			t.Fatalf("record %d: Traits sex %q, SexCode %q", rec, tr.Sex(), p.SexCode(rec))
		}
		nats := p.Nationalities(rec)
		switch code, n := tr.Nationality(); {
		case len(nats) == 0 && n != 0, len(nats) == 1 && (n != 1 || code != nats[0]), len(nats) > 1 && n != 2:
			t.Fatalf("record %d: Traits nationality (%d, %d), Nationalities %v", rec, code, n, nats)
		case n == 2:
			several++
		}
	}
	if several == 0 {
		t.Fatal("no record with several nationalities")
	}
}
