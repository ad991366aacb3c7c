package paxlst

import (
	"github.com/watchpost/watchpost/pipeline/event"
)

// ID is the manifest id of the message: the interchange control reference and the message
// reference, "IC123:1" (the message reference alone when the interchange had no UNB). Control
// references are unique per sender only; a gateway that mixes senders prefixes its own.
func (m *Message) ID() string {
	if m.Interchange == "" {
		return m.Ref
	}
	return m.Interchange + ":" + m.Ref
}

// Manifest maps the message to the manifest that is screened: the carrier and flight of the
// first leg, every leg, and every traveller with the role of its party (NAD+FL and DDT
// passengers, NAD+FM, DDU and COT crew). Country and ReceivedAt are left for the gateway to set.
func (m *Message) Manifest() event.Manifest {
	out := event.Manifest{ID: m.ID(), Legs: make([]event.Leg, 0, len(m.Legs)), Travellers: make([]event.Traveller, len(m.Travellers))}
	if len(m.Legs) > 0 {
		out.Carrier, out.Flight = m.Legs[0].Carrier, m.Legs[0].Flight
	}
	for _, l := range m.Legs {
		out.Legs = append(out.Legs, event.Leg{Departure: l.Departure, Arrival: l.Arrival, DepartureAt: l.DepartureAt, ArrivalAt: l.ArrivalAt})
	}
	for i := range m.Travellers {
		out.Travellers[i] = m.Travellers[i].Event()
	}
	return out
}

// Event maps the traveller to the screened identity. Sex is M, F or U (X and absent become U).
func (t *Traveller) Event() event.Traveller {
	p := event.Person{
		Surname: t.Surname, GivenNames: t.GivenNames, BirthDate: t.BirthDate,
		Sex: "U", Nationality: t.Nationality, Documents: make([]event.Document, len(t.Documents)),
	}
	if t.Sex == "M" || t.Sex == "F" {
		p.Sex = t.Sex
	}
	for i, d := range t.Documents {
		p.Documents[i] = event.Document{Type: d.Type, Number: d.Number, Issuer: d.Issuer, Expiry: d.Expiry}
	}
	return event.Traveller{Role: t.Role, Person: p}
}
