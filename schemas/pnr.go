package schemas

import (
	"github.com/watchpost/watchpost/pipeline/event"
)

// This file maps PNR records (avro/pnr.vN.avsc) onto event.PNR: one passenger name record of
// a PNRGOV push, kept whole for targeting rules. Every field below the record's ids is
// optional; an empty string, a zero date or time, a false boolean and an empty list are
// what the carrier did not send.

const namePNROriginator = "watchpost.v1.PNROriginator"

// EncodePNR encodes a PNR. The id, manifest id, locator, locator carrier, carrier and
// country are required; dates must be valid and timestamps within years 1-9999.
func (s *Serde) EncodePNR(p *event.PNR) ([]byte, error) {
	return encodeValue(s, kindPNR, p, validatePNR, pnrNative)
}

// DecodePNR decodes a PNR written with any known version. Errors are poison and name the
// field, never its value.
func (s *Serde) DecodePNR(b []byte) (*event.PNR, error) {
	return decodeValue(s, kindPNR, b, readPNR, validatePNR)
}

// --- validation ---

func validatePNR(p *event.PNR) error {
	var v validator
	v.required(root, "id", p.ID)
	v.required(root, "manifest_id", p.ManifestID)
	v.required(root, "locator", p.Locator)
	v.required(root, "locator_carrier", p.LocatorCarrier)
	v.required(root, "carrier", p.Carrier)
	v.required(root, "country", p.Country)
	validatePNRFlight(&v, root.at("flight"), &p.Flight)
	v.time(root, "created", p.Created)
	for i := range p.Locators {
		v.time(root.elem("locators", i), "created", p.Locators[i].Created)
	}
	validateStamps(&v, root, "dates", p.Dates)
	validateOtherDocs(&v, root, p.OtherDocuments)
	for i := range p.Travellers {
		t := &p.Travellers[i]
		l := root.elem("travellers", i)
		for j := range t.Documents {
			d := l.elem("documents", j)
			v.date(d, "birth_date", t.Documents[j].BirthDate)
			v.date(d, "expiry", t.Documents[j].Expiry)
		}
		validateOtherDocs(&v, l, t.OtherDocuments)
		validateTickets(&v, l, t.Tickets)
	}
	validateTickets(&v, root, p.Tickets)
	for i := range p.Itinerary {
		it := &p.Itinerary[i]
		l := root.elem("itinerary", i)
		validatePNRFlight(&v, l.at("flight"), &it.Flight)
		validateStamps(&v, l, "dates", it.Dates)
	}
	v.time(root, "received_at", p.ReceivedAt)
	return v.result()
}

func validatePNRFlight(v *validator, l *loc, f *event.PNRFlight) {
	v.time(l, "departure_at", f.DepartureAt)
	v.time(l, "arrival_at", f.ArrivalAt)
}

func validateStamps(v *validator, l *loc, field string, ss []event.PNRStamp) {
	for i := range ss {
		v.time(l.elem(field, i), "at", ss[i].At)
	}
}

func validateOtherDocs(v *validator, l *loc, ds []event.PNROtherDoc) {
	for i := range ds {
		v.date(l.elem("other_documents", i), "issued", ds[i].Issued)
	}
}

func validateTickets(v *validator, l *loc, ts []event.PNRTicket) {
	for i := range ts {
		validateStamps(v, l.elem("tickets", i), "dates", ts[i].Dates)
	}
}

// --- encoding ---

// each maps every element of xs with f; an empty or nil list encodes as [].
func each[T any](xs []T, f func(*T) map[string]any) []any {
	out := make([]any, len(xs))
	for i := range xs {
		out[i] = f(&xs[i])
	}
	return out
}

