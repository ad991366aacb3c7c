// Package loadtest drives the pipeline at a fixed offered rate of travellers per second and
// measures what comes out: sustained screenings per second and produce-to-screening latency
// percentiles, as a control room would experience them (read_committed). It runs the matcher
// in-process against the embedded broker or a real cluster. `watchpost bench` and `make bench`
// use it.
package loadtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

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
	Brokers  []string // empty: embedded kfake
	Rate     int      // offered travellers per second; 0 = as fast as possible
	Duration time.Duration
	Warmup   time.Duration // screenings in the first Warmup are not measured
	Gen      gen.Config    // watchlists and the pool of manifests to cycle through
	Delivery app.Delivery
	Logger   *zap.Logger
}

// Result is what a run measured.
type Result struct {
	Offered    float64 // travellers per second offered (produced)
	Sustained  float64 // travellers per second screened, over the measured window
	Screened   int
	P50, P95   time.Duration
	P99, Max   time.Duration
	Dropped    int // offered but not screened by the end of the drain
	Broker     string
	Delivery   app.Delivery
	Rate       int
	Travellers int // per manifest, mean
}

func (r *Result) String() string {
	target := "max"
	if r.Rate > 0 {
		target = strconv.Itoa(r.Rate) + "/s"
	}
	return fmt.Sprintf("broker=%s delivery=%s offered=%s (%.0f/s) sustained=%.0f travellers/s screened=%d latency p50=%s p95=%s p99=%s max=%s unscreened=%d",
		r.Broker, r.Delivery, target, r.Offered, r.Sustained, r.Screened,
		r.P50.Round(time.Millisecond), r.P95.Round(time.Millisecond), r.P99.Round(time.Millisecond), r.Max.Round(time.Millisecond), r.Dropped)
}

// Run executes one load run.
func Run(ctx context.Context, o Options) (*Result, error) {
	if o.Duration <= 0 {
		o.Duration = 20 * time.Second
	}
	if o.Logger == nil {
		o.Logger = zap.NewNop()
	}
	ts, err := deploy.DefaultTopics()
	if err != nil {
		return nil, err
	}
	res := &Result{Broker: "embedded", Delivery: o.Delivery, Rate: o.Rate}
	if res.Delivery == "" {
		res.Delivery = app.ExactlyOnce
	}
	var stack *embedded.Stack
	if len(o.Brokers) > 0 {
		ns := strconv.FormatInt(time.Now().UnixNano(), 36)
		ts = ts.WithSuffix("load" + ns)
		stack, err = embedded.Attach(ctx, o.Brokers, ts)
		res.Broker = "kafka"
	} else {
		stack, err = embedded.Start(ctx, ts)
	}
	if err != nil {
		return nil, err
	}
	defer stack.Close()
	k := app.Kafka{Brokers: stack.Brokers, RegistryURL: stack.RegistryURL, Topics: ts}
	serde, err := k.Serde(ctx)
	if err != nil {
		return nil, err
	}
	ds, err := gen.Generate(o.Gen)
	if err != nil {
		return nil, err
	}
	pcl, err := k.Producer(kgo.ProducerLinger(2 * time.Millisecond))
	if err != nil {
		return nil, err
	}
	defer pcl.Close()
	if err := app.ProduceLists(ctx, pcl, serde, ts, &ds.Lists); err != nil {
		return nil, err
	}
	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	m, err := app.NewMatcher(app.MatcherConfig{Kafka: k, Group: "load-matcher", Delivery: res.Delivery, Match: match.DefaultConfig(), Serde: serde, Logger: o.Logger})
	if err != nil {
		return nil, err
	}
	merr := make(chan error, 1)
	go func() { merr <- m.Run(runCtx) }()
	select {
	case <-m.Ready():
	case err := <-merr:
		return nil, fmt.Errorf("starting matcher: %w", err)
	}

	lat := &latencies{start: time.Now().Add(o.Warmup)}
	obsDone := make(chan error, 1)
	go func() { obsDone <- observe(runCtx, k, serde, lat) }()

	// Offer travellers at the rate, cycling the manifest pool with fresh ids.
	travellers := 0
	for i := range ds.Manifests {
		travellers += len(ds.Manifests[i].Travellers)
	}
	res.Travellers = travellers / max(1, len(ds.Manifests))
	offered := 0
	begin := time.Now()
	var wg sync.WaitGroup
	var produceErr error
	var perrMu sync.Mutex
	topic := ts.Name(deploy.RoleManifests)
	for round := 0; time.Since(begin) < o.Duration && ctx.Err() == nil; round++ {
		for i := range ds.Manifests {
			if time.Since(begin) >= o.Duration {
				break
			}
			man := ds.Manifests[i]
			man.ID = man.ID + "-r" + strconv.Itoa(round)
			man.ReceivedAt = time.Now().UTC()
			b, err := serde.EncodeManifest(&man)
			if err != nil {
				return nil, err
			}
			wg.Add(1)
			pcl.Produce(ctx, &kgo.Record{Topic: topic, Key: []byte(man.ID), Value: b}, func(_ *kgo.Record, err error) {
				defer wg.Done()
				if err != nil {
					perrMu.Lock()
					produceErr = errors.Join(produceErr, err)
					perrMu.Unlock()
				}
			})
			offered += len(man.Travellers)
			if o.Rate > 0 {
				// Pace by travellers: sleep until this many travellers are due.
				due := begin.Add(time.Duration(float64(offered) / float64(o.Rate) * float64(time.Second)))
				if d := time.Until(due); d > 0 {
					time.Sleep(d)
				}
			}
		}
	}
	wg.Wait()
	elapsed := time.Since(begin)
	if produceErr != nil {
		return nil, fmt.Errorf("producing manifests: %w", produceErr)
	}
	res.Offered = float64(offered) / elapsed.Seconds()

	// Drain: wait until everything offered is screened, or 30 s pass.
	deadline := time.Now().Add(30 * time.Second)
	for lat.count() < offered && time.Now().Before(deadline) {
		select {
		case err := <-merr:
			return nil, fmt.Errorf("matcher stopped: %w", err)
		case <-time.After(50 * time.Millisecond):
		}
	}
	stop()
	<-obsDone
	if err := <-merr; err != nil {
		return nil, fmt.Errorf("matcher: %w", err)
	}
	lat.summarise(res, offered)
	return res, nil
}

