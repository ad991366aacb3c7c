package paxlst

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// ErrMissingPart classifies the error for a multi-part message whose parts are not all in the
// interchange (errors.Is).
var ErrMissingPart = edifact.ErrMissingPart

// Options tune Decode. The zero value is the strict default.
type Options struct {
	// Partial keeps an incomplete multi-part message as one message with Complete false and a
	// warning, instead of failing with ErrMissingPart. The caller must then hold it until the
	// other parts arrive (Assemble) or screen it knowing travellers are missing.
	Partial bool
	// Now is the reference date for two-digit years when the interchange has no readable
	// preparation date; the zero value means the current time.
	Now time.Time
}

// Decode decodes a PAXLST interchange with the default Options.
func Decode(b []byte) (*Result, error) { return Options{}.Decode(b) }

// Decode decodes a PAXLST interchange. The error, marked fault.ErrPoison, wraps a
// *edifact.SyntaxError or an edifact.ErrorList naming each problem's segment, line, tag and
// element.
func (o Options) Decode(b []byte) (*Result, error) {
	ic, err := edifact.Parse(b)
	if err != nil {
		return nil, fault.Poison(fmt.Errorf("decoding PAXLST: %w", err))
	}
	d := &decoder{ic: ic, ref: ic.Prepared}
	if d.ref.IsZero() {
		d.ref = o.Now
		if d.ref.IsZero() {
			d.ref = time.Now().UTC()
		}
	}
	var msgs []Message
	for i := range ic.Messages {
		if m := d.message(&ic.Messages[i]); m != nil {
			msgs = append(msgs, *m)
		}
		if len(d.errs) >= edifact.MaxErrors {
			break
		}
	}
	if len(d.errs) > 0 {
		return nil, fault.Poison(fmt.Errorf("decoding PAXLST: %w", d.errs.Err()))
	}
	res := &Result{Messages: []Message{}}
	// Messages sent in parts are grouped by common access reference, in order of first appearance.
	var keys []string
	sets := map[string][]Message{}
	for _, m := range msgs {
		if m.Parts == nil {
			keys = append(keys, "\x00"+strconv.Itoa(len(keys)))
			sets[keys[len(keys)-1]] = []Message{m}
			continue
		}
		if _, ok := sets[m.CommonRef]; !ok {
			keys = append(keys, m.CommonRef)
		}
		sets[m.CommonRef] = append(sets[m.CommonRef], m)
	}
	var errs edifact.ErrorList
	byUNH := map[int]int{} // UNH segment number of each part -> index in res.Messages
	for _, k := range keys {
		set := sets[k]
		for _, p := range set {
			byUNH[p.Segment] = len(res.Messages)
		}
		if set[0].Parts == nil {
			m := set[0]
			m.Complete = true
			m.Warnings = append(m.Warnings, checkCounts(&m)...)
			res.Messages = append(res.Messages, m)
			continue
		}
		m, st, err := assemble(set)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !m.Complete {
			if !o.Partial {
				errs = append(errs, &edifact.SyntaxError{Segment: m.Segment, Line: m.Line, Tag: "UNH", Element: "4",
					Message: "multi-part message incomplete: " + st.String(), Err: ErrMissingPart})
				continue
			}
			m.Warnings = append(m.Warnings, edifact.Warning{Segment: m.Segment, Line: m.Line, Tag: "UNH", Element: "4",
				Message: incomplete + st.String()})
		}
		res.Messages = append(res.Messages, m)
	}
	if len(errs) > 0 {
		return nil, fault.Poison(fmt.Errorf("decoding PAXLST: %w", errs.Err()))
	}
	// Route each interchange warning to the message it is about.
	for _, w := range ic.Warnings {
		i, ok := -1, false
		for _, em := range ic.Messages {
			if w.Segment >= em.Header.Index && w.Segment <= em.Trailer.Index {
				i, ok = byUNH[em.Header.Index]
				break
			}
		}
		if ok {
			res.Messages[i].Warnings = append(res.Messages[i].Warnings, w)
		} else {
			res.Warnings = append(res.Warnings, w)
		}
	}
	for i := range res.Messages {
		sortWarnings(res.Messages[i].Warnings)
		if res.Messages[i].Warnings == nil {
			res.Messages[i].Warnings = []edifact.Warning{}
		}
	}
	if res.Warnings == nil {
		res.Warnings = []edifact.Warning{}
	}
	return res, nil
}

