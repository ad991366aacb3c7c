package app

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/consumers"
	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/retro"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// Delivery is how a matcher commits its outputs with its input offsets.
type Delivery string

const (
	// ExactlyOnce produces a poll's outputs and commits its offsets in one Kafka transaction:
	// read_committed consumers see each alert once, even across crashes. The default.
	ExactlyOnce Delivery = "exactly-once"
	// AtLeastOnce marks offsets after the outputs are acknowledged; a crash may re-emit
	// outputs, with the same ids, for downstream de-duplication.
	AtLeastOnce Delivery = "at-least-once"
)

// MatcherConfig configures a matcher worker.
type MatcherConfig struct {
	Kafka    Kafka
	Group    string   // consumer group; default "watchpost-matcher"
	Delivery Delivery // default ExactlyOnce
	Match    match.Config
	Serde    *schemas.Serde
	Logger   *zap.Logger
	Registry prometheus.Registerer
	// StateDir keeps the local watchlist snapshot for fast restarts; empty keeps none.
	StateDir string
	// RetroWindow is how far back travellers are screened again when new person or
	// document records arrive; default 72 hours. NoRetro turns retro-screening off.
	RetroWindow time.Duration
	NoRetro     bool
}

// Matcher is one stateless matcher worker.
type Matcher struct {
	cfg   MatcherConfig
	Store *index.Store
	feed  *watchlistfeed.Feed
	log   *zap.Logger
	retro *retro.Screener // nil when off
	// retroRouter routes retro alerts; set by Run before the first change can arrive.
	retroRouter atomic.Pointer[producers.Router]
}

// NewMatcher validates the configuration and builds the worker; Run starts it.
func NewMatcher(cfg MatcherConfig) (*Matcher, error) {
	if cfg.Group == "" {
		cfg.Group = "watchpost-matcher"
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	if cfg.Delivery == "" {
		cfg.Delivery = ExactlyOnce
	}
	if cfg.Delivery != ExactlyOnce && cfg.Delivery != AtLeastOnce {
		return nil, fmt.Errorf("matcher: delivery: want %s or %s", ExactlyOnce, AtLeastOnce)
	}
	if cfg.Serde == nil {
		return nil, errors.New("matcher: serde: required")
	}
	if err := cfg.Match.Validate(); err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	m := &Matcher{cfg: cfg, Store: &index.Store{}, log: cfg.Logger.Named("matcher")}
	var onChange func(prev, snap *index.Snapshot, changed *watchlist.Set)
	if !cfg.NoRetro {
		rs, err := retro.New(retro.Config{Window: cfg.RetroWindow, Match: cfg.Match, Emit: m.emitRetro, Logger: cfg.Logger})
		if err != nil {
			return nil, fmt.Errorf("matcher: %w", err)
		}
		m.retro, onChange = rs, rs.Changed
	}
	feed, err := watchlistfeed.New(watchlistfeed.Config{
		OnChange: onChange,
		Brokers:  cfg.Kafka.Brokers,
		Topics:   ReferenceTopics(cfg.Kafka.Topics),
		State:    watchlistfeed.StateConfig{Dir: cfg.StateDir, SaveOnStop: true},
		Decoder:  cfg.Serde,
		Store:    m.Store,
		Opts:     cfg.Kafka.Opts,
		Logger:   cfg.Logger,
	})
	if err != nil {
		return nil, err
	}
	m.feed = feed
	return m, nil
}

// Ready is closed once the first watchlist snapshot is loaded and the worker joins its group.
func (m *Matcher) Ready() <-chan struct{} { return m.feed.Ready() }

// Run replays the reference topics, and only once the first snapshot is published joins the
// consumer group and screens. It returns when ctx ends (nil) or on a fatal error.
func (m *Matcher) Run(ctx context.Context) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feedErr := make(chan error, 1)
	go func() { feedErr <- m.feed.Run(ctx) }()
	select {
	case <-m.feed.Ready():
	case err := <-feedErr:
		return fmt.Errorf("loading watchlists: %w", err)
	case <-ctx.Done():
		<-feedErr
		return nil
	}

	ts := m.cfg.Kafka.Topics
	outTopics := producers.Topics{
		Screenings: ts.Name(deploy.RoleScreenings), Alerts: ts.Name(deploy.RoleAlerts), DeadLetters: ts.Name(deploy.RoleDeadLetters),
	}
	inTopics := []string{ts.Name(deploy.RoleManifests), ts.Name(deploy.RoleCrossings)}
	matcher, err := match.New(m.cfg.Match)
	if err != nil {
		return err
	}
	metrics := engine.NewMetrics(m.cfg.Registry)
	screener := &engine.Screener{Decoder: m.decoder(), Store: m.Store, Matcher: matcher, Metrics: metrics}
	if m.retro != nil {
		screener.Seen = m.retro.Remember
		stop, err := m.runRetro(ctx, outTopics)
		if err != nil {
			return err
		}
		defer stop()
	}
	proc := engine.Chain(screener,
		engine.DeadLetterPoison(m.log, metrics, time.Now),
		engine.Recover(m.log, metrics),
		engine.Retry(engine.RetryConfig{}),
	)
	var groupErr error
	switch m.cfg.Delivery {
	case ExactlyOnce:
		tg, err := consumers.NewTransactGroup(consumers.TransactConfig{
			Brokers: m.cfg.Kafka.Brokers, Group: m.cfg.Group, Topics: inTopics,
			ProducerOpts: producers.ProducerOpts(), Opts: m.cfg.Kafka.Opts, Logger: m.cfg.Logger,
		})
		if err != nil {
			return err
		}
		em, err := m.router(tg.Client(), outTopics)
		if err != nil {
			return err
		}
		defer em.Close()
		groupErr = tg.Run(ctx, &engine.Pipeline{Processor: proc, Emitter: em})
	default:
		pcl, err := m.cfg.Kafka.Producer()
		if err != nil {
			return err
		}
		defer pcl.Close()
		em, err := m.router(pcl, outTopics)
		if err != nil {
			return err
		}
		defer em.Close()
		group, err := consumers.NewGroup(consumers.Config{
			Brokers: m.cfg.Kafka.Brokers, Group: m.cfg.Group, Topics: inTopics,
			Handler: &engine.Pipeline{Processor: proc, Emitter: em},
			Opts:    m.cfg.Kafka.Opts, Logger: m.cfg.Logger,
		})
		if err != nil {
			return err
		}
		groupErr = group.Run(ctx)
	}
	cancel()
	if err := <-feedErr; err != nil && groupErr == nil {
		return fmt.Errorf("following watchlists: %w", err)
	}
	return groupErr
}

