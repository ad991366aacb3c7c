package gateway

import (
	"strconv"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Formats a Decoder is asked for.
const (
	FormatAuto   = "auto"   // EDIFACT: PAXLST or PNRGOV, whichever the message is
	FormatPAXLST = "paxlst" // UN/EDIFACT PAXLST (API)
	FormatPNRGOV = "pnrgov" // UN/EDIFACT PNRGOV (PNR)
	FormatJSON   = "json"   // JSON manifests
)

// Decoder turns a request body into manifests. format is "paxlst", "pnrgov", "json" or
// "auto". Errors are *DecodeError (or wrap one, or join several) carrying the location for
// the problem document; any other error is answered as undecodable without detail, because
// its text may quote the body.
//
// Decode is called concurrently and must not keep or modify body after it returns. The
// manifests it returns belong to the gateway, which sets their ID and ReceivedAt.
type Decoder interface {
	Decode(format string, body []byte) (*Decoded, error)
}

// DecoderFunc adapts a function to Decoder.
type DecoderFunc func(format string, body []byte) (*Decoded, error)

// Decode calls f.
func (f DecoderFunc) Decode(format string, body []byte) (*Decoded, error) { return f(format, body) }

// Decoded is what a body holds: one manifest per message, what was tolerated, and the
// interchange and message references the manifest id is derived from (empty when the format
// has none).
//
// PNRs is set for PNRGOV bodies only: PNRs[i] are the passenger name records of message i,
// whose travellers are those of Manifests[i], in the same order. It is nil or has one entry
// per manifest. The gateway links them to the manifest's id and sets their country and
// reception time; they are produced to the pnr topic in the manifests' transaction.
type Decoded struct {
	Manifests      []event.Manifest
	PNRs           [][]event.PNR
	Warnings       []Warning
	InterchangeRef string
	MessageRef     string
}

// Warning is something the decoder tolerated, located in the body. Message never holds data
// values (names, document numbers, dates): it names what was wrong.
type Warning struct {
	Segment int    `json:"segment,omitempty"`
	Line    int    `json:"line,omitempty"`
	Tag     string `json:"tag,omitempty"`
	Field   string `json:"field,omitempty"`
	Message string `json:"message"`
}

// DecodeError is why a body cannot be accepted, located: the segment's position (1-based,
// counting from UNA or UNB), the line, the segment tag, and the field (a data element such as
// "3036" or a JSON path such as "travellers[2].birth_date"). Error never holds data values.
type DecodeError struct {
	Segment int
	Line    int
	Tag     string
	Field   string
	Message string
}

// Error renders the location and the message.
func (e *DecodeError) Error() string {
	var b strings.Builder
	sep := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	if e.Segment > 0 {
		b.WriteString("segment " + strconv.Itoa(e.Segment))
	}
	if e.Line > 0 {
		sep()
		b.WriteString("line " + strconv.Itoa(e.Line))
	}
	if e.Tag != "" {
		sep()
		b.WriteString(e.Tag)
	}
	if e.Field != "" {
		sep()
		b.WriteString("field " + e.Field)
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	b.WriteString(e.Message)
	return b.String()
}

// problem is the entry of a problem document's errors list for e.
func (e *DecodeError) problem() Warning {
	return Warning{Segment: e.Segment, Line: e.Line, Tag: e.Tag, Field: e.Field, Message: e.Message}
}

// decodeErrors collects every *DecodeError in err's tree, depth first, in order.
func decodeErrors(err error) []*DecodeError {
	var out []*DecodeError
	var walk func(error)
	walk = func(err error) {
		if err == nil {
			return
		}
		if de, ok := err.(*DecodeError); ok { //nolint:errorlint // walking the tree by hand; errors.As stops at the first
			out = append(out, de)
			return
		}
		switch u := err.(type) { //nolint:errorlint // as above
		case interface{ Unwrap() []error }:
			for _, e := range u.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}
