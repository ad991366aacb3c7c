package watchlistfeed

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Decoder decodes reference records. schemas.Serde implements it.
type Decoder interface {
	DecodeSLTDRecord(b []byte) (*watchlist.Document, error)
	DecodeNoticeRecord(b []byte) (*watchlist.Person, error)
}

// Config configures a Feed.
type Config struct {
	Brokers      []string
	SLTDTopic    string
	NoticesTopic string
	Decoder      Decoder
	Store        *index.Store
	// Debounce is the least time between two published snapshots; default 500ms.
	Debounce time.Duration
	Opts     []kgo.Opt
	Logger   *zap.Logger
	// StartTimeout bounds how long the feed waits for an unreachable cluster at start;
	// default 2 minutes.
	StartTimeout time.Duration
	// OnSnapshot, if set, is called after each publish with the snapshot and build time.
	OnSnapshot func(snap *index.Snapshot, took time.Duration)
}

// Validate lists every problem of the configuration.
func (c Config) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("watchlistfeed: brokers: at least one required"))
	}
	if c.SLTDTopic == "" || c.NoticesTopic == "" {
		errs = append(errs, errors.New("watchlistfeed: reference topics: required"))
	}
	if c.Decoder == nil {
		errs = append(errs, errors.New("watchlistfeed: decoder: required"))
	}
	if c.Store == nil {
		errs = append(errs, errors.New("watchlistfeed: store: required"))
	}
	return errors.Join(errs...)
}

type partKey struct {
	topic string
	part  int32
}

// Feed follows the reference topics into an index.Store.
type Feed struct {
	cfg   Config
	log   *zap.Logger
	ready chan struct{}

	docs    map[string]watchlist.Document
	notices map[string]watchlist.Person
	next    map[partKey]int64 // next offset to read, per partition
	dirty   bool
	skipped int
}

// New validates cfg and returns a Feed; Run starts it.
func New(cfg Config) (*Feed, error) {
	if cfg.Debounce <= 0 {
		cfg.Debounce = 500 * time.Millisecond
	}
	if cfg.StartTimeout <= 0 {
		cfg.StartTimeout = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	return &Feed{
		cfg: cfg, log: cfg.Logger.Named("watchlistfeed"), ready: make(chan struct{}),
		docs: map[string]watchlist.Document{}, notices: map[string]watchlist.Person{}, next: map[partKey]int64{},
	}, nil
}

// Ready is closed once the first snapshot is published.
func (f *Feed) Ready() <-chan struct{} { return f.ready }

// Run replays the reference topics, publishes the first snapshot, then follows updates until
// ctx is done. It returns nil when ctx ends and an error if the topics cannot be read.
func (f *Feed) Run(ctx context.Context) error {
	topics := []string{f.cfg.SLTDTopic, f.cfg.NoticesTopic}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(f.cfg.Brokers...),
		kgo.ConsumeTopics(topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(), // so a transaction marker at a partition's end counts as reached
	}, f.cfg.Opts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("creating reference client: %w", err)
	}
	defer cl.Close()

	ends, err := f.endOffsets(ctx, kadm.NewClient(cl), topics)
	if err != nil {
		return err
	}
	target := map[partKey]int64{}
	ends.Each(func(o kadm.ListedOffset) { target[partKey{o.Topic, o.Partition}] = o.Offset })
	f.log.Info("replaying reference topics", zap.Int("partitions", len(target)))
	start := time.Now()

	caughtUp := func() bool {
		for k, end := range target {
			if f.next[k] < end {
				return false
			}
		}
		return true
	}
	var lastPublish time.Time
	for {
		if !f.isReady() && caughtUp() {
			f.publish()
			lastPublish = time.Now()
			f.log.Info("reference topics replayed; first snapshot published",
				zap.Int("documents", len(f.docs)), zap.Int("notices", len(f.notices)),
				zap.Int("skipped", f.skipped), zap.Duration("took", time.Since(start)))
			close(f.ready)
		}
		pollCtx, cancel := context.WithTimeout(ctx, f.cfg.Debounce)
		fetches := cl.PollFetches(pollCtx)
		cancel()
		if ctx.Err() != nil || fetches.IsClientClosed() {
			return nil
		}
		var fetchErr error
		fetches.EachError(func(t string, p int32, err error) {
			if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
				return
			}
			fetchErr = fmt.Errorf("reading reference topic %s/%d: %w", t, p, err)
		})
		if fetchErr != nil {
			return fetchErr
		}
		fetches.EachRecord(f.apply)
		if f.isReady() && f.dirty && time.Since(lastPublish) >= f.cfg.Debounce {
			f.publish()
			lastPublish = time.Now()
		}
	}
}

