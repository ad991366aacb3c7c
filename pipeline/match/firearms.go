package match

import (
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// Firearm evidence weights (see the package documentation). A serial alone is weak
// evidence: only with an agreeing make does it reach the default threshold.
const (
	firearmSerialScore    = 0.70
	firearmSerialOCRScore = 0.62
	firearmMakeAgree      = 0.20
	firearmMakeConflict   = -0.30
	firearmModelAgree     = 0.04
	firearmModelConflict  = -0.04
	firearmCalibreAgree   = 0.04
	firearmCalibreClash   = -0.10
	firearmAction         = "firearm reported lost, stolen or trafficked (iARMS): seize the firearm, detain the carrier for questioning and contact the NCB of the owner"
)

// firearmQuery is a presented firearm in canonical forms.
type firearmQuery struct {
	serial, make, model, calibre string
}

func newFirearmQuery(f *event.Firearm) *firearmQuery {
	q := &firearmQuery{serial: index.Serial(f.Serial), make: index.FirearmMake(f.Make), model: index.Model(f.Model), calibre: index.Calibre(f.Calibre)}
	if len(q.serial) < index.MinFirearmSerialLen {
		q.serial = ""
	}
	return q
}

// modelsAgree reports whether two canonical model designations name the same model: equal,
// or one contains the other ("GLOCK17" and "17", "M1911A1" and "1911A1") when the shorter
// has at least two characters.
func modelsAgree(a, b string) bool {
	if len(a) > len(b) {
		a, b = b, a
	}
	return a == b || len(a) >= 2 && strings.Contains(b, a)
}

// scoreFirearm compares a presented firearm with a record. ok is false when the serials do
// not match.
func scoreFirearm(q *firearmQuery, r *index.FirearmRecord) (score float64, reasons []event.Reason, ok bool) {
	if q.serial == "" {
		return 0, nil, false
	}
	ev, ok := serialEvidence([]string{q.serial}, []string{r.Serial}, "serial", "serial number", firearmSerialScore, firearmSerialOCRScore)
	if !ok {
		return 0, nil, false
	}
	reasons = append(reasons, event.Reason{Field: ev.field, Match: ev.match, Weight: ev.score, Detail: ev.detail + " (a serial alone is weak evidence)"})
	reasons = append(reasons, makeEvidence(q.make, r.Make, firearmMakeAgree, firearmMakeConflict, "make differs: another manufacturer's firearm with the same serial"))
	switch {
	case q.model == "" || r.Model == "":
	case modelsAgree(q.model, r.Model):
		reasons = append(reasons, event.Reason{Field: "model", Match: "exact", Weight: firearmModelAgree, Detail: "model agrees"})
	default:
		reasons = append(reasons, event.Reason{Field: "model", Match: "conflict", Weight: firearmModelConflict, Detail: "model differs"})
	}
	switch {
	case q.calibre == "" || r.Calibre == "":
	case q.calibre == r.Calibre:
		reasons = append(reasons, event.Reason{Field: "calibre", Match: "exact", Weight: firearmCalibreAgree, Detail: "calibre agrees (aliases resolved)"})
	default:
		reasons = append(reasons, event.Reason{Field: "calibre", Match: "conflict", Weight: firearmCalibreClash, Detail: "calibre differs"})
	}
	return sumReasons(reasons), reasons, true
}

func (m *Matcher) screenFirearms(snap *index.Snapshot, s *event.Subject, hits []event.Hit) []event.Hit {
	threshold := m.cfg.Thresholds[event.DBFirearms]
	q := newFirearmQuery(s.Firearm)
	if q.serial == "" {
		return hits
	}
	first := len(hits)
	var cb [16]uint32
	for _, i := range snap.FirearmCandidates(s.Firearm, cb[:0]) {
		rec := snap.Firearm(i)
		score, reasons, ok := scoreFirearm(q, &rec)
		if !ok || score < threshold {
			continue
		}
		h := m.hit(snap, event.DBFirearms, s, rec.ID, score, reasons, rec.Owner)
		h.Severity, h.Action = "critical", firearmAction
		hits = addBest(hits, first, h)
	}
	return hits
}
