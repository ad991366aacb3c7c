package index

import (
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Index key kinds of the object databases.
const (
	keyVINTail = 'V' // VINFoldByte-folded last VINTailLen characters of a VIN (all of a shorter one)
	keyPlate   = 'P' // OCR-folded plate
	keyPart    = 'S' // OCR-folded engine or part serial
	keyIMO     = 'I' // OCR-folded IMO number
	keyHIN     = 'H' // VINFoldByte-folded HIN
	keyEngine  = 'E' // OCR-folded outboard-engine serial
	keyFirearm = 'F' // OCR-folded firearm serial
)

// MinSerialLen is the shortest engine, part or outboard-engine serial that is indexed and
// looked up: shorter ones are too common to identify anything.
const MinSerialLen = 5

// MinVINLen is the shortest VIN or chassis number a record may carry; a presented one must
// have at least this many readable characters in common with a record to match it.
const MinVINLen = 6

// MinFirearmSerialLen is the shortest firearm serial that is indexed and looked up.
const MinFirearmSerialLen = 3

// VehicleRecord is an indexed stolen-vehicle record, in canonical forms.
type VehicleRecord struct {
	ID           string
	VIN          string   // VIN form; never holds Unreadable; empty when unknown
	Plate        string   // Plate form
	PlateCountry string   // normalize.Country form
	Make         string   // VehicleMake form
	Model        string   // Model form
	PartSerials  []string // Serial forms of at least MinSerialLen characters
	Owner        string   // normalize.Country form
}

// VINLen is the length of a vehicle identification number (ISO 3779; every VIN since 1981).
const VINLen = 17

// VINTailKey is the folded text a VIN is indexed under: VINFoldByte applied to its last
// VINTailLen characters, or to all of a shorter VIN. It is exported for tests that check
// candidate search against a scan.
func VINTailKey(vin string) string {
	if len(vin) > VINTailLen {
		vin = vin[len(vin)-VINTailLen:]
	}
	return vinFold(vin)
}

func buildVehicleTable(vs []watchlist.Vehicle) (*objTable, int) {
	return buildObjTable(len(vs), func(i int, e *objEncoder) bool {
		v := &vs[i]
		if v.Validate() != nil {
			return false
		}
		vin, plate := VIN(v.VIN), Plate(v.Plate)
		if strings.IndexByte(vin, Unreadable) >= 0 || vin != "" && len(vin) < MinVINLen {
			return false // a record must state its whole VIN, or leave it out
		}
		var parts []string
		for _, p := range v.PartSerials {
			if p = Serial(p); len(p) >= MinSerialLen {
				parts = append(parts, p)
			}
		}
		if vin == "" && plate == "" && len(parts) == 0 {
			return false // nothing left to look it up by
		}
		e.field(v.ID)
		e.field(vin)
		e.field(plate)
		e.field(normalize.Country(v.PlateCountry))
		e.field(VehicleMake(v.Make))
		e.field(Model(v.Model))
		e.field(normalize.Country(v.Owner))
		e.list(parts)
		if vin != "" {
			e.key(keyVINTail, VINTailKey(vin))
		}
		if plate != "" {
			e.key(keyPlate, ocrFold(plate))
		}
		for _, p := range parts {
			e.key(keyPart, ocrFold(p))
		}
		return true
	})
}

func decodeVehicle(r objReader) VehicleRecord {
	return VehicleRecord{
		ID: r.field(), VIN: r.field(), Plate: r.field(), PlateCountry: r.field(),
		Make: r.field(), Model: r.field(), Owner: r.field(), PartSerials: r.list(),
	}
}

// VehicleCandidates appends to dst, ascending and without repeats, every vehicle record that
// shares an index key with the presented vehicle: the folded VIN tail (with each of the 33
// folded characters in place of one unreadable character in the tail; two unreadable
// characters there match nothing), for a full VIN without unreadable characters also the
// folded tail of every VIN one transposition of adjacent characters away (see
// appendTransposedTails), the OCR-folded plate, or an OCR-folded part serial. It may add a record
// whose key only shares a hash tag; the matcher's scoring rejects it. It probes the hash
// index, never scans.
func (s *Snapshot) VehicleCandidates(v *event.Vehicle, dst []uint32) []uint32 {
	t := s.objs[event.DBVehicles]
	if t == nil || v == nil || t.count() == 0 {
		return dst
	}
	var kb [48]uint64 // every key of a vehicle with a few part serials
	keys := kb[:0]
	if vin := VIN(v.VIN); vin != "" {
		tail := vin
		if len(tail) > VINTailLen {
			tail = tail[len(tail)-VINTailLen:]
		}
		switch strings.Count(tail, string(Unreadable)) {
		case 0:
			keys = append(keys, hashObjKey(keyVINTail, vinFold(tail)))
			if len(vin) == VINLen && strings.IndexByte(vin, Unreadable) < 0 {
				keys = appendTransposedTails(keys, vin)
			}
		case 1:
			var b [VINTailLen]byte
			copy(b[:], vinFold(tail))
			at := strings.IndexByte(tail, Unreadable)
			for i := 0; i < len(vinAlphabet); i++ {
				b[at] = vinAlphabet[i]
				keys = append(keys, hashObjKey(keyVINTail, b[:len(tail)]))
			}
		}
	}
	if p := Plate(v.Plate); p != "" {
		keys = append(keys, hashObjKey(keyPlate, ocrFold(p)))
	}
	for _, p := range v.PartSerials {
		if p = Serial(p); len(p) >= MinSerialLen {
			keys = append(keys, hashObjKey(keyPart, ocrFold(p)))
		}
	}
	first := len(dst)
	return finish(t.lookupAll(keys, dst), first)
}

// appendTransposedTails appends the key of the folded tail of every full VIN that swapping
// two adjacent, differently folded characters of vin makes, where the swap changes the tail:
// the seven swaps inside it and the one across its first character (a swap further left
// keeps the tail, which the plain key finds). A record whose VIN is one adjacent
// transposition of the presented one, exactly or once folded with VINFoldByte, therefore
// always shares a key with it.
func appendTransposedTails(keys []uint64, vin string) []uint64 {
	head := len(vin) - VINTailLen
	var b [VINTailLen]byte
	for i := head - 1; i+1 < len(vin); i++ {
		x, y := VINFoldByte(vin[i]), VINFoldByte(vin[i+1])
		if x == y {
			continue // the swap changes nothing once folded
		}
		for j := range b {
			b[j] = VINFoldByte(vin[head+j])
		}
		if i >= head {
			b[i-head], b[i+1-head] = y, x
		} else {
			b[0] = x // the tail's first character becomes the one before it
		}
		keys = append(keys, hashObjKey(keyVINTail, b[:]))
	}
	return keys
}

// Vehicle returns vehicle record i (0 ≤ i < ObjectCount(DBVehicles)).
func (s *Snapshot) Vehicle(i uint32) VehicleRecord {
	return decodeVehicle(s.objs[event.DBVehicles].record(i))
}
