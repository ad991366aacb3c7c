package index

import (
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// VesselRecord is an indexed stolen-vessel or stolen-engine record, in canonical forms.
type VesselRecord struct {
	ID            string
	IMO           string   // IMO form: seven characters (not necessarily a valid number); empty when unknown
	HIN           string   // HIN form; empty when unknown
	Name          string   // VesselName form
	EngineSerials []string // Serial forms of at least MinSerialLen characters
	Owner         string   // normalize.Country form
}

// MinHINLen is the shortest hull identification number that is indexed and looked up.
const MinHINLen = 5

func buildVesselTable(vs []watchlist.Vessel) (*objTable, int) {
	return buildObjTable(len(vs), func(i int, e *objEncoder) bool {
		v := &vs[i]
		if v.Validate() != nil {
			return false
		}
		imo, hin := IMO(v.IMO), HIN(v.HIN)
		if v.IMO != "" && len(imo) != 7 || v.HIN != "" && len(hin) < MinHINLen {
			return false // a malformed identifier: the record cannot be trusted to match
		}
		var engines []string
		for _, s := range v.EngineSerials {
			if s = Serial(s); len(s) >= MinSerialLen {
				engines = append(engines, s)
			}
		}
		if imo == "" && hin == "" && len(engines) == 0 {
			return false
		}
		e.field(v.ID)
		e.field(imo)
		e.field(hin)
		e.field(VesselName(v.Name))
		e.field(normalize.Country(v.Owner))
		e.list(engines)
		if imo != "" {
			e.key(keyIMO, ocrFold(imo))
		}
		if hin != "" {
			e.key(keyHIN, vinFold(hin))
		}
		for _, s := range engines {
			e.key(keyEngine, ocrFold(s))
		}
		return true
	})
}

func decodeVessel(r objReader) VesselRecord {
	return VesselRecord{ID: r.field(), IMO: r.field(), HIN: r.field(), Name: r.field(), Owner: r.field(), EngineSerials: r.list()}
}

// VesselCandidates appends to dst, ascending and without repeats, every vessel record sharing
// an index key with the presented vessel: the OCR-folded IMO number, the VINFoldByte-folded
// HIN, or an OCR-folded engine serial. It may add a record whose key only shares a hash tag;
// the matcher's scoring rejects it. It probes the hash index, never scans.
func (s *Snapshot) VesselCandidates(v *event.Vessel, dst []uint32) []uint32 {
	t := s.objs[event.DBVessels]
	if t == nil || v == nil || t.count() == 0 {
		return dst
	}
	first := len(dst)
	if imo := IMO(v.IMO); imo != "" {
		dst = t.lookup(hashObjKey(keyIMO, ocrFold(imo)), dst)
	}
	if hin := HIN(v.HIN); len(hin) >= MinHINLen {
		dst = t.lookup(hashObjKey(keyHIN, vinFold(hin)), dst)
	}
	for _, e := range v.EngineSerials {
		if e = Serial(e); len(e) >= MinSerialLen {
			dst = t.lookup(hashObjKey(keyEngine, ocrFold(e)), dst)
		}
	}
	return finish(dst, first)
}

// Vessel returns vessel record i (0 ≤ i < ObjectCount(DBVessels)).
func (s *Snapshot) Vessel(i uint32) VesselRecord {
	return decodeVessel(s.objs[event.DBVessels].record(i))
}
