package event

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// AuditAction is what a console user did or was shown, or a partner did.
type AuditAction string

const (
	AuditAlertShown   AuditAction = "alert_shown"   // an alert was sent to the officer's screen
	AuditAlertViewed  AuditAction = "alert_viewed"  // the officer opened an alert's detail and evidence
	AuditHitConfirmed AuditAction = "hit_confirmed" // the officer confirmed an alert's hit
	AuditHitDismissed AuditAction = "hit_dismissed" // the officer dismissed an alert's hit
	AuditAccessDenied AuditAction = "access_denied" // the officer asked for another country's alert
	AuditLogin        AuditAction = "login"         // the officer logged in
	AuditLoginFailed  AuditAction = "login_failed"  // a login for this account id failed
	AuditLogout       AuditAction = "logout"        // the officer logged out or the session ended
	AuditPartnerCheck AuditAction = "partner_check" // a partner checked a document (PartnerCheck)
)

// AuditActions lists every action, in a fixed order.
func AuditActions() []AuditAction {
	return []AuditAction{
		AuditAlertShown, AuditAlertViewed, AuditHitConfirmed, AuditHitDismissed, AuditAccessDenied,
		AuditLogin, AuditLoginFailed, AuditLogout, AuditPartnerCheck,
	}
}

// AuditEvent records one disclosure, decision or partner check: who, what, on which alert
// or check, when. Ids only: it never holds a name, a document number or a birth date.
type AuditEvent struct {
	ID        string      `json:"id"`         // AuditID(officer, action, hit, at, seq)
	OfficerID string      `json:"officer_id"` // account id of the officer; the partner's id for partner_check
	Country   string      `json:"country"`    // ISO alpha-3 of the officer's control room, or of the partner
	Action    AuditAction `json:"action"`
	HitID     string      `json:"hit_id"` // the alert concerned; the check id for partner_check; "" for login and logout
	Result    string      `json:"result"` // a code: the reason code of a decision, hit or no_hit for partner_check; "" otherwise
	At        time.Time   `json:"at"`     // UTC
}

// AuditID derives an audit event's id. seq tells apart events of the same officer, action
// and alert within one microsecond (the same alert shown on two screens at once).
func AuditID(officerID string, action AuditAction, hitID string, at time.Time, seq uint64) string {
	h := sha256.New()
	for _, s := range []string{officerID, string(action), hitID, strconv.FormatInt(at.UnixMicro(), 10), strconv.FormatUint(seq, 10)} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
