package producers

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/schemas"
)

// Topics names the output topics.
type Topics struct {
	Screenings  string
	Alerts      string
	DeadLetters string
}

// Emitter publishes engine outputs. It implements engine.Emitter.
type Emitter struct {
	cl     *kgo.Client
	serde  *schemas.Serde
	topics Topics
}

// NewEmitter returns an Emitter writing through cl, which the caller owns and closes.
func NewEmitter(cl *kgo.Client, serde *schemas.Serde, topics Topics) (*Emitter, error) {
	if err := topics.Validate(); err != nil {
		return nil, err
	}
	return &Emitter{cl: cl, serde: serde, topics: topics}, nil
}

// Validate reports a missing topic name.
func (t Topics) Validate() error {
	if t.Screenings == "" || t.Alerts == "" || t.DeadLetters == "" {
		return errors.New("producers: screenings, alerts and dead-letter topics are required")
	}
	return nil
}

var _ engine.Emitter = (*Emitter)(nil)

const defaultDeliveryTimeout = 2 * time.Minute

// Emit encodes every item and produces them all, returning once each is acknowledged. Keys:
// screenings by subject id, alerts by hit id, dead letters by their original key. Encoding
// errors are fatal: an output the engine built must always encode.
func (e *Emitter) Emit(ctx context.Context, out engine.Output) error {
	recs, _, err := baseRecords(e.serde, e.topics, out)
	if err != nil {
		return err
	}
	return Produce(ctx, e.cl, recs)
}

// baseRecords encodes an output onto the base topics: every screening, every alert (the
// all-alerts stream) and every dead letter. It also returns each alert's encoding, in
// out.Alerts order, for writers that route alerts further.
func baseRecords(serde *schemas.Serde, topics Topics, out engine.Output) ([]*kgo.Record, [][]byte, error) {
	recs := make([]*kgo.Record, 0, len(out.Screenings)+len(out.Alerts)+len(out.DeadLetters))
	for i := range out.Screenings {
		s := &out.Screenings[i]
		b, err := serde.EncodeScreening(s)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding screening of event %s: %w", s.EventID, err)
		}
		recs = append(recs, &kgo.Record{Topic: topics.Screenings, Key: []byte(s.SubjectID), Value: b})
	}
	alerts := make([][]byte, len(out.Alerts))
	for i := range out.Alerts {
		// Every stream but the owner's carries what the screening country may see: a hit
		// on a record restricted from it is neutral there.
		a := new(out.Alerts[i].DisclosedTo(out.Alerts[i].Context.Country))
		b, err := serde.EncodeAlert(a)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding alert %s: %w", a.Hit.ID, err)
		}
		alerts[i] = b
		recs = append(recs, &kgo.Record{Topic: topics.Alerts, Key: []byte(a.Hit.ID), Value: b})
	}
	for i := range out.DeadLetters {
		d := &out.DeadLetters[i]
		b, err := serde.EncodeDeadLetter(d)
		if err != nil {
			return nil, nil, fmt.Errorf("encoding dead letter for %s/%d@%d: %w", d.Topic, d.Partition, d.Offset, err)
		}
		recs = append(recs, &kgo.Record{Topic: topics.DeadLetters, Key: d.Key, Value: b, Headers: []kgo.RecordHeader{
			{Key: "error.class", Value: []byte(d.ErrorClass)},
			{Key: "error.msg", Value: []byte(d.Error)},
			{Key: "src.topic", Value: []byte(d.Topic)},
			{Key: "src.partition", Value: []byte(strconv.Itoa(int(d.Partition)))},
			{Key: "src.offset", Value: []byte(strconv.FormatInt(d.Offset, 10))},
		}})
	}
	return recs, alerts, nil
}

// Produce produces every record and waits for all acknowledgements; it returns every failure.
func Produce(ctx context.Context, cl *kgo.Client, recs []*kgo.Record) error {
	if len(recs) == 0 {
		return nil
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		return fmt.Errorf("producing %d records: %w", len(recs), err)
	}
	return nil
}

// ProducerOpts are the options every Watchpost producer uses: acks from all in-sync replicas,
// idempotent writes (franz-go's default with acks=all), and a delivery timeout.
func ProducerOpts() []kgo.Opt {
	return []kgo.Opt{
		kgo.RequiredAcks(kgo.AllISRAcks()),
		kgo.RecordDeliveryTimeout(defaultDeliveryTimeout),
		kgo.ProducerBatchMaxBytes(4 << 20),
	}
}
