package console

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

func feedAlert(n int, post string, db event.Database) *event.Alert {
	sid := event.SubjectID(fmt.Sprintf("m-%d", n), 0)
	return &event.Alert{
		Hit:     event.Hit{ID: event.HitID(sid, db, "r"), SubjectID: sid, Database: db, Severity: "high"},
		Subject: event.Subject{ID: sid, Kind: event.KindPerson, Person: &event.Person{Surname: "Doe"}},
		Context: event.Context{BorderPost: post, Country: "FRA", EventTime: time.Unix(int64(n), 0)},
	}
}

// TestSubscriberDropsOldest: a browser that cannot keep up never blocks the feed; its
// queue keeps the newest events and counts the dropped ones.
func TestSubscriberDropsOldest(t *testing.T) {
	t.Parallel()
	f := newFeed("FRA", "alerts.FRA", 100_000)
	slow := newSubscriber(filter{}, 50)
	f.subscribe(slow, 0)
	done := make(chan struct{})
	go func() {
		for i := range 10_000 {
			f.add(fmt.Sprint(i), feedAlert(i, "CDG", event.DBSLTD), "")
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("adding alerts blocked on a subscriber that does not read")
	}
	msgs, dropped := slow.take()
	if len(msgs) != 50 || dropped != 10_000-50 {
		t.Fatalf("queue %d, dropped %d; want 50 and %d", len(msgs), dropped, 10_000-50)
	}
	var first summary
	if err := json.Unmarshal(msgs[0].data, &first); err != nil {
		t.Fatal(err)
	}
	if first.Seq != 10_000-50+1 || msgs[49].id != 10_000 {
		t.Errorf("kept seq %d..%d, want the newest 50", first.Seq, msgs[49].id)
	}
	if msgs, dropped := slow.take(); len(msgs) != 0 || dropped != 0 {
		t.Errorf("a second take returned %d messages and %d dropped", len(msgs), dropped)
	}
}

func TestFeedBacklogAndRepeats(t *testing.T) {
	t.Parallel()
	f := newFeed("FRA", "alerts.FRA", 3)
	for i := range 5 {
		post := "CDG"
		if i == 0 {
			post = "ORY"
		}
		f.add(fmt.Sprintf("k%d", i), feedAlert(i, post, event.DBSLTD), "")
	}
	for i, want := range []bool{false, false, true, true, true} {
		if _, ok := f.get(feedAlert(i, "", event.DBSLTD).Hit.ID); ok != want {
			t.Errorf("alert %d held = %v, want %v (backlog 3, oldest evicted)", i, ok, want)
		}
	}
	if got := f.borderPosts(); len(got) != 1 || got[0] != "CDG" {
		t.Errorf("border posts %v: ORY's only alert was evicted", got)
	}

	sub := newSubscriber(filter{}, 10)
	f.subscribe(sub, 3) // the browser saw up to seq 3
	msgs, _ := sub.take()
	if len(msgs) != 2 || msgs[0].id != 4 || msgs[1].id != 5 {
		t.Fatalf("resumed backlog %v, want seq 4 and 5", msgs)
	}
	// The same record again (a redelivery) changes nothing; another hit under the same fold
	// id is a repeat.
	f.add("k4", feedAlert(4, "CDG", event.DBSLTD), "")
	if msgs, _ := sub.take(); len(msgs) != 0 {
		t.Errorf("a redelivery produced %d events", len(msgs))
	}
	f.add("k4", feedAlert(99, "CDG", event.DBSLTD), "")
	msgs, _ = sub.take()
	if len(msgs) != 1 || msgs[0].event != "update" {
		t.Fatalf("a repeat produced %v, want one update", msgs)
	}
	if d, _ := f.get(feedAlert(4, "", event.DBSLTD).Hit.ID); d.Repeats != 1 {
		t.Errorf("repeats = %d, want 1", d.Repeats)
	}
	if !f.decide(feedAlert(4, "", event.DBSLTD).Hit.ID, "dismissed") || f.decide(feedAlert(4, "", event.DBSLTD).Hit.ID, "confirmed") {
		t.Error("a decision must be taken once")
	}
}

func TestFilterOnlyMatching(t *testing.T) {
	t.Parallel()
	f := newFeed("FRA", "alerts.FRA", 10)
	notices := newSubscriber(filter{Database: "notices", BorderPost: "CDG"}, 10)
	f.subscribe(notices, 0)
	f.add("a", feedAlert(1, "CDG", event.DBSLTD), "")
	f.add("b", feedAlert(2, "CDG", event.DBNotices), "")
	f.add("c", feedAlert(3, "ORY", event.DBNotices), "")
	msgs, _ := notices.take()
	if len(msgs) != 1 || msgs[0].hitID != feedAlert(2, "", event.DBNotices).Hit.ID {
		t.Errorf("filtered stream got %v, want only the CDG notices alert", msgs)
	}
}
