package match

import (
	"fmt"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// Vehicle evidence weights (see the package documentation).
const (
	vinFullScore      = 0.98 // 17 characters, identical
	vinChassisScore   = 0.95 // same length, not 17 (older chassis numbers), identical
	vinPartialBase    = 0.87 // partial VIN: the last VINTailLen characters agree
	vinPartialPerChar = 0.0075
	vinPartialMax     = 0.93
	vinOCRPenalty     = -0.05 // some characters agree only once I→1, O/Q→0 are folded
	vinUnreadable     = -0.04 // one unreadable character
	// Two adjacent characters of a full VIN transposed: a common keying error, but as likely
	// the VIN of another vehicle (the next one off the line may differ just so), so it hits
	// only with the make (+0.03) ...
	vinTransposedScore = 0.88
	// ... unless the presented VIN fails the North-American check digit that the listed one
	// passes: then it is no vehicle's VIN, and the transposition a keying error.
	vinTransposedCheckScore = 0.91
	plateScore              = 0.92 // plate and plate country agree
	plateNoCountry          = 0.84 // plate agrees, the country is unknown on one side
	plateOCRPenalty         = -0.06
	partScore               = 0.88
	partOCRScore            = 0.83
	vehicleMakeAgree        = 0.03
	vehicleModelAgree       = 0.01
	// A make conflict counts against the strongest identifier: little against a full VIN
	// (globally unique), not at all against a plate (plates move between vehicles), and
	// clearly against a transposed or partial VIN, a chassis number or a part serial.
	vehicleMakeConflictVIN   = -0.05
	vehicleMakeConflictOther = -0.10
)

// vehicleQuery is a presented vehicle in canonical forms.
type vehicleQuery struct {
	vin, plate, country, make, model string
	parts                            []string
}

func newVehicleQuery(v *event.Vehicle) *vehicleQuery {
	q := &vehicleQuery{vin: index.VIN(v.VIN), plate: index.Plate(v.Plate), country: normalize.Country(v.PlateCountry), make: index.VehicleMake(v.Make), model: index.Model(v.Model)}
	for _, p := range v.PartSerials {
		if p = index.Serial(p); len(p) >= index.MinSerialLen {
			q.parts = append(q.parts, p)
		}
	}
	return q
}

// compareVIN compares a presented VIN q (which may hold one index.Unreadable character) with
// a record's r, both canonical, aligned at their last character. Same length: every readable
// character agrees (exactly or once folded with index.VINFoldByte), at most one is
// unreadable, at least MinVINLen are readable. Different lengths (a partial VIN on either
// side): both at least VINTailLen long, the shorter agrees with the end of the longer the
// same way, with at least VINTailLen readable characters in common. Two full VINs that
// disagree may still match as a transposition (compareTransposedVIN).
func compareVIN(q, r string) (idEvidence, bool) {
	lq, lr := len(q), len(r)
	if lq == 0 || lr == 0 || lq != lr && (lq < index.VINTailLen || lr < index.VINTailLen) {
		return idEvidence{}, false
	}
	n := min(lq, lr)
	unreadable, ocr := 0, false
	for i := 1; i <= n; i++ {
		a, b := q[lq-i], r[lr-i]
		switch {
		case a == index.Unreadable:
			unreadable++
		case a == b:
		case index.VINFoldByte(a) == index.VINFoldByte(b):
			ocr = true
		case lq == index.VINLen && lr == index.VINLen:
			return compareTransposedVIN(q, r)
		default:
			return idEvidence{}, false
		}
	}
	known := n - unreadable
	if unreadable > 1 || known < index.MinVINLen || lq != lr && known < index.VINTailLen {
		return idEvidence{}, false
	}
	ev := idEvidence{field: "vin", match: "exact"}
	switch {
	case lq == lr && lq == 17:
		ev.score, ev.detail = vinFullScore, "VIN identical (17 characters)"
	case lq == lr:
		ev.score, ev.detail = vinChassisScore, fmt.Sprintf("chassis number identical (%d characters)", lq)
	default:
		ev.match = "partial"
		ev.score = min(vinPartialMax, vinPartialBase+vinPartialPerChar*float64(known-index.VINTailLen))
		ev.detail = fmt.Sprintf("partial VIN: the last %d characters agree (vehicle identifier section)", known)
	}
	if unreadable > 0 {
		ev.match = "partial"
		ev.score += vinUnreadable
		ev.detail += "; one character unreadable"
	}
	if ocr {
		if ev.match == "exact" {
			ev.match = "fuzzy"
		}
		ev.score += vinOCRPenalty
		ev.detail += "; equal only once OCR-confusable I/1, O/0, Q/0 are folded"
	}
	return ev, true
}

// compareTransposedVIN compares two full VINs, q presented and r listed, that do not agree
// character by character: they match when q has no unreadable character and swapping one
// pair of adjacent characters of q makes every character agree with r, exactly or once
// folded with index.VINFoldByte. That is fuzzy evidence, weaker than an OCR-equivalent VIN:
// vinTransposedScore, or vinTransposedCheckScore when both VINs are North American and q
// fails the check digit r passes (northAmericanKeyingError); −0.05 more when characters
// agree only once folded. Candidate search finds such records (index.VehicleCandidates
// probes the tails of the transpositions).
func compareTransposedVIN(q, r string) (idEvidence, bool) {
	if strings.IndexByte(q, index.Unreadable) >= 0 {
		return idEvidence{}, false
	}
	agree := func(a, b byte) bool { return index.VINFoldByte(a) == index.VINFoldByte(b) }
	i := 0
	for i < len(q) && agree(q[i], r[i]) {
		i++
	}
	if i+1 >= len(q) || !agree(q[i], r[i+1]) || !agree(q[i+1], r[i]) {
		return idEvidence{}, false
	}
	for j := i + 2; j < len(q); j++ {
		if !agree(q[j], r[j]) {
			return idEvidence{}, false
		}
	}
	ev := idEvidence{field: "vin", match: "fuzzy", score: vinTransposedScore, keyingError: true,
		detail: "VIN equal once two adjacent characters are swapped: a keying error, or another vehicle's VIN"}
	if northAmericanKeyingError(q, r) {
		ev.score = vinTransposedCheckScore
		ev.detail = "VIN equal once two adjacent characters are swapped; the presented VIN fails the North-American check digit the listed one passes: a keying error"
	}
	exact := q[:i] == r[:i] && q[i] == r[i+1] && q[i+1] == r[i] && q[i+2:] == r[i+2:]
	if !exact {
		ev.score += vinOCRPenalty
		ev.detail += "; equal only once OCR-confusable I/1, O/0, Q/0 are folded"
	}
	return ev, true
}

// northAmericanKeyingError reports whether full VINs q (presented) and r (listed) both have a
// North-American world manufacturer identifier (1–5), where the position-9 check digit is
// mandatory, r carries its check digit and q, in the VIN alphabet, does not: q cannot be a
// vehicle's VIN.
func northAmericanKeyingError(q, r string) bool {
	northAmerican := func(v string) bool { return v[0] >= '1' && v[0] <= '5' }
	if !northAmerican(q) || !northAmerican(r) {
		return false
	}
	rd, rok := ident.VINCheckDigit(r)
	qd, qok := ident.VINCheckDigit(q)
	return rok && rd == r[8] && qok && qd != q[8]
}

// comparePlate compares canonical plates and countries. A plate is unique only within its
// country: a country conflict is no match.
func comparePlate(q *vehicleQuery, r *index.VehicleRecord) (idEvidence, bool) {
	if q.plate == "" || r.Plate == "" || !foldedEqual(q.plate, r.Plate, normalize.OCRFoldByte) {
		return idEvidence{}, false
	}
	ev := idEvidence{field: "plate", match: "exact", score: plateScore, detail: "registration plate and plate country agree"}
	switch {
	case q.country != "" && r.PlateCountry != "" && q.country != r.PlateCountry:
		return idEvidence{}, false
	case q.country == "" || r.PlateCountry == "":
		ev.score, ev.detail = plateNoCountry, "registration plate agrees; plate country unknown on one side"
	}
	if q.plate != r.Plate {
		ev.match = "fuzzy"
		ev.score += plateOCRPenalty
		ev.detail += "; equal only once OCR-confusable characters are folded"
	}
	return ev, true
}

// scoreVehicle compares a presented vehicle with a record. ok is false when no identifier
// matched (the record shares no index key with the vehicle in any matching way).
func scoreVehicle(q *vehicleQuery, r *index.VehicleRecord) (score float64, reasons []event.Reason, best idEvidence, ok bool) {
	var evs [3]idEvidence
	n := 0
	if q.vin != "" {
		if ev, ok := compareVIN(q.vin, r.VIN); ok {
			evs[n], n = ev, n+1
		}
	}
	if ev, ok := comparePlate(q, r); ok {
		evs[n], n = ev, n+1
	}
	if ev, ok := serialEvidence(q.parts, r.PartSerials, "part_serial", "engine or part serial", partScore, partOCRScore); ok {
		evs[n], n = ev, n+1
	}
	if n == 0 {
		return 0, nil, idEvidence{}, false
	}
	_, best, reasons = identifiers(evs[:n])
	conflict, conflictDetail := vehicleMakeConflictOther, "make differs: likely another vehicle"
	switch {
	case best.field == "plate":
		conflict, conflictDetail = 0, "make differs: the plate may have been moved to another vehicle (stolen or cloned plates)"
	case best.field == "vin" && len(r.VIN) == index.VINLen && len(q.vin) == index.VINLen && !best.keyingError:
		conflict, conflictDetail = vehicleMakeConflictVIN, "make differs from the record of this full VIN"
	}
	reasons = append(reasons, makeEvidence(q.make, r.Make, vehicleMakeAgree, conflict, conflictDetail))
	if q.model != "" && r.Model != "" && q.model == r.Model {
		reasons = append(reasons, event.Reason{Field: "model", Match: "exact", Weight: vehicleModelAgree, Detail: "model agrees"})
	}
	return sumReasons(reasons), reasons, best, true
}

// vehicleAction returns severity and action by the strongest identifier.
func vehicleAction(best idEvidence) (severity, action string) {
	switch {
	case best.field == "vin" && best.match != "partial" && !best.keyingError:
		return "high", "stolen motor vehicle: stop the vehicle, establish the identity of the driver and occupants, seize the vehicle and contact the NCB of the owner"
	case best.field == "plate":
		return "high", "registration plate of a stolen vehicle: stop the vehicle, compare its VIN with the record before seizing it, and contact the NCB of the owner"
	default:
		return "medium", "partial identification of a stolen vehicle or part: stop the vehicle, verify the full VIN (chassis, windscreen, door pillar) and part numbers against the record, and contact the NCB of the owner"
	}
}

func (m *Matcher) screenVehicles(snap *index.Snapshot, s *event.Subject, hits []event.Hit) []event.Hit {
	threshold := m.cfg.Thresholds[event.DBVehicles]
	q := newVehicleQuery(s.Vehicle)
	first := len(hits)
	var cb [16]uint32
	for _, i := range snap.VehicleCandidates(s.Vehicle, cb[:0]) {
		rec := snap.Vehicle(i)
		score, reasons, best, ok := scoreVehicle(q, &rec)
		if !ok || score < threshold {
			continue
		}
		h := m.hit(snap, event.DBVehicles, s, rec.ID, score, reasons, rec.Owner)
		h.Severity, h.Action = vehicleAction(best)
		hits = addBest(hits, first, h)
	}
	return hits
}
