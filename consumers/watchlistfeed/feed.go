package watchlistfeed

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Decoder decodes reference records. schemas.Serde implements it.
type Decoder interface {
	DecodeSLTDRecord(b []byte) (*watchlist.Document, error)
	DecodeNoticeRecord(b []byte) (*watchlist.Person, error)
	DecodeTDAWNRecord(b []byte) (*watchlist.TravelDocument, error)
	DecodeVehicleRecord(b []byte) (*watchlist.Vehicle, error)
	DecodeVesselRecord(b []byte) (*watchlist.Vessel, error)
	DecodeFirearmRecord(b []byte) (*watchlist.Firearm, error)
}

// Config configures a Feed.
type Config struct {
	Brokers []string
	// Topics names the compacted reference topic of each database to follow; a database
	// not named stays empty. Nominal data uses notice records with no notice type.
	Topics  map[event.Database]string
	Decoder Decoder
	Store   *index.Store
	// Debounce is the least time between two published snapshots; default 500ms.
	Debounce time.Duration
	Opts     []kgo.Opt
	Logger   *zap.Logger
	// StartTimeout bounds how long the feed waits for an unreachable cluster at start;
	// default 2 minutes.
	StartTimeout time.Duration
	// OnSnapshot, if set, is called after each publish with the snapshot and build time.
	OnSnapshot func(snap *index.Snapshot, took time.Duration)
	// OnChange, if set, is called after each live publish (not the first) with the
	// previous and the new snapshot and the records added or updated since the previous
	// one: retro-screening screens recent travellers against them. It runs on the feed's
	// goroutine and must not block.
	OnChange func(prev, snap *index.Snapshot, changed *watchlist.Set)
	// State configures the local snapshot file that makes restarts fast; the zero value
	// keeps none.
	State StateConfig
}

// Validate lists every problem of the configuration.
func (c Config) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("watchlistfeed: brokers: at least one required"))
	}
	if len(c.Topics) == 0 {
		errs = append(errs, errors.New("watchlistfeed: topics: at least one reference topic required"))
	}
	seen := map[string]bool{}
	for db, topic := range c.Topics {
		if !slices.Contains(event.Databases(), db) {
			errs = append(errs, fmt.Errorf("watchlistfeed: topics: unknown database %q", db))
		}
		if topic == "" {
			errs = append(errs, fmt.Errorf("watchlistfeed: topics: %s: empty topic name", db))
		}
		if seen[topic] {
			errs = append(errs, fmt.Errorf("watchlistfeed: topics: %s: topic %q named twice", db, topic))
		}
		seen[topic] = true
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

	tables  map[event.Database]*table
	byTopic map[string]*table
	next    map[partKey]int64 // next offset to read, per partition
	changed map[event.Database]bool
	skipped int
	saver   saver
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
	cfg.State.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	f := &Feed{
		cfg: cfg, log: cfg.Logger.Named("watchlistfeed"), ready: make(chan struct{}),
		tables: map[event.Database]*table{}, byTopic: map[string]*table{}, next: map[partKey]int64{},
		changed: map[event.Database]bool{},
	}
	cs := codecs(cfg.Decoder)
	for db, topic := range cfg.Topics {
		t := &table{db: db, topic: topic, codec: cs[db], recs: map[string]string{}, indexed: db == event.DBSLTD, pending: map[string]string{}}
		f.tables[db], f.byTopic[topic] = t, t
	}
	return f, nil
}

// Ready is closed once the first snapshot is published.
func (f *Feed) Ready() <-chan struct{} { return f.ready }

// topics returns the followed topics in a fixed order.
func (f *Feed) topics() []string {
	var out []string
	for _, db := range event.Databases() {
		if t := f.tables[db]; t != nil {
			out = append(out, t.topic)
		}
	}
	return out
}

