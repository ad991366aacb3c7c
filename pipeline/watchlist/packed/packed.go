// Package packed encodes watchlist records compactly: the form in which a matcher worker
// keeps every record it follows (a few dozen bytes for an SLTD record, instead of a struct of
// strings and slices) and writes them into its local snapshot file.
//
// A packed record is a byte string: a format byte, then the record's fields in a fixed
// order, each string as a uvarint length and its bytes, each list as a uvarint count and its
// items, each date as three uvarints. Decoding checks every length against what is left and
// reports the field it failed on; it never panics on any input (see the fuzz targets).
// Decoded strings are substrings of the packed string: they share its memory.
package packed

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Format bytes: the first byte of a packed record names its type.
const (
	formatDocument       = 'D'
	formatPerson         = 'P'
	formatTravelDocument = 'T'
	formatVehicle        = 'V'
	formatVessel         = 'S'
	formatFirearm        = 'F'
)

// ErrCorrupt marks a packed record that cannot be decoded.
var ErrCorrupt = errors.New("corrupt packed record")

// maxList bounds a list's item count, so corrupt input cannot ask for a huge allocation.
const maxList = 1 << 12

type writer struct{ b []byte }

func (w *writer) str(s string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(s)))
	w.b = append(w.b, s...)
}

func (w *writer) strs(ss []string) {
	w.b = binary.AppendUvarint(w.b, uint64(len(ss)))
	for _, s := range ss {
		w.str(s)
	}
}

func (w *writer) uint(n uint64) { w.b = binary.AppendUvarint(w.b, n) }

func (w *writer) date(d event.Date) {
	w.uint(uint64(max(d.Year, 0)))
	w.uint(uint64(max(d.Month, 0)))
	w.uint(uint64(max(d.Day, 0)))
}

func (w *writer) access(a event.Access) {
	w.strs(a.RestrictedFrom)
	w.strs(a.RestrictedTo)
}

type reader struct {
	s     string
	field string // the field being read, for errors
	err   error
}

func (r *reader) fail(msg string) {
	if r.err == nil {
		r.err = fmt.Errorf("%w: %s: %s", ErrCorrupt, r.field, msg)
	}
}

func (r *reader) uint(field string) uint64 {
	if r.err != nil {
		return 0
	}
	r.field = field
	n, k := uvarint(r.s)
	if k <= 0 {
		r.fail("bad varint")
		return 0
	}
	r.s = r.s[k:]
	return n
}

func (r *reader) str(field string) string {
	n := r.uint(field)
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.s)) {
		r.fail("length beyond the end")
		return ""
	}
	s := r.s[:n]
	r.s = r.s[n:]
	return s
}

// count reads a list's item count, refusing one that cannot fit what is left (every item
// takes at least one byte) or exceeds maxList; 0 on error.
func (r *reader) count(field string) int {
	n := r.uint(field)
	if r.err != nil {
		return 0
	}
	if n > maxList || n > uint64(len(r.s)) {
		r.fail("list too long")
		return 0
	}
	return int(n)
}

func (r *reader) strs(field string) []string {
	n := r.count(field)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.str(field)
	}
	return out
}

func (r *reader) date(field string) event.Date {
	y, m, d := r.uint(field), r.uint(field), r.uint(field)
	if y > 9999 || m > 12 || d > 31 {
		r.fail("date out of range")
		return event.Date{}
	}
	return event.Date{Year: int(y), Month: int(m), Day: int(d)}
}

func (r *reader) access() event.Access {
	return event.Access{RestrictedFrom: r.strs("restricted_from"), RestrictedTo: r.strs("restricted_to")}
}

// start checks the format byte and returns a reader over the fields.
func start(s string, format byte) *reader {
	r := &reader{field: "format"}
	if len(s) == 0 || s[0] != format {
		r.fail("wrong record type")
		return r
	}
	r.s = s[1:]
	return r
}

func (r *reader) end() error {
	if r.err == nil && len(r.s) != 0 {
		r.field = "end"
		r.fail("trailing bytes")
	}
	return r.err
}

// uvarint is binary.Uvarint over a string, without copying it.
func uvarint(s string) (uint64, int) {
	var x uint64
	var shift uint
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		b := s[i]
		if b < 0x80 {
			if i == binary.MaxVarintLen64-1 && b > 1 {
				return 0, -1
			}
			return x | uint64(b)<<shift, i + 1
		}
		x |= uint64(b&0x7f) << shift
		shift += 7
	}
	return 0, 0
}

// Document packs an SLTD record.
func Document(d *watchlist.Document) string {
	w := writer{b: make([]byte, 0, 48)}
	w.b = append(w.b, formatDocument)
	for _, s := range []string{d.ID, d.Number, d.NumberTo, d.Type, d.Issuer, string(d.Status), d.Owner} {
		w.str(s)
	}
	w.access(d.Access)
	return string(w.b)
}

// UnpackDocument decodes a packed SLTD record.
func UnpackDocument(s string) (watchlist.Document, error) {
	r := start(s, formatDocument)
	d := watchlist.Document{
		ID: r.str("id"), Number: r.str("number"), NumberTo: r.str("number_to"), Type: r.str("type"),
		Issuer: r.str("issuer"), Status: watchlist.DocumentStatus(r.str("status")), Owner: r.str("owner"),
	}
	d.Access = r.access()
	return d, r.end()
}