// runRetro starts retro-screening with its own (idempotent, not transactional) producer:
// its alerts are not part of any input transaction, and their deterministic hit ids let
// control rooms drop a repeat. stop waits for it to end.
func (m *Matcher) runRetro(ctx context.Context, out producers.Topics) (stop func(), err error) {
	pcl, err := m.cfg.Kafka.Producer()
	if err != nil {
		return nil, err
	}
	r, err := m.routerWith(pcl, out, nil)
	if err != nil {
		pcl.Close()
		return nil, err
	}
	m.retroRouter.Store(r)
	done := make(chan struct{})
	go func() {
		defer close(done)
		if err := m.retro.Run(ctx); err != nil {
			m.log.Error("retro-screening stopped", zap.Error(err))
		}
	}()
	return func() {
		<-done
		r.Close()
		pcl.Close()
	}, nil
}

// emitRetro routes retro alerts like live ones.
func (m *Matcher) emitRetro(ctx context.Context, alerts []event.Alert) error {
	r := m.retroRouter.Load()
	if r == nil {
		return errors.New("retro alerts before the matcher runs")
	}
	return r.Emit(ctx, engine.Output{Alerts: alerts})
}

// router returns the emitter that writes screenings and dead letters, every alert to the
// all-alerts stream, and each alert to its screening country's control-room topic and its
// record owner's notification topic.
func (m *Matcher) router(cl *kgo.Client, out producers.Topics) (*producers.Router, error) {
	return m.routerWith(cl, out, m.cfg.Registry)
}

func (m *Matcher) routerWith(cl *kgo.Client, out producers.Topics, reg prometheus.Registerer) (*producers.Router, error) {
	cfg := RouterConfig(m.cfg.Kafka.Topics)
	cfg.Topics, cfg.Logger, cfg.Registry = out, m.cfg.Logger, reg
	return producers.NewRouter(cl, m.cfg.Serde, cfg)
}

// RouterConfig returns the configuration of a producers.Router writing to topics ts: the
// screenings, all-alerts and dead-letter topics, and the control-room and record-owner
// families with the settings of their templates.
func RouterConfig(ts deploy.Topics) producers.RouterConfig {
	family := func(role string) producers.CountryTopics {
		t, _ := ts.Template(role)
		return producers.CountryTopics{Pattern: t.Name, Partitions: t.Partitions, ReplicationFactor: t.ReplicationFactor, Config: t.Config}
	}
	return producers.RouterConfig{
		Topics: producers.Topics{
			Screenings: ts.Name(deploy.RoleScreenings), Alerts: ts.Name(deploy.RoleAlerts), DeadLetters: ts.Name(deploy.RoleDeadLetters),
		},
		CountryAlerts:      family(deploy.RoleAlertsCountry),
		OwnerNotifications: family(deploy.RoleNotificationsOwner),
	}
}

// decoder decodes the input topics by topic: manifests and crossings.
func (m *Matcher) decoder() engine.Decoder {
	ts := m.cfg.Kafka.Topics
	manifests, crossings := ts.Name(deploy.RoleManifests), ts.Name(deploy.RoleCrossings)
	serde := m.cfg.Serde
	return engine.DecoderFunc(func(msg *engine.Message) (engine.Event, error) {
		switch msg.Topic {
		case manifests:
			man, err := serde.DecodeManifest(msg.Value)
			if err != nil {
				return engine.Event{}, err
			}
			return engine.Event{ID: man.ID, Context: man.Context(), Subjects: man.Subjects()}, nil
		case crossings:
			c, err := serde.DecodeCrossing(msg.Value)
			if err != nil {
				return engine.Event{}, err
			}
			return engine.Event{ID: c.ID, Context: c.Context(), Subjects: []event.Subject{c.Subject()}}, nil
		default:
			return engine.Event{}, fault.Poison(fmt.Errorf("no decoder for topic %s", msg.Topic))
		}
	})
}
