package watchlistfeed_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zaptest/observer"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
	"github.com/watchpost/watchpost/schemas"
)

// allTopics names one reference topic per database.
var allTopics = map[event.Database]string{
	event.DBSLTD: sltdTopic, event.DBNotices: noticeTopic, event.DBNominals: "ref.nominals", event.DBTDAWN: "ref.tdawn",
	event.DBVehicles: "ref.vehicles", event.DBVessels: "ref.vessels", event.DBFirearms: "ref.firearms",
}

func topicList() []string {
	var out []string
	for _, t := range allTopics {
		out = append(out, t)
	}
	return out
}

// referenceRecords encodes set for allTopics.
func referenceRecords(t *testing.T, s *schemas.Serde, set *watchlist.Set) []*kgo.Record {
	t.Helper()
	var recs []*kgo.Record
	add := func(db event.Database, id string, b []byte, err error) {
		if err != nil {
			t.Fatalf("encoding %s %s: %v", db, id, err)
		}
		recs = append(recs, &kgo.Record{Topic: allTopics[db], Key: []byte(id), Value: b})
	}
	for i := range set.Documents {
		b, err := s.EncodeSLTDRecord(&set.Documents[i])
		add(event.DBSLTD, set.Documents[i].ID, b, err)
	}
	for i := range set.Notices {
		b, err := s.EncodeNoticeRecord(&set.Notices[i])
		add(event.DBNotices, set.Notices[i].ID, b, err)
	}
	for i := range set.Nominals {
		b, err := s.EncodeNoticeRecord(&set.Nominals[i])
		add(event.DBNominals, set.Nominals[i].ID, b, err)
	}
	for i := range set.TDAWN {
		b, err := s.EncodeTDAWNRecord(&set.TDAWN[i])
		add(event.DBTDAWN, set.TDAWN[i].ID, b, err)
	}
	for i := range set.Vehicles {
		b, err := s.EncodeVehicleRecord(&set.Vehicles[i])
		add(event.DBVehicles, set.Vehicles[i].ID, b, err)
	}
	for i := range set.Vessels {
		b, err := s.EncodeVesselRecord(&set.Vessels[i])
		add(event.DBVessels, set.Vessels[i].ID, b, err)
	}
	for i := range set.Firearms {
		b, err := s.EncodeFirearmRecord(&set.Firearms[i])
		add(event.DBFirearms, set.Firearms[i].ID, b, err)
	}
	return recs
}

func sampleSet(seed uint64, n int) *watchlist.Set {
	vocab := watchlisttest.NewNameVocabulary(200, 150, seed)
	set := &watchlist.Set{
		Documents: watchlisttest.Documents(n, seed),
		Notices:   watchlisttest.Persons(vocab, n/4, seed),
		Vehicles:  watchlisttest.Vehicles(n/4, seed),
		Vessels:   watchlisttest.Vessels(n/10, seed),
		Firearms:  watchlisttest.Firearms(n/4, seed),
	}
	for i := range set.Notices {
		set.Notices[i].NoticeType = watchlist.NoticeRed
		if i%5 == 0 {
			set.Notices[i].RestrictedFrom = []string{"ITA"}
		}
	}
	set.Nominals = watchlisttest.Persons(vocab, n/10, seed+1)
	for i := range set.Nominals {
		set.Nominals[i].ID = fmt.Sprintf("nom-%d", i)
		set.Nominals[i].NoticeType = ""
	}
	for i := range n / 10 {
		d := set.Documents[i]
		set.TDAWN = append(set.TDAWN, watchlist.TravelDocument{ID: "td-" + d.ID, Number: d.Number + "7", Type: "P", Issuer: d.Issuer, NoticeID: set.Notices[i].ID, Owner: d.Owner})
	}
	return set
}

type feedRun struct {
	store *index.Store
	feed  *watchlistfeed.Feed
	logs  *observer.ObservedLogs
	stop  func()
}

func runFeed(t *testing.T, c *consumerstest.Cluster, s *schemas.Serde, dir string) *feedRun {
	t.Helper()
	return runFeedState(t, c, s, watchlistfeed.StateConfig{Dir: dir, SaveOnStop: true})
}

func runFeedState(t *testing.T, c *consumerstest.Cluster, s *schemas.Serde, state watchlistfeed.StateConfig) *feedRun {
	t.Helper()
	core, logs := observer.New(zap.InfoLevel)
	r := &feedRun{store: &index.Store{}, logs: logs}
	f, err := watchlistfeed.New(watchlistfeed.Config{Brokers: c.Brokers, Topics: allTopics, Decoder: s, Store: r.store,
		Debounce: 50 * time.Millisecond, Logger: zap.New(core), State: state})
	if err != nil {
		t.Fatal(err)
	}
	r.feed = f
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- f.Run(ctx) }()
	var once bool
	r.stop = func() {
		if !once {
			once = true
			cancel()
			if err := <-errc; err != nil {
				t.Errorf("feed: %v", err)
			}
		}
	}
	t.Cleanup(r.stop)
	select {
	case <-f.Ready():
	case err := <-errc:
		t.Fatalf("feed stopped before ready: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("feed never became ready")
	}
	return r
}