func pnrNative(p *event.PNR) map[string]any {
	var creator any
	if p.Creator != nil {
		creator = map[string]any{namePNROriginator: originatorNative(p.Creator)}
	}
	return map[string]any{
		"id":              p.ID,
		"manifest_id":     p.ManifestID,
		"locator":         p.Locator,
		"locator_carrier": p.LocatorCarrier,
		"carrier":         p.Carrier,
		"country":         p.Country,
		"interchange":     optString(p.Interchange),
		"message_ref":     optString(p.MessageRef),
		"flight":          pnrFlightNative(&p.Flight),
		"created":         optTime(p.Created),
		"locators":        each(p.Locators, locatorNative),
		"dates":           each(p.Dates, stampNative),
		"creator":         creator,
		"addresses":       each(p.Addresses, addressNative),
		"contacts":        each(p.Contacts, infoNative),
		"requests":        each(p.Requests, requestNative),
		"other_documents": each(p.OtherDocuments, otherDocNative),
		"doc_addresses":   each(p.DocAddresses, docAddressNative),
		"excess_baggage":  strs(p.ExcessBaggage),
		"travellers":      each(p.Travellers, pnrTravellerNative),
		"tickets":         each(p.Tickets, ticketNative),
		"payments":        each(p.Payments, paymentNative),
		"itinerary":       each(p.Itinerary, itemNative),
		"history":         strs(p.History),
		"received_at":     optTime(p.ReceivedAt),
	}
}

func pnrFlightNative(f *event.PNRFlight) map[string]any {
	return map[string]any{
		"carrier":           optString(f.Carrier),
		"operating_carrier": optString(f.OperatingCarrier),
		"number":            optString(f.Number),
		"flight":            optString(f.Flight),
		"class":             optString(f.Class),
		"departure":         optString(f.Departure),
		"arrival":           optString(f.Arrival),
		"departure_at":      optTime(f.DepartureAt),
		"arrival_at":        optTime(f.ArrivalAt),
	}
}

func locatorNative(l *event.PNRLocator) map[string]any {
	return map[string]any{
		"carrier": optString(l.Carrier),
		"locator": optString(l.Locator),
		"type":    optString(l.Type),
		"created": optTime(l.Created),
	}
}

func stampNative(s *event.PNRStamp) map[string]any {
	return map[string]any{"qualifier": optString(s.Qualifier), "at": optTime(s.At)}
}

func originatorNative(o *event.PNROriginator) map[string]any {
	return map[string]any{
		"airline":  optString(o.Airline),
		"location": optString(o.Location),
		"agency":   optString(o.Agency),
		"office":   optString(o.Office),
		"city":     optString(o.City),
		"type":     optString(o.Type),
		"country":  optString(o.Country),
		"currency": optString(o.Currency),
		"language": optString(o.Language),
		"agent":    optString(o.Agent),
	}
}

func addressNative(a *event.PNRAddress) map[string]any {
	return map[string]any{
		"purpose":  optString(a.Purpose),
		"street":   optString(a.Street),
		"city":     optString(a.City),
		"region":   optString(a.Region),
		"country":  optString(a.Country),
		"postcode": optString(a.Postcode),
		"phone":    optString(a.Phone),
	}
}

func infoNative(i *event.PNRInfo) map[string]any {
	return map[string]any{
		"qualifier": optString(i.Qualifier),
		"type":      optString(i.Type),
		"carrier":   optString(i.Carrier),
		"text":      optString(i.Text),
	}
}

func requestNative(r *event.PNRRequest) map[string]any {
	return map[string]any{
		"code":     optString(r.Code),
		"status":   optString(r.Status),
		"quantity": optString(r.Quantity),
		"carrier":  optString(r.Carrier),
		"board":    optString(r.Board),
		"off":      optString(r.Off),
		"text":     optString(r.Text),
		"seats": each(r.Seats, func(s *event.PNRSeat) map[string]any {
			return map[string]any{"seat": optString(s.Seat), "properties": optString(s.Properties), "traveller_ref": optString(s.TravellerRef)}
		}),
	}
}

