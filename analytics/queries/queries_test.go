package queries

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

var files3 = []string{FileScreened, FileHitsByDatabase, FileHitsByPostDay}

func TestBind(t *testing.T) {
	t.Parallel()
	ts := time.Date(2026, 5, 1, 12, 0, 0, 0, time.FixedZone("X", 7200)) // 10:00 UTC
	tests := []struct {
		name    string
		query   string
		params  map[string]time.Time
		want    string
		wantErr string
	}{
		{
			name:   "both parameters, every occurrence, trailing semicolon dropped",
			query:  "WITH toDateTime(0) AS since, toDateTime(4102444800) AS until SELECT 1;\n(WITH toDateTime(0) AS since SELECT 2);\n",
			params: map[string]time.Time{"since": ts, "until": ts.Add(time.Hour)},
			want:   "WITH toDateTime(1777629600) AS since, toDateTime(1777633200) AS until SELECT 1;\n(WITH toDateTime(1777629600) AS since SELECT 2)",
		},
		{
			name:   "zero and pre-1970 times clamp to 0, far future to 2100",
			query:  "WITH toDateTime(5) AS since, toDateTime(6) AS until, toDateTime(7) AS old SELECT 1",
			params: map[string]time.Time{"since": {}, "until": time.Date(2500, 1, 1, 0, 0, 0, 0, time.UTC), "old": time.Date(1960, 1, 1, 0, 0, 0, 0, time.UTC)},
			want:   "WITH toDateTime(0) AS since, toDateTime(4102444800) AS until, toDateTime(0) AS old SELECT 1",
		},
		{
			name:   "a name that prefixes another is not confused with it",
			query:  "WITH toDateTime(1) AS since, toDateTime(2) AS since_start SELECT 1",
			params: map[string]time.Time{"since": time.Unix(100, 0)},
			want:   "WITH toDateTime(100) AS since, toDateTime(2) AS since_start SELECT 1",
		},
		{
			name:    "undeclared parameter",
			query:   "SELECT 1",
			params:  map[string]time.Time{"since": ts},
			wantErr: "not declared",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Bind(tt.query, tt.params)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Bind() error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("Bind() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Bind() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

var forbidden = regexp.MustCompile(`(?i)(DateTime64|\bOVER\s*\(|\bWITH\s+\w+\s+AS\s*\(|LowCardinality|\bMap\s*\(|\bINSERT\b)`)

func TestEmbeddedQueries(t *testing.T) {
	t.Parallel()
	for _, name := range files3 {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := Text(name)
			if err != nil {
				t.Fatalf("Text() error = %v", err)
			}
			if loc := forbidden.FindStringIndex(text); loc != nil {
				t.Errorf("uses %q, which ClickHouse 18.16 does not accept", text[loc[0]:loc[1]])
			}
			bound, err := Bind(text, map[string]time.Time{"since": time.Unix(1, 0), "until": time.Unix(2, 0)})
			if err != nil {
				t.Fatalf("Bind() error = %v", err)
			}
			if strings.Contains(bound, "toDateTime(0) AS") || strings.Contains(bound, "toDateTime(4102444800) AS") {
				t.Errorf("a parameter kept its default after Bind:\n%s", bound)
			}
			if strings.Contains(regexp.MustCompile(`--[^\n]*`).ReplaceAllString(bound, ""), ";") {
				t.Errorf("bound query still holds a semicolon; the native protocol takes one statement")
			}
		})
	}
	if _, err := Text("missing.sql"); err == nil {
		t.Error("Text(missing.sql) succeeded")
	}
}
