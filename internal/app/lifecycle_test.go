package app_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap/zaptest"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/embedded"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// TestMatcherReferenceLifecycle runs a matcher on the embedded stack through a watchlist's
// life: a traveller screened clean raises a retro alert once a matching notice arrives;
// a record restricted from the screening country reaches its control room as a neutral
// alert while its owner is notified in full; a cancelled record stops hitting; and a
// restart from the local snapshot screens like before.
func TestMatcherReferenceLifecycle(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	k, _ := startStack(ctx, t)
	referenceLifecycle(t, ctx, k, "watchpost-matcher")
}

// TestIntegrationMatcherReferenceLifecycleRealKafka is TestMatcherReferenceLifecycle against
// a real Apache Kafka broker (make test starts one), with namespaced topics and group.
func TestIntegrationMatcherReferenceLifecycleRealKafka(t *testing.T) {
	t.Parallel()
	broker := testenv.Addr(t, testenv.EnvKafka)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	ns := strconv.FormatInt(time.Now().UnixNano(), 36)
	ts = ts.WithSuffix(ns)
	stack, err := embedded.Attach(ctx, []string{broker}, ts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Close)
	t.Cleanup(func() {
		cl, err := kgo.NewClient(kgo.SeedBrokers(broker))
		if err != nil {
			return
		}
		defer cl.Close()
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		names := ts.Names()
		for _, c := range []string{"ITA"} { // created by the router on first use
			if tp, err := ts.ForCountry(deploy.RoleNotificationsOwner, c); err == nil {
				names = append(names, tp.Name)
			}
		}
		kadm.NewClient(cl).DeleteTopics(dctx, names...)
	})
	referenceLifecycle(t, ctx, app.Kafka{Brokers: []string{broker}, RegistryURL: stack.RegistryURL, Topics: ts}, "watchpost-matcher-"+ns)
}

