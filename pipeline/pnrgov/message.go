package pnrgov

import (
	"strconv"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
)

type decoder struct {
	ic   *edifact.Interchange
	sep  edifact.Separators
	ref  time.Time
	errs edifact.ErrorList
}

type msgState struct {
	d       *decoder
	m       *Message
	ref     time.Time
	pnr     *pnrState
	ignored map[string]*ignoredTag
	order   []string
}

type ignoredTag struct {
	n   int
	seg *edifact.Segment
	why string
}

func (st *msgState) fail(e *edifact.SyntaxError) { st.d.errs = append(st.d.errs, e) }

func (st *msgState) warn(w edifact.Warning) { st.m.Warnings = append(st.m.Warnings, w) }

func (st *msgState) ignore(s *edifact.Segment, why string) {
	k := s.Tag + "\x00" + why
	if it, ok := st.ignored[k]; ok {
		it.n++
		return
	}
	st.ignored[k] = &ignoredTag{n: 1, seg: s, why: why}
	st.order = append(st.order, k)
}

// pnrState is an open PNR group. Indexes point into its slices; -1 is none.
type pnrState struct {
	p       *PNR
	trav    int // open traveller group
	tkt     int // open ticket of the open traveller, or of the PNR when trav < 0
	item    int // open itinerary group
	check   int // open check-in group of the open item
	pending []pendingSSR
}

// pendingSSR is a DOCS, DOCO or DOCA to tie to a traveller when the PNR closes.
type pendingSSR struct {
	adult int // the traveller group it came in; -1 at PNR level
	docs  *Document
	doco  *OtherDocument
	doca  *DocAddress
	assoc int // association number (-1 in "-1.1"), 0 when none
	seg   *edifact.Segment
}

func (d *decoder) message(em *edifact.Message) *Message {
	m := &Message{
		Interchange: d.ic.ControlRef, Ref: em.Ref, Sender: d.ic.Sender, Recipient: d.ic.Recipient,
		Prepared: d.ic.Prepared, Version: em.Version + "." + em.Release, CommonRef: em.CommonAccessRef,
		Segment: em.Header.Index, Line: em.Header.Line, PNRs: []PNR{},
	}
	if em.Release == "" {
		m.Version = em.Version
	}
	errs := len(d.errs)
	st := &msgState{d: d, m: m, ref: d.ref, ignored: map[string]*ignoredTag{}}
	h := &em.Header
	if em.Type != "PNRGOV" {
		st.fail(h.Errorf("2.1", "the message type is not PNRGOV"))
		return nil
	}
	if v, err := strconv.Atoi(em.Version); err != nil || v < 10 || v > 15 {
		st.warn(h.Warnf("2.2", "the version is outside PNRGOV 10 to 15; decoded with the 15.1 rules"))
	}
	if em.Transfer.Multipart() {
		m.Parts = []int{em.Transfer.Sequence}
		if em.Transfer.Marker == "F" {
			m.FinalPart = em.Transfer.Sequence
		}
	}
	for i := range em.Body {
		s := &em.Body[i]
		if s.FoldRepeats(d.sep.Repetition) {
			st.warn(s.Warnf("", "repetition separator in an element that does not repeat; kept as data"))
		}
		st.segment(s)
		if len(d.errs) >= edifact.MaxErrors {
			return nil
		}
	}
	st.closePNR()
	if m.Flight.Segment == 0 {
		st.warn(h.Warnf("", "the message names no flight (no TVL before the first PNR)"))
	}
	for _, k := range st.order {
		it := st.ignored[k]
		msg := it.why
		if it.n > 1 {
			msg += " (" + strconv.Itoa(it.n) + " segments, first here)"
		}
		st.warn(it.seg.Warnf("", msg))
	}
	if len(d.errs) > errs {
		return nil
	}
	for i := range m.eqn {
		m.eqn[i].pnrs = len(m.PNRs)
	}
	return m
}

