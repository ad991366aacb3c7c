package watchlist

import (
	"errors"
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
)

// DocumentStatus is why a travel document is in SLTD.
type DocumentStatus string

const (
	StatusStolen      DocumentStatus = "stolen"
	StatusLost        DocumentStatus = "lost"
	StatusStolenBlank DocumentStatus = "stolen_blank"
	StatusRevoked     DocumentStatus = "revoked"
	StatusInvalidated DocumentStatus = "invalidated"
)

// Document is an SLTD record: a stolen, lost or otherwise invalid travel document, or, when
// NumberTo is set, a reported range of blank documents from Number to NumberTo inclusive.
type Document struct {
	ID       string         `json:"id"`
	Number   string         `json:"number"`
	NumberTo string         `json:"number_to,omitempty"`
	Type     string         `json:"type"`
	Issuer   string         `json:"issuer"`
	Status   DocumentStatus `json:"status"`
	Owner    string         `json:"owner"`
	// Access restricts who may see the record's details.
	event.Access
}

// NoticeType is the colour of a notice.
type NoticeType string

const (
	NoticeRed       NoticeType = "red"
	NoticeYellow    NoticeType = "yellow"
	NoticeBlue      NoticeType = "blue"
	NoticeGreen     NoticeType = "green"
	NoticeUNSpecial NoticeType = "un_special"
	NoticeBlack     NoticeType = "black"
	NoticeOrange    NoticeType = "orange"
	NoticePurple    NoticeType = "purple"
)

// Screened reports whether persons under this notice type are matched against travellers.
// Black (unidentified bodies), Orange and Purple notices are stored but not screened.
func (t NoticeType) Screened() bool {
	switch t {
	case NoticeRed, NoticeYellow, NoticeBlue, NoticeGreen, NoticeUNSpecial:
		return true
	default:
		return false
	}
}

// Name is one name of a person record: surname and given names, or a full name when the
// split is unknown. Weak names (nicknames, low-quality aliases) count less.
type Name struct {
	Surname    string `json:"surname,omitempty"`
	GivenNames string `json:"given_names,omitempty"`
	FullName   string `json:"full_name,omitempty"`
	Weak       bool   `json:"weak,omitempty"`
}

// Person is a notice or nominal record about a person. Names[0] is the primary name; the
// rest are aliases.
type Person struct {
	ID            string       `json:"id"`
	NoticeType    NoticeType   `json:"notice_type,omitempty"` // empty for nominal data
	Names         []Name       `json:"names"`
	BirthDates    []event.Date `json:"birth_dates"`
	Nationalities []string     `json:"nationalities"`
	Sex           string       `json:"sex"`
	Owner         string       `json:"owner"`
	// Access restricts who may see the record's details.
	event.Access
}

// Set is every record of one snapshot, per database.
type Set struct {
	Documents []Document       // SLTD
	Notices   []Person         // notices (NoticeType set)
	Nominals  []Person         // nominal data (NoticeType empty)
	TDAWN     []TravelDocument // travel documents associated with notices
	Vehicles  []Vehicle        // stolen motor vehicles and identifiable parts
	Vessels   []Vessel         // stolen vessels and engines
	Firearms  []Firearm        // iARMS
}

// Validate checks a document record. Errors name the field, never its value.
func (d *Document) Validate() error {
	var errs []error
	if d.ID == "" {
		errs = append(errs, errors.New("id: required"))
	}
	if d.Number == "" {
		errs = append(errs, errors.New("number: required"))
	}
	if len(d.Issuer) != 3 {
		errs = append(errs, errors.New("issuer: want an ISO 3166 alpha-3 code"))
	}
	switch d.Status {
	case StatusStolen, StatusLost, StatusStolenBlank, StatusRevoked, StatusInvalidated:
	default:
		errs = append(errs, fmt.Errorf("status: want stolen, lost, stolen_blank, revoked or invalidated"))
	}
	if err := d.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Validate checks a person record. Errors name the field, never its value.
func (p *Person) Validate() error {
	var errs []error
	if p.ID == "" {
		errs = append(errs, errors.New("id: required"))
	}
	if len(p.Names) == 0 {
		errs = append(errs, errors.New("names: at least one name required"))
	}
	for i, n := range p.Names {
		if n.Surname == "" && n.GivenNames == "" && n.FullName == "" {
			errs = append(errs, fmt.Errorf("names[%d]: empty name", i))
		}
	}
	switch p.NoticeType {
	case "", NoticeRed, NoticeYellow, NoticeBlue, NoticeGreen, NoticeUNSpecial, NoticeBlack, NoticeOrange, NoticePurple:
	default:
		errs = append(errs, errors.New("notice_type: unknown notice type"))
	}
	for i, d := range p.BirthDates {
		if err := d.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("birth_dates[%d]: %w", i, err))
		}
	}
	if err := p.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}