func sortWarnings(ws []edifact.Warning) {
	key := func(w edifact.Warning) int {
		if w.Line == 0 {
			return int(^uint(0) >> 1)
		}
		return w.Line
	}
	slices.SortStableFunc(ws, func(a, b edifact.Warning) int { return key(a) - key(b) })
}

type decoder struct {
	ic   *edifact.Interchange
	ref  time.Time
	errs edifact.ErrorList
}

// msgState is the decoding state of one message.
type msgState struct {
	d        *decoder
	m        *Message
	cur      *Traveller // the open traveller group
	skip     bool       // inside a group already reported as an error
	doc      *Document  // the open document group
	tg       *transport // the open transport group
	reporter bool       // the last NAD was NAD+MS
	ignored  map[string]*ignoredTag
	order    []string
}

type ignoredTag struct {
	n   int
	seg *edifact.Segment
	why string
}

// transport is an open TDT group: its leg template and the points its LOC segments name.
type transport struct {
	leg    Leg
	points []point
}

type point struct {
	qual     string
	code     string
	arr, dep time.Time
	seg      *edifact.Segment
}

func (st *msgState) fail(e *edifact.SyntaxError) { st.d.errs = append(st.d.errs, e) }

func (st *msgState) warn(w edifact.Warning) { st.m.Warnings = append(st.m.Warnings, w) }

// ignore notes a segment the decoder does not use; one warning per tag and reason.
func (st *msgState) ignore(s *edifact.Segment, why string) {
	k := s.Tag + "\x00" + why
	if it, ok := st.ignored[k]; ok {
		it.n++
		return
	}
	st.ignored[k] = &ignoredTag{n: 1, seg: s, why: why}
	st.order = append(st.order, k)
}

// message decodes one UNH … UNT message. It returns nil when the message has errors (they are
// collected in the decoder).
func (d *decoder) message(em *edifact.Message) *Message {
	m := &Message{
		Interchange: d.ic.ControlRef, Ref: em.Ref, Sender: d.ic.Sender, Recipient: d.ic.Recipient,
		Prepared: d.ic.Prepared, Directory: em.Version + em.Release, Association: em.Association,
		CommonRef: em.CommonAccessRef, Segment: em.Header.Index, Line: em.Header.Line,
		Legs: []Leg{}, Travellers: []Traveller{},
	}
	nads := 0
	for i := range em.Body {
		if em.Body[i].Tag == "NAD" {
			nads++
		}
	}
	m.Travellers = make([]Traveller, 0, nads)
	errs := len(d.errs)
	st := &msgState{d: d, m: m, ignored: map[string]*ignoredTag{}}
	h := &em.Header
	if em.Type != "PAXLST" {
		st.fail(h.Errorf("2.1", "the message type is not PAXLST"))
		return nil
	}
	if v := strings.ToUpper(em.Version); v != "D" {
		st.fail(h.Errorf("2.2", "the message version is not D (a UN/EDIFACT directory)"))
		return nil
	}
	if r := strings.ToUpper(em.Release); r < "02B" || r > "15B" || len(r) != 3 {
		st.warn(h.Warnf("2.3", "the directory is outside D02B to D15B; decoded with the D15B rules"))
	}
	if em.Transfer.Multipart() {
		m.Parts = []int{em.Transfer.Sequence}
		if em.Transfer.Marker == "F" {
			m.FinalPart = em.Transfer.Sequence
		}
	}
	bgm := false
	for i := range em.Body {
		s := &em.Body[i]
		if s.Tag == "BGM" {
			if bgm {
				st.fail(s.Errorf("", "a second BGM in the message"))
				continue
			}
			bgm = true
			st.bgm(s)
			continue
		}
		st.segment(s)
		if len(d.errs) >= edifact.MaxErrors {
			return nil
		}
	}
	st.closeTraveller()
	st.closeTransport()
	if !bgm {
		st.fail(h.Errorf("", "the message has no BGM: its list type (passengers or crew) is unknown"))
	}
	for _, k := range st.order {
		it := st.ignored[k]
		msg := it.why
		if it.n > 1 {
			msg += " (" + strconv.Itoa(it.n) + " segments, first here)"
		}
		st.warn(it.seg.Warnf("", msg))
	}
	if m.List == Crew {
		n := 0
		for _, t := range m.Travellers {
			if t.Role == event.RolePassenger {
				n++
			}
		}
		if n > 0 {
			st.warn(h.Warnf("", strconv.Itoa(n)+" passenger group(s) (NAD+FL or DDT) in a crew list; kept as passengers"))
		}
	}
	if len(d.errs) > errs {
		return nil
	}
	for i := range m.Travellers {
		m.Travellers[i].Part = em.Transfer.Sequence
		if !em.Transfer.Multipart() {
			m.Travellers[i].Part = 0
		}
	}
	for i := range m.Counts {
		if em.Transfer.Multipart() {
			m.Counts[i].Part = em.Transfer.Sequence
		}
	}
	return m
}

