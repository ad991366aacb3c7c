package retention

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/analytics/queries"
)

func TestOlderThan(t *testing.T) {
	t.Parallel()
	month := func(y int, m time.Month) time.Time { return time.Date(y, m, 1, 0, 0, 0, 0, time.UTC) }
	mid := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC) // 6-month cutoff 2025-12-15, 5-year 2021-06-15
	tests := []struct {
		name       string
		month, now time.Time
		n          int
		want       bool
	}{
		{"whole month before the cutoff", month(2025, 11), mid, 6, true}, // ends 2025-12-01
		{"month straddling the cutoff is kept", month(2025, 12), mid, 6, false},
		{"current month", month(2026, 6), mid, 6, false},
		{"month ending exactly at the cutoff", month(2025, 11), month(2026, 6), 6, true},
		{"month starting at the cutoff", month(2025, 12), month(2026, 6), 6, false},
		{"five years: old enough", month(2021, 5), mid, 60, true},
		{"five years: straddling", month(2021, 6), mid, 60, false},
		{"never", month(1990, 1), mid, 0, false},
		{"now in another zone", month(2025, 11), time.Date(2026, 6, 1, 1, 0, 0, 0, time.FixedZone("X", 7200)), 6, false}, // 2026-05-31T23:00Z
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := olderThan(tt.month, tt.now, tt.n); got != tt.want {
				t.Errorf("olderThan(%s, %s, %d) = %v, want %v", tt.month.Format("2006-01"), tt.now.Format(time.RFC3339), tt.n, got, tt.want)
			}
		})
	}
}

func TestMonthsBefore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		t    time.Time
		n    int
		want time.Time
	}{
		{time.Date(2026, 5, 31, 23, 0, 0, 0, time.UTC), 6, time.Date(2025, 11, 30, 23, 0, 0, 0, time.UTC)},
		{time.Date(2026, 3, 31, 8, 30, 0, 0, time.UTC), 1, time.Date(2026, 2, 28, 8, 30, 0, 0, time.UTC)},
		{time.Date(2028, 3, 30, 0, 0, 0, 0, time.UTC), 1, time.Date(2028, 2, 29, 0, 0, 0, 0, time.UTC)},
		{time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC), 60, time.Date(2021, 6, 15, 12, 0, 0, 0, time.UTC)},
		{time.Date(2026, 1, 15, 0, 0, 0, 0, time.FixedZone("X", 3600)), 1, time.Date(2025, 12, 14, 23, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := monthsBefore(tt.t, tt.n); !got.Equal(tt.want) {
			t.Errorf("monthsBefore(%s, %d) = %s, want %s", tt.t.Format(time.RFC3339), tt.n, got.Format(time.RFC3339), tt.want.Format(time.RFC3339))
		}
	}
}

func TestPartitionMonth(t *testing.T) {
	t.Parallel()
	for p, want := range map[string]bool{"202401": true, "199912": true, "202413": false, "202400": false, "2024": false, "tuple()": false, "'202401'": false, "202401; DROP": false} {
		if _, ok := partitionMonth(p); ok != want {
			t.Errorf("partitionMonth(%q) ok = %v, want %v", p, ok, want)
		}
	}
}

func TestDecide(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 6, 15, 0, 0, 0, 0, time.UTC)
	parts := []queries.Partition{
		{Table: "screenings", Partition: "202103", Rows: 10},   // > 5 years: drop
		{Table: "screenings", Partition: "202106", Rows: 11},   // < 5 years, > 6 months: depersonalise
		{Table: "screenings", Partition: "202511", Rows: 12},   // > 6 months: depersonalise
		{Table: "screenings", Partition: "202512", Rows: 13},   // straddles: keep
		{Table: "screenings", Partition: "202606", Rows: 14},   // current: keep
		{Table: "audit", Partition: "202103", Rows: 5},         // drop
		{Table: "audit", Partition: "202511", Rows: 6},         // audit is never depersonalised
		{Table: "hits_daily", Partition: "202103", Rows: 7},    // drop
		{Table: "operations", Partition: "tuple()", Rows: 1},   // kept
		{Table: "unknown_table", Partition: "199901", Rows: 1}, // no rule: left alone
	}
	policy := DefaultPolicy()
	rule := func(table string) Rule { r, _ := policy.Rule(table); return r }
	want := []Action{
		{Kind: Drop, Table: "audit", Partition: "202103", Rows: 5, Rule: rule("audit")},
		{Kind: Drop, Table: "hits_daily", Partition: "202103", Rows: 7, Rule: rule("hits_daily")},
		{Kind: Drop, Table: "screenings", Partition: "202103", Rows: 10, Rule: rule("screenings")},
		{Kind: Depersonalise, Table: "screenings", Partition: "202106", Rows: 11, Rule: rule("screenings")},
		{Kind: Depersonalise, Table: "screenings", Partition: "202511", Rows: 12, Rule: rule("screenings")},
	}
	got := decide(policy, parts, now)
	if diff := cmp.Diff(want, got, cmpopts.IgnoreFields(Action{}, "Month")); diff != "" {
		t.Errorf("decide() mismatch (-want +got):\n%s", diff)
	}
	if got[0].Month != time.Date(2021, 3, 1, 0, 0, 0, 0, time.UTC) {
		t.Errorf("Month = %v, want 2021-03-01", got[0].Month)
	}
	if diff := cmp.Diff([]string{"unknown_table"}, Uncovered(policy, parts)); diff != "" {
		t.Errorf("Uncovered() mismatch (-want +got):\n%s", diff)
	}
}

func TestPolicyValidate(t *testing.T) {
	t.Parallel()
	if err := DefaultPolicy().Validate(); err != nil {
		t.Fatalf("DefaultPolicy().Validate() = %v", err)
	}
	tests := []struct {
		name   string
		policy Policy
		want   []string
	}{
		{"injection in a table", Policy{{Table: "t; DROP TABLE x", DeleteAfter: 1}}, []string{"table must be an identifier"}},
		{"injection in a column", Policy{{Table: "t", DateColumn: "d", DepersonaliseAfter: 1, Blank: []string{"a = 'x'"}}}, []string{"column names"}},
		{"depersonalise without columns", Policy{{Table: "t", DepersonaliseAfter: 1}}, []string{"needs a date column"}},
		{"negative age", Policy{{Table: "t", DeleteAfter: -1}}, []string{"negative"}},
		{"two rules", Policy{{Table: "t"}, {Table: "t"}}, []string{"two rules"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.policy.Validate()
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

func TestApplyRefusesForeignPartitions(t *testing.T) {
	t.Parallel()
	rule, _ := DefaultPolicy().Rule("screenings")
	for name, a := range map[string]Action{
		"not a month":       {Kind: Drop, Table: "screenings", Partition: "202401 OR 1", Rule: rule},
		"table not in rule": {Kind: Drop, Table: "hits", Partition: "202401", Rule: rule},
		"invalid rule":      {Kind: Drop, Table: "x y", Partition: "202401", Rule: Rule{Table: "x y", DeleteAfter: 1}},
	} {
		// No connection: the action must be refused before any statement is sent.
		if err := Apply(t.Context(), nil, []Action{a}, Options{}); err == nil {
			t.Errorf("%s: Apply() = nil, want a refusal", name)
		}
	}
}
