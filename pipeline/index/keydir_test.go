package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestKeyDirFindsEveryValue checks keyDir against a map: every hash finds exactly the values
// stored under it, in buckets small and large (the search within a bucket halves large ones),
// and an absent hash finds nothing.
func TestKeyDirFindsEveryValue(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(3, 4))
	for _, perBucket := range []int{1, 2, 8, 64, 512} {
		want := map[uint64][]uint32{}
		var kv []keyVal
		for range 5000 {
			h := r.Uint64()
			for v := range 1 + r.IntN(4) {
				want[h] = append(want[h], uint32(v)*7+uint32(h))
				kv = append(kv, keyVal{h, uint32(v)*7 + uint32(h)})
			}
		}
		r.Shuffle(len(kv), func(i, j int) { kv[i], kv[j] = kv[j], kv[i] })
		d := buildKeyDir(kv, perBucket)
		for h, vals := range want {
			var got []uint32
			for _, e := range d.find(h) {
				got = append(got, e.val)
			}
			slices.Sort(got)
			slices.Sort(vals)
			if !slices.Equal(got, vals) {
				t.Fatalf("%d values a bucket: find(%#x) = %v, want %v", perBucket, h, got, vals)
			}
		}
		for range 1000 {
			if h := r.Uint64(); want[h] == nil && len(d.find(h)) != 0 {
				t.Fatalf("%d values a bucket: find(%#x) of an absent hash = %v", perBucket, h, d.find(h))
			}
		}
	}
}
