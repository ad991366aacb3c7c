package match

import (
	"math/rand/v2"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// TestScreenBatchEqualsScreen checks that ScreenBatch returns, for every subject of a batch,
// exactly what Screen returns for it: on random watchlists of every database, batches mixing
// persons with no, one or several documents (listed, OCR noise, ranges, TDAWN), vehicles,
// vessels and firearms, at the default thresholds, at low ones and with a cap on the hits per
// database; and for a nil snapshot and an empty batch.
func TestScreenBatchEqualsScreen(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name      string
		threshold float64
		maxHits   int
	}{{"default", 0, 0}, {"low", 0.5, 1 << 20}, {"capped", 0.3, 1}} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			m := matcherWith(t, c.threshold, c.maxHits)
			r := rand.New(rand.NewPCG(21, uint64(len(c.name))))
			docHits, withDocs := 0, 0
			for round := range 8 {
				set := randSet(r, 20+r.IntN(150), 20+r.IntN(100))
				addLinkedDatabases(r, set)
				objs := randObjectSet(r, 20+r.IntN(100))
				set.Vehicles, set.Vessels, set.Firearms = objs.Vehicles, objs.Vessels, objs.Firearms
				snap := index.Build(uint64(round), set)
				for range 6 {
					batch := make([]event.Subject, r.IntN(90))
					for i := range batch {
						if r.IntN(4) == 0 {
							batch[i] = *randObjectSubject(r, set, i)
							continue
						}
						s := randSubject(r, set, i)
						if len(set.TDAWN) > 0 && r.IntN(3) == 0 {
							src := pick(r, set.TDAWN)
							s.Person.Documents = append(s.Person.Documents, event.Document{Number: garble(r, src.Number, false), Issuer: src.Issuer, Type: "P"})
						}
						if len(s.Person.Documents) > 0 {
							withDocs++
						}
						batch[i] = *s
					}
					got := m.ScreenBatch(snap, batch)
					if len(got) != len(batch) {
						t.Fatalf("round %d: %d results for %d subjects", round, len(got), len(batch))
					}
					for i := range batch {
						want := m.Screen(snap, &batch[i])
						if diff := cmp.Diff(want, got[i]); diff != "" {
							t.Fatalf("round %d subject %d (%+v): ScreenBatch differs from Screen (-screen +batch):\n%s", round, i, batch[i], diff)
						}
						for _, h := range want {
							if h.Database == event.DBSLTD || h.Database == event.DBTDAWN {
								docHits++
							}
						}
					}
				}
			}
			if docHits < 50 || withDocs < 200 {
				t.Fatalf("%d document hits of %d subjects with documents: the test does not exercise the batch", docHits, withDocs)
			}
		})
	}
	m := matcherWith(t, 0, 0)
	if got := m.ScreenBatch(nil, make([]event.Subject, 3)); len(got) != 3 || got[0] != nil {
		t.Errorf("nil snapshot: %v", got)
	}
	if got := m.ScreenBatch(index.Build(1, nil), nil); len(got) != 0 {
		t.Errorf("empty batch: %v", got)
	}
}

// matcherWith returns a matcher of the default config with every threshold set to threshold
// and at most maxHits hits per database, where they are not 0.
func matcherWith(t *testing.T, threshold float64, maxHits int) *Matcher {
	t.Helper()
	cfg := DefaultConfig()
	for db := range cfg.Thresholds {
		if threshold > 0 {
			cfg.Thresholds[db] = threshold
		}
	}
	if maxHits > 0 {
		cfg.MaxHitsPerDatabase = maxHits
	}
	m, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m
}
