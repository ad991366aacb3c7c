package event

import (
	"strconv"
	"strings"
	"time"
)

// PNR is one passenger name record as a carrier pushed it (PNRGOV), kept whole for targeting
// rules: the booking, its travellers with their documents, itinerary, contacts, payment,
// tickets, baggage and history. Its travellers are screened as passengers of the manifest
// ManifestID; each traveller's SubjectID names the subject it was screened as.
//
// Times are as the carrier sent them: PNRGOV carries local wall-clock times without a zone,
// kept as if they were UTC. Only ReceivedAt is a true UTC instant.
type PNR struct {
	ID         string `json:"id"`          // PNRID(manifest id, position in the message)
	ManifestID string `json:"manifest_id"` // the manifest its travellers were screened in
	Locator    string `json:"locator"`     // record locator: the first RCI reservation control number
	// LocatorCarrier is the airline or system that owns Locator (RCI); the pushing carrier
	// when the RCI names none. With Locator it is the key of the PNR's records (PNRKey).
	LocatorCarrier string          `json:"locator_carrier"`
	Carrier        string          `json:"carrier"`               // the carrier that pushed the PNR
	Country        string          `json:"country"`               // ISO alpha-3 of the screening authority
	Interchange    string          `json:"interchange,omitempty"` // UNB interchange control reference of the push
	MessageRef     string          `json:"message_ref,omitempty"` // UNH message reference of the push
	Flight         PNRFlight       `json:"flight"`                // the flight the PNR was pushed for (header TVL)
	Created        time.Time       `json:"created,omitzero"`      // when the booking was made (RCI)
	Locators       []PNRLocator    `json:"locators,omitempty"`    // every RCI reservation control, the first included
	Dates          []PNRStamp      `json:"dates,omitempty"`       // DAT: last transaction (700), ...
	Creator        *PNROriginator  `json:"creator,omitempty"`     // ORG: who created the booking
	Addresses      []PNRAddress    `json:"addresses,omitempty"`   // ADD at PNR level
	Contacts       []PNRInfo       `json:"contacts,omitempty"`    // IFT at PNR level (CTCR, CTCE, ...)
	Requests       []PNRRequest    `json:"requests,omitempty"`    // PNR-level SSRs other than DOCS, DOCO, DOCA
	OtherDocuments []PNROtherDoc   `json:"other_documents,omitempty"`
	DocAddresses   []PNRDocAddress `json:"doc_addresses,omitempty"`
	ExcessBaggage  []string        `json:"excess_baggage,omitempty"` // EBD, as text
	Travellers     []PNRTraveller  `json:"travellers,omitempty"`
	Tickets        []PNRTicket     `json:"tickets,omitempty"` // tickets outside a traveller group
	Payments       []PNRPayment    `json:"payments,omitempty"`
	Itinerary      []PNRItem       `json:"itinerary,omitempty"`
	History        []string        `json:"history,omitempty"` // LTS lines, as text
	ReceivedAt     time.Time       `json:"received_at,omitzero"`
}

// PNRFlight is a TVL: the flight pushed, or one flight of a PNR's itinerary.
type PNRFlight struct {
	Carrier          string    `json:"carrier,omitempty"` // marketing carrier
	OperatingCarrier string    `json:"operating_carrier,omitempty"`
	Number           string    `json:"number,omitempty"`
	Flight           string    `json:"flight,omitempty"` // carrier and number
	Class            string    `json:"class,omitempty"`  // booking class
	Departure        string    `json:"departure,omitempty"`
	Arrival          string    `json:"arrival,omitempty"`
	DepartureAt      time.Time `json:"departure_at,omitzero"`
	ArrivalAt        time.Time `json:"arrival_at,omitzero"`
}

// PNRLocator is an RCI reservation control: an airline's or another system's record locator.
type PNRLocator struct {
	Carrier string    `json:"carrier,omitempty"`
	Locator string    `json:"locator,omitempty"`
	Type    string    `json:"type,omitempty"`
	Created time.Time `json:"created,omitzero"`
}

// PNRStamp is a DAT date and time with its qualifier (700 last PNR transaction, 710 ticket
// issue, 2 check-in, ...).
type PNRStamp struct {
	Qualifier string    `json:"qualifier,omitempty"`
	At        time.Time `json:"at,omitzero"`
}

// PNROriginator is an ORG: who created the booking.
type PNROriginator struct {
	Airline  string `json:"airline,omitempty"`
	Location string `json:"location,omitempty"`
	Agency   string `json:"agency,omitempty"` // travel agency IATA number
	Office   string `json:"office,omitempty"` // in-house office id
	City     string `json:"city,omitempty"`
	Type     string `json:"type,omitempty"`
	Country  string `json:"country,omitempty"`
	Currency string `json:"currency,omitempty"`
	Language string `json:"language,omitempty"`
	Agent    string `json:"agent,omitempty"`
}