// Person packs a notice or nominal record.
func Person(p *watchlist.Person) string {
	w := writer{b: make([]byte, 0, 96)}
	w.b = append(w.b, formatPerson)
	w.str(p.ID)
	w.str(string(p.NoticeType))
	w.uint(uint64(len(p.Names)))
	for _, n := range p.Names {
		w.str(n.Surname)
		w.str(n.GivenNames)
		w.str(n.FullName)
		if n.Weak {
			w.uint(1)
		} else {
			w.uint(0)
		}
	}
	w.uint(uint64(len(p.BirthDates)))
	for _, d := range p.BirthDates {
		w.date(d)
	}
	w.strs(p.Nationalities)
	w.str(p.Sex)
	w.str(p.Owner)
	w.access(p.Access)
	return string(w.b)
}

// UnpackPerson decodes a packed notice or nominal record.
func UnpackPerson(s string) (watchlist.Person, error) {
	r := start(s, formatPerson)
	p := watchlist.Person{ID: r.str("id"), NoticeType: watchlist.NoticeType(r.str("notice_type"))}
	if n := r.count("names"); n > 0 {
		p.Names = make([]watchlist.Name, n)
		for i := range p.Names {
			p.Names[i] = watchlist.Name{Surname: r.str("names.surname"), GivenNames: r.str("names.given_names"), FullName: r.str("names.full_name"), Weak: r.uint("names.weak") == 1}
		}
	}
	if n := r.count("birth_dates"); n > 0 {
		p.BirthDates = make([]event.Date, n)
		for i := range p.BirthDates {
			p.BirthDates[i] = r.date("birth_dates")
		}
	}
	p.Nationalities = r.strs("nationalities")
	p.Sex = r.str("sex")
	p.Owner = r.str("owner")
	p.Access = r.access()
	return p, r.end()
}

// TravelDocument packs a TDAWN record.
func TravelDocument(d *watchlist.TravelDocument) string {
	w := writer{b: make([]byte, 0, 48)}
	w.b = append(w.b, formatTravelDocument)
	for _, s := range []string{d.ID, d.Number, d.Type, d.Issuer, d.NoticeID, d.Owner} {
		w.str(s)
	}
	w.access(d.Access)
	return string(w.b)
}

// UnpackTravelDocument decodes a packed TDAWN record.
func UnpackTravelDocument(s string) (watchlist.TravelDocument, error) {
	r := start(s, formatTravelDocument)
	d := watchlist.TravelDocument{ID: r.str("id"), Number: r.str("number"), Type: r.str("type"), Issuer: r.str("issuer"), NoticeID: r.str("notice_id"), Owner: r.str("owner")}
	d.Access = r.access()
	return d, r.end()
}

// Vehicle packs a stolen-vehicle record.
func Vehicle(v *watchlist.Vehicle) string {
	w := writer{b: make([]byte, 0, 64)}
	w.b = append(w.b, formatVehicle)
	for _, s := range []string{v.ID, v.VIN, v.Plate, v.PlateCountry, v.Make, v.Model} {
		w.str(s)
	}
	w.strs(v.PartSerials)
	w.str(v.Owner)
	w.access(v.Access)
	return string(w.b)
}

// UnpackVehicle decodes a packed stolen-vehicle record.
func UnpackVehicle(s string) (watchlist.Vehicle, error) {
	r := start(s, formatVehicle)
	v := watchlist.Vehicle{ID: r.str("id"), VIN: r.str("vin"), Plate: r.str("plate"), PlateCountry: r.str("plate_country"), Make: r.str("make"), Model: r.str("model")}
	v.PartSerials = r.strs("part_serials")
	v.Owner = r.str("owner")
	v.Access = r.access()
	return v, r.end()
}

// Vessel packs a stolen-vessel record.
func Vessel(v *watchlist.Vessel) string {
	w := writer{b: make([]byte, 0, 64)}
	w.b = append(w.b, formatVessel)
	for _, s := range []string{v.ID, v.IMO, v.HIN, v.Name} {
		w.str(s)
	}
	w.strs(v.EngineSerials)
	w.str(v.Owner)
	w.access(v.Access)
	return string(w.b)
}

// UnpackVessel decodes a packed stolen-vessel record.
func UnpackVessel(s string) (watchlist.Vessel, error) {
	r := start(s, formatVessel)
	v := watchlist.Vessel{ID: r.str("id"), IMO: r.str("imo"), HIN: r.str("hin"), Name: r.str("name")}
	v.EngineSerials = r.strs("engine_serials")
	v.Owner = r.str("owner")
	v.Access = r.access()
	return v, r.end()
}

// Firearm packs a firearm record.
func Firearm(f *watchlist.Firearm) string {
	w := writer{b: make([]byte, 0, 48)}
	w.b = append(w.b, formatFirearm)
	for _, s := range []string{f.ID, f.Serial, f.Make, f.Model, f.Calibre, f.Owner} {
		w.str(s)
	}
	w.access(f.Access)
	return string(w.b)
}

// UnpackFirearm decodes a packed firearm record.
func UnpackFirearm(s string) (watchlist.Firearm, error) {
	r := start(s, formatFirearm)
	f := watchlist.Firearm{ID: r.str("id"), Serial: r.str("serial"), Make: r.str("make"), Model: r.str("model"), Calibre: r.str("calibre"), Owner: r.str("owner")}
	f.Access = r.access()
	return f, r.end()
}

// ID returns the record id of a packed record of any type, without decoding the rest.
func ID(s string) (string, error) {
	if len(s) == 0 {
		return "", fmt.Errorf("%w: format: empty record", ErrCorrupt)
	}
	r := &reader{s: s[1:]}
	id := r.str("id")
	return id, r.err
}
