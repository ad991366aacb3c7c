package gateway

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// Deps are what the gateway is built from.
type Deps struct {
	// NewProducer returns a Kafka client with Watchpost's producer options (acks=all,
	// idempotent) plus extra: app.Kafka.Producer. The gateway adds a transactional id, a
	// transaction timeout and a metadata age, and owns and closes the clients it creates.
	// Required.
	NewProducer func(extra ...kgo.Opt) (*kgo.Client, error)
	// Serde encodes manifests and crossings; it must know their schema ids. Required.
	Serde *schemas.Serde
	// Topics names the manifests, crossings and pnr topics by role. Required.
	Topics deploy.Topics
	// Decoder turns manifest bodies into manifests. Required.
	Decoder Decoder
	// Watchlist holds the watchlist snapshot partner checks screen against; the command
	// keeps it current with consumers/watchlistfeed. Until it holds a snapshot, checks are
	// answered 503. Required.
	Watchlist *index.Store
	// Match configures the matcher of partner checks, as the workers' is configured; only
	// its SLTD threshold and hit cap apply. The zero value means match.DefaultConfig().
	Match match.Config
	// Logger defaults to a no-op logger; Registerer to registering nowhere.
	Logger     *zap.Logger
	Registerer prometheus.Registerer
	// Now defaults to time.Now; tests inject a clock.
	Now func() time.Time
}

// Server is the submission gateway. Build it with New, serve it with Serve (or mount
// Handler in a server of your own), and Close it after serving ends. Safe for concurrent use.
type Server struct {
	cfg     Config
	log     *zap.Logger
	now     func() time.Time
	serde   *schemas.Serde
	decoder Decoder
	topics  struct{ manifests, crossings, pnr, audit, alerts string }

	watchlist *index.Store
	matcher   *match.Matcher
	router    *producers.Router // routes partner-check alerts; writes through prod, not its own client

	creds   *Credentials
	limit   *limiter
	dedup   *dedup
	prod    *txnProducer
	probe   *kgo.Client // plain client for the readiness check
	metrics *metrics
	tls     *tls.Config
	handler http.Handler

	readyMu   sync.Mutex
	readyAt   time.Time // when readyErr was last computed
	readyErr  error
	closeOnce sync.Once
}

// rolePNR is the topic role of deploy/topics.yaml the PNRs of PNRGOV pushes are produced to
// (watchpost.pnr.v1). deploy declares no constant for it yet.
const rolePNR = deploy.RolePNR

// readyCacheFor is how long a readiness result is reused, so probes do not hammer the broker.
const readyCacheFor = time.Second

