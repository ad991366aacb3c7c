package index

import (
	"iter"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Snapshot is an immutable, indexed view of every watchlist record at one version. Safe for
// concurrent use by any number of readers.
type Snapshot struct {
	Version uint64

	docs    map[event.Database]*docTable
	persons map[event.Database]*personTable
	objs    map[event.Database]*objTable // vehicles, vessels, firearms
	// access holds the restrictions of the records that have any, per database and
	// record id: few records are restricted, and it is read only for hits.
	access    map[event.Database]map[string]event.Access
	skipped   int
	skippedBy map[event.Database]int // per database, so Rebuild can keep the total

	docDBs, personDBs []event.Database // set by finish
}

// Build indexes set as snapshot version. Records failing Validate — or with an issuer that is
// not three letters, a document number longer than 63 characters once canonical, a
// malformed number range, a VIN with an unreadable character, an IMO number that is not
// seven characters, a field over 255 bytes, or no identifier left once canonical — are
// skipped and counted in Skipped. Notices of types that are not screened (black, orange,
// purple) are valid but not indexed; nominal records are all indexed. A TDAWN record keeps
// its notice id and, when that notice is in the set, its type. A nil set builds an empty
// snapshot. set must not be modified while Build runs.
func Build(version uint64, set *watchlist.Set) *Snapshot {
	if set == nil {
		set = &watchlist.Set{}
	}
	s := &Snapshot{Version: version, docs: map[event.Database]*docTable{}, persons: map[event.Database]*personTable{}, objs: map[event.Database]*objTable{}, skippedBy: map[event.Database]int{}}
	// The databases are independent: build them at once, so a worker's cold start uses every
	// core (the person tables, in particular, build on one goroutine each).
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		docs    = map[event.Database]*docTable{}
		persons = map[event.Database]*personTable{}
		objs    = map[event.Database]*objTable{}
	)
	skip := func(db event.Database, n int) {
		mu.Lock()
		defer mu.Unlock()
		s.skipped += n
		s.skippedBy[db] += n
	}
	wg.Go(func() {
		t, n := buildDocTable(set.Documents, nil)
		skip(event.DBSLTD, n)
		mu.Lock()
		docs[event.DBSLTD] = t
		mu.Unlock()
	})
	wg.Go(func() {
		t, n := buildPersonTable(set.Notices, func(p *watchlist.Person) bool { return p.NoticeType.Screened() })
		skip(event.DBNotices, n)
		mu.Lock()
		persons[event.DBNotices] = t
		mu.Unlock()
	})
	wg.Go(func() {
		t, n := buildPersonTable(set.Nominals, func(*watchlist.Person) bool { return true })
		skip(event.DBNominals, n)
		mu.Lock()
		persons[event.DBNominals] = t
		mu.Unlock()
	})
	wg.Go(func() {
		tds, links, n := tdawnDocuments(set.TDAWN, set.Notices)
		t, m := buildDocTable(tds, links)
		skip(event.DBTDAWN, n+m)
		mu.Lock()
		docs[event.DBTDAWN] = t
		mu.Unlock()
	})
	wg.Go(func() {
		v, n1 := buildVehicleTable(set.Vehicles)
		w, n2 := buildVesselTable(set.Vessels)
		f, n3 := buildFirearmTable(set.Firearms)
		skip(event.DBVehicles, n1)
		skip(event.DBVessels, n2)
		skip(event.DBFirearms, n3)
		mu.Lock()
		objs[event.DBVehicles], objs[event.DBVessels], objs[event.DBFirearms] = v, w, f
		mu.Unlock()
	})
	wg.Wait()
	s.docs, s.persons, s.objs = docs, persons, objs
	s.access = buildAccess(set)
	return s.finish()
}

// buildAccess collects the restrictions of every restricted record of set.
func buildAccess(set *watchlist.Set) map[event.Database]map[string]event.Access {
	out := map[event.Database]map[string]event.Access{}
	add := func(db event.Database, id string, a event.Access) {
		if !a.Restricted() {
			return
		}
		if out[db] == nil {
			out[db] = map[string]event.Access{}
		}
		// Copies: the input's strings may be substrings of a large buffer (a snapshot
		// file, a previous snapshot's arena) that must not stay alive for a few ids.
		clone := func(ss []string) []string {
			if len(ss) == 0 {
				return nil
			}
			out := make([]string, len(ss))
			for i, s := range ss {
				out[i] = strings.Clone(s)
			}
			return out
		}
		out[db][strings.Clone(id)] = event.Access{RestrictedFrom: clone(a.RestrictedFrom), RestrictedTo: clone(a.RestrictedTo)}
	}
	for i := range set.Documents {
		add(event.DBSLTD, set.Documents[i].ID, set.Documents[i].Access)
	}
	for i := range set.Notices {
		add(event.DBNotices, set.Notices[i].ID, set.Notices[i].Access)
	}
	for i := range set.Nominals {
		add(event.DBNominals, set.Nominals[i].ID, set.Nominals[i].Access)
	}
	for i := range set.TDAWN {
		add(event.DBTDAWN, set.TDAWN[i].ID, set.TDAWN[i].Access)
	}
	for i := range set.Vehicles {
		add(event.DBVehicles, set.Vehicles[i].ID, set.Vehicles[i].Access)
	}
	for i := range set.Vessels {
		add(event.DBVessels, set.Vessels[i].ID, set.Vessels[i].Access)
	}
	for i := range set.Firearms {
		add(event.DBFirearms, set.Firearms[i].ID, set.Firearms[i].Access)
	}
	return out
}

