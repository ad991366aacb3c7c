package event

import "time"

// SourcePartner is the Context.Source of a partner check.
const SourcePartner = "partner"

// The results of a partner check: all a partner ever learns.
const (
	CheckHit   = "hit"
	CheckNoHit = "no_hit"
)

// PartnerCheck is one document check by a partner — a travel, tourism or banking company —
// in the I-Checkit model: the partner presents a document number, type and issuing country
// and learns hit or no-hit only; a hit raises an alert for law enforcement.
type PartnerCheck struct {
	ID        string    `json:"id"`         // opaque check id: the event id of its subject and hits
	PartnerID string    `json:"partner_id"` // the partner's client id, never a name
	Country   string    `json:"country"`    // ISO alpha-3 of the country where the partner operates
	Document  Document  `json:"document"`   // as presented: type, number and issuer (no expiry)
	At        time.Time `json:"at"`         // when the check was made, UTC
}

// Subject returns the checked document as the one subject of the check: a person known
// only by that document.
func (c *PartnerCheck) Subject() Subject {
	return Subject{ID: SubjectID(c.ID, 0), EventID: c.ID, Kind: KindPerson, Person: &Person{Documents: []Document{c.Document}}}
}

// Context returns the screening context of the check: source partner, screened for the
// partner's country.
func (c *PartnerCheck) Context() Context {
	return Context{Source: SourcePartner, Country: c.Country, EventTime: c.At}
}

// Audit returns the audit event recording the check and its result (CheckHit or
// CheckNoHit): who (the partner, in OfficerID), where (its country), which check (its id,
// in HitID) and when. Its time is At to the microsecond, the precision kept on the wire.
func (c *PartnerCheck) Audit(result string) AuditEvent {
	at := c.At.UTC().Truncate(time.Microsecond)
	return AuditEvent{
		ID: AuditID(c.PartnerID, AuditPartnerCheck, c.ID, at, 0), OfficerID: c.PartnerID, Country: c.Country,
		Action: AuditPartnerCheck, HitID: c.ID, Result: result, At: at,
	}
}