func (st *msgState) bgm(s *edifact.Segment) {
	code := s.Value(1, 1)
	switch code {
	case "745", "266":
		st.m.List = Passengers
	case "250", "336", "655":
		st.m.List = Crew
	case "":
		st.fail(s.Errorf("1.1", "the document name code is missing"))
		return
	default:
		st.fail(s.Errorf("1.1", "the document name code is not 745 (passengers), 250, 336 or 655 (crew) or 266 (close-out)"))
		return
	}
	st.m.DocCode, st.m.DocID = code, s.Value(2, 1)
}

// travellerParties maps NAD party qualifiers to roles.
var travellerParties = map[string]event.Role{
	"FL": event.RolePassenger, "DDT": event.RolePassenger,
	"FM": event.RoleCrew, "DDU": event.RoleCrew, "COT": event.RoleCrew,
}

func (st *msgState) segment(s *edifact.Segment) {
	if s.FoldRepeats(st.d.ic.Separators.Repetition) {
		st.warn(s.Warnf("", "repetition separator in an element that does not repeat; kept as data"))
	}
	switch s.Tag {
	case "NAD":
		st.nad(s)
	case "TDT":
		st.closeTraveller()
		st.closeTransport()
		st.reporter = false
		st.tdt(s)
	case "LOC":
		st.loc(s)
	case "DTM":
		st.dtm(s)
	case "COM":
		st.com(s)
	case "RFF":
		ref := Reference{Qualifier: s.Value(1, 1), Value: s.Value(1, 2)}
		switch {
		case st.skip:
		case st.cur != nil:
			st.cur.References = append(st.cur.References, ref)
		default:
			st.m.References = append(st.m.References, ref)
		}
	case "FTX":
		text := strings.TrimSpace(strings.Join(s.Element(4), " "))
		switch {
		case st.skip:
		case st.cur != nil:
			st.cur.FreeText = append(st.cur.FreeText, text)
		default:
			st.m.FreeText = append(st.m.FreeText, text)
		}
	case "ATT", "NAT", "DOC", "EMP":
		if st.skip {
			return
		}
		if st.cur == nil {
			st.fail(s.Errorf("", "segment outside a traveller group (no NAD+FL or NAD+FM before it)"))
			return
		}
		switch s.Tag {
		case "ATT":
			st.att(s)
		case "NAT":
			st.nat(s)
		case "DOC":
			st.docSeg(s)
		case "EMP":
			st.cur.CrewRole = s.Value(2, 1)
		}
	case "CNT":
		st.closeTraveller()
		st.closeTransport()
		st.cnt(s)
	case "UNS":
		st.closeTraveller()
	default:
		st.ignore(s, "segment not used by the PAXLST decoder")
	}
}