// pnrTags are the segments that belong to a PNR group.
var pnrTags = map[string]bool{
	"RCI": true, "DAT": true, "ADD": true, "EBD": true, "IFT": true, "SSR": true, "TIF": true, "FTI": true,
	"REF": true, "FAR": true, "TKT": true, "MON": true, "TXD": true, "PTK": true, "FOP": true, "RPI": true,
	"APD": true, "TRI": true, "SSD": true, "TBD": true, "LTS": true,
}

func (st *msgState) segment(s *edifact.Segment) {
	if s.Tag == "SRC" {
		st.closePNR()
		st.openPNR(s)
		return
	}
	if st.pnr == nil {
		switch s.Tag {
		case "MSG":
			st.m.Function = firstNonEmpty(s.Value(1, 2), s.Value(1, 1))
			return
		case "ORG":
			st.m.Originator = org(s)
			return
		case "TVL":
			if st.m.Flight.Segment != 0 {
				st.ignore(s, "a further flight (TVL) before the first PNR not used")
				return
			}
			f, err := st.tvl(s)
			if err != nil {
				st.fail(err)
				return
			}
			st.m.Flight = f
			if !f.DepartureAt.IsZero() {
				st.ref = f.DepartureAt
			}
			return
		case "EQN":
			v := s.Value(1, 1)
			n, err := strconv.Atoi(v)
			if err != nil || !isDigits(v) {
				st.warn(s.Warnf("1.1", "the number of PNRs is not a number; not checked"))
				return
			}
			st.m.DeclaredPNRs = &n
			st.m.eqn = append(st.m.eqn, eqnCount{value: n, seg: s.Index, line: s.Line})
			return
		}
		if !pnrTags[s.Tag] {
			st.ignore(s, "segment not used by the PNRGOV decoder")
			return
		}
		st.warn(s.Warnf("", "PNR data without SRC; a PNR is opened here"))
		st.openPNR(s)
	}
	st.pnrSegment(s)
}

func (st *msgState) openPNR(s *edifact.Segment) {
	st.pnr = &pnrState{p: &PNR{Segment: s.Index, Line: s.Line, Locators: []Locator{}, Travellers: []Traveller{}, Itinerary: []Item{}},
		trav: -1, tkt: -1, item: -1, check: -1}
}

func (ps *pnrState) traveller() *Traveller {
	if ps.trav < 0 {
		return nil
	}
	return &ps.p.Travellers[ps.trav]
}

func (ps *pnrState) ticket() *Ticket {
	switch {
	case ps.tkt < 0:
		return nil
	case ps.trav >= 0:
		return &ps.p.Travellers[ps.trav].Tickets[ps.tkt]
	default:
		return &ps.p.Tickets[ps.tkt]
	}
}

func (ps *pnrState) itinerary() *Item {
	if ps.item < 0 {
		return nil
	}
	return &ps.p.Itinerary[ps.item]
}

func (ps *pnrState) checkIn() *CheckIn {
	if ps.item < 0 || ps.check < 0 {
		return nil
	}
	return &ps.p.Itinerary[ps.item].CheckIns[ps.check]
}

