package match

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
)

// TestDocumentLookupsMatchBruteForce checks the document index against a full scan
// (bruteDocKind over every record), one lookup at a time and batched, where the range index
// prunes: reported ranges from one number to a million wide (so that some span far more of
// the range filter's buckets than the median range does, and are marked once for their
// group), nested and overlapping ranges, several suffix lengths for one issuer, prefixes with
// OCR-confusable letters; numbers at, just inside and just outside every range's ends,
// inside them, OCR-noised, and random.
func TestDocumentLookupsMatchBruteForce(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(8, 13))
	issuers := []string{"FRA", "ITA", "DEU"}
	prefixes := []string{"AB", "A8", "OS", "05", "QX", "", "I1Z"}
	var docs []watchlist.Document
	type span struct {
		prefix, issuer string
		digits         int
		from, to       uint64
	}
	var spans []span
	for i := range 400 {
		s := span{prefix: pick(r, prefixes), issuer: pick(r, issuers), digits: 3 + r.IntN(7)}
		limit := uint64(1)
		for range s.digits {
			limit *= 10
		}
		width := uint64(1) << r.IntN(21) // 1 to a million, log-uniform
		if i%5 != 0 {
			width = 50 + uint64(r.IntN(400)) // most are a few hundred wide
		}
		s.from = uint64(r.Int64N(int64(limit)))
		s.to = min(limit-1, s.from+width)
		if s.to == s.from {
			continue
		}
		spans = append(spans, s)
		num := func(n uint64) string { return fmt.Sprintf("%s%0*d", s.prefix, s.digits, n) }
		docs = append(docs, watchlist.Document{ID: fmt.Sprint("R", i), Number: num(s.from), NumberTo: num(s.to),
			Type: "P", Issuer: s.issuer, Status: watchlist.StatusStolenBlank, Owner: s.issuer})
	}
	for i := range 1500 {
		docs = append(docs, watchlist.Document{ID: fmt.Sprint("D", i), Number: pick(r, prefixes) + fmt.Sprint(r.IntN(1_000_000)),
			Type: "P", Issuer: pick(r, issuers), Status: watchlist.StatusStolen, Owner: "FRA"})
	}
	snap := index.Build(1, &watchlist.Set{Documents: docs})
	ocr := strings.NewReplacer("0", "O", "1", "I", "5", "S", "8", "B")
	var qs []index.DocQuery
	for _, s := range spans {
		for _, n := range []uint64{s.from - 1, s.from, s.from + 1, (s.from + s.to) / 2, s.to - 1, s.to, s.to + 1, s.from + uint64(r.Int64N(int64(s.to-s.from)))} {
			q := index.DocQuery{Number: fmt.Sprintf("%s%0*d", s.prefix, s.digits, n), Issuer: s.issuer}
			if r.IntN(4) == 0 {
				q.Number = ocr.Replace(q.Number)
			}
			if r.IntN(8) == 0 {
				q.Issuer = pick(r, issuers)
			}
			qs = append(qs, q)
		}
	}
	for range 2000 {
		d := pick(r, docs)
		qs = append(qs, index.DocQuery{Number: d.Number, Issuer: d.Issuer}, index.DocQuery{Number: pick(r, prefixes) + fmt.Sprint(r.IntN(10_000_000)), Issuer: pick(r, issuers)})
	}
	r.Shuffle(len(qs), func(i, j int) { qs[i], qs[j] = qs[j], qs[i] })

	var dst []index.DocumentMatch
	found := 0
	for rest := qs; len(rest) > 0; {
		batch := rest[:min(len(rest), 1+r.IntN(100))]
		rest = rest[len(batch):]
		dst = snap.LookupDocuments(event.DBSLTD, batch, dst[:0])
		for _, q := range batch {
			var want []index.DocumentMatch
			for ref := range snap.DocumentRefs(event.DBSLTD) {
				rec := snap.Document(event.DBSLTD, ref)
				if kind := bruteDocKind(&rec, q.Number, q.Issuer); kind != 0 {
					want = append(want, index.DocumentMatch{Ref: ref, Kind: kind})
				}
			}
			found += len(want)
			byRef := cmpopts.SortSlices(func(a, b index.DocumentMatch) bool { return a.Ref < b.Ref })
			if diff := cmp.Diff(want, snap.LookupDocument(event.DBSLTD, q.Number, q.Issuer, nil), byRef, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("query %+v: LookupDocument differs from a full scan (-scan +lookup):\n%s", q, diff)
			}
			if diff := cmp.Diff(want, dst[q.First:q.End], byRef, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("query %+v: LookupDocuments differs from a full scan (-scan +lookup):\n%s", q, diff)
			}
		}
	}
	if found < len(spans)*3 {
		t.Fatalf("only %d matches for %d queries: the queries do not exercise the ranges", found, len(qs))
	}
}
