package schemas

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// This file holds the plumbing between Go values and goavro's native form: field paths for
// error messages, the decoding reader, and encoding helpers. Messages name fields, never
// values.

// loc is a field path such as travellers[3].person.birth_date, rendered only on error.
type loc struct {
	parent *loc
	field  string
	idx    int // element index into the array named field, or -1
}

func (l *loc) at(field string) *loc          { return &loc{parent: l, field: field, idx: -1} }
func (l *loc) elem(field string, i int) *loc { return &loc{parent: l, field: field, idx: i} }

func (l *loc) String() string {
	var parts []string
	for p := l; p != nil; p = p.parent {
		if p.field == "" {
			continue
		}
		s := p.field
		if p.idx >= 0 {
			s += "[" + strconv.Itoa(p.idx) + "]"
		}
		parts = append(parts, s)
	}
	var b strings.Builder
	for i := len(parts) - 1; i >= 0; i-- {
		b.WriteString(parts[i])
		if i > 0 {
			b.WriteByte('.')
		}
	}
	return b.String()
}

// errAt is an error about the field at l.
func errAt(l *loc, msg string) error { return errors.New(l.String() + ": " + msg) }

// --- decoding ---

// reader maps goavro natives onto Go values, keeping the first error. A field the writer's
// schema lacks reads as its zero value when optional and is an error when required.
type reader struct{ err error }

type obj struct {
	m map[string]any
	l *loc
}

func (r *reader) fail(l *loc, msg string) {
	if r.err == nil {
		r.err = errAt(l, msg)
	}
}

// primitiveBranch lists the union branch names goavro uses for unnamed types. Named types
// (records, enums) and logical types have a dotted name.
var primitiveBranch = map[string]bool{
	"boolean": true, "int": true, "long": true, "float": true, "double": true, "bytes": true, "string": true,
}

// unwrap strips goavro's union wrapper {branch: value}, if v is one. Record natives are maps
// too, but keyed by field names, which never contain a dot and are never primitive names in
// Watchpost schemas.
func unwrap(v any) (string, any) {
	m, ok := v.(map[string]any)
	if !ok || len(m) != 1 {
		return "", v
	}
	for k, x := range m {
		if strings.Contains(k, ".") || primitiveBranch[k] {
			return k, x
		}
	}
	return "", v
}

// get returns the unwrapped value of field name, and whether it holds a value.
func (r *reader) get(o obj, name string, required bool) (any, bool) {
	v, present := o.m[name]
	if !present {
		if required {
			r.fail(o.l.at(name), "required field missing from the writer's schema")
		}
		return nil, false
	}
	_, v = unwrap(v)
	if v == nil {
		if required {
			r.fail(o.l.at(name), "required field is null")
		}
		return nil, false
	}
	return v, true
}

func (r *reader) str(o obj, name string, required bool) string {
	v, ok := r.get(o, name, required)
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(o.l.at(name), "want a string")
	}
	return s
}

func (r *reader) date(o obj, name string) event.Date {
	s := r.str(o, name, false)
	d, err := event.ParseDate(s)
	if err != nil {
		r.fail(o.l.at(name), "invalid date: "+err.Error())
	}
	return d
}

// dateValue parses an array item holding an optional date.
func (r *reader) dateValue(v any, l *loc) event.Date {
	_, v = unwrap(v)
	if v == nil {
		return event.Date{}
	}
	s, ok := v.(string)
	if !ok {
		r.fail(l, "want a date string")
		return event.Date{}
	}
	d, err := event.ParseDate(s)
	if err != nil {
		r.fail(l, "invalid date: "+err.Error())
	}
	return d
}

func (r *reader) time(o obj, name string) time.Time {
	v, ok := r.get(o, name, false)
	if !ok {
		return time.Time{}
	}
	switch t := v.(type) {
	case time.Time:
		return t
	case int64: // a writer without the logical type
		return time.UnixMicro(t).UTC()
	default:
		r.fail(o.l.at(name), "want a timestamp")
		return time.Time{}
	}
}

func (r *reader) long(o obj, name string) int64 {
	v, ok := r.get(o, name, true)
	if !ok {
		return 0
	}
	switch n := v.(type) {
	case int64:
		return n
	case int32: // promoted from int
		return int64(n)
	default:
		r.fail(o.l.at(name), "want an integer")
		return 0
	}
}

func (r *reader) int32(o obj, name string) int32 {
	v, ok := r.get(o, name, true)
	if !ok {
		return 0
	}
	n, ok := v.(int32)
	if !ok {
		r.fail(o.l.at(name), "want a 32-bit integer")
	}
	return n
}

func (r *reader) double(o obj, name string) float64 {
	v, ok := r.get(o, name, true)
	if !ok {
		return 0
	}
	switch n := v.(type) {
	case float64:
		return n
	case float32: // promoted from float
		return float64(n)
	case int64:
		return float64(n)
	case int32:
		return float64(n)
	default:
		r.fail(o.l.at(name), "want a number")
		return 0
	}
}

