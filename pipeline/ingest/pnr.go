package ingest

import (
	"slices"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/pnrgov"
)

// PNRs maps the PNRs of a PNRGOV message to the records kept for targeting rules, in message
// order, linked to man (the message's manifest): its id, carrier, country and reception time,
// and each traveller to its subject. What only locates the input (segment and line numbers)
// is left out; everything the carrier sent is kept. A PNR whose RCI names no carrier gets the
// pushing carrier as LocatorCarrier. Empty lists are nil. The result shares nothing with m.
func PNRs(m *pnrgov.Message, man *event.Manifest) []event.PNR {
	if len(m.PNRs) == 0 {
		return nil
	}
	out := make([]event.PNR, len(m.PNRs))
	for i := range m.PNRs {
		p := &m.PNRs[i]
		lc := p.Carrier
		if lc == "" {
			lc = man.Carrier
		}
		out[i] = event.PNR{
			Locator:        p.Locator,
			LocatorCarrier: lc,
			Carrier:        man.Carrier,
			Country:        man.Country,
			Interchange:    m.Interchange,
			MessageRef:     m.Ref,
			Flight:         flightOf(&m.Flight),
			Created:        p.Created,
			Locators: each(p.Locators, func(l *pnrgov.Locator) event.PNRLocator {
				return event.PNRLocator{Carrier: l.Carrier, Locator: l.Locator, Type: l.Type, Created: l.Created}
			}),
			Dates:          each(p.Dates, stampOf),
			Addresses:      each(p.Addresses, addressOf),
			Contacts:       each(p.Contacts, infoOf),
			Requests:       each(p.Requests, requestOf),
			OtherDocuments: each(p.OtherDocuments, otherDocOf),
			DocAddresses:   each(p.DocAddresses, docAddressOf),
			ExcessBaggage:  texts(p.ExcessBaggage),
			Travellers:     each(p.Travellers, travellerOf),
			Tickets:        each(p.Tickets, ticketOf),
			Payments:       each(p.Payments, paymentOf),
			Itinerary:      each(p.Itinerary, itemOf),
			History:        texts(p.History),
			ReceivedAt:     man.ReceivedAt,
		}
		if c := p.Creator; c != nil {
			out[i].Creator = &event.PNROriginator{
				Airline: c.Airline, Location: c.Location, Agency: c.Agency, Office: c.Office, City: c.City,
				Type: c.Type, Country: c.Country, Currency: c.Currency, Language: c.Language, Agent: c.Agent,
			}
		}
	}
	event.LinkPNRs(man.ID, out)
	return out
}

// each maps xs with f; an empty list is nil.
func each[T, U any](xs []T, f func(*T) U) []U {
	if len(xs) == 0 {
		return nil
	}
	out := make([]U, len(xs))
	for i := range xs {
		out[i] = f(&xs[i])
	}
	return out
}

// texts copies ss; an empty list is nil.
func texts(ss []string) []string {
	if len(ss) == 0 {
		return nil
	}
	return slices.Clone(ss)
}

func flightOf(f *pnrgov.Flight) event.PNRFlight {
	return event.PNRFlight{
		Carrier: f.Carrier, OperatingCarrier: f.OperatingCarrier, Number: f.Number, Flight: f.Flight, Class: f.Class,
		Departure: f.Departure, Arrival: f.Arrival, DepartureAt: f.DepartureAt, ArrivalAt: f.ArrivalAt,
	}
}

func stampOf(s *pnrgov.Stamp) event.PNRStamp { return event.PNRStamp{Qualifier: s.Qualifier, At: s.At} }

func addressOf(a *pnrgov.Address) event.PNRAddress {
	return event.PNRAddress{Purpose: a.Purpose, Street: a.Street, City: a.City, Region: a.Region, Country: a.Country, Postcode: a.Postcode, Phone: a.Phone}
}

func infoOf(i *pnrgov.Info) event.PNRInfo {
	return event.PNRInfo{Qualifier: i.Qualifier, Type: i.Type, Carrier: i.Carrier, Text: i.Text}
}

func requestOf(r *pnrgov.SSR) event.PNRRequest {
	return event.PNRRequest{
		Code: r.Code, Status: r.Status, Quantity: r.Quantity, Carrier: r.Carrier, Board: r.Board, Off: r.Off, Text: r.Text,
		Seats: each(r.Seats, func(s *pnrgov.Seat) event.PNRSeat {
			return event.PNRSeat{Seat: s.Seat, Properties: s.Properties, TravellerRef: s.TravellerRef}
		}),
	}
}

