package producers_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/engine/enginetest"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

var (
	countryAlerts = producers.CountryTopics{Pattern: "alerts.{country}", Partitions: 2, ReplicationFactor: 3,
		Config: map[string]string{"retention.ms": "2592000000", "min.insync.replicas": "2"}}
	ownerNotes = producers.CountryTopics{Pattern: "notifications.{country}", Partitions: 1, ReplicationFactor: 3,
		Config: map[string]string{"retention.ms": "2592000000"}}
	t0 = time.Date(2026, 11, 24, 10, 2, 0, 0, time.UTC)
)

// routerEnv is a kfake cluster with the base topics and the FRA and DEU topics declared up
// front; every other country's topic is left for the Router to create.
type routerEnv struct {
	c     *consumerstest.Cluster
	serde *schemas.Serde
	cl    *kgo.Client
	reg   *prometheus.Registry
	used  bool // reg holds a Router's metrics
}

func newRouterEnv(t *testing.T) *routerEnv {
	t.Helper()
	declared := []string{topics.Screenings, topics.Alerts, topics.DeadLetters}
	for _, c := range []string{"FRA", "DEU"} {
		declared = append(declared, countryAlerts.Name(c), ownerNotes.Name(c))
	}
	c := consumerstest.NewCluster(t, 3, declared...)
	return &routerEnv{c: c, serde: newSerde(t), cl: c.Client(t, producers.ProducerOpts()...), reg: prometheus.NewRegistry()}
}