func (st *msgState) nad(s *edifact.Segment) {
	st.closeTraveller()
	st.closeTransport()
	st.reporter = false
	q := s.Value(1, 1)
	if q == "MS" {
		name := joinNonEmpty(s.Element(4), " ")
		if name == "" {
			name = joinNonEmpty(s.Element(3), " ")
		}
		st.m.Reporter = &Party{Name: name}
		st.reporter = true
		return
	}
	role, ok := travellerParties[q]
	if !ok {
		st.skip = true
		if q == "" {
			st.fail(s.Errorf("1", "the party function code is missing"))
		} else {
			st.fail(s.Errorf("1", "the party function code is not FL, DDT (passenger), FM, DDU, COT (crew) or MS (reporting party)"))
		}
		return
	}
	t := &Traveller{Role: role, Party: q, Transit: q == "DDT" || q == "DDU", Segment: s.Index, Line: s.Line, Documents: []Document{}}
	t.Surname = strings.TrimSpace(s.Component(4, 1))
	if t.Surname == "" {
		st.skip = true
		if s.Has(4) {
			st.fail(s.Errorf("4.1", "the family name is missing (given names are present)"))
		} else {
			st.fail(s.Errorf("4.1", "the family name is missing"))
		}
		return
	}
	if given := s.Element(4); len(given) > 1 {
		t.GivenNames = joinNonEmpty(given[1:min(len(given), 5)], " ")
	}
	t.Address = Address{
		Street:   joinNonEmpty(s.Element(5), " "),
		City:     s.Value(6, 1),
		Region:   firstNonEmpty(s.Value(7, 1), s.Value(7, 4)),
		Postcode: s.Value(8, 1),
		Country:  normalize.Country(s.Value(9, 1)),
	}
	st.cur = t
}

func (st *msgState) closeTraveller() {
	if st.cur != nil {
		st.m.Travellers = append(st.m.Travellers, *st.cur)
	}
	st.cur, st.doc, st.skip = nil, nil, false
}

func (st *msgState) tdt(s *edifact.Segment) {
	if q := s.Value(1, 1); q != "20" {
		if q == "" {
			st.fail(s.Errorf("1", "the transport stage qualifier is missing"))
		} else {
			st.fail(s.Errorf("1", "the transport stage qualifier is not 20 (main carriage)"))
		}
		return
	}
	num := strings.ReplaceAll(s.Value(2, 1), " ", "")
	if num == "" {
		st.fail(s.Errorf("2", "the journey identifier (flight or voyage number) is missing"))
		return
	}
	carrier := strings.ToUpper(s.Value(5, 1))
	if carrier == "" {
		carrier = carrierPrefix(num)
	}
	flight := strings.ToUpper(num)
	if carrier != "" && carrierPrefix(flight) == "" {
		flight = carrier + flight
	}
	st.tg = &transport{leg: Leg{
		Carrier: carrier, Number: num, Flight: flight, Segment: s.Index,
		TransportID: s.Value(8, 1), TransportName: s.Value(8, 4),
	}}
}

// carrierPrefix takes the airline designator from a flight number sent without a carrier: two
// characters (IATA) or three letters (ICAO) before the digits.
func carrierPrefix(num string) string {
	num = strings.ToUpper(num)
	if len(num) < 3 {
		return ""
	}
	isLetter := func(c byte) bool { return c >= 'A' && c <= 'Z' }
	isDigit := func(c byte) bool { return c >= '0' && c <= '9' }
	if len(num) > 3 && isLetter(num[0]) && isLetter(num[1]) && isLetter(num[2]) && isDigit(num[3]) {
		return num[:3]
	}
	if (isLetter(num[0]) || isDigit(num[0])) && (isLetter(num[1]) || isDigit(num[1])) && (isLetter(num[0]) || isLetter(num[1])) && isDigit(num[2]) {
		return num[:2]
	}
	return ""
}

// closeTransport turns the open transport group's points into legs: a departure (125) opens a
// leg, an arrival (87, 130) closes it, a stop (92) closes one and opens the next. One departure
// and one arrival make one leg in either order.
func (st *msgState) closeTransport() {
	tg := st.tg
	st.tg = nil
	if tg == nil {
		return
	}
	var legs []Leg
	var n125, n87 int
	for _, p := range tg.points {
		switch p.qual {
		case "125":
			n125++
		case "87", "130":
			n87++
		}
	}
	if len(tg.points) == 2 && n125 == 1 && n87 == 1 {
		l := tg.leg
		for _, p := range tg.points {
			if p.qual == "125" {
				l.Departure, l.DepartureAt = p.code, p.dep
			} else {
				l.Arrival, l.ArrivalAt = p.code, p.arr
			}
		}
		st.m.Legs = append(st.m.Legs, l)
		return
	}
	var open *Leg
	for _, p := range tg.points {
		switch p.qual {
		case "125":
			if open != nil {
				legs = append(legs, *open)
			}
			l := tg.leg
			l.Departure, l.DepartureAt = p.code, p.dep
			open = &l
		case "92":
			if open == nil {
				l := tg.leg
				open = &l
			}
			open.Arrival, open.ArrivalAt = p.code, p.arr
			legs = append(legs, *open)
			l := tg.leg
			l.Departure, l.DepartureAt = p.code, p.dep
			open = &l
		default: // 87, 130
			if open == nil {
				l := tg.leg
				open = &l
			}
			open.Arrival, open.ArrivalAt = p.code, p.arr
			legs = append(legs, *open)
			open = nil
		}
	}
	if open != nil && (open.Departure != "" || len(legs) == 0) {
		legs = append(legs, *open)
	}
	if len(legs) == 0 {
		legs = append(legs, tg.leg)
	}
	st.m.Legs = append(st.m.Legs, legs...)
}

