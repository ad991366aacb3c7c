// Package ingest decodes what carriers submit — UN/EDIFACT PAXLST or PNRGOV, or JSON — into
// manifests to screen, with the format detected when not given. It is the one entry point the
// gateway and `watchpost manifest decode` share, so both accept and reject exactly the same
// input, with the same located errors and warnings. Pure; safe for concurrent use.
package ingest

import (
	"bytes"
	"errors"
	"fmt"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/jsonmanifest"
	"github.com/watchpost/watchpost/pipeline/paxlst"
	"github.com/watchpost/watchpost/pipeline/pnrgov"
)

// Formats.
const (
	Auto   = "auto"
	PAXLST = "paxlst"
	PNRGOV = "pnrgov"
	JSON   = "json"
)

// Warning is a located, data-free remark about tolerated input (wrong counts, envelope noise).
type Warning = edifact.Warning

// Message is one decoded message: the manifest to screen and the warnings that concern it.
type Message struct {
	Manifest    event.Manifest
	Interchange string // the sender's interchange control reference (EDIFACT UNB); "" for JSON
	Ref         string // the sender's message reference: UNH reference, or message_ref for JSON
	Warnings    []Warning
	// PNRs are, for a PNRGOV message, its passenger name records in message order, kept
	// whole for targeting rules (see PNRs); nil for PAXLST and JSON. Their travellers are the
	// manifest's, in the same order, and they are linked to Manifest.ID (event.LinkPNRs): a
	// caller that gives the manifest another id links them again.
	PNRs []event.PNR
}

// Result is a decoded submission.
type Result struct {
	Format   string
	Messages []Message
	Warnings []Warning // about the interchange as a whole
}

// Travellers counts the travellers of every message.
func (r *Result) Travellers() int {
	n := 0
	for i := range r.Messages {
		n += len(r.Messages[i].Manifest.Travellers)
	}
	return n
}

// ErrUnknownFormat is returned for a format name that is not one of the constants.
var ErrUnknownFormat = errors.New("unknown format: want auto, paxlst, pnrgov or json")

// Detect guesses the format: JSON when the first non-blank byte opens an object or array,
// PNRGOV or PAXLST by the first message type named after a UNH, PAXLST otherwise.
func Detect(b []byte) string {
	t := bytes.TrimLeft(bytes.TrimPrefix(b, []byte("\xef\xbb\xbf")), " \t\r\n")
	if len(t) > 0 && (t[0] == '{' || t[0] == '[') {
		return JSON
	}
	pax, pnr := bytes.Index(b, []byte("PAXLST")), bytes.Index(b, []byte("PNRGOV"))
	if pnr >= 0 && (pax < 0 || pnr < pax) {
		return PNRGOV
	}
	return PAXLST
}

// Decode decodes b in format (Auto detects it). now stamps ReceivedAt and anchors two-digit
// years. Errors are located (segment, line, element or JSON pointer) and never hold values.
func Decode(format string, b []byte, now time.Time) (*Result, error) {
	if format == "" || format == Auto {
		format = Detect(b)
	}
	res := &Result{Format: format}
	switch format {
	case PAXLST:
		r, err := paxlst.Options{Now: now}.Decode(b)
		if err != nil {
			return nil, err
		}
		res.Warnings = r.Warnings
		for i := range r.Messages {
			m := &r.Messages[i]
			man := m.Manifest()
			man.ReceivedAt = now.UTC()
			res.Messages = append(res.Messages, Message{Manifest: man, Interchange: m.Interchange, Ref: m.Ref, Warnings: m.Warnings})
		}
	case PNRGOV:
		r, err := pnrgov.Options{Now: now}.Decode(b)
		if err != nil {
			return nil, err
		}
		res.Warnings = r.Warnings
		for i := range r.Messages {
			m := &r.Messages[i]
			man := m.Manifest()
			man.ReceivedAt = now.UTC()
			res.Messages = append(res.Messages, Message{Manifest: man, Interchange: m.Interchange, Ref: m.Ref, Warnings: m.Warnings, PNRs: PNRs(m, &man)})
		}
	case JSON:
		msgs, ms, err := jsonmanifest.Decode(b, now)
		if err != nil {
			return nil, err
		}
		for i := range ms {
			res.Messages = append(res.Messages, Message{Manifest: ms[i], Ref: msgs[i].MessageRef})
		}
	default:
		return nil, fmt.Errorf("decoding manifest: %w", ErrUnknownFormat)
	}
	if len(res.Messages) == 0 {
		return nil, errors.New("decoding manifest: no message found")
	}
	return res, nil
}
