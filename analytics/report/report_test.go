package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/operations"
	"github.com/watchpost/watchpost/analytics/queries"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var (
	opStart = time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	opEnd   = opStart.Add(5 * 24 * time.Hour)
)

func day(i int) time.Time { return opStart.Add(time.Duration(i) * 24 * time.Hour) }

// fixture is a report as Build would return it, with numbers chosen so that every
// comparison case shows: a rise, a fall, a database new in the operation, a rate over
// nothing, a period without decisions.
func fixture() *Report {
	op := operations.Operation{
		ID: "op-4f2a9c1e07", Name: "STOP Liberterra <II>", Kind: operations.Stop, Start: opStart, End: opEnd,
		BorderPosts: []string{"CDG", "ORY"}, Countries: []string{"FRA"}, CreatedAt: opStart.Add(-time.Hour),
	}
	return &Report{
		Operation:   op,
		GeneratedAt: opEnd.Add(48 * time.Hour),
		Posts: []operations.BorderPost{
			{Code: "CDG", Country: "FRA", Kind: operations.Airport, Name: "Paris Charles de Gaulle"},
		},
		Current: Period{
			Scope:          op.Scope(),
			ScreenedByKind: map[string]uint64{"person": 182_340, "vehicle": 5_120},
			HitsByDatabase: []queries.DatabaseHits{{Database: "notices", Hits: 14, Subjects: 12}, {Database: "sltd", Hits: 41, Subjects: 39}, {Database: "vehicles", Hits: 3, Subjects: 3}},
			ByPost:         []queries.PostCounts{{BorderPost: "CDG", Screened: 131_000, Hits: 44, Subjects: 41}, {BorderPost: "ORY", Screened: 56_460, Hits: 14, Subjects: 13}},
			ByDay: []queries.DayCounts{
				{Day: day(0), Screened: 36_000, Hits: 9, Subjects: 9}, {Day: day(1), Screened: 38_500, Hits: 15, Subjects: 14},
				{Day: day(2), Screened: 37_960, Hits: 11, Subjects: 10}, {Day: day(3), Screened: 35_000, Hits: 13, Subjects: 12},
				{Day: day(4), Screened: 40_000, Hits: 10, Subjects: 9},
			},
			Outcomes: []queries.DatabaseOutcomes{{Database: "notices", Hits: 14, Confirmed: 9, Dismissed: 4}, {Database: "sltd", Hits: 41, Confirmed: 30, Dismissed: 8}, {Database: "vehicles", Hits: 3, Confirmed: 0, Dismissed: 0}},
			Latency:  queries.Latency{Hits: 58, P50MS: 412, P90MS: 980, P99MS: 2_210, MaxMS: 3_004},
		},
		Previous: Period{
			Scope:          op.Previous(),
			ScreenedByKind: map[string]uint64{"person": 170_002, "vessel": 12},
			HitsByDatabase: []queries.DatabaseHits{{Database: "notices", Hits: 16, Subjects: 16}, {Database: "sltd", Hits: 30, Subjects: 29}},
			ByPost:         []queries.PostCounts{{BorderPost: "CDG", Screened: 120_014, Hits: 33, Subjects: 32}, {BorderPost: "ORY", Screened: 50_000, Hits: 13, Subjects: 13}},
			ByDay:          []queries.DayCounts{{Day: day(-5), Screened: 34_000, Hits: 9, Subjects: 9}},
			Outcomes:       []queries.DatabaseOutcomes{{Database: "notices", Hits: 16}, {Database: "sltd", Hits: 30}},
			Latency:        queries.Latency{Hits: 46, P50MS: 505, P90MS: 1_200, P99MS: 2_000, MaxMS: 2_500},
		},
	}
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	got := map[string][3]string{}
	for _, m := range fixture().metrics() {
		got[m.Key] = [3]string{m.cur(), m.prev(), m.changeText()}
	}
	want := map[string][3]string{
		"travellers_screened": {"182,340", "170,002", "+7.3%"},
		"subjects_screened":   {"187,460", "170,014", "+10.3%"},
		"hits":                {"58", "46", "+26.1%"},
		"subjects_hit":        {"54", "45", "+20.0%"},
		"hit_rate_per_10k":    {"2.88", "2.65", "+8.8%"},
		"confirmed":           {"39", "0", "new"},
		"confirmation_rate":   {"76.5%", "–", "–"},
		"latency_p50_ms":      {"412 ms", "505 ms", "-18.4%"},
		"latency_p90_ms":      {"980 ms", "1,200 ms", "-18.3%"},
		"latency_p99_ms":      {"2,210 ms", "2,000 ms", "+10.5%"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("metrics mismatch (-want +got):\n%s", diff)
	}
}

func TestMetricChange(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		m    metric
		want string
	}{
		{"rise", metric{Unit: count, Cur: 150, Prev: 100, CurOK: true, PrevOK: true}, "+50.0%"},
		{"fall", metric{Unit: count, Cur: 50, Prev: 100, CurOK: true, PrevOK: true}, "-50.0%"},
		{"flat", metric{Unit: count, Cur: 100, Prev: 100, CurOK: true, PrevOK: true}, "0.0%"},
		{"from nothing", metric{Unit: count, Cur: 3, Prev: 0, CurOK: true, PrevOK: true}, "new"},
		{"nothing both", metric{Unit: count, CurOK: true, PrevOK: true}, "–"},
		{"points", metric{Unit: percent, Cur: 0.75, Prev: 0.5, CurOK: true, PrevOK: true}, "+25.0 pts"},
		{"rate missing", metric{Unit: percent, Cur: 0.75, CurOK: true}, "–"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := tt.m.changeText(); got != tt.want {
				t.Errorf("changeText() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFormatCount(t *testing.T) {
	t.Parallel()
	for n, want := range map[uint64]string{0: "0", 999: "999", 1000: "1,000", 12345: "12,345", 100_000_000: "100,000,000", 1234567: "1,234,567"} {
		if got := formatCount(n); got != want {
			t.Errorf("formatCount(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestNiceCeil(t *testing.T) {
	t.Parallel()
	for v, want := range map[float64]float64{0: 1, -3: 1, 0.3: 0.5, 1: 1, 3: 5, 41: 50, 100: 100, 101: 200, 182340: 200000} {
		if got := niceCeil(v); got != want {
			t.Errorf("niceCeil(%v) = %v, want %v", v, got, want)
		}
	}
}

// TestGolden pins the three renderings of the fixture. Run with -update to rewrite them, and
// review the diff.
func TestGolden(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		file  string
		write func(*bytes.Buffer, *Report) error
	}{
		{"report.txt.golden", func(b *bytes.Buffer, r *Report) error { return WriteText(b, r) }},
		{"report.json.golden", func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }},
		{"report.html.golden", func(b *bytes.Buffer, r *Report) error { return WriteHTML(b, r) }},
	} {
		t.Run(tt.file, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			if err := tt.write(&buf, fixture()); err != nil {
				t.Fatalf("rendering: %v", err)
			}
			path := filepath.Join("testdata", tt.file)
			if *update {
				if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), buf.String()); diff != "" {
				t.Errorf("%s mismatch (-want +got):\n%s", tt.file, diff)
			}
		})
	}
}

func TestJSONShape(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteJSON(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	var got struct {
		Operation struct {
			ID    string `json:"id"`
			Start string `json:"start"`
		} `json:"operation"`
		InProgress bool `json:"in_progress"`
		Current    struct {
			TravellersScreened uint64   `json:"travellers_screened"`
			Hits               uint64   `json:"hits"`
			HitRate            *float64 `json:"hit_rate"`
			ByDay              []struct {
				Day string `json:"day"`
			} `json:"by_day"`
			Outcomes struct {
				ConfirmationRate *float64 `json:"confirmation_rate"`
			} `json:"outcomes"`
		} `json:"current"`
		Previous struct {
			Outcomes struct {
				ConfirmationRate *float64 `json:"confirmation_rate"`
			} `json:"outcomes"`
		} `json:"previous"`
		Comparison []struct {
			Metric     string   `json:"metric"`
			Change     *float64 `json:"change"`
			ChangeUnit string   `json:"change_unit"`
		} `json:"comparison"`
	}
	dec := json.NewDecoder(&buf)
	dec.DisallowUnknownFields()
	if err := json.Unmarshal(buf.Bytes(), &got); err != nil {
		t.Fatalf("decoding: %v", err)
	}
	if got.Operation.ID != "op-4f2a9c1e07" || got.Operation.Start != "2026-06-01T00:00:00Z" || got.InProgress {
		t.Errorf("operation = %+v, in progress %v", got.Operation, got.InProgress)
	}
	if got.Current.TravellersScreened != 182_340 || got.Current.Hits != 58 || got.Current.HitRate == nil {
		t.Errorf("current = %+v", got.Current)
	}
	if len(got.Current.ByDay) != 5 || got.Current.ByDay[0].Day != "2026-06-01" {
		t.Errorf("by_day = %+v, want 5 days from 2026-06-01", got.Current.ByDay)
	}
	if got.Current.Outcomes.ConfirmationRate == nil || got.Previous.Outcomes.ConfirmationRate != nil {
		t.Errorf("confirmation rates: current %v, previous %v; want a value, then null", got.Current.Outcomes.ConfirmationRate, got.Previous.Outcomes.ConfirmationRate)
	}
	units := map[string]string{}
	for _, m := range got.Comparison {
		units[m.Metric] = m.ChangeUnit
	}
	if units["confirmation_rate"] != "points" || units["hits"] != "percent" {
		t.Errorf("change units = %v", units)
	}
	snake := regexp.MustCompile(`"([a-z0-9_]+)":`)
	all := regexp.MustCompile(`"([^"]+)":`)
	if n, m := len(snake.FindAllString(buf.String(), -1)), len(all.FindAllString(buf.String(), -1)); n != m {
		t.Errorf("%d of %d JSON names are not snake_case", m-n, m)
	}
}

// TestHTMLSelfContained checks that the page can load nothing: no script, no external
// reference, a CSP that forbids fetching, and every label escaped.
func TestHTMLSelfContained(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	if err := WriteHTML(&buf, fixture()); err != nil {
		t.Fatal(err)
	}
	html := buf.String()
	for _, bad := range []string{"<script", "http://", "https://", "src=", "<link", "@import", "url("} {
		if strings.Contains(strings.ToLower(html), bad) {
			t.Errorf("the page contains %q: it must be self-contained", bad)
		}
	}
	if !strings.Contains(html, `content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`) {
		t.Error("the page has no Content-Security-Policy forbidding fetches")
	}
	if strings.Contains(html, "<II>") || !strings.Contains(html, "&lt;II&gt;") {
		t.Error("the operation name is not escaped")
	}
	for _, id := range []string{"chart-hits-by-database", "chart-decisions", "chart-hits-by-post", "chart-screened-by-day", "chart-hits-by-day", "chart-latency"} {
		if !strings.Contains(html, `<svg id="`+id+`"`) {
			t.Errorf("the page has no inline SVG chart %s", id)
		}
	}
}
