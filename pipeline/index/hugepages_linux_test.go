package index

import (
	"runtime"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// TestHugePagesReleased checks that a person table large enough for huge pages has its
// advice withdrawn once no snapshot holds it, so that its memory returns to the heap without
// it.
func TestHugePagesReleased(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 200 k-person index")
	}
	v := watchlisttest.NewNameVocabulary(40_000, 4_000, 1)
	people := watchlisttest.Persons(v, 200_000, 2)
	// Earlier tests' tables first, so that only this one's regions count below.
	for range 3 {
		runtime.GC()
		time.Sleep(50 * time.Millisecond)
	}
	before := hugeReleased.Load()
	snap := Build(1, &watchlist.Set{Notices: people})
	if snap.PersonCount(event.DBNotices) != len(people) {
		t.Fatalf("indexed %d persons, want %d", snap.PersonCount(event.DBNotices), len(people))
	}
	n := snap.persons[event.DBNotices].hugeRegions
	if n == 0 {
		t.Skip("this kernel gives no huge pages (MADV_HUGEPAGE refused)")
	}
	snap = nil
	deadline := time.Now().Add(20 * time.Second)
	for hugeReleased.Load() < before+int64(n) {
		if time.Now().After(deadline) {
			t.Fatal("the advice on the dropped index's regions was not withdrawn")
		}
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
}