// PNRAddress is an ADD address.
type PNRAddress struct {
	Purpose  string `json:"purpose,omitempty"`
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Country  string `json:"country,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// PNRInfo is an IFT: a contact or other service information, as text.
type PNRInfo struct {
	Qualifier string `json:"qualifier,omitempty"`
	Type      string `json:"type,omitempty"`
	Carrier   string `json:"carrier,omitempty"`
	Text      string `json:"text,omitempty"`
}

// PNRRequest is a special service request (SSR) other than DOCS, DOCO and DOCA.
type PNRRequest struct {
	Code     string    `json:"code,omitempty"`
	Status   string    `json:"status,omitempty"`
	Quantity string    `json:"quantity,omitempty"`
	Carrier  string    `json:"carrier,omitempty"`
	Board    string    `json:"board,omitempty"`
	Off      string    `json:"off,omitempty"`
	Text     string    `json:"text,omitempty"`
	Seats    []PNRSeat `json:"seats,omitempty"`
}

// PNRSeat is a seat of an SSR SEAT or SSD, with the traveller reference it is for.
type PNRSeat struct {
	Seat         string `json:"seat,omitempty"`
	Properties   string `json:"properties,omitempty"`
	TravellerRef string `json:"traveller_ref,omitempty"`
}

// PNRTraveller is one traveller of a PNR (TIF) with the documents of its SSR DOCS, DOCO and
// DOCA.
type PNRTraveller struct {
	SubjectID      string             `json:"subject_id,omitempty"` // the subject the traveller was screened as
	Surname        string             `json:"surname,omitempty"`
	GivenNames     string             `json:"given_names,omitempty"`
	Title          string             `json:"title,omitempty"`
	Type           string             `json:"type,omitempty"` // A adult, C child, IN infant, ...
	Ref            string             `json:"ref,omitempty"`  // TIF traveller reference
	Infant         bool               `json:"infant,omitempty"`
	AccompaniedBy  string             `json:"accompanied_by,omitempty"`
	Source         string             `json:"source,omitempty"` // tif, docs (named only in a DOCS) or checkin
	Documents      []PNRDocument      `json:"documents,omitempty"`
	OtherDocuments []PNROtherDoc      `json:"other_documents,omitempty"`
	DocAddresses   []PNRDocAddress    `json:"doc_addresses,omitempty"`
	FrequentFlyer  []PNRFrequentFlyer `json:"frequent_flyer,omitempty"`
	Contacts       []PNRInfo          `json:"contacts,omitempty"`
	Addresses      []PNRAddress       `json:"addresses,omitempty"`
	References     []string           `json:"references,omitempty"`
	Fares          []string           `json:"fares,omitempty"`
	Requests       []PNRRequest       `json:"requests,omitempty"`
	ExcessBaggage  []string           `json:"excess_baggage,omitempty"`
	Tickets        []PNRTicket        `json:"tickets,omitempty"`
}

// PNRDocument is an SSR DOCS: a travel document and the identity it carries.
type PNRDocument struct {
	Type        string `json:"type,omitempty"`
	Issuer      string `json:"issuer,omitempty"`
	Number      string `json:"number,omitempty"`
	Nationality string `json:"nationality,omitempty"`
	BirthDate   Date   `json:"birth_date"`
	Sex         string `json:"sex,omitempty"` // M, F, MI, FI, U, X as sent
	Expiry      Date   `json:"expiry"`
	Surname     string `json:"surname,omitempty"`
	GivenNames  string `json:"given_names,omitempty"`
	Holder      bool   `json:"holder,omitempty"` // primary passport holder
}

// PNROtherDoc is an SSR DOCO: a visa or other document (known traveller, redress number).
type PNROtherDoc struct {
	BirthPlace string `json:"birth_place,omitempty"`
	Type       string `json:"type,omitempty"` // V visa, K known traveller, R redress
	Number     string `json:"number,omitempty"`
	IssuePlace string `json:"issue_place,omitempty"`
	Issued     Date   `json:"issued"`
	Country    string `json:"country,omitempty"` // where it is valid
	Infant     bool   `json:"infant,omitempty"`
}

// PNRDocAddress is an SSR DOCA: an address given for API (D destination, R residence).
type PNRDocAddress struct {
	Type     string `json:"type,omitempty"`
	Country  string `json:"country,omitempty"`
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Infant   bool   `json:"infant,omitempty"`
}

// PNRFrequentFlyer is an FTI frequent traveller entry.
type PNRFrequentFlyer struct {
	Carrier string `json:"carrier,omitempty"`
	Number  string `json:"number,omitempty"`
	Tier    string `json:"tier,omitempty"`
}

// PNRTicket is a TKT with its amounts, taxes, pricing, dates and payments.
type PNRTicket struct {
	Number   string       `json:"number,omitempty"`
	Type     string       `json:"type,omitempty"`
	Booklets string       `json:"booklets,omitempty"`
	Amounts  []PNRAmount  `json:"amounts,omitempty"` // MON
	Taxes    []PNRAmount  `json:"taxes,omitempty"`   // TXD
	Pricing  []string     `json:"pricing,omitempty"` // PTK, as text
	Dates    []PNRStamp   `json:"dates,omitempty"`
	Payments []PNRPayment `json:"payments,omitempty"` // FOP
}

// PNRAmount is a monetary amount as a decimal string; the decimal mark is always '.'.
type PNRAmount struct {
	Qualifier string `json:"qualifier,omitempty"`
	Amount    string `json:"amount,omitempty"`
	Currency  string `json:"currency,omitempty"`
}

// PNRPayment is a FOP form of payment. Account numbers are kept as the carrier sent them,
// masked or not.
type PNRPayment struct {
	Type    string `json:"type,omitempty"` // CC credit card, CA cash, MS miscellaneous, ...
	Amount  string `json:"amount,omitempty"`
	Vendor  string `json:"vendor,omitempty"`
	Account string `json:"account,omitempty"`
	Expiry  string `json:"expiry,omitempty"`
}

// PNRItem is one flight of a PNR's itinerary, with seats, check-ins and bags.
type PNRItem struct {
	Flight    PNRFlight    `json:"flight"`
	Status    string       `json:"status,omitempty"`     // RPI
	PartySize string       `json:"party_size,omitempty"` // RPI
	Aircraft  string       `json:"aircraft,omitempty"`   // APD
	Requests  []PNRRequest `json:"requests,omitempty"`
	Dates     []PNRStamp   `json:"dates,omitempty"`
	Info      []PNRInfo    `json:"info,omitempty"`
	CheckIns  []PNRCheckIn `json:"check_ins,omitempty"`
	Bags      []PNRBag     `json:"bags,omitempty"` // TBD outside a check-in
}

// PNRCheckIn is one traveller's check-in on a flight (TRI group), with seat and bags.
type PNRCheckIn struct {
	Sequence     string   `json:"sequence,omitempty"`
	TravellerRef string   `json:"traveller_ref,omitempty"`
	Surname      string   `json:"surname,omitempty"`
	GivenNames   string   `json:"given_names,omitempty"`
	Seat         string   `json:"seat,omitempty"`
	Bags         []PNRBag `json:"bags,omitempty"`
}

// PNRBag is a TBD baggage entry; Text keeps the whole segment.
type PNRBag struct {
	Pieces string      `json:"pieces,omitempty"`
	Weight string      `json:"weight,omitempty"`
	Unit   string      `json:"unit,omitempty"`
	Tags   []PNRBagTag `json:"tags,omitempty"`
	Text   string      `json:"text,omitempty"`
}

// PNRBagTag is one bag tag, or a run of consecutive tags.
type PNRBagTag struct {
	Carrier     string `json:"carrier,omitempty"`
	Number      string `json:"number,omitempty"`
	Count       string `json:"count,omitempty"`
	Destination string `json:"destination,omitempty"`
}

// PNRID derives the id of the PNR at position i (0-based) of the push message whose
// manifest id is manifestID. A redelivered push yields the same ids.
func PNRID(manifestID string, i int) string { return manifestID + "/pnr/" + strconv.Itoa(i) }

// Key is the Kafka key of the PNR's records: the record locator and the carrier owning it,
// upper-cased, "ABC123/KL", so that every push of one booking lands in one partition, in
// order.
func (p *PNR) Key() string {
	return strings.ToUpper(strings.TrimSpace(p.Locator)) + "/" + strings.ToUpper(strings.TrimSpace(p.LocatorCarrier))
}

// LinkPNRs ties the PNRs of one push message to the manifest it was screened as: each gets
// its ManifestID and its id, and each traveller the SubjectID of its position in the
// manifest, whose travellers are every PNR's travellers in PNR order.
func LinkPNRs(manifestID string, pnrs []PNR) {
	pos := 0
	for i := range pnrs {
		p := &pnrs[i]
		p.ManifestID, p.ID = manifestID, PNRID(manifestID, i)
		for j := range p.Travellers {
			p.Travellers[j].SubjectID = SubjectID(manifestID, pos)
			pos++
		}
	}
}
