package queries_test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
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
	for _, name := range queries.Files() {
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

// clientTSV runs the file name unchanged through clickhouse-client against db and returns its
// tab-separated rows. It fails the test when clickhouse-client is missing under
// WATCHPOST_REQUIRE_INTEGRATION=1 (make test installs it with the server), and skips it
// otherwise.
func clientTSV(t *testing.T, db, name string) [][]string {
	t.Helper()
	client, err := exec.LookPath("clickhouse-client")
	if err != nil {
		if os.Getenv(chtest.EnvRequire) == "1" {
			t.Fatal("clickhouse-client is not installed")
		}
		t.Skip("clickhouse-client is not installed")
	}
	host, port, err := net.SplitHostPort(chtest.Addr(t))
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, client, "--host", host, "--port", port, "--database", db, "--multiquery", "--format", "TSV")
	cmd.Stdin = f
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("clickhouse-client < %s: %v\n%s", name, err, stderr.String())
	}
	var rows [][]string
	for line := range strings.SplitSeq(strings.TrimRight(stdout.String(), "\n"), "\n") {
		if line != "" {
			rows = append(rows, strings.Split(line, "\t"))
		}
	}
	return rows
}

// TestIntegrationFilesAsIsMatchTypedLoads fills a database, then runs the scoped and trend
// files unchanged through clickhouse-client, as an analyst would: each must print what its
// typed Go function returns for the same (default: everything) scope.
func TestIntegrationFilesAsIsMatchTypedLoads(t *testing.T) {
	t.Parallel()
	addr := chtest.Addr(t)
	db := chtest.DatabaseName(t)
	chtest.DropOnCleanup(t, addr, db)
	ctx := t.Context()
	s, err := sink.Open(ctx, sink.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	day := time.Date(2026, 6, 2, 0, 0, 0, 0, time.UTC)
	var (
		screenings []event.Screening
		alerts     []event.Alert
		outcomes   []sink.Outcome
	)
	for i := range 60 {
		post := []string{"CDG", "ORY", "MUC"}[i%3]
		country := map[string]string{"CDG": "FRA", "ORY": "FRA", "MUC": "DEU"}[post]
		at := day.Add(time.Duration(i) * 97 * time.Minute)
		id := event.SubjectID(fmt.Sprintf("q%d", i), 0)
		c := event.Context{Source: "api", BorderPost: post, Country: country, EventTime: at}
		kind := event.KindPerson
		if i%7 == 0 {
			kind = event.KindVehicle
		}
		screenings = append(screenings, event.Screening{SubjectID: id, EventID: id, Kind: kind, Context: c, ScreenedAt: at.Add(time.Second)})
		if i%4 == 0 {
			db := []event.Database{event.DBSLTD, event.DBNotices}[i%8/4]
			hid := event.HitID(id, db, "r")
			alerts = append(alerts, event.Alert{Hit: event.Hit{ID: hid, SubjectID: id, Database: db, RecordID: "r"}, Context: c, RaisedAt: at.Add(time.Duration(100+i*37) * time.Millisecond)})
			if i%8 == 0 {
				outcomes = append(outcomes, sink.Outcome{HitID: hid, Decision: sink.Confirmed, OfficerID: "o-1", Country: country, DecidedAt: at.Add(time.Hour)})
			}
		}
	}
	for range 2 {
		if err := s.WriteScreenings(ctx, screenings); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteAlerts(ctx, alerts); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteOutcomes(ctx, outcomes); err != nil {
			t.Fatal(err)
		}
	}
	all := queries.Scope{Since: time.Unix(0, 0), Until: time.Unix(4102444800, 0)}
	conn := s.Conn()
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	d := func(t time.Time) string { return t.UTC().Format("2006-01-02") }
	tests := []struct {
		file string
		load func() ([][]string, error)
	}{
		{queries.FileScopeScreened, func() ([][]string, error) {
			m, err := queries.LoadScreenedByKind(ctx, conn, all)
			var out [][]string
			for _, k := range []string{"person", "vehicle"} {
				out = append(out, []string{k, u(m[k])})
			}
			return out, err
		}},
		{queries.FileScopeHitsByDatabase, func() ([][]string, error) {
			rows, err := queries.LoadHitsByDatabase(ctx, conn, all)
			var out [][]string
			for _, r := range rows {
				out = append(out, []string{r.Database, u(r.Hits), u(r.Subjects)})
			}
			return out, err
		}},
		{queries.FileScopeByPost, func() ([][]string, error) {
			rows, err := queries.LoadByPost(ctx, conn, all)
			var out [][]string
			for _, r := range rows {
				out = append(out, []string{r.BorderPost, u(r.Screened), u(r.Hits), u(r.Subjects)})
			}
			return out, err
		}},
		{queries.FileScopeByDay, func() ([][]string, error) {
			rows, err := queries.LoadByDay(ctx, conn, all)
			var out [][]string
			for _, r := range rows {
				out = append(out, []string{d(r.Day), u(r.Screened), u(r.Hits), u(r.Subjects)})
			}
			return out, err
		}},
		{queries.FileScopeOutcomes, func() ([][]string, error) {
			rows, err := queries.LoadOutcomes(ctx, conn, all)
			var out [][]string
			for _, r := range rows {
				out = append(out, []string{r.Database, u(r.Hits), u(r.Confirmed), u(r.Dismissed)})
			}
			return out, err
		}},
		{queries.FileScopeLatency, func() ([][]string, error) {
			l, err := queries.LoadLatency(ctx, conn, all)
			f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
			return [][]string{{u(l.Hits), "[" + f(l.P50MS) + "," + f(l.P90MS) + "," + f(l.P99MS) + "]", strconv.FormatInt(l.MaxMS, 10)}}, err
		}},
		{queries.FileTrendDaily, func() ([][]string, error) {
			rows, err := queries.LoadTrendDaily(ctx, conn, all)
			var out [][]string
			for _, r := range rows {
				out = append(out, []string{d(r.At), u(r.Screened), u(r.Hits), u(r.Subjects)})
			}
			return out, err
		}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			want, err := tt.load()
			if err != nil {
				t.Fatalf("typed load: %v", err)
			}
			if len(want) == 0 {
				t.Fatal("fixture: the typed load returned nothing")
			}
			got := clientTSV(t, db, tt.file)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("clickhouse-client < %s mismatch (-typed +client):\n%s", tt.file, diff)
			}
		})
	}
}
