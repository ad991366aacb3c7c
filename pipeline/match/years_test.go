package match

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// TestYearClassesExact checks the per-search tables of years the search bounds read: for
// subjects born in any year event.Date accepts (edges included), with full, partial or no
// dates of birth, and nationality and sex known or not, every year's class is yearClass's,
// and whether a record born that year may reach the threshold and the name similarity it
// needs are what restBound gives for that very year; a searcher that classified the years of
// other subjects before classifies them alike.
func TestYearClassesExact(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 9))
	dates := []event.Date{{}, {Year: 1800}, {Year: 2200, Month: 12, Day: 31}, {Year: 1999, Month: 9}, {Year: 2000, Month: 1, Day: 1}}
	for range 200 {
		d := event.Date{Year: 1800 + r.IntN(yearSpan)}
		if r.IntN(3) > 0 {
			d.Month = 1 + r.IntN(12)
			if r.IntN(2) == 0 {
				d.Day = 1 + r.IntN(28)
			}
		}
		dates = append(dates, d)
	}
	reused := &searcher{} // one searcher for every subject in turn, as the pool hands them out
	for i, dob := range dates {
		q := &personQuery{dob: dob}
		if i%2 == 0 {
			q.nat, q.sex = "FRA", 'F'
		}
		reused.classifyYears(q)
		fresh := &searcher{}
		fresh.classifyYears(q)
		if reused.yearClass != fresh.yearClass || !slices.Equal(reused.near, fresh.near) {
			t.Fatalf("subject born %v: a searcher used before classifies the years otherwise than a new one", dob)
		}
		for _, threshold := range []float64{0.01, 0.5, 0.8, 0.95} {
			sr := &searcher{threshold: threshold}
			sr.classifyYears(q)
			sr.viableYears(q)
			if c, ok := sr.groupClass(q, index.YearNone); c != yearUnknown || ok != (nameWeight+sr.restBound(q, 0) >= threshold-pruneMargin) {
				t.Fatalf("subject born %v, threshold %v: no date of birth: group class %d, %v", dob, threshold, c, ok)
			}
			for k := range yearSpan {
				y := 1800 + k
				if got, want := int(sr.yearClass[k]), yearClass(dob, y); got != want {
					t.Fatalf("subject born %v: year %d in class %d, want %d", dob, y, got, want)
				}
				// restBound of the year itself, on a fresh searcher: no cache of another year.
				fresh := &searcher{threshold: threshold}
				fresh.classifyYears(q)
				rest := fresh.restBound(q, y)
				if got, want := sr.yearPossible(y), nameWeight+rest >= threshold-pruneMargin; got != want {
					t.Fatalf("subject born %v, threshold %v: year %d possible %v, want %v", dob, threshold, y, got, want)
				}
				if c, ok := sr.groupClass(q, uint16(y)); c != yearClass(dob, y) || ok != sr.yearPossible(y) {
					t.Fatalf("subject born %v, threshold %v: year %d group class %d, %v", dob, threshold, y, c, ok)
				}
				if got, want := sr.sMin(q, uint16(y)), (threshold-rest-pruneMargin)/nameWeight; got != want {
					t.Fatalf("subject born %v, threshold %v: year %d sMin %v, want %v", dob, threshold, y, got, want)
				}
			}
		}
	}
}
