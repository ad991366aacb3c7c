//go:build unix

package watchlistfeed_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// BenchmarkReplay measures a worker's first start from the reference topics alone (no
// local snapshot): read, decode and index every record, at 10 million SLTD records and 1
// million persons divided by WATCHPOST_BENCH_SCALE (default 1; 10 on the embedded broker,
// which holds everything in memory). It uses the real broker named by WATCHPOST_TEST_KAFKA
// when set, kfake otherwise.
func BenchmarkReplay(b *testing.B) {
	div := 1
	brokers := os.Getenv(testenv.EnvKafka)
	if brokers == "" {
		div = 10
	}
	if s := os.Getenv("WATCHPOST_BENCH_SCALE"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("WATCHPOST_BENCH_SCALE=%q: want a positive divisor", s)
		}
		div = n
	}
	nDocs, nPersons := 10_000_000/div, 1_000_000/div
	ctx := context.Background()
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	topics := map[event.Database]string{event.DBSLTD: "bench.sltd." + suffix, event.DBNotices: "bench.notices." + suffix}
	var seeds []string
	if brokers != "" {
		seeds = []string{brokers}
	} else {
		seeds = consumerstest.NewCluster(b, 6).Brokers
	}
	cl, err := kgo.NewClient(kgo.SeedBrokers(seeds...), kgo.ProducerLinger(20*time.Millisecond), kgo.ProducerBatchMaxBytes(1<<20),
		kgo.MaxBufferedRecords(200_000))
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	adm := kadm.NewClient(cl)
	for _, t := range topics {
		if _, err := adm.CreateTopic(ctx, 6, 1, map[string]*string{"cleanup.policy": new("compact")}, t); err != nil {
			b.Fatalf("creating %s: %v", t, err)
		}
		b.Cleanup(func() { adm.DeleteTopic(context.Background(), t) })
	}
	s := newSerde(b)
	start := time.Now()
	produce := func(r *kgo.Record) {
		cl.Produce(ctx, r, func(_ *kgo.Record, err error) {
			if err != nil {
				b.Errorf("producing: %v", err)
			}
		})
	}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range nDocs {
		iss := watchlisttest.Issuers[r.IntN(len(watchlisttest.Issuers))]
		d := watchlist.Document{ID: fmt.Sprintf("SLTD-%09d", i), Number: fmt.Sprintf("%c%c%07d", 'A'+r.IntN(26), 'A'+r.IntN(26), r.IntN(10_000_000)),
			Type: "P", Issuer: iss, Status: watchlist.StatusStolen, Owner: iss}
		v, err := s.EncodeSLTDRecord(&d)
		if err != nil {
			b.Fatal(err)
		}
		produce(&kgo.Record{Topic: topics[event.DBSLTD], Key: []byte(d.ID), Value: v})
	}
	for _, p := range watchlisttest.Persons(watchlisttest.NewNameVocabulary(20_000, 5_000, 1), nPersons, 1) {
		p.NoticeType = watchlist.NoticeRed
		v, err := s.EncodeNoticeRecord(&p)
		if err != nil {
			b.Fatal(err)
		}
		produce(&kgo.Record{Topic: topics[event.DBNotices], Key: []byte(p.ID), Value: v})
	}
	if err := cl.Flush(ctx); err != nil {
		b.Fatal(err)
	}
	b.Logf("produced %d records in %s", nDocs+nPersons, time.Since(start).Round(time.Second))

	b.Run(fmt.Sprintf("topics/%d-sltd+%d-persons", nDocs, nPersons), func(b *testing.B) {
		var secs float64
		for b.Loop() {
			store := &index.Store{}
			f, err := watchlistfeed.New(watchlistfeed.Config{Brokers: seeds, Topics: topics, Decoder: s, Store: store})
			if err != nil {
				b.Fatal(err)
			}
			runCtx, cancel := context.WithCancel(ctx)
			errc := make(chan error, 1)
			t0 := time.Now()
			go func() { errc <- f.Run(runCtx) }()
			select {
			case <-f.Ready():
			case err := <-errc:
				b.Fatalf("feed: %v", err)
			}
			secs = time.Since(t0).Seconds()
			cancel()
			<-errc
			if c := store.Load().Counts(); c[event.DBSLTD] != nDocs || c[event.DBNotices] != nPersons {
				b.Fatalf("counts %v", c)
			}
		}
		b.ReportMetric(secs, "s/start")
		b.ReportMetric(float64(nDocs+nPersons)/secs, "records/s")
	})
}
