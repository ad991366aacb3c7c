package app_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/event"
)

// TestIntegrationSinkCopiesPartnerChecks produces a partner check's audit event and an
// officer's to the audit topic and runs the sink against a real ClickHouse: both land in
// the audit table, the partner check as a partner's action on the check id with its
// result, the officer's as an officer's.
func TestIntegrationSinkCopiesPartnerChecks(t *testing.T) {
	t.Parallel()
	addr := testenv.ClickHouse(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	var rb [6]byte
	if _, err := rand.Read(rb[:]); err != nil {
		t.Fatal(err)
	}
	snk, err := sink.Open(ctx, sink.Config{Addr: addr, Database: "wp_audit_" + hex.EncodeToString(rb[:])})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		dctx, dcancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer dcancel()
		if err := snk.Conn().Exec(dctx, "DROP DATABASE IF EXISTS wp_audit_"+hex.EncodeToString(rb[:])); err != nil {
			t.Logf("dropping the test database: %v", err)
		}
		_ = snk.Close()
	})
	k, serde := startStack(ctx, t)
	ts := k.Topics
	at := time.Date(2026, 3, 1, 8, 30, 0, 0, time.UTC)
	check := event.PartnerCheck{ID: "chk-0a1b2c", PartnerID: "hotel-7", Country: "NLD", Document: event.Document{Type: "P", Number: "X1", Issuer: "DEU"}, At: at}
	evs := []event.AuditEvent{
		check.Audit(event.CheckHit),
		{ID: event.AuditID("FRA-OFF-1", event.AuditAlertShown, "hit-1", at, 1), OfficerID: "FRA-OFF-1", Country: "FRA", Action: event.AuditAlertShown, HitID: "hit-1", At: at},
	}
	pcl, err := k.Producer()
	if err != nil {
		t.Fatal(err)
	}
	defer pcl.Close()
	for i := range evs {
		b, err := serde.EncodeAuditEvent(&evs[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := pcl.ProduceSync(ctx, &kgo.Record{Topic: ts.Name(deploy.RoleAudit), Key: []byte(evs[i].OfficerID), Value: b}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- app.RunSink(sctx, app.SinkConfig{Kafka: k, Serde: serde, Sink: snk}) }()
	t.Cleanup(func() {
		stop()
		if err := <-done; err != nil {
			t.Errorf("RunSink: %v", err)
		}
	})

	type row struct{ ActorID, ActorKind, Action, ObjectID, Result, Country string }
	var got []row
	for len(got) < 2 {
		select {
		case <-ctx.Done():
			t.Fatalf("%d audit rows before the deadline, want 2", len(got))
		case <-time.After(200 * time.Millisecond):
		}
		rows, err := snk.Conn().Query(ctx, "SELECT actor_id, actor_kind, action, object_id, result, country FROM audit ORDER BY actor_id")
		if err != nil {
			t.Fatal(err)
		}
		got = got[:0]
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.ActorID, &r.ActorKind, &r.Action, &r.ObjectID, &r.Result, &r.Country); err != nil {
				t.Fatal(err)
			}
			got = append(got, r)
		}
		rows.Close()
	}
	want := []row{
		{"FRA-OFF-1", "officer", "alert_shown", "hit-1", "", "FRA"},
		{"hotel-7", "partner", "partner_check", "chk-0a1b2c", "hit", "NLD"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("audit rows (-want +got):\n%s", diff)
	}
}