func (e *routerEnv) router(t *testing.T, window time.Duration) *producers.Router {
	t.Helper()
	var reg prometheus.Registerer
	if !e.used {
		reg, e.used = e.reg, true // the first Router's metrics are the ones checked
	}
	r, err := producers.NewRouter(e.cl, e.serde, producers.RouterConfig{
		Topics: topics, CountryAlerts: countryAlerts, OwnerNotifications: ownerNotes, FoldWindow: window, Registry: reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// routed is one record read back from a per-country topic.
type routed struct {
	topic, key string
	alert      *event.Alert
}

// read consumes topics from the start until want records arrived, then for a short grace
// period more, so that an unexpected extra record is seen too.
func (e *routerEnv) read(t *testing.T, want int, names ...string) []routed {
	t.Helper()
	cl := e.c.Client(t, kgo.ConsumeTopics(names...), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.MetadataMinAge(50*time.Millisecond))
	var out []routed
	deadline := time.Now().Add(10 * time.Second)
	var grace time.Time
	for {
		now := time.Now()
		if len(out) >= want && grace.IsZero() {
			grace = now.Add(300 * time.Millisecond)
		}
		if (!grace.IsZero() && now.After(grace)) || now.After(deadline) {
			break
		}
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		for _, rec := range fs.Records() {
			a, err := e.serde.DecodeAlert(rec.Value)
			if err != nil {
				t.Fatalf("decoding an alert on %s: %v", rec.Topic, err)
			}
			out = append(out, routed{rec.Topic, string(rec.Key), a})
		}
	}
	if len(out) < want {
		t.Fatalf("read %d records from %v, want %d", len(out), names, want)
	}
	return out
}

// alertFor builds an alert on record rec for a traveller, screened for country at time at.
func alertFor(eventID string, pos int, p event.Person, db event.Database, rec, country, owner string, at time.Time) event.Alert {
	sid := event.SubjectID(eventID, pos)
	person := p
	return event.Alert{
		Hit: event.Hit{ID: event.HitID(sid, db, rec), SubjectID: sid, EventID: eventID, Database: db, RecordID: rec, Score: 0.97,
			Reasons: []event.Reason{{Field: "document_number", Match: "exact", Weight: 0.9}}, SnapshotVersion: 3,
			Severity: "high", Action: "seize the document", Owner: owner},
		Subject:  event.Subject{ID: sid, EventID: eventID, Kind: event.KindPerson, Role: event.RolePassenger, Person: &person},
		Context:  event.Context{Source: "api", Carrier: "AF", Flight: "AF0123", Departure: "JFK", Arrival: "CDG", BorderPost: "CDG", Country: country, EventTime: at},
		RaisedAt: at.Add(time.Second),
	}
}

func traveller() event.Person {
	return event.Person{Surname: "Müller", GivenNames: "Anna Lena", BirthDate: event.Date{Year: 1984, Month: 2, Day: 29}, Sex: "F", Nationality: "DEU",
		Documents: []event.Document{{Type: "P", Number: "C01X00T47", Issuer: "DEU"}}}
}

func TestRouterRoutesToCountryAndOwnerTopics(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 0)
	other := traveller()
	other.Surname, other.Documents[0].Number = "Dupont", "18FR12345"
	out := engine.Output{Alerts: []event.Alert{
		alertFor("m-1", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0),
		alertFor("m-2", 0, other, event.DBNotices, "red-7", "DEU", "GBR", t0),
		alertFor("m-3", 4, traveller(), event.DBSLTD, "sltd-1", "NOR", "DEU", t0), // NOR: no topic yet
	}}
	if err := r.Emit(t.Context(), out); err != nil {
		t.Fatalf("Emit: %v", err)
	}

	all := e.read(t, 3, topics.Alerts)
	for _, rec := range all {
		if rec.key != rec.alert.Hit.ID {
			t.Errorf("all-alerts record keyed %q, want its hit id", rec.key)
		}
	}
	tests := []struct {
		topic   string
		wantHit []string
	}{
		{"alerts.FRA", []string{out.Alerts[0].Hit.ID}},
		{"alerts.DEU", []string{out.Alerts[1].Hit.ID}},
		{"alerts.NOR", []string{out.Alerts[2].Hit.ID}},
		{"notifications.DEU", []string{out.Alerts[0].Hit.ID, out.Alerts[2].Hit.ID}},
		{"notifications.GBR", []string{out.Alerts[1].Hit.ID}},
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			got := e.read(t, len(tt.wantHit), tt.topic)
			var hits []string
			for _, rec := range got {
				hits = append(hits, rec.alert.Hit.ID)
				if want := producers.FoldID(producers.FoldKey(rec.alert), foldTimeOf(rec.alert), producers.DefaultFoldWindow); rec.key != want {
					t.Errorf("record keyed %q, want the fold id %q", rec.key, want)
				}
			}
			slices.Sort(hits)
			want := slices.Sorted(slices.Values(tt.wantHit))
			if !slices.Equal(hits, want) {
				t.Errorf("%s holds hits %v, want %v", tt.topic, hits, want)
			}
		})
	}

	// Topics of a new country are created with the family's settings.
	td, err := e.c.Admin(t).ListTopics(t.Context(), "alerts.NOR", "notifications.GBR")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(td["alerts.NOR"].Partitions); n != int(countryAlerts.Partitions) {
		t.Errorf("alerts.NOR has %d partitions, want the template's %d", n, countryAlerts.Partitions)
	}
	if n := len(td["notifications.GBR"].Partitions); n != int(ownerNotes.Partitions) {
		t.Errorf("notifications.GBR has %d partitions, want the template's %d", n, ownerNotes.Partitions)
	}
	cfgs, err := e.c.Admin(t).DescribeTopicConfigs(t.Context(), "alerts.NOR")
	if err != nil {
		t.Fatal(err)
	}
	rc, err := cfgs.On("alerts.NOR", nil)
	if err != nil {
		t.Fatal(err)
	}
	retention := ""
	for _, kv := range rc.Configs {
		if kv.Key == "retention.ms" {
			retention = kv.MaybeValue()
		}
	}
	if retention != "2592000000" {
		t.Errorf("alerts.NOR retention.ms = %q, want the template's", retention)
	}
	if got := counterVec(t, e.reg, "screening_router_topics_created_total")[""]; got != 2 {
		t.Errorf("topics created = %v, want 2 (alerts.NOR, notifications.GBR)", got)
	}
}

func foldTimeOf(a *event.Alert) time.Time {
	if !a.Context.EventTime.IsZero() {
		return a.Context.EventTime
	}
	return a.RaisedAt
}

