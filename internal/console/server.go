package console

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// Server is a running console: its Kafka clients, its countries' feeds, its sessions and
// its HTTP handler.
type Server struct {
	cfg   Config
	log   *zap.Logger
	serde *schemas.Serde
	users *Users

	feeds    map[string]*feed // by country
	byTopic  map[string]*feed
	decided  *decisions
	pending  sync.Map // hit id -> struct{}: a decision being written
	sessions *sessions
	limiter  *loginLimiter
	metrics  *metrics

	outcomesTopic, auditTopic string
	producer                  *kgo.Client
	consumer                  *kgo.Client
	auditSeq                  atomic.Uint64

	handler http.Handler
}

// New validates cfg and builds a console. It creates its Kafka clients, which connect
// lazily; Serve starts reading. Close releases them.
func New(cfg Config) (*Server, error) {
	cfg.setDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	s := &Server{
		cfg: cfg, log: cfg.Logger.Named("console"), serde: cfg.Serde, users: cfg.Users,
		feeds: map[string]*feed{}, byTopic: map[string]*feed{}, decided: newDecisions(10 * cfg.Backlog),
		sessions: newSessions(cfg.SessionIdle, cfg.SessionMax), limiter: newLoginLimiter(cfg.LoginFailures, cfg.LoginWindow),
		metrics:       newMetrics(cfg.Registry),
		outcomesTopic: cfg.Topics.Name(deploy.RoleOutcomes), auditTopic: cfg.Topics.Name(deploy.RoleAudit),
	}
	var read []string
	for _, c := range cfg.Users.Countries() {
		t, err := cfg.Topics.ForCountry(deploy.RoleAlertsCountry, c)
		if err != nil {
			return nil, fmt.Errorf("console: %w", err)
		}
		f := newFeed(c, t.Name, cfg.Backlog)
		s.feeds[c], s.byTopic[t.Name] = f, f
		read = append(read, t.Name)
	}
	read = append(read, s.outcomesTopic)
	var err error
	s.producer, err = kgo.NewClient(append(append([]kgo.Opt{kgo.SeedBrokers(cfg.Brokers...)}, producers.ProducerOpts()...), cfg.Opts...)...)
	if err != nil {
		return nil, fmt.Errorf("creating the console's producer: %w", err)
	}
	s.consumer, err = kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(cfg.Brokers...),
		kgo.ConsumeTopics(read...),
		kgo.ConsumeResetOffset(kgo.NewOffset().AfterMilli(cfg.Now().Add(-cfg.Since).UnixMilli())),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.MetadataMinAge(time.Second), // a country's topic created after start is found soon
	}, cfg.Opts...)...)
	if err != nil {
		s.producer.Close()
		return nil, fmt.Errorf("creating the console's consumer: %w", err)
	}
	s.handler = s.routes()
	return s, nil
}

// Handler is the console's HTTP handler: the page, its assets and its API.
func (s *Server) Handler() http.Handler { return s.handler }

// Close releases the Kafka clients. Call it after Serve returned.
func (s *Server) Close() {
	s.consumer.Close()
	s.producer.Close()
}

// Serve reads the feeds and serves HTTP on ln (TLS when tlsCfg is not nil) until ctx ends.
// Live streams end with ctx. It returns nil when ctx ends, or the first fatal error.
func (s *Server) Serve(ctx context.Context, ln net.Listener, tlsCfg *tls.Config) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg) // requests then carry r.TLS: cookies are Secure
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    16 << 10,
		BaseContext:       func(net.Listener) context.Context { return ctx }, // streams end with ctx
		ErrorLog:          zap.NewStdLog(s.log.Named("http")),
	}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	wg.Add(3)
	go func() { defer wg.Done(); errs <- s.consume(ctx) }()
	go func() { defer wg.Done(); s.sweep(ctx); errs <- nil }()
	go func() {
		defer wg.Done()
		err := srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		errs <- err
	}()
	var first error
	select {
	case <-ctx.Done():
	case first = <-errs:
	}
	cancel()
	shutCtx, stop := context.WithTimeout(context.Background(), 5*time.Second)
	defer stop()
	if err := srv.Shutdown(shutCtx); err != nil {
		_ = srv.Close()
	}
	wg.Wait()
	if first != nil {
		return first
	}
	return nil
}

