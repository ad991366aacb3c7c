package queries_test

import (
	"bytes"
	"context"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/ddl"
	"github.com/watchpost/watchpost/analytics/internal/chtest"
	"github.com/watchpost/watchpost/analytics/queries"
	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/pipeline/event"
)

var names = []string{queries.FileScreened, queries.FileHitsByDatabase, queries.FileHitsByPostDay}

// TestIntegrationFilesRunAsIs runs every embedded file unchanged, with its defaults, over the
// native protocol and, when it is installed, through clickhouse-client, as analysts would.
func TestIntegrationFilesRunAsIs(t *testing.T) {
	t.Parallel()
	conn, db := chtest.Database(t)
	if err := ddl.Migrate(t.Context(), conn); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	client, clientErr := exec.LookPath("clickhouse-client")
	host, port, err := net.SplitHostPort(chtest.Addr(t))
	if err != nil {
		t.Fatalf("splitting %s: %v", chtest.EnvAddr, err)
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := queries.Text(name)
			if err != nil {
				t.Fatalf("Text() error = %v", err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			rows, err := conn.Query(ctx, strings.TrimSuffix(strings.TrimSpace(text), ";"))
			if err != nil {
				t.Fatalf("running %s over the native protocol: %v", name, err)
			}
			rows.Close()
			if clientErr != nil {
				t.Logf("clickhouse-client not installed; native run only")
				return
			}
			f, err := os.Open(name)
			if err != nil {
				t.Fatalf("opening %s: %v", name, err)
			}
			defer f.Close()
			cmd := exec.CommandContext(ctx, client, "--host", host, "--port", port, "--database", db, "--multiquery")
			cmd.Stdin = f
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil {
				t.Errorf("clickhouse-client < %s: %v\n%s", name, err, stderr.String())
			}
		})
	}
}

func TestIntegrationLoad(t *testing.T) {
	t.Parallel()
	addr := chtest.Addr(t)
	db := chtest.DatabaseName(t)
	chtest.DropOnCleanup(t, addr, db)
	ctx := t.Context()
	s, err := sink.Open(ctx, sink.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatalf("sink.Open() error = %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })

	empty, err := queries.LoadSummary(ctx, s.Conn(), time.Time{})
	if err != nil {
		t.Fatalf("LoadSummary() on empty tables error = %v", err)
	}
	if diff := cmp.Diff(queries.Summary{HitsByDatabase: map[string]uint64{}}, empty); diff != "" {
		t.Errorf("LoadSummary() on empty tables mismatch (-want +got):\n%s", diff)
	}

	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	at := day.Add(9 * time.Hour)
	c := event.Context{Source: "crossing", BorderPost: "FRBSL", Country: "FRA", EventTime: at}
	screenings := []event.Screening{
		{SubjectID: "x/0", EventID: "x", Kind: event.KindVehicle, Context: c, ScreenedAt: at, Hits: 1},
		{SubjectID: "y/0", EventID: "y", Kind: event.KindPerson, Context: c, ScreenedAt: at.Add(time.Minute)},
		{SubjectID: "z/0", EventID: "z", Kind: event.KindPerson, Context: c, ScreenedAt: at.Add(-48 * time.Hour)}, // before the window
	}
	alerts := []event.Alert{
		{Hit: event.Hit{ID: "h1", SubjectID: "x/0", Database: event.DBVehicles, RecordID: "v1"}, Context: c, RaisedAt: at},
		{Hit: event.Hit{ID: "h2", SubjectID: "x/0", Database: event.DBVehicles, RecordID: "v2"}, Context: c, RaisedAt: at},
		{Hit: event.Hit{ID: "h3", SubjectID: "x/0", Database: event.DBSLTD, RecordID: "d1"}, Context: c, RaisedAt: at.Add(time.Second)},
	}
	for range 2 { // a redelivery changes nothing
		if err := s.WriteScreenings(ctx, screenings); err != nil {
			t.Fatalf("WriteScreenings() error = %v", err)
		}
		if err := s.WriteAlerts(ctx, alerts); err != nil {
			t.Fatalf("WriteAlerts() error = %v", err)
		}
	}

	got, err := queries.LoadSummary(ctx, s.Conn(), day)
	if err != nil {
		t.Fatalf("LoadSummary() error = %v", err)
	}
	want := queries.Summary{Screened: 2, Hits: 3, HitsByDatabase: map[string]uint64{"vehicles": 2, "sltd": 1}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadSummary() mismatch (-want +got):\n%s", diff)
	}

	between, err := queries.LoadSummaryBetween(ctx, s.Conn(), day, at.Add(time.Second))
	if err != nil {
		t.Fatalf("LoadSummaryBetween() error = %v", err)
	}
	wantBetween := queries.Summary{Screened: 1, Hits: 2, HitsByDatabase: map[string]uint64{"vehicles": 2}}
	if diff := cmp.Diff(wantBetween, between); diff != "" {
		t.Errorf("LoadSummaryBetween() mismatch (-want +got):\n%s", diff)
	}

	days, err := queries.LoadHitsByPostDay(ctx, s.Conn(), day, day.Add(24*time.Hour))
	if err != nil {
		t.Fatalf("LoadHitsByPostDay() error = %v", err)
	}
	wantDays := []queries.PostDay{{BorderPost: "FRBSL", Day: day, Hits: 3, Subjects: 1, Screened: 2}}
	if diff := cmp.Diff(wantDays, days); diff != "" {
		t.Errorf("LoadHitsByPostDay() mismatch (-want +got):\n%s", diff)
	}
}

func TestIntegrationLoadCancelled(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	if err := ddl.Migrate(t.Context(), conn); err != nil {
		t.Fatalf("Migrate() error = %v", err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	start := time.Now()
	if _, err := queries.LoadSummary(ctx, conn, time.Time{}); err == nil {
		t.Error("LoadSummary() with a cancelled context succeeded")
	}
	if _, err := queries.LoadHitsByPostDay(ctx, conn, time.Time{}, time.Now()); err == nil {
		t.Error("LoadHitsByPostDay() with a cancelled context succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("cancelled loads took %v", d)
	}
}
