package sink

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/ddl"
	"github.com/watchpost/watchpost/analytics/internal/chtest"
	"github.com/watchpost/watchpost/analytics/queries"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
)

// openTest opens a Sink on a fresh database that is dropped when the test ends.
func openTest(tb testing.TB) *Sink {
	tb.Helper()
	addr := chtest.Addr(tb)
	db := chtest.DatabaseName(tb)
	chtest.DropOnCleanup(tb, addr, db)
	s, err := Open(context.Background(), Config{Addr: addr, Database: db})
	if err != nil {
		tb.Fatalf("Open() error = %v", err)
	}
	tb.Cleanup(func() { _ = s.Close() })
	return s
}

var (
	posts = []string{"CDG", "JFK", "LHR"}
	dbs   = []event.Database{event.DBSLTD, event.DBNotices, event.DBVehicles, event.DBFirearms}
	base  = time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
)

// fixture builds n screenings over three border posts and two days, and one alert for
// every fifth subject (two for every tenth), with deterministic ids.
func fixture(prefix string, n int) ([]event.Screening, []event.Alert) {
	var (
		screenings []event.Screening
		alerts     []event.Alert
	)
	for i := range n {
		eventID := fmt.Sprintf("%s-m%d", prefix, i/5)
		subjectID := event.SubjectID(eventID, i%5)
		ctx := event.Context{
			Source: "api", Carrier: "XY", Flight: "XY1", Departure: "AMS",
			Arrival: posts[i%len(posts)], BorderPost: posts[i%len(posts)], Country: "FRA",
			EventTime: base.Add(time.Duration(i) * time.Minute),
		}
		at := ctx.EventTime.Add(24 * time.Hour * time.Duration(i%2)) // two days
		s := event.Screening{
			SubjectID: subjectID, EventID: eventID, Kind: event.KindPerson, Role: event.RolePassenger,
			Nationality: "NLD", Context: ctx, ScreenedAt: at, SnapshotVersion: 7, DurationMicros: int64(100 + i),
		}
		hits := 0
		if i%5 == 0 {
			hits = 1
		}
		if i%10 == 0 {
			hits = 2
		}
		for h := range hits {
			db := dbs[(i+h)%len(dbs)]
			record := fmt.Sprintf("rec-%d-%d", i, h)
			alerts = append(alerts, event.Alert{
				Hit: event.Hit{
					ID: event.HitID(subjectID, db, record), SubjectID: subjectID, EventID: eventID, Database: db,
					RecordID: record, Score: 0.9, SnapshotVersion: 7, Severity: "high", Action: "refer", Owner: "DEU",
					Reasons: []event.Reason{{Field: "document_number", Match: "exact", Weight: 0.9, Detail: "x"}},
				},
				Subject:  event.Subject{ID: subjectID, EventID: eventID, Kind: event.KindPerson},
				Context:  ctx,
				RaisedAt: at,
			})
			s.Databases = append(s.Databases, db)
		}
		s.Hits = hits
		screenings = append(screenings, s)
	}
	return screenings, alerts
}

// expect computes, from the delivered rows alone, what the de-duplicating queries must
// return for the window [since, ∞): each subject or hit counted once, on the day of its
// earliest delivery within the window.
func expect(screenings []event.Screening, alerts []event.Alert, since time.Time) (queries.Summary, []queries.PostDay) {
	sum := queries.Summary{HitsByDatabase: map[string]uint64{}}
	type key struct {
		post string
		day  time.Time
	}
	firstScreened := map[string]event.Screening{}
	for _, s := range screenings {
		if s.ScreenedAt.Before(since) {
			continue
		}
		if f, ok := firstScreened[s.SubjectID]; !ok || s.ScreenedAt.Before(f.ScreenedAt) {
			firstScreened[s.SubjectID] = s
		}
	}
	screenedDay := map[key]uint64{}
	for _, s := range firstScreened {
		sum.Screened++
		screenedDay[key{s.Context.BorderPost, s.ScreenedAt.Truncate(24 * time.Hour)}]++
	}
	firstRaised := map[string]event.Alert{}
	for _, a := range alerts {
		if a.RaisedAt.Before(since) {
			continue
		}
		if f, ok := firstRaised[a.Hit.ID]; !ok || a.RaisedAt.Before(f.RaisedAt) {
			firstRaised[a.Hit.ID] = a
		}
	}
	hitsDay := map[key]uint64{}
	subjectsDay := map[key]map[string]bool{}
	for _, a := range firstRaised {
		sum.Hits++
		sum.HitsByDatabase[string(a.Hit.Database)]++
		k := key{a.Context.BorderPost, a.RaisedAt.Truncate(24 * time.Hour)}
		hitsDay[k]++
		if subjectsDay[k] == nil {
			subjectsDay[k] = map[string]bool{}
		}
		subjectsDay[k][a.Hit.SubjectID] = true
	}
	var days []queries.PostDay
	for k, n := range hitsDay {
		days = append(days, queries.PostDay{BorderPost: k.post, Day: k.day, Hits: n, Subjects: uint64(len(subjectsDay[k])), Screened: screenedDay[k]})
	}
	sort.Slice(days, func(i, j int) bool {
		if !days[i].Day.Equal(days[j].Day) {
			return days[i].Day.Before(days[j].Day)
		}
		return days[i].BorderPost < days[j].BorderPost
	})
	return sum, days
}