func (st *msgState) pnrSegment(s *edifact.Segment) {
	ps := st.pnr
	p := ps.p
	t, item := ps.traveller(), ps.itinerary()
	switch s.Tag {
	case "RCI":
		st.rci(s)
	case "DAT":
		stamps := st.dat(s)
		switch {
		case item != nil:
			item.Dates = append(item.Dates, stamps...)
		case ps.ticket() != nil:
			ps.ticket().Dates = append(ps.ticket().Dates, stamps...)
		default:
			p.Dates = append(p.Dates, stamps...)
		}
	case "ORG":
		if p.Creator != nil {
			st.ignore(s, "a further ORG in a PNR not used")
			return
		}
		p.Creator = org(s)
	case "ADD":
		a := Address{Purpose: s.Value(2, 1), Street: s.Value(2, 2), City: s.Value(2, 3), Region: s.Value(2, 4),
			Country: s.Value(2, 5), Postcode: s.Value(2, 6), Phone: s.Value(2, 7)}
		if a.Purpose == "" && a.Street == "" {
			a.Purpose = s.Value(1, 1)
		}
		if t != nil && item == nil {
			t.Addresses = append(t.Addresses, a)
		} else {
			p.Addresses = append(p.Addresses, a)
		}
	case "EBD":
		if t != nil && item == nil {
			t.ExcessBaggage = append(t.ExcessBaggage, s.Text(st.d.sep))
		} else {
			p.ExcessBaggage = append(p.ExcessBaggage, s.Text(st.d.sep))
		}
	case "IFT":
		info := Info{Qualifier: s.Value(1, 1), Type: s.Value(1, 2), Carrier: s.Value(1, 4), Text: textFrom(s, 2)}
		switch {
		case item != nil:
			item.Info = append(item.Info, info)
		case t != nil:
			t.Contacts = append(t.Contacts, info)
		default:
			p.Contacts = append(p.Contacts, info)
		}
	case "SSR":
		st.ssr(s)
	case "TIF":
		st.tif(s)
	case "FTI", "REF", "FAR":
		if t == nil || item != nil {
			st.ignore(s, "segment outside a traveller group (TIF) not used")
			return
		}
		switch s.Tag {
		case "FTI":
			for _, e := range s.Elements {
				if len(e) > 1 && strings.TrimSpace(e[1]) != "" {
					ff := FrequentFlyer{Carrier: strings.TrimSpace(e[0]), Number: strings.TrimSpace(e[1])}
					if len(e) > 2 {
						ff.Tier = joinNonEmpty(e[2:], " ")
					}
					t.FrequentFlyer = append(t.FrequentFlyer, ff)
				}
			}
		case "REF":
			t.References = append(t.References, s.Text(st.d.sep))
		case "FAR":
			t.Fares = append(t.Fares, s.Text(st.d.sep))
		}
	case "TKT":
		tk := Ticket{Number: s.Value(1, 1), Type: s.Value(1, 2), Booklets: s.Value(1, 3), Segment: s.Index}
		if tk.Number == "" {
			st.warn(s.Warnf("1.1", "the ticket number is missing"))
		}
		if t != nil && item == nil {
			t.Tickets = append(t.Tickets, tk)
			ps.tkt = len(t.Tickets) - 1
		} else {
			ps.trav, ps.item = -1, -1
			p.Tickets = append(p.Tickets, tk)
			ps.tkt = len(p.Tickets) - 1
		}
	case "MON", "TXD", "PTK":
		tk := ps.ticket()
		if tk == nil || item != nil {
			st.ignore(s, "segment outside a ticket group (TKT) not used")
			return
		}
		switch s.Tag {
		case "MON":
			for _, e := range s.Elements {
				if a := st.amount(e, 0, 1, 2); a.Amount != "" || a.Qualifier != "" {
					tk.Amounts = append(tk.Amounts, a)
				}
			}
		case "TXD":
			for _, e := range s.Elements[min(1, len(s.Elements)):] {
				if a := st.amount(e, 3, 0, 2); a.Amount != "" {
					tk.Taxes = append(tk.Taxes, a)
				}
			}
		case "PTK":
			tk.Pricing = append(tk.Pricing, s.Text(st.d.sep))
		}
	case "FOP":
		var pays []Payment
		for _, e := range s.Elements {
			get := func(i int) string {
				if i < len(e) {
					return strings.TrimSpace(e[i])
				}
				return ""
			}
			if get(0) == "" {
				continue
			}
			pays = append(pays, Payment{Type: get(0), Amount: st.decimal(get(2)), Vendor: get(3), Account: get(4), Expiry: get(5)})
		}
		if tk := ps.ticket(); tk != nil && item == nil {
			tk.Payments = append(tk.Payments, pays...)
		} else {
			p.Payments = append(p.Payments, pays...)
		}
	case "TVL":
		f, err := st.tvl(s)
		if err != nil {
			// An itinerary date is not screening data: keep the flight, warn.
			st.warn(edifact.Warning{Segment: err.Segment, Line: err.Line, Tag: err.Tag, Element: err.Element, Message: err.Message + "; the itinerary time is left empty"})
		}
		p.Itinerary = append(p.Itinerary, Item{Flight: f})
		ps.item, ps.check, ps.trav, ps.tkt = len(p.Itinerary)-1, -1, -1, -1
	case "RPI", "APD", "TRI":
		if item == nil {
			st.ignore(s, "segment outside an itinerary group (TVL) not used")
			return
		}
		switch s.Tag {
		case "RPI":
			item.PartySize, item.Status = s.Value(1, 1), s.Value(2, 1)
		case "APD":
			item.Aircraft = s.Value(1, 1)
		case "TRI":
			item.CheckIns = append(item.CheckIns, CheckIn{Sequence: strings.Trim(s.Text(st.d.sep), string(st.d.sep.Element)), Segment: s.Index, Line: s.Line})
			ps.check = len(item.CheckIns) - 1
		}
	case "SSD":
		c := ps.checkIn()
		if c == nil {
			st.ignore(s, "seat (SSD) outside a check-in group (TRI) not used")
			return
		}
		c.Seat = s.Value(1, 1)
	case "TBD":
		bag := st.tbd(s)
		switch c := ps.checkIn(); {
		case c != nil:
			c.Bags = append(c.Bags, bag)
		case item != nil:
			item.Bags = append(item.Bags, bag)
		default:
			st.ignore(s, "baggage (TBD) outside an itinerary group (TVL) not used")
		}
	case "LTS":
		p.History = append(p.History, s.Text(st.d.sep))
	default:
		st.ignore(s, "segment not used by the PNRGOV decoder")
	}
}