// Access returns who may see the details of record id of db: the zero Access when the
// record is unrestricted (or unknown).
func (s *Snapshot) Access(db event.Database, id string) event.Access {
	return s.access[db][id]
}

// tdawnDocuments converts the valid TDAWN records into document-table input, with their
// notice links; it counts the invalid ones.
func tdawnDocuments(tds []watchlist.TravelDocument, notices []watchlist.Person) ([]watchlist.Document, *docLinks, int) {
	links := &docLinks{types: map[string]watchlist.NoticeType{}}
	docs := make([]watchlist.Document, 0, len(tds))
	skipped := 0
	wanted := map[string]bool{}
	for i := range tds {
		d := &tds[i]
		if d.Validate() != nil {
			skipped++
			continue
		}
		docs = append(docs, watchlist.Document{ID: d.ID, Number: d.Number, Type: d.Type, Issuer: d.Issuer, Owner: d.Owner})
		links.noticeIDs = append(links.noticeIDs, d.NoticeID)
		wanted[d.NoticeID] = true
	}
	for i := range notices {
		if p := &notices[i]; wanted[p.ID] && p.Validate() == nil {
			links.types[p.ID] = p.NoticeType
		}
	}
	return docs, links, skipped
}

// Counts returns the records indexed per database.
func (s *Snapshot) Counts() map[event.Database]int {
	out := map[event.Database]int{}
	for db, t := range s.docs {
		out[db] = t.n
	}
	for db, t := range s.persons {
		out[db] = len(t.recs)
	}
	for db, t := range s.objs {
		out[db] = t.count()
	}
	return out
}

// Skipped returns how many records Build skipped as invalid.
func (s *Snapshot) Skipped() int { return s.skipped }

// DocumentDatabases lists the databases keyed by document number, in a fixed order. The
// slice is the snapshot's own, computed once: callers must not modify it.
func (s *Snapshot) DocumentDatabases() []event.Database { return s.docDBs }

// PersonDatabases lists the databases keyed by person name, in a fixed order. The slice is
// the snapshot's own, computed once: callers must not modify it.
func (s *Snapshot) PersonDatabases() []event.Database { return s.personDBs }

// finish computes what the screening of every subject asks of the snapshot, so that it is
// not recomputed (and allocated) per subject.
func (s *Snapshot) finish() *Snapshot {
	s.docDBs = present(s.docs, event.DBSLTD, event.DBTDAWN)
	s.personDBs = present(s.persons, event.DBNotices, event.DBNominals)
	return s
}

func present[T any](m map[event.Database]T, dbs ...event.Database) []event.Database {
	var out []event.Database
	for _, db := range dbs {
		if _, ok := m[db]; ok {
			out = append(out, db)
		}
	}
	return out
}

// LookupDocument appends to dst every record of db matching a presented document number and
// issuer (both raw; they are canonicalised here): same issuer and canonical number, same
// issuer and OCR-folded number, or a reported range containing the number. It uses the hash
// tables and the sorted range index, never a scan.
func (s *Snapshot) LookupDocument(db event.Database, number, issuer string, dst []DocumentMatch) []DocumentMatch {
	t := s.docs[db]
	if t == nil {
		return dst
	}
	return t.lookup(number, issuer, dst)
}

// Document returns the record ref points at. ref must come from this snapshot and database.
func (s *Snapshot) Document(db event.Database, ref DocRef) DocumentRecord {
	return s.docs[db].record(ref)
}

// DocumentRefs iterates every record of db. It is a scan: for tests, exports and audits, never
// for screening.
func (s *Snapshot) DocumentRefs(db event.Database) iter.Seq[DocRef] {
	t := s.docs[db]
	if t == nil {
		return func(func(DocRef) bool) {}
	}
	return t.refs()
}

// DocumentBytes is the memory held by db's document index: arenas, record metadata, hash
// tables and ranges.
func (s *Snapshot) DocumentBytes(db event.Database) int {
	t := s.docs[db]
	if t == nil {
		return 0
	}
	return t.bytes()
}

// ObjectCount returns how many records an object database (vehicles, vessels, firearms)
// holds; they are numbered from 0.
func (s *Snapshot) ObjectCount(db event.Database) int { return s.objs[db].count() }

// ObjectBytes is the memory held by an object database's index: arena, offsets and hash
// slots.
func (s *Snapshot) ObjectBytes(db event.Database) int { return s.objs[db].bytes() }

// Store publishes snapshots atomically. The zero Store is ready to use; Load returns nil until
// the first Swap. Safe for concurrent use.
type Store struct {
	p atomic.Pointer[Snapshot]
}

// Load returns the current snapshot, or nil before the first Swap. A reader should load once
// per screened record and use that snapshot throughout.
func (s *Store) Load() *Snapshot { return s.p.Load() }

// Swap publishes next and returns the snapshot it replaces (nil on the first Swap).
func (s *Store) Swap(next *Snapshot) (prev *Snapshot) { return s.p.Swap(next) }
