package match_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestRebuildEqualsBuild: a snapshot rebuilt from a previous one for the changed databases
// screens exactly like one built from scratch, whichever databases changed.
func TestRebuildEqualsBuild(t *testing.T) {
	t.Parallel()
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	vocab := watchlisttest.NewNameVocabulary(300, 200, 1)
	gen := func(seed uint64) *watchlist.Set {
		set := &watchlist.Set{
			Documents: watchlisttest.Documents(2000, seed),
			Notices:   watchlisttest.Persons(vocab, 800, seed),
			Vehicles:  watchlisttest.Vehicles(500, seed),
			Vessels:   watchlisttest.Vessels(200, seed),
			Firearms:  watchlisttest.Firearms(500, seed),
		}
		for i := range set.Notices {
			set.Notices[i].NoticeType = []watchlist.NoticeType{watchlist.NoticeRed, watchlist.NoticeYellow, watchlist.NoticeBlue}[(i+int(seed))%3]
			if i%7 == 0 {
				set.Notices[i].RestrictedFrom = []string{"ITA"}
			}
		}
		set.Nominals = watchlisttest.Persons(vocab, 300, seed+100)
		for i := range set.Nominals {
			set.Nominals[i].ID = "nom-" + set.Nominals[i].ID
			set.Nominals[i].NoticeType = ""
		}
		for i := range 300 {
			d := set.Documents[i]
			set.TDAWN = append(set.TDAWN, watchlist.TravelDocument{ID: "td-" + d.ID, Number: d.Number + "T", Type: d.Type, Issuer: d.Issuer, NoticeID: set.Notices[i].ID, Owner: d.Owner})
		}
		return set
	}
	a, b := gen(1), gen(2)
	var subjects []*event.Subject
	subjects = append(subjects, watchlisttest.DocumentSubjects(append(a.Documents[:500:500], b.Documents[:500]...), 400, 3)...)
	var tdawn []watchlist.Document // TDAWN documents as presented
	for _, td := range append(a.TDAWN[:100:100], b.TDAWN[:100]...) {
		tdawn = append(tdawn, watchlist.Document{ID: td.ID, Number: td.Number, Type: td.Type, Issuer: td.Issuer})
	}
	subjects = append(subjects, watchlisttest.DocumentSubjects(tdawn, 200, 8)...)
	subjects = append(subjects, watchlisttest.PersonSubjects(vocab, append(a.Notices[:200:200], b.Notices[:200]...), 300, 4)...)
	subjects = append(subjects, watchlisttest.VehicleSubjects(b.Vehicles, 100, 5)...)
	subjects = append(subjects, watchlisttest.VesselSubjects(b.Vessels, 100, 6)...)
	subjects = append(subjects, watchlisttest.FirearmSubjects(b.Firearms, 100, 7)...)

	for _, changed := range [][]event.Database{
		{event.DBSLTD},
		{event.DBNotices}, // TDAWN follows: its records carry their notice's type
		{event.DBTDAWN, event.DBVehicles},
		{event.DBNominals, event.DBVessels, event.DBFirearms},
		event.Databases(),
	} {
		// next takes the changed databases from b, the others from a.
		next := *a
		for _, db := range changed {
			switch db {
			case event.DBSLTD:
				next.Documents = b.Documents
			case event.DBNotices:
				next.Notices = b.Notices
			case event.DBNominals:
				next.Nominals = b.Nominals
			case event.DBTDAWN:
				next.TDAWN = b.TDAWN
			case event.DBVehicles:
				next.Vehicles = b.Vehicles
			case event.DBVessels:
				next.Vessels = b.Vessels
			case event.DBFirearms:
				next.Firearms = b.Firearms
			}
		}
		want := index.Build(9, &next)
		got := index.Rebuild(index.Build(8, a), 9, &next, changed)
		if diff := cmp.Diff(want.Counts(), got.Counts()); diff != "" {
			t.Errorf("changed %v: counts (-build +rebuild):\n%s", changed, diff)
		}
		if want.Skipped() != got.Skipped() {
			t.Errorf("changed %v: skipped %d, rebuild %d", changed, want.Skipped(), got.Skipped())
		}
		for _, s := range subjects {
			if diff := cmp.Diff(m.Screen(want, s), m.Screen(got, s)); diff != "" {
				t.Fatalf("changed %v, subject %s: hits (-build +rebuild):\n%s", changed, s.ID, diff)
			}
		}
	}
}