func (r *reader) boolean(o obj, name string) bool {
	v, ok := r.get(o, name, false)
	if !ok {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(o.l.at(name), "want a boolean")
	}
	return b
}

// bytes returns a copy: goavro's natives alias the input buffer.
func (r *reader) bytes(o obj, name string) []byte {
	v, ok := r.get(o, name, false)
	if !ok {
		return nil
	}
	switch b := v.(type) {
	case []byte:
		return append([]byte{}, b...)
	case string:
		return []byte(b)
	default:
		r.fail(o.l.at(name), "want bytes")
		return nil
	}
}

func (r *reader) record(o obj, name string) obj {
	v, ok := r.get(o, name, true)
	if !ok {
		return obj{m: map[string]any{}, l: o.l.at(name)}
	}
	return r.asObj(v, o.l.at(name))
}

func (r *reader) asObj(v any, l *loc) obj {
	_, v = unwrap(v)
	m, ok := v.(map[string]any)
	if !ok {
		r.fail(l, "want a record")
		m = map[string]any{}
	}
	return obj{m: m, l: l}
}

func (r *reader) array(o obj, name string) []any {
	v, ok := r.get(o, name, false)
	if !ok {
		return nil
	}
	a, ok := v.([]any)
	if !ok {
		r.fail(o.l.at(name), "want an array")
	}
	return a
}

func (r *reader) strings(o obj, name string) []string {
	a := r.array(o, name)
	if len(a) == 0 {
		return nil
	}
	out := make([]string, len(a))
	for i, v := range a {
		_, v = unwrap(v)
		s, ok := v.(string)
		if !ok {
			r.fail(o.l.elem(name, i), "want a string")
		}
		out[i] = s
	}
	return out
}

// branch reads a union of records: the short record name of the branch taken, and the
// record. ok is false when the field is null or missing.
func (r *reader) branch(o obj, name string, required bool) (string, obj, bool) {
	v, present := o.m[name]
	if !present || v == nil {
		if required {
			msg := "required field is null"
			if !present {
				msg = "required field missing from the writer's schema"
			}
			r.fail(o.l.at(name), msg)
		}
		return "", obj{}, false
	}
	full, inner := unwrap(v)
	if full == "" || inner == nil {
		r.fail(o.l.at(name), "want a union of records")
		return "", obj{}, false
	}
	short := full[strings.LastIndexByte(full, '.')+1:]
	return short, r.asObj(inner, o.l.at(name)), true
}

// --- encoding ---

// optString encodes an optional string: empty is null.
func optString(s string) any {
	if s == "" {
		return nil
	}
	return map[string]any{"string": s}
}

// optDate encodes an optional partial date; the date must be valid.
func optDate(d event.Date) any {
	if d.IsZero() {
		return nil
	}
	return map[string]any{"string": d.String()}
}

// optTime encodes an optional timestamp: the zero time is null. The time must be in range.
func optTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return map[string]any{"long.timestamp-micros": t.UnixMicro()}
}

func optBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return map[string]any{"bytes": b}
}

func optEnum(name, symbol string) any {
	if symbol == "" {
		return nil
	}
	return map[string]any{name: symbol}
}

func strs(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// --- validation shared by encoding and decoding ---

// validator collects every problem of a value, each naming its field.
type validator struct{ errs []error }

func (v *validator) add(l *loc, msg string) { v.errs = append(v.errs, errAt(l, msg)) }

// result is every problem on one line, so it fits a log field or a dead-letter header.
func (v *validator) result() error { return oneLine(errors.Join(v.errs...)) }

// oneLine flattens a joined error onto one line.
func oneLine(err error) error {
	if err == nil || !strings.Contains(err.Error(), "\n") {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), "\n", "; "))
}

func (v *validator) required(l *loc, field, s string) {
	if s == "" {
		v.add(l.at(field), "required")
	}
}

func (v *validator) date(l *loc, field string, d event.Date) {
	if err := d.Validate(); err != nil {
		v.add(l.at(field), "invalid date: "+err.Error())
	}
}

// time checks that t is zero or within the years every encoding of it can represent.
func (v *validator) time(l *loc, field string, t time.Time) {
	if t.IsZero() {
		return
	}
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		v.add(l.at(field), "timestamp out of range: year must be 1-9999")
	}
}

func (v *validator) finite(l *loc, field string, f float64) {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		v.add(l.at(field), "want a finite number")
	}
}

func (v *validator) snapshot(l *loc, field string, n uint64) {
	if n > math.MaxInt64 {
		v.add(l.at(field), "snapshot version exceeds 2^63-1")
	}
}

func (v *validator) enum(l *loc, field, s string, optional bool, symbols ...string) {
	if s == "" && optional {
		return
	}
	for _, sym := range symbols {
		if s == sym {
			return
		}
	}
	v.add(l.at(field), "want one of "+strings.Join(symbols, ", "))
}
