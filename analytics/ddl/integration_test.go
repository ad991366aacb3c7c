package ddl

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

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
	if diff := cmp.Diff([]string{"hits", MigrationsTable, "screenings"}, tables); diff != "" {
		t.Errorf("tables mismatch (-want +got):\n%s", diff)
	}

	for _, tc := range []struct{ table, engine, sortingKey string }{
		{"screenings", "ReplacingMergeTree", "subject_id"},
		{"hits", "ReplacingMergeTree", "hit_id"},
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
