package ddl

import (
	"regexp"
	"strings"
	"testing"
	"testing/fstest"

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
		}
	}
	want := []string{"0001_screenings.sql", "0002_hits.sql"}
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
	personal := regexp.MustCompile(`(?im)^\s*(surname|given_names?|name|birth_date|dob|document_number|document|passport|detail)\s`)
	for _, m := range ms {
		for _, stmt := range m.Statements {
			if loc := personal.FindStringIndex(stmt); loc != nil {
				t.Errorf("%s declares a personal-data column %q", m.Name, strings.TrimSpace(stmt[loc[0]:loc[1]]))
			}
		}
	}
}
