package gateway

import (
	"errors"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ingest"
	"github.com/watchpost/watchpost/pipeline/jsonmanifest"
)

// IngestDecoder is the production Decoder: pipeline/ingest (PAXLST, PNRGOV, JSON, detected
// when the format is auto), with the located errors of those decoders turned into
// DecodeErrors, and the PNRs of a PNRGOV body in Decoded.PNRs. country is the screening authority this gateway serves; it fills a manifest
// that names none. now stamps ReceivedAt and anchors two-digit years (time.Now when nil).
func IngestDecoder(country string, now func() time.Time) Decoder {
	if now == nil {
		now = time.Now
	}
	return DecoderFunc(func(format string, body []byte) (*Decoded, error) {
		res, err := ingest.Decode(format, body, now())
		if err != nil {
			return nil, locatedErrors(err)
		}
		d := &Decoded{}
		var refs []string
		for i, m := range res.Messages {
			man := m.Manifest
			if man.Country == "" {
				man.Country = country
			}
			d.Manifests = append(d.Manifests, man)
			if m.PNRs != nil {
				if d.PNRs == nil {
					d.PNRs = make([][]event.PNR, len(res.Messages))
				}
				d.PNRs[i] = m.PNRs
			}
			if i == 0 {
				d.InterchangeRef = m.Interchange
			}
			if m.Ref != "" {
				refs = append(refs, m.Ref)
			}
			for _, w := range m.Warnings {
				d.Warnings = append(d.Warnings, warningOf(w))
			}
		}
		for _, w := range res.Warnings {
			d.Warnings = append(d.Warnings, warningOf(w))
		}
		d.MessageRef = strings.Join(refs, "+")
		return d, nil
	})
}

func warningOf(w ingest.Warning) Warning {
	return Warning{Segment: w.Segment, Line: w.Line, Tag: w.Tag, Field: w.Element, Message: w.Message}
}

// locatedErrors turns the decoders' located errors into DecodeErrors, keeping every one of a
// joined set. An error that carries no location is returned as is (answered without detail).
func locatedErrors(err error) error {
	var out []error
	var walk func(error)
	walk = func(e error) {
		var se *edifact.SyntaxError
		var je *jsonmanifest.Error
		var list edifact.ErrorList
		switch {
		case errors.As(e, &list):
			for _, s := range list {
				out = append(out, &DecodeError{Segment: s.Segment, Line: s.Line, Tag: s.Tag, Field: s.Element, Message: s.Message})
			}
		case isJoin(e):
			for _, inner := range e.(interface{ Unwrap() []error }).Unwrap() {
				walk(inner)
			}
		case errors.As(e, &se):
			out = append(out, &DecodeError{Segment: se.Segment, Line: se.Line, Tag: se.Tag, Field: se.Element, Message: se.Message})
		case errors.As(e, &je):
			out = append(out, &DecodeError{Line: je.Line, Field: je.Pointer, Message: je.Message})
		}
	}
	walk(err)
	if len(out) == 0 {
		return err
	}
	return errors.Join(out...)
}

func isJoin(e error) bool {
	u, ok := e.(interface{ Unwrap() []error })
	return ok && len(u.Unwrap()) > 0
}
