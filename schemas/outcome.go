package schemas

import (
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// This file maps the control-room console's records: outcomes (an officer's decision on an
// alert) and audit events (what an officer was shown and did). Both carry ids and codes
// only.

var decisions = func() []string {
	var out []string
	for _, d := range event.Decisions() {
		out = append(out, string(d))
	}
	return out
}()

// EncodeOutcome encodes an officer's decision. Every field is required; the decision is
// confirmed or dismissed.
func (s *Serde) EncodeOutcome(o *event.Outcome) ([]byte, error) {
	return encodeValue(s, kindOutcome, o, validateOutcome, outcomeNative)
}

// DecodeOutcome decodes an outcome written with any known version. Errors are poison.
func (s *Serde) DecodeOutcome(b []byte) (*event.Outcome, error) {
	return decodeValue(s, kindOutcome, b, readOutcome, validateOutcome)
}

// EncodeAuditEvent encodes an audit event. The id, officer, country, action and time are
// required; the hit id is empty for login and logout, the result for all but decisions.
func (s *Serde) EncodeAuditEvent(a *event.AuditEvent) ([]byte, error) {
	return encodeValue(s, kindAuditEvent, a, validateAuditEvent, auditEventNative)
}

// DecodeAuditEvent decodes an audit event written with any known version. Actions this
// build does not know are kept as they are: a newer console may audit more. Errors are
// poison.
func (s *Serde) DecodeAuditEvent(b []byte) (*event.AuditEvent, error) {
	return decodeValue(s, kindAuditEvent, b, readAuditEvent, validateAuditEvent)
}

// --- outcome ---

func validateOutcome(o *event.Outcome) error {
	var v validator
	v.required(root, "id", o.ID)
	v.required(root, "hit_id", o.HitID)
	v.enum(root, "decision", string(o.Decision), false, decisions...)
	v.required(root, "reason_code", o.ReasonCode)
	v.required(root, "officer_id", o.OfficerID)
	v.required(root, "country", o.Country)
	v.requiredTime(root, "decided_at", o.DecidedAt)
	return v.result()
}

func outcomeNative(o *event.Outcome) map[string]any {
	return map[string]any{
		"id":          o.ID,
		"hit_id":      o.HitID,
		"decision":    string(o.Decision),
		"reason_code": o.ReasonCode,
		"officer_id":  o.OfficerID,
		"country":     o.Country,
		"decided_at":  o.DecidedAt.UnixMicro(),
	}
}

func readOutcome(r *reader, o obj) *event.Outcome {
	return &event.Outcome{
		ID:         r.str(o, "id", true),
		HitID:      r.str(o, "hit_id", true),
		Decision:   event.Decision(r.str(o, "decision", true)),
		ReasonCode: r.str(o, "reason_code", true),
		OfficerID:  r.str(o, "officer_id", true),
		Country:    r.str(o, "country", true),
		DecidedAt:  r.requiredTime(o, "decided_at"),
	}
}

// --- audit event ---

func validateAuditEvent(a *event.AuditEvent) error {
	var v validator
	v.required(root, "id", a.ID)
	v.required(root, "officer_id", a.OfficerID)
	v.required(root, "country", a.Country)
	v.required(root, "action", string(a.Action))
	v.requiredTime(root, "at", a.At)
	return v.result()
}

func auditEventNative(a *event.AuditEvent) map[string]any {
	return map[string]any{
		"id":         a.ID,
		"officer_id": a.OfficerID,
		"country":    a.Country,
		"action":     string(a.Action),
		"hit_id":     optString(a.HitID),
		"result":     optString(a.Result),
		"at":         a.At.UnixMicro(),
	}
}

func readAuditEvent(r *reader, o obj) *event.AuditEvent {
	return &event.AuditEvent{
		ID:        r.str(o, "id", true),
		OfficerID: r.str(o, "officer_id", true),
		Country:   r.str(o, "country", true),
		Action:    event.AuditAction(r.str(o, "action", true)),
		HitID:     r.str(o, "hit_id", false),
		Result:    r.str(o, "result", false),
		At:        r.requiredTime(o, "at"),
	}
}

// --- helpers for required timestamps ---

// requiredTime checks that a required timestamp is set and within the representable years.
func (v *validator) requiredTime(l *loc, field string, t time.Time) {
	if t.IsZero() {
		v.add(l.at(field), "required")
		return
	}
	v.time(l, field, t)
}

// requiredTime reads a required timestamp (a long timestamp-micros outside a union).
func (r *reader) requiredTime(o obj, name string) time.Time {
	if _, ok := r.get(o, name, true); !ok {
		return time.Time{}
	}
	return r.time(o, name)
}
