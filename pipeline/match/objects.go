package match

import (
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// Shared evidence rules of the object databases (vehicles, vessels, firearms).
const (
	// corroborationBonus is added for each identifier beyond the strongest that also matches
	// the same record (a VIN and a plate, an IMO number and a HIN, …).
	corroborationBonus = 0.02
)

// idEvidence is how one identifier of a subject compared with a record.
type idEvidence struct {
	field  string  // reason field: vin, plate, part_serial, imo, hin, engine_serial, serial
	match  string  // exact, fuzzy or partial
	score  float64 // the score this identifier alone gives
	detail string
	// keyingError marks an identifier that agrees only if a keying error is assumed (two
	// adjacent characters transposed): it may be another object's, so it is to be verified.
	keyingError bool
}

// identifiers combines the identifiers that matched a record: the strongest counts in full,
// each other one adds corroborationBonus. It returns the score (0 when none matched), the
// strongest evidence and one reason per identifier.
func identifiers(evs []idEvidence) (score float64, best idEvidence, reasons []event.Reason) {
	bi := -1
	for i, e := range evs {
		if bi < 0 || e.score > evs[bi].score {
			bi = i
		}
	}
	if bi < 0 {
		return 0, idEvidence{}, nil
	}
	best = evs[bi]
	score = best.score
	reasons = append(reasons, event.Reason{Field: best.field, Match: best.match, Weight: best.score, Detail: best.detail})
	for i, e := range evs {
		if i != bi {
			score += corroborationBonus
			reasons = append(reasons, event.Reason{Field: e.field, Match: e.match, Weight: corroborationBonus, Detail: "also matches the same record: " + e.detail})
		}
	}
	return score, best, reasons
}

// serialEvidence compares canonical serials: equal is exact, equal once OCR-folded is fuzzy.
// It reports the better comparison of any presented serial with any record serial.
func serialEvidence(presented, recorded []string, field, what string, exact, fuzzy float64) (idEvidence, bool) {
	found := false
	var ev idEvidence
	for _, p := range presented {
		for _, r := range recorded {
			switch {
			case p == r:
				return idEvidence{field: field, match: "exact", score: exact, detail: what + " identical"}, true
			case !found && foldedEqual(p, r, normalize.OCRFoldByte):
				found = true
				ev = idEvidence{field: field, match: "fuzzy", score: fuzzy, detail: what + " equal once OCR-confusable characters are folded (O/0, I/1, S/5, B/8, Z/2, G/6)"}
			}
		}
	}
	return ev, found
}

// foldedEqual reports whether a and b have the same length and agree byte by byte once
// folded with f.
func foldedEqual(a, b string, f func(byte) byte) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		if a[i] != b[i] && f(a[i]) != f(b[i]) {
			return false
		}
	}
	return true
}

// makeEvidence compares canonical makes: agreement adds agree, a conflict adds conflict
// (negative), an unknown make on either side adds nothing.
func makeEvidence(presented, recorded string, agree, conflict float64, conflictDetail string) event.Reason {
	switch {
	case presented == "" || recorded == "":
		return event.Reason{Field: "make", Match: "missing", Weight: 0, Detail: "make unknown on one side"}
	case presented == recorded:
		return event.Reason{Field: "make", Match: "exact", Weight: agree, Detail: "make agrees (aliases resolved)"}
	default:
		return event.Reason{Field: "make", Match: "conflict", Weight: conflict, Detail: conflictDetail}
	}
}

// sumReasons is the score the reasons explain: the sum of their weights, clamped to [0, 1]
// and rounded.
func sumReasons(reasons []event.Reason) float64 {
	score := 0.0
	for _, r := range reasons {
		score += r.Weight
	}
	return round(clamp01(score))
}
