package index

import (
	"fmt"
	"os"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

func TestDiagPairs(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip()
	}
	n := 1_000_000
	v := watchlisttest.NewNameVocabulary(n/5, n/50, 1)
	people := watchlisttest.Persons(v, n, 2)
	snap := Build(1, &watchlist.Set{Notices: people})
	p := snap.persons[event.DBNotices]
	d := &p.pairs
	keys, big, inBig := 0, 0, 0
	var hist [8]int
	for b := 0; b+1 < len(d.dir); b++ {
		lo, hi := d.dir[b], d.dir[b+1]
		k := 0
		for i := lo; i < hi; i++ {
			if i == lo || d.ent[i].fp != d.ent[i-1].fp {
				k++
			}
		}
		keys += k
		if hi-lo > 64 {
			big++
			inBig += int(hi - lo)
		}
		if k < 8 {
			hist[k]++
		} else {
			hist[7]++
		}
	}
	fmt.Println("pair entries", len(d.ent), "dir", len(d.dir), "distinct keys", keys, "buckets>64 entries", big, "entries in them", inBig, "keys per bucket hist", hist)
	fmt.Println("post", len(p.post), "groups", len(p.groupKey), "sigs words", len(p.sigs), "terms", len(p.terms), "items", len(p.itemJoined), "recs", len(p.recs), "bytes/person", p.bytes()/n)
}