// consume reads the countries' alert topics and the outcomes topic into the feeds until
// ctx ends. An undecodable record is skipped and counted: the console only reads.
func (s *Server) consume(ctx context.Context) error {
	for {
		fs := s.consumer.PollFetches(ctx)
		if ctx.Err() != nil {
			return nil
		}
		failed := false
		fs.EachError(func(t string, p int32, err error) {
			failed = true
			s.log.Warn("fetching alerts; retrying", zap.String("topic", t), zap.Int32("partition", p), zap.Error(err))
		})
		if failed && fs.NumRecords() == 0 {
			select { // kgo retries by itself; this only keeps a persistent error from spinning
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
		}
		fs.EachRecord(func(rec *kgo.Record) {
			if rec.Topic == s.outcomesTopic {
				s.applyOutcome(rec)
				return
			}
			f := s.byTopic[rec.Topic]
			if f == nil {
				return
			}
			a, err := s.serde.DecodeAlert(rec.Value)
			if err != nil {
				s.metrics.skipped.WithLabelValues("alert").Inc()
				s.log.Warn("skipping an undecodable alert", zap.String("topic", rec.Topic), zap.Int32("partition", rec.Partition), zap.Int64("offset", rec.Offset), zap.Error(err))
				return
			}
			if a.Context.Country != f.country {
				// Never show a country another country's alert, whatever a topic holds.
				s.metrics.skipped.WithLabelValues("wrong_country").Inc()
				s.log.Warn("skipping an alert of another country on a country topic", zap.String("topic", rec.Topic), zap.String("hit_id", a.Hit.ID))
				return
			}
			key := string(rec.Key)
			if key == "" {
				key = a.Hit.ID
			}
			f.add(key, a, s.decided.get(a.Hit.ID))
			s.metrics.alerts.Inc()
		})
	}
}

func (s *Server) applyOutcome(rec *kgo.Record) {
	o, err := s.serde.DecodeOutcome(rec.Value)
	if err != nil {
		s.metrics.skipped.WithLabelValues("outcome").Inc()
		s.log.Warn("skipping an undecodable outcome", zap.Int32("partition", rec.Partition), zap.Int64("offset", rec.Offset), zap.Error(err))
		return
	}
	f := s.feeds[o.Country]
	if f == nil {
		return // another console's country
	}
	s.decided.put(o.HitID, string(o.Decision))
	f.decide(o.HitID, string(o.Decision))
}

// sweep ends expired sessions every minute, auditing each as a logout.
func (s *Server) sweep(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, ss := range s.sessions.sweep(s.cfg.Now()) {
				if err := s.audit(ctx, &ss, event.AuditLogout, ""); err != nil {
					s.log.Warn("auditing an expired session", zap.String("officer_id", ss.officerID), zap.Error(err))
				}
			}
		}
	}
}

// audit writes one audit event per hit id (one event when hitIDs is empty) for the
// session's officer, and returns once every one is acknowledged.
func (s *Server) audit(ctx context.Context, ss *session, action event.AuditAction, hitIDs ...string) error {
	if len(hitIDs) == 0 {
		hitIDs = []string{""}
	}
	now := s.cfg.Now().UTC().Truncate(time.Microsecond) // the precision kept on the wire
	recs := make([]*kgo.Record, 0, len(hitIDs))
	for _, h := range hitIDs {
		ev := event.AuditEvent{
			ID: event.AuditID(ss.officerID, action, h, now, s.auditSeq.Add(1)), OfficerID: ss.officerID,
			Country: ss.country, Action: action, HitID: h, At: now,
		}
		b, err := s.serde.EncodeAuditEvent(&ev)
		if err != nil {
			return fmt.Errorf("encoding audit event: %w", err)
		}
		recs = append(recs, &kgo.Record{Topic: s.auditTopic, Key: []byte(ss.officerID), Value: b})
	}
	if err := producers.Produce(ctx, s.producer, recs); err != nil {
		s.metrics.auditErrors.Inc()
		return fmt.Errorf("auditing %s: %w", action, err)
	}
	s.metrics.audited.WithLabelValues(string(action)).Add(float64(len(recs)))
	return nil
}

