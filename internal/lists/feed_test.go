package lists

import (
	"context"
	"testing"
	"time"

	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// TestLoadedRecordsReachTheFeed: a record loaded with Load is in the snapshot a matcher's
// watchlist feed builds from the reference topics, and the tombstone of a reload without it
// removes it there, while the owner's other records stay.
func TestLoadedRecordsReachTheFeed(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA", sltdV1))
	e.load(t, e.config("FRA"), readPath(t, "testdata/fra/notices.csv", event.DBNotices, "FRA"))

	store := &index.Store{}
	f, err := watchlistfeed.New(watchlistfeed.Config{Brokers: e.k.Brokers, Topics: app.ReferenceTopics(e.k.Topics),
		Decoder: e.serde, Store: store, Debounce: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(t.Context())
	errc := make(chan error, 1)
	go func() { errc <- f.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-errc; err != nil {
			t.Errorf("feed: %v", err)
		}
	})
	select {
	case <-f.Ready():
	case <-time.After(10 * time.Second):
		t.Fatal("the feed never became ready")
	}
	has := func(number string) bool {
		return len(store.Load().LookupDocument(event.DBSLTD, number, "FRA", nil)) > 0
	}
	if !has("X1000003") || !has("X1000001") {
		t.Fatal("a loaded SLTD record is not in the feed's snapshot")
	}
	if got := store.Load().Counts()[event.DBNotices]; got != 2 {
		t.Errorf("%d notices in the snapshot, want the 2 loaded", got)
	}

	sum := e.load(t, e.config("FRA"), read(t, "sltd.jsonl", event.DBSLTD, "FRA",
		`{"id":"S1","number":"X1000001","type":"P","issuer":"FRA","status":"stolen"}
{"id":"S2","number":"X1000002","type":"P","issuer":"FRA","status":"lost"}`))
	if sum.Cancelled != 1 {
		t.Fatalf("reload: %+v, want S3 cancelled", sum)
	}
	deadline := time.Now().Add(10 * time.Second)
	for has("X1000003") {
		if time.Now().After(deadline) {
			t.Fatal("the tombstone never removed the record from the feed's snapshot")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if !has("X1000001") || store.Load().Counts()[event.DBSLTD] != 2 {
		t.Error("the reload removed more than the cancelled record")
	}
}
