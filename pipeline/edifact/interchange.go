package edifact

import (
	"strconv"
	"strings"
	"time"
)

// Party identifies the sender or recipient of an interchange or group (UNB S002/S003).
type Party struct {
	ID        string `json:"id"`
	Qualifier string `json:"qualifier,omitempty"`
}

// Interchange is a parsed UNB … UNZ interchange.
type Interchange struct {
	Separators    Separators
	UNA           bool
	SyntaxID      string // UNB 0001: UNOA, UNOC, IATA, …
	SyntaxVersion string // UNB 0002
	Sender        Party
	Recipient     Party
	Prepared      time.Time // UNB date and time of preparation (UTC wall clock); zero when absent or unreadable
	ControlRef    string    // UNB 0020, the interchange control reference
	Application   string    // UNB 0026, the application reference (APIS, PNRGOV, …)
	Test          bool      // UNB 0035 test indicator set
	Header        *Segment  // UNB; nil when the input starts at UNH
	Trailer       *Segment  // UNZ; nil when missing
	Groups        []Group
	Messages      []Message
	Warnings      []Warning
}

// Group is a functional group (UNG … UNE).
type Group struct {
	Ref       string // UNG 0048
	Type      string // UNG 0038, the message type the group holds
	Sender    Party
	Recipient Party
	Header    Segment
	Trailer   *Segment // UNE; nil when missing
	Messages  int
}

// Transfer is the status of the transfer (UNH S010) of a message sent in several parts.
type Transfer struct {
	Sequence int    // 0070, from 1; 0 when the message was sent whole
	Marker   string // 0073: "C" for the first transfer, "F" for the final one, "" between
}

// Multipart reports whether the message is one part of several. A message marked 01:F (first
// and final) is whole.
func (t Transfer) Multipart() bool {
	return t.Sequence > 0 && !(t.Sequence == 1 && t.Marker == "F")
}

// Message is one UNH … UNT message.
type Message struct {
	Ref             string // UNH 0062, the message reference number
	Type            string // UNH 0065: PAXLST, PNRGOV, …
	Version         string // UNH 0052: D for PAXLST, 11 for PNRGOV 11.1, …
	Release         string // UNH 0054: 05B, 1, …
	Agency          string // UNH 0051: UN, IA
	Association     string // UNH 0057: IATA, …
	CommonAccessRef string // UNH 0068, the common access reference tying the parts of a message
	Transfer        Transfer
	Group           string // UNG reference of the enclosing group; "" outside a group
	Header          Segment
	Body            []Segment // the segments between UNH and UNT
	Trailer         Segment
}

