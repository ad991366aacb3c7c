package retro_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/retro"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

var t0 = time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)

type clock struct{ now time.Time }

func (c *clock) Now() time.Time { return c.now }

func newScreener(t *testing.T, c *clock, max int) *retro.Screener {
	t.Helper()
	s, err := retro.New(retro.Config{Match: match.DefaultConfig(), Now: c.Now, MaxTravellers: max,
		Emit: func(context.Context, []event.Alert) error { return nil }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func traveller(id, surname, given string, doc string) (*event.Subject, event.Context) {
	p := &event.Person{Surname: surname, GivenNames: given, BirthDate: event.Date{Year: 1975, Month: 4, Day: 9}, Sex: "M", Nationality: "FRA",
		Documents: []event.Document{{Type: "P", Number: doc, Issuer: "FRA"}}}
	return &event.Subject{ID: id + "/0", EventID: id, Kind: event.KindPerson, Role: event.RolePassenger, Person: p},
		event.Context{Source: "api", Carrier: "AF", Flight: "AF1", BorderPost: "CDG", Country: "FRA", EventTime: t0}
}

func notice(id, surname, given string) watchlist.Person {
	return watchlist.Person{ID: id, NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: surname, GivenNames: given}},
		BirthDates: []event.Date{{Year: 1975, Month: 4, Day: 9}}, Nationalities: []string{"FRA"}, Sex: "M", Owner: "FRA"}
}

func TestRetroAlertsOnNewRecords(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	s := newScreener(t, c, 0)
	base := &watchlist.Set{Notices: []watchlist.Person{notice("n-old", "KOWALCZYK", "BOGDAN")}}
	prev := index.Build(1, base)
	for _, tr := range []struct{ id, sur, giv, doc string }{
		{"m-1", "Zantario", "Melkor", "18FR00001"},  // will match a new notice
		{"m-2", "Dupont", "Jean", "18FR00002"},      // will match a new SLTD record
		{"m-3", "Kowalczyk", "Bogdan", "18FR00003"}, // already hit n-old; n-old is updated
		{"m-4", "Nobody", "Atall", "18FR00004"},
	} {
		sub, ctx := traveller(tr.id, tr.sur, tr.giv, tr.doc)
		s.Remember(sub, ctx)
	}
	s.Remember(&event.Subject{ID: "x-1/0", EventID: "x-1", Kind: event.KindVehicle, Vehicle: &event.Vehicle{VIN: "WVWZZZ1JZXW000001"}}, event.Context{})
	if s.Len() != 4 {
		t.Fatalf("remembered %d, want 4 (persons only)", s.Len())
	}
	updated := notice("n-old", "KOWALCZYK", "BOGDAN")
	updated.Nationalities = []string{"FRA", "POL"}
	changed := &watchlist.Set{
		Notices:   []watchlist.Person{notice("n-new", "ZANTARIO", "MELKOR"), updated},
		Documents: []watchlist.Document{{ID: "sltd-new", Number: "18FR00002", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"}},
	}
	all := &watchlist.Set{Notices: changed.Notices, Documents: changed.Documents}
	c.now = t0.Add(5 * time.Hour)
	alerts := s.Screen(prev, index.Build(2, all), changed)
	got := map[string]string{}
	for _, a := range alerts {
		if !a.Retro || !a.RaisedAt.Equal(c.now) || a.Context.BorderPost != "CDG" || !a.Context.EventTime.Equal(t0) {
			t.Errorf("alert %s: want retro, raised now, in its original context: %+v", a.Hit.ID, a)
		}
		if a.Hit.SnapshotVersion != 2 {
			t.Errorf("alert %s names snapshot %d, want 2", a.Hit.ID, a.Hit.SnapshotVersion)
		}
		got[a.Subject.EventID] = a.Hit.RecordID
	}
	want := map[string]string{"m-1": "n-new", "m-2": "sltd-new"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("retro alerts %v, want %v (m-3 already hit n-old before its update)", got, want)
	}
}

func TestRetroWindowAndBound(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	s := newScreener(t, c, 0)
	sub, ctx := traveller("m-old", "Zantario", "Melkor", "18FR00001")
	s.Remember(sub, ctx)
	c.now = t0.Add(73 * time.Hour)
	sub2, ctx2 := traveller("m-new", "Zantario", "Melkor", "18FR00009")
	s.Remember(sub2, ctx2)
	if s.Len() != 1 {
		t.Fatalf("remembered %d after the window passed, want 1", s.Len())
	}
	changed := &watchlist.Set{Notices: []watchlist.Person{notice("n", "ZANTARIO", "MELKOR")}}
	alerts := s.Screen(nil, index.Build(1, changed), changed)
	if len(alerts) != 1 || alerts[0].Subject.EventID != "m-new" {
		t.Errorf("alerts %v, want one for m-new only", alerts)
	}

	bounded := newScreener(t, c, 2)
	for i := range 5 {
		c.now = t0.Add(time.Duration(i) * time.Hour)
		sub, ctx := traveller(fmt.Sprintf("m-%d", i), "A", "B", "1")
		bounded.Remember(sub, ctx)
	}
	if bounded.Len() > 2 {
		t.Errorf("bounded store holds %d, want at most 2", bounded.Len())
	}
}

// TestRetroFindsWhatABruteForceFinds: for random travellers and random new records, retro
// raises exactly the hits a full screening of every traveller against the new snapshot
// finds on the new records — the candidate index loses none.
func TestRetroFindsWhatABruteForceFinds(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	s := newScreener(t, c, 0)
	vocab := watchlisttest.NewNameVocabulary(300, 200, 7)
	people := watchlisttest.Persons(vocab, 3000, 7)
	for i := range people {
		people[i].NoticeType = watchlist.NoticeRed
	}
	docs := watchlisttest.Documents(3000, 7)
	old := &watchlist.Set{Notices: people[:2500], Documents: docs[:2500]}
	changed := &watchlist.Set{Notices: people[2500:], Documents: docs[2500:]}
	all := &watchlist.Set{Notices: people, Documents: docs}
	subjects := watchlisttest.PersonSubjects(vocab, people, 3000, 8)
	subjects = append(subjects, watchlisttest.DocumentSubjects(docs, 2000, 9)...)
	for _, sub := range subjects {
		s.Remember(sub, event.Context{Country: "FRA"})
	}
	prev, snap := index.Build(1, old), index.Build(2, all)
	m, _ := match.New(match.DefaultConfig())
	newIDs := map[string]bool{}
	for _, p := range changed.Notices {
		newIDs[p.ID] = true
	}
	for _, d := range changed.Documents {
		newIDs[d.ID] = true
	}
	var want []string
	for _, sub := range subjects {
		for _, h := range m.Screen(snap, sub) {
			if newIDs[h.RecordID] {
				want = append(want, h.ID)
			}
		}
	}
	var got []string
	for _, a := range s.Screen(prev, snap, changed) {
		got = append(got, a.Hit.ID)
	}
	slices.Sort(want)
	slices.Sort(got)
	want = slices.Compact(want)
	if len(want) < 20 {
		t.Fatalf("only %d expected hits: the comparison proves little", len(want))
	}
	if !slices.Equal(got, want) {
		t.Errorf("retro raised %d alerts, brute force finds %d", len(got), len(want))
	}
}

func TestRetroRunEmits(t *testing.T) {
	t.Parallel()
	c := &clock{now: t0}
	emitted := make(chan []event.Alert, 10)
	s, err := retro.New(retro.Config{Match: match.DefaultConfig(), Now: c.Now,
		Emit: func(_ context.Context, a []event.Alert) error { emitted <- a; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	sub, ctx := traveller("m-1", "Zantario", "Melkor", "18FR00001")
	s.Remember(sub, ctx)
	ctxRun, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctxRun) }()
	// Vehicles are not screened again; the notice is.
	s.Changed(nil, index.Build(1, nil), &watchlist.Set{Vehicles: []watchlist.Vehicle{{ID: "v"}}})
	changed := &watchlist.Set{Notices: []watchlist.Person{notice("n", "ZANTARIO", "MELKOR")}}
	s.Changed(nil, index.Build(2, changed), changed)
	select {
	case a := <-emitted:
		if len(a) != 1 || a[0].Hit.RecordID != "n" || !a[0].Retro {
			t.Errorf("emitted %+v, want one retro alert on n", a)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no retro alert emitted")
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
