package match

import (
	"slices"
	"sync"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// batchScratch is the scratch space of ScreenBatch. Scratches are pooled.
type batchScratch struct {
	qs       []index.DocQuery
	docStart []int // per subject: its first query; one more: the end
	matches  [][]index.DocumentMatch
	spans    [][][2]int // per database, per query: its matches, First and End
}

var batchScratches = sync.Pool{New: func() any { return new(batchScratch) }}

// ScreenBatch screens subjects — a manifest's travellers — against one snapshot and returns
// the hits of each, in order, exactly as Screen returns them. The documents of all the
// subjects are looked up together in each document database (index.Snapshot.LookupDocuments):
// on a large table a lookup is a few cache misses, which a batch overlaps and lookups one by
// one take one after another. Everything else of a subject is screened as Screen screens it,
// after its document hits. Safe for concurrent use.
func (m *Matcher) ScreenBatch(snap *index.Snapshot, subjects []event.Subject) [][]event.Hit {
	out := make([][]event.Hit, len(subjects))
	if snap == nil {
		return out
	}
	sc := batchScratches.Get().(*batchScratch)
	defer batchScratches.Put(sc)
	qs, docStart := sc.qs[:0], append(sc.docStart[:0], 0)
	for i := range subjects {
		if p := subjects[i].Person; p != nil {
			for _, d := range p.Documents {
				qs = append(qs, index.DocQuery{Number: d.Number, Issuer: d.Issuer})
			}
		}
		docStart = append(docStart, len(qs))
	}
	sc.qs, sc.docStart = qs, docStart
	defer clear(qs) // the pool must not keep the subjects' documents
	// The databases to screen, with their thresholds, once for the batch.
	var docBuf, personBuf [4]dbThreshold
	docDBs := m.enabled(snap.DocumentDatabases(), docBuf[:0])
	personDBs := m.enabled(snap.PersonDatabases(), personBuf[:0])
	// An empty person table finds nothing: it is left out for the whole batch.
	personDBs = slices.DeleteFunc(personDBs, func(d dbThreshold) bool { return snap.Persons(d.db).Len() == 0 })
	for len(sc.matches) < len(docDBs) {
		sc.matches, sc.spans = append(sc.matches, nil), append(sc.spans, nil)
	}
	for k, d := range docDBs {
		if len(qs) == 0 {
			break
		}
		sc.matches[k] = snap.LookupDocuments(d.db, qs, sc.matches[k][:0])
		spans := sc.spans[k][:0]
		for _, q := range qs {
			spans = append(spans, [2]int{q.First, q.End})
		}
		sc.spans[k] = spans
	}
	for i := range subjects {
		s := &subjects[i]
		var hits []event.Hit
		if docStart[i] < docStart[i+1] {
			for k, d := range docDBs {
				first := len(hits)
				for j := range s.Person.Documents {
					sp := sc.spans[k][docStart[i]+j]
					hits = m.documentHits(snap, d, s, &s.Person.Documents[j], sc.matches[k][sp[0]:sp[1]], hits, first)
				}
			}
		}
		out[i] = m.screenRest(snap, s, personDBs, hits)
	}
	return out
}
