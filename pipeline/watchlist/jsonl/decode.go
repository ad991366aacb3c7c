package jsonl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Messages of field errors. They are fixed texts: an error never repeats a value.
const (
	msgRequired     = "required"
	msgString       = "want a string"
	msgStrings      = "want an array of strings"
	msgBool         = "want true or false"
	msgObject       = "want a JSON object"
	msgObjects      = "want an array of objects"
	msgUnknown      = "unknown field"
	msgMiscased     = "unknown field (field names are lower-case)"
	msgEmpty        = "empty value"
	msgCountry      = "want an ISO 3166 alpha-3 code"
	msgDate         = "want YYYY, YYYY-MM or YYYY-MM-DD (a real date)"
	msgSex          = "want M, F or U"
	msgDuplicate    = "duplicate id"
	msgTooLong      = "longer than 255 bytes"
	msgTooMany      = "more than 255 entries"
	msgLineTooLong  = "line longer than the 16 MiB limit"
	msgNotObject    = "not a JSON object"
	msgTrailing     = "more than one JSON value on the line"
	msgBadJSON      = "malformed JSON"
	msgBadUTF8      = "not valid UTF-8"
	msgNameForm     = "want surname and/or given_names, or full_name alone"
	msgNoName       = "at least one name required"
	msgNoticeType   = "want red, yellow, blue, green, un_special, black, orange or purple"
	msgStatus       = "want stolen, lost, stolen_blank, revoked or invalidated"
	msgDocNumber    = "want letters and digits (at most 63 once spaces and punctuation are dropped)"
	msgRange        = "want the last number of the range: same length and prefix as number, a numeric suffix, after number"
	msgVIN          = "want at least 6 letters and digits, no unreadable-character marker"
	msgVINSubject   = "want letters and digits (at most one unreadable character marked '*', '?' or '_')"
	msgIMO          = "want seven digits, optionally prefixed with IMO"
	msgHIN          = "want at least 5 letters and digits"
	msgSerial       = "want at least 5 letters and digits"
	msgFirearmSer   = "want at least 3 letters and digits"
	msgIdentifier   = "one of vin, plate or part_serials required"
	msgVesselIdent  = "one of imo, hin or engine_serials required"
	msgKind         = "want person, vehicle, vessel or firearm"
	msgOtherKind    = "not a field of this kind of subject"
	msgDocumentType = "want an ICAO document code (letters)"
	msgCountryUpper = "want an upper-case ISO 3166 alpha-3 code"
	msgOtherOwner   = "another owner's record: a loader loads only its own country's records"
	msgOtherIssuer  = "issued by another country: only the issuing country may load its documents"
)

// fieldError is one problem with one field of one line.
type fieldError struct {
	path string // field path: "issuer", "names[1].surname"; empty for the whole line
	msg  string
}

// object is one decoded JSON object: its exact keys and raw values, and the errors found so
// far. Every accessor records the key as known; unknown keys are reported by finish.
type object struct {
	owner  string // the loader's owner (Options.Owner), or ""
	prefix string // path of this object inside the line: "" or "names[2]."
	raw    map[string]json.RawMessage
	known  []string
	errs   *[]fieldError
}

func (o *object) fail(key, msg string) {
	*o.errs = append(*o.errs, fieldError{path: o.prefix + key, msg: msg})
}

// get returns key's raw value, or nil when absent or null.
func (o *object) get(key string) json.RawMessage {
	o.known = append(o.known, key)
	v, ok := o.raw[key]
	if !ok || string(v) == "null" {
		return nil
	}
	return v
}

// ok reports whether key decoded without a recorded error, so that later checks of its value
// do not pile a second error on the same field.
func (o *object) ok(key string) bool {
	for _, e := range *o.errs {
		if e.path == o.prefix+key || strings.HasPrefix(e.path, o.prefix+key+"[") {
			return false
		}
	}
	return true
}

func (o *object) has(key string) bool {
	_, ok := o.raw[key]
	return ok && string(o.raw[key]) != "null"
}

// str decodes a string field; absent and null are "".
func (o *object) str(key string) string {
	v := o.get(key)
	if v == nil {
		return ""
	}
	s, ok := decodeString(v)
	if !ok {
		o.fail(key, msgString)
	}
	return s
}

// decodeString decodes a JSON string, quickly when it has no escapes.
func decodeString(v json.RawMessage) (string, bool) {
	if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' && bytes.IndexByte(v, '\\') < 0 && utf8.Valid(v) {
		return string(v[1 : len(v)-1]), true
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", false
	}
	return s, true
}

