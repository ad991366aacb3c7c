package producers

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dgraph-io/ristretto/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/schemas"
)

// CountryPlaceholder is replaced by an ISO 3166 alpha-3 code in a CountryTopics pattern.
const CountryPlaceholder = "{country}"

// CountryTopics is a family of per-country topics: its name pattern and the settings a
// topic of the family is created with when it does not exist yet.
type CountryTopics struct {
	Pattern           string // e.g. watchpost.alerts.{country}.v1
	Partitions        int32
	ReplicationFactor int16 // capped at the number of brokers
	Config            map[string]string
}

// Name returns the family's topic for country, which must be valid (see validCountry).
func (c CountryTopics) Name(country string) string {
	return strings.ReplaceAll(c.Pattern, CountryPlaceholder, country)
}

func (c CountryTopics) validate(what string) error {
	var errs []error
	if strings.Count(c.Pattern, CountryPlaceholder) != 1 {
		errs = append(errs, fmt.Errorf("producers: %s: pattern must hold %s once", what, CountryPlaceholder))
	}
	if c.Partitions < 1 || c.ReplicationFactor < 1 {
		errs = append(errs, fmt.Errorf("producers: %s: partitions and replication factor must be at least 1", what))
	}
	return errors.Join(errs...)
}

// RouterConfig configures a Router.
type RouterConfig struct {
	// Topics are the base topics: screenings, every alert (the analytics sink's stream) and
	// dead letters, as for Emitter.
	Topics Topics
	// CountryAlerts is the control rooms' family: each alert goes to its screening
	// country's topic, watchpost.alerts.<country>.v1.
	CountryAlerts CountryTopics
	// OwnerNotifications is the record owners' family: each alert also goes to the topic of
	// the country owning the record, watchpost.notifications.<owner>.v1.
	OwnerNotifications CountryTopics
	// FoldWindow is how far apart in event time two hits of one subject identity on one
	// record, screened for one country, may be and still fold into one alert. Default 10
	// minutes.
	FoldWindow time.Duration
	// FoldKeys bounds the hot fold window: how many (record, identity, country) keys the
	// in-memory cache keeps. Default 1<<18: at thousands of alerts a minute a 10-minute
	// window holds tens of thousands. Memory is about 40 bytes a key for the admission
	// counters plus about 200 bytes a cached key.
	FoldKeys int64
	Logger   *zap.Logger
	Registry prometheus.Registerer // nil registers nowhere
}

// Default fold settings.
const (
	DefaultFoldWindow = 10 * time.Minute
	DefaultFoldKeys   = 1 << 18
)

// Validate lists every problem of the configuration.
func (c RouterConfig) Validate() error {
	errs := []error{c.Topics.Validate(), c.CountryAlerts.validate("country alerts"), c.OwnerNotifications.validate("owner notifications")}
	if c.FoldWindow < 0 {
		errs = append(errs, errors.New("producers: fold window must not be negative"))
	}
	if c.FoldKeys < 0 {
		errs = append(errs, errors.New("producers: fold keys must not be negative"))
	}
	return errors.Join(errs...)
}

