package index

import (
	"iter"
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
	skipped int
}

// Build indexes set as snapshot version. Records failing Validate — or with an issuer that is
// not three letters, a document number longer than 63 characters once canonical, or a
// malformed number range — are skipped and counted in Skipped. Notices of types that are not
// screened (black, orange, purple) are valid but not indexed. A nil set builds an empty
// snapshot. set must not be modified while Build runs.
func Build(version uint64, set *watchlist.Set) *Snapshot {
	if set == nil {
		set = &watchlist.Set{}
	}
	s := &Snapshot{Version: version, docs: map[event.Database]*docTable{}, persons: map[event.Database]*personTable{}}
	var skipped int
	s.docs[event.DBSLTD], skipped = buildDocTable(set.Documents)
	s.skipped += skipped
	s.persons[event.DBNotices], skipped = buildPersonTable(set.Notices, func(p *watchlist.Person) bool { return p.NoticeType.Screened() })
	s.skipped += skipped
	return s
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
	return out
}

// Skipped returns how many records Build skipped as invalid.
func (s *Snapshot) Skipped() int { return s.skipped }

// DocumentDatabases lists the databases keyed by document number, in a fixed order.
func (s *Snapshot) DocumentDatabases() []event.Database {
	return present(s.docs, event.DBSLTD, event.DBTDAWN)
}

// PersonDatabases lists the databases keyed by person name, in a fixed order.
func (s *Snapshot) PersonDatabases() []event.Database {
	return present(s.persons, event.DBNotices, event.DBNominals)
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

// PersonCandidates appends to dst, ordered by record and without repeats, every record of db
// sharing at least one name key with units (see AppendUnitKeys), with the units that reached
// it. Only the first MaxQueryUnits units are used. It reads postings, never scans records.
func (s *Snapshot) PersonCandidates(db event.Database, units []Unit, dst []Candidate) []Candidate {
	t := s.persons[db]
	if t == nil {
		return dst
	}
	return t.candidates(units, dst)
}

// PersonCount returns how many person records db holds; they are numbered from 0.
func (s *Snapshot) PersonCount(db event.Database) int {
	t := s.persons[db]
	if t == nil {
		return 0
	}
	return len(t.recs)
}

// Person returns person record i of db. The record is shared and must not be modified.
func (s *Snapshot) Person(db event.Database, i uint32) *PersonRecord {
	return &s.persons[db].recs[i]
}

// TokenWeight is the IDF weight of a folded name token in db: ln(1 + N/df), where N is the
// number of records and df the number containing the token (at least 1). Rare tokens weigh
// more; a token absent from the snapshot weighs as much as one found once.
func (s *Snapshot) TokenWeight(db event.Database, text string) float64 {
	t := s.persons[db]
	if t == nil {
		return idf(1, 1)
	}
	return t.weight(text)
}

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
