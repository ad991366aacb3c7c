package match

import (
	"math/rand/v2"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestSummaryBoundsExact checks the evidence keep takes from a posting's date summary alone:
// for every record whose summary tells its dates of birth, sex and nationalities
// (SummaryExact), summaryRest is rest, bit for bit, for subjects with and without a date of
// birth, nationality and sex; for every record, traitsBound of the summary's traits is at
// least the record's nationality and sex evidence, and the tables visit bounds it with
// (summaryTraitsBound) give the same.
func TestSummaryBoundsExact(t *testing.T) {
	t.Parallel()
	v := watchlisttest.NewNameVocabulary(2000, 500, 4)
	people := watchlisttest.Persons(v, 20_000, 5)
	p := index.Build(1, &watchlist.Set{Notices: people}).Persons(event.DBNotices)
	r := rand.New(rand.NewPCG(6, 7))
	nats := []string{"", "FRA", "SYR", "XXZ"}
	exact := 0
	for range 50 {
		person := &event.Person{Surname: "X", Nationality: nats[r.IntN(len(nats))], Sex: []string{"", "M", "F"}[r.IntN(3)]}
		if r.IntN(4) > 0 {
			src := people[r.IntN(len(people))]
			if len(src.BirthDates) > 0 {
				person.BirthDate = src.BirthDates[0]
			}
			if r.IntN(2) == 0 && len(src.Nationalities) > 0 {
				person.Nationality = src.Nationalities[0]
			}
		}
		q := newPersonQuery(p, person)
		sr := &searcher{p: p}
		sr.summaryBounds(q)
		for i := range uint32(p.Len()) {
			s := p.DateSummary(i)
			dob, nat, sex := q.rest(p, i)
			if tr, ok := p.SummaryTraits(s); ok {
				if q.traitsBound(tr) < nat+sex {
					t.Fatalf("record %d: traits bound %v from its summary under its evidence %v", i, q.traitsBound(tr), nat+sex)
				}
				if got := sr.summaryTraitsBound(s); got != q.traitsBound(tr) {
					t.Fatalf("record %d, subject %+v: traits bound %v by the tables, %v by traitsBound", i, person, got, q.traitsBound(tr))
				}
			}
			if !p.SummaryExact(s) {
				continue
			}
			exact++
			if d, n, x := q.summaryRest(p, s); d != dob || n != nat || x != sex {
				t.Fatalf("record %d, subject %+v: evidence %v %v %v from the summary, %v %v %v from the record", i, person, d, n, x, dob, nat, sex)
			}
		}
	}
	if exact == 0 {
		t.Fatal("no summary tells its record's evidence: the test proves nothing")
	}
}
