package event

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
	"time"
)

// Role is a traveller's role on a manifest.
type Role string

const (
	RolePassenger Role = "passenger"
	RoleCrew      Role = "crew"
)

// Document is a travel document as presented or declared.
type Document struct {
	Type   string `json:"type"`   // ICAO document code: P (passport), I (identity card), V (visa), ...
	Number string `json:"number"` // as presented; canonicalised only for matching
	Issuer string `json:"issuer"` // ISO 3166 alpha-3 as on travel documents
	Expiry Date   `json:"expiry"`
}

// Person is the identity of a person subject as presented.
type Person struct {
	Surname     string     `json:"surname"`
	GivenNames  string     `json:"given_names"`
	FullName    string     `json:"full_name,omitempty"` // when the surname / given-names split is unknown; empty otherwise
	BirthDate   Date       `json:"birth_date"`
	Sex         string     `json:"sex"`         // M, F or U
	Nationality string     `json:"nationality"` // ISO 3166 alpha-3
	Documents   []Document `json:"documents"`
}

// Traveller is a person on a manifest.
type Traveller struct {
	Role Role `json:"role"`
	Person
}

// Leg is one leg of a flight or voyage.
type Leg struct {
	Departure   string    `json:"departure"` // IATA airport or UN/LOCODE port
	Arrival     string    `json:"arrival"`
	DepartureAt time.Time `json:"departure_at"`
	ArrivalAt   time.Time `json:"arrival_at"`
}

// Manifest is an advance passenger (API) or crew list for one flight or voyage.
type Manifest struct {
	ID         string      `json:"id"`      // unique per message: the gateway id, or interchange + message reference
	Carrier    string      `json:"carrier"` // IATA or operator code of the submitting carrier
	Flight     string      `json:"flight"`  // flight or voyage number, with carrier prefix
	Country    string      `json:"country"` // ISO alpha-3 of the screening authority
	Legs       []Leg       `json:"legs"`
	Travellers []Traveller `json:"travellers"`
	ReceivedAt time.Time   `json:"received_at"`
}

// BorderPost is where the screening authority meets the subject: the last arrival point,
// or the first departure point when there are no legs with an arrival.
func (m *Manifest) BorderPost() string {
	if n := len(m.Legs); n > 0 {
		if a := m.Legs[n-1].Arrival; a != "" {
			return a
		}
		return m.Legs[0].Departure
	}
	return ""
}

// SubjectKind is what a subject is.
type SubjectKind string

const (
	KindPerson  SubjectKind = "person"
	KindVehicle SubjectKind = "vehicle"
	KindVessel  SubjectKind = "vessel"
	KindFirearm SubjectKind = "firearm"
)

// Subject is one screenable thing taken from an event.
type Subject struct {
	ID      string      `json:"id"`       // deterministic: SubjectID(event id, position)
	EventID string      `json:"event_id"` // the manifest or crossing it came from
	Kind    SubjectKind `json:"kind"`
	Role    Role        `json:"role,omitempty"`
	Person  *Person     `json:"person,omitempty"`
	Vehicle *Vehicle    `json:"vehicle,omitempty"`
	Vessel  *Vessel     `json:"vessel,omitempty"`
	Firearm *Firearm    `json:"firearm,omitempty"`
}

// SubjectID derives the id of the subject at position i of an event.
func SubjectID(eventID string, i int) string { return eventID + "/" + strconv.Itoa(i) }

// Subjects returns the manifest's travellers as subjects, in manifest order.
func (m *Manifest) Subjects() []Subject {
	out := make([]Subject, len(m.Travellers))
	for i := range m.Travellers {
		t := &m.Travellers[i]
		out[i] = Subject{ID: SubjectID(m.ID, i), EventID: m.ID, Kind: KindPerson, Role: t.Role, Person: &t.Person}
	}
	return out
}

// Context is where and why a subject was screened. It travels with screenings and alerts.
type Context struct {
	Source      string    `json:"source"`  // api, pnr, crossing, partner
	Carrier     string    `json:"carrier"` // empty for crossings
	Flight      string    `json:"flight"`
	Departure   string    `json:"departure"`
	Arrival     string    `json:"arrival"`
	DepartureAt time.Time `json:"departure_at"`
	BorderPost  string    `json:"border_post"`
	Country     string    `json:"country"` // ISO alpha-3 of the screening authority
	EventTime   time.Time `json:"event_time"`
}

// Context returns the screening context of the manifest.
func (m *Manifest) Context() Context {
	c := Context{Source: "api", Carrier: m.Carrier, Flight: m.Flight, BorderPost: m.BorderPost(), Country: m.Country, EventTime: m.ReceivedAt}
	if n := len(m.Legs); n > 0 {
		c.Departure, c.DepartureAt = m.Legs[0].Departure, m.Legs[0].DepartureAt
		c.Arrival = m.Legs[n-1].Arrival
	}
	return c
}

