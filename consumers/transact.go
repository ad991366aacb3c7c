package consumers

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"runtime"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/engine"
)

// TransactConfig configures a TransactGroup.
type TransactConfig struct {
	Brokers []string
	Group   string
	Topics  []string
	// TransactionalID must be unique per running process; default: group, host and a random
	// suffix. Fencing across restarts is by consumer-group generation (KIP-447), so a stable
	// id is not required.
	TransactionalID string
	// MaxPollRecords bounds the records of one transaction; default 5000.
	MaxPollRecords int
	// Parallelism is how many partitions of one poll are handled at once; default GOMAXPROCS.
	Parallelism int
	// TransactionTimeout is the broker-side bound of one transaction; default 60s.
	TransactionTimeout time.Duration
	// ProducerOpts are the producer options (acks, delivery timeout) of the session client.
	ProducerOpts []kgo.Opt
	Opts         []kgo.Opt
	Logger       *zap.Logger
}

// Validate lists every problem of the configuration.
func (c TransactConfig) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, errors.New("consumers: brokers: at least one required"))
	}
	if c.Group == "" {
		errs = append(errs, errors.New("consumers: group: required"))
	}
	if len(c.Topics) == 0 {
		errs = append(errs, errors.New("consumers: topics: at least one required"))
	}
	return errors.Join(errs...)
}

// TransactGroup is a consumer-group member that handles each poll inside one Kafka
// transaction: the outputs its handler produces through Client and the consumed offsets are
// committed together, or not at all. Readers with read_committed isolation therefore see every
// output exactly once, even when a worker is killed mid-batch: the open transaction is aborted
// and the new owner of the partitions starts from the last committed offsets.
//
// A rebalance during a poll aborts that poll's transaction; its records are polled again.
// A handler error aborts the transaction and is fatal: Run returns it.
type TransactGroup struct {
	cfg  TransactConfig
	sess *kgo.GroupTransactSession
	log  *zap.Logger
}

// NewTransactGroup creates the transactional session; it joins the group when Run polls.
func NewTransactGroup(cfg TransactConfig) (*TransactGroup, error) {
	if cfg.MaxPollRecords <= 0 {
		cfg.MaxPollRecords = 5000
	}
	if cfg.Parallelism <= 0 {
		cfg.Parallelism = runtime.GOMAXPROCS(0)
	}
	if cfg.TransactionTimeout <= 0 {
		cfg.TransactionTimeout = time.Minute
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.TransactionalID == "" {
		host, _ := os.Hostname()
		var b [6]byte
		_, _ = rand.Read(b[:])
		cfg.TransactionalID = fmt.Sprintf("%s-%s-%s", cfg.Group, host, hex.EncodeToString(b[:]))
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumerGroup(cfg.Group),
		kgo.ConsumeTopics(cfg.Topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.RequireStableFetchOffsets(),
		kgo.TransactionalID(cfg.TransactionalID),
		kgo.TransactionTimeout(cfg.TransactionTimeout),
	}, cfg.ProducerOpts...)
	opts = append(opts, cfg.Opts...)
	sess, err := kgo.NewGroupTransactSession(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating transactional session: %w", err)
	}
	return &TransactGroup{cfg: cfg, sess: sess, log: cfg.Logger.Named("consumer").With(zap.String("group", cfg.Group))}, nil
}

// Client is the session's client. Everything a handler produces through it during Run joins
// the poll's transaction.
func (g *TransactGroup) Client() *kgo.Client { return g.sess.Client() }

// Run polls, handles and commits transactions until ctx ends (nil) or a handler or the
// transaction fails (the error). It always leaves the group before returning.
func (g *TransactGroup) Run(ctx context.Context, h engine.BatchHandler) error {
	defer g.sess.Close()
	for {
		fetches := g.sess.PollRecords(ctx, g.cfg.MaxPollRecords)
		if fetches.IsClientClosed() || ctx.Err() != nil {
			return nil
		}
		fetches.EachError(func(topic string, p int32, err error) {
			g.log.Warn("fetch error", zap.String("topic", topic), zap.Int32("partition", p), zap.Error(err))
		})
		var batches [][]*engine.Message
		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			if len(p.Records) == 0 {
				return
			}
			msgs := make([]*engine.Message, len(p.Records))
			for i, r := range p.Records {
				msgs[i] = &engine.Message{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Key: r.Key, Value: r.Value, Timestamp: r.Timestamp}
			}
			batches = append(batches, msgs)
		})
		if len(batches) == 0 {
			continue
		}
		if err := g.sess.Begin(); err != nil {
			return fmt.Errorf("beginning transaction: %w", err)
		}
		// The handlers' context is not ctx: a shutdown must not cut a transaction in half.
		// It ends after the handlers, with End; the transaction timeout bounds it.
		herr := g.handle(context.WithoutCancel(ctx), h, batches)
		endCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), g.cfg.TransactionTimeout)
		committed, err := g.sess.End(endCtx, kgo.TransactionEndTry(herr == nil))
		cancel()
		switch {
		case herr != nil:
			return errors.Join(herr, err)
		case err != nil:
			return fmt.Errorf("ending transaction: %w", err)
		case !committed:
			g.log.Info("transaction aborted by a rebalance; its records will be polled again")
		}
	}
}

// handle runs the handler on every partition's batch, cfg.Parallelism at a time, and returns
// every failure.
func (g *TransactGroup) handle(ctx context.Context, h engine.BatchHandler, batches [][]*engine.Message) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		sem  = make(chan struct{}, g.cfg.Parallelism)
	)
	for _, msgs := range batches {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			if err := h.HandleBatch(ctx, msgs); err != nil {
				first, last := msgs[0], msgs[len(msgs)-1]
				mu.Lock()
				errs = append(errs, fmt.Errorf("handling %s/%d@%d-%d: %w", first.Topic, first.Partition, first.Offset, last.Offset, err))
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}
