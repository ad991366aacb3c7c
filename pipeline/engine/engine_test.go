package engine_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/engine/enginetest"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

var fixedNow = func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }

func msg(off int64, value string) *engine.Message {
	return &engine.Message{Topic: "in", Partition: 1, Offset: off, Key: []byte("k"), Value: []byte(value)}
}

func TestInMemoryEmitterConformance(t *testing.T) {
	t.Parallel()
	enginetest.EmitterSuite(t, func(t *testing.T) (engine.Emitter, enginetest.Reader) {
		em := &enginetest.Emitter{}
		return em, em
	})
}

func TestMiddlewareRoutesFailures(t *testing.T) {
	t.Parallel()
	m := engine.NewMetrics(nil)
	log := zap.NewNop()
	tests := []struct {
		name       string
		proc       engine.ProcessorFunc
		wantDead   int
		wantErr    string // substring; "" means nil
		wantCalls  int32
		wantPoison bool
	}{
		{"ok passes through", func(context.Context, *engine.Message) (engine.Output, error) {
			return engine.Output{Screenings: []event.Screening{{SubjectID: "s"}}}, nil
		}, 0, "", 1, false},
		{"poison becomes a dead letter", func(context.Context, *engine.Message) (engine.Output, error) {
			return engine.Output{}, fault.Poison(errors.New("decoding: field x"))
		}, 1, "", 1, false},
		{"panic becomes a dead letter", func(context.Context, *engine.Message) (engine.Output, error) {
			panic("boom")
		}, 1, "", 1, false},
		{"transient retried then fatal", func(context.Context, *engine.Message) (engine.Output, error) {
			return engine.Output{}, fault.Transient(errors.New("timeout"))
		}, 0, "giving up after 3 attempts", 3, false},
		{"fatal passes through", func(context.Context, *engine.Message) (engine.Output, error) {
			return engine.Output{}, errors.New("broken")
		}, 0, "broken", 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var calls atomic.Int32
			inner := engine.ProcessorFunc(func(ctx context.Context, msg *engine.Message) (engine.Output, error) {
				calls.Add(1)
				return tt.proc(ctx, msg)
			})
			p := engine.Chain(inner,
				engine.DeadLetterPoison(log, m, fixedNow),
				engine.Recover(log, m),
				engine.Retry(engine.RetryConfig{Attempts: 3, Initial: time.Millisecond, Max: 2 * time.Millisecond}),
			)
			out, err := p.Process(t.Context(), msg(42, "original"))
			if tt.wantErr == "" && err != nil {
				t.Fatalf("Process error = %v, want nil", err)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Process error = %v, want %q", err, tt.wantErr)
				}
				if errors.Is(err, fault.ErrTransient) {
					t.Errorf("exhausted retry still marked transient: an outer retry would loop")
				}
			}
			if got := len(out.DeadLetters); got != tt.wantDead {
				t.Fatalf("dead letters = %d, want %d", got, tt.wantDead)
			}
			if tt.wantDead == 1 {
				d := out.DeadLetters[0]
				if string(d.Value) != "original" || d.Offset != 42 || d.Partition != 1 || d.Topic != "in" || d.ErrorClass != "poison" || d.Error == "" {
					t.Errorf("dead letter = %+v, want original bytes, position and reason", d)
				}
			}
			if got := calls.Load(); got != tt.wantCalls {
				t.Errorf("processor called %d times, want %d", got, tt.wantCalls)
			}
		})
	}
}

func TestPipelineEmitsOnceAndFailsWhole(t *testing.T) {
	t.Parallel()
	em := &enginetest.Emitter{}
	p := &engine.Pipeline{Emitter: em, Processor: engine.ProcessorFunc(func(_ context.Context, m *engine.Message) (engine.Output, error) {
		return engine.Output{Screenings: []event.Screening{{SubjectID: string(m.Value)}}}, nil
	})}
	if err := p.HandleBatch(t.Context(), []*engine.Message{msg(1, "a"), msg(2, "b")}); err != nil {
		t.Fatal(err)
	}
	if got := len(em.Output().Screenings); got != 2 {
		t.Fatalf("screenings emitted = %d, want 2", got)
	}
	em.FailNext(enginetest.ErrInjected)
	if err := p.HandleBatch(t.Context(), []*engine.Message{msg(3, "c")}); !errors.Is(err, enginetest.ErrInjected) {
		t.Fatalf("HandleBatch with a failing emitter = %v, want the emit error (the batch must not be marked)", err)
	}
}

