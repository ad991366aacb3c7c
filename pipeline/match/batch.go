package match

import (
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
// one take one after another. Everything else of a subject is screened by Screen, which
// ScreenBatch calls without the subject's documents and then merges with the document hits.
// Safe for concurrent use.
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
	dbs := snap.DocumentDatabases()
	for len(sc.matches) < len(dbs) {
		sc.matches, sc.spans = append(sc.matches, nil), append(sc.spans, nil)
	}
	for d, db := range dbs {
		if _, ok := m.cfg.Thresholds[db]; !ok || len(qs) == 0 {
			continue
		}
		sc.matches[d] = snap.LookupDocuments(db, qs, sc.matches[d][:0])
		spans := sc.spans[d][:0]
		for _, q := range qs {
			spans = append(spans, [2]int{q.First, q.End})
		}
		sc.spans[d] = spans
	}
	for i := range subjects {
		s := &subjects[i]
		if docStart[i] == docStart[i+1] {
			out[i] = m.Screen(snap, s)
			continue
		}
		var hits []event.Hit
		for d, db := range dbs {
			if _, ok := m.cfg.Thresholds[db]; !ok {
				continue
			}
			first := len(hits)
			for k := range s.Person.Documents {
				sp := sc.spans[d][docStart[i]+k]
				hits = m.documentHits(snap, db, s, &s.Person.Documents[k], sc.matches[d][sp[0]:sp[1]], hits, first)
			}
		}
		rest, person := *s, *s.Person
		person.Documents, rest.Person = nil, &person
		hits = append(hits, m.Screen(snap, &rest)...)
		sortHits(hits)
		out[i] = capPerDatabase(hits, m.cfg.MaxHitsPerDatabase)
	}
	return out
}
