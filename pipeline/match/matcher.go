package match

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// Matcher screens subjects against snapshots. It is read-only after New and safe for
// concurrent use.
type Matcher struct {
	cfg Config
}

// New returns a Matcher for a valid cfg; the config is copied.
func New(cfg Config) (*Matcher, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating match config: %w", err)
	}
	cfg.Thresholds = maps.Clone(cfg.Thresholds)
	return &Matcher{cfg: cfg}, nil
}

// Screen returns every hit for the subject in the snapshot, best first (score descending,
// then database, then record id), at most MaxHitsPerDatabase per database. A person is
// screened against the document databases (SLTD, TDAWN) by its documents and against the
// person databases (notices, nominals) by name; a vehicle, vessel or firearm against its own
// database. A database without a threshold in the config is not screened. A nil snapshot or
// subject has no hits. Candidates come from the snapshot's indexes, never from a scan. Safe
// for concurrent use.
func (m *Matcher) Screen(snap *index.Snapshot, s *event.Subject) []event.Hit {
	if snap == nil || s == nil {
		return nil
	}
	var hits []event.Hit
	var persons []dbThreshold
	if s.Person != nil {
		var buf [8]dbThreshold
		for _, d := range m.enabled(snap.DocumentDatabases(), buf[:0]) {
			hits = m.screenDocuments(snap, d, s, hits)
		}
		persons = m.enabled(snap.PersonDatabases(), buf[:0])
	}
	return m.screenRest(snap, s, persons, hits)
}

// dbThreshold is a database to screen and its threshold.
type dbThreshold struct {
	db        event.Database
	threshold float64
}

// enabled appends to dst those of dbs that have a threshold in the config, with it.
func (m *Matcher) enabled(dbs []event.Database, dst []dbThreshold) []dbThreshold {
	for _, db := range dbs {
		if t, ok := m.cfg.Thresholds[db]; ok {
			dst = append(dst, dbThreshold{db, t})
		}
	}
	return dst
}

// screenRest adds to hits, which holds the subject's document hits, its hits in the person
// databases (persons: those of the snapshot that are enabled), and in the vehicle, vessel
// and firearm databases; then it sorts them and caps them per database: Screen's result.
func (m *Matcher) screenRest(snap *index.Snapshot, s *event.Subject, persons []dbThreshold, hits []event.Hit) []event.Hit {
	if s.Person != nil {
		for _, d := range persons {
			first := len(hits)
			hits = m.screenPersons(snap, d.db, s, hits)
			if d.db == event.DBNominals {
				setNominalAction(hits[first:])
			}
		}
	}
	if s.Vehicle != nil && m.on(event.DBVehicles) {
		hits = m.screenVehicles(snap, s, hits)
	}
	if s.Vessel != nil && m.on(event.DBVessels) {
		hits = m.screenVessels(snap, s, hits)
	}
	if s.Firearm != nil && m.on(event.DBFirearms) {
		hits = m.screenFirearms(snap, s, hits)
	}
	sortHits(hits)
	return capPerDatabase(hits, m.cfg.MaxHitsPerDatabase)
}

// on reports whether db has a threshold in the config: whether it is screened.
func (m *Matcher) on(db event.Database) bool {
	_, ok := m.cfg.Thresholds[db]
	return ok
}

// ScreenDocuments screens the documents of a person subject against one document database
// (SLTD or TDAWN) only. It returns exactly the hits of that database that Screen returns,
// from the same candidate search, scoring, threshold and cap, best first: for questions
// about a document rather than a traveller, such as a partner's check, which may consult
// SLTD alone. A database that has no threshold in the config or no table in the snapshot
// has no hits. Safe for concurrent use.
func (m *Matcher) ScreenDocuments(snap *index.Snapshot, db event.Database, s *event.Subject) []event.Hit {
	if snap == nil || s == nil || s.Person == nil {
		return nil
	}
	t, ok := m.cfg.Thresholds[db]
	if !ok {
		return nil
	}
	hits := m.screenDocuments(snap, dbThreshold{db, t}, s, nil) // a database without a document table finds nothing
	sortHits(hits)
	return capPerDatabase(hits, m.cfg.MaxHitsPerDatabase)
}

// nominalSeverity and nominalAction are what a hit on nominal data asks of the officer.
const (
	nominalSeverity = "medium"
	nominalAction   = "nominal data: the subject has a criminal history and is the subject of a request for cooperation — carry out enhanced checks without alerting the subject and report the encounter to the NCB of the owner"
)

// setNominalAction gives nominal-data hits their severity and action: the person matcher
// scores them as it scores notices, but nominal records have no notice type.
func setNominalAction(hits []event.Hit) {
	for i := range hits {
		hits[i].Severity, hits[i].Action = nominalSeverity, nominalAction
	}
}

func compareHits(a, b event.Hit) int {
	if c := cmp.Compare(b.Score, a.Score); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Database, b.Database); c != 0 {
		return c
	}
	return cmp.Compare(a.RecordID, b.RecordID)
}

func capPerDatabase(hits []event.Hit, limit int) []event.Hit {
	if len(hits) == 0 {
		return nil
	}
	if len(hits) <= limit { // no database can have more
		return hits
	}
	counts := map[event.Database]int{}
	out := hits[:0]
	for _, h := range hits {
		if counts[h.Database] < limit {
			counts[h.Database]++
			out = append(out, h)
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func (m *Matcher) hit(snap *index.Snapshot, db event.Database, s *event.Subject, recordID string, score float64, reasons []event.Reason, owner string) event.Hit {
	return event.Hit{
		ID:              event.HitID(s.ID, db, recordID),
		SubjectID:       s.ID,
		EventID:         s.EventID,
		Database:        db,
		RecordID:        recordID,
		Score:           score,
		Reasons:         reasons,
		SnapshotVersion: snap.Version,
		Owner:           owner,
		Access:          snap.Access(db, recordID),
	}
}

func clamp01(x float64) float64 { return min(1, max(0, x)) }

// round keeps four decimals, so scores print and compare stably.
func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

func sortHits(hits []event.Hit) { slices.SortFunc(hits, compareHits) }
