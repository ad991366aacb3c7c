package faulttest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/embedded"
	"github.com/watchpost/watchpost/internal/gen"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/internal/topics"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/schemas"
)

// observer reads screenings, alerts and dead letters with read_committed isolation, as a
// control room and the auditors would, and counts every record it sees.
type observer struct {
	mu         sync.Mutex
	screenings map[string]int // subject id -> records seen
	alerts     map[string]int // hit id -> records seen
	alertKeys  map[[3]string]bool
	dead       int
}

func observe(ctx context.Context, t *testing.T, brokers []string, ts deploy.Topics, serde *schemas.Serde) *observer {
	o := &observer{screenings: map[string]int{}, alerts: map[string]int{}, alertKeys: map[[3]string]bool{}}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...),
		kgo.ConsumeTopics(ts.Name(deploy.RoleScreenings), ts.Name(deploy.RoleAlerts), ts.Name(deploy.RoleDeadLetters)),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		defer cl.Close()
		for ctx.Err() == nil {
			fs := cl.PollFetches(ctx)
			o.mu.Lock()
			for _, r := range fs.Records() {
				switch r.Topic {
				case ts.Name(deploy.RoleScreenings):
					s, err := serde.DecodeScreening(r.Value)
					if err != nil {
						t.Errorf("decoding screening: %v", err)
						continue
					}
					o.screenings[s.SubjectID]++
				case ts.Name(deploy.RoleAlerts):
					a, err := serde.DecodeAlert(r.Value)
					if err != nil {
						t.Errorf("decoding alert: %v", err)
						continue
					}
					o.alerts[a.Hit.ID]++
					o.alertKeys[[3]string{a.Hit.SubjectID, string(a.Hit.Database), a.Hit.RecordID}] = true
				case ts.Name(deploy.RoleDeadLetters):
					o.dead++
				}
			}
			o.mu.Unlock()
		}
	}()
	return o
}

func (o *observer) counts() (screened, alerts, dead int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return len(o.screenings), len(o.alerts), o.dead
}

func subjectsOf(ms []event.Manifest) map[string]bool {
	out := map[string]bool{}
	for i := range ms {
		for _, s := range ms[i].Subjects() {
			out[s.ID] = true
		}
	}
	return out
}