// screenerFixture builds a Screener over a one-document, one-notice snapshot.
func screenerFixture(t *testing.T, store *index.Store) *engine.Screener {
	t.Helper()
	mt, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	dec := engine.DecoderFunc(func(m *engine.Message) (engine.Event, error) {
		if string(m.Value) == "garbage" {
			return engine.Event{}, fault.Poison(errors.New("bad magic byte"))
		}
		man := &event.Manifest{ID: "M1", Carrier: "AF", Flight: "AF1", Country: "FRA", Travellers: []event.Traveller{
			{Role: event.RolePassenger, Person: event.Person{Surname: "MARTIN", GivenNames: "CLAIRE", BirthDate: event.Date{Year: 1990, Month: 1, Day: 2},
				Nationality: "FRA", Documents: []event.Document{{Type: "P", Number: "AB123456", Issuer: "FRA"}}}},
			{Role: event.RolePassenger, Person: event.Person{Surname: "QUISPE", GivenNames: "ROSA", BirthDate: event.Date{Year: 1975, Month: 6, Day: 9},
				Nationality: "PER", Sex: "F"}},
			{Role: event.RoleCrew, Person: event.Person{Surname: "NOBODY", GivenNames: "IN PARTICULAR", Nationality: "DEU"}},
		}}
		return engine.Event{ID: man.ID, Context: man.Context(), Subjects: man.Subjects()}, nil
	})
	return &engine.Screener{Decoder: dec, Store: store, Matcher: mt, Metrics: engine.NewMetrics(nil), Now: fixedNow}
}

