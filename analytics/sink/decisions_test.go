package sink

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/fault"
)

func TestValidPersonID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		id   string
		want bool
	}{
		{"FRA-OFF-00412", true},
		{"partner-17", true},
		{"svc:console/2", true},
		{"officer.7", true},
		{"", false},
		{"DUPONT", false},        // a name: no digit
		{"Jean Dupont 2", false}, // spaces
		{"-leading-dash-1", false},
		{"é1", false},
		{strings.Repeat("a", 127) + "1", true},
		{strings.Repeat("a", 128) + "1", false},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			t.Parallel()
			if got := ValidPersonID(tt.id); got != tt.want {
				t.Errorf("ValidPersonID(%q) = %v, want %v", tt.id, got, tt.want)
			}
		})
	}
}

func TestOutcomeToRow(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 30, 23, 59, 59, 250_000_000, time.FixedZone("X", -3600)) // 2026-07-01T00:59:59.25Z
	valid := Outcome{HitID: "h1", Decision: Confirmed, ReasonCode: "identity_confirmed", OfficerID: "FRA-OFF-1", Country: "FRA", DecidedAt: at}
	tests := []struct {
		name    string
		mutate  func(*Outcome)
		want    outcomeRow
		wantErr *RowError
	}{
		{
			name: "valid, UTC day, millisecond version",
			want: outcomeRow{
				HitID: "h1", Decision: "confirmed", ReasonCode: "identity_confirmed", OfficerID: "FRA-OFF-1", Country: "FRA",
				DecidedAt: time.Date(2026, 7, 1, 0, 59, 59, 0, time.UTC), DecidedDate: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
				Version: uint64(at.UnixMilli()),
			},
		},
		{
			name:   "dismissed without reason",
			mutate: func(o *Outcome) { o.Decision, o.ReasonCode = Dismissed, "" },
			want: outcomeRow{
				HitID: "h1", Decision: "dismissed", OfficerID: "FRA-OFF-1", Country: "FRA",
				DecidedAt: time.Date(2026, 7, 1, 0, 59, 59, 0, time.UTC), DecidedDate: time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC),
				Version: uint64(at.UnixMilli()),
			},
		},
		{"no hit id", func(o *Outcome) { o.HitID = "" }, outcomeRow{}, &RowError{4, "hit_id", "is empty"}},
		{"hit id with spaces", func(o *Outcome) { o.HitID = "a b" }, outcomeRow{}, &RowError{4, "hit_id", "is not an id"}},
		{"unknown decision", func(o *Outcome) { o.Decision = "maybe" }, outcomeRow{}, &RowError{4, "decision", "is neither confirmed nor dismissed"}},
		{"free-text reason", func(o *Outcome) { o.ReasonCode = "looked like him" }, outcomeRow{}, &RowError{4, "reason_code", "is not a lower-case code"}},
		{"officer name", func(o *Outcome) { o.OfficerID = "Jean Dupont" }, outcomeRow{}, &RowError{4, "officer_id", "is not an id (letters, digits, . _ : / -, at least one digit)"}},
		{"bad country", func(o *Outcome) { o.Country = "FR" }, outcomeRow{}, &RowError{4, "country", "is not an ISO 3166 alpha-3 code"}},
		{"no time", func(o *Outcome) { o.DecidedAt = time.Time{} }, outcomeRow{}, &RowError{4, "decided_at", "is zero"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			o := valid
			if tt.mutate != nil {
				tt.mutate(&o)
			}
			got, err := outcomeToRow(4, &o)
			if diff := cmp.Diff(tt.wantErr, asRowError(err)); diff != "" {
				t.Fatalf("outcomeToRow() error mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				if strings.Contains(err.Error(), "Dupont") || strings.Contains(err.Error(), "looked like") {
					t.Errorf("error %q repeats the value", err)
				}
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("outcomeToRow() mismatch (-want +got):\n%s", diff)
			}
			if n, cols := len(got.values()), len(strings.Split(outcomeColumns, ",")); n != cols {
				t.Errorf("values() has %d values for %d columns", n, cols)
			}
		})
	}
}

