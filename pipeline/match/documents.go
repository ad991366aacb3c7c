package match

import (
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Document evidence weights (see the package documentation).
const (
	docExactScore = 0.97
	docOCRScore   = 0.90
	docTypeAgree  = 0.03
	docTypeClash  = -0.10
)

// typeClass is the class of an ICAO document code: its first letter, with the TD1 identity
// card codes I, A and C as one class. "" is unknown.
func typeClass(t string) byte {
	t = normalize.DocNumber(t)
	if t == "" {
		return 0
	}
	switch t[0] {
	case 'A', 'C', 'I':
		return 'I'
	}
	return t[0]
}

// scoreDocument scores a record found by lookup kind against the presented document type.
func scoreDocument(rec *index.DocumentRecord, kind index.MatchKind, presentedType string) (float64, []event.Reason) {
	var reasons []event.Reason
	score := docExactScore
	switch kind {
	case index.MatchExact:
		reasons = append(reasons, event.Reason{Field: "document_number", Match: "exact", Weight: docExactScore, Detail: "canonical document number is identical"})
	case index.MatchOCR:
		score = docOCRScore
		reasons = append(reasons, event.Reason{Field: "document_number", Match: "fuzzy", Weight: docOCRScore, Detail: "OCR-equivalent: differs only by OCR-confusable characters (O/0, I/1, S/5, B/8, Z/2, G/6)"})
	case index.MatchRange:
		reasons = append(reasons, event.Reason{Field: "document_number", Match: "exact", Weight: docExactScore, Detail: "within a reported range of document numbers"})
	case index.MatchRangeOCR:
		score = docOCRScore
		reasons = append(reasons, event.Reason{Field: "document_number", Match: "fuzzy", Weight: docOCRScore, Detail: "OCR-equivalent to a number within a reported range"})
	}
	reasons = append(reasons, event.Reason{Field: "issuer", Match: "exact", Weight: 0, Detail: "issuing country agrees (required)"})
	rc, pc := typeClass(rec.Type), typeClass(presentedType)
	switch {
	case rc == 0 || pc == 0:
		reasons = append(reasons, event.Reason{Field: "document_type", Match: "missing", Weight: 0, Detail: "document type unknown on one side"})
	case rc == pc:
		score += docTypeAgree
		reasons = append(reasons, event.Reason{Field: "document_type", Match: "exact", Weight: docTypeAgree, Detail: "document type of the same class"})
	default:
		score += docTypeClash
		reasons = append(reasons, event.Reason{Field: "document_type", Match: "conflict", Weight: docTypeClash, Detail: "document type of a different class"})
	}
	return round(clamp01(score)), reasons
}

// documentAction returns severity and action for an SLTD status.
func documentAction(s watchlist.DocumentStatus) (severity, action string) {
	switch s {
	case watchlist.StatusStolenBlank:
		return "critical", "stolen blank document: seize the document; the bearer presents a fraudulently personalised blank — detain for questioning and contact the NCB"
	case watchlist.StatusStolen:
		return "high", "stolen document: seize the document and establish the bearer's identity; contact the NCB of the owner"
	case watchlist.StatusRevoked:
		return "high", "revoked document: seize the document and refer the bearer to second-line control"
	case watchlist.StatusInvalidated:
		return "medium", "invalidated document: seize the document and verify the bearer's identity"
	case watchlist.StatusLost:
		return "medium", "lost document: verify that the bearer is the rightful holder; seize the document if not"
	default:
		return "medium", "verify the document with the issuing country"
	}
}

// tdawnAction returns severity and action for a TDAWN hit: the person presenting the
// document is of interest, and what to do follows the linked notice when the snapshot has it.
func tdawnAction(rec *index.DocumentRecord) (severity, action string) {
	const prefix = "document associated with "
	switch rec.NoticeType {
	case watchlist.NoticeRed:
		return "critical", prefix + "a red notice: the bearer may be wanted for arrest with a view to extradition — detain the bearer and contact the NCB"
	case watchlist.NoticeYellow:
		return "high", prefix + "a yellow notice: the bearer may be a missing person — protect the bearer and notify the NCB"
	case watchlist.NoticeUNSpecial:
		return "high", prefix + "a UN Security Council special notice: apply the sanctions (travel ban, asset freeze) and contact the NCB"
	case watchlist.NoticeBlue:
		return "medium", prefix + "a blue notice: locate / collect information on the bearer — do not alert the bearer; report to the NCB"
	case watchlist.NoticeGreen:
		return "medium", prefix + "a green notice: the bearer may be a repeat offender — check the bearer and report to the NCB"
	case "":
		return "high", prefix + "a notice that is not in this snapshot: the bearer, not the document, is of interest — verify the bearer's identity without alerting them and contact the NCB of the owner"
	default:
		return "medium", prefix + "a " + string(rec.NoticeType) + " notice: verify the bearer's identity and contact the NCB of the owner"
	}
}

// tdawnReason explains which notice a TDAWN record links to (the notice id, never personal
// data).
func tdawnReason(rec *index.DocumentRecord) event.Reason {
	switch {
	case rec.NoticeID == "":
		return event.Reason{Field: "notice_id", Match: "missing", Detail: "the record names no notice; the person presenting the document is of interest"}
	case rec.NoticeType == "":
		return event.Reason{Field: "notice_id", Match: "missing", Detail: "notice " + rec.NoticeID + " (not in this snapshot); the person presenting the document is of interest"}
	default:
		return event.Reason{Field: "notice_id", Match: "linked", Detail: "notice " + rec.NoticeID + " (" + string(rec.NoticeType) + "); the person presenting the document is of interest"}
	}
}

// documentHit finishes a document hit: severity and action by database, and for TDAWN the
// linked notice.
func (m *Matcher) documentHit(snap *index.Snapshot, db event.Database, s *event.Subject, rec *index.DocumentRecord, score float64, reasons []event.Reason) event.Hit {
	if db == event.DBTDAWN {
		reasons = append(reasons, tdawnReason(rec))
	}
	h := m.hit(snap, db, s, rec.ID, score, reasons, rec.Owner)
	if db == event.DBTDAWN {
		h.Severity, h.Action = tdawnAction(rec)
	} else {
		h.Severity, h.Action = documentAction(rec.Status)
	}
	return h
}

func (m *Matcher) screenDocuments(snap *index.Snapshot, d dbThreshold, s *event.Subject, hits []event.Hit) []event.Hit {
	first := len(hits)
	var buf [8]index.DocumentMatch
	for k := range s.Person.Documents {
		doc := &s.Person.Documents[k]
		hits = m.documentHits(snap, d, s, doc, snap.LookupDocument(d.db, doc.Number, doc.Issuer, buf[:0]), hits, first)
	}
	return hits
}

// documentHits adds to hits[first:] the hits of subject s in document database d.db from the
// records matching its document doc (looked up alone or in a batch).
func (m *Matcher) documentHits(snap *index.Snapshot, d dbThreshold, s *event.Subject, doc *event.Document, matches []index.DocumentMatch, hits []event.Hit, first int) []event.Hit {
	for _, dm := range matches {
		rec := snap.Document(d.db, dm.Ref)
		score, reasons := scoreDocument(&rec, dm.Kind, doc.Type)
		if score < d.threshold {
			continue
		}
		hits = addBest(hits, first, m.documentHit(snap, d.db, s, &rec, score, reasons))
	}
	return hits
}

// addBest appends h unless hits[first:] already holds the same record; then the better of the
// two (higher score, then earlier) stays.
func addBest(hits []event.Hit, first int, h event.Hit) []event.Hit {
	for i := first; i < len(hits); i++ {
		if hits[i].RecordID == h.RecordID {
			if h.Score > hits[i].Score {
				hits[i] = h
			}
			return hits
		}
	}
	return append(hits, h)
}
