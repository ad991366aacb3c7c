package index_test

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestLookupDocumentsEqualsSingle checks that a batched lookup answers every query exactly as
// LookupDocument does, in order: listed numbers, OCR noise, formatting noise and lower case,
// numbers inside reported ranges and between the ranges of a large group, many unlisted
// numbers (some pass the filter, some of those find an empty slot), another issuer, invalid
// issuers and numbers; batches of every size around the internal chunk; a table with
// duplicate keys (the same document reported twice, so a probe walks past its first slot);
// TDAWN and an absent database.
func TestLookupDocumentsEqualsSingle(t *testing.T) {
	t.Parallel()
	docs := watchlisttest.Documents(50_000, 41)
	for i := range 300 { // the same number and issuer reported again under another id
		d := docs[i*97]
		d.ID += "-again"
		docs = append(docs, d)
	}
	for i := range 40 { // one group of many ranges, some nested: the search within a group
		from := 1_000_000 + i*20_000
		docs = append(docs, watchlist.Document{ID: fmt.Sprint("blank-", i), Number: fmt.Sprintf("QX%07d", from),
			NumberTo: fmt.Sprintf("QX%07d", from+500+i*i*300), Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"})
	}
	tdawn := []watchlist.TravelDocument{{ID: "t1", Number: docs[5].Number, Issuer: docs[5].Issuer, NoticeID: "n1"}}
	snap := index.Build(1, &watchlist.Set{Documents: docs, TDAWN: tdawn})
	r := rand.New(rand.NewPCG(5, 6))
	var qs []index.DocQuery
	for range 20_000 {
		d := docs[r.IntN(len(docs))]
		q := index.DocQuery{Number: d.Number, Issuer: d.Issuer}
		switch r.IntN(9) {
		case 0:
			q.Number = strings.NewReplacer("0", "O", "1", "I", "5", "S").Replace(q.Number)
		case 1:
			q.Number = strings.ToLower(q.Number[:2]) + "-" + q.Number[2:]
		case 2:
			if d.NumberTo != "" {
				q.Number = d.NumberTo
			} else {
				q.Number = q.Number[:8] + "7"
			}
		case 3:
			q.Issuer = watchlisttest.Issuers[r.IntN(len(watchlisttest.Issuers))]
		case 4:
			q.Number = watchlisttest.DocumentNumber(r)
		case 5:
			q.Issuer = strings.ToLower(q.Issuer)
		case 6:
			q.Issuer = []string{"", "X", "FRANCE", "12"}[r.IntN(4)]
		case 7:
			q.Number = []string{"", "--", strings.Repeat("9", 80)}[r.IntN(3)]
		}
		qs = append(qs, q)
	}
	for range 5000 { // in, between and after the ranges of the large group
		qs = append(qs, index.DocQuery{Number: fmt.Sprintf("QX%07d", 990_000+r.IntN(1_400_000)), Issuer: "ITA"})
	}
	for range 60_000 { // unlisted numbers: filter false positives, empty first slots
		qs = append(qs, index.DocQuery{Number: watchlisttest.DocumentNumber(r), Issuer: watchlisttest.Issuers[r.IntN(len(watchlisttest.Issuers))]})
	}
	r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })
	var buf [8]index.DocumentMatch
	for _, db := range []event.Database{event.DBSLTD, event.DBTDAWN, event.DBNotices} {
		found, multi := 0, 0
		var dst []index.DocumentMatch
		for rest := qs; len(rest) > 0; {
			n := min(len(rest), []int{1, 15, 63, 64, 65, 130}[r.IntN(6)])
			batch := rest[:n]
			rest = rest[n:]
			dst = snap.LookupDocuments(db, batch, dst[:0])
			for i, q := range batch {
				want := snap.LookupDocument(db, q.Number, q.Issuer, buf[:0])
				if diff := cmp.Diff(want, dst[q.First:q.End], cmpopts.EquateEmpty()); diff != "" || i > 0 && q.First != batch[i-1].End {
					t.Fatalf("%s: query %+v (-single +batched):\n%s", db, q, diff)
				}
				if len(want) > 0 {
					found++
				}
				if len(want) > 1 {
					multi++
				}
			}
			if len(batch) > 0 && batch[len(batch)-1].End != len(dst) {
				t.Fatalf("%s: the last query ends at %d of %d matches", db, batch[len(batch)-1].End, len(dst))
			}
		}
		if db == event.DBSLTD && (found < len(qs)/10 || multi == 0) {
			t.Fatalf("%s: %d queries found records, %d several: the queries do not exercise the table", db, found, multi)
		}
	}
}
