package match_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

func date(y, m, d int) event.Date { return event.Date{Year: y, Month: m, Day: d} }

// ruleSet is a small watchlist: the records the rule tests aim at, plus filler so that token
// weights are not degenerate.
func ruleSet() *watchlist.Set {
	return &watchlist.Set{
		Documents: []watchlist.Document{
			{ID: "D-stolen", Number: "AB1234567", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"},
			{ID: "D-lost", Number: "X0S8I2", Type: "", Issuer: "DEU", Status: watchlist.StatusLost, Owner: "DEU"},
			{ID: "D-blank", Number: "BL000100", NumberTo: "BL000199", Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
			{ID: "D-revoked", Number: "C99", Type: "I", Issuer: "ESP", Status: watchlist.StatusRevoked, Owner: "ESP"},
		},
		Notices: []watchlist.Person{
			{ID: "N-garcia", NoticeType: watchlist.NoticeRed, Owner: "ESP", Sex: "F", Nationalities: []string{"ESP"},
				Names:      []watchlist.Name{{Surname: "García-López", GivenNames: "María José"}},
				BirthDates: []event.Date{date(1980, 5, 7)}},
			{ID: "N-year", NoticeType: watchlist.NoticeYellow, Owner: "POL", Sex: "M",
				Names:      []watchlist.Name{{Surname: "Kowalczyk", GivenNames: "Bartłomiej"}},
				BirthDates: []event.Date{date(2008, 0, 0)}},
			{ID: "N-smith", NoticeType: watchlist.NoticeBlue, Owner: "GBR",
				Names:      []watchlist.Name{{Surname: "Smith", GivenNames: "Jonathan"}},
				BirthDates: []event.Date{date(1975, 3, 4)}},
			{ID: "N-hassan", NoticeType: watchlist.NoticeUNSpecial, Owner: "UNO",
				Names:      []watchlist.Name{{Surname: "Al-Hassan", GivenNames: "Abdullah"}, {FullName: "Abu Karim", Weak: true}},
				BirthDates: []event.Date{date(1969, 0, 0), date(1970, 0, 0)}},
			{ID: "N-black", NoticeType: watchlist.NoticeBlack, Owner: "FRA",
				Names: []watchlist.Name{{Surname: "Inconnu", GivenNames: "Jean"}}},
			{ID: "F-1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Smith", GivenNames: "Peter"}}},
			{ID: "F-2", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Jones", GivenNames: "Maria"}}},
			{ID: "F-3", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Brown", GivenNames: "Jose"}}},
		},
	}
}

func person(surname, given string, dob event.Date, docs ...event.Document) *event.Subject {
	return &event.Subject{ID: "e1/0", EventID: "e1", Kind: event.KindPerson, Person: &event.Person{Surname: surname, GivenNames: given, BirthDate: dob, Documents: docs}}
}

type brief struct {
	DB       event.Database
	Record   string
	Severity string
}

func TestScreenRules(t *testing.T) {
	t.Parallel()
	snap := index.Build(7, ruleSet())
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	passport := func(num, issuer, typ string) event.Document {
		return event.Document{Type: typ, Number: num, Issuer: issuer}
	}
	garciaDOB := date(1980, 5, 7)
	tests := []struct {
		name string
		subj *event.Subject
		want []brief
		// scoreBelow, when set, is an exclusive upper bound on the first hit's score.
		scoreBelow float64
		reason     string // a substring of some reason's detail, when set
	}{
		// SLTD.
		{name: "sltd exact", subj: person("", "", event.Date{}, passport("AB1234567", "FRA", "P")),
			want: []brief{{event.DBSLTD, "D-stolen", "high"}}, reason: "identical"},
		{name: "sltd noise in number", subj: person("", "", event.Date{}, passport(" ab-123 4567 ", "fra", "PP")),
			want: []brief{{event.DBSLTD, "D-stolen", "high"}}},
		{name: "sltd ocr-equivalent", subj: person("", "", event.Date{}, passport("A81234S67", "FRA", "P")),
			want: []brief{{event.DBSLTD, "D-stolen", "high"}}, scoreBelow: 1, reason: "OCR-equivalent"},
		{name: "sltd ocr both ways", subj: person("", "", event.Date{}, passport("XO5BI2", "D", "")),
			want: []brief{{event.DBSLTD, "D-lost", "medium"}}, reason: "OCR-equivalent"},
		{name: "sltd different issuer", subj: person("", "", event.Date{}, passport("AB1234567", "BEL", "P"))},
		{name: "sltd one digit different", subj: person("", "", event.Date{}, passport("AB1234568", "FRA", "P"))},
		{name: "sltd range inside", subj: person("", "", event.Date{}, passport("BL000150", "ITA", "P")),
			want: []brief{{event.DBSLTD, "D-blank", "critical"}}, reason: "range"},
		{name: "sltd range bound", subj: person("", "", event.Date{}, passport("BL000199", "ITA", "")),
			want: []brief{{event.DBSLTD, "D-blank", "critical"}}},
		{name: "sltd range ocr", subj: person("", "", event.Date{}, passport("8L0O0150", "ITA", "P")),
			want: []brief{{event.DBSLTD, "D-blank", "critical"}}, reason: "OCR-equivalent"},
		{name: "sltd range outside", subj: person("", "", event.Date{}, passport("BL000200", "ITA", "P"))},
		{name: "sltd type conflict still hits lower", subj: person("", "", event.Date{}, passport("AB1234567", "FRA", "I")),
			want: []brief{{event.DBSLTD, "D-stolen", "high"}}, scoreBelow: 0.9},
		{name: "sltd ocr with type conflict is no hit", subj: person("", "", event.Date{}, passport("A81234567", "FRA", "V"))},
		// Notices: must hit.
		{name: "notice exact", subj: person("GARCIA LOPEZ", "MARIA JOSE", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}},
		{name: "notice typo in a token", subj: person("Garcia-Lopes", "Maria Jose", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}, scoreBelow: 1, reason: "one-character difference"},
		{name: "notice transposition typo", subj: person("Garcia-Lopez", "Mraia Jose", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}, scoreBelow: 1},
		{name: "notice diacritics as on record", subj: person("García-López", "María José", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}},
		{name: "notice given names reordered", subj: person("Garcia-Lopez", "Jose Maria", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}},
		{name: "notice hyphen as space", subj: person("Garcia Lopez", "Maria-Jose", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}},
		{name: "notice compound written together", subj: person("Garcialopez", "Mariajose", garciaDOB),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}},
		{name: "notice year-only record date", subj: person("Kowalczyk", "Bartlomiej", date(2008, 11, 2)),
			want: []brief{{event.DBNotices, "N-year", "high"}}, reason: "year of birth agrees"},
		{name: "notice day and month swapped", subj: person("Garcia Lopez", "Maria Jose", date(1980, 7, 5)),
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}},
		{name: "notice particle dropped", subj: person("Hassan", "Abdullah", date(1970, 2, 1)),
			want: []brief{{event.DBNotices, "N-hassan", "high"}}},
		{name: "notice particle joined", subj: person("Alhassan", "Abdullah", date(1969, 2, 1)),
			want: []brief{{event.DBNotices, "N-hassan", "high"}}},
		{name: "notice mrz style", subj: person("AL<HASSAN", "ABDULLAH", event.Date{}),
			want: []brief{{event.DBNotices, "N-hassan", "high"}}},
		{name: "notice swapped names lower", subj: &event.Subject{ID: "e1/0", EventID: "e1", Kind: event.KindPerson, Person: &event.Person{
			Surname: "Maria Jose", GivenNames: "Garcia Lopez", BirthDate: garciaDOB, Sex: "F", Nationality: "ESP"}},
			want: []brief{{event.DBNotices, "N-garcia", "critical"}}, scoreBelow: 0.9, reason: "swapped"},
		// Notices: must not hit.
		{name: "notice same surname other given names other decade", subj: person("Smith", "Robert", date(1995, 3, 4))},
		{name: "notice same given names other surname other date", subj: person("Miller", "Jonathan", date(1962, 8, 9))},
		{name: "notice exact name clear date conflict", subj: person("Smith", "Jonathan", date(1990, 3, 4))},
		{name: "notice black not screened", subj: person("Inconnu", "Jean", event.Date{})},
		{name: "notice single token", subj: person("Garcia", "", garciaDOB)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			hits := m.Screen(snap, tt.subj)
			var got []brief
			for _, h := range hits {
				got = append(got, brief{h.Database, h.RecordID, h.Severity})
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Fatalf("hits mismatch (-want +got):\n%s\nhits: %+v", diff, hits)
			}
			if len(hits) == 0 {
				return
			}
			h := hits[0]
			if tt.scoreBelow != 0 && h.Score >= tt.scoreBelow {
				t.Errorf("score = %v, want below %v", h.Score, tt.scoreBelow)
			}
			if h.SnapshotVersion != 7 || h.ID != event.HitID("e1/0", h.Database, h.RecordID) || h.Action == "" || h.Owner == "" {
				t.Errorf("hit fields incomplete: %+v", h)
			}
			if tt.reason != "" {
				found := false
				for _, r := range h.Reasons {
					found = found || strings.Contains(r.Detail, tt.reason)
				}
				if !found {
					t.Errorf("no reason mentions %q: %+v", tt.reason, h.Reasons)
				}
			}
		})
	}
}

