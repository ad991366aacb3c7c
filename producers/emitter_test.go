package producers_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/engine/enginetest"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

var topics = producers.Topics{Screenings: "screenings", Alerts: "alerts", DeadLetters: "dead"}

func newSerde(t *testing.T) *schemas.Serde {
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

type kafkaReader struct {
	c     *consumerstest.Cluster
	serde *schemas.Serde
}

func (r kafkaReader) ReadAll(t *testing.T, want int, timeout time.Duration) engine.Output {
	t.Helper()
	cl := r.c.Client(t, kgo.ConsumeTopics(topics.Screenings, topics.Alerts, topics.DeadLetters),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	var out engine.Output
	deadline := time.Now().Add(timeout)
	for n := 0; n < want; n = len(out.Screenings) + len(out.Alerts) + len(out.DeadLetters) {
		if time.Now().After(deadline) {
			t.Fatalf("read %d of %d records before the deadline", n, want)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 200*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		for _, rec := range fs.Records() {
			switch rec.Topic {
			case topics.Screenings:
				s, err := r.serde.DecodeScreening(rec.Value)
				if err != nil {
					t.Fatal(err)
				}
				out.Screenings = append(out.Screenings, *s)
			case topics.Alerts:
				a, err := r.serde.DecodeAlert(rec.Value)
				if err != nil {
					t.Fatal(err)
				}
				if string(rec.Key) != a.Hit.ID {
					t.Errorf("alert keyed %q, want its hit id", rec.Key)
				}
				out.Alerts = append(out.Alerts, *a)
			case topics.DeadLetters:
				d, err := r.serde.DecodeDeadLetter(rec.Value)
				if err != nil {
					t.Fatal(err)
				}
				headers := map[string]string{}
				for _, h := range rec.Headers {
					headers[h.Key] = string(h.Value)
				}
				if headers["error.class"] != d.ErrorClass || headers["src.topic"] != d.Topic || headers["src.offset"] == "" {
					t.Errorf("dead-letter headers %v do not describe the failure", headers)
				}
				out.DeadLetters = append(out.DeadLetters, *d)
			}
		}
	}
	return out
}

func newKafkaEmitter(t *testing.T) (*consumerstest.Cluster, *producers.Emitter, *schemas.Serde) {
	c := consumerstest.NewCluster(t, 3, topics.Screenings, topics.Alerts, topics.DeadLetters)
	serde := newSerde(t)
	cl := c.Client(t, producers.ProducerOpts()...)
	em, err := producers.NewEmitter(cl, serde, topics)
	if err != nil {
		t.Fatal(err)
	}
	return c, em, serde
}

func TestEmitterConformance(t *testing.T) {
	t.Parallel()
	enginetest.EmitterSuite(t, func(t *testing.T) (engine.Emitter, enginetest.Reader) {
		c, em, serde := newKafkaEmitter(t)
		return em, kafkaReader{c, serde}
	})
}

// TestEmitFailsWhenTheBrokerRejects proves Emit reports a produce failure instead of
// returning nil, so the caller never marks an offset whose outputs were not written.
func TestEmitFailsWhenTheBrokerRejects(t *testing.T) {
	t.Parallel()
	c, em, _ := newKafkaEmitter(t)
	c.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		r := req.(*kmsg.ProduceRequest)
		resp := r.ResponseKind().(*kmsg.ProduceResponse)
		for _, tp := range r.Topics {
			rt := kmsg.NewProduceResponseTopic()
			rt.Topic, rt.TopicID = tp.Topic, tp.TopicID
			for _, p := range tp.Partitions {
				rp := kmsg.NewProduceResponseTopicPartition()
				rp.Partition = p.Partition
				rp.ErrorCode = 87 // INVALID_RECORD: not retriable
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	if err := em.Emit(ctx, enginetest.SampleOutput("E", 2, 1)); err == nil {
		t.Fatal("Emit = nil although the broker rejected every record")
	}
}