func (st *msgState) rci(s *edifact.Segment) {
	p := st.pnr.p
	for i, e := range s.Elements {
		get := func(j int) string {
			if j < len(e) {
				return strings.TrimSpace(e[j])
			}
			return ""
		}
		l := Locator{Carrier: get(0), Locator: get(1), Type: get(2)}
		if get(3) != "" {
			t, ok := ddmmyy(get(3), get(4), st.ref)
			if !ok {
				st.warn(s.Warnf(edifact.Pos(i+1, 4), "the reservation date is not DDMMYY with HHMM; left empty"))
			}
			l.Created = t
		}
		if l.Locator == "" && l.Carrier == "" {
			continue
		}
		p.Locators = append(p.Locators, l)
		if p.Locator == "" && l.Locator != "" {
			p.Locator, p.Carrier, p.Created = l.Locator, l.Carrier, l.Created
		}
	}
	if p.Locator == "" {
		st.fail(s.Errorf("1.2", "the record locator is missing"))
	}
}

func (st *msgState) dat(s *edifact.Segment) []Stamp {
	var out []Stamp
	for i, e := range s.Elements {
		if len(e) < 2 || strings.TrimSpace(e[1]) == "" {
			continue
		}
		hm := ""
		if len(e) > 2 {
			hm = strings.TrimSpace(e[2])
		}
		t, ok := ddmmyy(strings.TrimSpace(e[1]), hm, st.ref)
		if !ok {
			st.warn(s.Warnf(edifact.Pos(i+1, 2), "the date is not DDMMYY with HHMM; left out"))
			continue
		}
		out = append(out, Stamp{Qualifier: strings.TrimSpace(e[0]), At: t})
	}
	return out
}

func org(s *edifact.Segment) *Originator {
	return &Originator{
		Airline: s.Value(1, 1), Location: s.Value(1, 2), Agency: s.Value(2, 1), Office: s.Value(2, 2),
		City: s.Value(3, 1), Type: s.Value(5, 1), Country: s.Value(6, 1), Currency: s.Value(6, 2),
		Language: s.Value(6, 3), Agent: s.Value(7, 1),
	}
}