func TestRouterFolding(t *testing.T) {
	t.Parallel()
	const window = 10 * time.Minute
	// The same traveller as presented on another manifest: other case, given names
	// reordered, the document number formatted with spaces and a dash.
	reformatted := event.Person{Surname: "MÜLLER", GivenNames: "lena  anna", BirthDate: event.Date{Year: 1984, Month: 2, Day: 29}, Sex: "F", Nationality: "deu",
		Documents: []event.Document{{Type: "P", Number: "c01x 00t-47", Issuer: "DEU"}}}
	namesake := traveller()
	namesake.BirthDate = event.Date{Year: 1991, Month: 7, Day: 3} // same name and document list, another birth date
	otherDoc := traveller()
	otherDoc.Documents = append(otherDoc.Documents, event.Document{Type: "I", Number: "L01X00T47", Issuer: "DEU"})

	first := alertFor("m-1", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0)
	tests := []struct {
		name       string
		second     event.Alert
		sameCall   bool // both alerts in one Emit (one poll) rather than two
		wantRouted int  // alerts on the FRA control-room topic
	}{
		{"same traveller, second manifest of the flight, within the window", alertFor("m-2", 3, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(time.Minute)), false, 1},
		{"within the window, in the same poll", alertFor("m-2", 3, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(time.Minute)), true, 1},
		{"re-submission presented differently", alertFor("m-1-resubmitted", 0, reformatted, event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(2*time.Minute)), false, 1},
		{"earlier event time within the window", alertFor("m-0", 1, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(-9*time.Minute)), false, 1},
		{"beyond the window", alertFor("m-9", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(window+time.Second)), false, 2},
		{"exactly one window later", alertFor("m-9", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(window)), false, 2},
		{"another record", alertFor("m-2", 3, traveller(), event.DBSLTD, "sltd-2", "FRA", "DEU", t0.Add(time.Minute)), false, 2},
		{"another database", alertFor("m-2", 3, traveller(), event.DBTDAWN, "sltd-1", "FRA", "DEU", t0.Add(time.Minute)), false, 2},
		{"a namesake with another birth date", alertFor("m-2", 3, namesake, event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(time.Minute)), true, 2},
		{"one more document presented", alertFor("m-2", 3, otherDoc, event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(time.Minute)), false, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			e := newRouterEnv(t)
			r := e.router(t, window)
			if tt.sameCall {
				if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{first, tt.second}}); err != nil {
					t.Fatal(err)
				}
			} else {
				for _, a := range []event.Alert{first, tt.second} {
					if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{a}}); err != nil {
						t.Fatal(err)
					}
				}
			}
			got := e.read(t, tt.wantRouted, "alerts.FRA")
			if len(got) != tt.wantRouted {
				t.Fatalf("%d alerts on the control-room topic, want %d", len(got), tt.wantRouted)
			}
			if got[0].alert.Hit.ID != first.Hit.ID && got[0].alert.Hit.ID != tt.second.Hit.ID {
				t.Errorf("routed hit %s is neither alert", got[0].alert.Hit.ID)
			}
			notes := e.read(t, tt.wantRouted, "notifications.DEU")
			if len(notes) != tt.wantRouted {
				t.Errorf("%d owner notifications, want %d: the owner's stream folds like the control room's", len(notes), tt.wantRouted)
			}
			if all := e.read(t, 2, topics.Alerts); len(all) != 2 {
				t.Errorf("%d records on the all-alerts topic, want both hits: analytics counts every hit", len(all))
			}
			wantFolded := float64(2 - tt.wantRouted)
			if got := counterVec(t, e.reg, "screening_router_alerts_folded_total")[""]; got != wantFolded {
				t.Errorf("folded counter = %v, want %v", got, wantFolded)
			}
		})
	}
}

// TestRouterRedeliveryIsNotFolded: a batch redelivered after an aborted transaction or a
// crash carries the same hit ids; the alert kept for a fold key must be written again,
// with the same key, never folded away, or a read_committed control room would lose it.
func TestRouterRedeliveryIsNotFolded(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 10*time.Minute)
	a := alertFor("m-1", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0)
	repeat := alertFor("m-2", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", t0.Add(time.Minute))
	for _, out := range []engine.Output{{Alerts: []event.Alert{a}}, {Alerts: []event.Alert{a}}, {Alerts: []event.Alert{repeat, a}}} {
		if err := r.Emit(t.Context(), out); err != nil {
			t.Fatal(err)
		}
	}
	got := e.read(t, 3, "alerts.FRA")
	if len(got) != 3 {
		t.Fatalf("%d records, want 3: the first alert and its two redeliveries", len(got))
	}
	for _, rec := range got {
		if rec.alert.Hit.ID != a.Hit.ID || rec.key != got[0].key {
			t.Errorf("record %s keyed %s; want only hit %s under one key", rec.alert.Hit.ID, rec.key, a.Hit.ID)
		}
	}
}

