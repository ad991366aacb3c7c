package index

import (
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/watchpost/watchpost/pipeline/normalize"
)

// objTable indexes one object database (vehicles, vessels or firearms). Records live in one
// string arena as length-prefixed canonical fields; one open-addressing table of uint32
// slots holds, for every index key of every record, a hash tag and the record number. A
// lookup hashes the presented keys and collects the records whose slots carry the same tag:
// a superset of the records sharing a key (a tag collides with probability 2^-tagBits per
// probed slot). The matcher scores each candidate on its fields, which verifies it.
type objTable struct {
	arena   string
	off     []uint32 // record i is arena[off[i]:off[i+1]] (the last ends at len(arena))
	slots   []uint32 // tag<<refBits | (record + 1); 0 is empty
	refBits uint
	keys    int
}

// Limits of the object layout. A record beyond them is skipped (and counted).
const (
	maxObjField   = 255     // bytes of one canonical field
	maxObjList    = 255     // entries of one list field (part or engine serials)
	maxObjRecords = 1 << 28 // records per database, so that a slot keeps at least 4 tag bits
	maxObjArena   = 1<<32 - 1
)

// objEncoder builds one record's encoding and keys. Fields are appended in a fixed order per
// database; keys are a kind byte followed by the folded key text.
type objEncoder struct {
	buf  []byte
	keys []uint64
	bad  bool
}

func (e *objEncoder) field(s string) {
	if len(s) > maxObjField {
		e.bad = true
		return
	}
	e.buf = append(e.buf, byte(len(s)))
	e.buf = append(e.buf, s...)
}

func (e *objEncoder) list(xs []string) {
	if len(xs) > maxObjList {
		e.bad = true
		return
	}
	e.buf = append(e.buf, byte(len(xs)))
	for _, x := range xs {
		e.field(x)
	}
}

func (e *objEncoder) key(kind byte, folded string) { e.keys = append(e.keys, hashObjKey(kind, folded)) }

// objReader decodes the fields of one record in the order they were encoded.
type objReader struct{ s string }

func (r *objReader) field() string {
	n := int(r.s[0])
	f := r.s[1 : 1+n]
	r.s = r.s[1+n:]
	return f
}

func (r *objReader) list() []string {
	n := int(r.s[0])
	r.s = r.s[1:]
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = r.field()
	}
	return out
}