func otherDocNative(d *event.PNROtherDoc) map[string]any {
	return map[string]any{
		"birth_place": optString(d.BirthPlace),
		"type":        optString(d.Type),
		"number":      optString(d.Number),
		"issue_place": optString(d.IssuePlace),
		"issued":      optDate(d.Issued),
		"country":     optString(d.Country),
		"infant":      d.Infant,
	}
}

func docAddressNative(d *event.PNRDocAddress) map[string]any {
	return map[string]any{
		"type":     optString(d.Type),
		"country":  optString(d.Country),
		"street":   optString(d.Street),
		"city":     optString(d.City),
		"region":   optString(d.Region),
		"postcode": optString(d.Postcode),
		"infant":   d.Infant,
	}
}

func pnrTravellerNative(t *event.PNRTraveller) map[string]any {
	return map[string]any{
		"subject_id":     optString(t.SubjectID),
		"surname":        optString(t.Surname),
		"given_names":    optString(t.GivenNames),
		"title":          optString(t.Title),
		"type":           optString(t.Type),
		"ref":            optString(t.Ref),
		"infant":         t.Infant,
		"accompanied_by": optString(t.AccompaniedBy),
		"source":         optString(t.Source),
		"documents": each(t.Documents, func(d *event.PNRDocument) map[string]any {
			return map[string]any{
				"type":        optString(d.Type),
				"issuer":      optString(d.Issuer),
				"number":      optString(d.Number),
				"nationality": optString(d.Nationality),
				"birth_date":  optDate(d.BirthDate),
				"sex":         optString(d.Sex),
				"expiry":      optDate(d.Expiry),
				"surname":     optString(d.Surname),
				"given_names": optString(d.GivenNames),
				"holder":      d.Holder,
			}
		}),
		"other_documents": each(t.OtherDocuments, otherDocNative),
		"doc_addresses":   each(t.DocAddresses, docAddressNative),
		"frequent_flyer": each(t.FrequentFlyer, func(f *event.PNRFrequentFlyer) map[string]any {
			return map[string]any{"carrier": optString(f.Carrier), "number": optString(f.Number), "tier": optString(f.Tier)}
		}),
		"contacts":       each(t.Contacts, infoNative),
		"addresses":      each(t.Addresses, addressNative),
		"references":     strs(t.References),
		"fares":          strs(t.Fares),
		"requests":       each(t.Requests, requestNative),
		"excess_baggage": strs(t.ExcessBaggage),
		"tickets":        each(t.Tickets, ticketNative),
	}
}

func amountNative(a *event.PNRAmount) map[string]any {
	return map[string]any{"qualifier": optString(a.Qualifier), "amount": optString(a.Amount), "currency": optString(a.Currency)}
}

func paymentNative(p *event.PNRPayment) map[string]any {
	return map[string]any{
		"type":    optString(p.Type),
		"amount":  optString(p.Amount),
		"vendor":  optString(p.Vendor),
		"account": optString(p.Account),
		"expiry":  optString(p.Expiry),
	}
}

func ticketNative(t *event.PNRTicket) map[string]any {
	return map[string]any{
		"number":   optString(t.Number),
		"type":     optString(t.Type),
		"booklets": optString(t.Booklets),
		"amounts":  each(t.Amounts, amountNative),
		"taxes":    each(t.Taxes, amountNative),
		"pricing":  strs(t.Pricing),
		"dates":    each(t.Dates, stampNative),
		"payments": each(t.Payments, paymentNative),
	}
}

func bagNative(b *event.PNRBag) map[string]any {
	return map[string]any{
		"pieces": optString(b.Pieces),
		"weight": optString(b.Weight),
		"unit":   optString(b.Unit),
		"tags": each(b.Tags, func(t *event.PNRBagTag) map[string]any {
			return map[string]any{
				"carrier":     optString(t.Carrier),
				"number":      optString(t.Number),
				"count":       optString(t.Count),
				"destination": optString(t.Destination),
			}
		}),
		"text": optString(b.Text),
	}
}

