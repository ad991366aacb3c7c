package gateway

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
)

// postCrossings accepts one crossing event from a border post: see openapi.yaml.
func (s *Server) postCrossings(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r.Context())
	client := s.admit(w, r, KindBorderPost)
	if client == nil {
		return
	}
	if !requireJSON(w, r, "a crossing") {
		return
	}
	body, ok := s.readBody(w, r, s.cfg.BodyLimit)
	if !ok {
		return
	}
	c, errs := decodeCrossing(body)
	if c == nil {
		s.metrics.crossings.WithLabelValues(outcomeRejected).Inc()
		writeProblem(w, r, probMalformed, "the body is not a crossing event; see errors for where", errs)
		return
	}
	if len(errs) > 0 {
		s.metrics.crossings.WithLabelValues(outcomeRejected).Inc()
		writeProblem(w, r, probInvalid, "the crossing event is invalid; see errors for which fields", errs)
		return
	}
	var forbidden []Warning
	countryOK, postOK := client.mayPost(c.Country, c.BorderPost)
	if !countryOK {
		forbidden = append(forbidden, Warning{Field: "country", Message: "this border post submits crossings for its own country only"})
	}
	if !postOK {
		forbidden = append(forbidden, Warning{Field: "border_post", Message: "this client may not submit for this border post"})
	}
	if len(forbidden) > 0 {
		s.metrics.crossings.WithLabelValues(outcomeRejected).Inc()
		writeProblem(w, r, probForbidden, "a border post may only submit crossings of its own country and posts", forbidden)
		return
	}
	content, err := crossingContent(c)
	if err != nil {
		writeProblem(w, r, probInternal, "", nil)
		s.log.Error("hashing crossing content", zap.String("request_id", st.id), zap.Error(err))
		return
	}
	c.ID = crossingID(c.Country, c.BorderPost, c.ID, content)
	st.eventID = c.ID
	if c.Time.IsZero() {
		c.Time = s.now().UTC()
	}
	_, dup, err := s.dedup.do(r.Context(), c.ID, content, func() (accepted, error) {
		b, err := s.serde.EncodeCrossing(c)
		if err != nil {
			errs := schemaProblems(err, "")
			for i := range errs {
				if rest, ok := strings.CutPrefix(errs[i].Field, "subject."); ok {
					errs[i].Field = string(c.Kind) + "." + rest
				}
			}
			return accepted{}, &invalidError{errs}
		}
		if err := s.produce(r.Context(), []*kgo.Record{{Topic: s.topics.crossings, Key: []byte(c.ID), Value: b}}); err != nil {
			return accepted{}, err
		}
		return accepted{ids: []string{c.ID}}, nil
	})
	if err != nil {
		s.metrics.crossings.WithLabelValues(outcomeRejected).Inc()
		s.answerSubmitError(w, r, err, "crossing")
		return
	}
	outcome := outcomeAccepted
	if dup {
		outcome = outcomeDuplicate
	}
	s.metrics.crossings.WithLabelValues(outcome).Inc()
	writeJSON(w, http.StatusAccepted, CrossingResponse{CrossingID: c.ID, Duplicate: dup})
}

// The wire form of a crossing is event.Crossing's JSON, with dates and times read as
// strings so that a bad one is reported with its field and without its value (time.Time's
// own error quotes the input). TestCrossingWireMatchesEvent keeps the two in step.
type crossingWire struct {
	ID         string         `json:"id"`
	BorderPost string         `json:"border_post"`
	Country    string         `json:"country"`
	Direction  string         `json:"direction"`
	Time       string         `json:"time"`
	Kind       string         `json:"kind"`
	Person     *personWire    `json:"person"`
	Vehicle    *event.Vehicle `json:"vehicle"`
	Vessel     *event.Vessel  `json:"vessel"`
	Firearm    *event.Firearm `json:"firearm"`
}

type personWire struct {
	Surname     string         `json:"surname"`
	GivenNames  string         `json:"given_names"`
	BirthDate   string         `json:"birth_date"`
	Sex         string         `json:"sex"`
	Nationality string         `json:"nationality"`
	Documents   []documentWire `json:"documents"`
}

type documentWire struct {
	Type   string `json:"type"`
	Number string `json:"number"`
	Issuer string `json:"issuer"`
	Expiry string `json:"expiry"`
}

var countryCode = regexp.MustCompile(`^[A-Z]{3}$`)