// subjectsOf probes every database with present and absent records.
func subjectsOf(set *watchlist.Set) []*event.Subject {
	var out []*event.Subject
	out = append(out, watchlisttest.DocumentSubjects(set.Documents, 300, 11)...)
	var tdawn []watchlist.Document
	for _, td := range set.TDAWN {
		tdawn = append(tdawn, watchlist.Document{ID: td.ID, Number: td.Number, Type: td.Type, Issuer: td.Issuer})
	}
	out = append(out, watchlisttest.DocumentSubjects(tdawn, 50, 12)...)
	vocab := watchlisttest.NewNameVocabulary(200, 150, 1)
	out = append(out, watchlisttest.PersonSubjects(vocab, append(set.Notices, set.Nominals...), 200, 13)...)
	out = append(out, watchlisttest.VehicleSubjects(set.Vehicles, 100, 14)...)
	out = append(out, watchlisttest.VesselSubjects(set.Vessels, 50, 15)...)
	out = append(out, watchlisttest.FirearmSubjects(set.Firearms, 100, 16)...)
	return out
}

func screenAll(t *testing.T, snap *index.Snapshot, subjects []*event.Subject) [][]event.Hit {
	t.Helper()
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	out := make([][]event.Hit, len(subjects))
	for i, s := range subjects {
		out[i] = m.Screen(snap, s)
	}
	return out
}

func logged(logs *observer.ObservedLogs, msg string) bool { return logs.FilterMessage(msg).Len() > 0 }

// TestRestartFromStateEqualsFullReplay: a worker restarted from its local snapshot, with
// updates and cancellations in the tail it replays, publishes the same snapshot version and
// screens exactly like a worker replaying every topic from the start.
func TestRestartFromStateEqualsFullReplay(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 3, topicList()...)
	s := newSerde(t)
	first := sampleSet(1, 2000)
	c.Produce(t, referenceRecords(t, s, first)...)
	dir := t.TempDir()

	r1 := runFeed(t, c, s, dir)
	if got := r1.store.Load().Counts(); got[event.DBVehicles] != len(first.Vehicles) || got[event.DBNominals] != len(first.Nominals) || got[event.DBTDAWN] != len(first.TDAWN) {
		t.Fatalf("counts after replay %v", got)
	}
	r1.stop() // saves on stop
	if _, err := os.Stat(filepath.Join(dir, watchlistfeed.StateFile)); err != nil {
		t.Fatalf("no snapshot file after stop: %v", err)
	}

	// The tail: new records of every database, updates, and tombstones.
	second := sampleSet(2, 400)
	tail := referenceRecords(t, s, second)
	for _, db := range event.Databases() {
		tail = append(tail, &kgo.Record{Topic: allTopics[db], Key: []byte(firstID(first, db))})
	}
	upd := first.Documents[5]
	upd.Status = watchlist.StatusRevoked
	b, err := s.EncodeSLTDRecord(&upd)
	if err != nil {
		t.Fatal(err)
	}
	tail = append(tail, &kgo.Record{Topic: sltdTopic, Key: []byte(upd.ID), Value: b})
	c.Produce(t, tail...)

	restarted := runFeed(t, c, s, dir)
	if !logged(restarted.logs, "local snapshot loaded") {
		t.Fatal("the restarted feed did not load its local snapshot")
	}
	full := runFeed(t, c, s, "")
	a, b2 := restarted.store.Load(), full.store.Load()
	if a.Version != b2.Version {
		t.Errorf("versions: from snapshot %d, full replay %d", a.Version, b2.Version)
	}
	if diff := cmp.Diff(b2.Counts(), a.Counts()); diff != "" {
		t.Errorf("counts (-full +snapshot):\n%s", diff)
	}
	union := sampleSet(1, 2000)
	union.Documents = append(union.Documents, second.Documents...)
	union.Notices = append(union.Notices, second.Notices...)
	union.Vehicles = append(union.Vehicles, second.Vehicles...)
	union.Firearms = append(union.Firearms, second.Firearms...)
	subjects := subjectsOf(union)
	got, want := screenAll(t, a, subjects), screenAll(t, b2, subjects)
	for i := range subjects {
		if diff := cmp.Diff(want[i], got[i]); diff != "" {
			t.Fatalf("subject %s (-full +snapshot):\n%s", subjects[i].ID, diff)
		}
	}
	perDB := map[event.Database]int{}
	for i := range want {
		for _, h := range want[i] {
			perDB[h.Database]++
		}
	}
	t.Logf("hits per database: %v", perDB)
	for _, db := range event.Databases() {
		if perDB[db] == 0 {
			t.Errorf("no hit on %s: the comparison proves little for it", db)
		}
	}
	if len(a.LookupDocument(event.DBSLTD, first.Documents[0].Number, first.Documents[0].Issuer, nil)) != 0 {
		t.Error("a record cancelled in the tail still hits after a restart from the snapshot")
	}
}