func (f *Feed) isReady() bool {
	select {
	case <-f.ready:
		return true
	default:
		return false
	}
}

// apply folds one reference record into the current state.
func (f *Feed) apply(r *kgo.Record) {
	f.next[partKey{r.Topic, r.Partition}] = r.Offset + 1
	if r.Attrs.IsControl() {
		return
	}
	f.dirty = true
	id := string(r.Key)
	switch r.Topic {
	case f.cfg.SLTDTopic:
		if r.Value == nil {
			delete(f.docs, id)
			return
		}
		d, err := f.cfg.Decoder.DecodeSLTDRecord(r.Value)
		if err != nil {
			f.skip(r, err)
			return
		}
		f.docs[id] = *d
	case f.cfg.NoticesTopic:
		if r.Value == nil {
			delete(f.notices, id)
			return
		}
		p, err := f.cfg.Decoder.DecodeNoticeRecord(r.Value)
		if err != nil {
			f.skip(r, err)
			return
		}
		f.notices[id] = *p
	}
}

func (f *Feed) skip(r *kgo.Record, err error) {
	f.skipped++
	f.log.Warn("skipping undecodable reference record", zap.String("topic", r.Topic),
		zap.Int32("partition", r.Partition), zap.Int64("offset", r.Offset), zap.Error(err))
}

// version is the snapshot version of the current state: the sum of next offsets.
func (f *Feed) version() uint64 {
	var v uint64
	for _, n := range f.next {
		v += uint64(n)
	}
	return v
}

func (f *Feed) publish() {
	start := time.Now()
	set := &watchlist.Set{
		Documents: slices.SortedFunc(maps.Values(f.docs), func(a, b watchlist.Document) int { return cmp.Compare(a.ID, b.ID) }),
		Notices:   slices.SortedFunc(maps.Values(f.notices), func(a, b watchlist.Person) int { return cmp.Compare(a.ID, b.ID) }),
	}
	snap := index.Build(f.version(), set)
	f.cfg.Store.Swap(snap)
	f.dirty = false
	took := time.Since(start)
	f.log.Debug("snapshot published", zap.Uint64("version", snap.Version), zap.Duration("build", took))
	if f.cfg.OnSnapshot != nil {
		f.cfg.OnSnapshot(snap, took)
	}
}

// endOffsets lists the reference partitions' end offsets, retrying with backoff for up to
// StartTimeout while the cluster is unreachable (a broker restart, a rolling upgrade), so a
// worker started during an outage waits instead of crash-looping.
func (f *Feed) endOffsets(ctx context.Context, adm *kadm.Client, topics []string) (kadm.ListedOffsets, error) {
	deadline := time.Now().Add(f.cfg.StartTimeout)
	wait := 200 * time.Millisecond
	for {
		ends, err := adm.ListEndOffsets(ctx, topics...)
		if err == nil {
			err = ends.Error()
		}
		if err == nil {
			return ends, nil
		}
		if ctx.Err() != nil || time.Now().After(deadline) {
			return nil, fmt.Errorf("listing reference end offsets: %w", err)
		}
		f.log.Warn("listing reference end offsets; retrying", zap.Error(err), zap.Duration("in", wait))
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("listing reference end offsets: %w", ctx.Err())
		case <-time.After(wait):
		}
		wait = min(2*wait, 5*time.Second)
	}
}
