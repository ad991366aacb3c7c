package ddl

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/google/go-cmp/cmp"
)

func TestSplitStatements(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		sql  string
		want []string
	}{
		{"empty", "", nil},
		{"comments only", "-- a\n  -- b\n", nil},
		{"one without semicolon", "SELECT 1", []string{"SELECT 1"}},
		{"one with semicolon", "-- head\nCREATE TABLE t\n(\n    a String\n)\nENGINE = Log;\n", []string{"CREATE TABLE t\n(\n    a String\n)\nENGINE = Log"}},
		{"two", "SELECT 1;\n\nSELECT 2 ;  \n", []string{"SELECT 1", "SELECT 2"}},
		{"semicolon inside a line is kept", "SELECT ';' AS x;\n", []string{"SELECT ';' AS x"}},
		{"crlf", "SELECT 1;\r\nSELECT 2;\r\n", []string{"SELECT 1", "SELECT 2"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got := SplitStatements(tt.sql)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("SplitStatements() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParseAll(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		fs       fstest.MapFS
		want     []string // names in order
		wantErr  string
		versions []uint32
	}{
		{
			name:     "ordered by version, not by name",
			fs:       fstest.MapFS{"0010_b.sql": {Data: []byte("SELECT 10;")}, "0002_a.sql": {Data: []byte("SELECT 2;")}},
			want:     []string{"0002_a.sql", "0010_b.sql"},
			versions: []uint32{2, 10},
		},
		{
			name:    "no version prefix",
			fs:      fstest.MapFS{"screenings.sql": {Data: []byte("SELECT 1;")}},
			wantErr: "want NNNN_description.sql",
		},
		{
			name:    "zero version",
			fs:      fstest.MapFS{"0000_x.sql": {Data: []byte("SELECT 1;")}},
			wantErr: "positive number",
		},
		{
			name:    "duplicate version",
			fs:      fstest.MapFS{"0001_a.sql": {Data: []byte("SELECT 1;")}, "001_b.sql": {Data: []byte("SELECT 1;")}},
			wantErr: "already used",
		},
		{
			name:    "no statements",
			fs:      fstest.MapFS{"0001_a.sql": {Data: []byte("-- nothing\n")}},
			wantErr: "no statements",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseAll(tt.fs)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("parseAll() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseAll() error = %v", err)
			}
			var names []string
			var versions []uint32
			for _, m := range got {
				names = append(names, m.Name)
				versions = append(versions, m.Version)
				if len(m.Checksum) != 64 {
					t.Errorf("%s checksum = %q, want 64 hex digits", m.Name, m.Checksum)
				}
			}
			if diff := cmp.Diff(tt.want, names); diff != "" {
				t.Errorf("names mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.versions, versions); diff != "" {
				t.Errorf("versions mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// forbidden are constructs ClickHouse 18.16 rejects or that current ClickHouse gates.
var forbidden = regexp.MustCompile(`(?i)\b(DateTime64|TTL|CODEC|LowCardinality|Map\s*\(|JSON|IPv4|IPv6|OVER\s*\()`)

var insertWithColumns = regexp.MustCompile(`^INSERT INTO \w+ \(\w+(, \w+)*\)\s`)

func TestEmbeddedMigrations(t *testing.T) {
	t.Parallel()
	ms, err := Migrations()
	if err != nil {
		t.Fatalf("Migrations() error = %v", err)
	}
	var names []string
	for i, m := range ms {
		names = append(names, m.Name)
		if m.Version != uint32(i+1) {
			t.Errorf("%s: version %d, want %d (versions must be 1, 2, 3, … without gaps)", m.Name, m.Version, i+1)
		}
		for j, stmt := range m.Statements {
			if loc := forbidden.FindStringIndex(stmt); loc != nil {
				t.Errorf("%s statement %d uses %q, which ClickHouse 18.16 does not accept", m.Name, j+1, stmt[loc[0]:loc[1]])
			}
			if strings.HasPrefix(stmt, "CREATE TABLE") && !strings.HasPrefix(stmt, "CREATE TABLE IF NOT EXISTS") {
				t.Errorf("%s statement %d: CREATE TABLE must say IF NOT EXISTS so a retried migration is harmless", m.Name, j+1)
			}
			if strings.HasPrefix(stmt, "CREATE MATERIALIZED VIEW") && !strings.HasPrefix(stmt, "CREATE MATERIALIZED VIEW IF NOT EXISTS") {
				t.Errorf("%s statement %d: CREATE MATERIALIZED VIEW must say IF NOT EXISTS", m.Name, j+1)
			}
			if strings.HasPrefix(stmt, "INSERT") && !insertWithColumns.MatchString(stmt) {
				t.Errorf("%s statement %d: an INSERT must list its columns", m.Name, j+1)
			}
		}
	}
	want := []string{
		"0001_screenings.sql", "0002_hits.sql", "0003_hits_latency.sql", "0004_outcomes.sql",
		"0005_audit.sql", "0006_operations.sql", "0007_border_posts.sql", "0008_aggregates.sql",
	}
	if diff := cmp.Diff(want, names); diff != "" {
		t.Errorf("embedded migrations mismatch (-want +got):\n%s", diff)
	}
}

// TestNoPersonalColumns guards the privacy rule: no column may hold names, documents or
// birth dates.
func TestNoPersonalColumns(t *testing.T) {
	t.Parallel()
	ms, err := Migrations()
	if err != nil {
		t.Fatalf("Migrations() error = %v", err)
	}
	personal := regexp.MustCompile(`(?im)^\s*(surname|given_names?|name|birth_date|dob|document_number|document|passport|detail|officer_name|nationality_name)\s`)
	// Reference tables describe operations and border posts, not people: their name column
	// is a title ("Paris Charles de Gaulle"), and it is the only exemption.
	titled := map[string]bool{"operations": true, "border_posts": true}
	createTable := regexp.MustCompile(`(?i)^CREATE TABLE IF NOT EXISTS (\w+)`)
	checked := 0
	for _, m := range ms {
		for _, stmt := range m.Statements {
			table := ""
			if sm := createTable.FindStringSubmatch(stmt); sm != nil {
				table = sm[1]
				checked++
			}
			for _, loc := range personal.FindAllStringIndex(stmt, -1) {
				col := strings.TrimSpace(stmt[loc[0]:loc[1]])
				if col == "name" && titled[table] {
					continue
				}
				t.Errorf("%s declares a personal-data column %q", m.Name, col)
			}
		}
	}
	if checked < 10 {
		t.Errorf("checked %d CREATE TABLE statements, want every table (at least 10)", checked)
	}
}

func TestAlreadyApplied(t *testing.T) {
	t.Parallel()
	exists := &clickhouse.Exception{Code: 44, Message: "Cannot add column latency_ms: column with this name already exists"}
	tests := []struct {
		name string
		stmt string
		err  error
		want bool
	}{
		{"18.16 duplicate column", "ALTER TABLE hits ADD COLUMN latency_ms Int64 DEFAULT -1", exists, true},
		{"current duplicate column", "alter table hits\n  add column x UInt8", &clickhouse.Exception{Code: 15, Message: "Column with name x already exists"}, true},
		{"wrapped", "ALTER TABLE hits ADD COLUMN x UInt8", fmt.Errorf("executing: %w", exists), true},
		{"other statement", "CREATE TABLE t (a UInt8) ENGINE = Log", exists, false},
		{"other code", "ALTER TABLE hits ADD COLUMN x UInt8", &clickhouse.Exception{Code: 60, Message: "Table doesn't exist"}, false},
		{"not a server error", "ALTER TABLE hits ADD COLUMN x UInt8", errors.New("column already exists"), false},
		{"drop column", "ALTER TABLE hits DROP COLUMN x", exists, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := alreadyApplied(tt.stmt, tt.err); got != tt.want {
				t.Errorf("alreadyApplied(%q, %v) = %v, want %v", tt.stmt, tt.err, got, tt.want)
			}
		})
	}
}

func TestIsBackfill(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stmt string
		want bool
	}{
		{"INSERT INTO hits_daily (day) SELECT raised_date FROM hits", true},
		{"insert into x (a)\nselect 1", true},
		{"CREATE TABLE t (a UInt8) ENGINE = Log", false},
		{"CREATE MATERIALIZED VIEW v TO t AS SELECT 1", false},
	}
	for _, tt := range tests {
		if got := isBackfill(tt.stmt); got != tt.want {
			t.Errorf("isBackfill(%q) = %v, want %v", tt.stmt, got, tt.want)
		}
	}
}