// New validates cfg (after applying defaults), loads the credentials and TLS material, and
// builds the server. It contacts nothing: producers connect on first use.
func New(cfg Config, deps Deps) (*Server, error) {
	cfg.SetDefaults()
	var errs []error
	if err := cfg.Validate(); err != nil {
		errs = append(errs, err)
	}
	if deps.NewProducer == nil {
		errs = append(errs, errors.New("gateway: deps: NewProducer is required"))
	}
	if deps.Serde == nil {
		errs = append(errs, errors.New("gateway: deps: Serde is required"))
	}
	if deps.Decoder == nil {
		errs = append(errs, errors.New("gateway: deps: Decoder is required"))
	}
	if deps.Watchlist == nil {
		errs = append(errs, errors.New("gateway: deps: Watchlist is required"))
	}
	if deps.Match.Thresholds == nil {
		deps.Match = match.DefaultConfig()
	}
	matcher, err := match.New(deps.Match)
	if err != nil {
		errs = append(errs, fmt.Errorf("gateway: deps: Match: %w", err))
	}
	s := &Server{cfg: cfg, log: deps.Logger, now: deps.Now, serde: deps.Serde, decoder: deps.Decoder, watchlist: deps.Watchlist, matcher: matcher}
	s.topics.manifests, s.topics.crossings = deps.Topics.Name(deploy.RoleManifests), deps.Topics.Name(deploy.RoleCrossings)
	s.topics.pnr, s.topics.audit, s.topics.alerts = deps.Topics.Name(rolePNR), deps.Topics.Name(deploy.RoleAudit), deps.Topics.Name(deploy.RoleAlerts)
	if s.topics.manifests == "" || s.topics.crossings == "" || s.topics.pnr == "" || s.topics.audit == "" || s.topics.alerts == "" {
		errs = append(errs, errors.New("gateway: deps: Topics must name the manifests, crossings, pnr, audit and alerts topics"))
	}
	routing := app.RouterConfig(deps.Topics)
	if err := routing.Validate(); err != nil {
		errs = append(errs, fmt.Errorf("gateway: deps: Topics: %w", err))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if s.log == nil {
		s.log = zap.NewNop()
	}
	s.log = s.log.Named("gateway")
	if s.now == nil {
		s.now = time.Now
	}
	creds, err := LoadCredentials(cfg.CredentialsFile)
	if err != nil {
		return nil, err
	}
	s.creds = creds
	if s.tls, err = cfg.tlsConfig(); err != nil {
		return nil, err
	}
	s.limit = newLimiter(creds, cfg.DefaultRate, cfg.DefaultBurst, s.now())
	s.dedup = newDedup(cfg.DedupSize, cfg.DedupTTL, s.now)
	s.metrics = newMetrics(deps.Registerer)
	// A transaction left open by a crash is aborted by the coordinator after txnTimeout; until
	// then read_committed readers of its partitions wait, so it is kept short. A short
	// metadata age lets a produce blocked by broker errors give up close to the produce
	// timeout (kgo checks a record's deadline only between requests).
	txnTimeout := 2*cfg.ProduceTimeout + abortTimeout
	s.prod = newTxnProducer(cfg.Producers, cfg.TransactionalIDPrefix, cfg.ProduceTimeout, func(id string) (*kgo.Client, error) {
		return deps.NewProducer(kgo.TransactionalID(id), kgo.TransactionTimeout(txnTimeout), kgo.MetadataMinAge(250*time.Millisecond))
	}, s.log)
	if s.probe, err = deps.NewProducer(); err != nil {
		return nil, fmt.Errorf("creating the readiness client: %w", err)
	}
	// The router only builds records and creates missing per-country topics through the
	// probe client; its records are produced in the check's own transaction.
	routing.Logger, routing.Registry = s.log, deps.Registerer
	if s.router, err = producers.NewRouter(s.probe, s.serde, routing); err != nil {
		s.probe.Close()
		return nil, fmt.Errorf("creating the alert router: %w", err)
	}
	s.handler = s.routes()
	for _, w := range cfg.Warnings() {
		s.log.Warn(w)
	}
	return s, nil
}

// tlsConfig builds the server's TLS configuration, or nil for plain HTTP.
func (c Config) tlsConfig() (*tls.Config, error) {
	if c.TLSCert == "" {
		return nil, nil
	}
	cert, err := tls.LoadX509KeyPair(c.TLSCert, c.TLSKey)
	if err != nil {
		return nil, fmt.Errorf("loading the TLS certificate and key: %w", err)
	}
	tc := &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	if c.ClientCA != "" {
		pem, err := os.ReadFile(c.ClientCA)
		if err != nil {
			return nil, fmt.Errorf("reading the client CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading the client CA file %s: no PEM certificate in it", c.ClientCA)
		}
		tc.ClientCAs = pool
		tc.ClientAuth = tls.RequireAndVerifyClientCert
		if c.ClientCertOptional {
			tc.ClientAuth = tls.VerifyClientCertIfGiven
		}
	}
	return tc, nil
}

// Handler returns the gateway's HTTP handler. Mutual TLS identities are read from the
// request's verified chains, so a server mounting it must terminate TLS with TLSConfig.
func (s *Server) Handler() http.Handler { return s.handler }

// TLSConfig returns the TLS configuration Serve uses, or nil when serving plain HTTP.
func (s *Server) TLSConfig() *tls.Config {
	if s.tls == nil {
		return nil
	}
	return s.tls.Clone()
}

// ListenAndServe listens on the configured address and serves until ctx ends.
func (s *Server) ListenAndServe(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", s.cfg.Listen)
	if err != nil {
		return fmt.Errorf("listening on %s: %w", s.cfg.Listen, err)
	}
	return s.Serve(ctx, ln)
}

// Serve serves on ln (wrapped in TLS when configured) until ctx ends, then shuts down
// gracefully: it stops accepting, lets in-flight requests finish (each ends its transaction)
// within the shutdown timeout, and returns. It returns nil after a shutdown caused by ctx.
// Serve does not close the producers: call Close after it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	if s.tls != nil {
		ln = tls.NewListener(ln, s.tls)
	}
	srv := &http.Server{
		Handler:           s.handler,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       s.cfg.ReadTimeout,
		WriteTimeout:      s.cfg.ReadTimeout + 2*s.cfg.ProduceTimeout + abortTimeout,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          zap.NewStdLog(s.log.Named("http")),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	s.log.Info("serving", zap.String("addr", ln.Addr().String()), zap.Bool("tls", s.tls != nil))
	select {
	case err := <-errc:
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.ShutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	<-errc // ErrServerClosed
	if err != nil {
		_ = srv.Close()
		return fmt.Errorf("shutting down: %w", err)
	}
	s.log.Info("stopped")
	return nil
}

// Close waits for in-flight submissions and closes the Kafka clients. Call it once serving
// has ended; submissions after Close are answered 503.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		s.prod.close()
		s.router.Close()
		s.probe.Close()
	})
}