func referenceLifecycle(t *testing.T, ctx context.Context, k app.Kafka, group string) {
	ts := k.Topics
	serde, err := k.Serde(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pcl, err := k.Producer()
	if err != nil {
		t.Fatal(err)
	}
	defer pcl.Close()
	country := func(role, c string) string {
		tp, err := ts.ForCountry(role, c)
		if err != nil {
			t.Fatal(err)
		}
		return tp.Name
	}
	fraAlerts, deuNotes := country(deploy.RoleAlertsCountry, "FRA"), country(deploy.RoleNotificationsOwner, "DEU")
	stolen := watchlist.Document{ID: "D-stolen", Number: "STOLEN001", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"}
	secret := watchlist.Document{ID: "D-secret", Number: "SECRET001", Type: "P", Issuer: "DEU", Status: watchlist.StatusStolen, Owner: "DEU",
		Access: event.Access{RestrictedFrom: []string{"FRA"}}}
	if err := app.ProduceLists(ctx, pcl, serde, ts, &watchlist.Set{Documents: []watchlist.Document{stolen, secret}}); err != nil {
		t.Fatal(err)
	}
	stateDir := t.TempDir()
	start := func() func() {
		m, err := app.NewMatcher(app.MatcherConfig{Kafka: k, Group: group, Match: match.DefaultConfig(), Serde: serde, StateDir: stateDir, Logger: zaptest.NewLogger(t)})
		if err != nil {
			t.Fatal(err)
		}
		runCtx, stop := context.WithCancel(ctx)
		errc := make(chan error, 1)
		go func() { errc <- m.Run(runCtx) }()
		select {
		case <-m.Ready():
		case err := <-errc:
			t.Fatalf("matcher stopped: %v", err)
		}
		return func() {
			stop()
			if err := <-errc; err != nil {
				t.Errorf("matcher: %v", err)
			}
		}
	}
	stop := start()

	produceManifest := func(id, doc, issuer, surname string) {
		t.Helper()
		m := manifest(id, doc)
		m.Travellers[0].Person.Documents[0].Issuer = issuer
		m.Travellers[0].Person.Surname, m.Travellers[0].Person.GivenNames = surname, "MELKOR"
		b, err := serde.EncodeManifest(&m)
		if err != nil {
			t.Fatal(err)
		}
		if err := pcl.ProduceSync(ctx, &kgo.Record{Topic: ts.Name(deploy.RoleManifests), Key: []byte(id), Value: b}).FirstErr(); err != nil {
			t.Fatal(err)
		}
	}
	read := newAlertReader(t, ctx, k.Brokers, serde, ts.Name(deploy.RoleAlerts), fraAlerts, deuNotes)

	// A clean traveller, then a notice on him arrives: a retro alert.
	produceManifest("M-clean", "CLEAN0001", "FRA", "ZANTARIO")
	produceManifest("M-secret", "SECRET001", "DEU", "DOE")
	got := read(3) // M-secret: all-alerts, FRA (neutral) and DEU owner; M-clean: none yet
	var neutral, full int
	for _, a := range got {
		if a.Hit.SubjectID != "M-secret/0" {
			t.Fatalf("unexpected alert %+v", a.Hit)
		}
		switch {
		case a.topic == deuNotes && a.Hit.RecordID == "D-secret" && !a.Hit.Restricted:
			full++
		case a.topic != deuNotes && a.Hit.Restricted && a.Hit.RecordID == "" && len(a.Hit.Reasons) == 0:
			neutral++
		default:
			t.Errorf("%s: %+v", a.topic, a.Hit)
		}
	}
	if neutral != 2 || full != 1 {
		t.Errorf("restricted record: %d neutral alerts (want 2: all-alerts and FRA), %d full to the owner (want 1)", neutral, full)
	}

	notice := watchlist.Person{ID: "N-new", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "ZANTARIO", GivenNames: "MELKOR"}},
		BirthDates: []event.Date{{Year: 1980, Month: 2, Day: 3}}, Nationalities: []string{"FRA"}, Sex: "F", Owner: "ITA"}
	if err := app.ProduceLists(ctx, pcl, serde, ts, &watchlist.Set{Notices: []watchlist.Person{notice}}); err != nil {
		t.Fatal(err)
	}
	for _, a := range read(2) { // all-alerts and FRA
		if a.Hit.SubjectID != "M-clean/0" || a.Hit.RecordID != "N-new" || !a.Retro {
			t.Errorf("%s: want a retro alert on M-clean for N-new, got %+v retro=%v", a.topic, a.Hit, a.Retro)
		}
	}

	// Cancel the stolen document, restart from the local snapshot, and screen it again.
	if err := pcl.ProduceSync(ctx, &kgo.Record{Topic: ts.Name(deploy.RoleReferenceSLTD), Key: []byte("D-stolen")}).FirstErr(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Second) // past the feed's debounce
	stop()
	stop = start()
	defer stop()
	produceManifest("M-after", "STOLEN001", "FRA", "DOE")
	produceManifest("M-secret-2", "SECRET001", "DEU", "DOE")
	for _, a := range read(3) {
		if a.Hit.SubjectID != "M-secret-2/0" {
			t.Errorf("after the cancellation and restart: unexpected alert %s on %s", a.Hit.SubjectID, a.topic)
		}
	}
}

type topicAlert struct {
	topic string
	event.Alert
}

// newAlertReader returns a function reading the next n alerts from topics (read_committed),
// then checking for a short while that no more arrive.
func newAlertReader(t *testing.T, ctx context.Context, brokers []string, serde interface {
	DecodeAlert([]byte) (*event.Alert, error)
}, topics ...string) func(n int) []topicAlert {
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(topics...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.FetchIsolationLevel(kgo.ReadCommitted()), kgo.MetadataMinAge(100*time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return func(n int) []topicAlert {
		t.Helper()
		var out []topicAlert
		var grace time.Time
		for {
			if len(out) >= n && grace.IsZero() {
				grace = time.Now().Add(time.Second)
			}
			if !grace.IsZero() && time.Now().After(grace) {
				return out
			}
			pctx, cancel := context.WithTimeout(ctx, 200*time.Millisecond)
			fs := cl.PollFetches(pctx)
			cancel()
			if ctx.Err() != nil {
				t.Fatalf("read %d alerts before the deadline, want %d", len(out), n)
			}
			for _, r := range fs.Records() {
				a, err := serde.DecodeAlert(r.Value)
				if err != nil {
					t.Fatal(err)
				}
				out = append(out, topicAlert{r.Topic, *a})
			}
		}
	}
}