// decodeCrossing reads one crossing. A nil crossing means the body is not one (malformed
// JSON, unknown fields, wrong types); otherwise the problems are invalid fields. Problems
// name fields and positions, never values.
func decodeCrossing(body []byte) (*event.Crossing, []Warning) {
	var cw crossingWire
	if p := decodeObject(body, &cw, "crossing"); p != nil {
		return nil, []Warning{*p}
	}
	var errs []Warning
	bad := func(field, msg string) { errs = append(errs, Warning{Field: field, Message: msg}) }
	c := &event.Crossing{
		ID:         strings.TrimSpace(cw.ID),
		BorderPost: strings.ToUpper(strings.TrimSpace(cw.BorderPost)),
		Country:    strings.ToUpper(strings.TrimSpace(cw.Country)),
		Direction:  event.Direction(cw.Direction),
		Kind:       event.SubjectKind(cw.Kind),
		Vehicle:    cw.Vehicle,
		Vessel:     cw.Vessel,
		Firearm:    cw.Firearm,
	}
	if len(c.ID) > 128 {
		bad("id", "at most 128 bytes")
	}
	if c.BorderPost == "" {
		bad("border_post", "required")
	}
	if !countryCode.MatchString(c.Country) {
		bad("country", "required: ISO 3166 alpha-3")
	}
	if c.Direction != event.DirectionEntry && c.Direction != event.DirectionExit {
		bad("direction", "want entry or exit")
	}
	if cw.Time != "" {
		t, err := time.Parse(time.RFC3339Nano, cw.Time)
		if err != nil {
			bad("time", "want an RFC 3339 timestamp with a time zone")
		}
		c.Time = t
	}
	if p := cw.Person; p != nil {
		c.Person = &event.Person{Surname: p.Surname, GivenNames: p.GivenNames, Sex: p.Sex, Nationality: p.Nationality}
		var err error
		if c.Person.BirthDate, err = event.ParseDate(p.BirthDate); err != nil {
			bad("person.birth_date", err.Error()) // ParseDate never repeats its input
		}
		if len(p.Documents) > 0 {
			c.Person.Documents = make([]event.Document, len(p.Documents))
		}
		for i, d := range p.Documents {
			c.Person.Documents[i] = event.Document{Type: d.Type, Number: d.Number, Issuer: d.Issuer}
			if c.Person.Documents[i].Expiry, err = event.ParseDate(d.Expiry); err != nil {
				bad("person.documents["+strconv.Itoa(i)+"].expiry", err.Error())
			}
		}
	}
	set := map[event.SubjectKind]bool{
		event.KindPerson: c.Person != nil, event.KindVehicle: c.Vehicle != nil,
		event.KindVessel: c.Vessel != nil, event.KindFirearm: c.Firearm != nil,
	}
	var present []event.SubjectKind
	for _, k := range []event.SubjectKind{event.KindPerson, event.KindVehicle, event.KindVessel, event.KindFirearm} {
		if set[k] {
			present = append(present, k)
		}
	}
	if c.Kind == "" && len(present) == 1 {
		c.Kind = present[0]
	}
	switch {
	case len(present) == 0:
		bad("kind", "required: set one of person, vehicle, vessel and firearm")
	case len(present) > 1:
		bad("kind", "more than one of person, vehicle, vessel and firearm is set")
	case !set[c.Kind]:
		bad("kind", "want the kind of the one subject set: person, vehicle, vessel or firearm")
	}
	return c, errs
}

// requireJSON answers 415 unless the request's body is application/json; what names the
// body in the problem ("a crossing").
func requireJSON(w http.ResponseWriter, r *http.Request, what string) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != mediaJSON {
		writeProblem(w, r, probMediaType, what+" is application/json", nil)
		return false
	}
	return true
}

// decodeObject decodes body, one JSON object with no unknown fields and nothing after it,
// into v. It returns the located problem when body is not that; what names the object in it.
func decodeObject(body []byte, v any, what string) *Warning {
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		p := jsonProblem(body, err)
		return &p
	}
	end := dec.InputOffset()
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		for end < int64(len(body)) && strings.IndexByte(" \t\r\n", body[end]) >= 0 {
			end++
		}
		line, col := position(body, end)
		return &Warning{Line: line, Message: "unexpected data after the " + what + " object, at column " + strconv.Itoa(col)}
	}
	return nil
}

// jsonProblem locates a JSON decoding error. encoding/json's messages may quote the input
// (a syntax error names the offending character), so each is rephrased.
func jsonProblem(body []byte, err error) Warning {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		line, col := position(body, se.Offset-1) // Offset counts the offending byte
		return Warning{Line: line, Message: "malformed JSON at column " + strconv.Itoa(col)}
	case errors.As(err, &te):
		line, _ := position(body, te.Offset)
		return Warning{Line: line, Field: te.Field, Message: "want a JSON " + jsonKind(te.Type)}
	case errors.Is(err, io.ErrUnexpectedEOF):
		line, _ := position(body, int64(len(body)))
		return Warning{Line: line, Message: "the JSON ends before the object does"}
	case errors.Is(err, io.EOF):
		return Warning{Message: "the body holds no JSON value"}
	}
	// encoding/json reports an unknown field only by its message: json: unknown field "x".
	if q, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		if name, uerr := strconv.Unquote(q); uerr == nil && len(name) <= 64 && printable(name) {
			return Warning{Field: name, Message: "unknown field"}
		}
		return Warning{Message: "unknown field"}
	}
	return Warning{Message: "malformed JSON"}
}

// printable reports whether a field name can be named back to the client: no control
// character, and no U+FFFD — encoding/json puts that in place of bytes that were not UTF-8,
// so the name would not be the one the client sent.
func printable(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return false
		}
	}
	return true
}

// jsonKind names the JSON kind a Go type reads from.
func jsonKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "value"
	}
	switch t.Kind() { //nolint:exhaustive // every other kind reads from some other JSON value
	case reflect.String:
		return "string"
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.Slice, reflect.Array:
		return "array"
	case reflect.Struct, reflect.Map:
		return "object"
	default:
		return "value"
	}
}

// position turns a byte offset into a 1-based line and column.
func position(body []byte, off int64) (line, col int) {
	if off > int64(len(body)) {
		off = int64(len(body))
	}
	if off < 0 {
		off = 0
	}
	before := body[:off]
	line = 1 + bytes.Count(before, []byte{'\n'})
	col = int(off) - bytes.LastIndexByte(before, '\n')
	return line, col
}
