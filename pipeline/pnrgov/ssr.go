package pnrgov

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

var assocRE = regexp.MustCompile(`-(\d+)(?:\.\d+)?(?:[A-Z][A-Z /]*)?$`)

// ssrText finds the free text of an SSR: component 9 of element 1 and any after it (text that
// held an unreleased component separator), or the last component from 5 on holding a slash.
func ssrText(s *edifact.Segment, sep byte) (string, string) {
	e := s.Element(1)
	if len(e) >= 9 {
		return strings.TrimSpace(strings.Join(e[8:], string(sep))), "1.9"
	}
	for j := len(e) - 1; j >= 4; j-- {
		if strings.Contains(e[j], "/") {
			return strings.TrimSpace(e[j]), edifact.Pos(1, j+1)
		}
	}
	return "", "1.9"
}

func (st *msgState) ssr(s *edifact.Segment) {
	ps := st.pnr
	code := strings.ToUpper(s.Value(1, 1))
	text, pos := ssrText(s, st.d.sep.Component)
	t, item := ps.traveller(), ps.itinerary()
	switch code {
	case "DOCS", "DOCO", "DOCA":
		pend := pendingSSR{adult: -1, seg: s}
		if t != nil && item == nil {
			pend.adult = ps.trav
		}
		if m := assocRE.FindStringSubmatchIndex(text); m != nil {
			pend.assoc, _ = strconv.Atoi(text[m[2]:m[3]])
			text = text[:m[0]]
		}
		fields := strings.Split(strings.TrimPrefix(text, "/"), "/")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		for len(fields) < 11 {
			fields = append(fields, "")
		}
		switch code {
		case "DOCS":
			d, err := st.docs(s, pos, fields)
			if err != nil {
				st.fail(err)
				return
			}
			pend.docs = d
		case "DOCO":
			d, err := st.doco(s, pos, fields)
			if err != nil {
				st.fail(err)
				return
			}
			pend.doco = d
		case "DOCA":
			pend.doca = &DocAddress{Type: strings.ToUpper(fields[0]), Country: normalize.Country(fields[1]), Street: fields[2],
				City: fields[3], Region: fields[4], Postcode: fields[5], Infant: strings.EqualFold(fields[6], "I"), Segment: s.Index}
		}
		ps.pending = append(ps.pending, pend)
		return
	}
	r := SSR{Code: code, Status: s.Value(1, 2), Quantity: s.Value(1, 3), Carrier: s.Value(1, 4),
		Board: s.Value(1, 7), Off: s.Value(1, 8), Text: text}
	for i := 2; i <= len(s.Elements); i++ {
		if seat := s.Value(i, 1); seat != "" {
			r.Seats = append(r.Seats, Seat{Seat: seat, Properties: s.Value(i, 2), TravellerRef: s.Value(i, 3)})
		}
	}
	switch {
	case item != nil:
		item.Requests = append(item.Requests, r)
	case t != nil:
		t.Requests = append(t.Requests, r)
	default:
		ps.p.Requests = append(ps.p.Requests, r)
	}
}

var months = map[string]int{"JAN": 1, "FEB": 2, "MAR": 3, "APR": 4, "MAY": 5, "JUN": 6, "JUL": 7, "AUG": 8, "SEP": 9, "OCT": 10, "NOV": 11, "DEC": 12}

// ddmmmyy reads a DOCS date: DDMMMYY or DDMMMCCYY, day 00 when unknown. past expands a
// two-digit year so that the date is not after ref.
func ddmmmyy(v string, past bool, ref time.Time) (event.Date, bool) {
	v = strings.ToUpper(v)
	if len(v) != 7 && len(v) != 9 {
		return event.Date{}, false
	}
	mo, ok := months[v[2:5]]
	if !ok || !isDigits(v[0:2]) || !isDigits(v[5:]) {
		return event.Date{}, false
	}
	day, _ := strconv.Atoi(v[0:2])
	y, _ := strconv.Atoi(v[5:])
	if len(v) == 7 {
		if past {
			y = edifact.PastYear(y, mo, day, ref)
		} else {
			y = edifact.NearYear(y, ref)
		}
	}
	d := event.Date{Year: y, Month: mo, Day: day}
	return d, d.Validate() == nil
}

var docsFields = []string{"document type", "issuing country", "document number", "nationality", "date of birth", "sex", "expiry date", "family name", "given name", "middle name", "holder indicator"}

func fieldErr(s *edifact.Segment, pos, code string, i int, msg string) *edifact.SyntaxError {
	return s.Errorf(pos, "SSR "+code+" field "+strconv.Itoa(i+1)+" ("+docsFields[i]+") "+msg)
}

