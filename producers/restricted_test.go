package producers_test

import (
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
)

// TestRouterRestrictedRecords: a hit on a record restricted from the screening country
// reaches that country's control room (and the all-alerts stream) as a neutral alert with
// no record details, while the owner is notified in full; an unrestricted hit and a hit
// from a permitted country are delivered in full everywhere.
func TestRouterRestrictedRecords(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 0)
	restricted := alertFor("m-1", 0, traveller(), event.DBNotices, "notice-secret-77", "FRA", "DEU", t0)
	restricted.Hit.Access = event.Access{RestrictedFrom: []string{"FRA"}}
	permitted := alertFor("m-2", 0, traveller(), event.DBNotices, "notice-open-78", "FRA", "DEU", t0)
	permitted.Hit.Access = event.Access{RestrictedTo: []string{"FRA"}}
	if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{restricted, permitted}}); err != nil {
		t.Fatal(err)
	}

	for _, rec := range e.read(t, 4, countryAlerts.Name("FRA"), topics.Alerts) {
		h := rec.alert.Hit
		switch h.SubjectID {
		case restricted.Hit.SubjectID:
			if !h.Restricted || h.RecordID != "" || h.Score != 0 || len(h.Reasons) != 0 {
				t.Errorf("%s: restricted hit disclosed: %+v", rec.topic, h)
			}
			if !strings.Contains(h.Action, "DEU") || h.Owner != "DEU" || h.ID != restricted.Hit.ID {
				t.Errorf("%s: neutral hit must name the owner to contact and keep its id: %+v", rec.topic, h)
			}
		case permitted.Hit.SubjectID:
			if h.Restricted || h.RecordID != "notice-open-78" || len(h.Reasons) == 0 {
				t.Errorf("%s: permitted hit withheld: %+v", rec.topic, h)
			}
		}
	}
	owner := e.read(t, 2, ownerNotes.Name("DEU"))
	for _, rec := range owner {
		if h := rec.alert.Hit; h.Restricted || h.RecordID == "" || len(h.Reasons) == 0 {
			t.Errorf("the owner got a neutral hit: %+v", h)
		}
	}
}

// TestRouterRestrictedPartnerAlert: a partner check's hit goes to the control rooms of the
// partner's country and of the issuing country, each seeing what its own country may see.
func TestRouterRestrictedPartnerAlert(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 0)
	p := traveller()
	p.Documents = []event.Document{{Type: "P", Number: "C01X00T47", Issuer: "DEU"}}
	a := alertFor("chk-1", 0, p, event.DBSLTD, "sltd-secret", "FRA", "DEU", t0)
	a.Context = event.Context{Source: event.SourcePartner, Country: "FRA", EventTime: t0}
	a.Hit.Access = event.Access{RestrictedFrom: []string{"FRA"}}
	if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{a}}); err != nil {
		t.Fatal(err)
	}
	for _, rec := range e.read(t, 3, countryAlerts.Name("FRA"), countryAlerts.Name("DEU"), ownerNotes.Name("DEU")) {
		neutral := rec.alert.Hit.Restricted
		if want := rec.topic == countryAlerts.Name("FRA"); neutral != want {
			t.Errorf("%s: neutral = %v, want %v", rec.topic, neutral, want)
		}
		if !neutral && rec.alert.Hit.RecordID != "sltd-secret" {
			t.Errorf("%s: record withheld from a permitted country", rec.topic)
		}
	}
}