func (st *msgState) loc(s *edifact.Segment) {
	if st.skip {
		return
	}
	q := s.Value(1, 1)
	place := Place{Code: strings.ToUpper(s.Value(2, 1)), Name: s.Value(2, 4)}
	switch {
	case st.cur != nil:
		t := st.cur
		switch q {
		case "91":
			if st.doc == nil {
				st.fail(s.Errorf("1", "a document issuing country (LOC+91) without a DOC before it"))
				return
			}
			st.doc.Issuer = normalize.Country(place.Code)
			return
		case "22":
			t.Clearance = place
		case "178":
			t.Embarkation = place
		case "179":
			t.Debarkation = place
		case "174":
			place.Code = normalize.Country(place.Code)
			t.Residence = place
		case "180":
			t.BirthPlace = place
		case "":
			st.fail(s.Errorf("1", "the location function code is missing"))
			return
		default:
			st.fail(s.Errorf("1", "the location function code is not 22, 174, 178, 179, 180 or 91 in a traveller group"))
			return
		}
		if place.IsZero() {
			st.fail(s.Errorf("2", "the location is missing"))
		}
	case st.tg != nil:
		switch q {
		case "125", "87", "92", "130":
		case "":
			st.fail(s.Errorf("1", "the location function code is missing"))
			return
		default:
			st.fail(s.Errorf("1", "the location function code is not 125, 87, 92 or 130 in a transport group"))
			return
		}
		if place.Code == "" {
			st.fail(s.Errorf("2.1", "the location code is missing"))
			return
		}
		st.tg.points = append(st.tg.points, point{qual: q, code: place.Code, seg: s})
	case st.reporter:
		st.ignore(s, "location of the reporting party not used")
	default:
		st.fail(s.Errorf("", "LOC outside a transport group (TDT) or a traveller group (NAD)"))
	}
}

func (st *msgState) dtm(s *edifact.Segment) {
	if st.skip {
		return
	}
	q := s.Value(1, 1)
	switch {
	case st.cur != nil:
		switch q {
		case "329":
			d, err := readDate(s, pastDate, st.d.ref)
			if err != nil {
				st.fail(err)
				return
			}
			if d.Precision() == 3 && time.Date(d.Year, time.Month(d.Month), d.Day, 0, 0, 0, 0, time.UTC).After(st.d.ref) ||
				d.Year > st.d.ref.Year() {
				st.warn(s.Warnf("1.2", "the birth date is after the date of the interchange"))
			}
			st.cur.BirthDate = d
		case "36", "182":
			if st.doc == nil {
				st.fail(s.Errorf("1.1", "a document date without a DOC before it"))
				return
			}
			d, err := readDate(s, nearDate, st.d.ref)
			if err != nil {
				st.fail(err)
				return
			}
			if q == "36" {
				st.doc.Expiry = d
			} else {
				st.doc.Issued = d
			}
		default:
			st.ignore(s, "date qualifier not used in a traveller group")
		}
	case st.tg != nil:
		if q != "189" && q != "232" {
			st.ignore(s, "date qualifier not used in a transport group")
			return
		}
		if len(st.tg.points) == 0 {
			st.fail(s.Errorf("1.1", "a departure or arrival time without a LOC before it"))
			return
		}
		t, err := readTime(s, st.d.ref)
		if err != nil {
			st.fail(err)
			return
		}
		p := &st.tg.points[len(st.tg.points)-1]
		if q == "189" {
			p.dep = t
		} else {
			p.arr = t
		}
	default:
		st.ignore(s, "date outside a transport or traveller group not used")
	}
}

