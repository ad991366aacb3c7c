package consumers_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers"
	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/pipeline/engine"
)

// recorder is a BatchHandler that records what it saw and can fail on one offset.
type recorder struct {
	mu     sync.Mutex
	seen   map[string]int // value -> times handled
	failAt int64          // fail the batch holding this offset (partition 0); -1 never
	total  int
	want   int
	doneCh chan struct{}
}

func newRecorder(want int, failAt int64) *recorder {
	return &recorder{seen: map[string]int{}, failAt: failAt, want: want, doneCh: make(chan struct{})}
}

func (r *recorder) HandleBatch(_ context.Context, msgs []*engine.Message) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range msgs {
		if m.Partition == 0 && m.Offset == r.failAt {
			return errors.New("injected failure")
		}
	}
	for _, m := range msgs {
		if r.seen[string(m.Value)] == 0 {
			r.total++
		}
		r.seen[string(m.Value)]++
	}
	if r.total == r.want {
		close(r.doneCh)
		r.want = -1
	}
	return nil
}

func produceN(t *testing.T, c *consumerstest.Cluster, topic string, n int) {
	t.Helper()
	recs := make([]*kgo.Record, n)
	for i := range recs {
		recs[i] = &kgo.Record{Topic: topic, Partition: int32(i % 2), Value: []byte(strconv.Itoa(i))}
	}
	cl := c.Client(t, kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err := cl.ProduceSync(t.Context(), recs...).FirstErr(); err != nil {
		t.Fatalf("producing: %v", err)
	}
}

func TestGroupHandlesEveryRecordAndCommits(t *testing.T) {
	t.Parallel()
	const topic, n = "in", 200
	c := consumerstest.NewCluster(t, 2, topic)
	produceN(t, c, topic, n)
	h := newRecorder(n, -1)
	g, err := consumers.NewGroup(consumers.Config{Brokers: c.Brokers, Group: "g1", Topics: []string{topic}, Handler: h})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- g.Run(ctx) }()
	select {
	case <-h.doneCh:
	case <-ctx.Done():
		t.Fatalf("handled %d of %d records before the deadline", h.total, n)
	}
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run = %v, want nil on a clean stop", err)
	}
	got := c.Committed(t, "g1", topic)
	if got[0]+got[1] != n {
		t.Errorf("committed offsets %v sum to %d, want %d: shutdown must commit what was handled", got, got[0]+got[1], n)
	}
}

func TestGroupHoldsOffsetOnHandlerFailure(t *testing.T) {
	t.Parallel()
	const topic, n = "in", 100
	c := consumerstest.NewCluster(t, 2, topic)
	produceN(t, c, topic, n)

	// First member fails on partition 0 offset 20: Run must return the error, and the
	// committed offset of partition 0 must not pass the failed record.
	h := newRecorder(n, 20)
	g, err := consumers.NewGroup(consumers.Config{Brokers: c.Brokers, Group: "g2", Topics: []string{topic}, Handler: h, MaxPollRecords: 10})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	err = g.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "injected failure") {
		t.Fatalf("Run = %v, want the injected failure", err)
	}
	if got := c.Committed(t, "g2", topic)[0]; got > 20 {
		t.Fatalf("partition 0 committed at %d after a failure at offset 20: a record was skipped", got)
	}

	// A restarted member redelivers from the committed offset and so sees every record.
	h2 := newRecorder(n, -1)
	for v := range h.seen {
		h2.seen[v] = 1 // already handled by the first member
		h2.total++
	}
	g2, err := consumers.NewGroup(consumers.Config{Brokers: c.Brokers, Group: "g2", Topics: []string{topic}, Handler: h2})
	if err != nil {
		t.Fatal(err)
	}
	ctx2, cancel2 := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel2()
	errc := make(chan error, 1)
	go func() { errc <- g2.Run(ctx2) }()
	select {
	case <-h2.doneCh:
	case <-ctx2.Done():
		t.Fatalf("after restart, %d of %d distinct records handled", h2.total, n)
	}
	cancel2()
	if err := <-errc; err != nil {
		t.Fatalf("second Run = %v", err)
	}
	for i := range n {
		if h2.seen[strconv.Itoa(i)] == 0 {
			t.Errorf("record %d never handled", i)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	err := consumers.Config{}.Validate()
	for _, want := range []string{"brokers", "group", "topics", "handler"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v, want it to name %s", err, want)
		}
	}
}
