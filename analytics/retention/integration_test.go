package retention_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/internal/chtest"
	"github.com/watchpost/watchpost/analytics/queries"
	"github.com/watchpost/watchpost/analytics/retention"
	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/pipeline/event"
)

func openSink(t *testing.T) *sink.Sink {
	t.Helper()
	addr := chtest.Addr(t)
	db := chtest.DatabaseName(t)
	chtest.DropOnCleanup(t, addr, db)
	s, err := sink.Open(t.Context(), sink.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatalf("sink.Open() error = %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// rowsPerMonth writes, for each month, 40 screenings (a quarter of them hit, with a decision
// and an audit entry per hit), all with full travel details.
func rowsPerMonth(t *testing.T, s *sink.Sink, months []time.Time) {
	t.Helper()
	ctx := t.Context()
	for _, m := range months {
		var (
			ss []event.Screening
			as []event.Alert
			os []sink.Outcome
			au []sink.AuditEntry
		)
		for i := range 40 {
			at := m.Add(time.Duration(i)*17*time.Hour + time.Minute)
			id := event.SubjectID(fmt.Sprintf("%s-m%d", m.Format("200601"), i), 0)
			c := event.Context{Source: "pnr", Carrier: "XY", Flight: "XY12", Departure: "AMS", Arrival: "CDG", BorderPost: "CDG", Country: "FRA", EventTime: at.Add(-time.Second)}
			ss = append(ss, event.Screening{SubjectID: id, EventID: id, Kind: event.KindPerson, Nationality: "NLD", Context: c, ScreenedAt: at})
			if i%4 == 0 {
				hid := event.HitID(id, event.DBSLTD, "r1")
				as = append(as, event.Alert{Hit: event.Hit{ID: hid, SubjectID: id, Database: event.DBSLTD, RecordID: "r1"}, Context: c, RaisedAt: at})
				os = append(os, sink.Outcome{HitID: hid, Decision: sink.Confirmed, OfficerID: "FRA-1", Country: "FRA", DecidedAt: at.Add(time.Minute)})
				au = append(au, sink.AuditEntry{ActorID: "FRA-1", ActorKind: sink.ActorOfficer, Action: sink.ActionHitConfirmed, ObjectID: hid, Country: "FRA", At: at.Add(time.Minute)})
			}
		}
		for name, err := range map[string]error{
			"screenings": s.WriteScreenings(ctx, ss), "alerts": s.WriteAlerts(ctx, as),
			"outcomes": s.WriteOutcomes(ctx, os), "audit": s.WriteAudit(ctx, au),
		} {
			if err != nil {
				t.Fatalf("writing %s for %s: %v", name, m.Format("2006-01"), err)
			}
		}
	}
}

// state is, per table and partition, the rows and the rows still holding travel details.
type state map[string]map[string][2]uint64

func read(t *testing.T, s *sink.Sink) state {
	t.Helper()
	parts, err := queries.LoadPartitions(t.Context(), s.Conn())
	if err != nil {
		t.Fatal(err)
	}
	out := state{}
	for _, p := range parts {
		if out[p.Table] == nil {
			out[p.Table] = map[string][2]uint64{}
		}
		var personal uint64
		switch p.Table {
		case "screenings":
			personal = count(t, s, "SELECT count() FROM screenings WHERE toYYYYMM(screened_date) = "+p.Partition+" AND (nationality != '' OR flight != '' OR carrier != '' OR departure != '' OR arrival != '')")
		case "hits":
			personal = count(t, s, "SELECT count() FROM hits WHERE toYYYYMM(raised_date) = "+p.Partition+" AND (flight != '' OR carrier != '')")
		}
		// Rows of a partition, not of its parts: FINAL-free count by the partition's month.
		rows := p.Rows
		if p.Table == "screenings" {
			rows = count(t, s, "SELECT uniqExact(subject_id) FROM screenings WHERE toYYYYMM(screened_date) = "+p.Partition)
		}
		out[p.Table][p.Partition] = [2]uint64{rows, personal}
	}
	return out
}

func count(t *testing.T, s *sink.Sink, q string) uint64 {
	t.Helper()
	var n uint64
	if err := s.Conn().QueryRow(t.Context(), q).Scan(&n); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return n
}

func TestIntegrationRetention(t *testing.T) {
	t.Parallel()
	s := openSink(t)
	ctx := t.Context()
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	now := time.Date(2026, 6, 15, 9, 0, 0, 0, time.UTC)
	rowsPerMonth(t, s, []time.Time{month(2021, 3), month(2021, 6), month(2025, 11), month(2025, 12), month(2026, 6)})

	before := read(t, s)
	if len(before["screenings"]) != 5 || len(before["hits_daily"]) != 5 || len(before["audit"]) != 5 || len(before["hits_latency"]) != 5 {
		t.Fatalf("fixture: want five monthly partitions per table, got %v", before)
	}
	// Every table the migrations create is covered by the policy.
	if u := retention.Uncovered(retention.DefaultPolicy(), mustParts(t, s)); len(u) > 0 {
		t.Fatalf("tables without a retention rule: %v", u)
	}

	plan, err := retention.Plan(ctx, s.Conn(), retention.DefaultPolicy(), now)
	if err != nil {
		t.Fatalf("Plan() error = %v", err)
	}
	var got []string
	for _, a := range plan {
		got = append(got, string(a.Kind)+" "+a.Table+" "+a.Partition)
	}
	var want []string
	for _, table := range []string{"audit", "hits", "hits_daily", "hits_hourly", "hits_latency", "outcomes", "screenings", "screenings_daily", "screenings_hourly"} {
		want = append(want, "drop "+table+" 202103")
		if table == "hits" || table == "screenings" {
			want = append(want, "depersonalise "+table+" 202106", "depersonalise "+table+" 202511")
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("Plan() mismatch (-want +got):\n%s", diff)
	}

	// A dry run is a plan only: nothing changed.
	if diff := cmp.Diff(before, read(t, s)); diff != "" {
		t.Fatalf("planning changed the data (-before +after):\n%s", diff)
	}

	var done []string
	err = retention.Apply(ctx, s.Conn(), plan, retention.Options{Poll: 50 * time.Millisecond, MutationTimeout: 2 * time.Minute,
		OnAction: func(a retention.Action) { done = append(done, a.Table+" "+a.Partition) }})
	if err != nil {
		t.Fatalf("Apply() error = %v", err)
	}
	if len(done) != len(plan) {
		t.Errorf("OnAction called %d times for %d actions", len(done), len(plan))
	}
	after := read(t, s)
	for table, parts := range before {
		for p, v := range parts {
			got, kept := after[table][p]
			switch {
			case p == "202103" && (table != "operations" && table != "border_posts" && table != "schema_migrations"):
				if kept {
					t.Errorf("%s %s was not dropped", table, p)
				}
			case (p == "202106" || p == "202511") && (table == "screenings" || table == "hits"):
				if !kept || got[0] != v[0] || got[1] != 0 || v[1] == 0 {
					t.Errorf("%s %s: rows/personal %v before, %v after; want the same rows, none personal", table, p, v, got)
				}
			default:
				if !kept || got != v {
					t.Errorf("%s %s changed: %v before, %v after", table, p, v, got)
				}
			}
		}
	}
	// Counting still works on depersonalised months: every subject is still there.
	sum, err := queries.LoadScreenedByKind(ctx, s.Conn(), queries.Scope{Since: month(2025, 11), Until: month(2025, 12)})
	if err != nil {
		t.Fatal(err)
	}
	if sum["person"] != 40 {
		t.Errorf("screened in the depersonalised month = %d, want 40", sum["person"])
	}

	// Applying again is a no-op.
	again, err := retention.Plan(ctx, s.Conn(), retention.DefaultPolicy(), now)
	if err != nil {
		t.Fatalf("Plan() again error = %v", err)
	}
	if len(again) != 0 {
		t.Errorf("Plan() after Apply() = %v, want nothing", again)
	}
}

func mustParts(t *testing.T, s *sink.Sink) []queries.Partition {
	t.Helper()
	parts, err := queries.LoadPartitions(context.WithoutCancel(t.Context()), s.Conn())
	if err != nil {
		t.Fatal(err)
	}
	return parts
}