// strs decodes an array of strings; absent and null are nil. Empty entries are reported.
func (o *object) strs(key string) []string {
	v := o.get(key)
	if v == nil {
		return nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(v, &raws); err != nil {
		o.fail(key, msgStrings)
		return nil
	}
	out := make([]string, 0, len(raws))
	for i, r := range raws {
		s, ok := decodeString(r)
		switch {
		case !ok:
			o.fail(key+"["+strconv.Itoa(i)+"]", msgString)
		case strings.TrimSpace(s) == "":
			o.fail(key+"["+strconv.Itoa(i)+"]", msgEmpty)
		default:
			out = append(out, s)
		}
	}
	return out
}

func (o *object) boolean(key string) bool {
	v := o.get(key)
	if v == nil {
		return false
	}
	switch string(v) {
	case "true":
		return true
	case "false":
		return false
	}
	o.fail(key, msgBool)
	return false
}

func (o *object) date(key string) event.Date {
	v := o.get(key)
	if v == nil {
		return event.Date{}
	}
	s, ok := decodeString(v)
	if !ok {
		o.fail(key, msgString)
		return event.Date{}
	}
	d, err := event.ParseDate(s)
	if err != nil {
		o.fail(key, msgDate)
	}
	return d
}

func (o *object) dates(key string) []event.Date {
	var out []event.Date
	for i, s := range o.strs(key) {
		d, err := event.ParseDate(s)
		if err != nil || d.IsZero() {
			o.fail(key+"["+strconv.Itoa(i)+"]", msgDate)
			continue
		}
		out = append(out, d)
	}
	return out
}

// objects decodes an array of objects; each element gets its own path prefix.
func (o *object) objects(key string) []*object {
	v := o.get(key)
	if v == nil {
		return nil
	}
	var raws []json.RawMessage
	if err := json.Unmarshal(v, &raws); err != nil {
		o.fail(key, msgObjects)
		return nil
	}
	out := make([]*object, 0, len(raws))
	for i, r := range raws {
		sub := &object{prefix: o.prefix + key + "[" + strconv.Itoa(i) + "].", errs: o.errs}
		if err := json.Unmarshal(r, &sub.raw); err != nil || sub.raw == nil {
			o.fail(key+"["+strconv.Itoa(i)+"]", msgObject)
			continue
		}
		out = append(out, sub)
	}
	return out
}

// finish reports every key no accessor asked for, in a stable order. A key is named only
// when it looks like a field name; anything else could be a value typed in the wrong place.
func (o *object) finish() {
	var unknown []string
	for k := range o.raw {
		if !slices.Contains(o.known, k) {
			unknown = append(unknown, k)
		}
	}
	slices.Sort(unknown)
	for _, k := range unknown {
		switch {
		case fieldName(k):
			o.fail(k, msgUnknown)
		case slices.Contains(o.known, strings.ToLower(k)):
			o.fail(k, msgMiscased)
		default:
			o.fail("(unnamed)", msgUnknown)
		}
	}
}

// fieldName reports whether s is safe to repeat in an error as a field name: 1 to 32
// lower-case ASCII letters, digits and underscores, as every field of the formats is.
// Anything else could be a value typed in the wrong place.
func fieldName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// decodeLine parses one line into an object. It reports a line that is not one JSON object.
func decodeLine(line []byte, errs *[]fieldError) (*object, bool) {
	if !utf8.Valid(line) {
		*errs = append(*errs, fieldError{msg: msgBadUTF8})
		return nil, false
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(line, &raw); err == nil {
		if raw == nil {
			*errs = append(*errs, fieldError{msg: msgNotObject})
			return nil, false
		}
		return &object{raw: raw, errs: errs}, true
	}
	// Not one JSON object: a decoder tells a malformed line from a wrong type or a second value.
	raw = nil
	dec := json.NewDecoder(bytes.NewReader(line))
	if err := dec.Decode(&raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			*errs = append(*errs, fieldError{msg: msgNotObject})
		} else {
			*errs = append(*errs, fieldError{msg: msgBadJSON})
		}
		return nil, false
	}
	if raw == nil {
		*errs = append(*errs, fieldError{msg: msgNotObject})
		return nil, false
	}
	if _, err := dec.Token(); err == nil {
		*errs = append(*errs, fieldError{msg: msgTrailing})
		return nil, false
	} else if !errors.Is(err, io.EOF) {
		*errs = append(*errs, fieldError{msg: msgTrailing})
		return nil, false
	}
	return &object{raw: raw, errs: errs}, true
}

// formatErrors renders a line's errors, one per field: "FILE:LINE: FIELD: MESSAGE".
func formatErrors(name string, line int, errs []fieldError) error {
	out := make([]error, len(errs))
	for i, e := range errs {
		if e.path == "" {
			out[i] = fmt.Errorf("%s:%d: %s", name, line, e.msg)
		} else {
			out[i] = fmt.Errorf("%s:%d: %s: %s", name, line, e.path, e.msg)
		}
	}
	return errors.Join(out...)
}