// latencies collects produce-to-screening latencies.
type latencies struct {
	mu      sync.Mutex
	start   time.Time // measured window starts here (after warm-up)
	all     int
	samples []time.Duration
	first   time.Time
	last    time.Time
}

func (l *latencies) add(eventTime, seen time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all++
	if seen.Before(l.start) {
		return
	}
	if l.first.IsZero() {
		l.first = seen
	}
	l.last = seen
	l.samples = append(l.samples, seen.Sub(eventTime))
}

func (l *latencies) count() int { l.mu.Lock(); defer l.mu.Unlock(); return l.all }

func (l *latencies) summarise(r *Result, offered int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	r.Screened = l.all
	r.Dropped = offered - l.all
	if len(l.samples) == 0 {
		return
	}
	if span := l.last.Sub(l.first).Seconds(); span > 0 {
		r.Sustained = float64(len(l.samples)) / span
	}
	slices.Sort(l.samples)
	q := func(p float64) time.Duration { return l.samples[min(len(l.samples)-1, int(p*float64(len(l.samples))))] }
	r.P50, r.P95, r.P99, r.Max = q(0.50), q(0.95), q(0.99), l.samples[len(l.samples)-1]
}

// observe reads the screenings topic read_committed and records each screening's latency from
// the manifest's ReceivedAt (stamped when it was produced).
func observe(ctx context.Context, k app.Kafka, serde *schemas.Serde, lat *latencies) error {
	cl, err := kgo.NewClient(kgo.SeedBrokers(k.Brokers...), kgo.ConsumeTopics(k.Topics.Name(deploy.RoleScreenings)),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		kgo.FetchMaxWait(50*time.Millisecond))
	if err != nil {
		return err
	}
	defer cl.Close()
	for ctx.Err() == nil {
		fs := cl.PollFetches(ctx)
		now := time.Now()
		fs.EachRecord(func(r *kgo.Record) {
			s, err := serde.DecodeScreening(r.Value)
			if err != nil {
				return
			}
			lat.add(eventTime(s), now)
		})
	}
	return nil
}

func eventTime(s *event.Screening) time.Time { return s.Context.EventTime }
