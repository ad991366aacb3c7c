package edifact

import (
	"strconv"
	"strings"
)

// Warning is something wrong in an interchange that did not prevent decoding it: envelope
// noise that was skipped, a control count or reference that does not match, a segment the
// decoder does not use. Segment and Line are 0 when the warning is about the whole input.
// Message never quotes data values.
type Warning struct {
	Segment int    `json:"segment,omitempty"`
	Line    int    `json:"line,omitempty"`
	Tag     string `json:"tag,omitempty"`
	Element string `json:"element,omitempty"`
	Message string `json:"message"`
}

// String renders the warning with its location, in the form of a SyntaxError.
func (w Warning) String() string {
	return location(w.Segment, w.Line, w.Tag, w.Element) + w.Message
}

// SyntaxError is a located error: the segment number in the interchange, the line the segment
// starts on, its tag and the element ("4" or, for a component, "4.1"). Message says what is wrong
// without quoting the data. Err, when set, classifies the error for errors.Is (for example
// paxlst.ErrMissingPart).
type SyntaxError struct {
	Segment int
	Line    int
	Tag     string
	Element string
	Message string
	Err     error
}

func (e *SyntaxError) Error() string {
	return location(e.Segment, e.Line, e.Tag, e.Element) + e.Message
}

// Unwrap returns the classifying error, if any.
func (e *SyntaxError) Unwrap() error { return e.Err }

func location(seg, line int, tag, elem string) string {
	var b strings.Builder
	if seg > 0 {
		b.WriteString("segment ")
		b.WriteString(strconv.Itoa(seg))
		if tag != "" {
			b.WriteString(" (" + tag + ")")
		}
	} else if tag != "" {
		b.WriteString(tag)
	}
	if line > 0 {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(line))
	}
	if elem != "" {
		if b.Len() > 0 {
			b.WriteString(" ")
		}
		b.WriteString("element ")
		b.WriteString(elem)
	}
	if b.Len() == 0 {
		return ""
	}
	return b.String() + ": "
}

// MaxErrors is how many located errors a decode collects before it stops.
const MaxErrors = 50

// ErrorList is every located error of one decode, in input order. It is returned when there
// is more than one; errors.As finds each *SyntaxError in it.
type ErrorList []*SyntaxError

// Error renders one error per line.
func (l ErrorList) Error() string {
	parts := make([]string, len(l))
	for i, e := range l {
		parts[i] = e.Error()
	}
	return strings.Join(parts, "\n")
}

// Unwrap returns the errors for errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	out := make([]error, len(l))
	for i, e := range l {
		out[i] = e
	}
	return out
}

// Err returns nil for an empty list, the error itself for a list of one, and the list otherwise.
func (l ErrorList) Err() error {
	switch len(l) {
	case 0:
		return nil
	case 1:
		return l[0]
	default:
		return l
	}
}