func itemNative(it *event.PNRItem) map[string]any {
	return map[string]any{
		"flight":     pnrFlightNative(&it.Flight),
		"status":     optString(it.Status),
		"party_size": optString(it.PartySize),
		"aircraft":   optString(it.Aircraft),
		"requests":   each(it.Requests, requestNative),
		"dates":      each(it.Dates, stampNative),
		"info":       each(it.Info, infoNative),
		"check_ins": each(it.CheckIns, func(c *event.PNRCheckIn) map[string]any {
			return map[string]any{
				"sequence":      optString(c.Sequence),
				"traveller_ref": optString(c.TravellerRef),
				"surname":       optString(c.Surname),
				"given_names":   optString(c.GivenNames),
				"seat":          optString(c.Seat),
				"bags":          each(c.Bags, bagNative),
			}
		}),
		"bags": each(it.Bags, bagNative),
	}
}

// --- decoding ---

// list reads the array field name of o, each item with f; an absent or empty array is nil.
func list[T any](r *reader, o obj, name string, f func(*reader, obj) T) []T {
	a := r.array(o, name)
	if len(a) == 0 {
		return nil
	}
	out := make([]T, len(a))
	for i, v := range a {
		out[i] = f(r, r.asObj(v, o.l.elem(name, i)))
	}
	return out
}

// opt reads an optional string field.
func opt(r *reader, o obj, name string) string { return r.str(o, name, false) }

func readPNR(r *reader, o obj) *event.PNR {
	p := &event.PNR{
		ID:             r.str(o, "id", true),
		ManifestID:     r.str(o, "manifest_id", true),
		Locator:        r.str(o, "locator", true),
		LocatorCarrier: r.str(o, "locator_carrier", true),
		Carrier:        r.str(o, "carrier", true),
		Country:        r.str(o, "country", true),
		Interchange:    opt(r, o, "interchange"),
		MessageRef:     opt(r, o, "message_ref"),
		Flight:         readPNRFlight(r, r.record(o, "flight")),
		Created:        r.time(o, "created"),
		Locators:       list(r, o, "locators", readLocator),
		Dates:          list(r, o, "dates", readStamp),
		Addresses:      list(r, o, "addresses", readAddress),
		Contacts:       list(r, o, "contacts", readInfo),
		Requests:       list(r, o, "requests", readRequest),
		OtherDocuments: list(r, o, "other_documents", readOtherDoc),
		DocAddresses:   list(r, o, "doc_addresses", readDocAddress),
		ExcessBaggage:  r.strings(o, "excess_baggage"),
		Travellers:     list(r, o, "travellers", readPNRTraveller),
		Tickets:        list(r, o, "tickets", readTicket),
		Payments:       list(r, o, "payments", readPayment),
		Itinerary:      list(r, o, "itinerary", readItem),
		History:        r.strings(o, "history"),
		ReceivedAt:     r.time(o, "received_at"),
	}
	if v, ok := r.get(o, "creator", false); ok {
		c := readOriginator(r, r.asObj(v, o.l.at("creator")))
		p.Creator = &c
	}
	return p
}

func readPNRFlight(r *reader, o obj) event.PNRFlight {
	return event.PNRFlight{
		Carrier:          opt(r, o, "carrier"),
		OperatingCarrier: opt(r, o, "operating_carrier"),
		Number:           opt(r, o, "number"),
		Flight:           opt(r, o, "flight"),
		Class:            opt(r, o, "class"),
		Departure:        opt(r, o, "departure"),
		Arrival:          opt(r, o, "arrival"),
		DepartureAt:      r.time(o, "departure_at"),
		ArrivalAt:        r.time(o, "arrival_at"),
	}
}

func readLocator(r *reader, o obj) event.PNRLocator {
	return event.PNRLocator{Carrier: opt(r, o, "carrier"), Locator: opt(r, o, "locator"), Type: opt(r, o, "type"), Created: r.time(o, "created")}
}

