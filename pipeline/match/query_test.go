package match

import (
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestQuerySkeletonsFromIndex checks the skeletons findTerms takes from the index instead of
// computing them: for subjects whose names the index has and subjects with typos and names it
// lacks, every unit's skeleton term is the term of its computed skeleton (normalize.Skeleton),
// before fillSkeletons too, and its skeleton once filled is that skeleton.
func TestQuerySkeletonsFromIndex(t *testing.T) {
	t.Parallel()
	v := watchlisttest.NewNameVocabulary(2000, 500, 8)
	people := watchlisttest.Persons(v, 5000, 9)
	p := index.Build(1, &watchlist.Set{Notices: people}).Persons(event.DBNotices)
	subjects := watchlisttest.PersonSubjects(v, people, 2000, 10)
	subjects = append(subjects, &event.Subject{Kind: event.KindPerson, Person: &event.Person{Surname: "Иванофф", GivenNames: "QWXZ JEAN PIERRE", FullName: ""}})
	fromIndex, computed := 0, 0
	for _, s := range subjects {
		var sc index.BatchScratch
		q := prepareQuery(p, s.Person, &sc, new(personQuery))
		check := func(when string) {
			for i, u := range q.units {
				skel := normalize.Skeleton(u.Text)
				want := index.NoItem
				if term, ok := p.SkeletonTerm(skel); ok && skel != "" {
					want = term
				}
				if q.unitSkel[i] != want {
					t.Fatalf("subject %s, unit %d %s: skeleton term %d, want %d", s.ID, i, when, q.unitSkel[i], want)
				}
				if when == "filled" && u.Skel != skel {
					t.Fatalf("subject %s, unit %d: skeleton %q once filled, want %q", s.ID, i, u.Skel, skel)
				}
			}
		}
		check("before fillSkeletons")
		q.fillSkeletons(p)
		check("filled")
		for _, it := range q.unitItem {
			if it != index.NoItem {
				fromIndex++
			} else {
				computed++
			}
		}
	}
	if fromIndex == 0 || computed == 0 {
		t.Fatalf("%d units took their skeletons from the index, %d computed them: the test proves nothing", fromIndex, computed)
	}
}