// Ready reports whether the gateway can accept submissions: the broker answers and the
// topics it produces to exist. Results are cached for a second. It does not wait for the
// watchlist: carriers' submissions do not need it, and partner checks are answered 503 until
// it is loaded.
func (s *Server) Ready(ctx context.Context) error {
	s.readyMu.Lock()
	defer s.readyMu.Unlock()
	if !s.readyAt.IsZero() && s.now().Sub(s.readyAt) < readyCacheFor {
		return s.readyErr
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	s.readyErr = s.checkTopics(ctx)
	s.readyAt = s.now()
	return s.readyErr
}

// checkTopics asks a broker, bypassing the client's metadata cache, whether every topic the
// gateway produces to exists.
func (s *Server) checkTopics(ctx context.Context) error {
	req := kmsg.NewPtrMetadataRequest()
	topics := []string{s.topics.manifests, s.topics.crossings, s.topics.pnr, s.topics.audit, s.topics.alerts}
	for _, t := range topics {
		rt := kmsg.NewMetadataRequestTopic()
		rt.Topic = kmsg.StringPtr(t)
		req.Topics = append(req.Topics, rt)
	}
	resp, err := req.RequestWith(ctx, s.probe)
	if err != nil {
		return fmt.Errorf("reading cluster metadata: %w", err)
	}
	if len(resp.Brokers) == 0 {
		return errors.New("reading cluster metadata: no brokers")
	}
	found := 0
	for _, t := range resp.Topics {
		if err := kerr.ErrorForCode(t.ErrorCode); err != nil {
			name := ""
			if t.Topic != nil {
				name = *t.Topic
			}
			return fmt.Errorf("reading metadata of topic %s: %w", name, err)
		}
		found++
	}
	if found != len(topics) {
		return fmt.Errorf("reading cluster metadata: %d of the %d topics described", found, len(topics))
	}
	return nil
}

// --- routing and per-request state ---

// route is one endpoint. pattern doubles as the route label of the metrics.
type route struct {
	method  string
	pattern string
	handle  http.HandlerFunc
}

// routeList is every endpoint the gateway serves; openapi.yaml must document each.
func (s *Server) routeList() []route {
	return []route{
		{http.MethodPost, "/v1/manifests", s.postManifests},
		{http.MethodPost, "/v1/crossings", s.postCrossings},
		{http.MethodPost, "/v1/checks", s.postChecks},
		{http.MethodGet, "/openapi.yaml", serveOpenAPI},
		{http.MethodGet, "/healthz", s.healthz},
		{http.MethodGet, "/readyz", s.readyz},
	}
}

// routes builds the handler: exact paths, a problem document for an unknown path (404) or
// method (405), and around every request the instrumentation.
func (s *Server) routes() http.Handler {
	byPath := map[string][]route{}
	for _, rt := range s.routeList() {
		byPath[rt.pattern] = append(byPath[rt.pattern], rt)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rts, ok := byPath[r.URL.Path]
		label := r.URL.Path
		if !ok {
			label = "other"
		}
		s.instrument(w, r, label, func(w http.ResponseWriter, r *http.Request) {
			if !ok {
				writeProblem(w, r, probNotFound, "", nil)
				return
			}
			allow := ""
			for _, rt := range rts {
				if r.Method == rt.method || (r.Method == http.MethodHead && rt.method == http.MethodGet) {
					rt.handle(w, r)
					return
				}
				if allow != "" {
					allow += ", "
				}
				allow += rt.method
			}
			w.Header().Set("Allow", allow)
			writeProblem(w, r, probMethod, "", nil)
		})
	})
}