// Parse tokenizes an interchange and checks its structure: UNB, optional UNG … UNE groups,
// UNH … UNT messages, UNZ. Wrong UNT, UNE and UNZ counts, unmatched control references, a
// missing UNB, UNE or UNZ are warnings. A message without UNT, a segment outside any message
// and a malformed UNH are errors.
//
// The error, when not nil, is a *SyntaxError or an ErrorList of them.
func Parse(b []byte) (*Interchange, error) {
	toks, err := Tokenize(b)
	if err != nil {
		return nil, err
	}
	ic := &Interchange{Separators: toks.Separators, UNA: toks.UNA, Warnings: toks.Warnings}
	var errs ErrorList
	fail := func(e *SyntaxError) { errs = append(errs, e) }
	warn := func(w Warning) { ic.Warnings = append(ic.Warnings, w) }
	segs := toks.Segments
	if len(segs) == 0 {
		return nil, &SyntaxError{Line: 1, Message: "the interchange holds no segments"}
	}
	i := 0
	if segs[0].Tag == "UNB" {
		ic.readUNB(&segs[0], warn)
		i = 1
	} else {
		warn(segs[0].Warnf("", "no UNB interchange header: the input starts with a message"))
	}
	var cur *Message
	var grp *Group
	unterminated := func() {
		if cur != nil {
			fail(cur.Header.Errorf("", "the message has no UNT: it is truncated or its trailer is missing"))
			cur = nil
		}
	}
	closeGroup := func(trailer *Segment) {
		grp.Trailer = trailer
		ic.Groups = append(ic.Groups, *grp)
		grp = nil
	}
	for ; i < len(segs) && len(errs) < MaxErrors; i++ {
		s := &segs[i]
		switch s.Tag {
		case "UNB":
			unterminated()
			fail(s.Errorf("", "a second UNB inside the interchange"))
		case "UNG":
			unterminated()
			if grp != nil {
				warn(grp.Header.Warnf("", "the functional group has no UNE"))
				closeGroup(nil)
			}
			grp = &Group{Ref: s.Value(5, 1), Type: s.Value(1, 1), Header: *s,
				Sender: Party{ID: s.Value(2, 1), Qualifier: s.Value(2, 2)}, Recipient: Party{ID: s.Value(3, 1), Qualifier: s.Value(3, 2)}}
		case "UNE":
			unterminated()
			if grp == nil {
				warn(s.Warnf("", "UNE without UNG"))
				continue
			}
			checkCount(s, grp.Messages, -1, "messages in the group", warn)
			if ref := s.Value(2, 1); ref != grp.Ref {
				warn(s.Warnf("2", "the group reference does not match UNG"))
			}
			closeGroup(s)
		case "UNH":
			unterminated()
			m, err := readUNH(s)
			if err != nil {
				fail(err)
				continue
			}
			if grp != nil {
				m.Group = grp.Ref
			}
			cur = m
			// Size the body from the UNT ahead when it is plausible; appending copes otherwise.
			for j := i + 1; j < len(segs); j++ {
				if segs[j].Tag == "UNT" || segs[j].Tag == "UNH" || segs[j].Tag == "UNZ" {
					cur.Body = make([]Segment, 0, j-i-1)
					break
				}
			}
		case "UNT":
			if cur == nil {
				fail(s.Errorf("", "UNT without UNH"))
				continue
			}
			cur.Trailer = *s
			checkCount(s, len(cur.Body)+2, -1, "segments in the message (UNH to UNT)", warn)
			if ref := s.Value(2, 1); ref != cur.Ref {
				warn(s.Warnf("2", "the message reference does not match UNH"))
			}
			ic.Messages = append(ic.Messages, *cur)
			if grp != nil {
				grp.Messages++
			}
			cur = nil
		case "UNZ":
			unterminated()
			if grp != nil {
				warn(grp.Header.Warnf("", "the functional group has no UNE"))
				closeGroup(nil)
			}
			ic.Trailer = s
			if len(ic.Groups) > 0 {
				checkCount(s, len(ic.Groups), len(ic.Messages), "groups (or messages) in the interchange", warn)
			} else {
				checkCount(s, len(ic.Messages), -1, "messages in the interchange", warn)
			}
			if ic.Header != nil && s.Value(2, 1) != ic.ControlRef {
				warn(s.Warnf("2", "the interchange control reference does not match UNB"))
			}
		default:
			if cur == nil {
				fail(s.Errorf("", "segment outside any message (not between UNH and UNT)"))
				continue
			}
			cur.Body = append(cur.Body, *s)
		}
	}
	unterminated()
	if grp != nil {
		warn(grp.Header.Warnf("", "the functional group has no UNE"))
		closeGroup(nil)
	}
	if ic.Trailer == nil && ic.Header != nil && len(errs) == 0 {
		last := segs[len(segs)-1]
		warn(Warning{Segment: last.Index, Line: last.Line, Message: "no UNZ interchange trailer after the last segment"})
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	if len(ic.Messages) == 0 {
		return nil, &SyntaxError{Segment: segs[0].Index, Line: segs[0].Line, Tag: segs[0].Tag, Message: "the interchange holds no message"}
	}
	return ic, nil
}

func (ic *Interchange) readUNB(s *Segment, warn func(Warning)) {
	ic.Header = s
	ic.SyntaxID, ic.SyntaxVersion = s.Value(1, 1), s.Value(1, 2)
	ic.Sender = Party{ID: s.Value(2, 1), Qualifier: s.Value(2, 2)}
	ic.Recipient = Party{ID: s.Value(3, 1), Qualifier: s.Value(3, 2)}
	ic.ControlRef = s.Value(5, 1)
	ic.Application = s.Value(7, 1)
	ic.Test = s.Value(11, 1) == "1"
	if ic.ControlRef == "" {
		warn(s.Warnf("5", "the interchange control reference is missing"))
	}
	if d := s.Value(4, 1); d != "" {
		t, ok := unbTime(d, s.Value(4, 2))
		if !ok {
			warn(s.Warnf("4", "the date and time of preparation is not YYMMDD or CCYYMMDD with HHMM"))
		}
		ic.Prepared = t
	}
}

// unbTime reads the UNB date (YYMMDD or CCYYMMDD) and time (HHMM). Two-digit years are 20YY:
// EDIFACT interchanges of syntax versions 1 to 3 are all from this century.
func unbTime(d, hm string) (time.Time, bool) {
	var y, mo, day int
	var ok bool
	switch len(d) {
	case 6:
		y, mo, day, ok = digits2(d[0:2]), digits2(d[2:4]), digits2(d[4:6]), true
		y += 2000
	case 8:
		y, mo, day, ok = digits2(d[0:2])*100+digits2(d[2:4]), digits2(d[4:6]), digits2(d[6:8]), true
	}
	if !ok || !allDigits(d) {
		return time.Time{}, false
	}
	h, mi := 0, 0
	if hm != "" {
		if len(hm) != 4 || !allDigits(hm) {
			return time.Time{}, false
		}
		h, mi = digits2(hm[:2]), digits2(hm[2:])
	}
	t, ok := MakeTime(y, mo, day, h, mi, 0)
	return t, ok
}

func readUNH(s *Segment) (*Message, *SyntaxError) {
	m := &Message{
		Ref: s.Value(1, 1), Type: s.Value(2, 1), Version: s.Value(2, 2), Release: s.Value(2, 3),
		Agency: s.Value(2, 4), Association: s.Value(2, 5), CommonAccessRef: s.Value(3, 1), Header: *s,
	}
	if m.Ref == "" {
		return nil, s.Errorf("1", "the message reference number is missing")
	}
	if m.Type == "" {
		return nil, s.Errorf("2.1", "the message type is missing")
	}
	if seq := s.Value(4, 1); seq != "" {
		n, err := strconv.Atoi(seq)
		if err != nil || n < 1 || n > 99 || !allDigits(seq) {
			return nil, s.Errorf("4.1", "the sequence of transfers is not a number from 1 to 99")
		}
		m.Transfer.Sequence = n
	}
	switch mk := strings.ToUpper(s.Value(4, 2)); mk {
	case "", "C", "F":
		m.Transfer.Marker = mk
		if mk != "" && m.Transfer.Sequence == 0 {
			return nil, s.Errorf("4.1", "a first/last transfer marker without a sequence number")
		}
	default:
		return nil, s.Errorf("4.2", "the first and last transfer marker is not C or F")
	}
	return m, nil
}

// checkCount warns when the count in element 1 of s is neither want nor alt (alt < 0: no alternative).
func checkCount(s *Segment, want, alt int, what string, warn func(Warning)) {
	v := s.Value(1, 1)
	n, err := strconv.Atoi(v)
	switch {
	case v == "":
		warn(s.Warnf("1", "the control count is missing"))
	case err != nil:
		warn(s.Warnf("1", "the control count is not a number"))
	case n != want && n != alt:
		warn(s.Warnf("1", "the control count is "+v+" but there are "+strconv.Itoa(want)+" "+what))
	}
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func digits2(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
