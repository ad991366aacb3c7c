package match_test

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

func ExampleMatcher_Screen() {
	snap := index.Build(42, &watchlist.Set{
		Documents: []watchlist.Document{
			{ID: "sltd-1", Number: "X1234567", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"},
		},
		Notices: []watchlist.Person{
			{ID: "red-1", NoticeType: watchlist.NoticeRed, Owner: "ESP", Sex: "M", Nationalities: []string{"ESP"},
				Names:      []watchlist.Name{{Surname: "Fernández", GivenNames: "Juan Carlos"}},
				BirthDates: []event.Date{{Year: 1971}}},
			{ID: "yellow-1", NoticeType: watchlist.NoticeYellow, Owner: "FRA",
				Names: []watchlist.Name{{Surname: "Martin", GivenNames: "Claire"}}},
		},
	})
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		panic(err)
	}
	subject := &event.Subject{ID: "flight-1/3", EventID: "flight-1", Kind: event.KindPerson, Person: &event.Person{
		Surname: "FERNANDES", GivenNames: "CARLOS JUAN", BirthDate: event.Date{Year: 1971, Month: 4, Day: 2},
		Sex: "M", Nationality: "ESP",
		Documents: []event.Document{{Type: "P", Number: "XI234S67", Issuer: "FRA"}},
	}}
	for _, h := range m.Screen(snap, subject) {
		fmt.Printf("%s %s score=%.2f %s (snapshot %d)\n", h.Database, h.RecordID, h.Score, h.Severity, h.SnapshotVersion)
		for _, r := range h.Reasons {
			fmt.Printf("  %-15s %-8s %+.2f %s\n", r.Field, r.Match, r.Weight, r.Detail)
		}
	}
	// Output:
	// sltd sltd-1 score=0.93 high (snapshot 42)
	//   document_number fuzzy    +0.90 OCR-equivalent: differs only by OCR-confusable characters (O/0, I/1, S/5, B/8, Z/2, G/6)
	//   issuer          exact    +0.00 issuing country agrees (required)
	//   document_type   exact    +0.03 document type of the same class
	// notices red-1 score=0.85 critical (snapshot 42)
	//   name            fuzzy    +0.75 primary name: 3 of 3 record name tokens matched; 1 with a one-character difference; weighted by rarity
	//   birth_date      partial  +0.05 year of birth agrees (the other date is partial)
	//   nationality     exact    +0.03 nationality agrees
	//   sex             exact    +0.02 sex agrees
}