// hashObjKey hashes an index key: its kind and folded text (a string, or bytes built in a
// buffer, which then need no conversion).
func hashObjKey[T string | []byte](kind byte, folded T) uint64 {
	const offset, prime = 14695981039346656037, 1099511628211 // FNV-1a, 64 bits
	h := uint64(offset)
	h ^= uint64(kind)
	h *= prime
	for i := 0; i < len(folded); i++ {
		h ^= uint64(folded[i])
		h *= prime
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// objChunk is the result of encoding one slice of the input in parallel.
type objChunk struct {
	arena   []byte
	off     []uint32 // per kept record, relative to the chunk's arena
	keyEnds []uint32 // per kept record, end of its keys in hashes
	hashes  []uint64
	skipped int
}

// buildObjTable indexes n records. encode fills e with record i's fields and keys and
// returns false when the record is invalid; e.bad marks a field over the layout limits.
// Records keep their input order. It returns the table and how many records it skipped.
func buildObjTable(n int, encode func(i int, e *objEncoder) bool) (*objTable, int) {
	workers := 1
	if n >= 4096 {
		workers = max(1, min(64, n/4096))
	}
	chunks := make([]objChunk, workers)
	size := (n + workers - 1) / max(workers, 1)
	eachParallel(workers, func(w int) {
		c := &chunks[w]
		var e objEncoder
		for i := w * size; i < min(n, (w+1)*size); i++ {
			e.buf, e.keys, e.bad = e.buf[:0], e.keys[:0], false
			if !encode(i, &e) || e.bad {
				c.skipped++
				continue
			}
			c.off = append(c.off, uint32(len(c.arena)))
			c.arena = append(c.arena, e.buf...)
			c.hashes = append(c.hashes, e.keys...)
			c.keyEnds = append(c.keyEnds, uint32(len(c.hashes)))
		}
	})

	t := &objTable{}
	skipped, total, arenaLen := 0, 0, 0
	for i := range chunks {
		c := &chunks[i]
		skipped += c.skipped
		keep := len(c.off)
		if total+keep >= maxObjRecords || arenaLen+len(c.arena) > maxObjArena {
			skipped += keep
			c.off = nil
			continue
		}
		total += keep
		arenaLen += len(c.arena)
		t.keys += len(c.hashes)
	}
	var b strings.Builder
	b.Grow(arenaLen)
	t.off = make([]uint32, 0, total)
	for i := range chunks {
		c := &chunks[i]
		if c.off == nil {
			continue
		}
		base := uint32(b.Len())
		for _, o := range c.off {
			t.off = append(t.off, base+o)
		}
		b.Write(c.arena)
	}
	t.arena = b.String()

	t.refBits = uint(bits.Len(uint(total)))
	if t.keys == 0 {
		return t, skipped
	}
	t.slots = make([]uint32, 1<<bits.Len(uint(t.keys*4/3)))
	mask := uint64(len(t.slots) - 1)
	rec := uint32(0)
	for i := range chunks {
		c := &chunks[i]
		if c.off == nil {
			continue
		}
		start := uint32(0)
		for _, end := range c.keyEnds {
			rec++ // stored as record + 1
			for _, h := range c.hashes[start:end] {
				slot := h & mask
				for t.slots[slot] != 0 {
					slot = (slot + 1) & mask
				}
				t.slots[slot] = t.tag(h) | rec
			}
			start = end
		}
		chunks[i] = objChunk{} // free as we go
	}
	return t, skipped
}

// tag is the high bits of h above the record bits.
func (t *objTable) tag(h uint64) uint32 {
	if t.refBits >= 32 {
		return 0
	}
	return uint32(h>>(32+t.refBits)) << t.refBits
}

// lookup appends to dst the record of every slot whose tag matches key hash h.
func (t *objTable) lookup(h uint64, dst []uint32) []uint32 {
	if len(t.slots) == 0 {
		return dst
	}
	mask := uint64(len(t.slots) - 1)
	tag := t.tag(h)
	refMask := uint32(1)<<t.refBits - 1
	for slot := h & mask; t.slots[slot] != 0; slot = (slot + 1) & mask {
		if v := t.slots[slot]; v&^refMask == tag {
			dst = append(dst, v&refMask-1)
		}
	}
	return dst
}

// lookupAll is lookup for every key hash of hs. It reads the home slots of up to 16 keys
// before it probes any of them: independent loads that the processor overlaps, so that a
// batch of probes into a table larger than the caches costs about one memory latency rather
// than one per key. A key whose home slot is empty has no record.
func (t *objTable) lookupAll(hs []uint64, dst []uint32) []uint32 {
	if len(t.slots) == 0 {
		return dst
	}
	mask := uint64(len(t.slots) - 1)
	var home [16]uint32
	for len(hs) > 0 {
		batch := hs[:min(len(hs), len(home))]
		for i, h := range batch {
			home[i] = t.slots[h&mask]
		}
		for i, h := range batch {
			if home[i] != 0 {
				dst = t.lookup(h, dst)
			}
		}
		hs = hs[len(batch):]
	}
	return dst
}

// finish sorts the candidates appended since first and drops repeats.
func finish(dst []uint32, first int) []uint32 {
	if len(dst)-first <= 1 {
		return dst
	}
	slices.Sort(dst[first:])
	return dst[:first+len(slices.Compact(dst[first:]))]
}

// record returns the encoded fields of record i.
func (t *objTable) record(i uint32) objReader {
	end := len(t.arena)
	if int(i)+1 < len(t.off) {
		end = int(t.off[i+1])
	}
	return objReader{s: t.arena[t.off[i]:end]}
}

func (t *objTable) count() int {
	if t == nil {
		return 0
	}
	return len(t.off)
}

// bytes is the memory the table holds.
func (t *objTable) bytes() int {
	if t == nil {
		return 0
	}
	return len(t.arena) + 4*cap(t.off) + 4*cap(t.slots)
}

// ocrFold applies normalize.OCRFoldByte to every byte of a canonical value.
func ocrFold(s string) string { return foldWith(s, normalize.OCRFoldByte) }

// vinFold applies VINFoldByte to every byte of a canonical value.
func vinFold(s string) string { return foldWith(s, VINFoldByte) }

func foldWith(s string, f func(byte) byte) string {
	for i := 0; i < len(s); i++ {
		if f(s[i]) != s[i] {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				b[j] = f(b[j])
			}
			return string(b)
		}
	}
	return s
}

// eachParallel calls fn(i) for every i in [0, n) on up to GOMAXPROCS goroutines.
func eachParallel(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}
