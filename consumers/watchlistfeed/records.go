package watchlistfeed

import (
	"fmt"
	"iter"
	"maps"
	"slices"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/packed"
)

// codec converts one database's reference records: Avro bytes from the topic to the packed
// form the feed keeps, and packed records to the watchlist.Set the index is built from.
type codec struct {
	// decode decodes a topic value and returns its record id and packed form.
	decode func(b []byte) (id, rec string, err error)
	// fill unpacks recs, in order, into the database's slice of set.
	fill func(set *watchlist.Set, recs []string) error
}

func codecOf[T any](
	dec func([]byte) (*T, error), id func(*T) string, pack func(*T) string,
	unpack func(string) (T, error), slot func(*watchlist.Set) *[]T,
) codec {
	return codec{
		decode: func(b []byte) (string, string, error) {
			v, err := dec(b)
			if err != nil {
				return "", "", err
			}
			return id(v), pack(v), nil
		},
		fill: func(set *watchlist.Set, recs []string) error {
			out := make([]T, len(recs))
			for i, s := range recs {
				v, err := unpack(s)
				if err != nil {
					return fmt.Errorf("record %d: %w", i, err)
				}
				out[i] = v
			}
			*slot(set) = out
			return nil
		},
	}
}

// codecs returns the codec of every database.
func codecs(d Decoder) map[event.Database]codec {
	return map[event.Database]codec{
		event.DBSLTD: codecOf(d.DecodeSLTDRecord, func(v *watchlist.Document) string { return v.ID }, packed.Document, packed.UnpackDocument,
			func(s *watchlist.Set) *[]watchlist.Document { return &s.Documents }),
		event.DBNotices: codecOf(d.DecodeNoticeRecord, func(v *watchlist.Person) string { return v.ID }, packed.Person, packed.UnpackPerson,
			func(s *watchlist.Set) *[]watchlist.Person { return &s.Notices }),
		event.DBNominals: codecOf(d.DecodeNoticeRecord, func(v *watchlist.Person) string { return v.ID }, packed.Person, packed.UnpackPerson,
			func(s *watchlist.Set) *[]watchlist.Person { return &s.Nominals }),
		event.DBTDAWN: codecOf(d.DecodeTDAWNRecord, func(v *watchlist.TravelDocument) string { return v.ID }, packed.TravelDocument, packed.UnpackTravelDocument,
			func(s *watchlist.Set) *[]watchlist.TravelDocument { return &s.TDAWN }),
		event.DBVehicles: codecOf(d.DecodeVehicleRecord, func(v *watchlist.Vehicle) string { return v.ID }, packed.Vehicle, packed.UnpackVehicle,
			func(s *watchlist.Set) *[]watchlist.Vehicle { return &s.Vehicles }),
		event.DBVessels: codecOf(d.DecodeVesselRecord, func(v *watchlist.Vessel) string { return v.ID }, packed.Vessel, packed.UnpackVessel,
			func(s *watchlist.Set) *[]watchlist.Vessel { return &s.Vessels }),
		event.DBFirearms: codecOf(d.DecodeFirearmRecord, func(v *watchlist.Firearm) string { return v.ID }, packed.Firearm, packed.UnpackFirearm,
			func(s *watchlist.Set) *[]watchlist.Firearm { return &s.Firearms }),
	}
}

// table is the feed's state of one database: every current record, packed, by id — or,
// for SLTD (indexed), only the changes since the last publish, the rest living in the
// published snapshot's index alone. SLTD is the database of tens of millions of records:
// keeping them a second time, packed in a map, would triple a worker's memory per record.
type table struct {
	db    event.Database
	topic string
	codec codec
	recs  map[string]string // record id -> packed record; unused when indexed
	// indexed tables keep pending (record id -> packed record, "" for a tombstone) until
	// the next publish rebuilds from the snapshot's records; base holds the records of a
	// loaded local snapshot until the first publish.
	indexed bool
	pending map[string]string
	base    []string
	// ordered is recs sorted by id as of the last publish (or as loaded from a local
	// snapshot); it is immutable once set, so a background save can read it.
	ordered []string
	dirty   bool     // recs changed since ordered was taken
	added   []string // packed records added or updated since the last publish, once live
}

// indexedRecords returns the records of an indexed table after its pending changes: those
// of prev's index (or of base, before the first publish) not replaced or cancelled, then
// the pending ones, unpacked. It consumes pending and base.
func (t *table) indexedRecords(prev *index.Snapshot) ([]watchlist.Document, error) {
	var docs []watchlist.Document
	if prev != nil {
		docs = make([]watchlist.Document, 0, prev.Counts()[t.db]+len(t.pending))
		for d := range indexedDocuments(prev, t.db) {
			if _, ok := t.pending[d.ID]; !ok {
				docs = append(docs, d)
			}
		}
	} else {
		docs = make([]watchlist.Document, 0, len(t.base)+len(t.pending))
		for i, s := range t.base {
			d, err := packed.UnpackDocument(s)
			if err != nil {
				return nil, fmt.Errorf("record %d: %w", i, err)
			}
			if _, ok := t.pending[d.ID]; !ok {
				docs = append(docs, d)
			}
		}
	}
	for _, s := range t.pending {
		if s == "" {
			continue
		}
		d, err := packed.UnpackDocument(s)
		if err != nil {
			return nil, err
		}
		docs = append(docs, d)
	}
	t.base, t.pending = nil, map[string]string{}
	return docs, nil
}

// indexedDocuments iterates the records of document database db as snap's index holds
// them (canonical numbers, normalised codes; indexing them again gives the same index), with
// their restrictions.
func indexedDocuments(snap *index.Snapshot, db event.Database) iter.Seq[watchlist.Document] {
	return func(yield func(watchlist.Document) bool) {
		for ref := range snap.DocumentRefs(db) {
			r := snap.Document(db, ref)
			d := watchlist.Document{ID: r.ID, Number: r.Number, NumberTo: r.NumberTo, Type: r.Type,
				Issuer: r.Issuer, Status: r.Status, Owner: r.Owner, Access: snap.Access(db, r.ID)}
			if !yield(d) {
				return
			}
		}
	}
}

// order returns the records sorted by id, recomputing the order only when recs changed.
func (t *table) order() []string {
	if !t.dirty && t.ordered != nil {
		return t.ordered
	}
	ids := slices.Sorted(maps.Keys(t.recs))
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = t.recs[id]
	}
	t.ordered, t.dirty = out, false
	return out
}
