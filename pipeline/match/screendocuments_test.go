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

// TestScreenDocumentsIsScreenForOneDatabase: on a snapshot where the same documents are in
// SLTD and in TDAWN, and the subjects also carry names that notices match, ScreenDocuments
// returns for each document database exactly the hits of that database Screen returns, and
// nothing for a database without a threshold or without a document table.
func TestScreenDocumentsIsScreenForOneDatabase(t *testing.T) {
	t.Parallel()
	docs := watchlisttest.Documents(5000, 11)
	set := &watchlist.Set{Documents: docs}
	for i, d := range docs[:2000] {
		set.TDAWN = append(set.TDAWN, watchlist.TravelDocument{ID: "TD-" + d.ID, Number: d.Number, Type: d.Type, Issuer: d.Issuer, NoticeID: "N-1", Owner: d.Owner})
		if i%500 == 0 { // a second record on the same number: several hits per database
			dup := d
			dup.ID += "-again"
			set.Documents = append(set.Documents, dup)
		}
	}
	set.Notices = []watchlist.Person{{ID: "N-1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "DOE", GivenNames: "JOHN"}}, Owner: "FRA"}}
	snap := index.Build(1, set)
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	subjects := watchlisttest.DocumentSubjects(set.Documents, 3000, 12)
	hits := 0
	for i, s := range subjects {
		if i%2 == 0 {
			s.Person.Surname, s.Person.GivenNames = "DOE", "JOHN"
		}
		all := m.Screen(snap, s)
		for _, db := range []event.Database{event.DBSLTD, event.DBTDAWN} {
			var want []event.Hit
			for _, h := range all {
				if h.Database == db {
					want = append(want, h)
				}
			}
			got := m.ScreenDocuments(snap, db, s)
			hits += len(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("subject %s, %s (-Screen +ScreenDocuments):\n%s", s.ID, db, diff)
			}
		}
		if got := m.ScreenDocuments(snap, event.DBNotices, s); got != nil {
			t.Fatalf("subject %s: %d hits from notices, which have no document table", s.ID, len(got))
		}
	}
	if hits < 300 {
		t.Fatalf("only %d document hits: the differential test compared too little", hits)
	}
	onlySLTD := match.DefaultConfig()
	delete(onlySLTD.Thresholds, event.DBTDAWN)
	m2, err := match.New(onlySLTD)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range subjects[:200] {
		if got := m2.ScreenDocuments(snap, event.DBTDAWN, s); got != nil {
			t.Fatalf("%d TDAWN hits although TDAWN has no threshold", len(got))
		}
	}
	if m.ScreenDocuments(nil, event.DBSLTD, subjects[0]) != nil || m.ScreenDocuments(snap, event.DBSLTD, &event.Subject{}) != nil {
		t.Error("hits without a snapshot or without a person")
	}
}
