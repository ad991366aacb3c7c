package schemas_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/schemas"
)

func outcomeCase(name string, v *event.Outcome) codecCase {
	return codecCase{name, schemas.SubjectOutcome, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeOutcome(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeOutcome(b) }}
}

func auditCase(name string, v *event.AuditEvent) codecCase {
	return codecCase{name, schemas.SubjectAuditEvent, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeAuditEvent(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeAuditEvent(b) }}
}

func fixtureOutcome() *event.Outcome {
	hit := fixtureAlert().Hit.ID
	decided := at("2024-06-11T20:03:14.159265Z")
	return &event.Outcome{
		ID: event.OutcomeID(hit, "off-fra-0042", decided), HitID: hit, Decision: event.DecisionConfirmed,
		ReasonCode: "identity_confirmed", OfficerID: "off-fra-0042", Country: "FRA", DecidedAt: decided,
	}
}

func fixtureDismissal() *event.Outcome {
	o := fixtureOutcome()
	o.Decision, o.ReasonCode = event.DecisionDismissed, "different_person"
	o.DecidedAt = o.DecidedAt.In(mustLoc("Asia/Tokyo")).Add(time.Minute) // any zone; decodes as UTC
	o.ID = event.OutcomeID(o.HitID, o.OfficerID, o.DecidedAt)
	o.DecidedAt = o.DecidedAt.UTC()
	return o
}

func fixtureAudit() *event.AuditEvent {
	hit := fixtureAlert().Hit.ID
	when := at("2024-06-11T20:00:01.250000Z")
	return &event.AuditEvent{
		ID: event.AuditID("off-fra-0042", event.AuditAlertShown, hit, when, 7), OfficerID: "off-fra-0042",
		Country: "FRA", Action: event.AuditAlertShown, HitID: hit, At: when,
	}
}

func fixtureDecisionAudit() *event.AuditEvent {
	hit := fixtureAlert().Hit.ID
	when := at("2024-06-11T20:03:14.159265Z")
	return &event.AuditEvent{
		ID: event.AuditID("off-fra-0042", event.AuditHitConfirmed, hit, when, 8), OfficerID: "off-fra-0042",
		Country: "FRA", Action: event.AuditHitConfirmed, HitID: hit, Result: "identity_confirmed", At: when,
	}
}

func fixtureLoginAudit() *event.AuditEvent {
	when := at("2024-06-11T19:59:00Z")
	return &event.AuditEvent{
		ID: event.AuditID("off-fra-0042", event.AuditLogin, "", when, 0), OfficerID: "off-fra-0042",
		Country: "FRA", Action: event.AuditLogin, At: when,
	}
}

func TestOutcomeAndAuditRejectInvalid(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	noHit := fixtureOutcome()
	noHit.HitID = ""
	badDecision := fixtureOutcome()
	badDecision.Decision = "maybe"
	noTime := fixtureOutcome()
	noTime.DecidedAt = time.Time{}
	noReason := fixtureOutcome()
	noReason.ReasonCode = ""
	noAction := fixtureAudit()
	noAction.Action = ""
	noOfficer := fixtureAudit()
	noOfficer.OfficerID = ""
	noAt := fixtureAudit()
	noAt.At = time.Time{}
	tests := []struct {
		name string
		enc  func() ([]byte, error)
		want string
	}{
		{"outcome without hit id", func() ([]byte, error) { return s.EncodeOutcome(noHit) }, "hit_id: required"},
		{"unknown decision", func() ([]byte, error) { return s.EncodeOutcome(badDecision) }, "decision: want one of confirmed, dismissed"},
		{"outcome without time", func() ([]byte, error) { return s.EncodeOutcome(noTime) }, "decided_at: required"},
		{"outcome without reason", func() ([]byte, error) { return s.EncodeOutcome(noReason) }, "reason_code: required"},
		{"nil outcome", func() ([]byte, error) { return s.EncodeOutcome(nil) }, "nil value"},
		{"audit without action", func() ([]byte, error) { return s.EncodeAuditEvent(noAction) }, "action: required"},
		{"audit without officer", func() ([]byte, error) { return s.EncodeAuditEvent(noOfficer) }, "officer_id: required"},
		{"audit without time", func() ([]byte, error) { return s.EncodeAuditEvent(noAt) }, "at: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := tt.enc()
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// TestAuditKeepsUnknownActions: a newer console may audit actions this build does not
// know; they must decode as they are, not be refused as poison.
func TestAuditKeepsUnknownActions(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	a := fixtureAudit()
	a.Action = "alert_printed"
	b, err := s.EncodeAuditEvent(a)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.DecodeAuditEvent(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(a, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if _, err := s.DecodeOutcome(b); !errors.Is(err, fault.ErrPoison) {
		t.Errorf("DecodeOutcome of an audit event = %v, want poison", err)
	}
}

// FuzzDecodeOutcome: never panics, every error is poison, decode(encode(x)) == x.
func FuzzDecodeOutcome(f *testing.F) {
	s := newTestSerde(f)
	for _, tt := range roundTripCases() {
		if b, err := tt.encode(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		o, err := s.DecodeOutcome(b)
		if err != nil {
			if !errors.Is(err, fault.ErrPoison) {
				t.Fatalf("decoding error is not poison: %v", err)
			}
			return
		}
		b2, err := s.EncodeOutcome(o)
		if err != nil {
			t.Fatalf("re-encoding a decoded outcome: %v", err)
		}
		o2, err := s.DecodeOutcome(b2)
		if err != nil {
			t.Fatalf("decoding a re-encoded outcome: %v", err)
		}
		if diff := cmp.Diff(o, o2); diff != "" {
			t.Fatalf("decode(encode(decode(b))) != decode(b) (-first +second):\n%s", diff)
		}
	})
}