func TestScreener(t *testing.T) {
	t.Parallel()
	store := &index.Store{}
	s := screenerFixture(t, store)
	if _, err := s.Process(t.Context(), msg(1, "m")); !errors.Is(err, engine.ErrNotReady) || !errors.Is(err, fault.ErrTransient) {
		t.Fatalf("Process before any snapshot = %v, want transient ErrNotReady", err)
	}
	store.Swap(index.Build(9, &watchlist.Set{
		Documents: []watchlist.Document{{ID: "D1", Number: "AB123456", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"}},
		Notices: []watchlist.Person{{ID: "N1", NoticeType: watchlist.NoticeYellow, Names: []watchlist.Name{{Surname: "QUISPE", GivenNames: "ROSA"}},
			BirthDates: []event.Date{{Year: 1975, Month: 6, Day: 9}}, Nationalities: []string{"PER"}, Sex: "F", Owner: "PER"}},
	}))
	out, err := s.Process(t.Context(), msg(1, "m"))
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Screenings) != 3 {
		t.Fatalf("screenings = %d, want one per traveller (3)", len(out.Screenings))
	}
	want := map[string]event.Database{"M1/0": event.DBSLTD, "M1/1": event.DBNotices}
	if len(out.Alerts) != len(want) {
		t.Fatalf("alerts = %d, want %d", len(out.Alerts), len(want))
	}
	for _, a := range out.Alerts {
		if want[a.Hit.SubjectID] != a.Hit.Database {
			t.Errorf("alert for %s on %s, want %s", a.Hit.SubjectID, a.Hit.Database, want[a.Hit.SubjectID])
		}
		if a.Hit.SnapshotVersion != 9 {
			t.Errorf("alert snapshot version = %d, want 9", a.Hit.SnapshotVersion)
		}
		if a.Hit.ID != event.HitID(a.Hit.SubjectID, a.Hit.Database, a.Hit.RecordID) {
			t.Errorf("alert id is not the deterministic hit id")
		}
	}
	for _, sc := range out.Screenings {
		wantHits := 0
		if _, ok := want[sc.SubjectID]; ok {
			wantHits = 1
		}
		if sc.Hits != wantHits || sc.SnapshotVersion != 9 || sc.Context.Flight != "AF1" {
			t.Errorf("screening %s = hits %d, version %d, flight %q; want %d, 9, AF1", sc.SubjectID, sc.Hits, sc.SnapshotVersion, sc.Context.Flight, wantHits)
		}
	}
	// Redelivery: same ids.
	again, err := s.Process(t.Context(), msg(1, "m"))
	if err != nil {
		t.Fatal(err)
	}
	for i := range again.Alerts {
		if again.Alerts[i].Hit.ID != out.Alerts[i].Hit.ID {
			t.Errorf("redelivery changed alert id %d", i)
		}
	}
	if _, err := s.Process(t.Context(), msg(2, "garbage")); !errors.Is(err, fault.ErrPoison) {
		t.Errorf("undecodable message = %v, want poison", err)
	}
}

// TestScreenerScreensLikeScreen checks that the Screener, which screens an event's subjects
// together, emits for a large manifest exactly what screening each traveller alone with
// Matcher.Screen gives: the same alerts in the same order, each screening's hit count and
// databases, and every traveller told to Seen once, in order. The travellers present listed
// documents (some with OCR noise, some two documents), resemble notices by name, or neither.
func TestScreenerScreensLikeScreen(t *testing.T) {
	t.Parallel()
	docs := watchlisttest.Documents(5000, 3)
	v := watchlisttest.NewNameVocabulary(2000, 1000, 4)
	people := watchlisttest.Persons(v, 2000, 5)
	snap := index.Build(4, &watchlist.Set{Documents: docs, Notices: people})
	store := &index.Store{}
	store.Swap(snap)
	r := rand.New(rand.NewPCG(6, 7))
	ocr := strings.NewReplacer("0", "O", "1", "I", "5", "S")
	man := &event.Manifest{ID: "M7", Carrier: "AF", Flight: "AF7", Country: "FRA"}
	for i, s := range watchlisttest.PersonSubjects(v, people, 300, 8) {
		p := *s.Person
		d := event.Document{Type: "P", Number: watchlisttest.DocumentNumber(r), Issuer: watchlisttest.Issuers[r.IntN(len(watchlisttest.Issuers))]}
		if i%4 == 0 {
			src := docs[r.IntN(len(docs))]
			d.Number, d.Issuer = src.Number, src.Issuer
			if r.IntN(3) == 0 {
				d.Number = ocr.Replace(d.Number)
			}
		}
		p.Documents = []event.Document{d}
		if i%7 == 0 {
			src := docs[r.IntN(len(docs))]
			p.Documents = append(p.Documents, event.Document{Type: "P", Number: src.Number, Issuer: src.Issuer})
		}
		man.Travellers = append(man.Travellers, event.Traveller{Role: event.RolePassenger, Person: p})
	}
	mt, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	s := &engine.Screener{
		Decoder: engine.DecoderFunc(func(*engine.Message) (engine.Event, error) {
			return engine.Event{ID: man.ID, Context: man.Context(), Subjects: man.Subjects()}, nil
		}),
		Store: store, Matcher: mt, Metrics: engine.NewMetrics(nil), Now: fixedNow,
		Seen: func(s *event.Subject, _ event.Context) { seen = append(seen, s.ID) },
	}
	out, err := s.Process(t.Context(), msg(1, "m"))
	if err != nil {
		t.Fatal(err)
	}

	subjects := man.Subjects()
	var wantAlerts []event.Alert
	var wantSeen []string
	dbs := map[event.Database]int{}
	if len(out.Screenings) != len(subjects) {
		t.Fatalf("screenings = %d, want one per traveller (%d)", len(out.Screenings), len(subjects))
	}
	for i := range subjects {
		subj := &subjects[i]
		hits := mt.Screen(snap, subj)
		var wantDBs []event.Database
		for _, h := range hits {
			dbs[h.Database]++
			wantAlerts = append(wantAlerts, event.Alert{Hit: h, Subject: *subj, Context: man.Context(), RaisedAt: fixedNow()})
			if !slices.Contains(wantDBs, h.Database) {
				wantDBs = append(wantDBs, h.Database)
			}
		}
		slices.Sort(wantDBs)
		sc := out.Screenings[i]
		if sc.SubjectID != subj.ID || sc.Hits != len(hits) || !slices.Equal(sc.Databases, wantDBs) {
			t.Errorf("screening %d = %s with %d hits on %v, want %s with %d on %v", i, sc.SubjectID, sc.Hits, sc.Databases, subj.ID, len(hits), wantDBs)
		}
		wantSeen = append(wantSeen, subj.ID)
	}
	if diff := cmp.Diff(wantAlerts, out.Alerts); diff != "" {
		t.Errorf("alerts differ from screening each traveller alone (-Screen +Screener):\n%s", diff)
	}
	if !slices.Equal(seen, wantSeen) {
		t.Errorf("Seen told of %d subjects (%v…), want each of the %d once, in order", len(seen), seen[:min(3, len(seen))], len(wantSeen))
	}
	if dbs[event.DBSLTD] < 50 || dbs[event.DBNotices] < 10 {
		t.Fatalf("hits by database %v: the manifest does not exercise document and name screening", dbs)
	}
}
