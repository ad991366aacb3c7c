package ddl

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/internal/chbatch"
	"github.com/watchpost/watchpost/analytics/internal/chtest"
)

func TestIntegrationMigrate(t *testing.T) {
	t.Parallel()
	conn, db := chtest.Database(t)
	ctx := t.Context()

	ms, err := Migrations()
	if err != nil {
		t.Fatalf("Migrations() error = %v", err)
	}
	var want []Applied
	for _, m := range ms {
		want = append(want, Applied{Version: m.Version, Name: m.Name, Checksum: m.Checksum})
	}

	for run := 1; run <= 2; run++ {
		if err := Migrate(ctx, conn); err != nil {
			t.Fatalf("Migrate() run %d error = %v", run, err)
		}
		got, err := LoadApplied(ctx, conn)
		if err != nil {
			t.Fatalf("LoadApplied() run %d error = %v", run, err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("applied migrations after run %d mismatch (-want +got):\n%s", run, diff)
		}
		var records uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM "+MigrationsTable+" FINAL").Scan(&records); err != nil {
			t.Fatalf("counting migration records: %v", err)
		}
		if records != uint64(len(ms)) {
			t.Errorf("run %d: %d migration records, want %d (a re-run must record nothing)", run, records, len(ms))
		}
	}

	var tables []string
	rows, err := conn.Query(ctx, "SELECT name FROM system.tables WHERE database = ? ORDER BY name", db)
	if err != nil {
		t.Fatalf("listing tables: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatalf("scanning table name: %v", err)
		}
		tables = append(tables, name)
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("listing tables: %v", err)
	}
	wantTables := []string{
		"audit", "border_posts", "hits", "hits_daily", "hits_daily_mv", "hits_hourly", "hits_hourly_mv",
		"hits_latency", "hits_latency_mv", "operations", "outcomes", MigrationsTable, "screenings", "screenings_daily", "screenings_daily_mv",
		"screenings_hourly", "screenings_hourly_mv",
	}
	if diff := cmp.Diff(wantTables, tables); diff != "" {
		t.Errorf("tables mismatch (-want +got):\n%s", diff)
	}

	for _, tc := range []struct{ table, engine, sortingKey string }{
		{"screenings", "ReplacingMergeTree", "subject_id"},
		{"hits", "ReplacingMergeTree", "hit_id"},
		{"outcomes", "ReplacingMergeTree", "ReplacingMergeTree(version)"},
		{"outcomes", "ReplacingMergeTree", "ORDER BY hit_id"},
		{"audit", "ReplacingMergeTree", "audit_id"},
		{"operations", "ReplacingMergeTree", "ORDER BY id"},
		{"border_posts", "ReplacingMergeTree", "ORDER BY code"},
		{"screenings_hourly", "AggregatingMergeTree", "hour"},
		{"screenings_daily", "AggregatingMergeTree", "day"},
		{"hits_hourly", "AggregatingMergeTree", "hour"},
		{"hits_daily", "AggregatingMergeTree", "day"},
		{"hits_latency", "AggregatingMergeTree", "hit_id"},
	} {
		var engine, key string
		if err := conn.QueryRow(ctx, "SELECT engine, engine_full FROM system.tables WHERE database = ? AND name = ?", db, tc.table).Scan(&engine, &key); err != nil {
			t.Fatalf("reading engine of %s: %v", tc.table, err)
		}
		if engine != tc.engine || !strings.Contains(key, tc.sortingKey) {
			t.Errorf("%s: engine %q (%q), want %s ordered by a key with %s", tc.table, engine, key, tc.engine, tc.sortingKey)
		}
	}
}

func TestIntegrationMigrateRejectsEditedMigration(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	ctx := t.Context()
	first := []Migration{{Version: 1, Name: "0001_t.sql", Checksum: "aaaa", Statements: []string{"CREATE TABLE IF NOT EXISTS t (a String) ENGINE = Log"}}}
	if err := apply(ctx, conn, first); err != nil {
		t.Fatalf("apply() error = %v", err)
	}
	edited := []Migration{
		{Version: 1, Name: "0001_t.sql", Checksum: "bbbb", Statements: first[0].Statements},
		{Version: 2, Name: "0002_u.sql", Checksum: "cccc", Statements: []string{"CREATE TABLE IF NOT EXISTS u (a String) ENGINE = Log"}},
	}
	err := apply(ctx, conn, edited)
	if err == nil || !strings.Contains(err.Error(), "checksum differs") {
		t.Fatalf("apply(edited) error = %v, want a checksum error", err)
	}
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = 'u'").Scan(&n); err != nil {
		t.Fatalf("looking for table u: %v", err)
	}
	if n != 0 {
		t.Error("a later migration was applied after a checksum mismatch")
	}
}

func TestIntegrationMigrateCancelled(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	start := time.Now()
	err := Migrate(ctx, conn)
	if err == nil {
		t.Fatal("Migrate() with a cancelled context succeeded")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Migrate() with a cancelled context took %v", d)
	}
}

