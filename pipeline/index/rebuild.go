package index

import (
	"maps"
	"slices"
	"sync"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Rebuild returns snapshot version built from set, re-indexing only the databases listed in
// changed and sharing every other database's tables with prev (tables are immutable, so
// both snapshots stay valid). set must hold every record of the changed databases — and the
// notices whenever TDAWN is rebuilt, since TDAWN records carry their notice's type; the
// other databases' records are ignored. TDAWN is rebuilt whenever notices change. With a
// nil prev, Rebuild is Build. The result equals Build(version, full set) for the same
// records.
func Rebuild(prev *Snapshot, version uint64, set *watchlist.Set, changed []event.Database) *Snapshot {
	if prev == nil {
		return Build(version, set)
	}
	if slices.Contains(changed, event.DBNotices) && !slices.Contains(changed, event.DBTDAWN) {
		changed = append(slices.Clone(changed), event.DBTDAWN)
	}
	s := &Snapshot{
		Version: version,
		docs:    maps.Clone(prev.docs), persons: maps.Clone(prev.persons), objs: maps.Clone(prev.objs),
		access: maps.Clone(prev.access), skippedBy: maps.Clone(prev.skippedBy),
	}
	if s.access == nil {
		s.access = map[event.Database]map[string]event.Access{}
	}
	if s.skippedBy == nil {
		s.skippedBy = map[event.Database]int{}
	}
	fresh := buildAccess(set)
	var wg sync.WaitGroup
	var mu sync.Mutex
	for _, db := range changed {
		wg.Go(func() {
			var (
				skipped int
				doc     *docTable
				person  *personTable
				obj     *objTable
			)
			switch db {
			case event.DBSLTD:
				doc, skipped = buildDocTable(set.Documents, nil)
			case event.DBTDAWN:
				docs, links, n := tdawnDocuments(set.TDAWN, set.Notices)
				doc, skipped = buildDocTable(docs, links)
				skipped += n
			case event.DBNotices:
				person, skipped = buildPersonTable(set.Notices, func(p *watchlist.Person) bool { return p.NoticeType.Screened() })
			case event.DBNominals:
				person, skipped = buildPersonTable(set.Nominals, func(*watchlist.Person) bool { return true })
			case event.DBVehicles:
				obj, skipped = buildVehicleTable(set.Vehicles)
			case event.DBVessels:
				obj, skipped = buildVesselTable(set.Vessels)
			case event.DBFirearms:
				obj, skipped = buildFirearmTable(set.Firearms)
			default:
				return
			}
			mu.Lock()
			defer mu.Unlock()
			switch db {
			case event.DBSLTD, event.DBTDAWN:
				s.docs[db] = doc
			case event.DBNotices, event.DBNominals:
				s.persons[db] = person
			default:
				s.objs[db] = obj
			}
			s.skippedBy[db] = skipped
			if fresh[db] == nil {
				delete(s.access, db)
			} else {
				s.access[db] = fresh[db]
			}
		})
	}
	wg.Wait()
	for _, n := range s.skippedBy {
		s.skipped += n
	}
	return s.finish()
}
