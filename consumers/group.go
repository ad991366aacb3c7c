package consumers

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/engine"
)

// Config configures a Group.
type Config struct {
	Brokers []string // seed brokers, host:port
	Group   string   // consumer group id
	Topics  []string // topics to consume
	Handler engine.BatchHandler
	// MaxPollRecords bounds the records handed out per poll; default 5000.
	MaxPollRecords int
	// ReadUncommitted also reads records of open or aborted transactions; by default only
	// committed records are read.
	ReadUncommitted bool
	// ShutdownTimeout bounds draining and the final commit; default 30s.
	ShutdownTimeout time.Duration
	// Opts are extra client options: TLS, SASL, hooks.
	Opts   []kgo.Opt
	Logger *zap.Logger
}

func (c *Config) setDefaults() {
	if c.MaxPollRecords <= 0 {
		c.MaxPollRecords = 5000
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = 30 * time.Second
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
}

// Validate lists every problem of the configuration.
func (c Config) Validate() error {
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
	if c.Handler == nil {
		errs = append(errs, errors.New("consumers: handler: required"))
	}
	return errors.Join(errs...)
}

type tp struct {
	topic     string
	partition int32
}

// Group is a consumer-group member that runs one worker per assigned partition.
type Group struct {
	cfg Config
	cl  *kgo.Client
	log *zap.Logger

	mu      sync.Mutex
	workers map[tp]*worker

	// workCtx is given to handlers: it outlives the poll loop so in-flight batches drain.
	workCtx    context.Context
	cancelWork context.CancelFunc

	failOnce   sync.Once
	failErr    error
	cancelPoll context.CancelFunc
}

// NewGroup creates the client; it joins the group when Run starts polling.
func NewGroup(cfg Config) (*Group, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	g := &Group{cfg: cfg, log: cfg.Logger.Named("consumer").With(zap.String("group", cfg.Group)), workers: map[tp]*worker{}}
	g.workCtx, g.cancelWork = context.WithCancel(context.Background())
	iso := kgo.ReadCommitted()
	if cfg.ReadUncommitted {
		iso = kgo.ReadUncommitted()
	}
	opts := append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumerGroup(cfg.Group),
		kgo.ConsumeTopics(cfg.Topics...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(iso),
		kgo.AutoCommitMarks(),
		kgo.AutoCommitInterval(time.Second),
		kgo.BlockRebalanceOnPoll(),
		kgo.OnPartitionsAssigned(g.assigned),
		kgo.OnPartitionsRevoked(g.revoked),
		kgo.OnPartitionsLost(g.lost),
	}, cfg.Opts...)
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		return nil, fmt.Errorf("creating consumer client: %w", err)
	}
	g.cl = cl
	return g, nil
}

// Run polls until ctx is done or a partition fails, then shuts down in order: stop polling,
// drain the workers, commit what they marked, leave the group. It returns nil on a clean stop
// and the partition's error on a fatal one.
func (g *Group) Run(ctx context.Context) error {
	ctx, g.cancelPoll = context.WithCancel(ctx)
	defer g.cancelPoll()
	for {
		fetches := g.cl.PollRecords(ctx, g.cfg.MaxPollRecords)
		if fetches.IsClientClosed() || ctx.Err() != nil {
			g.cl.AllowRebalance()
			break
		}
		fetches.EachError(func(topic string, p int32, err error) {
			g.log.Warn("fetch error", zap.String("topic", topic), zap.Int32("partition", p), zap.Error(err))
		})
		fetches.EachPartition(func(p kgo.FetchTopicPartition) {
			if len(p.Records) == 0 {
				return
			}
			g.mu.Lock()
			w := g.workers[tp{p.Topic, p.Partition}]
			g.mu.Unlock()
			if w == nil {
				return // revoked between fetch and dispatch: the new owner re-reads them
			}
			select {
			case w.recs <- p.Records:
			case <-w.done: // worker stopped on a fatal error
			}
		})
		g.cl.AllowRebalance()
	}
	g.shutdown()
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.failErr
}