// TestFoldIDIsDeterministic: beyond the hot window — another worker, a restart, a key the
// cache dropped — a repeat in the same bucket carries the same Kafka key as the first, so
// the console de-duplicates it; across buckets the ids differ.
func TestFoldIDIsDeterministic(t *testing.T) {
	t.Parallel()
	const window = 10 * time.Minute
	e := newRouterEnv(t)
	bucketStart := t0.Truncate(window)
	a := alertFor("m-1", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", bucketStart.Add(time.Minute))
	sameBucket := alertFor("m-2", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", bucketStart.Add(8*time.Minute))
	nextBucket := alertFor("m-3", 0, traveller(), event.DBSLTD, "sltd-1", "FRA", "DEU", bucketStart.Add(window+time.Minute))
	// One Router per alert: three workers with empty caches.
	for _, al := range []event.Alert{a, sameBucket, nextBucket} {
		if err := e.router(t, window).Emit(t.Context(), engine.Output{Alerts: []event.Alert{al}}); err != nil {
			t.Fatal(err)
		}
	}
	got := e.read(t, 3, "alerts.FRA")
	keys := map[string]string{}
	for _, rec := range got {
		keys[rec.alert.Hit.ID] = rec.key
	}
	if keys[a.Hit.ID] != keys[sameBucket.Hit.ID] {
		t.Errorf("same bucket, different keys %s and %s", keys[a.Hit.ID], keys[sameBucket.Hit.ID])
	}
	if keys[a.Hit.ID] == keys[nextBucket.Hit.ID] {
		t.Errorf("next bucket has the same key %s", keys[a.Hit.ID])
	}
	fk := producers.FoldKey(&a)
	for _, s := range []string{"Müller", "C01X00T47", "1984"} {
		if strings.Contains(fk+keys[a.Hit.ID], s) {
			t.Errorf("fold key or id holds personal data %q", s)
		}
	}
}

func TestRouterKeepsBadCountriesOutOfTopicNames(t *testing.T) {
	t.Parallel()
	e := newRouterEnv(t)
	r := e.router(t, 0)
	bad := alertFor("m-1", 0, traveller(), event.DBSLTD, "sltd-1", "../x", "fr", t0)
	good := alertFor("m-2", 0, traveller(), event.DBSLTD, "sltd-2", "FRA", "", t0)
	if err := r.Emit(t.Context(), engine.Output{Alerts: []event.Alert{bad, good}}); err != nil {
		t.Fatal(err)
	}
	if all := e.read(t, 2, topics.Alerts); len(all) != 2 {
		t.Errorf("%d alerts on the all-alerts topic, want 2: an unroutable alert is still kept", len(all))
	}
	if got := e.read(t, 1, "alerts.FRA"); len(got) != 1 || got[0].alert.Hit.ID != good.Hit.ID {
		t.Errorf("FRA topic holds %d records, want only the valid alert", len(got))
	}
	listed, err := e.c.Admin(t).ListTopics(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range listed.Names() {
		if strings.Contains(name, "..") || strings.Contains(name, "/") || strings.HasSuffix(name, ".fr") {
			t.Errorf("topic %q was created from an invalid country", name)
		}
	}
	unrouted := counterVec(t, e.reg, "screening_router_alerts_unrouted_total")
	for reason, want := range map[string]float64{"invalid_country": 1, "invalid_owner": 1, "no_owner": 1} {
		if got := unrouted[reason]; got != want {
			t.Errorf("unrouted{reason=%s} = %v, want %v", reason, got, want)
		}
	}
}

func TestRouterConformance(t *testing.T) {
	t.Parallel()
	enginetest.EmitterSuite(t, func(t *testing.T) (engine.Emitter, enginetest.Reader) {
		e := newRouterEnv(t)
		return e.router(t, 0), kafkaReader{e.c, e.serde}
	})
}

func TestRouterConfigValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		edit func(*producers.RouterConfig)
		want string
	}{
		{"no base topics", func(c *producers.RouterConfig) { c.Topics = producers.Topics{} }, "dead-letter topics are required"},
		{"pattern without placeholder", func(c *producers.RouterConfig) { c.CountryAlerts.Pattern = "alerts" }, "country alerts: pattern must hold {country} once"},
		{"no partitions", func(c *producers.RouterConfig) { c.OwnerNotifications.Partitions = 0 }, "owner notifications: partitions"},
		{"negative window", func(c *producers.RouterConfig) { c.FoldWindow = -time.Second }, "fold window"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := producers.RouterConfig{Topics: topics, CountryAlerts: countryAlerts, OwnerNotifications: ownerNotes}
			if err := cfg.Validate(); err != nil {
				t.Fatalf("valid config rejected: %v", err)
			}
			tt.edit(&cfg)
			if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Validate = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// counterVec returns a counter's values by its one label's value ("" when unlabelled).
func counterVec(t *testing.T, reg *prometheus.Registry, name string) map[string]float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			label := ""
			if len(m.GetLabel()) > 0 {
				label = m.GetLabel()[0].GetValue()
			}
			out[label] = m.GetCounter().GetValue()
		}
	}
	return out
}
