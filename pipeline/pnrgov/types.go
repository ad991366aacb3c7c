package pnrgov

import (
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
)

// Result is everything decoded from one interchange.
type Result struct {
	Messages []Message `json:"messages"`
	// Warnings about the interchange as a whole; each message holds its own.
	Warnings []edifact.Warning `json:"warnings"`
}

// Message is one PNRGOV message, its parts reassembled: the PNRs pushed for one flight.
type Message struct {
	Interchange  string            `json:"interchange"` // UNB interchange control reference
	Ref          string            `json:"ref"`         // UNH message reference (of the first part)
	Sender       edifact.Party     `json:"sender"`
	Recipient    edifact.Party     `json:"recipient"`
	Prepared     time.Time         `json:"prepared,omitzero"`
	Version      string            `json:"version"` // PNRGOV version and release: 11.1, 13.1, …
	CommonRef    string            `json:"common_ref,omitempty"`
	Parts        []int             `json:"parts,omitempty"`
	FinalPart    int               `json:"final_part,omitempty"`
	Complete     bool              `json:"complete"`
	Function     string            `json:"function,omitempty"` // MSG 1225: 22 push, 141 ad hoc, …
	Originator   *Originator       `json:"originator,omitempty"`
	Flight       Flight            `json:"flight"`
	DeclaredPNRs *int              `json:"declared_pnrs,omitempty"` // EQN
	PNRs         []PNR             `json:"pnrs"`
	Segment      int               `json:"segment"`
	Line         int               `json:"line"`
	Warnings     []edifact.Warning `json:"warnings"`

	eqn []eqnCount
}

// Flight is a TVL: the flight pushed, or one segment of a PNR's itinerary. Times are local
// wall-clock times kept as UTC.
type Flight struct {
	Carrier          string    `json:"carrier"`
	OperatingCarrier string    `json:"operating_carrier,omitempty"`
	Number           string    `json:"number"`
	Flight           string    `json:"flight"` // carrier and number
	Class            string    `json:"class,omitempty"`
	Departure        string    `json:"departure"`
	Arrival          string    `json:"arrival"`
	DepartureAt      time.Time `json:"departure_at,omitzero"`
	ArrivalAt        time.Time `json:"arrival_at,omitzero"`
	Segment          int       `json:"segment"`
}

// Originator is an ORG: who sent the message or created the booking.
type Originator struct {
	Airline  string `json:"airline,omitempty"`  // C336 company (airline or system)
	Location string `json:"location,omitempty"` // C336 location
	Agency   string `json:"agency,omitempty"`   // C300 travel agency IATA number
	Office   string `json:"office,omitempty"`   // C300 in-house office id
	City     string `json:"city,omitempty"`
	Type     string `json:"type,omitempty"` // originator type code
	Country  string `json:"country,omitempty"`
	Currency string `json:"currency,omitempty"`
	Language string `json:"language,omitempty"`
	Agent    string `json:"agent,omitempty"`
}

// PNR is one passenger name record.
type PNR struct {
	Locator        string          `json:"locator"` // RCI first reservation control number
	Carrier        string          `json:"carrier"` // who owns the locator
	Created        time.Time       `json:"created,omitzero"`
	Locators       []Locator       `json:"locators"`
	Dates          []Stamp         `json:"dates,omitempty"`
	Creator        *Originator     `json:"creator,omitempty"`
	Addresses      []Address       `json:"addresses,omitempty"`
	Contacts       []Info          `json:"contacts,omitempty"`
	Requests       []SSR           `json:"requests,omitempty"`        // PNR-level SSRs other than DOCS, DOCO, DOCA
	OtherDocuments []OtherDocument `json:"other_documents,omitempty"` // DOCO not tied to a traveller
	DocAddresses   []DocAddress    `json:"doc_addresses,omitempty"`   // DOCA not tied to a traveller
	ExcessBaggage  []string        `json:"excess_baggage,omitempty"`
	Travellers     []Traveller     `json:"travellers"`
	Tickets        []Ticket        `json:"tickets,omitempty"` // tickets outside a traveller group
	Payments       []Payment       `json:"payments,omitempty"`
	Itinerary      []Item          `json:"itinerary"`
	History        []string        `json:"history,omitempty"` // LTS lines as text
	Segment        int             `json:"segment"`           // SRC
	Line           int             `json:"line"`
}