// TestIntegrationFaults drives one dataset through a matcher and a sink while it kills the
// matcher with SIGKILL, restarts the broker, stops ClickHouse for a minute and injects poison
// messages. In the end every traveller is screened, every planted hit is on the alert topic
// exactly once (read_committed), nothing else is, and ClickHouse holds the same counts.
func TestIntegrationFaults(t *testing.T) {
	testenv.Addr(t, testenv.EnvKafka) // the broker jars and ClickHouse are available
	testenv.ClickHouse(t)
	chDown := time.Minute
	if v := os.Getenv("WATCHPOST_FAULT_CH_DOWN"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			t.Fatalf("WATCHPOST_FAULT_CH_DOWN: %v", err)
		}
		chDown = d
	}
	ctx, cancel := context.WithTimeout(t.Context(), 8*time.Minute)
	defer cancel()

	kafka := startKafka(t)
	ch := startClickHouse(t)
	reg, err := embedded.StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Close)
	const ns = "faults"
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	ts = ts.WithSuffix(ns)
	brokers := []string{kafka.Addr}
	adminCl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := topics.Apply(ctx, kadm.NewClient(adminCl), ts); err != nil {
		t.Fatalf("creating topics: %v", err)
	}
	adminCl.Close()
	k := app.Kafka{Brokers: brokers, RegistryURL: reg.URL, Topics: ts}
	serde, err := k.Serde(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cfg := gen.DefaultConfig()
	cfg.Seed, cfg.Documents, cfg.Notices, cfg.Manifests, cfg.HitRate, cfg.NearMissRate = 77, 4000, 800, 400, 0.05, 0.03
	ds, err := gen.Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	pcl, err := k.Producer()
	if err != nil {
		t.Fatal(err)
	}
	defer pcl.Close()
	if err := app.ProduceLists(ctx, pcl, serde, ts, &ds.Lists); err != nil {
		t.Fatal(err)
	}

	env := []string{"WATCHPOST_BROKERS=" + kafka.Addr, "WATCHPOST_REGISTRY=" + reg.URL, "WATCHPOST_TOPIC_SUFFIX=" + ns,
		"WATCHPOST_METRICS_ADDR=127.0.0.1:0", "WATCHPOST_LOG_LEVEL=info"}
	matcher := supervise(t, "matcher", env, "matcher", "--group", "faults-matcher")
	sinkSvc := supervise(t, "sink", env, "sink", "--group", "faults-sink", "--clickhouse", ch.Addr, "--database", "faults")
	obs := observe(ctx, t, brokers, ts, serde)
	defer func() {
		if t.Failed() {
			t.Logf("matcher logs:\n%s\nsink logs:\n%s", matcher.Logs(), sinkSvc.Logs())
		}
	}()

	chunks := [][]event.Manifest{ds.Manifests[:100], ds.Manifests[100:200], ds.Manifests[200:300], ds.Manifests[300:]}
	screenedUpTo := func(n int) func() bool {
		want := subjectsOf(ds.Manifests[:n])
		return func() bool {
			obs.mu.Lock()
			defer obs.mu.Unlock()
			for id := range want {
				if obs.screenings[id] == 0 {
					return false
				}
			}
			return true
		}
	}
	produce := func(ms []event.Manifest) {
		t.Helper()
		if err := app.ProduceManifests(ctx, pcl, serde, ts, ms); err != nil {
			t.Fatalf("producing manifests: %v", err)
		}
	}

	// 1. kill -9 the matcher mid-stream.
	produce(chunks[0])
	produce(chunks[1])
	waitUntil(ctx, t, "the first screenings are committed", func() bool { s, _, _ := obs.counts(); return s > 0 })
	matcher.Kill()
	t.Logf("matcher killed with SIGKILL after %d screenings", func() int { s, _, _ := obs.counts(); return s }())
	waitUntil(ctx, t, "chunks 1-2 are screened after the restart", screenedUpTo(200))

	// 2. restart the broker while the matcher runs.
	produce(chunks[2])
	kafka.Stop()
	kafka.Start()
	t.Logf("broker restarted")
	waitUntil(ctx, t, "chunk 3 is screened after the broker restart", screenedUpTo(300))

	// 3. stop ClickHouse for a while; screening goes on, the sink catches up afterwards.
	ch.Stop()
	produce(chunks[3])
	waitUntil(ctx, t, "chunk 4 is screened while ClickHouse is down", screenedUpTo(400))
	time.Sleep(chDown)
	ch.Start()
	t.Logf("ClickHouse was down for %s", chDown)

	// 4. poison between valid messages.
	garbage := [][]byte{[]byte("garbage"), {0, 0, 0, 0, 42, 1}, {0xff}}
	for _, g := range garbage {
		if err := pcl.ProduceSync(ctx, &kgo.Record{Topic: ts.Name(deploy.RoleManifests), Key: []byte("poison"), Value: g}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}

	travellers := len(subjectsOf(ds.Manifests))
	waitUntil(ctx, t, "every traveller, planted hit and dead letter is on its topic", func() bool {
		s, a, d := obs.counts()
		return s == travellers && a >= len(ds.Planted) && d >= len(garbage)
	})
	time.Sleep(2 * time.Second) // anything arriving now is a duplicate
	obs.mu.Lock()
	for id, n := range obs.screenings {
		if n != 1 {
			t.Errorf("screening of %s committed %d times, want exactly once", id, n)
		}
	}
	for id, n := range obs.alerts {
		if n != 1 {
			t.Errorf("alert %s committed %d times, want exactly once", id, n)
		}
	}
	if obs.dead != len(garbage) {
		t.Errorf("dead letters = %d, want %d", obs.dead, len(garbage))
	}
	for _, p := range ds.Planted {
		if !obs.alertKeys[[3]string{p.SubjectID, string(p.Database), p.RecordID}] {
			t.Errorf("planted hit %s/%s/%s (%s) has no alert", p.SubjectID, p.Database, p.RecordID, p.Variation)
		}
	}
	if len(obs.alertKeys) != len(ds.Planted) {
		t.Errorf("%d distinct alerts, want the %d planted", len(obs.alertKeys), len(ds.Planted))
	}
	obs.mu.Unlock()
	if matcher.Starts() < 2 {
		t.Errorf("the matcher was started %d times; the kill should have forced a restart", matcher.Starts())
	}

	snk, err := sink.Open(ctx, sink.Config{Addr: ch.Addr, Database: "faults"})
	if err != nil {
		t.Fatal(err)
	}
	defer snk.Close()
	var last string
	waitUntil(ctx, t, fmt.Sprintf("ClickHouse holds %d screenings and %d hits", travellers, len(ds.Planted)), func() bool {
		sum, err := snk.Summary(ctx, time.Time{})
		if err != nil {
			last = err.Error()
			return false
		}
		last = fmt.Sprintf("%+v", sum)
		return sum.Screened == uint64(travellers) && sum.Hits == uint64(len(ds.Planted))
	})
	t.Logf("ClickHouse: %s; matcher starts %d, sink starts %d", last, matcher.Starts(), sinkSvc.Starts())
	for _, e := range append(matcher.Exits(), sinkSvc.Exits()...) {
		t.Log(e)
	}
}
