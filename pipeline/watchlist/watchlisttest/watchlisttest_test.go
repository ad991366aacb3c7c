package watchlisttest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestGenerated checks that the generators are deterministic and produce records that all
// validate and all get indexed, and subjects of the right kind.
func TestGenerated(t *testing.T) {
	t.Parallel()
	const n = 5000
	set := &watchlist.Set{
		Documents: watchlisttest.Documents(n, 1), Vehicles: watchlisttest.Vehicles(n, 1),
		Vessels: watchlisttest.Vessels(n, 1), Firearms: watchlisttest.Firearms(n, 1),
	}
	if diff := cmp.Diff(set.Documents, watchlisttest.Documents(n, 1)); diff != "" {
		t.Fatalf("Documents not deterministic:\n%s", diff)
	}
	snap := index.Build(1, set)
	if snap.Skipped() != 0 {
		t.Fatalf("Build skipped %d generated records", snap.Skipped())
	}
	for db, want := range map[event.Database]int{event.DBSLTD: n, event.DBVehicles: n, event.DBVessels: n, event.DBFirearms: n} {
		if got := snap.Counts()[db]; got != want {
			t.Errorf("%s: %d records indexed, want %d", db, got, want)
		}
	}
	for kind, subjects := range map[event.SubjectKind][]*event.Subject{
		event.KindPerson:  watchlisttest.DocumentSubjects(set.Documents, 100, 1),
		event.KindVehicle: watchlisttest.VehicleSubjects(set.Vehicles, 100, 1),
		event.KindVessel:  watchlisttest.VesselSubjects(set.Vessels, 100, 1),
		event.KindFirearm: watchlisttest.FirearmSubjects(set.Firearms, 100, 1),
	} {
		for _, s := range subjects {
			if s.Kind != kind || s.ID == "" {
				t.Fatalf("subject %+v, want kind %s", s, kind)
			}
		}
	}
	for _, d := range set.Documents {
		if !index.DocumentRangeValid(d.Number, d.NumberTo) {
			t.Fatalf("invalid range generated")
		}
	}
}