// decide writes the outcome of a decision and its audit event together, and returns the
// outcome once both are acknowledged.
func (s *Server) decide(ctx context.Context, ss *session, hitID string, d event.Decision, reason string) (*event.Outcome, error) {
	now := s.cfg.Now().UTC().Truncate(time.Microsecond)
	o := &event.Outcome{
		ID: event.OutcomeID(hitID, ss.officerID, now), HitID: hitID, Decision: d, ReasonCode: reason,
		OfficerID: ss.officerID, Country: ss.country, DecidedAt: now,
	}
	ob, err := s.serde.EncodeOutcome(o)
	if err != nil {
		return nil, fmt.Errorf("encoding outcome: %w", err)
	}
	action := event.AuditHitConfirmed
	if d == event.DecisionDismissed {
		action = event.AuditHitDismissed
	}
	ev := event.AuditEvent{
		ID: event.AuditID(ss.officerID, action, hitID, now, s.auditSeq.Add(1)), OfficerID: ss.officerID,
		Country: ss.country, Action: action, HitID: hitID, Result: reason, At: now,
	}
	ab, err := s.serde.EncodeAuditEvent(&ev)
	if err != nil {
		return nil, fmt.Errorf("encoding audit event: %w", err)
	}
	err = producers.Produce(ctx, s.producer, []*kgo.Record{
		{Topic: s.outcomesTopic, Key: []byte(hitID), Value: ob},
		{Topic: s.auditTopic, Key: []byte(ss.officerID), Value: ab},
	})
	if err != nil {
		s.metrics.auditErrors.Inc()
		return nil, fmt.Errorf("writing outcome: %w", err)
	}
	s.metrics.audited.WithLabelValues(string(action)).Inc()
	s.metrics.decisions.WithLabelValues(string(d)).Inc()
	return o, nil
}

// metrics are the console's Prometheus metrics. Labels are bounded: action, decision,
// result, kind.
type metrics struct {
	streams     prometheus.Gauge
	alerts      prometheus.Counter
	dropped     prometheus.Counter
	skipped     *prometheus.CounterVec
	logins      *prometheus.CounterVec
	decisions   *prometheus.CounterVec
	audited     *prometheus.CounterVec
	auditErrors prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		streams: prometheus.NewGauge(prometheus.GaugeOpts{Name: "screening_console_streams", Help: "Open live alert streams."}),
		alerts:  prometheus.NewCounter(prometheus.CounterOpts{Name: "screening_console_alerts_read_total", Help: "Alerts read from the countries' control-room topics."}),
		dropped: prometheus.NewCounter(prometheus.CounterOpts{Name: "screening_console_stream_events_dropped_total", Help: "Events dropped (oldest first) for browsers that could not keep up."}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "screening_console_records_skipped_total", Help: "Records the console could not use, by kind."}, []string{"kind"}),
		logins:  prometheus.NewCounterVec(prometheus.CounterOpts{Name: "screening_console_logins_total", Help: "Login attempts, by result."}, []string{"result"}),
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_console_decisions_total", Help: "Alerts confirmed or dismissed, by decision.",
		}, []string{"decision"}),
		audited: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "screening_console_audit_events_total", Help: "Audit events written, by action."}, []string{"action"}),
		auditErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "screening_console_audit_errors_total", Help: "Audit or outcome writes that failed (the disclosure or decision did not happen).",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.streams, m.alerts, m.dropped, m.skipped, m.logins, m.decisions, m.audited, m.auditErrors)
	}
	return m
}
