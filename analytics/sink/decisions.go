package sink

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Decision is a control room's verdict on a hit.
type Decision string

// The decisions outcomes accepts (an Enum8 in ClickHouse).
const (
	Confirmed Decision = "confirmed"
	Dismissed Decision = "dismissed"
)

// Outcome is one decision on one hit. Deciding again on the same hit writes a new Outcome;
// the one with the latest DecidedAt wins (millisecond precision; equal times leave the choice
// to ClickHouse).
type Outcome struct {
	HitID      string    // the hit decided on
	Decision   Decision  // Confirmed or Dismissed
	ReasonCode string    // a code such as "identity_confirmed" or "different_person"; may be empty
	OfficerID  string    // the deciding officer's id, never a name: see [ValidPersonID]
	Country    string    // ISO 3166 alpha-3 of the deciding control room
	DecidedAt  time.Time // when the decision was taken; required
}

// AuditAction names what an actor did. The set is open: new actions need no schema change,
// only a lower-case code.
type AuditAction string

// The actions Watchpost audits today.
const (
	ActionAlertShown   AuditAction = "alert_shown"   // an alert was displayed to a control room
	ActionHitConfirmed AuditAction = "hit_confirmed" // an officer confirmed a hit
	ActionHitDismissed AuditAction = "hit_dismissed" // an officer dismissed a hit
	ActionPartnerCheck AuditAction = "partner_check" // a partner checked a document (hit / no-hit)
)

// ActorKind says what kind of actor an audit entry names.
type ActorKind string

// The kinds of actor.
const (
	ActorOfficer ActorKind = "officer"
	ActorPartner ActorKind = "partner"
	ActorService ActorKind = "service"
)

// AuditEntry records that an actor did something to an object. Ids and codes only.
type AuditEntry struct {
	ID        string      // derived with [AuditID] when empty
	ActorID   string      // officer, partner or service id, never a name: see [ValidPersonID]
	ActorKind ActorKind   // officer, partner or service
	Action    AuditAction // what was done
	ObjectID  string      // the hit id, or the partner check's id
	Result    string      // a code: "hit" / "no_hit" for partner checks, a reason code for decisions; may be empty
	Country   string      // ISO 3166 alpha-3 where it happened
	At        time.Time   // when; required
}

