package paxlst

import (
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
)

// Result is everything decoded from one interchange.
type Result struct {
	Messages []Message `json:"messages"`
	// Warnings about the interchange as a whole (envelope noise, UNB/UNZ); each message holds
	// its own. AllWarnings returns both in input order.
	Warnings []edifact.Warning `json:"warnings"`
}

// ListType says whether a message lists passengers or crew.
type ListType string

const (
	Passengers ListType = "passengers"
	Crew       ListType = "crew"
)

// Message is one PAXLST message, its parts reassembled.
type Message struct {
	Interchange string            `json:"interchange"` // UNB interchange control reference
	Ref         string            `json:"ref"`         // UNH message reference (of the first part)
	Sender      edifact.Party     `json:"sender"`
	Recipient   edifact.Party     `json:"recipient"`
	Prepared    time.Time         `json:"prepared,omitzero"` // UNB date and time of preparation
	Directory   string            `json:"directory"`         // UNH version and release: D05B, D15B, …
	Association string            `json:"association,omitempty"`
	CommonRef   string            `json:"common_ref,omitempty"` // UNH common access reference
	Parts       []int             `json:"parts,omitempty"`      // sequence numbers of the parts, ascending; nil when sent whole
	FinalPart   int               `json:"final_part,omitempty"` // sequence number of the part marked F, when at hand
	Complete    bool              `json:"complete"`             // false only for an incomplete set kept with Options.Partial
	List        ListType          `json:"list"`
	DocCode     string            `json:"doc_code"`         // BGM 1001: 745, 250, 336, 655, 266
	DocID       string            `json:"doc_id,omitempty"` // BGM 1004
	References  []Reference       `json:"references,omitempty"`
	Reporter    *Party            `json:"reporter,omitempty"` // NAD+MS
	Legs        []Leg             `json:"legs"`
	Travellers  []Traveller       `json:"travellers"`
	Counts      []Count           `json:"counts,omitempty"` // CNT control totals as declared
	FreeText    []string          `json:"free_text,omitempty"`
	Segment     int               `json:"segment"` // UNH of the first part
	Line        int               `json:"line"`
	Warnings    []edifact.Warning `json:"warnings"`
}

// Reference is an RFF reference: qualifier (AVF booking reference, ABO originator's reference,
// SEA seat, TN transaction, CR customer reference, …) and value.
type Reference struct {
	Qualifier string `json:"qualifier"`
	Value     string `json:"value"`
}

// Party is the reporting party (NAD+MS) with its contacts.
type Party struct {
	Name     string    `json:"name"`
	Contacts []Contact `json:"contacts,omitempty"`
}

// Contact is one COM communication number: TE telephone, FX fax, EM e-mail.
type Contact struct {
	Channel string `json:"channel"`
	Number  string `json:"number"`
}

// Leg is one leg of the flight or voyage: from one point of a transport group to the next.
type Leg struct {
	Carrier       string    `json:"carrier"`                  // TDT C040 carrier, or the flight number's prefix
	Number        string    `json:"number"`                   // TDT 8028 journey identifier as sent
	Flight        string    `json:"flight"`                   // carrier and number, the carrier not repeated
	TransportID   string    `json:"transport_id,omitempty"`   // TDT C222 8213: vessel IMO number, call sign or registration
	TransportName string    `json:"transport_name,omitempty"` // TDT C222 8212
	Departure     string    `json:"departure"`                // LOC+125 (or 92) IATA airport or UN/LOCODE
	Arrival       string    `json:"arrival"`                  // LOC+87 (or 92)
	DepartureAt   time.Time `json:"departure_at,omitzero"`    // DTM+189, local wall clock as UTC
	ArrivalAt     time.Time `json:"arrival_at,omitzero"`      // DTM+232, local wall clock as UTC
	Segment       int       `json:"segment"`                  // TDT
}

// Place is a LOC location: a code (IATA airport, UN/LOCODE or ISO country) and/or a name.
type Place struct {
	Code string `json:"code,omitempty"`
	Name string `json:"name,omitempty"`
}

// IsZero reports whether the place is empty.
func (p Place) IsZero() bool { return p.Code == "" && p.Name == "" }

// Address is a NAD street address.
type Address struct {
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Country  string `json:"country,omitempty"`
}

// IsZero reports whether the address is empty.
func (a Address) IsZero() bool { return a == Address{} }

// Traveller is one traveller group: a passenger or a crew member.
type Traveller struct {
	Role        event.Role  `json:"role"`
	Party       string      `json:"party"`             // NAD 3035: FL, DDT, FM, DDU, COT
	Transit     bool        `json:"transit,omitempty"` // in transit (NAD+DDT or DDU)
	Surname     string      `json:"surname"`
	GivenNames  string      `json:"given_names"`
	Sex         string      `json:"sex,omitempty"` // M, F, U or X as sent in ATT+2
	BirthDate   event.Date  `json:"birth_date"`
	Nationality string      `json:"nationality,omitempty"`
	Residence   Place       `json:"residence,omitzero"`   // LOC+174
	BirthPlace  Place       `json:"birth_place,omitzero"` // LOC+180
	Embarkation Place       `json:"embarkation,omitzero"` // LOC+178
	Debarkation Place       `json:"debarkation,omitzero"` // LOC+179
	Clearance   Place       `json:"clearance,omitzero"`   // LOC+22: place of clearance, the final destination of a traveller in transit
	Address     Address     `json:"address,omitzero"`
	Contacts    []Contact   `json:"contacts,omitempty"`
	References  []Reference `json:"references,omitempty"`
	Documents   []Document  `json:"documents"`
	CrewRole    string      `json:"crew_role,omitempty"` // EMP category (CR1 cockpit, CR2 cabin, …)
	FreeText    []string    `json:"free_text,omitempty"`
	Part        int         `json:"part,omitempty"` // sequence number of the part it came in; 0 when sent whole
	Segment     int         `json:"segment"`        // NAD
	Line        int         `json:"line"`
}

// Document is one DOC group: a travel document with its expiry, issue date and issuer.
type Document struct {
	Type    string     `json:"type"` // DOC 1001: P, I, V, AC, …
	Number  string     `json:"number"`
	Issuer  string     `json:"issuer,omitempty"` // LOC+91
	Expiry  event.Date `json:"expiry"`           // DTM+36
	Issued  event.Date `json:"issued,omitzero"`  // DTM+182
	Segment int        `json:"segment"`
}

// Count is a CNT control total as declared.
type Count struct {
	Qualifier string `json:"qualifier"` // 41 crew, 42 passengers
	Value     int    `json:"value"`
	Part      int    `json:"part,omitempty"`
	Segment   int    `json:"segment"`
	Line      int    `json:"line"`
}

// Reference returns the value of the traveller's first reference with the qualifier, or "".
func (t *Traveller) Reference(qualifier string) string {
	for _, r := range t.References {
		if r.Qualifier == qualifier {
			return r.Value
		}
	}
	return ""
}

// AllWarnings returns the interchange's warnings and every message's, in input order.
func (r *Result) AllWarnings() []edifact.Warning {
	out := append([]edifact.Warning(nil), r.Warnings...)
	for _, m := range r.Messages {
		out = append(out, m.Warnings...)
	}
	sortWarnings(out)
	return out
}
