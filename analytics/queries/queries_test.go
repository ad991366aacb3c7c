package queries

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

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
	names := Files()
	if len(names) < 15 {
		t.Fatalf("Files() = %v, want every embedded file", names)
	}
	declared := regexp.MustCompile(`toDateTime\(\d+\) AS (\w+)|emptyArrayString\(\) AS (\w+)`)
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := Text(name)
			if err != nil {
				t.Fatalf("Text() error = %v", err)
			}
			if loc := forbidden.FindStringIndex(text); loc != nil {
				t.Errorf("uses %q, which ClickHouse 18.16 does not accept", text[loc[0]:loc[1]])
			}
			// The header: what the file answers, then its parameters, then how to run it.
			header := leadingComment(text)
			if len(header) < 100 || !strings.HasPrefix(header, "-- ") {
				t.Errorf("the file must open with a comment saying what it answers; got %q", header)
			}
			if !strings.Contains(header, "Parameters") {
				t.Errorf("the header must list the parameters (or say none)")
			}
			if !strings.Contains(header, "clickhouse-client") || !strings.Contains(header, name) {
				t.Errorf("the header must say how to run the file with clickhouse-client")
			}
			params := map[string]bool{}
			for _, m := range declared.FindAllStringSubmatch(text, -1) {
				params[m[1]+m[2]] = true
			}
			for p := range params {
				if !strings.Contains(header, p) {
					t.Errorf("parameter %s is declared but the header does not describe it", p)
				}
			}
			if strings.Contains(header, "Parameters: none") != (len(params) == 0) {
				t.Errorf("header says %q about parameters, but the file declares %v", firstLine(header, "Parameters"), params)
			}
			bound := strings.TrimSuffix(strings.TrimSpace(text), ";")
			if params["since"] {
				bound, err = Bind(text, map[string]time.Time{"since": time.Unix(1, 0), "until": time.Unix(2, 0)})
				if err != nil {
					t.Fatalf("Bind() error = %v", err)
				}
				if strings.Contains(bound, "toDateTime(0) AS") || strings.Contains(bound, "toDateTime(4102444800) AS") {
					t.Errorf("a parameter kept its default after Bind:\n%s", bound)
				}
			}
			if params["posts"] {
				bound, err = BindLists(bound, map[string][]string{"posts": {"CDG"}, "countries": {"FRA"}})
				if err != nil {
					t.Fatalf("BindLists() error = %v", err)
				}
				if strings.Contains(bound, "emptyArrayString() AS") {
					t.Errorf("a list parameter kept its default after BindLists:\n%s", bound)
				}
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

func leadingComment(text string) string {
	var b strings.Builder
	for line := range strings.SplitSeq(text, "\n") {
		if !strings.HasPrefix(line, "--") {
			break
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func firstLine(text, containing string) string {
	for line := range strings.SplitSeq(text, "\n") {
		if strings.Contains(line, containing) {
			return line
		}
	}
	return ""
}

func TestBindLists(t *testing.T) {
	t.Parallel()
	const q = "WITH emptyArrayString() AS posts, emptyArrayString() AS countries SELECT 1\n(WITH emptyArrayString() AS posts SELECT 2)"
	tests := []struct {
		name    string
		lists   map[string][]string
		want    string
		wantErr string
	}{
		{
			name:  "every occurrence",
			lists: map[string][]string{"posts": {"CDG", "ORY"}, "countries": {"FRA"}},
			want:  "WITH ['CDG', 'ORY'] AS posts, ['FRA'] AS countries SELECT 1\n(WITH ['CDG', 'ORY'] AS posts SELECT 2)",
		},
		{name: "empty keeps every", lists: map[string][]string{"posts": nil}, want: q},
		{name: "undeclared", lists: map[string][]string{"ports": {"X"}}, wantErr: "not declared"},
		{name: "quote", lists: map[string][]string{"posts": {"CDG", "x') OR 1 --"}}, wantErr: "element 2 is not a code"},
		{name: "empty element", lists: map[string][]string{"countries": {""}}, wantErr: "element 1 is not a code"},
		{name: "too long", lists: map[string][]string{"countries": {strings.Repeat("A", 33)}}, wantErr: "not a code"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := BindLists(q, tt.lists)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("BindLists() error = %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "OR 1") {
					t.Errorf("error %q repeats the value", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("BindLists() error = %v", err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("BindLists() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestScopeValidate(t *testing.T) {
	t.Parallel()
	t0 := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name  string
		scope Scope
		want  []string
	}{
		{"valid", Scope{Since: t0, Until: t0.Add(time.Hour), Posts: []string{"CDG"}, Countries: []string{"FRA"}}, nil},
		{"every post", Scope{Since: t0, Until: t0.Add(time.Hour)}, nil},
		{"empty window", Scope{Since: t0, Until: t0}, []string{"until must be after since"}},
		{"every problem", Scope{Since: t0, Until: t0.Add(-1), Posts: []string{"C D G"}, Countries: []string{"F'"}}, []string{"until", "posts element 1", "countries element 1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.scope.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate() = nil, want %v", tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

func TestScopeMonths(t *testing.T) {
	t.Parallel()
	d := func(y int, m time.Month, day, h int) time.Time { return time.Date(y, m, day, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		scope Scope
		want  [][2]time.Time
	}{
		{"inside one month", Scope{Since: d(2026, 6, 2, 6), Until: d(2026, 6, 16, 0)}, [][2]time.Time{{d(2026, 6, 2, 6), d(2026, 6, 16, 0)}}},
		{"across a month end", Scope{Since: d(2026, 6, 20, 0), Until: d(2026, 7, 3, 12)}, [][2]time.Time{{d(2026, 6, 20, 0), d(2026, 7, 1, 0)}, {d(2026, 7, 1, 0), d(2026, 7, 3, 12)}}},
		{"whole months", Scope{Since: d(2025, 12, 1, 0), Until: d(2026, 2, 1, 0)}, [][2]time.Time{{d(2025, 12, 1, 0), d(2026, 1, 1, 0)}, {d(2026, 1, 1, 0), d(2026, 2, 1, 0)}}},
		{"empty", Scope{Since: d(2026, 1, 1, 0), Until: d(2026, 1, 1, 0)}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tt.scope.Posts = []string{"CDG"}
			var got [][2]time.Time
			for _, m := range tt.scope.Months() {
				got = append(got, [2]time.Time{m.Since, m.Until})
				if len(m.Posts) != 1 {
					t.Errorf("a piece lost the posts: %+v", m)
				}
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Months() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	year := Scope{Since: d(2025, 1, 1, 0), Until: d(2026, 1, 1, 0)}
	if n := len(year.Months()); n != 12 {
		t.Errorf("a year splits into %d pieces, want 12", n)
	}
}
