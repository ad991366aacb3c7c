package match

import (
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// Vessel evidence weights (see the package documentation).
const (
	imoScore          = 0.98 // identical, valid check digit
	imoBadCheckScore  = 0.93 // identical, but the number fails its check digit
	imoOCRScore       = 0.93 // equal once OCR-folded, and the folded number is valid
	imoOCRBadScore    = 0.85 // equal once OCR-folded, and the folded number is not valid
	hinScore          = 0.96
	hinOCRScore       = 0.91
	engineScore       = 0.90
	engineOCRScore    = 0.85
	vesselNameAgree   = 0.02
	vesselActionShort = "stolen vessel or engine: detain the vessel (or engine), verify its IMO number, hull identification number and engine serials against the record, and contact the NCB of the owner"
)

// vesselQuery is a presented vessel in canonical forms.
type vesselQuery struct {
	imo, hin, name string
	engines        []string
}

func newVesselQuery(v *event.Vessel) *vesselQuery {
	q := &vesselQuery{imo: index.IMO(v.IMO), hin: index.HIN(v.HIN), name: index.VesselName(v.Name)}
	if len(q.hin) < index.MinHINLen {
		q.hin = ""
	}
	for _, e := range v.EngineSerials {
		if e = index.Serial(e); len(e) >= index.MinSerialLen {
			q.engines = append(q.engines, e)
		}
	}
	return q
}

func compareIMO(q, r string) (idEvidence, bool) {
	switch {
	case q == "" || r == "":
		return idEvidence{}, false
	case q == r && index.IMOValid(r):
		return idEvidence{field: "imo", match: "exact", score: imoScore, detail: "IMO number identical, check digit valid"}, true
	case q == r:
		return idEvidence{field: "imo", match: "exact", score: imoBadCheckScore, detail: "IMO number identical, but it fails its check digit"}, true
	case foldedEqual(q, r, normalize.OCRFoldByte):
		if index.IMOValid(foldDigits(q)) {
			return idEvidence{field: "imo", match: "fuzzy", score: imoOCRScore, detail: "IMO number equal once OCR-confusable characters are folded; check digit valid"}, true
		}
		return idEvidence{field: "imo", match: "fuzzy", score: imoOCRBadScore, detail: "IMO number equal once OCR-confusable characters are folded; check digit not valid"}, true
	}
	return idEvidence{}, false
}

// foldDigits applies normalize.OCRFoldByte to every byte.
func foldDigits(s string) string {
	b := []byte(s)
	for i := range b {
		b[i] = normalize.OCRFoldByte(b[i])
	}
	return string(b)
}

func compareHIN(q, r string) (idEvidence, bool) {
	switch {
	case q == "" || r == "":
		return idEvidence{}, false
	case q == r:
		return idEvidence{field: "hin", match: "exact", score: hinScore, detail: "hull identification number identical"}, true
	case foldedEqual(q, r, index.VINFoldByte):
		return idEvidence{field: "hin", match: "fuzzy", score: hinOCRScore, detail: "hull identification number equal once OCR-confusable I/1, O/0, Q/0 are folded"}, true
	}
	return idEvidence{}, false
}

// scoreVessel compares a presented vessel with a record. ok is false when no identifier
// matched.
func scoreVessel(q *vesselQuery, r *index.VesselRecord) (score float64, reasons []event.Reason, ok bool) {
	var evs [3]idEvidence
	n := 0
	if ev, ok := compareIMO(q.imo, r.IMO); ok {
		evs[n], n = ev, n+1
	}
	if ev, ok := compareHIN(q.hin, r.HIN); ok {
		evs[n], n = ev, n+1
	}
	if ev, ok := serialEvidence(q.engines, r.EngineSerials, "engine_serial", "outboard-engine serial", engineScore, engineOCRScore); ok {
		evs[n], n = ev, n+1
	}
	if n == 0 {
		return 0, nil, false
	}
	_, _, reasons = identifiers(evs[:n])
	if q.name != "" && q.name == r.Name {
		reasons = append(reasons, event.Reason{Field: "name", Match: "exact", Weight: vesselNameAgree, Detail: "vessel name agrees"})
	}
	return sumReasons(reasons), reasons, true
}

func (m *Matcher) screenVessels(snap *index.Snapshot, s *event.Subject, hits []event.Hit) []event.Hit {
	threshold := m.cfg.Thresholds[event.DBVessels]
	q := newVesselQuery(s.Vessel)
	first := len(hits)
	var cb [16]uint32
	for _, i := range snap.VesselCandidates(s.Vessel, cb[:0]) {
		rec := snap.Vessel(i)
		score, reasons, ok := scoreVessel(q, &rec)
		if !ok || score < threshold {
			continue
		}
		h := m.hit(snap, event.DBVessels, s, rec.ID, score, reasons, rec.Owner)
		h.Severity, h.Action = "high", vesselActionShort
		hits = addBest(hits, first, h)
	}
	return hits
}
