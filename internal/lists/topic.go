package lists

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

// topicReader reads every partition of one reference topic from the start, read_committed and
// without a consumer group, in steps: each catchUp reads to the partitions' last stable
// offsets at the time it is called.
type topicReader struct {
	topic string
	cl    *kgo.Client
	adm   *kadm.Client
	next  map[int32]int64 // next offset to read, per partition
}

func openTopic(ctx context.Context, k app.Kafka, topic string) (*topicReader, error) {
	admCl, err := k.Client()
	if err != nil {
		return nil, err
	}
	defer admCl.Close()
	ends, err := stableOffsets(ctx, kadm.NewClient(admCl), topic)
	if err != nil {
		return nil, err
	}
	parts := map[int32]kgo.Offset{}
	next := map[int32]int64{}
	for p := range ends {
		parts[p] = kgo.NewOffset().AtStart()
		next[p] = 0
	}
	cl, err := k.Client(
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{topic: parts}),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(), // so a transaction marker at a partition's end counts as reached
	)
	if err != nil {
		return nil, err
	}
	return &topicReader{topic: topic, cl: cl, adm: kadm.NewClient(cl), next: next}, nil
}

func (t *topicReader) close() { t.cl.Close() }

// stableOffsets lists the last stable offset of every partition of topic: what a
// read_committed reader can reach now.
func stableOffsets(ctx context.Context, adm *kadm.Client, topic string) (map[int32]int64, error) {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	offs, err := adm.ListCommittedOffsets(ctx, topic)
	if err == nil {
		err = offs.Error()
	}
	if err != nil {
		return nil, fmt.Errorf("listing the offsets of reference topic %s: %w", topic, err)
	}
	out := map[int32]int64{}
	offs.Each(func(o kadm.ListedOffset) { out[o.Partition] = o.Offset })
	if len(out) == 0 {
		return nil, fmt.Errorf("listing the offsets of reference topic %s: no partitions", topic)
	}
	return out, nil
}

// catchUp reads every record up to the partitions' current last stable offsets and hands
// each data record (control records are skipped) to apply, in offset order per partition.
func (t *topicReader) catchUp(ctx context.Context, apply func(*kgo.Record)) error {
	target, err := stableOffsets(ctx, t.adm, t.topic)
	if err != nil {
		return err
	}
	for p := range target {
		if _, ok := t.next[p]; !ok {
			return fmt.Errorf("reading reference topic %s: partitions were added during the load; run it again", t.topic)
		}
	}
	for {
		done := true
		for p, end := range target {
			done = done && t.next[p] >= end
		}
		if done {
			return nil
		}
		fetches := t.cl.PollFetches(ctx)
		if ctx.Err() != nil {
			return fmt.Errorf("reading reference topic %s: %w", t.topic, ctx.Err())
		}
		var fetchErr error
		fetches.EachError(func(topic string, p int32, err error) {
			if !errors.Is(err, context.Canceled) && !errors.Is(err, context.DeadlineExceeded) {
				fetchErr = errors.Join(fetchErr, fmt.Errorf("reading reference topic %s/%d: %w", topic, p, err))
			}
		})
		if fetchErr != nil {
			return fetchErr
		}
		fetches.EachRecord(func(r *kgo.Record) {
			t.next[r.Partition] = r.Offset + 1
			if !r.Attrs.IsControl() {
				apply(r)
			}
		})
	}
}

// decoded is a topic record decoded: its id and owner, and its re-encoding with the current
// schemas, computed on demand (most records on a topic are other owners', never compared).
type decoded struct {
	id, owner string
	encode    func() ([]byte, error)
}

// decoder returns, for db, a function that decodes a topic value, or nil for an unknown
// database.
func decoder(s *schemas.Serde, db event.Database) func(b []byte) (decoded, error) {
	switch db {
	case event.DBSLTD:
		return decodeWith(s.DecodeSLTDRecord, s.EncodeSLTDRecord, func(d *watchlist.Document) (string, string) { return d.ID, d.Owner })
	case event.DBNotices, event.DBNominals:
		return decodeWith(s.DecodeNoticeRecord, s.EncodeNoticeRecord, func(p *watchlist.Person) (string, string) { return p.ID, p.Owner })
	case event.DBTDAWN:
		return decodeWith(s.DecodeTDAWNRecord, s.EncodeTDAWNRecord, func(d *watchlist.TravelDocument) (string, string) { return d.ID, d.Owner })
	case event.DBVehicles:
		return decodeWith(s.DecodeVehicleRecord, s.EncodeVehicleRecord, func(v *watchlist.Vehicle) (string, string) { return v.ID, v.Owner })
	case event.DBVessels:
		return decodeWith(s.DecodeVesselRecord, s.EncodeVesselRecord, func(v *watchlist.Vessel) (string, string) { return v.ID, v.Owner })
	case event.DBFirearms:
		return decodeWith(s.DecodeFirearmRecord, s.EncodeFirearmRecord, func(f *watchlist.Firearm) (string, string) { return f.ID, f.Owner })
	}
	return nil
}

func decodeWith[T any](dec func([]byte) (*T, error), enc func(*T) ([]byte, error), meta func(*T) (string, string)) func([]byte) (decoded, error) {
	return func(b []byte) (decoded, error) {
		v, err := dec(b)
		if err != nil {
			return decoded{}, err
		}
		id, owner := meta(v)
		return decoded{id: id, owner: normalize.Country(owner), encode: func() ([]byte, error) { return enc(v) }}, nil
	}
}