func readStamp(r *reader, o obj) event.PNRStamp {
	return event.PNRStamp{Qualifier: opt(r, o, "qualifier"), At: r.time(o, "at")}
}

func readOriginator(r *reader, o obj) event.PNROriginator {
	return event.PNROriginator{
		Airline:  opt(r, o, "airline"),
		Location: opt(r, o, "location"),
		Agency:   opt(r, o, "agency"),
		Office:   opt(r, o, "office"),
		City:     opt(r, o, "city"),
		Type:     opt(r, o, "type"),
		Country:  opt(r, o, "country"),
		Currency: opt(r, o, "currency"),
		Language: opt(r, o, "language"),
		Agent:    opt(r, o, "agent"),
	}
}

func readAddress(r *reader, o obj) event.PNRAddress {
	return event.PNRAddress{
		Purpose:  opt(r, o, "purpose"),
		Street:   opt(r, o, "street"),
		City:     opt(r, o, "city"),
		Region:   opt(r, o, "region"),
		Country:  opt(r, o, "country"),
		Postcode: opt(r, o, "postcode"),
		Phone:    opt(r, o, "phone"),
	}
}

func readInfo(r *reader, o obj) event.PNRInfo {
	return event.PNRInfo{Qualifier: opt(r, o, "qualifier"), Type: opt(r, o, "type"), Carrier: opt(r, o, "carrier"), Text: opt(r, o, "text")}
}

func readRequest(r *reader, o obj) event.PNRRequest {
	return event.PNRRequest{
		Code:     opt(r, o, "code"),
		Status:   opt(r, o, "status"),
		Quantity: opt(r, o, "quantity"),
		Carrier:  opt(r, o, "carrier"),
		Board:    opt(r, o, "board"),
		Off:      opt(r, o, "off"),
		Text:     opt(r, o, "text"),
		Seats: list(r, o, "seats", func(r *reader, o obj) event.PNRSeat {
			return event.PNRSeat{Seat: opt(r, o, "seat"), Properties: opt(r, o, "properties"), TravellerRef: opt(r, o, "traveller_ref")}
		}),
	}
}

func readOtherDoc(r *reader, o obj) event.PNROtherDoc {
	return event.PNROtherDoc{
		BirthPlace: opt(r, o, "birth_place"),
		Type:       opt(r, o, "type"),
		Number:     opt(r, o, "number"),
		IssuePlace: opt(r, o, "issue_place"),
		Issued:     r.date(o, "issued"),
		Country:    opt(r, o, "country"),
		Infant:     r.boolean(o, "infant"),
	}
}

func readDocAddress(r *reader, o obj) event.PNRDocAddress {
	return event.PNRDocAddress{
		Type:     opt(r, o, "type"),
		Country:  opt(r, o, "country"),
		Street:   opt(r, o, "street"),
		City:     opt(r, o, "city"),
		Region:   opt(r, o, "region"),
		Postcode: opt(r, o, "postcode"),
		Infant:   r.boolean(o, "infant"),
	}
}