// firstID is the id of the first record of db in set.
func firstID(set *watchlist.Set, db event.Database) string {
	switch db {
	case event.DBSLTD:
		return set.Documents[0].ID
	case event.DBNotices:
		return set.Notices[0].ID
	case event.DBNominals:
		return set.Nominals[0].ID
	case event.DBTDAWN:
		return set.TDAWN[0].ID
	case event.DBVehicles:
		return set.Vehicles[0].ID
	case event.DBVessels:
		return set.Vessels[0].ID
	default:
		return set.Firearms[0].ID
	}
}

// TestCorruptStateFallsBackToReplay: a damaged snapshot file is reported and ignored.
func TestCorruptStateFallsBackToReplay(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 2, topicList()...)
	s := newSerde(t)
	set := sampleSet(3, 300)
	c.Produce(t, referenceRecords(t, s, set)...)
	dir := t.TempDir()
	r := runFeed(t, c, s, dir)
	want := r.store.Load().Counts()
	r.stop()
	path := filepath.Join(dir, watchlistfeed.StateFile)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b[len(b)/2] ^= 0xff
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	again := runFeed(t, c, s, dir)
	if !logged(again.logs, "local snapshot unusable; replaying the reference topics in full") {
		t.Error("the corrupt snapshot was not reported")
	}
	if diff := cmp.Diff(want, again.store.Load().Counts()); diff != "" {
		t.Errorf("counts after falling back (-want +got):\n%s", diff)
	}
}

// TestStaleStateFallsBackToReplay: a snapshot older than MaxAge (compaction may since have
// dropped a tombstone it never saw) is not used.
func TestStaleStateFallsBackToReplay(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 2, topicList()...)
	s := newSerde(t)
	set := sampleSet(6, 300)
	c.Produce(t, referenceRecords(t, s, set)...)
	dir := t.TempDir()
	r := runFeed(t, c, s, dir)
	r.stop()
	// A cancellation the stale file does not hold.
	c.Produce(t, &kgo.Record{Topic: sltdTopic, Key: []byte(set.Documents[0].ID)})
	again := runFeedState(t, c, s, watchlistfeed.StateConfig{Dir: dir, MaxAge: time.Nanosecond})
	if !logged(again.logs, "local snapshot too old; replaying the reference topics in full") || logged(again.logs, "local snapshot loaded") {
		t.Error("a snapshot older than MaxAge was used")
	}
	if got, want := again.store.Load().Counts()[event.DBSLTD], len(set.Documents)-1; got != want {
		t.Errorf("SLTD records after the full replay = %d, want %d", got, want)
	}
}

// TestLiveChangesReachOnChange: once live, added and updated records are handed to
// OnChange (retro-screening) with the snapshot that holds them; cancellations stop hitting.
func TestLiveChangesReachOnChange(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 2, topicList()...)
	s := newSerde(t)
	set := sampleSet(4, 200)
	c.Produce(t, referenceRecords(t, s, set)...)
	changes := make(chan *watchlist.Set, 10)
	store := &index.Store{}
	f, err := watchlistfeed.New(watchlistfeed.Config{Brokers: c.Brokers, Topics: allTopics, Decoder: s, Store: store, Debounce: 50 * time.Millisecond,
		OnChange: func(prev, snap *index.Snapshot, changed *watchlist.Set) {
			if snap != store.Load() || prev == nil || prev.Version >= snap.Version {
				t.Error("OnChange called with a snapshot that is not the published one")
			}
			changes <- changed
		}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	go f.Run(ctx)
	<-f.Ready()
	select {
	case <-changes:
		t.Fatal("OnChange called for the replay")
	case <-time.After(200 * time.Millisecond):
	}
	newDoc := doc("D-new", "ZZ0000001")
	newVeh := watchlisttest.Vehicles(1, 99)[0]
	newVeh.ID = "V-new"
	more := referenceRecords(t, s, &watchlist.Set{Documents: []watchlist.Document{newDoc}, Vehicles: []watchlist.Vehicle{newVeh}})
	cancelled := set.Vehicles[0]
	more = append(more, &kgo.Record{Topic: allTopics[event.DBVehicles], Key: []byte(cancelled.ID)})
	c.Produce(t, more...)
	got := &watchlist.Set{}
	deadline := time.After(10 * time.Second)
	for len(got.Documents) == 0 || len(got.Vehicles) == 0 {
		select {
		case ch := <-changes:
			got.Documents = append(got.Documents, ch.Documents...)
			got.Vehicles = append(got.Vehicles, ch.Vehicles...)
		case <-deadline:
			t.Fatalf("OnChange saw %d documents and %d vehicles, want 1 and 1", len(got.Documents), len(got.Vehicles))
		}
	}
	if got.Documents[0].ID != "D-new" || got.Vehicles[0].ID != "V-new" {
		t.Errorf("OnChange got %s and %s", got.Documents[0].ID, got.Vehicles[0].ID)
	}
	m, _ := match.New(match.DefaultConfig())
	for _, h := range m.Screen(store.Load(), &event.Subject{ID: "x/0", EventID: "x", Kind: event.KindVehicle, Vehicle: &event.Vehicle{VIN: cancelled.VIN}}) {
		if h.RecordID == cancelled.ID {
			t.Error("a cancelled vehicle still hits")
		}
	}
}