// Router publishes engine outputs like Emitter and routes every alert to the people who act
// on it. It implements engine.Emitter.
//
//   - Every screening, alert and dead letter goes to the base topics, as Emitter writes
//     them: the all-alerts topic keeps every hit, for analytics.
//   - Each alert goes to its screening country's control-room topic
//     (watchpost.alerts.<country>.v1) and to the record owner's notification topic
//     (watchpost.notifications.<owner>.v1). Kafka ACLs then grant each control room and
//     each national central bureau only its own topic. An alert of a partner check
//     (Context.Source "partner", screened for the partner's country) also goes to the
//     control room of the checked document's issuing country.
//   - Repeats are folded on those two streams: hits on the same record by the same
//     canonical subject identity (names folded, document numbers canonicalised, birth date,
//     nationality), screened for the same country, whose event times are less than
//     FoldWindow apart from the first, raise one alert. A folded repeat only increments a
//     counter (screening_router_alerts_folded_total) and still reaches the all-alerts topic.
//     This is the same traveller on two manifests of one flight, or a re-submitted
//     manifest.
//
// Folding is exact within one worker while the fold key stays in the ristretto cache (the
// hot window). Beyond it — a key the cache dropped or evicted, another worker, a restart —
// the alert's Kafka key carries the rest: it is the fold id, a hash of (country, database,
// record, identity, event-time bucket of FoldWindow), so a repeat in the same bucket
// carries the same key as the first, and consumers (the console) keep one alert per key.
// A redelivered alert (the same hit id as the one kept for its fold key) is written again
// with the same key, never folded away, so an aborted transaction cannot lose it.
//
// Topics. The declared countries' topics exist up front (deploy/topics.yaml, `watchpost
// topics apply`); the first time the Router writes to any other country's topic it checks
// that it exists and creates it with the family's settings through kadm. A country or
// owner that is not an ISO alpha-3 code is never put into a topic name: the alert stays on
// the all-alerts topic and is counted in screening_router_alerts_unrouted_total{reason}.
//
// A Router is safe for concurrent use. Close releases the fold cache.
type Router struct {
	cl      *kgo.Client
	adm     *kadm.Client
	serde   *schemas.Serde
	cfg     RouterConfig
	log     *zap.Logger
	metrics *routerMetrics

	cache *ristretto.Cache[string, *foldEntry]

	createMu sync.Mutex
	existing sync.Map // topic name -> struct{}: known to exist
}

// foldEntry is the alert kept for one fold key.
type foldEntry struct {
	foldID  string    // the Kafka key its alert was written with
	hitID   string    // the hit that raised it
	first   time.Time // its event time
	repeats atomic.Int64
}

// NewRouter returns a Router writing through cl, which the caller owns and closes.
func NewRouter(cl *kgo.Client, serde *schemas.Serde, cfg RouterConfig) (*Router, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.FoldWindow == 0 {
		cfg.FoldWindow = DefaultFoldWindow
	}
	if cfg.FoldKeys == 0 {
		cfg.FoldKeys = DefaultFoldKeys
	}
	if cfg.Logger == nil {
		cfg.Logger = zap.NewNop()
	}
	cache, err := ristretto.NewCache(&ristretto.Config[string, *foldEntry]{
		NumCounters:        10 * cfg.FoldKeys,
		MaxCost:            cfg.FoldKeys, // every entry costs 1
		BufferItems:        64,
		IgnoreInternalCost: true,
	})
	if err != nil {
		return nil, fmt.Errorf("creating the fold cache: %w", err)
	}
	return &Router{
		cl: cl, adm: kadm.NewClient(cl), serde: serde, cfg: cfg,
		log: cfg.Logger.Named("router"), metrics: newRouterMetrics(cfg.Registry), cache: cache,
	}, nil
}

var _ engine.Emitter = (*Router)(nil)

// Close releases the fold cache. The Router must not be used afterwards.
func (r *Router) Close() { r.cache.Close() }

// Emit writes out's items to the base topics and its alerts, folded, to the control rooms'
// and record owners' topics, all in one produce; it returns once every record is
// acknowledged. In a transactional client's open transaction, they commit together.
func (r *Router) Emit(ctx context.Context, out engine.Output) error {
	recs, err := r.records(ctx, out, true)
	if err != nil {
		return err
	}
	return Produce(ctx, r.cl, recs)
}

// Records returns the records Emit would write for out — base topics, control rooms,
// record owners — without producing them, for a caller that writes them in a transaction
// of its own together with records of its own (the gateway's partner checks, with their
// audit events). Missing per-country topics are created, as by Emit.
//
// Records does not fold through the hot window: its caller's transaction may abort, and
// unlike a matcher's input nothing redelivers it, so a fold decided for it could hide the
// alert of a retry. Every alert is routed, keyed by its fold id (FoldID of FoldKey and its
// event time), so repeats within one bucket share a key and consumers that keep one alert
// per key still see one.
func (r *Router) Records(ctx context.Context, out engine.Output) ([]*kgo.Record, error) {
	return r.records(ctx, out, false)
}