func TestIntegrationSink(t *testing.T) {
	t.Parallel()
	addr := chtest.Addr(t)
	db := chtest.DatabaseName(t)
	chtest.DropOnCleanup(t, addr, db)
	ctx := t.Context()
	cfg := Config{Addr: addr, Database: db}

	// Open twice: the first creates the database and migrates, the second migrates again.
	first, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("first Open() error = %v", err)
	}
	if err := first.Close(); err != nil {
		t.Fatalf("Close() error = %v", err)
	}
	s, err := Open(ctx, cfg)
	if err != nil {
		t.Fatalf("second Open() error = %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	applied, err := ddl.LoadApplied(ctx, s.Conn())
	if err != nil {
		t.Fatalf("LoadApplied() error = %v", err)
	}
	embedded, err := ddl.Migrations()
	if err != nil {
		t.Fatalf("Migrations() error = %v", err)
	}
	if len(applied) != len(embedded) {
		t.Errorf("after two Opens, %d migrations recorded, want %d: %+v", len(applied), len(embedded), applied)
	}

	screenings, alerts := fixture("it", 60)
	// Deliver everything, then redeliver all of it (same ids, same times), then redeliver a
	// part a day later, as a consumer replay would.
	late := func(ss []event.Screening, as []event.Alert) ([]event.Screening, []event.Alert) {
		ls := append([]event.Screening(nil), ss[:10]...)
		for i := range ls {
			ls[i].ScreenedAt = ls[i].ScreenedAt.Add(24 * time.Hour)
		}
		la := append([]event.Alert(nil), as[:5]...)
		for i := range la {
			la[i].RaisedAt = la[i].RaisedAt.Add(24 * time.Hour)
		}
		return ls, la
	}
	lateScreenings, lateAlerts := late(screenings, alerts)
	for i, batch := range []struct {
		s []event.Screening
		a []event.Alert
	}{{screenings, alerts}, {screenings, alerts}, {lateScreenings, lateAlerts}} {
		if err := s.WriteScreenings(ctx, batch.s); err != nil {
			t.Fatalf("delivery %d: WriteScreenings() error = %v", i+1, err)
		}
		if err := s.WriteAlerts(ctx, batch.a); err != nil {
			t.Fatalf("delivery %d: WriteAlerts() error = %v", i+1, err)
		}
	}

	var raw, collapsed uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM screenings").Scan(&raw); err != nil {
		t.Fatalf("counting raw screenings: %v", err)
	}
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM screenings FINAL").Scan(&collapsed); err != nil {
		t.Fatalf("counting screenings FINAL: %v", err)
	}
	if raw < uint64(len(screenings)) || raw > uint64(2*len(screenings)+len(lateScreenings)) {
		t.Errorf("raw screenings rows = %d, want between %d and %d", raw, len(screenings), 2*len(screenings)+len(lateScreenings))
	}
	// Late copies land in the same partition (same month) and have the same sorting key.
	if collapsed != uint64(len(screenings)) {
		t.Errorf("screenings FINAL = %d rows, want %d", collapsed, len(screenings))
	}

	all := append(append([]event.Screening(nil), screenings...), lateScreenings...)
	allAlerts := append(append([]event.Alert(nil), alerts...), lateAlerts...)
	tests := []struct {
		name  string
		since time.Time
	}{
		{"all time", time.Time{}},
		{"from the second day", base.Add(24 * time.Hour).Truncate(24 * time.Hour)},
		{"after everything", base.Add(30 * 24 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			want, _ := expect(all, allAlerts, tt.since)
			got, err := s.Summary(ctx, tt.since)
			if err != nil {
				t.Fatalf("Summary() error = %v", err)
			}
			switch tt.name { // guard the fixture, so the comparison below means something
			case "all time":
				if want.Screened != uint64(len(screenings)) || want.Hits != uint64(len(alerts)) {
					t.Fatalf("fixture: expected %d screened and %d hits, computed %+v", len(screenings), len(alerts), want)
				}
			case "from the second day":
				if want.Screened == 0 || want.Screened >= uint64(len(screenings)) || want.Hits == 0 || want.Hits >= uint64(len(alerts)) {
					t.Fatalf("fixture: the second day should hold some but not all rows, computed %+v", want)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Summary() mismatch (-want +got):\n%s", diff)
			}
		})
	}

	t.Run("hits by post and day", func(t *testing.T) {
		t.Parallel()
		_, want := expect(all, allAlerts, time.Time{})
		got, err := s.HitsByPostDay(ctx, time.Time{}, base.Add(365*24*time.Hour))
		if err != nil {
			t.Fatalf("HitsByPostDay() error = %v", err)
		}
		if len(want) != 2*len(posts) {
			t.Fatalf("fixture: want hits on %d post-days, computed %d", 2*len(posts), len(want))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("HitsByPostDay() mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestIntegrationHitsRoundTrip(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := t.Context()
	_, alerts := fixture("rt", 1)
	alerts = alerts[:1]
	if err := s.WriteAlerts(ctx, alerts); err != nil {
		t.Fatalf("WriteAlerts() error = %v", err)
	}
	want, err := alertToRow(0, &alerts[0])
	if err != nil {
		t.Fatalf("alertToRow() error = %v", err)
	}
	var got hitRow
	err = s.Conn().QueryRow(ctx, "SELECT "+hitColumns+" FROM hits").Scan(
		&got.HitID, &got.SubjectID, &got.EventID, &got.Kind, &got.Database, &got.RecordID, &got.Score, &got.Severity,
		&got.Action, &got.Owner, &got.SnapshotVersion, &got.ReasonField, &got.ReasonMatch, &got.ReasonWeight,
		&got.Source, &got.Carrier, &got.Flight, &got.BorderPost, &got.Country, &got.EventTime, &got.RaisedAt, &got.RaisedDate,
		&got.LatencyMS)
	if err != nil {
		t.Fatalf("reading the hit back: %v", err)
	}
	got.EventTime, got.RaisedAt, got.RaisedDate = got.EventTime.UTC(), got.RaisedAt.UTC(), got.RaisedDate.UTC()
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hit round trip mismatch (-wrote +read):\n%s", diff)
	}
}

func TestIntegrationContext(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	screenings, alerts := fixture("cx", 10)

	t.Run("cancelled before the call", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		calls := map[string]func() error{
			"WriteScreenings": func() error { return s.WriteScreenings(ctx, screenings) },
			"WriteAlerts":     func() error { return s.WriteAlerts(ctx, alerts) },
			"Summary":         func() error { _, err := s.Summary(ctx, time.Time{}); return err },
		}
		for name, call := range calls {
			start := time.Now()
			err := call()
			if d := time.Since(start); d > time.Second {
				t.Errorf("%s with a cancelled context took %v", name, d)
			}
			if !errors.Is(err, context.Canceled) {
				t.Errorf("%s error = %v, want context.Canceled", name, err)
			}
			if got := fault.Class(err); got != "fatal" {
				t.Errorf("%s: fault.Class = %q, want fatal: the caller gave up", name, got)
			}
		}
	})

	t.Run("cancelled during a slow query", func(t *testing.T) {
		t.Parallel()
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		// sleep(3) is the longest sleep ClickHouse 18.16 allows.
		err := s.Conn().QueryRow(ctx, "SELECT sleep(3)").Scan(new(uint8))
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("a query past its deadline returned after %v", d)
		}
		if err == nil {
			t.Error("a query past its deadline succeeded")
		}
		// The pool must still serve calls after the interrupted one.
		if err := s.Ping(t.Context()); err != nil {
			t.Errorf("Ping() after an interrupted query = %v", err)
		}
	})

	t.Run("query timeout is transient", func(t *testing.T) {
		t.Parallel()
		short := &Sink{conn: s.conn, cfg: s.cfg}
		short.cfg.QueryTimeout = time.Nanosecond
		err := short.WriteScreenings(t.Context(), screenings)
		if got := fault.Class(err); got != "transient" {
			t.Errorf("WriteScreenings() past QueryTimeout: fault.Class(%v) = %q, want transient", err, got)
		}
	})
}

// BenchmarkIntegrationWriteScreenings measures rows per second through one Sink call per batch.
func BenchmarkIntegrationWriteScreenings(b *testing.B) {
	s := openTest(b)
	for _, n := range []int{1_000, 10_000} {
		screenings, _ := fixture(fmt.Sprintf("bench%d", n), n)
		b.Run(fmt.Sprintf("batch=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := s.WriteScreenings(b.Context(), screenings); err != nil {
					b.Fatalf("WriteScreenings() error = %v", err)
				}
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkIntegrationWriteAlerts measures hits rows per second (each insert also feeds the
// hourly, daily and latency aggregate views).
func BenchmarkIntegrationWriteAlerts(b *testing.B) {
	s := openTest(b)
	_, alerts := fixture("benchalerts", 5_000) // 1,500 alerts
	b.Run(fmt.Sprintf("batch=%d", len(alerts)), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.WriteAlerts(b.Context(), alerts); err != nil {
				b.Fatalf("WriteAlerts() error = %v", err)
			}
		}
		b.ReportMetric(float64(b.N*len(alerts))/b.Elapsed().Seconds(), "rows/s")
	})
}

// BenchmarkIntegrationWriteOutcomes measures decisions per second.
func BenchmarkIntegrationWriteOutcomes(b *testing.B) {
	s := openTest(b)
	outcomes := make([]Outcome, 1_000)
	for i := range outcomes {
		outcomes[i] = Outcome{HitID: fmt.Sprintf("h%d", i), Decision: Confirmed, ReasonCode: "identity_confirmed", OfficerID: "FRA-OFF-1", Country: "FRA", DecidedAt: base.Add(time.Duration(i) * time.Second)}
	}
	b.Run("batch=1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if err := s.WriteOutcomes(b.Context(), outcomes); err != nil {
				b.Fatalf("WriteOutcomes() error = %v", err)
			}
		}
		b.ReportMetric(float64(b.N*len(outcomes))/b.Elapsed().Seconds(), "rows/s")
	})
}

