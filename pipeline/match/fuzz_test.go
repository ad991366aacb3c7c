package match_test

import (
	"slices"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
)

// FuzzScreen screens arbitrary subjects against a small fixed snapshot. Invariants: never
// panics; every score is in [0, 1] and at or above its database's threshold; hits are sorted
// best first (score, database, record id) with no record twice; every hit names its snapshot,
// has an id, an action and at least one reason.
func FuzzScreen(f *testing.F) {
	snap := index.Build(3, ruleSet())
	cfg := match.DefaultConfig()
	m, err := match.New(cfg)
	if err != nil {
		f.Fatal(err)
	}
	f.Add("García-López", "María José", 1980, 5, 7, "F", "ESP", "AB1234567", "FRA", "P")
	f.Add("AL<HASSAN", "ABDULLAH", 1969, 0, 0, "", "", "8L0O0150", "ITA", "")
	f.Add("", "", 0, 0, 0, "X", "d", "XO5BI2", "D<<", "I")
	f.Add("\xff'-", "ǅ", 99999, -1, 40, "\x00", "⁂", "ＡＢ１", "ÿ", "PPP")
	f.Fuzz(func(t *testing.T, surname, given string, y, mo, d int, sex, nat, num, issuer, typ string) {
		s := &event.Subject{ID: "f/0", EventID: "f", Kind: event.KindPerson, Person: &event.Person{
			Surname: surname, GivenNames: given, BirthDate: event.Date{Year: y, Month: mo, Day: d}, Sex: sex, Nationality: nat,
			Documents: []event.Document{{Number: num, Issuer: issuer, Type: typ}, {Number: num + given, Issuer: issuer}},
		}}
		hits := m.Screen(snap, s)
		if !slices.IsSortedFunc(hits, func(a, b event.Hit) int {
			switch {
			case a.Score != b.Score:
				if a.Score > b.Score {
					return -1
				}
				return 1
			case a.Database != b.Database:
				if a.Database < b.Database {
					return -1
				}
				return 1
			case a.RecordID < b.RecordID:
				return -1
			case a.RecordID > b.RecordID:
				return 1
			}
			return 0
		}) {
			t.Fatal("hits not sorted best first")
		}
		seen := map[string]bool{}
		for _, h := range hits {
			if h.Score < 0 || h.Score > 1 || h.Score < cfg.Thresholds[h.Database] {
				t.Fatalf("score %v out of range for %s", h.Score, h.Database)
			}
			if seen[h.ID] {
				t.Fatalf("record %s hit twice", h.RecordID)
			}
			seen[h.ID] = true
			if h.SnapshotVersion != 3 || h.Action == "" || len(h.Reasons) == 0 {
				t.Fatalf("incomplete hit %+v", h)
			}
		}
	})
}