func ruleSetSnapshot() *index.Snapshot { return index.Build(7, ruleSet()) }

func TestScreenNilAndNonPerson(t *testing.T) {
	t.Parallel()
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	snap := ruleSetSnapshot()
	for name, tc := range map[string]struct {
		snap *index.Snapshot
		subj *event.Subject
	}{
		"nil snapshot": {nil, person("Smith", "Jonathan", event.Date{})},
		"nil subject":  {snap, nil},
		"vehicle":      {snap, &event.Subject{ID: "v/0", Kind: event.KindVehicle, Vehicle: &event.Vehicle{VIN: "1HGCM82633A004352"}}},
		"empty person": {snap, person("", "", event.Date{})},
	} {
		if hits := m.Screen(tc.snap, tc.subj); hits != nil {
			t.Errorf("%s: hits = %+v, want none", name, hits)
		}
	}
}

// TestCommonTokensDoNotInflate checks the IDF weighting: matching only a common given name
// scores lower than matching only a rare one.
func TestCommonTokensDoNotInflate(t *testing.T) {
	t.Parallel()
	set := &watchlist.Set{}
	for i := range 50 {
		set.Notices = append(set.Notices, watchlist.Person{ID: fmt.Sprintf("f%d", i), NoticeType: watchlist.NoticeRed,
			Names: []watchlist.Name{{Surname: fmt.Sprintf("Filler%c%c", 'A'+i%26, 'A'+i/26), GivenNames: "Mohammed"}}})
	}
	set.Notices = append(set.Notices, watchlist.Person{ID: "target", NoticeType: watchlist.NoticeRed,
		Names: []watchlist.Name{{Surname: "Qureshi", GivenNames: "Mohammed"}}})
	cfg := match.DefaultConfig()
	cfg.Thresholds[event.DBNotices] = 0.01
	cfg.MaxHitsPerDatabase = 100
	m, err := match.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	snap := index.Build(1, set)
	score := func(s *event.Subject) float64 {
		for _, h := range m.Screen(snap, s) {
			if h.RecordID == "target" {
				return h.Score
			}
		}
		return 0
	}
	common, rare := score(person("Zzyzx", "Mohammed", event.Date{})), score(person("Qureshi", "Abcdef", event.Date{}))
	if !(common < rare) || common == 0 {
		t.Errorf("common-token-only score %v, rare-token-only score %v: want 0 < common < rare", common, rare)
	}
}
