package producers_test

import (
	"slices"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/producers"
)

// partnerAlert is the alert of partner check id, made by a partner operating in country, on
// SLTD record rec of a document issued by issuer.
func partnerAlert(id, country, issuer, rec string, at time.Time) event.Alert {
	c := event.PartnerCheck{ID: id, PartnerID: "bank-1", Country: country, Document: event.Document{Type: "P", Number: "C01X00T47", Issuer: issuer}, At: at}
	s := c.Subject()
	return event.Alert{
		Hit: event.Hit{ID: event.HitID(s.ID, event.DBSLTD, rec), SubjectID: s.ID, EventID: c.ID, Database: event.DBSLTD, RecordID: rec, Score: 1,
			Reasons: []event.Reason{{Field: "document_number", Match: "exact", Weight: 0.97}}, SnapshotVersion: 2, Severity: "high", Action: "seize", Owner: issuer},
		Subject: s, Context: c.Context(), RaisedAt: at,
	}
}

// TestRouterPartnerAlertReachesBothControlRooms: the alert of a partner check goes to the
// control room of the partner's country and of the document's issuing country (once when
// they are the same), and to the owner; an alert of another source still goes to its
// screening country only, whoever issued the traveller's document.
func TestRouterPartnerAlertReachesBothControlRooms(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 0)
	abroad := partnerAlert("chk-1", "NLD", "DEU", "sltd-1", t0) // NLD: no topic yet
	home := partnerAlert("chk-2", "FRA", "FRA", "sltd-2", t0)
	mrz := partnerAlert("chk-3", "FRA", "D", "sltd-3", t0) // the ICAO code of Germany
	traveller := alertFor("m-1", 0, traveller(), event.DBSLTD, "sltd-4", "FRA", "DEU", t0)
	if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{abroad, home, mrz, traveller}}); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		topic string
		want  []string
	}{
		{"alerts.NLD", []string{abroad.Hit.ID}},
		{"alerts.DEU", []string{abroad.Hit.ID, mrz.Hit.ID}},
		{"alerts.FRA", []string{home.Hit.ID, mrz.Hit.ID, traveller.Hit.ID}},
		{"notifications.DEU", []string{abroad.Hit.ID, traveller.Hit.ID}},
		{"notifications.FRA", []string{home.Hit.ID}},
	}
	keys := map[string]string{} // hit id -> the key it was routed with
	for _, tt := range tests {
		got := e.read(t, len(tt.want), tt.topic)
		var hits []string
		for _, rec := range got {
			hits = append(hits, rec.alert.Hit.ID)
			if k, ok := keys[rec.alert.Hit.ID]; ok && k != rec.key {
				t.Errorf("hit %s routed under two keys", rec.alert.Hit.ID)
			}
			keys[rec.alert.Hit.ID] = rec.key
			if rec.alert.Context.Source == event.SourcePartner && rec.alert.Context.Country != "NLD" && rec.alert.Context.Country != "FRA" {
				t.Errorf("routing changed the alert's screening country to %s", rec.alert.Context.Country)
			}
		}
		slices.Sort(hits)
		if want := slices.Sorted(slices.Values(tt.want)); !slices.Equal(hits, want) {
			t.Errorf("%s holds hits %v, want %v", tt.topic, hits, want)
		}
	}
}

// TestRouterRecordsProducesNothingAndDoesNotFold: Records returns what Emit would write
// without writing it, routes a repeat that Emit would fold (keyed by the same fold id, so
// consumers still keep one), and leaves the hot window untouched: an Emit afterwards is not
// folded onto an alert that was only returned.
func TestRouterRecordsProducesNothingAndDoesNotFold(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 10*time.Minute)
	first := partnerAlert("chk-1", "FRA", "DEU", "sltd-1", t0)
	retry := partnerAlert("chk-2", "FRA", "DEU", "sltd-1", t0.Add(time.Minute)) // the partner retried after a 503
	var routedKeys []string
	for _, a := range []event.Alert{first, retry} {
		recs, err := r.Records(t.Context(), engine.Output{Alerts: []event.Alert{a}})
		if err != nil {
			t.Fatal(err)
		}
		var topicsGot []string
		for _, rec := range recs {
			topicsGot = append(topicsGot, rec.Topic)
			if rec.Topic != topics.Alerts {
				routedKeys = append(routedKeys, string(rec.Key))
			}
		}
		slices.Sort(topicsGot)
		if want := slices.Sorted(slices.Values([]string{"alerts.DEU", "alerts.FRA", topics.Alerts, "notifications.DEU"})); !slices.Equal(topicsGot, want) {
			t.Fatalf("Records wrote to %v, want %v", topicsGot, want)
		}
	}
	want := producers.FoldID(producers.FoldKey(&first), t0, 10*time.Minute)
	for _, k := range routedKeys {
		if k != want {
			t.Errorf("routed record keyed %q, want the fold id %q", k, want)
		}
	}
	if got := e.read(t, 0, topics.Alerts, "alerts.FRA", "alerts.DEU"); len(got) != 0 {
		t.Fatalf("Records produced %d records", len(got))
	}
	if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{retry}}); err != nil {
		t.Fatal(err)
	}
	if got := e.read(t, 1, "alerts.FRA"); len(got) != 1 {
		t.Errorf("%d alerts after Emit, want 1: Records must not fill the fold window", len(got))
	}
	if got := counterVec(t, e.reg, "screening_router_alerts_folded_total")[""]; got != 0 {
		t.Errorf("folded counter = %v, want 0", got)
	}
}
