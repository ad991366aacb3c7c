package app

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/pipeline/event"
)

// TestAuditEntry: a partner check's audit event becomes a partner's entry on the check id;
// every other action stays an officer's.
func TestAuditEntry(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)
	check := event.PartnerCheck{ID: "chk-1", PartnerID: "bank-3", Country: "NLD", At: at}
	a := check.Audit(event.CheckNoHit)
	want := sink.AuditEntry{ID: a.ID, ActorID: "bank-3", ActorKind: sink.ActorPartner, Action: sink.ActionPartnerCheck, ObjectID: "chk-1",
		Result: "no_hit", Country: "NLD", At: at}
	if diff := cmp.Diff(want, auditEntry(&a)); diff != "" {
		t.Errorf("partner check (-want +got):\n%s", diff)
	}
	shown := event.AuditEvent{ID: "a-1", OfficerID: "FRA-OFF-1", Country: "FRA", Action: event.AuditAlertShown, HitID: "h-1", At: at}
	if got := auditEntry(&shown); got.ActorKind != sink.ActorOfficer || got.ObjectID != "h-1" || got.Action != sink.ActionAlertShown {
		t.Errorf("alert shown = %+v, want an officer's entry on the hit", got)
	}
}