func readPNRTraveller(r *reader, o obj) event.PNRTraveller {
	return event.PNRTraveller{
		SubjectID:     opt(r, o, "subject_id"),
		Surname:       opt(r, o, "surname"),
		GivenNames:    opt(r, o, "given_names"),
		Title:         opt(r, o, "title"),
		Type:          opt(r, o, "type"),
		Ref:           opt(r, o, "ref"),
		Infant:        r.boolean(o, "infant"),
		AccompaniedBy: opt(r, o, "accompanied_by"),
		Source:        opt(r, o, "source"),
		Documents: list(r, o, "documents", func(r *reader, o obj) event.PNRDocument {
			return event.PNRDocument{
				Type:        opt(r, o, "type"),
				Issuer:      opt(r, o, "issuer"),
				Number:      opt(r, o, "number"),
				Nationality: opt(r, o, "nationality"),
				BirthDate:   r.date(o, "birth_date"),
				Sex:         opt(r, o, "sex"),
				Expiry:      r.date(o, "expiry"),
				Surname:     opt(r, o, "surname"),
				GivenNames:  opt(r, o, "given_names"),
				Holder:      r.boolean(o, "holder"),
			}
		}),
		OtherDocuments: list(r, o, "other_documents", readOtherDoc),
		DocAddresses:   list(r, o, "doc_addresses", readDocAddress),
		FrequentFlyer: list(r, o, "frequent_flyer", func(r *reader, o obj) event.PNRFrequentFlyer {
			return event.PNRFrequentFlyer{Carrier: opt(r, o, "carrier"), Number: opt(r, o, "number"), Tier: opt(r, o, "tier")}
		}),
		Contacts:      list(r, o, "contacts", readInfo),
		Addresses:     list(r, o, "addresses", readAddress),
		References:    r.strings(o, "references"),
		Fares:         r.strings(o, "fares"),
		Requests:      list(r, o, "requests", readRequest),
		ExcessBaggage: r.strings(o, "excess_baggage"),
		Tickets:       list(r, o, "tickets", readTicket),
	}
}

func readAmount(r *reader, o obj) event.PNRAmount {
	return event.PNRAmount{Qualifier: opt(r, o, "qualifier"), Amount: opt(r, o, "amount"), Currency: opt(r, o, "currency")}
}

func readPayment(r *reader, o obj) event.PNRPayment {
	return event.PNRPayment{
		Type:    opt(r, o, "type"),
		Amount:  opt(r, o, "amount"),
		Vendor:  opt(r, o, "vendor"),
		Account: opt(r, o, "account"),
		Expiry:  opt(r, o, "expiry"),
	}
}

func readTicket(r *reader, o obj) event.PNRTicket {
	return event.PNRTicket{
		Number:   opt(r, o, "number"),
		Type:     opt(r, o, "type"),
		Booklets: opt(r, o, "booklets"),
		Amounts:  list(r, o, "amounts", readAmount),
		Taxes:    list(r, o, "taxes", readAmount),
		Pricing:  r.strings(o, "pricing"),
		Dates:    list(r, o, "dates", readStamp),
		Payments: list(r, o, "payments", readPayment),
	}
}

func readBag(r *reader, o obj) event.PNRBag {
	return event.PNRBag{
		Pieces: opt(r, o, "pieces"),
		Weight: opt(r, o, "weight"),
		Unit:   opt(r, o, "unit"),
		Tags: list(r, o, "tags", func(r *reader, o obj) event.PNRBagTag {
			return event.PNRBagTag{Carrier: opt(r, o, "carrier"), Number: opt(r, o, "number"), Count: opt(r, o, "count"), Destination: opt(r, o, "destination")}
		}),
		Text: opt(r, o, "text"),
	}
}

func readItem(r *reader, o obj) event.PNRItem {
	return event.PNRItem{
		Flight:    readPNRFlight(r, r.record(o, "flight")),
		Status:    opt(r, o, "status"),
		PartySize: opt(r, o, "party_size"),
		Aircraft:  opt(r, o, "aircraft"),
		Requests:  list(r, o, "requests", readRequest),
		Dates:     list(r, o, "dates", readStamp),
		Info:      list(r, o, "info", readInfo),
		CheckIns: list(r, o, "check_ins", func(r *reader, o obj) event.PNRCheckIn {
			return event.PNRCheckIn{
				Sequence:     opt(r, o, "sequence"),
				TravellerRef: opt(r, o, "traveller_ref"),
				Surname:      opt(r, o, "surname"),
				GivenNames:   opt(r, o, "given_names"),
				Seat:         opt(r, o, "seat"),
				Bags:         list(r, o, "bags", readBag),
			}
		}),
		Bags: list(r, o, "bags", readBag),
	}
}
