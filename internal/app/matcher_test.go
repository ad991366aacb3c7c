package app_test

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/embedded"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

// startStack starts embedded Kafka and the schema registry with every declared topic,
// stopped when the test ends, and registers the schemas.
func startStack(ctx context.Context, t *testing.T) (app.Kafka, *schemas.Serde) {
	t.Helper()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	stack, err := embedded.Start(ctx, ts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Close)
	k := app.Kafka{Brokers: stack.Brokers, RegistryURL: stack.RegistryURL, Topics: ts}
	serde, err := k.Serde(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return k, serde
}

func manifest(id string, docNumber string) event.Manifest {
	return event.Manifest{ID: id, Carrier: "AF", Flight: "AF12", Country: "FRA",
		Legs: []event.Leg{{Departure: "JFK", Arrival: "CDG", DepartureAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC)}},
		Travellers: []event.Traveller{{Role: event.RolePassenger, Person: event.Person{Surname: "DOE", GivenNames: "JANE",
			BirthDate: event.Date{Year: 1980, Month: 2, Day: 3}, Nationality: "FRA", Sex: "F",
			Documents: []event.Document{{Type: "P", Number: docNumber, Issuer: "FRA"}}}}},
		ReceivedAt: time.Date(2026, 11, 24, 6, 0, 0, 0, time.UTC)}
}

// TestMatcherDeadLettersPoisonAndKeepsGoing puts undecodable messages between valid manifests
// in one partition: each goes to the dead-letter topic with its original bytes and the reason,
// and every valid manifest behind it is still screened.
func TestMatcherDeadLettersPoisonAndKeepsGoing(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	k, serde := startStack(ctx, t)
	ts := k.Topics
	pcl, err := k.Producer(kgo.RecordPartitioner(kgo.ManualPartitioner()))
	if err != nil {
		t.Fatal(err)
	}
	defer pcl.Close()
	if err := app.ProduceLists(ctx, pcl, serde, ts, &watchlist.Set{Documents: []watchlist.Document{
		{ID: "D1", Number: "STOLEN001", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"},
	}}); err != nil {
		t.Fatal(err)
	}
	m, err := app.NewMatcher(app.MatcherConfig{Kafka: k, Match: match.DefaultConfig(), Serde: serde})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, stop := context.WithCancel(ctx)
	errc := make(chan error, 1)
	go func() { errc <- m.Run(runCtx) }()
	t.Cleanup(func() { stop(); <-errc })

	in := ts.Name(deploy.RoleManifests)
	garbage := [][]byte{[]byte("not avro at all"), {0, 0, 0, 0x7f, 0xff, 1, 2}, {}}
	var recs []*kgo.Record
	for i, g := range garbage {
		b1, err := serde.EncodeManifest(ptr(manifest("M-ok-"+string(rune('a'+i)), "CLEAN00"+string(rune('1'+i)))))
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, &kgo.Record{Topic: in, Partition: 0, Key: []byte("bad"), Value: g},
			&kgo.Record{Topic: in, Partition: 0, Key: []byte("ok"), Value: b1})
	}
	hit, err := serde.EncodeManifest(ptr(manifest("M-hit", "STOLEN001")))
	if err != nil {
		t.Fatal(err)
	}
	recs = append(recs, &kgo.Record{Topic: in, Partition: 0, Key: []byte("hit"), Value: hit})
	if err := pcl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(k.Brokers...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.ConsumeTopics(ts.Name(deploy.RoleDeadLetters), ts.Name(deploy.RoleScreenings), ts.Name(deploy.RoleAlerts)))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var dead []event.DeadLetter
	screened, alerts := 0, 0
	for len(dead) < len(garbage) || screened < 4 || alerts < 1 {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatalf("got %d dead letters, %d screenings, %d alerts before the deadline; want %d, 4, 1", len(dead), screened, alerts, len(garbage))
		}
		for _, r := range fs.Records() {
			switch r.Topic {
			case ts.Name(deploy.RoleDeadLetters):
				d, err := serde.DecodeDeadLetter(r.Value)
				if err != nil {
					t.Fatal(err)
				}
				dead = append(dead, *d)
			case ts.Name(deploy.RoleScreenings):
				screened++
			case ts.Name(deploy.RoleAlerts):
				alerts++
			}
		}
	}
	for i, d := range dead {
		if string(d.Value) != string(garbage[i]) {
			t.Errorf("dead letter %d holds %q, want the original bytes %q", i, d.Value, garbage[i])
		}
		if d.Topic != in || d.Partition != 0 || d.Offset != int64(2*i) || d.ErrorClass != "poison" || d.Error == "" {
			t.Errorf("dead letter %d = topic %s partition %d offset %d class %s error %q; want where and why", i, d.Topic, d.Partition, d.Offset, d.ErrorClass, d.Error)
		}
	}
}

func ptr[T any](v T) *T { return &v }