func otherDocOf(d *pnrgov.OtherDocument) event.PNROtherDoc {
	return event.PNROtherDoc{
		BirthPlace: d.BirthPlace, Type: d.Type, Number: d.Number, IssuePlace: d.IssuePlace, Issued: d.Issued,
		Country: d.Country, Infant: d.Infant,
	}
}

func docAddressOf(d *pnrgov.DocAddress) event.PNRDocAddress {
	return event.PNRDocAddress{
		Type: d.Type, Country: d.Country, Street: d.Street, City: d.City, Region: d.Region, Postcode: d.Postcode, Infant: d.Infant,
	}
}

func travellerOf(t *pnrgov.Traveller) event.PNRTraveller {
	return event.PNRTraveller{
		Surname: t.Surname, GivenNames: t.GivenNames, Title: t.Title, Type: t.Type, Ref: t.Ref, Infant: t.Infant,
		AccompaniedBy: t.AccompaniedBy, Source: t.Source,
		Documents: each(t.Documents, func(d *pnrgov.Document) event.PNRDocument {
			return event.PNRDocument{
				Type: d.Type, Issuer: d.Issuer, Number: d.Number, Nationality: d.Nationality, BirthDate: d.BirthDate,
				Sex: d.Sex, Expiry: d.Expiry, Surname: d.Surname, GivenNames: d.GivenNames, Holder: d.Holder,
			}
		}),
		OtherDocuments: each(t.OtherDocuments, otherDocOf),
		DocAddresses:   each(t.DocAddresses, docAddressOf),
		FrequentFlyer: each(t.FrequentFlyer, func(f *pnrgov.FrequentFlyer) event.PNRFrequentFlyer {
			return event.PNRFrequentFlyer{Carrier: f.Carrier, Number: f.Number, Tier: f.Tier}
		}),
		Contacts:      each(t.Contacts, infoOf),
		Addresses:     each(t.Addresses, addressOf),
		References:    texts(t.References),
		Fares:         texts(t.Fares),
		Requests:      each(t.Requests, requestOf),
		ExcessBaggage: texts(t.ExcessBaggage),
		Tickets:       each(t.Tickets, ticketOf),
	}
}

func amountOf(a *pnrgov.Amount) event.PNRAmount {
	return event.PNRAmount{Qualifier: a.Qualifier, Amount: a.Amount, Currency: a.Currency}
}

func paymentOf(p *pnrgov.Payment) event.PNRPayment {
	return event.PNRPayment{Type: p.Type, Amount: p.Amount, Vendor: p.Vendor, Account: p.Account, Expiry: p.Expiry}
}

func ticketOf(t *pnrgov.Ticket) event.PNRTicket {
	return event.PNRTicket{
		Number: t.Number, Type: t.Type, Booklets: t.Booklets,
		Amounts: each(t.Amounts, amountOf), Taxes: each(t.Taxes, amountOf), Pricing: texts(t.Pricing),
		Dates: each(t.Dates, stampOf), Payments: each(t.Payments, paymentOf),
	}
}

func bagOf(b *pnrgov.Bag) event.PNRBag {
	return event.PNRBag{
		Pieces: b.Pieces, Weight: b.Weight, Unit: b.Unit, Text: b.Text,
		Tags: each(b.Tags, func(t *pnrgov.BagTag) event.PNRBagTag {
			return event.PNRBagTag{Carrier: t.Carrier, Number: t.Number, Count: t.Count, Destination: t.Destination}
		}),
	}
}

func itemOf(it *pnrgov.Item) event.PNRItem {
	return event.PNRItem{
		Flight: flightOf(&it.Flight), Status: it.Status, PartySize: it.PartySize, Aircraft: it.Aircraft,
		Requests: each(it.Requests, requestOf), Dates: each(it.Dates, stampOf), Info: each(it.Info, infoOf),
		CheckIns: each(it.CheckIns, func(c *pnrgov.CheckIn) event.PNRCheckIn {
			return event.PNRCheckIn{
				Sequence: c.Sequence, TravellerRef: c.TravellerRef, Surname: c.Surname, GivenNames: c.GivenNames,
				Seat: c.Seat, Bags: each(c.Bags, bagOf),
			}
		}),
		Bags: each(it.Bags, bagOf),
	}
}
