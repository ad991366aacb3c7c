package jsonmanifest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Message is one manifest as carriers write it.
type Message struct {
	MessageRef string      `json:"message_ref,omitempty"`
	Type       string      `json:"type"` // passengers or crew
	Carrier    string      `json:"carrier"`
	Flight     string      `json:"flight"`
	Country    string      `json:"country,omitempty"`
	Legs       []Leg       `json:"legs"`
	Travellers []Traveller `json:"travellers"`
}

// Leg is one leg of the flight or voyage.
type Leg struct {
	Departure   string `json:"departure"`
	Arrival     string `json:"arrival"`
	DepartureAt string `json:"departure_at,omitempty"` // RFC 3339
	ArrivalAt   string `json:"arrival_at,omitempty"`
}

// Traveller is one passenger or crew member.
type Traveller struct {
	Role        string     `json:"role,omitempty"` // passenger or crew; defaults from the message type
	Surname     string     `json:"surname"`
	GivenNames  string     `json:"given_names,omitempty"`
	BirthDate   string     `json:"birth_date,omitempty"`
	Sex         string     `json:"sex,omitempty"`
	Nationality string     `json:"nationality,omitempty"`
	Documents   []Document `json:"documents,omitempty"`
}

// Document is a travel document of a traveller.
type Document struct {
	Type   string `json:"type"`
	Number string `json:"number"`
	Issuer string `json:"issuer"`
	Expiry string `json:"expiry,omitempty"`
}

// Error is a located decoding error. Its text names the place, never the value there.
type Error struct {
	Pointer string // JSON pointer, e.g. /travellers/3/birth_date; "" for the whole document
	Line    int    // 1-based, 0 when unknown
	Column  int
	Message string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("json manifest")
	if e.Line > 0 {
		fmt.Fprintf(&b, " line %d column %d", e.Line, e.Column)
	}
	if e.Pointer != "" {
		fmt.Fprintf(&b, " at %s", e.Pointer)
	}
	b.WriteString(": ")
	b.WriteString(e.Message)
	return b.String()
}

// Decode decodes one manifest object, or an array of them, into manifests. receivedAt stamps
// them; ids are left empty for the caller (the gateway derives them).
func Decode(b []byte, receivedAt time.Time) ([]Message, []event.Manifest, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	trimmed := bytes.TrimSpace(b)
	if len(trimmed) == 0 {
		return nil, nil, &Error{Message: "empty document"}
	}
	var msgs []Message
	if trimmed[0] == '[' {
		if err := strict(b, &msgs); err != nil {
			return nil, nil, err
		}
		if len(msgs) == 0 {
			return nil, nil, &Error{Message: "empty array: no manifest"}
		}
	} else {
		var m Message
		if err := strict(b, &m); err != nil {
			return nil, nil, err
		}
		msgs = []Message{m}
	}
	out := make([]event.Manifest, len(msgs))
	var errs []error
	for i := range msgs {
		prefix := ""
		if trimmed[0] == '[' {
			prefix = fmt.Sprintf("/%d", i)
		}
		m, err := msgs[i].manifest(prefix, receivedAt)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out[i] = m
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return msgs, out, nil
}

// strict decodes with unknown fields rejected and locates syntax and type errors.
func strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return locate(b, err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		line, col := position(b, int(dec.InputOffset()))
		return &Error{Line: line, Column: col, Message: "trailing data after the manifest"}
	}
	return nil
}

func locate(b []byte, err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		line, col := position(b, int(syn.Offset))
		return &Error{Line: line, Column: col, Message: "malformed JSON"}
	case errors.As(err, &typ):
		line, col := position(b, int(typ.Offset))
		return &Error{Pointer: pointer(typ.Field), Line: line, Column: col, Message: "want " + typ.Type.String() + ", got a JSON " + typ.Value}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, col := position(b, len(b))
		return &Error{Line: line, Column: col, Message: "document ends early"}
	}
	msg := err.Error()
	if f, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return &Error{Message: "unknown field " + f}
	}
	return &Error{Message: "undecodable JSON"}
}

// pointer turns encoding/json's dotted field path into a JSON pointer (indices are not known).
func pointer(field string) string {
	if field == "" {
		return ""
	}
	return "/" + strings.ReplaceAll(field, ".", "/")
}

func position(b []byte, off int) (line, col int) {
	off = min(max(off, 0), len(b))
	line = 1 + bytes.Count(b[:off], []byte("\n"))
	col = off - bytes.LastIndexByte(b[:off], '\n')
	return line, col
}
