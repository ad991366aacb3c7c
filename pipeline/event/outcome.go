package event

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Decision is what an officer decided about an alert.
type Decision string

const (
	// DecisionConfirmed: the subject is the record's subject (or the object is the listed
	// one); the required action applies.
	DecisionConfirmed Decision = "confirmed"
	// DecisionDismissed: a false positive, or otherwise no action.
	DecisionDismissed Decision = "dismissed"
)

// Decisions lists every decision, in a fixed order.
func Decisions() []Decision { return []Decision{DecisionConfirmed, DecisionDismissed} }

// Outcome is an officer's decision on one alert, as the control-room console records it.
// It carries ids and codes only: the alert it decides is found by HitID.
type Outcome struct {
	ID         string    `json:"id"`          // OutcomeID(hit, officer, decided_at)
	HitID      string    `json:"hit_id"`      // the alert decided on
	Decision   Decision  `json:"decision"`    // confirmed or dismissed
	ReasonCode string    `json:"reason_code"` // a code of OutcomeReasons[Decision]
	OfficerID  string    `json:"officer_id"`  // the officer's account id, never a name
	Country    string    `json:"country"`     // ISO alpha-3 of the officer's control room
	DecidedAt  time.Time `json:"decided_at"`  // UTC
}

// outcomeReasons are the reason codes an officer may give, per decision. Codes, not free
// text: free text could carry personal data into analytics.
var outcomeReasons = map[Decision][]string{
	DecisionConfirmed: {
		"identity_confirmed", // the person is the record's subject
		"document_confirmed", // the document is the listed one
		"object_confirmed",   // vehicle, vessel or firearm is the listed one
		"confirmed_by_owner", // the record owner confirmed the hit
		"action_taken",       // confirmed and the required action was carried out
		"confirmed_other",    // confirmed for another reason, recorded in the case file
	},
	DecisionDismissed: {
		"different_person",   // same or similar name, other person
		"different_document", // same number, another document (issuer, type, series)
		"different_object",   // not the listed vehicle, vessel or firearm
		"record_outdated",    // the record was cancelled or is no longer valid
		"duplicate_alert",    // already handled under another alert
		"data_error",         // manifest or record data wrong
		"dismissed_other",    // dismissed for another reason, recorded in the case file
	},
}

// OutcomeReasons returns the reason codes an officer may give for decision d, in a fixed
// order; nil for an unknown decision.
func OutcomeReasons(d Decision) []string { return append([]string(nil), outcomeReasons[d]...) }

// ValidReason reports whether code is a reason code for decision d.
func ValidReason(d Decision, code string) bool {
	for _, c := range outcomeReasons[d] {
		if c == code {
			return true
		}
	}
	return false
}

// OutcomeID derives an outcome's id from the hit, the officer and the decision time (to
// the microsecond, the precision kept on the wire), so a retried write carries the same id.
func OutcomeID(hitID, officerID string, decidedAt time.Time) string {
	h := sha256.New()
	for _, s := range []string{hitID, officerID, strconv.FormatInt(decidedAt.UnixMicro(), 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
