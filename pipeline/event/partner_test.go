package event_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
)

func TestPartnerCheck(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.FixedZone("CET", 3600))
	c := event.PartnerCheck{ID: "chk-1", PartnerID: "hotel-7", Country: "NLD", Document: event.Document{Type: "P", Number: "X123", Issuer: "DEU"}, At: at}

	s := c.Subject()
	want := event.Subject{ID: "chk-1/0", EventID: "chk-1", Kind: event.KindPerson, Person: &event.Person{Documents: []event.Document{c.Document}}}
	if diff := cmp.Diff(want, s); diff != "" {
		t.Errorf("Subject (-want +got):\n%s", diff)
	}
	if got := c.Context(); got != (event.Context{Source: event.SourcePartner, Country: "NLD", EventTime: at}) {
		t.Errorf("Context = %+v", got)
	}

	a := c.Audit(event.CheckHit)
	wantAt := time.Date(2026, 3, 1, 8, 30, 0, 123456000, time.UTC)
	wantAudit := event.AuditEvent{
		ID: event.AuditID("hotel-7", event.AuditPartnerCheck, "chk-1", wantAt, 0), OfficerID: "hotel-7", Country: "NLD",
		Action: event.AuditPartnerCheck, HitID: "chk-1", Result: event.CheckHit, At: wantAt,
	}
	if diff := cmp.Diff(wantAudit, a); diff != "" {
		t.Errorf("Audit (-want +got):\n%s", diff)
	}
	if again := c.Audit(event.CheckHit); again.ID != a.ID {
		t.Error("the audit id of one check is not deterministic")
	}
	other := c
	other.ID = "chk-2"
	if other.Audit(event.CheckHit).ID == a.ID {
		t.Error("two checks share an audit id")
	}
	found := false
	for _, act := range event.AuditActions() {
		found = found || act == event.AuditPartnerCheck
	}
	if !found {
		t.Error("AuditActions does not list partner_check")
	}
}