// reqState is what one request has learnt, for its log line and metrics. Only ids and
// bounded reasons: never a body value.
type reqState struct {
	id       string
	clientID string
	eventID  string // manifest submission, crossing or check id, once derived
	reason   string // problem slug when answered with a problem
}

type stateKey struct{}

func stateOf(ctx context.Context) *reqState {
	st, _ := ctx.Value(stateKey{}).(*reqState)
	return st
}

func requestID(ctx context.Context) string {
	if st := stateOf(ctx); st != nil {
		return st.id
	}
	return "00000000-0000-4000-8000-000000000000"
}

// newRequestID returns a random UUID (version 4).
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// statusWriter records the status code written.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// instrument gives the request an id, recovers a panic into a 500 problem, and counts and
// logs the answer.
func (s *Server) instrument(w http.ResponseWriter, r *http.Request, label string, next http.HandlerFunc) {
	start := s.now()
	st := &reqState{id: newRequestID()}
	r = r.WithContext(context.WithValue(r.Context(), stateKey{}, st))
	sw := &statusWriter{ResponseWriter: w}
	sw.Header().Set("X-Request-Id", st.id)
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler { //nolint:errorlint // sentinel panic value, compared as net/http does
				panic(v)
			}
			// The panic value may quote data: log its type and the stack, never the value.
			s.log.Error("handler panicked", zap.String("request_id", st.id), zap.String("panic_type", fmt.Sprintf("%T", v)),
				zap.ByteString("stack", debug.Stack()))
			if sw.code == 0 {
				writeProblem(sw, r, probInternal, "", nil)
			}
		}
		if sw.code == 0 {
			sw.WriteHeader(http.StatusOK)
		}
		d := s.now().Sub(start)
		code := strconv.Itoa(sw.code)
		s.metrics.requests.WithLabelValues(label, code).Inc()
		s.metrics.duration.WithLabelValues(label).Observe(d.Seconds())
		if st.reason != "" {
			s.metrics.rejections.WithLabelValues(label, st.reason).Inc()
		}
		if label == "/healthz" || label == "/readyz" || label == "/openapi.yaml" {
			return
		}
		fields := []zap.Field{
			zap.String("request_id", st.id), zap.String("route", label), zap.Int("code", sw.code), zap.Duration("duration", d),
		}
		if st.clientID != "" {
			fields = append(fields, zap.String("client_id", st.clientID))
		}
		if st.eventID != "" {
			fields = append(fields, zap.String("event_id", st.eventID))
		}
		if st.reason != "" {
			fields = append(fields, zap.String("reason", st.reason))
		}
		switch {
		case sw.code >= 500:
			s.log.Warn("request", fields...)
		default:
			s.log.Info("request", fields...)
		}
	}()
	next(sw, r)
}

func (s *Server) healthz(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.Ready(r.Context()); err != nil {
		s.log.Debug("not ready", zap.Error(err))
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("not ready\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}
