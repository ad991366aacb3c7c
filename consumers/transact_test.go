package consumers_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers"
	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/pipeline/engine"
)

// echo produces one output per input through the transactional client, and fails (once) on
// the input whose value is failOn.
type echo struct {
	cl      *kgo.Client
	failOn  string
	failed  atomic.Bool
	handled atomic.Int64
}

func (e *echo) HandleBatch(ctx context.Context, msgs []*engine.Message) error {
	recs := make([]*kgo.Record, 0, len(msgs))
	for _, m := range msgs {
		recs = append(recs, &kgo.Record{Topic: "out", Key: m.Value, Value: m.Value})
	}
	if err := e.cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return err
	}
	for _, m := range msgs {
		if string(m.Value) == e.failOn && e.failed.CompareAndSwap(false, true) {
			return errors.New("injected failure after producing")
		}
	}
	e.handled.Add(int64(len(msgs)))
	return nil
}

func readCommitted(t *testing.T, c *consumerstest.Cluster, want int) map[string]int {
	t.Helper()
	cl := c.Client(t, kgo.ConsumeTopics("out"), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	got := map[string]int{}
	n := 0
	deadline := time.Now().Add(15 * time.Second)
	for n < want && time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		for _, r := range fs.Records() {
			got[string(r.Value)]++
			n++
		}
	}
	// Read a little longer: anything beyond want is a duplicate.
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	for _, r := range cl.PollFetches(ctx).Records() {
		got[string(r.Value)]++
	}
	return got
}

// TestTransactGroupExactlyOnce fails a batch after its outputs were produced: the transaction
// aborts, so a read_committed reader never sees those outputs; a restarted member handles the
// batch again, and every input appears exactly once on the output topic.
func TestTransactGroupExactlyOnce(t *testing.T) {
	t.Parallel()
	const n = 120
	c := consumerstest.NewCluster(t, 3, "in", "out")
	recs := make([]*kgo.Record, n)
	for i := range recs {
		recs[i] = &kgo.Record{Topic: "in", Key: []byte(strconv.Itoa(i)), Value: []byte(strconv.Itoa(i))}
	}
	c.Produce(t, recs...)

	run := func(failOn string) (*echo, error) {
		g, err := consumers.NewTransactGroup(consumers.TransactConfig{Brokers: c.Brokers, Group: "tg", Topics: []string{"in"}, MaxPollRecords: 25})
		if err != nil {
			t.Fatal(err)
		}
		h := &echo{cl: g.Client(), failOn: failOn}
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		errc := make(chan error, 1)
		go func() { errc <- g.Run(ctx, h) }()
		if failOn != "" {
			return h, <-errc
		}
		committed := func() int64 {
			var sum int64
			for _, o := range c.Committed(t, "tg", "in") {
				sum += o
			}
			return sum
		}
		for committed() < n {
			select {
			case err := <-errc:
				return h, err
			case <-time.After(20 * time.Millisecond):
			}
		}
		cancel()
		return h, <-errc
	}
	if _, err := run("60"); err == nil {
		t.Fatal("Run = nil, want the injected failure")
	}
	// Whatever the first member committed, the second handles the rest.
	if _, err := run(""); err != nil {
		t.Fatalf("second Run: %v", err)
	}
	got := readCommitted(t, c, n)
	for i := range n {
		if k := strconv.Itoa(i); got[k] != 1 {
			t.Errorf("input %s appears %d times on the output topic, want exactly once", k, got[k])
		}
	}
}