// records builds out's records; hot folds repeats through the fold cache (Emit).
func (r *Router) records(ctx context.Context, out engine.Output, hot bool) ([]*kgo.Record, error) {
	recs, values, err := baseRecords(r.serde, r.cfg.Topics, out)
	if err != nil {
		return nil, err
	}
	batch := map[string]*foldEntry{} // fold keys decided in this call: the cache sets asynchronously
	var routed []*kgo.Record
	for i := range out.Alerts {
		a := &out.Alerts[i]
		var key string
		if hot {
			k, ok := r.fold(a, batch)
			if !ok {
				continue
			}
			key = k
		} else {
			key = FoldID(FoldKey(a), foldTime(a), r.cfg.FoldWindow)
		}
		for _, c := range controlRooms(a) {
			if validCountry(c) {
				// Each control room sees what its own country may see of the record.
				v := values[i]
				if a.Hit.Access.Permits(c, a.Hit.Owner) != a.Hit.Access.Permits(a.Context.Country, a.Hit.Owner) {
					other := a.DisclosedTo(c)
					if v, err = r.serde.EncodeAlert(&other); err != nil {
						return nil, fmt.Errorf("encoding alert %s for %s: %w", a.Hit.ID, c, err)
					}
				}
				routed = append(routed, &kgo.Record{Topic: r.cfg.CountryAlerts.Name(c), Key: []byte(key), Value: v})
				r.metrics.routed.WithLabelValues("country").Inc()
			} else {
				r.metrics.unrouted.WithLabelValues("invalid_country").Inc()
				r.log.Warn("alert not routed to a control room: its country is not an ISO alpha-3 code", zap.String("hit_id", a.Hit.ID))
			}
		}
		switch o := a.Hit.Owner; {
		case validCountry(o):
			// The owner always sees its own record's hit in full, whoever screened.
			v := values[i]
			if !a.Hit.Access.Permits(a.Context.Country, o) {
				full, err := r.serde.EncodeAlert(a)
				if err != nil {
					return nil, fmt.Errorf("encoding alert %s for its owner: %w", a.Hit.ID, err)
				}
				v = full
				r.metrics.routed.WithLabelValues("restricted").Inc()
			}
			routed = append(routed, &kgo.Record{Topic: r.cfg.OwnerNotifications.Name(o), Key: []byte(key), Value: v})
			r.metrics.routed.WithLabelValues("owner").Inc()
		case o == "":
			r.metrics.unrouted.WithLabelValues("no_owner").Inc()
		default:
			r.metrics.unrouted.WithLabelValues("invalid_owner").Inc()
			r.log.Warn("owner not notified: the record owner is not an ISO alpha-3 code", zap.String("hit_id", a.Hit.ID))
		}
	}
	if len(batch) > 0 {
		r.cache.Wait() // later calls see this call's fold keys
	}
	if err := r.ensureTopics(ctx, routed); err != nil {
		return nil, err
	}
	return append(recs, routed...), nil
}