func (st *msgState) docs(s *edifact.Segment, pos string, f []string) (*Document, *edifact.SyntaxError) {
	d := &Document{Type: strings.ToUpper(f[0]), Issuer: normalize.Country(f[1]), Number: f[2], Nationality: normalize.Country(f[3]),
		Sex: strings.ToUpper(f[5]), Surname: f[7], GivenNames: joinNonEmpty(f[8:10], " "), Holder: strings.EqualFold(f[10], "H"), Segment: s.Index}
	if f[4] != "" {
		dob, ok := ddmmmyy(f[4], true, st.ref)
		if !ok {
			return nil, fieldErr(s, pos, "DOCS", 4, "is not DDMMMYY")
		}
		d.BirthDate = dob
	}
	if f[6] != "" {
		exp, ok := ddmmmyy(f[6], false, st.ref)
		if !ok {
			return nil, fieldErr(s, pos, "DOCS", 6, "is not DDMMMYY")
		}
		d.Expiry = exp
	}
	switch d.Sex {
	case "", "M", "F", "MI", "FI", "U", "UI", "X":
	default:
		return nil, fieldErr(s, pos, "DOCS", 5, "is not M, F, MI, FI, U or X")
	}
	if d.Number != "" && d.Type == "" {
		return nil, fieldErr(s, pos, "DOCS", 0, "is missing for a document number")
	}
	return d, nil
}

func (st *msgState) doco(s *edifact.Segment, pos string, f []string) (*OtherDocument, *edifact.SyntaxError) {
	d := &OtherDocument{BirthPlace: f[0], Type: strings.ToUpper(f[1]), Number: f[2], IssuePlace: f[3],
		Country: normalize.Country(f[5]), Infant: strings.EqualFold(f[6], "I"), Segment: s.Index}
	if f[4] != "" {
		iss, ok := ddmmmyy(f[4], true, st.ref)
		if !ok {
			return nil, s.Errorf(pos, "SSR DOCO field 5 (issue date) is not DDMMMYY")
		}
		d.Issued = iss
	}
	return d, nil
}

func infantSex(sex string) bool { return sex == "MI" || sex == "FI" || sex == "UI" }

// closePNR ties the PNR-level and infant documents to their travellers, the check-ins to
// theirs, and adds the travellers only a document or a check-in names.
func (st *msgState) closePNR() {
	ps := st.pnr
	if ps == nil {
		return
	}
	st.pnr = nil
	p := ps.p
	for _, pd := range ps.pending {
		st.place(ps, pd)
	}
	for ii := range p.Itinerary {
		for ci := range p.Itinerary[ii].CheckIns {
			c := &p.Itinerary[ii].CheckIns[ci]
			if c.Surname == "" && c.TravellerRef == "" {
				continue
			}
			if st.findTraveller(p, c.TravellerRef, c.Surname, c.GivenNames, false) >= 0 {
				continue
			}
			if c.Surname == "" {
				st.warn(edifact.Warning{Segment: c.Segment, Line: c.Line, Tag: "TRI", Message: "check-in for a traveller reference that matches no traveller"})
				continue
			}
			st.warn(edifact.Warning{Segment: c.Segment, Line: c.Line, Tag: "TRI", Message: "checked-in traveller matches no traveller of the PNR; added"})
			p.Travellers = append(p.Travellers, Traveller{Surname: c.Surname, GivenNames: c.GivenNames, Ref: c.TravellerRef,
				Source: "checkin", Documents: []Document{}, Segment: c.Segment, Line: c.Line})
		}
	}
	if p.Locator == "" {
		st.warn(edifact.Warning{Segment: p.Segment, Line: p.Line, Tag: "SRC", Message: "the PNR has no record locator (RCI)"})
	}
	if len(p.Travellers) == 0 {
		st.warn(edifact.Warning{Segment: p.Segment, Line: p.Line, Tag: "SRC", Message: "the PNR has no traveller (TIF)"})
	}
	st.m.PNRs = append(st.m.PNRs, *p)
}

// findTraveller returns the index of the traveller with the reference (when both have one) or
// the names, or -1. infant restricts the search to infants.
func (st *msgState) findTraveller(p *PNR, ref, surname, given string, infant bool) int {
	if ref != "" {
		for i, t := range p.Travellers {
			if t.Ref == ref && (!infant || t.Infant) {
				return i
			}
		}
	}
	if surname == "" {
		return -1
	}
	for i, t := range p.Travellers {
		if (!infant || t.Infant) && sameName(t.Surname, t.GivenNames, surname, given) {
			return i
		}
	}
	return -1
}