// tvl reads a TVL: dates and times, departure, arrival, carriers, flight number and class.
func (st *msgState) tvl(s *edifact.Segment) (Flight, *edifact.SyntaxError) {
	f := Flight{
		Departure: strings.ToUpper(s.Value(2, 1)), Arrival: strings.ToUpper(s.Value(3, 1)),
		Carrier: strings.ToUpper(s.Value(4, 1)), OperatingCarrier: strings.ToUpper(s.Value(4, 2)),
		Number: s.Value(5, 1), Class: s.Value(5, 2), Segment: s.Index,
	}
	f.Flight = strings.ToUpper(strings.ReplaceAll(f.Number, " ", ""))
	if f.Carrier != "" && carrierPrefix(f.Flight) == "" {
		f.Flight = f.Carrier + f.Flight
	}
	depDate, depTime, arrDate, arrTime, days := s.Value(1, 1), s.Value(1, 2), s.Value(1, 3), s.Value(1, 4), s.Value(1, 5)
	if depDate != "" {
		t, ok := ddmmyy(depDate, depTime, st.ref)
		if !ok {
			return f, s.Errorf("1.1", "the departure date is not DDMMYY with HHMM")
		}
		f.DepartureAt = t
	}
	if arrDate == "" && arrTime != "" && depDate != "" {
		arrDate = depDate
		if n, e := strconv.Atoi(days); e == nil && n >= -1 && n <= 3 {
			arrDate = ""
			if t, ok := ddmmyy(depDate, arrTime, st.ref); ok {
				f.ArrivalAt = t.AddDate(0, 0, n)
			}
		}
	}
	if arrDate != "" {
		t, ok := ddmmyy(arrDate, arrTime, st.ref)
		if !ok {
			return f, s.Errorf("1.3", "the arrival date is not DDMMYY with HHMM")
		}
		f.ArrivalAt = t
	}
	return f, nil
}

// carrierPrefix returns the airline designator a flight number already starts with: two
// characters with a letter (IATA) or three letters (ICAO) before a digit; "" when none. It is
// the same rule as package paxlst's.
func carrierPrefix(num string) string {
	isLetter := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	switch {
	case len(num) > 3 && isLetter(num[0]) && isLetter(num[1]) && isLetter(num[2]) && isDigit(num[3]):
		return num[:3]
	case len(num) > 2 && (isLetter(num[0]) || isDigit(num[0])) && (isLetter(num[1]) || isDigit(num[1])) &&
		(isLetter(num[0]) || isLetter(num[1])) && isDigit(num[2]):
		return num[:2]
	}
	return ""
}

// ddmmyy reads a PNRGOV date (DDMMYY, or CCYYMMDD) and an optional time (HHMM).
func ddmmyy(d, hm string, ref time.Time) (time.Time, bool) {
	if !isDigits(d) || hm != "" && (len(hm) != 4 || !isDigits(hm)) {
		return time.Time{}, false
	}
	n := func(s string) int { v, _ := strconv.Atoi(s); return v }
	var y, mo, day int
	switch len(d) {
	case 6:
		day, mo, y = n(d[0:2]), n(d[2:4]), edifact.NearYear(n(d[4:6]), ref)
	case 8:
		y, mo, day = n(d[0:4]), n(d[4:6]), n(d[6:8])
	default:
		return time.Time{}, false
	}
	h, mi := 0, 0
	if hm != "" {
		h, mi = n(hm[:2]), n(hm[2:])
	}
	return edifact.MakeTime(y, mo, day, h, mi, 0)
}

// amount reads a monetary composite: qualifier, amount and currency at the given components.
func (st *msgState) amount(e []string, q, a, c int) Amount {
	get := func(i int) string {
		if i < len(e) {
			return strings.TrimSpace(e[i])
		}
		return ""
	}
	return Amount{Qualifier: get(q), Amount: st.decimal(get(a)), Currency: get(c)}
}

