package watchlistfeed_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

const sltdTopic, noticeTopic = "ref.sltd", "ref.notices"

func newSerde(t testing.TB) *schemas.Serde {
	t.Helper()
	ids := map[string]int{}
	for i, s := range schemas.Subjects() {
		ids[s] = i + 1
	}
	s, err := schemas.NewSerde(ids)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func doc(id, number string) watchlist.Document {
	return watchlist.Document{ID: id, Number: number, Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"}
}

func docRecord(t *testing.T, s *schemas.Serde, d watchlist.Document) *kgo.Record {
	t.Helper()
	b, err := s.EncodeSLTDRecord(&d)
	if err != nil {
		t.Fatal(err)
	}
	return &kgo.Record{Topic: sltdTopic, Key: []byte(d.ID), Value: b}
}

func noticeRecord(t *testing.T, s *schemas.Serde, id string) *kgo.Record {
	t.Helper()
	p := watchlist.Person{ID: id, NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "ZANTARIO", GivenNames: "MELKOR"}},
		BirthDates: []event.Date{{Year: 1970}}, Nationalities: []string{"FRA"}, Sex: "M", Owner: "FRA"}
	b, err := s.EncodeNoticeRecord(&p)
	if err != nil {
		t.Fatal(err)
	}
	return &kgo.Record{Topic: noticeTopic, Key: []byte(id), Value: b}
}

func hasDoc(snap *index.Snapshot, number string) bool {
	return len(snap.LookupDocument(event.DBSLTD, number, "FRA", nil)) > 0
}

func startFeed(t *testing.T, c *consumerstest.Cluster, s *schemas.Serde, store *index.Store) (*watchlistfeed.Feed, context.CancelFunc, <-chan error) {
	t.Helper()
	f, err := watchlistfeed.New(watchlistfeed.Config{Brokers: c.Brokers, Topics: map[event.Database]string{event.DBSLTD: sltdTopic, event.DBNotices: noticeTopic},
		Decoder: s, Store: store, Debounce: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- f.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-errc })
	return f, cancel, errc
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func TestFeedReplaysThenFollows(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 3, sltdTopic, noticeTopic)
	s := newSerde(t)
	var recs []*kgo.Record
	for i, n := range []string{"AA0000001", "AA0000002", "AA0000003", "AA0000004"} {
		recs = append(recs, docRecord(t, s, doc("D"+string(rune('1'+i)), n)))
	}
	recs = append(recs, noticeRecord(t, s, "N1"), noticeRecord(t, s, "N2"))
	// An update of D1 and a tombstone of D2 before the worker starts: replay must apply both.
	recs = append(recs, docRecord(t, s, doc("D1", "BB0000001")), &kgo.Record{Topic: sltdTopic, Key: []byte("D2")})
	// An undecodable record is skipped, not fatal.
	recs = append(recs, &kgo.Record{Topic: sltdTopic, Key: []byte("bad"), Value: []byte{0, 0, 0, 0, 1, 2}})
	c.Produce(t, recs...)

	store := &index.Store{}
	f, _, _ := startFeed(t, c, s, store)
	select {
	case <-f.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("feed never became ready")
	}
	snap := store.Load()
	if snap == nil {
		t.Fatal("ready but no snapshot published")
	}
	if got := snap.Counts()[event.DBSLTD]; got != 3 {
		t.Errorf("SLTD records after replay = %d, want 3 (4 added, 1 cancelled)", got)
	}
	if got := snap.Counts()[event.DBNotices]; got != 2 {
		t.Errorf("notices after replay = %d, want 2", got)
	}
	if hasDoc(snap, "AA0000001") || !hasDoc(snap, "BB0000001") {
		t.Error("the update of D1 was not applied: the latest value per key must win")
	}
	if hasDoc(snap, "AA0000002") {
		t.Error("the tombstone of D2 was not applied")
	}

	// Live: a new record and a cancellation arrive while the worker runs.
	v0 := snap.Version
	c.Produce(t, docRecord(t, s, doc("D9", "CC0000009")), &kgo.Record{Topic: sltdTopic, Key: []byte("D3")})
	waitFor(t, "the live update is published", func() bool {
		sn := store.Load()
		return hasDoc(sn, "CC0000009") && !hasDoc(sn, "AA0000003")
	})
	if v1 := store.Load().Version; v1 <= v0 {
		t.Errorf("snapshot version went from %d to %d, want it to grow", v0, v1)
	}
}

func TestFeedVersionIsDeterministic(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 2, sltdTopic, noticeTopic)
	s := newSerde(t)
	c.Produce(t, docRecord(t, s, doc("D1", "AA0000001")), docRecord(t, s, doc("D2", "AA0000002")), noticeRecord(t, s, "N1"))
	var versions []uint64
	for range 2 {
		store := &index.Store{}
		f, cancel, _ := startFeed(t, c, s, store)
		<-f.Ready()
		versions = append(versions, store.Load().Version)
		cancel()
	}
	if versions[0] != versions[1] || versions[0] == 0 {
		t.Errorf("two workers over the same data published versions %v, want equal and non-zero", versions)
	}
}

func TestFeedReadyOnEmptyTopics(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 2, sltdTopic, noticeTopic)
	store := &index.Store{}
	f, _, _ := startFeed(t, c, newSerde(t), store)
	select {
	case <-f.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("feed on empty topics never became ready")
	}
	if store.Load() == nil {
		t.Fatal("no snapshot published")
	}
}