// TestIntegrationMigrateRetriedAddColumn replays an ADD COLUMN migration as a crash between
// the statement and its record would: the column exists, the migration is not recorded. The
// retry must succeed (ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS), and any other
// failure of an ADD COLUMN must still stop the migration.
func TestIntegrationMigrateRetriedAddColumn(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	ctx := t.Context()
	create := Migration{Version: 1, Name: "0001_t.sql", Checksum: "a", Statements: []string{"CREATE TABLE IF NOT EXISTS t (a String) ENGINE = Log"}}
	add := Migration{Version: 2, Name: "0002_c.sql", Checksum: "b", Statements: []string{"ALTER TABLE t ADD COLUMN c Int64 DEFAULT -1"}}
	if err := exec(ctx, conn, create.Statements[0]); err != nil {
		t.Fatal(err)
	}
	if err := exec(ctx, conn, "CREATE TABLE IF NOT EXISTS m (a String) ENGINE = MergeTree() ORDER BY a"); err != nil {
		t.Fatal(err)
	}
	add.Statements[0] = "ALTER TABLE m ADD COLUMN c Int64 DEFAULT -1"
	if err := exec(ctx, conn, add.Statements[0]); err != nil {
		t.Fatalf("adding the column before the migration runs: %v", err)
	}
	if err := apply(ctx, conn, []Migration{create, add}); err != nil {
		t.Fatalf("apply() with the column already added = %v, want nil", err)
	}
	bad := Migration{Version: 3, Name: "0003_bad.sql", Checksum: "c", Statements: []string{"ALTER TABLE missing ADD COLUMN c Int64"}}
	if err := apply(ctx, conn, []Migration{create, add, bad}); err == nil {
		t.Fatal("apply() of an ADD COLUMN on a missing table succeeded")
	}
}

// TestIntegrationBackfill inserts screenings and hits before the aggregate migration exists,
// then migrates: the aggregates must hold the earlier rows (the backfill), and running the
// aggregate migration's statements again, as a retried migration would, must change nothing.
func TestIntegrationBackfill(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	ctx := t.Context()
	ms, err := Migrations()
	if err != nil {
		t.Fatal(err)
	}
	last := ms[len(ms)-1]
	if last.Name != "0008_aggregates.sql" {
		t.Fatalf("last migration is %s; update this test", last.Name)
	}
	if err := apply(ctx, conn, ms[:len(ms)-1]); err != nil {
		t.Fatalf("applying the migrations before the aggregates: %v", err)
	}
	const n = 500
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	insert := func(table, columns string, row func(i int) []any) {
		t.Helper()
		bctx, done := chbatch.Context(ctx, StatementTimeout)
		defer done()
		b, err := conn.PrepareBatch(bctx, "INSERT INTO "+table+" ("+columns+")")
		if err != nil {
			t.Fatal(err)
		}
		for i := range n {
			if err := b.Append(row(i)...); err != nil {
				t.Fatal(err)
			}
		}
		if err := b.Send(); err != nil {
			t.Fatal(err)
		}
	}
	at := func(i int) time.Time { return day.Add(time.Duration(i%48) * time.Hour) }
	posts := []string{"CDG", "ORY"}
	screening := func(i int) []any {
		s := at(i)
		return []any{fmt.Sprintf("s%d", i), posts[i%2], "FRA", "person", s, s.Truncate(24 * time.Hour)}
	}
	hit := func(i int) []any {
		s := at(i)
		return []any{fmt.Sprintf("h%d", i/2), fmt.Sprintf("s%d", i/2), "sltd", posts[(i/2)%2], "FRA", s, s.Truncate(24 * time.Hour)}
	}
	// Every hit row twice (i and i+1 share an id): a redelivery before the views existed.
	insert("screenings", "subject_id, border_post, country, kind, screened_at, screened_date", screening)
	insert("hits", "hit_id, subject_id, database, border_post, country, raised_at, raised_date", hit)

	type counts struct{ Hourly, Daily, HourlyHits, DailyHits, DailySubjects uint64 }
	read := func() counts {
		t.Helper()
		var c counts
		for q, dst := range map[string]*uint64{
			"SELECT uniqMerge(screened) FROM screenings_hourly": &c.Hourly,
			"SELECT uniqMerge(screened) FROM screenings_daily":  &c.Daily,
			"SELECT uniqMerge(hits) FROM hits_hourly":           &c.HourlyHits,
			"SELECT uniqMerge(hits) FROM hits_daily":            &c.DailyHits,
			"SELECT uniqMerge(subjects) FROM hits_daily":        &c.DailySubjects,
		} {
			if err := conn.QueryRow(ctx, q).Scan(dst); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		return c
	}
	if err := apply(ctx, conn, ms); err != nil {
		t.Fatalf("applying the aggregate migration: %v", err)
	}
	want := counts{Hourly: n, Daily: n, HourlyHits: n / 2, DailyHits: n / 2, DailySubjects: n / 2}
	if diff := cmp.Diff(want, read()); diff != "" {
		t.Errorf("aggregates after the backfill mismatch (-want +got):\n%s", diff)
	}
	for i, stmt := range last.Statements {
		if err := exec(ctx, conn, stmt); err != nil {
			t.Fatalf("re-running statement %d: %v", i+1, err)
		}
	}
	if diff := cmp.Diff(want, read()); diff != "" {
		t.Errorf("aggregates after a repeated backfill mismatch (-want +got):\n%s", diff)
	}
}