// sameName compares names as folded tokens: the family names in full, the given names by their
// first token when both have one.
func sameName(s1, g1, s2, g2 string) bool {
	if strings.Join(normalize.NameTokens(s1), "") != strings.Join(normalize.NameTokens(s2), "") {
		return false
	}
	a, b := normalize.NameTokens(g1), normalize.NameTokens(g2)
	return len(a) == 0 || len(b) == 0 || a[0] == b[0]
}

// place ties one pending DOCS, DOCO or DOCA to its traveller.
func (st *msgState) place(ps *pnrState, pd pendingSSR) {
	p := ps.p
	target := pd.adult
	infant := pd.docs != nil && infantSex(pd.docs.Sex) || pd.doco != nil && pd.doco.Infant || pd.doca != nil && pd.doca.Infant
	if target >= 0 && infant && !p.Travellers[target].Infant {
		// An infant's document in an adult's group: the infant travelling with that adult.
		adult := p.Travellers[target]
		i := -1
		if pd.docs != nil {
			i = st.findTraveller(p, "", firstNonEmpty(pd.docs.Surname, adult.Surname), pd.docs.GivenNames, true)
		}
		if i < 0 {
			for j, t := range p.Travellers {
				if t.Infant && adult.Ref != "" && t.AccompaniedBy == adult.Ref && (pd.docs == nil || len(t.Documents) == 0) {
					i = j
					break
				}
			}
		}
		if i < 0 && pd.docs == nil {
			for j, t := range p.Travellers {
				if t.Infant && (t.AccompaniedBy == adult.Ref || adult.Ref == "") {
					i = j
					break
				}
			}
		}
		if i < 0 && pd.docs != nil {
			p.Travellers = append(p.Travellers, Traveller{Surname: firstNonEmpty(pd.docs.Surname, adult.Surname), GivenNames: pd.docs.GivenNames,
				Type: "IN", Infant: true, AccompaniedBy: adult.Ref, Source: "docs", Documents: []Document{}, Segment: pd.seg.Index, Line: pd.seg.Line})
			i = len(p.Travellers) - 1
		}
		if i >= 0 {
			target = i
		}
	}
	if target < 0 {
		// A PNR-level SSR: by association number, by name, or the only traveller.
		if pd.assoc > 0 && pd.assoc <= len(p.Travellers) {
			target = pd.assoc - 1
		}
		if target < 0 && pd.docs != nil && pd.docs.Surname != "" {
			target = st.findTraveller(p, "", pd.docs.Surname, pd.docs.GivenNames, infant)
		}
		if target < 0 {
			var adults []int
			for i, t := range p.Travellers {
				if t.Infant == infant {
					adults = append(adults, i)
				}
			}
			if len(adults) == 1 && (pd.docs == nil || pd.docs.Surname == "") {
				target = adults[0]
			}
		}
	}
	switch {
	case pd.docs != nil:
		if target < 0 {
			if pd.docs.Surname == "" {
				st.fail(pd.seg.Errorf("1.9", "SSR DOCS without a family name cannot be tied to a traveller"))
				return
			}
			st.warn(pd.seg.Warnf("1.9", "SSR DOCS names a traveller without a traveller group (TIF); added"))
			p.Travellers = append(p.Travellers, Traveller{Surname: pd.docs.Surname, GivenNames: pd.docs.GivenNames, Infant: infant,
				Source: "docs", Documents: []Document{}, Segment: pd.seg.Index, Line: pd.seg.Line})
			target = len(p.Travellers) - 1
		}
		p.Travellers[target].Documents = append(p.Travellers[target].Documents, *pd.docs)
	case pd.doco != nil:
		if target < 0 {
			st.warn(pd.seg.Warnf("1.9", "SSR DOCO cannot be tied to one traveller; kept on the PNR"))
			p.OtherDocuments = append(p.OtherDocuments, *pd.doco)
			return
		}
		p.Travellers[target].OtherDocuments = append(p.Travellers[target].OtherDocuments, *pd.doco)
	case pd.doca != nil:
		if target < 0 {
			st.warn(pd.seg.Warnf("1.9", "SSR DOCA cannot be tied to one traveller; kept on the PNR"))
			p.DocAddresses = append(p.DocAddresses, *pd.doca)
			return
		}
		p.Travellers[target].DocAddresses = append(p.Travellers[target].DocAddresses, *pd.doca)
	}
}

func joinNonEmpty(parts []string, sep string) string {
	var out []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}