func (st *msgState) com(s *edifact.Segment) {
	if st.skip {
		return
	}
	var cs []Contact
	for _, e := range s.Elements {
		if len(e) > 0 && strings.TrimSpace(e[0]) != "" {
			c := Contact{Number: strings.TrimSpace(e[0])}
			if len(e) > 1 {
				c.Channel = strings.TrimSpace(e[1])
			}
			cs = append(cs, c)
		}
	}
	switch {
	case st.cur != nil:
		st.cur.Contacts = append(st.cur.Contacts, cs...)
	case st.reporter && st.m.Reporter != nil:
		st.m.Reporter.Contacts = append(st.m.Reporter.Contacts, cs...)
	default:
		st.ignore(s, "contact outside the reporting party or a traveller group not used")
	}
}

func (st *msgState) att(s *edifact.Segment) {
	if q := s.Value(1, 1); q != "2" {
		st.ignore(s, "attribute other than sex (ATT+2) not used")
		return
	}
	v := strings.ToUpper(s.Value(3, 1))
	if v == "" && !s.Has(3) {
		v = strings.ToUpper(s.Value(2, 1)) // sent in the attribute type element
	}
	switch v {
	case "M", "MALE":
		st.cur.Sex = "M"
	case "F", "FEMALE":
		st.cur.Sex = "F"
	case "U", "X":
		st.cur.Sex = v
	case "":
		st.fail(s.Errorf("3.1", "the sex code is missing"))
	default:
		st.fail(s.Errorf("3.1", "the sex code is not M, F, U or X"))
	}
}

func (st *msgState) nat(s *edifact.Segment) {
	if q := s.Value(1, 1); q != "2" && q != "" {
		st.ignore(s, "nationality other than the current one (NAT+2) not used")
		return
	}
	v := s.Value(2, 1)
	if v == "" {
		st.fail(s.Errorf("2.1", "the nationality code is missing"))
		return
	}
	st.cur.Nationality = normalize.Country(v)
}

func (st *msgState) docSeg(s *edifact.Segment) {
	typ, num := strings.ToUpper(s.Value(1, 1)), s.Value(2, 1)
	if typ == "" || num == "" {
		if typ == "" {
			st.fail(s.Errorf("1.1", "the document type code is missing"))
		} else {
			st.fail(s.Errorf("2.1", "the document number is missing"))
		}
		st.doc = &Document{} // the group's DTM and LOC go nowhere: the message fails
		return
	}
	st.cur.Documents = append(st.cur.Documents, Document{Type: typ, Number: num, Segment: s.Index})
	st.doc = &st.cur.Documents[len(st.cur.Documents)-1]
}

func (st *msgState) cnt(s *edifact.Segment) {
	q, v := s.Value(1, 1), s.Value(1, 2)
	n, err := strconv.Atoi(v)
	if err != nil || !isDigits(v) {
		st.warn(s.Warnf("1.2", "the control total is not a number; not checked"))
		return
	}
	if q != "41" && q != "42" {
		st.ignore(s, "control total other than 41 (crew) or 42 (passengers) not checked")
		return
	}
	st.m.Counts = append(st.m.Counts, Count{Qualifier: q, Value: n, Segment: s.Index, Line: s.Line})
}

// checkCounts compares the CNT totals with the travellers: a total may count the travellers of
// its role or all travellers, in its part or in the whole message.
func checkCounts(m *Message) []edifact.Warning {
	var ws []edifact.Warning
	for _, c := range m.Counts {
		role := event.RolePassenger
		if c.Qualifier == "41" {
			role = event.RoleCrew
		}
		var inPart, roleInPart, all, roleAll int
		for _, t := range m.Travellers {
			all++
			if t.Role == role {
				roleAll++
			}
			if t.Part == c.Part {
				inPart++
				if t.Role == role {
					roleInPart++
				}
			}
		}
		if c.Value == roleInPart || c.Value == inPart || m.Complete && (c.Value == roleAll || c.Value == all) {
			continue
		}
		got := roleInPart
		what := "travellers of its role"
		if c.Part > 0 {
			what += " in part " + strconv.Itoa(c.Part)
		}
		ws = append(ws, edifact.Warning{Segment: c.Segment, Line: c.Line, Tag: "CNT", Element: "1.2",
			Message: "the control total is " + strconv.Itoa(c.Value) + " but there are " + strconv.Itoa(got) + " " + what})
	}
	return ws
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
