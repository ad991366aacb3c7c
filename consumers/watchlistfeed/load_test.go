package watchlistfeed_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// TestUpdatesUnderLoad streams updates and cancellations while screeners run flat out:
// screening never pauses or sees a missing snapshot, each screener sees versions only grow,
// a cancelled record stops hitting within seconds, and the final snapshot holds exactly the
// records left.
func TestUpdatesUnderLoad(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 3, topicList()...)
	s := newSerde(t)
	set := sampleSet(5, 5000)
	c.Produce(t, referenceRecords(t, s, set)...)
	r := runFeed(t, c, s, "")
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	subjects := subjectsOf(set)

	ctx, stop := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	var screened atomic.Int64
	errs := make(chan error, 4)
	for w := range 2 {
		wg.Go(func() {
			var last uint64
			for i := w; ctx.Err() == nil; i++ {
				snap := r.store.Load()
				if snap == nil {
					errs <- fmt.Errorf("screener %d: no snapshot", w)
					return
				}
				if snap.Version < last {
					errs <- fmt.Errorf("screener %d: version went back from %d to %d", w, last, snap.Version)
					return
				}
				last = snap.Version
				for _, h := range m.Screen(snap, subjects[i%len(subjects)]) {
					if h.SnapshotVersion != snap.Version {
						errs <- fmt.Errorf("screener %d: hit names version %d, screened on %d", w, h.SnapshotVersion, snap.Version)
						return
					}
				}
				screened.Add(1)
			}
		})
	}

	// 20 batches of 250 updates (status changes) and 25 cancellations each.
	cancelled := map[string]bool{}
	for batch := range 20 {
		var recs []*kgo.Record
		for i := range 250 {
			d := set.Documents[(batch*250+i)%4000] // never one cancelled below
			d.Status = watchlist.StatusRevoked
			b, err := s.EncodeSLTDRecord(&d)
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, &kgo.Record{Topic: sltdTopic, Key: []byte(d.ID), Value: b})
		}
		for i := range 25 {
			d := set.Documents[len(set.Documents)-1-(batch*25+i)]
			cancelled[d.ID] = true
			recs = append(recs, &kgo.Record{Topic: sltdTopic, Key: []byte(d.ID)})
		}
		c.Produce(t, recs...)
		time.Sleep(20 * time.Millisecond)
	}
	// One more cancellation, timed from its acknowledgement to the snapshot without it.
	victim := set.Documents[2600]
	c.Produce(t, &kgo.Record{Topic: sltdTopic, Key: []byte(victim.ID)})
	cancelled[victim.ID] = true
	acked := time.Now()
	probe := &event.Subject{ID: "p/0", EventID: "p", Kind: event.KindPerson, Person: &event.Person{Documents: []event.Document{{Type: "P", Number: victim.Number, Issuer: victim.Issuer}}}}
	for hitsRecord(m.Screen(r.store.Load(), probe), victim.ID) {
		if time.Since(acked) > 5*time.Second {
			t.Fatal("a cancelled record still hits 5 s after its tombstone was acknowledged")
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Logf("cancellation effective %s after acknowledgement, with %d screenings so far", time.Since(acked).Round(time.Millisecond), screened.Load())
	stop()
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if screened.Load() == 0 {
		t.Fatal("nothing screened")
	}
	want := len(set.Documents) - len(cancelled)
	waitFor(t, "the final snapshot", func() bool { return r.store.Load().Counts()[event.DBSLTD] == want })
}

func hitsRecord(hits []event.Hit, id string) bool {
	for _, h := range hits {
		if h.RecordID == id {
			return true
		}
	}
	return false
}
