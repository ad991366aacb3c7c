package lists

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// ErrConcurrentLoad is returned when another load changed the owner's records of the
// database while this one ran. Nothing was written; running the load again is safe.
var ErrConcurrentLoad = errors.New("another load changed this owner's records while this one ran: nothing was written; run it again")

// TransactionalIDPrefix starts the transactional id of every load (deploy/acls.yaml grants
// the loader role this prefix).
const TransactionalIDPrefix = "watchpost-loader-"

// endTimeout bounds committing or aborting the transaction; a commit is not cut short by
// the caller's context, because a commit interrupted half-way leaves its outcome unknown.
const endTimeout = 30 * time.Second

// Config configures a load.
type Config struct {
	Kafka app.Kafka // brokers, declared topics, security options
	Serde *schemas.Serde
	// Owner is the country the load acts for (see Owner); the list must have been read for it.
	Owner string
	// DryRun computes the summary and produces nothing.
	DryRun bool
	// TransactionTimeout bounds the load's transaction: the coordinator aborts it if the
	// loader dies without ending it (the next load of the same owner and database aborts it
	// at once). Until then it holds back what read_committed readers — the matchers — see
	// of the partitions it wrote, so it is kept short. Default 2 minutes.
	TransactionTimeout time.Duration
	Logger             *zap.Logger

	// beforeProduce, in tests, runs after the topic was read and before the transaction.
	beforeProduce func()
}

// Validate lists every problem of the configuration.
func (c Config) Validate() error {
	var errs []error
	if len(c.Kafka.Brokers) == 0 {
		errs = append(errs, errors.New("lists: brokers: at least one required"))
	}
	if c.Serde == nil {
		errs = append(errs, errors.New("lists: serde: required"))
	}
	if !deploy.ValidCountry(c.Owner) {
		errs = append(errs, errors.New("lists: owner: want an upper-case ISO 3166 alpha-3 code"))
	}
	if c.TransactionTimeout < 0 {
		errs = append(errs, errors.New("lists: transaction timeout: want a positive duration"))
	}
	return errors.Join(errs...)
}

// Summary is what a load did, or in a dry run would do: counts only.
type Summary struct {
	Database  event.Database `json:"database"`
	Owner     string         `json:"owner"`
	Topic     string         `json:"topic"`
	Records   int            `json:"records"`   // in the file
	Added     int            `json:"added"`     // new ids
	Updated   int            `json:"updated"`   // ids whose record changed
	Unchanged int            `json:"unchanged"` // not re-sent
	Cancelled int            `json:"cancelled"` // tombstones: the owner's records absent from the file
	// Undecodable counts records on the topic that could not be decoded; they are left
	// alone (an id of the file that one of them uses is loaded over it).
	Undecodable int  `json:"undecodable"`
	DryRun      bool `json:"dry_run"`
}

// current is the latest record on the topic for one id that concerns the load: one of the
// owner's, or one whose id the file uses.
type current struct {
	owner string
	value []byte // re-encoded with the current schemas, to compare with the file's
}