// TestIntegrationDecisionsRoundTrip writes outcomes and audit entries, reads every column
// back, and checks that the latest decision on a hit wins whatever the write order and
// however often each was written.
func TestIntegrationDecisionsRoundTrip(t *testing.T) {
	t.Parallel()
	s := openTest(t)
	ctx := t.Context()
	at := time.Date(2026, 6, 1, 10, 0, 0, 250_000_000, time.UTC)
	first := Outcome{HitID: "h1", Decision: Confirmed, ReasonCode: "identity_confirmed", OfficerID: "FRA-OFF-7", Country: "FRA", DecidedAt: at}
	later := first
	later.Decision, later.ReasonCode, later.DecidedAt = Dismissed, "different_person", at.Add(1500*time.Millisecond) // same second + 1
	sameSecond := first
	sameSecond.HitID, sameSecond.DecidedAt = "h2", at
	sameSecondLater := sameSecond
	sameSecondLater.Decision, sameSecondLater.DecidedAt = Dismissed, at.Add(300*time.Millisecond) // same DateTime second
	for range 2 {
		if err := s.WriteOutcomes(ctx, []Outcome{later, sameSecondLater}); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteOutcomes(ctx, []Outcome{first, sameSecond}); err != nil {
			t.Fatal(err)
		}
	}
	rows, err := s.Conn().Query(ctx, "SELECT hit_id, toString(argMax(decision, version)), argMax(reason_code, version) FROM outcomes GROUP BY hit_id ORDER BY hit_id")
	if err != nil {
		t.Fatal(err)
	}
	var got [][3]string
	for rows.Next() {
		var r [3]string
		if err := rows.Scan(&r[0], &r[1], &r[2]); err != nil {
			t.Fatal(err)
		}
		got = append(got, r)
	}
	rows.Close()
	want := [][3]string{{"h1", "dismissed", "different_person"}, {"h2", "dismissed", "identity_confirmed"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("latest decisions mismatch (-want +got):\n%s", diff)
	}

	entry := AuditEntry{ActorID: "partner-17", ActorKind: ActorPartner, Action: ActionPartnerCheck, ObjectID: "chk-1", Result: "no_hit", Country: "NLD", At: at}
	for range 3 {
		if err := s.WriteAudit(ctx, []AuditEntry{entry}); err != nil {
			t.Fatal(err)
		}
	}
	wantRow, err := auditToRow(0, &entry)
	if err != nil {
		t.Fatal(err)
	}
	var gotRow auditRow
	var n uint64
	if err := s.Conn().QueryRow(ctx, "SELECT "+auditColumns+" FROM audit LIMIT 1").Scan(&gotRow.AuditID, &gotRow.ActorID, &gotRow.ActorKind,
		&gotRow.Action, &gotRow.ObjectID, &gotRow.Result, &gotRow.Country, &gotRow.At, &gotRow.AtDate); err != nil {
		t.Fatal(err)
	}
	gotRow.At, gotRow.AtDate = gotRow.At.UTC(), gotRow.AtDate.UTC()
	if diff := cmp.Diff(wantRow, gotRow); diff != "" {
		t.Errorf("audit round trip mismatch (-wrote +read):\n%s", diff)
	}
	if err := s.Conn().QueryRow(ctx, "SELECT uniqExact(audit_id) FROM audit").Scan(&n); err != nil || n != 1 {
		t.Errorf("audit holds %d distinct entries after three writes of one (%v)", n, err)
	}
}