// fail records the first fatal partition error and stops polling.
func (g *Group) fail(err error) {
	g.failOnce.Do(func() {
		g.mu.Lock()
		g.failErr = err
		g.mu.Unlock()
		g.cancelPoll()
	})
}

func (g *Group) shutdown() {
	g.mu.Lock()
	all := make(map[string][]int32)
	for k := range g.workers {
		all[k.topic] = append(all[k.topic], k.partition)
	}
	g.mu.Unlock()
	timer := time.AfterFunc(g.cfg.ShutdownTimeout, g.cancelWork) // in-flight handlers get this long
	g.drain(all)
	timer.Stop()
	ctx, cancel := context.WithTimeout(context.Background(), g.cfg.ShutdownTimeout)
	defer cancel()
	if err := g.cl.CommitMarkedOffsets(ctx); err != nil {
		g.log.Warn("committing marked offsets at shutdown", zap.Error(err))
	}
	g.cl.CloseAllowingRebalance()
	g.cancelWork()
}

func (g *Group) assigned(_ context.Context, cl *kgo.Client, assigned map[string][]int32) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for topic, parts := range assigned {
		for _, p := range parts {
			w := &worker{
				g: g, cl: cl, topic: topic, partition: p,
				log:  g.log.With(zap.String("topic", topic), zap.Int32("partition", p)),
				quit: make(chan struct{}), done: make(chan struct{}), recs: make(chan []*kgo.Record, 4),
			}
			g.workers[tp{topic, p}] = w
			go w.run()
		}
	}
}

func (g *Group) revoked(ctx context.Context, cl *kgo.Client, revoked map[string][]int32) {
	g.drain(revoked)
	if err := cl.CommitMarkedOffsets(ctx); err != nil {
		g.log.Warn("committing marked offsets on revoke", zap.Error(err))
	}
}

func (g *Group) lost(_ context.Context, _ *kgo.Client, lost map[string][]int32) {
	g.drain(lost) // the commit would fail: another member owns them now
}

// drain stops the workers of the given partitions after their current batch and waits.
func (g *Group) drain(parts map[string][]int32) {
	var stopping []*worker
	g.mu.Lock()
	for topic, ps := range parts {
		for _, p := range ps {
			k := tp{topic, p}
			if w := g.workers[k]; w != nil {
				delete(g.workers, k)
				close(w.quit)
				stopping = append(stopping, w)
			}
		}
	}
	g.mu.Unlock()
	for _, w := range stopping {
		<-w.done
	}
}

type worker struct {
	g         *Group
	cl        *kgo.Client
	topic     string
	partition int32
	log       *zap.Logger
	quit      chan struct{}
	done      chan struct{}
	recs      chan []*kgo.Record
}

func (w *worker) run() {
	defer close(w.done)
	for {
		select {
		case <-w.quit:
			return
		case recs := <-w.recs:
			if err := w.handle(recs); err != nil {
				w.log.Error("partition worker stopping: records left unmarked for redelivery", zap.Error(err))
				w.g.fail(err)
				return
			}
		}
	}
}

func (w *worker) handle(recs []*kgo.Record) error {
	msgs := make([]*engine.Message, len(recs))
	for i, r := range recs {
		msgs[i] = &engine.Message{Topic: r.Topic, Partition: r.Partition, Offset: r.Offset, Key: r.Key, Value: r.Value, Timestamp: r.Timestamp}
	}
	if err := w.g.cfg.Handler.HandleBatch(w.g.workCtx, msgs); err != nil {
		first, last := recs[0].Offset, recs[len(recs)-1].Offset
		return fmt.Errorf("handling %s/%d@%d-%d: %w", w.topic, w.partition, first, last, err)
	}
	w.cl.MarkCommitRecords(recs[len(recs)-1])
	return nil
}