// Load makes the owner's records on l's database reference topic equal to l, producing only
// the differences in one transaction, and returns what it did. l must have been read for
// cfg.Owner (Read). A located error names ids of the file that other owners' records
// already use; nothing is produced then, nor after any other error.
func Load(ctx context.Context, cfg Config, l *jsonl.List) (Summary, error) {
	if cfg.TransactionTimeout == 0 {
		cfg.TransactionTimeout = 2 * time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if err := cfg.Validate(); err != nil {
		return Summary{}, err
	}
	topic := app.ReferenceTopics(cfg.Kafka.Topics)[l.DB]
	decode := decoder(cfg.Serde, l.DB)
	if topic == "" || decode == nil {
		return Summary{}, fmt.Errorf("lists: no reference topic for database %q", l.DB)
	}
	start := time.Now()
	log := cfg.Logger.Named("lists").With(zap.String("database", string(l.DB)), zap.String("owner", cfg.Owner), zap.String("topic", topic))
	sum := Summary{Database: l.DB, Owner: cfg.Owner, Topic: topic, DryRun: cfg.DryRun}

	recs, err := app.ReferenceRecords(cfg.Serde, cfg.Kafka.Topics, l.Set)
	if err != nil {
		return sum, err
	}
	want := make(map[string][]byte, len(recs))
	for _, r := range recs {
		want[string(r.Key)] = r.Value
	}
	sum.Records = len(recs)

	tr, err := openTopic(ctx, cfg.Kafka, topic)
	if err != nil {
		return sum, err
	}
	defer tr.close()
	cur := map[string]current{}
	err = tr.catchUp(ctx, func(r *kgo.Record) {
		key := string(r.Key)
		w, inFile := want[key]
		switch {
		case r.Value == nil:
			delete(cur, key)
			return
		case inFile && bytes.Equal(w, r.Value):
			cur[key] = current{owner: cfg.Owner, value: w} // the file's record, byte for byte
			return
		}
		d, err := decode(r.Value)
		if err == nil && d.id != key {
			err = errors.New("record id differs from the record key")
		}
		var value []byte
		if err == nil && (inFile || d.owner == cfg.Owner) {
			value, err = d.encode()
		}
		switch {
		case err != nil:
			sum.Undecodable++
			delete(cur, key)
			log.Warn("skipping an undecodable reference record", zap.Int32("partition", r.Partition), zap.Int64("offset", r.Offset), zap.Error(err))
		case inFile || d.owner == cfg.Owner:
			cur[key] = current{owner: d.owner, value: value}
		default:
			delete(cur, key)
		}
	})
	if err != nil {
		return sum, err
	}

	var out []*kgo.Record
	var taken []error
	for _, r := range recs {
		c, ok := cur[string(r.Key)]
		switch {
		case !ok:
			sum.Added++
			out = append(out, r)
		case c.owner != cfg.Owner:
			taken = append(taken, fmt.Errorf("%s:%d: id: used by another owner's record on the reference topic", l.Name, l.Lines[string(r.Key)]))
		case string(c.value) != string(r.Value):
			sum.Updated++
			out = append(out, r)
		default:
			sum.Unchanged++
		}
	}
	if len(taken) > 0 {
		return sum, errors.Join(taken...)
	}
	var gone []string
	for id, c := range cur {
		if _, ok := want[id]; !ok && c.owner == cfg.Owner {
			gone = append(gone, id)
		}
	}
	slices.Sort(gone)
	for _, id := range gone {
		out = append(out, &kgo.Record{Topic: topic, Key: []byte(id)}) // a tombstone
	}
	sum.Cancelled = len(gone)
	if cfg.DryRun || len(out) == 0 {
		log.Info("list compared", zap.Any("summary", sum), zap.Duration("took", time.Since(start)))
		return sum, nil
	}
	if cfg.beforeProduce != nil {
		cfg.beforeProduce()
	}

	// The recheck after producing: any record of this owner, or on an id the load concerns,
	// committed since the first read means the differences are stale.
	concerns := func(r *kgo.Record) bool {
		key := string(r.Key)
		if _, ok := cur[key]; ok {
			return true
		}
		if _, ok := want[key]; ok {
			return true
		}
		if r.Value == nil {
			return false
		}
		d, err := decode(r.Value)
		return err == nil && d.owner == cfg.Owner
	}
	if err := produce(ctx, cfg, TransactionalIDPrefix+cfg.Owner+"-"+topic, out, tr, concerns); err != nil {
		return sum, err
	}
	log.Info("list loaded", zap.Any("summary", sum), zap.Duration("took", time.Since(start)))
	return sum, nil
}

// produce writes recs in one transaction. Between producing (which registers the
// transactional id, fencing any other load of this owner and database) and committing, it
// reads the topic again to its new stable offset and aborts with ErrConcurrentLoad if a
// record there concerns the load.
func produce(ctx context.Context, cfg Config, txnID string, recs []*kgo.Record, tr *topicReader, concerns func(*kgo.Record) bool) error {
	cl, err := cfg.Kafka.Producer(kgo.TransactionalID(txnID), kgo.TransactionTimeout(cfg.TransactionTimeout))
	if err != nil {
		return err
	}
	defer cl.Close()
	if err := cl.BeginTransaction(); err != nil {
		return fmt.Errorf("beginning the load's transaction: %w", err)
	}
	if err := producers.Produce(ctx, cl, recs); err != nil {
		return errors.Join(err, abort(cl))
	}
	stale := false
	if err := tr.catchUp(ctx, func(r *kgo.Record) { stale = stale || concerns(r) }); err != nil {
		return errors.Join(err, abort(cl))
	}
	if stale {
		return errors.Join(ErrConcurrentLoad, abort(cl))
	}
	cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), endTimeout)
	defer cancel()
	if err := cl.EndTransaction(cctx, kgo.TryCommit); err != nil {
		// After a failed commit kgo wants TryAbort; if the commit did land nothing undoes
		// it, hence "unknown". Reloading is safe: it writes only what is still different.
		return errors.Join(fmt.Errorf("committing the load (outcome unknown: run it again): %w", err), abort(cl))
	}
	return nil
}

// abort aborts the open transaction; the error says when that failed too (the coordinator
// then aborts it at the transaction timeout, or the next load of the same id at once).
func abort(cl *kgo.Client) error {
	ctx, cancel := context.WithTimeout(context.Background(), endTimeout)
	defer cancel()
	err := cl.AbortBufferedRecords(ctx)
	if err == nil {
		err = cl.EndTransaction(ctx, kgo.TryAbort)
	}
	if err != nil {
		return fmt.Errorf("aborting the load's transaction: %w", err)
	}
	return nil
}