// controlRooms lists the countries whose control rooms receive alert a: its screening
// country, and for a partner check also the issuing country of the checked document, in
// that order and without repeats. A partner learns only hit or no-hit; the hit itself goes
// to law enforcement both where the partner operates and where the document was issued.
func controlRooms(a *event.Alert) []string {
	out := []string{a.Context.Country}
	if a.Context.Source != event.SourcePartner || a.Subject.Person == nil {
		return out
	}
	for _, d := range a.Subject.Person.Documents {
		if c := normalize.Country(d.Issuer); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// fold decides whether alert a raises a routed alert. It returns the Kafka key to write it
// with, or false when a is a repeat of an alert already raised within the window.
func (r *Router) fold(a *event.Alert, batch map[string]*foldEntry) (string, bool) {
	fk := FoldKey(a)
	at := foldTime(a)
	e, ok := batch[fk]
	if !ok {
		e, ok = r.cache.Get(fk)
	}
	if ok && within(at, e.first, r.cfg.FoldWindow) {
		if e.hitID == a.Hit.ID {
			return e.foldID, true // a redelivery of the alert kept: write it again, same key
		}
		e.repeats.Add(1)
		r.metrics.folded.Inc()
		return "", false
	}
	e = &foldEntry{foldID: FoldID(fk, at, r.cfg.FoldWindow), hitID: a.Hit.ID, first: at}
	batch[fk] = e
	// The cache may drop the set (admission, contention): the fold id then still groups
	// the repeats of one bucket under one key.
	r.cache.SetWithTTL(fk, e, 1, 2*r.cfg.FoldWindow)
	return e.foldID, true
}

func within(a, b time.Time, window time.Duration) bool {
	d := a.Sub(b)
	return d < window && d > -window
}

// foldTime is the event time of an alert: when the manifest was received or the crossing
// happened, which a redelivery repeats; the raise time when the event time is unknown.
func foldTime(a *event.Alert) time.Time {
	if !a.Context.EventTime.IsZero() {
		return a.Context.EventTime
	}
	return a.RaisedAt
}

// FoldKey identifies what repeats of one alert share: the screening country, the record
// (database and id) and the canonical identity of the subject. It is a hash: it holds no
// personal data.
func FoldKey(a *event.Alert) string {
	return hashParts(a.Context.Country, string(a.Hit.Database), a.Hit.RecordID, SubjectIdentity(&a.Subject))
}

// FoldID is the Kafka key of the routed alert of fold key fk raised at t: fk and t's bucket
// of window (time since the Unix epoch divided by window).
func FoldID(fk string, t time.Time, window time.Duration) string {
	bucket := t.UnixNano() / int64(window)
	if t.UnixNano() < 0 && t.UnixNano()%int64(window) != 0 {
		bucket-- // floor, for times before 1970
	}
	return hashParts(fk, strconv.FormatInt(bucket, 10))
}

// SubjectIdentity is the canonical identity of a subject as presented, for folding: two
// presentations of one traveller (two manifests of one flight, a re-submission) agree,
// whatever the case, accents, punctuation, name order or document-number formatting.
// It is deliberately strict — names, birth date, nationality, sex and every document must
// agree — so that two different people are never folded into one alert; a presentation
// that differs (a typo, a missing document) raises its own alert. The result holds
// personal data: hash it before it leaves the process.
func SubjectIdentity(s *event.Subject) string {
	var b strings.Builder
	b.WriteString(string(s.Kind))
	switch {
	case s.Person != nil:
		p := s.Person
		toks := normalize.NameTokens(p.Surname + " " + p.GivenNames + " " + p.FullName)
		slices.Sort(toks)
		docs := make([]string, 0, len(p.Documents))
		for _, d := range p.Documents {
			if n := normalize.DocNumber(d.Number); n != "" {
				docs = append(docs, normalize.Country(d.Issuer)+":"+n)
			}
		}
		slices.Sort(docs)
		docs = slices.Compact(docs)
		for _, part := range []string{strings.Join(toks, " "), p.BirthDate.String(), normalize.Country(p.Nationality), strings.ToUpper(p.Sex), strings.Join(docs, ",")} {
			b.WriteByte('|')
			b.WriteString(part)
		}
	case s.Vehicle != nil:
		v := s.Vehicle
		for _, part := range []string{normalize.DocNumber(v.VIN), normalize.DocNumber(v.Plate), normalize.Country(v.PlateCountry)} {
			b.WriteByte('|')
			b.WriteString(part)
		}
	case s.Vessel != nil:
		v := s.Vessel
		for _, part := range []string{normalize.DocNumber(v.IMO), normalize.DocNumber(v.HIN), strings.Join(normalize.NameTokens(v.Name), " ")} {
			b.WriteByte('|')
			b.WriteString(part)
		}
	case s.Firearm != nil:
		f := s.Firearm
		for _, part := range []string{strings.Join(normalize.NameTokens(f.Make), " "), normalize.DocNumber(f.Serial)} {
			b.WriteByte('|')
			b.WriteString(part)
		}
	default:
		// Nothing presented: the subject id is the only identity, so nothing folds.
		b.WriteString("|id|")
		b.WriteString(s.ID)
	}
	return b.String()
}

func hashParts(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

var alpha3 = regexp.MustCompile(`^[A-Z]{3}$`)

// validCountry reports whether c may be put into a topic name: an ISO alpha-3 code.
func validCountry(c string) bool { return alpha3.MatchString(c) }

// ensureTopics makes sure every topic of recs exists, creating missing per-country topics
// with their family's settings. Each name is checked once per Router.
func (r *Router) ensureTopics(ctx context.Context, recs []*kgo.Record) error {
	var missing []string
	for _, rec := range recs {
		if _, ok := r.existing.Load(rec.Topic); !ok && !slices.Contains(missing, rec.Topic) {
			missing = append(missing, rec.Topic)
		}
	}
	if len(missing) == 0 {
		return nil
	}
	r.createMu.Lock()
	defer r.createMu.Unlock()
	listed, err := r.adm.ListTopics(ctx, missing...)
	if err != nil {
		return fmt.Errorf("listing per-country topics: %w", err)
	}
	var brokers int16
	for _, name := range missing {
		if td, ok := listed[name]; ok && td.Err == nil {
			r.existing.Store(name, struct{}{})
			continue
		}
		if brokers == 0 {
			meta, err := r.adm.BrokerMetadata(ctx)
			if err != nil {
				return fmt.Errorf("reading broker metadata: %w", err)
			}
			brokers = int16(max(1, len(meta.Brokers)))
		}
		fam := r.cfg.CountryAlerts
		if r.isOwnerTopic(name) {
			fam = r.cfg.OwnerNotifications
		}
		rf := min(fam.ReplicationFactor, brokers)
		cfg := make(map[string]*string, len(fam.Config))
		for k, v := range fam.Config {
			if k == "min.insync.replicas" && rf < 2 {
				continue // a single-broker cluster cannot honour it
			}
			cfg[k] = &v
		}
		resp, err := r.adm.CreateTopic(ctx, fam.Partitions, rf, cfg, name)
		if err == nil {
			err = resp.Err
		}
		switch {
		case errors.Is(err, kerr.TopicAlreadyExists):
		case err != nil:
			return fmt.Errorf("creating topic %s: %w", name, err)
		default:
			r.metrics.created.Inc()
			r.log.Info("created a per-country topic on first use", zap.String("topic", name))
		}
		r.existing.Store(name, struct{}{})
	}
	return nil
}

func (r *Router) isOwnerTopic(name string) bool {
	pre, post, _ := strings.Cut(r.cfg.OwnerNotifications.Pattern, CountryPlaceholder)
	return strings.HasPrefix(name, pre) && strings.HasSuffix(name, post) && len(name) == len(pre)+3+len(post)
}

// routerMetrics are the Router's Prometheus metrics. Labels are bounded: stream, reason.
type routerMetrics struct {
	routed   *prometheus.CounterVec
	folded   prometheus.Counter
	unrouted *prometheus.CounterVec
	created  prometheus.Counter
}

func newRouterMetrics(reg prometheus.Registerer) *routerMetrics {
	m := &routerMetrics{
		routed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_router_alerts_routed_total", Help: "Alerts written to a per-country stream, by stream (country, owner).",
		}, []string{"stream"}),
		folded: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "screening_router_alerts_folded_total", Help: "Repeated hits folded into an alert already raised within the fold window.",
		}),
		unrouted: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_router_alerts_unrouted_total", Help: "Alerts kept only on the all-alerts topic for one stream, by reason.",
		}, []string{"reason"}),
		created: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "screening_router_topics_created_total", Help: "Per-country topics created on first use.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.routed, m.folded, m.unrouted, m.created)
	}
	return m
}
