package index

import (
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// FirearmRecord is an indexed iARMS record, in canonical forms.
type FirearmRecord struct {
	ID      string
	Serial  string // Serial form, at least MinFirearmSerialLen characters
	Make    string // FirearmMake form; empty when unknown
	Model   string // Model form
	Calibre string // Calibre form
	Owner   string // normalize.Country form
}

func buildFirearmTable(fs []watchlist.Firearm) (*objTable, int) {
	return buildObjTable(len(fs), func(i int, e *objEncoder) bool {
		f := &fs[i]
		if f.Validate() != nil {
			return false
		}
		serial := Serial(f.Serial)
		if len(serial) < MinFirearmSerialLen {
			return false
		}
		e.field(f.ID)
		e.field(serial)
		e.field(FirearmMake(f.Make))
		e.field(Model(f.Model))
		e.field(Calibre(f.Calibre))
		e.field(normalize.Country(f.Owner))
		e.key(keyFirearm, ocrFold(serial))
		return true
	})
}

func decodeFirearm(r objReader) FirearmRecord {
	return FirearmRecord{ID: r.field(), Serial: r.field(), Make: r.field(), Model: r.field(), Calibre: r.field(), Owner: r.field()}
}

// FirearmCandidates appends to dst, ascending and without repeats, every firearm record whose
// OCR-folded serial equals the presented one's. Make, model and calibre do not narrow the
// search (they are scored): a serial alone must still find the records, so that the matcher
// can explain why they did or did not hit. It may add a record whose key only shares a hash
// tag; the matcher's scoring rejects it. It probes the hash index, never scans.
func (s *Snapshot) FirearmCandidates(f *event.Firearm, dst []uint32) []uint32 {
	t := s.objs[event.DBFirearms]
	if t == nil || f == nil || t.count() == 0 {
		return dst
	}
	first := len(dst)
	if serial := Serial(f.Serial); len(serial) >= MinFirearmSerialLen {
		dst = t.lookup(hashObjKey(keyFirearm, ocrFold(serial)), dst)
	}
	return finish(dst, first)
}

// Firearm returns firearm record i (0 ≤ i < ObjectCount(DBFirearms)).
func (s *Snapshot) Firearm(i uint32) FirearmRecord {
	return decodeFirearm(s.objs[event.DBFirearms].record(i))
}