func TestAuditToRow(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 1, 8, 0, 0, 123, time.UTC)
	valid := AuditEntry{ActorID: "partner-17", ActorKind: ActorPartner, Action: ActionPartnerCheck, ObjectID: "chk-99", Result: "no_hit", Country: "NLD", At: at}
	derived := AuditID("partner-17", ActionPartnerCheck, "chk-99", at)
	tests := []struct {
		name    string
		mutate  func(*AuditEntry)
		want    auditRow
		wantErr *RowError
	}{
		{
			name: "derived id",
			want: auditRow{AuditID: derived, ActorID: "partner-17", ActorKind: "partner", Action: "partner_check", ObjectID: "chk-99",
				Result: "no_hit", Country: "NLD", At: at.Truncate(time.Second), AtDate: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		},
		{
			name:   "given id, new action",
			mutate: func(e *AuditEntry) { e.ID, e.Action, e.ActorKind = "a-1", "record_disclosed", ActorService },
			want: auditRow{AuditID: "a-1", ActorID: "partner-17", ActorKind: "service", Action: "record_disclosed", ObjectID: "chk-99",
				Result: "no_hit", Country: "NLD", At: at.Truncate(time.Second), AtDate: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
		},
		{"actor name", func(e *AuditEntry) { e.ActorID = "Smith" }, auditRow{}, &RowError{2, "actor_id", "is not an id (letters, digits, . _ : / -, at least one digit)"}},
		{"unknown actor kind", func(e *AuditEntry) { e.ActorKind = "robot" }, auditRow{}, &RowError{2, "actor_kind", "is not officer, partner or service"}},
		{"free-text action", func(e *AuditEntry) { e.Action = "Looked at it" }, auditRow{}, &RowError{2, "action", "is not a lower-case code"}},
		{"document number as object", func(e *AuditEntry) { e.ObjectID = "ZX 998877" }, auditRow{}, &RowError{2, "object_id", "is not an id"}},
		{"free-text result", func(e *AuditEntry) { e.Result = "HIT on Smith" }, auditRow{}, &RowError{2, "result", "is not a lower-case code"}},
		{"no country", func(e *AuditEntry) { e.Country = "" }, auditRow{}, &RowError{2, "country", "is not an ISO 3166 alpha-3 code"}},
		{"no time", func(e *AuditEntry) { e.At = time.Time{} }, auditRow{}, &RowError{2, "at", "is zero"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := valid
			if tt.mutate != nil {
				tt.mutate(&e)
			}
			got, err := auditToRow(2, &e)
			if diff := cmp.Diff(tt.wantErr, asRowError(err)); diff != "" {
				t.Fatalf("auditToRow() error mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("auditToRow() mismatch (-want +got):\n%s", diff)
			}
			if n, cols := len(got.values()), len(strings.Split(auditColumns, ",")); n != cols {
				t.Errorf("values() has %d values for %d columns", n, cols)
			}
		})
	}
}

func TestAuditID(t *testing.T) {
	t.Parallel()
	at := time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC)
	base := AuditID("o-1", ActionAlertShown, "h1", at)
	if again := AuditID("o-1", ActionAlertShown, "h1", at.In(time.FixedZone("X", 7200))); again != base {
		t.Errorf("AuditID depends on the time zone: %s != %s", again, base)
	}
	for name, other := range map[string]string{
		"actor":  AuditID("o-2", ActionAlertShown, "h1", at),
		"action": AuditID("o-1", ActionHitConfirmed, "h1", at),
		"object": AuditID("o-1", ActionAlertShown, "h2", at),
		"time":   AuditID("o-1", ActionAlertShown, "h1", at.Add(time.Nanosecond)),
		"split":  AuditID("o-1h", ActionAlertShown, "1", at),
	} {
		if other == base {
			t.Errorf("AuditID ignores the %s", name)
		}
	}
}

func TestLatencyMillis(t *testing.T) {
	t.Parallel()
	ev := time.Date(2026, 1, 1, 0, 0, 0, 900_000_000, time.UTC)
	tests := []struct {
		name          string
		event, raised time.Time
		want          int64
	}{
		{"sub-second", ev, ev.Add(250 * time.Millisecond), 250},
		{"across a second boundary", ev, ev.Add(150 * time.Millisecond), 150},
		{"minutes", ev, ev.Add(3*time.Minute + 7*time.Millisecond), 180_007},
		{"clock skew", ev, ev.Add(-time.Second), 0},
		{"no event time", time.Time{}, ev, -1},
		{"no raise time", ev, time.Time{}, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := latencyMillis(tt.event, tt.raised); got != tt.want {
				t.Errorf("latencyMillis() = %d, want %d", got, tt.want)
			}
		})
	}
}

func TestWriteRejectsInvalidDecisions(t *testing.T) {
	t.Parallel()
	s := &Sink{} // no connection: validation fails before any call reaches the server
	at := time.Now()
	err := s.WriteOutcomes(t.Context(), []Outcome{
		{HitID: "h1", Decision: Confirmed, OfficerID: "o-1", Country: "FRA", DecidedAt: at},
		{HitID: "h2", Decision: Confirmed, OfficerID: "Dupont", Country: "FRA", DecidedAt: at},
	})
	if got := fault.Class(err); got != "poison" {
		t.Errorf("WriteOutcomes(): fault.Class(%v) = %q, want poison", err, got)
	}
	if re := asRowError(err); re == nil || re.Index != 1 || re.Field != "officer_id" {
		t.Errorf("WriteOutcomes() error = %v, want row 1 officer_id", err)
	}
	err = s.WriteAudit(t.Context(), []AuditEntry{{ActorID: "o-1", ActorKind: ActorOfficer, Action: ActionAlertShown, Country: "FRA", At: at}})
	if re := asRowError(err); re == nil || re.Field != "object_id" || fault.Class(err) != "poison" {
		t.Errorf("WriteAudit() error = %v, want a poison object_id row error", err)
	}
	for name, call := range map[string]func() error{
		"outcomes": func() error { return s.WriteOutcomes(t.Context(), nil) },
		"audit":    func() error { return s.WriteAudit(t.Context(), nil) },
	} {
		if err := call(); err != nil {
			t.Errorf("%s: writing nothing = %v", name, fmt.Sprint(err))
		}
	}
}