// Database names a watchlist database.
type Database string

const (
	DBSLTD     Database = "sltd"
	DBNotices  Database = "notices"
	DBNominals Database = "nominals"
	DBTDAWN    Database = "tdawn"
	DBVehicles Database = "vehicles"
	DBVessels  Database = "vessels"
	DBFirearms Database = "firearms"
)

// Databases lists every watchlist database, in a fixed order.
func Databases() []Database {
	return []Database{DBSLTD, DBNotices, DBNominals, DBTDAWN, DBVehicles, DBVessels, DBFirearms}
}

// Reason explains one field's contribution to a hit's score.
type Reason struct {
	Field  string  `json:"field"`  // e.g. document_number, surname, birth_date
	Match  string  `json:"match"`  // exact, fuzzy, partial, conflict, missing
	Weight float64 `json:"weight"` // signed contribution to the score
	Detail string  `json:"detail"` // human-readable; never repeats the subject's personal data
}

// Hit is one subject matching one watchlist record.
type Hit struct {
	ID              string   `json:"id"` // HitID(subject, database, record)
	SubjectID       string   `json:"subject_id"`
	EventID         string   `json:"event_id"`
	Database        Database `json:"database"`
	RecordID        string   `json:"record_id"`
	Score           float64  `json:"score"` // 0..1
	Reasons         []Reason `json:"reasons"`
	SnapshotVersion uint64   `json:"snapshot_version"`
	Severity        string   `json:"severity"` // critical, high, medium, low
	Action          string   `json:"action"`   // what the officer must do
	Owner           string   `json:"owner"`    // ISO alpha-3 of the record owner
	// Restricted marks a neutral hit: the record is restricted from the screening country,
	// so RecordID, Score and Reasons are withheld and Action says to contact the owner.
	Restricted bool `json:"restricted,omitempty"`
	// Access is the record's restrictions, for routing inside the matcher process; it is
	// never serialised.
	Access Access `json:"-"`
}

// Neutral returns the hit as a country not permitted to see the record receives it: its
// ids, database, snapshot and owner, marked Restricted, with the record id, score and
// evidence withheld and an action to contact the owner.
func (h Hit) Neutral() Hit {
	return Hit{
		ID: h.ID, SubjectID: h.SubjectID, EventID: h.EventID, Database: h.Database,
		SnapshotVersion: h.SnapshotVersion, Owner: h.Owner, Restricted: true,
		Severity: NeutralSeverity, Action: neutralAction(h.Owner),
	}
}

// NeutralSeverity is the severity of a neutral hit: the officer must act (hold the subject
// for the owner's answer) without knowing why.
const NeutralSeverity = "high"

func neutralAction(owner string) string {
	if owner == "" {
		owner = "the record owner"
	}
	return "restricted record: a record whose details are not disclosed to this country matches — hold the subject and contact the NCB of " + owner + " before taking any other action"
}

// HitID derives a hit's id from what it joins. The snapshot version is deliberately left
// out: a message redelivered after a watchlist update must not raise a second alert.
func HitID(subjectID string, db Database, recordID string) string {
	h := sha256.New()
	for _, s := range []string{subjectID, string(db), recordID} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// Screening records that one subject was screened. Every subject gets exactly one.
type Screening struct {
	SubjectID       string      `json:"subject_id"`
	EventID         string      `json:"event_id"`
	Kind            SubjectKind `json:"kind"`
	Role            Role        `json:"role"`
	Nationality     string      `json:"nationality"`
	Context         Context     `json:"context"`
	ScreenedAt      time.Time   `json:"screened_at"`
	SnapshotVersion uint64      `json:"snapshot_version"`
	Hits            int         `json:"hits"`
	Databases       []Database  `json:"databases"` // databases that hit, sorted, without repeats
	DurationMicros  int64       `json:"duration_micros"`
}

// Alert is a hit as a control room receives it: the hit, the subject as presented, and where.
type Alert struct {
	Hit      Hit       `json:"hit"`
	Subject  Subject   `json:"subject"`
	Context  Context   `json:"context"`
	RaisedAt time.Time `json:"raised_at"`
	// Retro marks an alert raised by retro-screening: the subject was screened before the
	// record arrived, and was screened again against it.
	Retro bool `json:"retro,omitempty"`
}

// DisclosedTo returns the alert as country may receive it: unchanged when the record's owner
// lets country see the record, otherwise with a neutral hit (Hit.Neutral). The subject and
// context are the screening country's own data and stay.
func (a Alert) DisclosedTo(country string) Alert {
	if a.Hit.Restricted || a.Hit.Access.Permits(country, a.Hit.Owner) {
		return a
	}
	a.Hit = a.Hit.Neutral()
	return a
}