// Run loads the local snapshot if one is configured and usable, replays the reference
// topics from where it ends (from the start without one), publishes the first snapshot,
// then follows updates until ctx is done. It returns nil when ctx ends and an error if the
// topics cannot be read.
func (f *Feed) Run(ctx context.Context) error {
	start := time.Now()
	defer f.saver.wait()
	loaded := f.loadState()
	topics := f.topics()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(f.cfg.Brokers...)}, f.cfg.Opts...)...)
	if err != nil {
		return fmt.Errorf("creating reference client: %w", err)
	}
	ends, err := f.endOffsets(ctx, kadm.NewClient(cl), topics)
	cl.Close()
	if err != nil {
		return err
	}
	target := map[partKey]int64{}
	from := map[string]map[int32]kgo.Offset{}
	ends.Each(func(o kadm.ListedOffset) {
		k := partKey{o.Topic, o.Partition}
		target[k] = o.Offset
		if from[o.Topic] == nil {
			from[o.Topic] = map[int32]kgo.Offset{}
		}
		if n, ok := f.next[k]; ok && n <= o.Offset {
			from[o.Topic][o.Partition] = kgo.NewOffset().At(n)
		} else {
			from[o.Topic][o.Partition] = kgo.NewOffset().AtStart()
		}
	})
	if loaded && !f.stateCovers(target) {
		// The topics were recreated or truncated under the snapshot: start over.
		f.log.Warn("local snapshot does not match the reference topics; replaying them in full")
		f.reset()
		for topic, parts := range from {
			for p := range parts {
				parts[p] = kgo.NewOffset().AtStart()
			}
			from[topic] = parts
		}
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(f.cfg.Brokers...),
		kgo.ConsumePartitions(from),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.KeepControlRecords(), // so a transaction marker at a partition's end counts as reached
	}, f.cfg.Opts...)
	cl, err = kgo.NewClient(opts...)
	if err != nil {
		return fmt.Errorf("creating reference client: %w", err)
	}
	defer cl.Close()
	f.log.Info("replaying reference topics", zap.Int("partitions", len(target)), zap.Bool("from_local_snapshot", loaded))

	caughtUp := func() bool {
		for k, end := range target {
			if f.next[k] < end {
				return false
			}
		}
		return true
	}
	var lastPublish, lastSave time.Time
	for {
		if !f.isReady() && caughtUp() {
			f.publish(false)
			lastPublish, lastSave = time.Now(), time.Now()
			f.log.Info("reference topics replayed; first snapshot published",
				zap.Any("records", f.counts()), zap.Int("skipped", f.skipped),
				zap.Bool("from_local_snapshot", loaded), zap.Duration("took", time.Since(start)))
			close(f.ready)
			if !loaded {
				f.save() // a restart from the file saves at the next interval, not again now
			}
		}
		pollCtx, cancel := context.WithTimeout(ctx, f.cfg.Debounce)
		fetches := cl.PollFetches(pollCtx)
		cancel()
		if ctx.Err() != nil || fetches.IsClientClosed() {
			if f.isReady() && f.cfg.State.SaveOnStop && f.cfg.State.Dir != "" {
				if len(f.changed) > 0 {
					f.publish(false) // so that the saved records and offsets agree
				}
				f.save()
			}
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
		if f.isReady() && len(f.changed) > 0 && time.Since(lastPublish) >= f.cfg.Debounce {
			f.publish(true)
			lastPublish = time.Now()
		}
		if f.isReady() && f.cfg.State.Dir != "" && len(f.changed) == 0 && time.Since(lastSave) >= f.cfg.State.Interval {
			f.save()
			lastSave = time.Now()
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
	t := f.byTopic[r.Topic]
	if r.Attrs.IsControl() || t == nil {
		return
	}
	id := string(r.Key)
	if t.indexed {
		f.applyIndexed(t, r, id)
		return
	}
	if r.Value == nil {
		if _, ok := t.recs[id]; ok {
			delete(t.recs, id)
			t.dirty, f.changed[t.db] = true, true
		}
		return
	}
	recID, rec, err := t.codec.decode(r.Value)
	if err == nil && recID != id {
		err = errors.New("record id differs from the record key")
	}
	if err != nil {
		f.skip(r, err)
		return
	}
	if old, ok := t.recs[id]; ok && old == rec {
		return // an unchanged re-send (a loader reloading a file) changes nothing
	}
	t.recs[id] = rec
	t.dirty, f.changed[t.db] = true, true
	if f.isReady() {
		t.added = append(t.added, rec)
	}
}

// applyIndexed records a change of an indexed table as pending. Without the records at hand
// it cannot tell an unchanged re-send from an update, so every record counts as a change.
func (f *Feed) applyIndexed(t *table, r *kgo.Record, id string) {
	rec := ""
	if r.Value != nil {
		recID, packedRec, err := t.codec.decode(r.Value)
		if err == nil && recID != id {
			err = errors.New("record id differs from the record key")
		}
		if err != nil {
			f.skip(r, err)
			return
		}
		rec = packedRec
		if f.isReady() {
			t.added = append(t.added, rec)
		}
	}
	t.pending[id] = rec
	f.changed[t.db] = true
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

// counts returns the records held per database: an indexed table's as of the published
// snapshot (or the loaded file, before it).
func (f *Feed) counts() map[event.Database]int {
	out := map[event.Database]int{}
	snap := f.cfg.Store.Load()
	for db, t := range f.tables {
		switch {
		case !t.indexed:
			out[db] = len(t.recs)
		case snap != nil:
			out[db] = snap.Counts()[db]
		default:
			out[db] = len(t.base)
		}
	}
	return out
}

// publish builds and swaps in a snapshot of the current state: the changed databases are
// re-indexed, the others shared with the current snapshot. live marks a publish after the
// first, whose added records go to OnChange.
func (f *Feed) publish(live bool) {
	start := time.Now()
	prev := f.cfg.Store.Load()
	var changed []event.Database
	set := &watchlist.Set{}
	for _, db := range event.Databases() {
		t := f.tables[db]
		if t == nil || (prev != nil && !f.changed[db] && !(db == event.DBTDAWN && f.changed[event.DBNotices])) {
			continue
		}
		changed = append(changed, db)
		if t.indexed {
			docs, err := t.indexedRecords(prev)
			if err != nil {
				f.log.Error("unpacking records", zap.String("database", string(db)), zap.Error(err))
			}
			set.Documents = docs
			continue
		}
		if err := t.codec.fill(set, t.order()); err != nil {
			// Records are packed by this process: a failure is a bug, not bad input.
			f.log.Error("unpacking records", zap.String("database", string(db)), zap.Error(err))
		}
	}
	if slices.Contains(changed, event.DBTDAWN) && set.Notices == nil {
		if t := f.tables[event.DBNotices]; t != nil {
			if err := t.codec.fill(set, t.order()); err != nil {
				f.log.Error("unpacking records", zap.String("database", string(event.DBNotices)), zap.Error(err))
			}
		}
	}
	var snap *index.Snapshot
	if prev == nil {
		snap = index.Build(f.version(), set)
	} else {
		snap = index.Rebuild(prev, f.version(), set, changed)
	}
	f.cfg.Store.Swap(snap)
	clear(f.changed)
	took := time.Since(start)
	f.log.Debug("snapshot published", zap.Uint64("version", snap.Version), zap.Duration("build", took))
	if f.cfg.OnSnapshot != nil {
		f.cfg.OnSnapshot(snap, took)
	}
	added := &watchlist.Set{}
	anyAdded := false
	for _, t := range f.tables {
		if len(t.added) > 0 {
			if err := t.codec.fill(added, t.added); err != nil {
				f.log.Error("unpacking records", zap.String("database", string(t.db)), zap.Error(err))
			}
			t.added, anyAdded = nil, true
		}
	}
	if live && anyAdded && f.cfg.OnChange != nil {
		f.cfg.OnChange(prev, snap, added)
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