// AuditID derives an entry's id from who did what to which object when (to the
// nanosecond), so a redelivered entry has the same id and collapses.
func AuditID(actorID string, action AuditAction, objectID string, at time.Time) string {
	h := sha256.New()
	for _, s := range []string{actorID, string(action), objectID, strconv.FormatInt(at.UnixNano(), 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

var (
	idPattern      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$`)
	codePattern    = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// ValidPersonID reports whether s can be an officer's, partner's or service's id rather
// than a name: 1 to 128 letters, digits and . _ : / -, starting with a letter or digit, with
// at least one digit ("FRA-OFF-00412", "partner-17"). A name ("Jean Dupont", "DUPONT") has a
// space or no digit and is rejected. It is a guard against the commonest mistake, not a
// proof: the writer of the id must still send an id.
func ValidPersonID(s string) bool {
	return idPattern.MatchString(s) && strings.ContainsAny(s, "0123456789")
}

// outcomeColumns lists the outcomes columns in insert order; outcomeRow.values follows it.
const outcomeColumns = "hit_id, decision, reason_code, officer_id, country, decided_at, decided_date, version"

type outcomeRow struct {
	HitID       string
	Decision    string
	ReasonCode  string
	OfficerID   string
	Country     string
	DecidedAt   time.Time
	DecidedDate time.Time
	Version     uint64
}

func (r *outcomeRow) values() []any {
	return []any{r.HitID, r.Decision, r.ReasonCode, r.OfficerID, r.Country, r.DecidedAt, r.DecidedDate, r.Version}
}

// outcomeToRow validates o and maps it to its row. Errors name the field, never its value.
func outcomeToRow(i int, o *Outcome) (outcomeRow, error) {
	bad := func(field, issue string) (outcomeRow, error) {
		return outcomeRow{}, &RowError{Index: i, Field: field, Issue: issue}
	}
	switch {
	case o.HitID == "":
		return bad("hit_id", "is empty")
	case !idPattern.MatchString(o.HitID):
		return bad("hit_id", "is not an id")
	case o.Decision != Confirmed && o.Decision != Dismissed:
		return bad("decision", "is neither confirmed nor dismissed")
	case o.ReasonCode != "" && !codePattern.MatchString(o.ReasonCode):
		return bad("reason_code", "is not a lower-case code")
	case !ValidPersonID(o.OfficerID):
		return bad("officer_id", "is not an id (letters, digits, . _ : / -, at least one digit)")
	case !countryPattern.MatchString(o.Country):
		return bad("country", "is not an ISO 3166 alpha-3 code")
	case o.DecidedAt.IsZero():
		return bad("decided_at", "is zero")
	}
	return outcomeRow{
		HitID:       o.HitID,
		Decision:    string(o.Decision),
		ReasonCode:  o.ReasonCode,
		OfficerID:   o.OfficerID,
		Country:     o.Country,
		DecidedAt:   dateTime(o.DecidedAt),
		DecidedDate: date(o.DecidedAt),
		Version:     uint64(max(0, dateTimeMillis(o.DecidedAt))),
	}, nil
}

// dateTimeMillis is t in unix milliseconds, clamped to the range dateTime clamps to.
func dateTimeMillis(t time.Time) int64 {
	if c := dateTime(t); c.Unix() != t.Unix() {
		return c.UnixMilli()
	}
	return t.UnixMilli()
}

// auditColumns lists the audit columns in insert order; auditRow.values follows it.
const auditColumns = "audit_id, actor_id, actor_kind, action, object_id, result, country, at, at_date"

type auditRow struct {
	AuditID   string
	ActorID   string
	ActorKind string
	Action    string
	ObjectID  string
	Result    string
	Country   string
	At        time.Time
	AtDate    time.Time
}

func (r *auditRow) values() []any {
	return []any{r.AuditID, r.ActorID, r.ActorKind, r.Action, r.ObjectID, r.Result, r.Country, r.At, r.AtDate}
}

// auditToRow validates e and maps it to its row, deriving the id when it is empty.
func auditToRow(i int, e *AuditEntry) (auditRow, error) {
	bad := func(field, issue string) (auditRow, error) {
		return auditRow{}, &RowError{Index: i, Field: field, Issue: issue}
	}
	switch {
	case e.ID != "" && !idPattern.MatchString(e.ID):
		return bad("audit_id", "is not an id")
	case !ValidPersonID(e.ActorID):
		return bad("actor_id", "is not an id (letters, digits, . _ : / -, at least one digit)")
	case e.ActorKind != ActorOfficer && e.ActorKind != ActorPartner && e.ActorKind != ActorService:
		return bad("actor_kind", "is not officer, partner or service")
	case !codePattern.MatchString(string(e.Action)):
		return bad("action", "is not a lower-case code")
	case !idPattern.MatchString(e.ObjectID):
		return bad("object_id", "is not an id")
	case e.Result != "" && !codePattern.MatchString(e.Result):
		return bad("result", "is not a lower-case code")
	case !countryPattern.MatchString(e.Country):
		return bad("country", "is not an ISO 3166 alpha-3 code")
	case e.At.IsZero():
		return bad("at", "is zero")
	}
	id := e.ID
	if id == "" {
		id = AuditID(e.ActorID, e.Action, e.ObjectID, e.At)
	}
	return auditRow{
		AuditID:   id,
		ActorID:   e.ActorID,
		ActorKind: string(e.ActorKind),
		Action:    string(e.Action),
		ObjectID:  e.ObjectID,
		Result:    e.Result,
		Country:   e.Country,
		At:        dateTime(e.At),
		AtDate:    date(e.At),
	}, nil
}

// WriteOutcomes writes decisions as one batch into outcomes. An empty rows is a no-op.
// Writing the same outcomes again is harmless: the reports take, per hit, the decision with
// the latest time. An invalid outcome (no hit id, an unknown decision, an officer id that
// looks like a name, no time, …) fails the whole batch before anything is sent, with a
// [*RowError] marked [fault.Poison].
func (s *Sink) WriteOutcomes(ctx context.Context, rows []Outcome) error {
	if len(rows) == 0 {
		return nil
	}
	mapped := make([]outcomeRow, len(rows))
	for i := range rows {
		r, err := outcomeToRow(i, &rows[i])
		if err != nil {
			return fmt.Errorf("mapping outcomes: %w", poison(err))
		}
		mapped[i] = r
	}
	return s.send(ctx, "outcomes", "INSERT INTO outcomes ("+outcomeColumns+")", len(mapped), func(i int) []any {
		return mapped[i].values()
	})
}

// WriteAudit writes audit entries as one batch into audit. An empty rows is a no-op. Writing
// the same entries again is harmless: counts de-duplicate on audit_id. An invalid entry
// fails the whole batch before anything is sent, with a [*RowError] marked [fault.Poison].
func (s *Sink) WriteAudit(ctx context.Context, rows []AuditEntry) error {
	if len(rows) == 0 {
		return nil
	}
	mapped := make([]auditRow, len(rows))
	for i := range rows {
		r, err := auditToRow(i, &rows[i])
		if err != nil {
			return fmt.Errorf("mapping audit entries: %w", poison(err))
		}
		mapped[i] = r
	}
	return s.send(ctx, "audit", "INSERT INTO audit ("+auditColumns+")", len(mapped), func(i int) []any {
		return mapped[i].values()
	})
}
