package demo_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/demo"
	"github.com/watchpost/watchpost/internal/gen"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/event"
)

type hitKey struct {
	Subject  string
	Database event.Database
	Record   string
}

func smallConfig(seed int64) gen.Config {
	cfg := gen.DefaultConfig()
	cfg.Seed = seed
	cfg.Documents = 3000
	cfg.Notices = 600
	cfg.Manifests = 80
	cfg.HitRate = 0.05
	cfg.NearMissRate = 0.05
	return cfg
}

// checkExactlyPlanted asserts that the alert topic holds exactly one alert per planted hit,
// and nothing else: no miss, no false hit on a near miss, no duplicate.
func checkExactlyPlanted(t *testing.T, rep *demo.Report) {
	t.Helper()
	if len(rep.Dataset.Planted) == 0 {
		t.Fatal("the generator planted no hits: the test would prove nothing")
	}
	want := map[hitKey]int{}
	for _, p := range rep.Dataset.Planted {
		want[hitKey{p.SubjectID, p.Database, p.RecordID}] = 1
	}
	got := map[hitKey]int{}
	ids := map[string]bool{}
	for _, a := range rep.Alerts {
		got[hitKey{a.Hit.SubjectID, a.Hit.Database, a.Hit.RecordID}]++
		if ids[a.Hit.ID] {
			t.Errorf("alert %s appears twice on the alert topic", a.Hit.ID)
		}
		ids[a.Hit.ID] = true
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("alerts on the topic differ from the planted hits (-planted +alerts):\n%s", diff)
	}
	if rep.Screenings != rep.Travellers {
		t.Errorf("screenings = %d, want one per traveller = %d", rep.Screenings, rep.Travellers)
	}
	if rep.ControlRoom != len(rep.Dataset.Planted) {
		t.Errorf("control-room topic holds %d alerts, want the %d planted (no repeats to fold)", rep.ControlRoom, len(rep.Dataset.Planted))
	}
	if rep.DeadLetters != 0 {
		t.Errorf("dead letters = %d, want 0 for valid manifests", rep.DeadLetters)
	}
}

// TestEndToEndEmbedded runs the whole path on kfake without analytics.
func TestEndToEndEmbedded(t *testing.T) {
	t.Parallel()
	rep, err := demo.Run(t.Context(), demo.Options{Gen: smallConfig(11), Timeout: 3 * time.Minute})
	if err != nil {
		t.Fatalf("demo.Run: %v", err)
	}
	checkExactlyPlanted(t, rep)
}

// TestIntegrationEndToEnd runs N manifests with K planted hits through kfake and a real
// ClickHouse: exactly K alerts on the alert topic, one screening row per traveller and K hit
// rows in ClickHouse.
func TestIntegrationEndToEnd(t *testing.T) {
	t.Parallel()
	addr := testenv.ClickHouse(t)
	db := "wp_e2e_" + randHex(t)
	t.Cleanup(func() { dropDatabase(t, addr, db) })
	rep, err := demo.Run(t.Context(), demo.Options{
		Gen: smallConfig(23), Timeout: 3 * time.Minute,
		ClickHouse: &sink.Config{Addr: addr, Database: db},
	})
	if err != nil {
		t.Fatalf("demo.Run: %v", err)
	}
	checkExactlyPlanted(t, rep)
	if rep.Analytics == nil {
		t.Fatal("no analytics summary although ClickHouse was given")
	}
	if got, want := rep.Analytics.Screened, uint64(rep.Travellers); got != want {
		t.Errorf("ClickHouse screenings = %d, want %d", got, want)
	}
	if got, want := rep.Analytics.Hits, uint64(len(rep.Dataset.Planted)); got != want {
		t.Errorf("ClickHouse hits = %d, want %d", got, want)
	}
	var sum uint64
	for _, n := range rep.Analytics.HitsByDatabase {
		sum += n
	}
	if sum != rep.Analytics.Hits {
		t.Errorf("hits by database sum to %d, total says %d", sum, rep.Analytics.Hits)
	}
}

// TestIntegrationEndToEndRealKafka is TestIntegrationEndToEnd against a real Apache Kafka
// broker (KRaft, started by deploy/local/kafka.sh under make test), with topics and groups
// namespaced for this run.
func TestIntegrationEndToEndRealKafka(t *testing.T) {
	t.Parallel()
	broker := testenv.Addr(t, testenv.EnvKafka)
	addr := testenv.ClickHouse(t)
	ns := randHex(t)
	db := "wp_e2e_" + ns
	t.Cleanup(func() { dropDatabase(t, addr, db) })
	t.Cleanup(func() { deleteTopics(t, broker, ns) })
	rep, err := demo.Run(t.Context(), demo.Options{
		Gen: smallConfig(31), Timeout: 3 * time.Minute,
		Kafka:      &demo.ExternalKafka{Brokers: []string{broker}, Namespace: ns},
		ClickHouse: &sink.Config{Addr: addr, Database: db},
	})
	if err != nil {
		t.Fatalf("demo.Run on the real broker: %v", err)
	}
	checkExactlyPlanted(t, rep)
	if rep.Analytics == nil || rep.Analytics.Screened != uint64(rep.Travellers) || rep.Analytics.Hits != uint64(len(rep.Dataset.Planted)) {
		t.Errorf("ClickHouse summary = %+v, want %d screenings and %d hits", rep.Analytics, rep.Travellers, len(rep.Dataset.Planted))
	}
}

// deleteTopics removes the run's namespaced topics from the shared broker.
func deleteTopics(t *testing.T, broker, ns string) {
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Log(err)
		return
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(broker))
	if err != nil {
		t.Log(err)
		return
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := kadm.NewClient(cl).DeleteTopics(ctx, ts.WithSuffix(ns).Names()...); err != nil {
		t.Logf("deleting topics of run %s: %v", ns, err)
	}
}

func randHex(t *testing.T) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(b[:])
}

func dropDatabase(t *testing.T, addr, db string) {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
	if err != nil {
		t.Logf("dropping %s: %v", db, err)
		return
	}
	defer func() { _ = conn.Close() }()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db); err != nil {
		t.Logf("dropping %s: %v", db, err)
	}
}

// BenchmarkEndToEnd reports travellers screened per second through embedded Kafka: produce
// every manifest, then wait until every screening is on the screenings topic.
func BenchmarkEndToEnd(b *testing.B) {
	cfg := gen.DefaultConfig()
	cfg.Manifests = 2000
	for b.Loop() {
		rep, err := demo.Run(b.Context(), demo.Options{Gen: cfg, Timeout: 5 * time.Minute})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(rep.Travellers)/rep.ScreenTime.Seconds(), "travellers/s")
		b.ReportMetric(float64(rep.Travellers), "travellers")
	}
}
