package edifact

import (
	"strconv"
	"strings"
)

// Segment is one segment of an interchange: its tag and its data elements, each a list of
// components. Elements[0] is data element 1, the first after the tag. Empty trailing elements
// and components are kept as sent; an absent one reads as empty through the accessors.
type Segment struct {
	Tag      string
	Elements [][]string
	// Repeats holds the further occurrences of a repeated data element (syntax version 4, when
	// UNA declares a repetition separator), keyed by element index as in Elements. It is nil
	// for almost every segment.
	Repeats map[int][][]string
	Index   int // segment number in the interchange, from 1 (UNB is 1)
	Line    int // input line the segment starts on, from 1
}

// Element returns data element n (from 1), or nil when the segment has fewer elements.
func (s *Segment) Element(n int) []string {
	if n < 1 || n > len(s.Elements) {
		return nil
	}
	return s.Elements[n-1]
}

// Component returns component m (from 1) of data element n (from 1), or "" when absent.
func (s *Segment) Component(n, m int) string {
	e := s.Element(n)
	if m < 1 || m > len(e) {
		return ""
	}
	return e[m-1]
}

// Value returns component m of element n with surrounding spaces trimmed.
func (s *Segment) Value(n, m int) string { return strings.TrimSpace(s.Component(n, m)) }

// Has reports whether data element n has any non-blank component.
func (s *Segment) Has(n int) bool {
	for _, c := range s.Element(n) {
		if strings.TrimSpace(c) != "" {
			return true
		}
	}
	return false
}

// Errorf returns a SyntaxError located at element elem of the segment ("" for the whole
// segment, "4" or "4.1"). The message must not quote data values.
func (s *Segment) Errorf(elem, msg string) *SyntaxError {
	return &SyntaxError{Segment: s.Index, Line: s.Line, Tag: s.Tag, Element: elem, Message: msg}
}

// Warnf returns a Warning located at element elem of the segment. The message must not quote
// data values.
func (s *Segment) Warnf(elem, msg string) Warning {
	return Warning{Segment: s.Index, Line: s.Line, Tag: s.Tag, Element: elem, Message: msg}
}

// Pos renders an element position: Pos(4) is "4", Pos(4, 1) is "4.1".
func Pos(n int, m ...int) string {
	s := strconv.Itoa(n)
	for _, c := range m {
		s += "." + strconv.Itoa(c)
	}
	return s
}

// Text renders the data of the segment after its tag as plain text, joining components and
// elements (and repetitions) with the separator characters they were split on. Data is not
// re-escaped. Free-text segments (LTS, FTX, IFT) use it to keep text whole that happened to
// contain unreleased separators.
func (s *Segment) Text(sep Separators) string {
	var b strings.Builder
	for i, e := range s.Elements {
		if i > 0 {
			b.WriteByte(sep.Element)
		}
		b.WriteString(strings.Join(e, string(sep.Component)))
		for _, r := range s.Repeats[i] {
			b.WriteByte(sep.Repetition)
			b.WriteString(strings.Join(r, string(sep.Component)))
		}
	}
	return b.String()
}

// FoldRepeats puts the repeated occurrences of every element back into the element as data,
// joined by the repetition character rep, and reports whether there were any. Message types
// that define no repeating data elements (PAXLST, PNRGOV) use it: a sender that declares a
// repetition separator in UNA and then writes it unreleased in a name meant it as text.
func (s *Segment) FoldRepeats(rep byte) bool {
	if len(s.Repeats) == 0 {
		return false
	}
	for i, occs := range s.Repeats {
		if i < 0 || i >= len(s.Elements) {
			continue
		}
		e := append([]string(nil), s.Elements[i]...)
		for _, o := range occs {
			if len(e) == 0 {
				e = append(e, "")
			}
			e[len(e)-1] += string(rep)
			if len(o) > 0 {
				e[len(e)-1] += o[0]
				e = append(e, o[1:]...)
			}
		}
		s.Elements[i] = e
	}
	s.Repeats = nil
	return true
}