// decimal writes amounts with '.' whatever decimal mark the UNA declared.
func (st *msgState) decimal(v string) string {
	if st.d.sep.Decimal == ',' {
		return strings.ReplaceAll(v, ",", ".")
	}
	return v
}

// tbd reads a TBD: pieces, weight and unit (element 3), and bag tags (carrier, number, count,
// destination) from element 6 on. Text keeps the whole segment.
func (st *msgState) tbd(s *edifact.Segment) Bag {
	b := Bag{Pieces: s.Value(3, 1), Weight: st.decimal(s.Value(3, 2)), Unit: s.Value(3, 3), Text: s.Text(st.d.sep)}
	for i := 6; i <= len(s.Elements); i++ {
		if num := s.Value(i, 2); num != "" {
			b.Tags = append(b.Tags, BagTag{Carrier: s.Value(i, 1), Number: num, Count: s.Value(i, 3), Destination: s.Value(i, 4)})
		}
	}
	return b
}

// textFrom joins the data of elements n… as text.
func textFrom(s *edifact.Segment, n int) string {
	var parts []string
	for i := n; i <= len(s.Elements); i++ {
		if t := joinNonEmpty(s.Element(i), " "); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, " ")
}

var titles = map[string]bool{"MR": true, "MRS": true, "MS": true, "MISS": true, "MSTR": true, "DR": true, "PROF": true, "REV": true, "MX": true}

// splitTitle removes a trailing title (JOHN MR → JOHN, MR).
func splitTitle(given string) (string, string) {
	given = strings.Join(strings.Fields(given), " ")
	i := strings.LastIndexByte(given, ' ')
	if i < 0 || !titles[strings.ToUpper(given[i+1:])] {
		return given, ""
	}
	return given[:i], strings.ToUpper(given[i+1:])
}

func (st *msgState) tif(s *edifact.Segment) {
	ps := st.pnr
	surname := s.Value(1, 1)
	if surname == "" {
		st.fail(s.Errorf("1.1", "the family name is missing"))
		ps.trav, ps.tkt = -1, -1
		return
	}
	given, title := splitTitle(s.Component(2, 1))
	typ := strings.ToUpper(firstNonEmpty(s.Value(2, 2), s.Value(1, 2)))
	ref := s.Value(2, 3)
	if c := ps.checkIn(); c != nil && c.Surname == "" && c.TravellerRef == "" {
		c.Surname, c.GivenNames, c.TravellerRef, c.TIFSegment = surname, given, ref, s.Index
		return
	}
	if ps.item >= 0 {
		st.warn(s.Warnf("", "traveller group (TIF) after the itinerary; read as a traveller"))
		ps.item, ps.check = -1, -1
	}
	t := Traveller{Surname: surname, GivenNames: given, Title: title, Type: typ, Ref: ref,
		Infant: typ == "IN" || typ == "INF", AccompaniedBy: s.Value(2, 4), Source: "tif",
		Documents: []Document{}, Segment: s.Index, Line: s.Line}
	ps.p.Travellers = append(ps.p.Travellers, t)
	ps.trav, ps.tkt = len(ps.p.Travellers)-1, -1
	// Further names in the TIF are infants travelling with this traveller.
	for i := 3; i <= len(s.Elements); i++ {
		g, ttl := splitTitle(s.Component(i, 1))
		if g == "" {
			continue
		}
		ps.p.Travellers = append(ps.p.Travellers, Traveller{Surname: surname, GivenNames: g, Title: ttl,
			Type: firstNonEmpty(strings.ToUpper(s.Value(i, 2)), "IN"), Ref: s.Value(i, 3), Infant: true, AccompaniedBy: ref,
			Source: "tif", Documents: []Document{}, Segment: s.Index, Line: s.Line})
	}
}
