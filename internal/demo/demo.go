// Package demo runs Watchpost's main job end to end on embedded defaults: an in-process Kafka
// broker and schema registry, generated watchlists and manifests, a matcher worker, the
// analytics sink (when a ClickHouse address is given) and a control-room reader of the alert
// topic. `watchpost demo` prints what it reports; the end-to-end tests assert on it.
package demo

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/analytics/queries"
	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/embedded"
	"github.com/watchpost/watchpost/internal/gen"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/schemas"
)

// Options configures a run.
type Options struct {
	Gen        gen.Config
	ClickHouse *sink.Config // nil: run without analytics
	// Kafka, when set, runs on a real cluster instead of the embedded broker. Topics and
	// consumer groups get the namespace as a suffix, so runs sharing a cluster stay apart.
	Kafka   *ExternalKafka
	Timeout time.Duration
	Logger  *zap.Logger
	// Registry, when set, receives the matcher's metrics.
	Registry prometheus.Registerer
	// OnAlert is called for every record read from the alert topic, in arrival order.
	OnAlert func(a *event.Alert)
	// OnStage is called with a short progress line for the user.
	OnStage func(msg string)
}

// ExternalKafka is a real cluster to run on.
type ExternalKafka struct {
	Brokers   []string
	Namespace string
}

// Report is what a run observed.
type Report struct {
	Dataset    *gen.Dataset
	Travellers int
	Screenings int           // records read from the screenings topic
	Alerts     []event.Alert // every record read from the all-alerts topic
	// ControlRoom counts the records read from the screening country's control-room topic
	// (watchpost.alerts.<country>.v1), where the router folds repeats.
	ControlRoom int
	DeadLetters int
	Analytics   *queries.Summary // nil without ClickHouse
	Elapsed     time.Duration
	ScreenTime  time.Duration // first manifest produced to last screening read
}

