package match_test

import (
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// TestFullNameOnlySubject: a subject whose name is known only as a full name (no surname /
// given-names split, as some lists and subjects give it) is still screened by name.
func TestFullNameOnlySubject(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, &watchlist.Set{Notices: []watchlist.Person{{
		ID: "N-7", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "KOWALSKI", GivenNames: "TOMASZ"}},
		BirthDates: []event.Date{{Year: 1977, Month: 4, Day: 9}}, Nationalities: []string{"POL"}, Sex: "M", Owner: "POL",
	}}})
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	s := event.Subject{ID: "s", EventID: "e", Kind: event.KindPerson, Person: &event.Person{
		FullName: "Tomasz Kowalski", BirthDate: event.Date{Year: 1977, Month: 4, Day: 9}, Nationality: "POL", Sex: "M"}}
	hits := m.Screen(snap, &s)
	if len(hits) != 1 || hits[0].RecordID != "N-7" {
		t.Fatalf("hits = %+v, want the notice N-7 found through the full name", hits)
	}
}
