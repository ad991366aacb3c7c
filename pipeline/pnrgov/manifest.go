package pnrgov

import (
	"github.com/watchpost/watchpost/pipeline/event"
)

// ID is the manifest id of the message: the interchange control reference and the message
// reference, "IC123:1" (the message reference alone when the interchange had no UNB).
func (m *Message) ID() string {
	if m.Interchange == "" {
		return m.Ref
	}
	return m.Interchange + ":" + m.Ref
}

// Manifest maps the message to a manifest of the flight pushed (the header TVL) with every
// traveller of every PNR as a passenger, in PNR order. Country and ReceivedAt are left for
// the gateway to set.
func (m *Message) Manifest() event.Manifest {
	out := event.Manifest{ID: m.ID(), Carrier: m.Flight.Carrier, Flight: m.Flight.Flight, Legs: []event.Leg{}, Travellers: m.Travellers()}
	if f := m.Flight; f.Departure != "" || f.Arrival != "" {
		out.Legs = append(out.Legs, event.Leg{Departure: f.Departure, Arrival: f.Arrival, DepartureAt: f.DepartureAt, ArrivalAt: f.ArrivalAt})
	}
	return out
}

// Travellers returns every traveller of every PNR of the message, screened as passengers.
func (m *Message) Travellers() []event.Traveller {
	out := []event.Traveller{}
	for i := range m.PNRs {
		out = append(out, m.PNRs[i].Events()...)
	}
	return out
}

// Events returns the PNR's travellers as screened, all passengers.
func (p *PNR) Events() []event.Traveller {
	out := make([]event.Traveller, len(p.Travellers))
	for i := range p.Travellers {
		out[i] = p.Travellers[i].Event()
	}
	return out
}

// Event maps the traveller to the screened identity. The names are those of the first DOCS
// that has them (as on the document), else those of the TIF; birth date, sex and nationality
// come from the DOCS; the documents are every DOCS and DOCO with a number (a DOCO's issuer is
// the country it is valid for). Sex is M, F or U.
func (t *Traveller) Event() event.Traveller {
	p := event.Person{Surname: t.Surname, GivenNames: t.GivenNames, Sex: "U", Documents: []event.Document{}}
	for _, d := range t.Documents {
		if d.Surname != "" {
			p.Surname, p.GivenNames = d.Surname, d.GivenNames
			break
		}
	}
	for _, d := range t.Documents {
		if p.BirthDate.IsZero() {
			p.BirthDate = d.BirthDate
		}
		if p.Sex == "U" && d.Sex != "" {
			switch d.Sex[0] {
			case 'M':
				p.Sex = "M"
			case 'F':
				p.Sex = "F"
			}
		}
		if p.Nationality == "" {
			p.Nationality = d.Nationality
		}
		if d.Number != "" {
			p.Documents = append(p.Documents, event.Document{Type: d.Type, Number: d.Number, Issuer: d.Issuer, Expiry: d.Expiry})
		}
	}
	for _, o := range t.OtherDocuments {
		if o.Number != "" {
			p.Documents = append(p.Documents, event.Document{Type: o.Type, Number: o.Number, Issuer: o.Country})
		}
	}
	return event.Traveller{Role: event.RolePassenger, Person: p}
}