// Locator is one RCI reservation control: the airline's or another system's record locator.
type Locator struct {
	Carrier string    `json:"carrier"`
	Locator string    `json:"locator"`
	Type    string    `json:"type,omitempty"`
	Created time.Time `json:"created,omitzero"`
}

// Stamp is a DAT date and time with its qualifier (700 last PNR transaction, 710 ticket
// issue, 2 check-in, …).
type Stamp struct {
	Qualifier string    `json:"qualifier"`
	At        time.Time `json:"at"`
}

// Address is an ADD address.
type Address struct {
	Purpose  string `json:"purpose,omitempty"`
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Country  string `json:"country,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Phone    string `json:"phone,omitempty"`
}

// Info is an IFT: other service information and contacts (CTCR, CTCE, …), as text.
type Info struct {
	Qualifier string `json:"qualifier,omitempty"`
	Type      string `json:"type,omitempty"`
	Carrier   string `json:"carrier,omitempty"`
	Text      string `json:"text"`
}

// SSR is a special service request other than DOCS, DOCO and DOCA.
type SSR struct {
	Code     string `json:"code"`
	Status   string `json:"status,omitempty"`
	Quantity string `json:"quantity,omitempty"`
	Carrier  string `json:"carrier,omitempty"`
	Board    string `json:"board,omitempty"`
	Off      string `json:"off,omitempty"`
	Text     string `json:"text,omitempty"`
	Seats    []Seat `json:"seats,omitempty"`
}

// Seat is a seat of an SSR SEAT or SSD, with the traveller reference it is for.
type Seat struct {
	Seat         string `json:"seat"`
	Properties   string `json:"properties,omitempty"`
	TravellerRef string `json:"traveller_ref,omitempty"`
}

// Traveller is one traveller of a PNR.
type Traveller struct {
	Surname        string          `json:"surname"`          // TIF
	GivenNames     string          `json:"given_names"`      // TIF, title removed
	Title          string          `json:"title,omitempty"`  // MR, MRS, …
	Type           string          `json:"type,omitempty"`   // TIF passenger type: A adult, C child, IN infant, …
	Ref            string          `json:"ref,omitempty"`    // TIF traveller reference
	Infant         bool            `json:"infant,omitempty"` // travels on an adult's lap
	AccompaniedBy  string          `json:"accompanied_by,omitempty"`
	Source         string          `json:"source"` // tif, docs (named only in a DOCS) or checkin (named only at check-in)
	Documents      []Document      `json:"documents"`
	OtherDocuments []OtherDocument `json:"other_documents,omitempty"` // DOCO
	DocAddresses   []DocAddress    `json:"doc_addresses,omitempty"`   // DOCA
	FrequentFlyer  []FrequentFlyer `json:"frequent_flyer,omitempty"`
	Contacts       []Info          `json:"contacts,omitempty"`
	Addresses      []Address       `json:"addresses,omitempty"`
	References     []string        `json:"references,omitempty"`
	Fares          []string        `json:"fares,omitempty"`
	Requests       []SSR           `json:"requests,omitempty"`
	ExcessBaggage  []string        `json:"excess_baggage,omitempty"`
	Tickets        []Ticket        `json:"tickets,omitempty"`
	Segment        int             `json:"segment"`
	Line           int             `json:"line"`
}

// Document is an SSR DOCS: a travel document and the identity it carries.
type Document struct {
	Type        string     `json:"type,omitempty"`
	Issuer      string     `json:"issuer,omitempty"`
	Number      string     `json:"number,omitempty"`
	Nationality string     `json:"nationality,omitempty"`
	BirthDate   event.Date `json:"birth_date"`
	Sex         string     `json:"sex,omitempty"` // M, F, MI, FI, U, X as sent
	Expiry      event.Date `json:"expiry"`
	Surname     string     `json:"surname,omitempty"`
	GivenNames  string     `json:"given_names,omitempty"`
	Holder      bool       `json:"holder,omitempty"` // primary passport holder (H)
	Segment     int        `json:"segment"`
}

// OtherDocument is an SSR DOCO: a visa or other document (known traveller, redress number).
type OtherDocument struct {
	BirthPlace string     `json:"birth_place,omitempty"`
	Type       string     `json:"type,omitempty"` // V visa, K known traveller, R redress
	Number     string     `json:"number,omitempty"`
	IssuePlace string     `json:"issue_place,omitempty"`
	Issued     event.Date `json:"issued"`
	Country    string     `json:"country,omitempty"` // where it is valid
	Infant     bool       `json:"infant,omitempty"`
	Segment    int        `json:"segment"`
}

// DocAddress is an SSR DOCA: an address given for API (D destination, R residence).
type DocAddress struct {
	Type     string `json:"type,omitempty"`
	Country  string `json:"country,omitempty"`
	Street   string `json:"street,omitempty"`
	City     string `json:"city,omitempty"`
	Region   string `json:"region,omitempty"`
	Postcode string `json:"postcode,omitempty"`
	Infant   bool   `json:"infant,omitempty"`
	Segment  int    `json:"segment"`
}

// FrequentFlyer is an FTI frequent traveller entry.
type FrequentFlyer struct {
	Carrier string `json:"carrier"`
	Number  string `json:"number"`
	Tier    string `json:"tier,omitempty"`
}

// Ticket is a TKT with its amounts, taxes, pricing, dates and payments.
type Ticket struct {
	Number   string    `json:"number"`
	Type     string    `json:"type,omitempty"`
	Booklets string    `json:"booklets,omitempty"`
	Amounts  []Amount  `json:"amounts,omitempty"` // MON
	Taxes    []Amount  `json:"taxes,omitempty"`   // TXD
	Pricing  []string  `json:"pricing,omitempty"` // PTK as text
	Dates    []Stamp   `json:"dates,omitempty"`
	Payments []Payment `json:"payments,omitempty"` // FOP
	Segment  int       `json:"segment"`
}

// Amount is a monetary amount; the decimal mark is always '.'.
type Amount struct {
	Qualifier string `json:"qualifier,omitempty"`
	Amount    string `json:"amount"`
	Currency  string `json:"currency,omitempty"`
}

// Payment is a FOP form of payment. Account numbers arrive masked or not, as the carrier sends them.
type Payment struct {
	Type    string `json:"type"` // CC credit card, CA cash, MS miscellaneous, …
	Amount  string `json:"amount,omitempty"`
	Vendor  string `json:"vendor,omitempty"`
	Account string `json:"account,omitempty"`
	Expiry  string `json:"expiry,omitempty"`
}

// Item is one flight of a PNR's itinerary.
type Item struct {
	Flight    Flight    `json:"flight"`
	Status    string    `json:"status,omitempty"`     // RPI
	PartySize string    `json:"party_size,omitempty"` // RPI
	Aircraft  string    `json:"aircraft,omitempty"`   // APD
	Requests  []SSR     `json:"requests,omitempty"`
	Dates     []Stamp   `json:"dates,omitempty"`
	Info      []Info    `json:"info,omitempty"`
	CheckIns  []CheckIn `json:"check_ins,omitempty"`
	Bags      []Bag     `json:"bags,omitempty"` // TBD outside a check-in group
}

// CheckIn is a TRI group: one traveller's check-in on the flight, with seat and bags.
type CheckIn struct {
	Sequence     string `json:"sequence,omitempty"`
	TravellerRef string `json:"traveller_ref,omitempty"`
	Surname      string `json:"surname,omitempty"`
	GivenNames   string `json:"given_names,omitempty"`
	Seat         string `json:"seat,omitempty"`
	Bags         []Bag  `json:"bags,omitempty"`
	Segment      int    `json:"segment"` // TRI
	Line         int    `json:"line"`
	TIFSegment   int    `json:"tif_segment,omitempty"` // the TIF naming the traveller
}

// Bag is a TBD baggage entry; Text keeps the whole segment.
type Bag struct {
	Pieces string   `json:"pieces,omitempty"`
	Weight string   `json:"weight,omitempty"`
	Unit   string   `json:"unit,omitempty"`
	Tags   []BagTag `json:"tags,omitempty"`
	Text   string   `json:"text"`
}

// BagTag is one bag tag (or a run of consecutive tags).
type BagTag struct {
	Carrier     string `json:"carrier,omitempty"`
	Number      string `json:"number"`
	Count       string `json:"count,omitempty"`
	Destination string `json:"destination,omitempty"`
}
