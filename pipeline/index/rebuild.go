package index

import (
	"maps"
	"slices"

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
	for _, db := range changed {
		var skipped int
		switch db {
		case event.DBSLTD:
			s.docs[db], skipped = buildDocTable(set.Documents, nil)
		case event.DBTDAWN:
			docs, links, n := tdawnDocuments(set.TDAWN, set.Notices)
			s.docs[db], skipped = buildDocTable(docs, links)
			skipped += n
		case event.DBNotices:
			s.persons[db], skipped = buildPersonTable(set.Notices, func(p *watchlist.Person) bool { return p.NoticeType.Screened() })
		case event.DBNominals:
			s.persons[db], skipped = buildPersonTable(set.Nominals, func(*watchlist.Person) bool { return true })
		case event.DBVehicles:
			s.objs[db], skipped = buildVehicleTable(set.Vehicles)
		case event.DBVessels:
			s.objs[db], skipped = buildVesselTable(set.Vessels)
		case event.DBFirearms:
			s.objs[db], skipped = buildFirearmTable(set.Firearms)
		default:
			continue
		}
		s.skippedBy[db] = skipped
		if fresh[db] == nil {
			delete(s.access, db)
		} else {
			s.access[db] = fresh[db]
		}
	}
	for _, n := range s.skippedBy {
		s.skipped += n
	}
	return s
}