// Run executes the demo and returns its report.
func Run(ctx context.Context, o Options) (*Report, error) {
	if o.Timeout <= 0 {
		o.Timeout = 2 * time.Minute
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	stage := func(format string, args ...any) {
		if o.OnStage != nil {
			o.OnStage(fmt.Sprintf(format, args...))
		}
	}
	start := time.Now()
	ctx, cancel := context.WithTimeout(ctx, o.Timeout)
	defer cancel()

	ts, err := deploy.DefaultTopics()
	if err != nil {
		return nil, err
	}
	var stack *embedded.Stack
	matcherGroup, sinkGroup := "watchpost-matcher", "watchpost-sink"
	if o.Kafka != nil {
		ts = ts.WithSuffix(o.Kafka.Namespace)
		matcherGroup += "." + o.Kafka.Namespace
		sinkGroup += "." + o.Kafka.Namespace
		stack, err = embedded.Attach(ctx, o.Kafka.Brokers, ts)
	} else {
		stack, err = embedded.Start(ctx, ts)
	}
	if err != nil {
		return nil, err
	}
	defer stack.Close()
	stage("Kafka on %v, schema registry on %s", stack.Brokers, stack.RegistryURL)
	k := app.Kafka{Brokers: stack.Brokers, RegistryURL: stack.RegistryURL, Topics: ts}
	serde, err := k.Serde(ctx)
	if err != nil {
		return nil, err
	}

	ds, err := gen.Generate(o.Gen)
	if err != nil {
		return nil, err
	}
	rep := &Report{Dataset: ds}
	for i := range ds.Manifests {
		rep.Travellers += len(ds.Manifests[i].Travellers)
	}
	pcl, err := k.Producer()
	if err != nil {
		return nil, err
	}
	defer pcl.Close()
	if err := app.ProduceLists(ctx, pcl, serde, ts, &ds.Lists); err != nil {
		return nil, err
	}
	stage("loaded %d SLTD records and %d notices into the reference topics", len(ds.Lists.Documents), len(ds.Lists.Notices))

	runCtx, stopServices := context.WithCancel(ctx)
	defer stopServices()
	errs := make(chan error, 2)
	services := 0

	m, err := app.NewMatcher(app.MatcherConfig{Kafka: k, Group: matcherGroup, Match: match.DefaultConfig(), Serde: serde, Logger: o.Logger, Registry: o.Registry})
	if err != nil {
		return nil, err
	}
	services++
	go func() { errs <- m.Run(runCtx) }()
	select {
	case <-m.Ready():
	case err := <-errs:
		return nil, fmt.Errorf("starting matcher: %w", err)
	case <-ctx.Done():
		return nil, fmt.Errorf("waiting for the matcher to load its watchlists: %w", ctx.Err())
	}
	stage("matcher ready: snapshot version %d", m.Store.Load().Version)

	var snk *sink.Sink
	if o.ClickHouse != nil {
		snk, err = sink.Open(ctx, *o.ClickHouse)
		if err != nil {
			return nil, err
		}
		defer func() { _ = snk.Close() }()
		services++
		go func() {
			errs <- app.RunSink(runCtx, app.SinkConfig{Kafka: k, Group: sinkGroup, Serde: serde, Sink: snk, Logger: o.Logger})
		}()
		stage("analytics sink writing to ClickHouse at %s", o.ClickHouse.Addr)
	}

	screenStart := time.Now()
	if err := app.ProduceManifests(ctx, pcl, serde, ts, ds.Manifests); err != nil {
		return nil, err
	}
	stage("produced %d manifests with %d travellers", len(ds.Manifests), rep.Travellers)

	if err := watch(runCtx, k, serde, rep, o.Gen.Country, o.OnAlert, errs); err != nil {
		return nil, err
	}
	rep.ScreenTime = time.Since(screenStart)

	if snk != nil {
		sum, err := waitForAnalytics(ctx, snk, rep, screenStart.Add(-time.Second))
		if err != nil {
			return nil, err
		}
		rep.Analytics = &sum
	}
	stopServices()
	for range services {
		if err := <-errs; err != nil {
			return nil, fmt.Errorf("stopping services: %w", err)
		}
	}
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// watch reads the screenings, alerts and dead-letter topics from the start, as a control room
// would, until every traveller is screened and every alert the screenings announce is read.
func watch(ctx context.Context, k app.Kafka, serde *schemas.Serde, rep *Report, country string, onAlert func(*event.Alert), errs <-chan error) error {
	screenings, alerts, dead := k.Topics.Name(deploy.RoleScreenings), k.Topics.Name(deploy.RoleAlerts), k.Topics.Name(deploy.RoleDeadLetters)
	roomTopic, err := k.Topics.ForCountry(deploy.RoleAlertsCountry, country)
	if err != nil {
		return fmt.Errorf("naming the control-room topic: %w", err)
	}
	room := roomTopic.Name
	cl, err := kgo.NewClient(append([]kgo.Opt{
		kgo.SeedBrokers(k.Brokers...),
		kgo.ConsumeTopics(screenings, alerts, dead, room),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
	}, k.Opts...)...)
	if err != nil {
		return fmt.Errorf("creating control-room client: %w", err)
	}
	defer cl.Close()
	announced := 0
	for rep.Screenings < rep.Travellers || len(rep.Alerts) < announced || rep.ControlRoom < announced {
		select {
		case err := <-errs:
			if err == nil {
				err = errors.New("service stopped early")
			}
			return fmt.Errorf("a service stopped while screening: %w", err)
		default:
		}
		pctx, cancel := context.WithTimeout(ctx, 250*time.Millisecond)
		fetches := cl.PollFetches(pctx)
		cancel()
		if ctx.Err() != nil {
			return fmt.Errorf("waiting for screenings (%d of %d read, %d of %d alerts): %w",
				rep.Screenings, rep.Travellers, len(rep.Alerts), announced, ctx.Err())
		}
		var ferr error
		fetches.EachError(func(t string, p int32, err error) {
			if !errors.Is(err, context.DeadlineExceeded) {
				ferr = fmt.Errorf("reading %s/%d: %w", t, p, err)
			}
		})
		if ferr != nil {
			return ferr
		}
		for _, r := range fetches.Records() {
			switch r.Topic {
			case screenings:
				s, err := serde.DecodeScreening(r.Value)
				if err != nil {
					return fmt.Errorf("decoding screening %s/%d@%d: %w", r.Topic, r.Partition, r.Offset, err)
				}
				rep.Screenings++
				announced += s.Hits
			case alerts:
				a, err := serde.DecodeAlert(r.Value)
				if err != nil {
					return fmt.Errorf("decoding alert %s/%d@%d: %w", r.Topic, r.Partition, r.Offset, err)
				}
				rep.Alerts = append(rep.Alerts, *a)
				if onAlert != nil {
					onAlert(a)
				}
			case dead:
				rep.DeadLetters++
			case room:
				rep.ControlRoom++
			}
		}
	}
	return nil
}

// waitForAnalytics polls ClickHouse until the sink has written every screening and alert.
func waitForAnalytics(ctx context.Context, snk *sink.Sink, rep *Report, since time.Time) (queries.Summary, error) {
	var sum queries.Summary
	for {
		var err error
		sum, err = snk.Summary(ctx, since)
		if err == nil && sum.Screened >= uint64(rep.Screenings) && sum.Hits >= uint64(len(rep.Alerts)) {
			return sum, nil
		}
		select {
		case <-ctx.Done():
			return sum, fmt.Errorf("waiting for ClickHouse to hold %d screenings (has %d): %w", rep.Screenings, sum.Screened, ctx.Err())
		case <-time.After(200 * time.Millisecond):
		}
	}
}
