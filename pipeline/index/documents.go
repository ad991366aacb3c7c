package index

import (
	"iter"
	"maps"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// DocRef addresses one record of a document table: the shard in the low bits, the record's
// position within its shard above them. It is only meaningful with the snapshot it came from.
type DocRef uint32

// MatchKind is how a document lookup matched a record.
type MatchKind uint8

const (
	// MatchExact: same issuer and canonical number.
	MatchExact MatchKind = iota + 1
	// MatchOCR: same issuer; the numbers differ only by OCR-confusable characters.
	MatchOCR
	// MatchRange: same issuer; the number lies in the record's reported range.
	MatchRange
	// MatchRangeOCR: as MatchRange once OCR-confusable characters are folded.
	MatchRangeOCR
)

// String names the kind for reasons and tests.
func (k MatchKind) String() string {
	switch k {
	case MatchExact:
		return "exact"
	case MatchOCR:
		return "ocr"
	case MatchRange:
		return "range"
	case MatchRangeOCR:
		return "range-ocr"
	default:
		return "none"
	}
}

// DocumentMatch is one record found by LookupDocument.
type DocumentMatch struct {
	Ref  DocRef
	Kind MatchKind
}

// DocumentRecord is an indexed document record, as stored: canonical number (and range end),
// normalised issuer, type and owner; for TDAWN, the notice the document is associated with.
type DocumentRecord struct {
	ID       string
	Number   string                   // DocNumber canonical form; the first number of a range
	NumberTo string                   // DocNumber canonical form of a range's last number; empty for one document
	Type     string                   // upper-case ICAO document code, at most two characters; empty when unknown
	Issuer   string                   // ISO 3166 alpha-3
	Status   watchlist.DocumentStatus // SLTD only
	Owner    string
	// NoticeID is the notice a TDAWN document is associated with (empty when not given), and
	// NoticeType that notice's type when the notice is in the same snapshot (empty when not).
	NoticeID   string
	NoticeType watchlist.NoticeType
}

// Limits of the compact record layout. A record beyond them is skipped (and counted).
const (
	maxDocNumberLen = 63
	maxDocTypes     = 1 << 11
	maxDocOwners    = 1 << 10
	maxRangeSuffix  = 18 // digits of a range's numeric suffix; fits a uint64
	slotRefBits     = 24 // bits of a table slot holding local index + 1; the rest is a hash tag
	slotRefMask     = 1<<slotRefBits - 1
)

var statuses = []watchlist.DocumentStatus{"", watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusStolenBlank, watchlist.StatusRevoked, watchlist.StatusInvalidated}

// meta packs a record's small fields into 32 bits:
// numLen 6 | status 3 | range 1 | type 11 | owner 10 (high to low: owner in the low bits).
type meta uint32

func packMeta(numLen, status int, isRange bool, typ, owner int) meta {
	m := uint32(numLen)<<25 | uint32(status)<<22 | uint32(typ)<<10 | uint32(owner)
	if isRange {
		m |= 1 << 21
	}
	return meta(m)
}

func (m meta) numLen() int   { return int(m >> 25) }
func (m meta) status() int   { return int(m>>22) & 7 }
func (m meta) isRange() bool { return m&(1<<21) != 0 }
func (m meta) typ() int      { return int(m>>10) & (maxDocTypes - 1) }
func (m meta) owner() int    { return int(m) & (maxDocOwners - 1) }

// docShard holds the records whose key hashes to it. Record i occupies
// arena[recs[i].off:recs[i+1].off] (the last ends at len(arena)): issuer (3 bytes), number
// (numLen bytes), for a range the last number (numLen bytes), then the id.
type docShard struct {
	arena string
	recs  []docRec // per record: arena offset and meta, side by side (one cache line for both)
	table []uint32 // open addressing, linear probing: tag<<24 | (local index + 1); 0 is empty
	link  []uint32 // TDAWN only: per record, index into docTable.links; nil for SLTD
}

// docRec locates one record of a shard: its start in the arena and its packed fields.
type docRec struct {
	off  uint32
	meta meta
}

// docRange is one reported range, searched by binary search on from within its group.
type docRange struct {
	from, to uint64
	// subMax is the largest to in this range's subtree of the group's implicit interval tree:
	// the group, sorted by from, read as a balanced binary search tree whose root over
	// [lo, hi) is (lo+hi)/2.
	subMax uint64
	ref    DocRef
	prefix string // canonical (unfolded) prefix before the numeric suffix
}

// rangeGroup is one group of reported ranges (see docTable).
type rangeGroup struct {
	hash           uint64
	keyOff, lo, hi uint32
	keyLen         uint32
}

// docTable indexes one document database.
type docTable struct {
	shardBits uint
	shards    []docShard
	types     []string
	owners    []string
	n         int
	// Reported ranges are grouped by issuer + OCR-folded prefix + suffix length (the group's
	// key, rangeKey). rangeTab finds a group by rangeGroupHash: open addressing, linear
	// probing, group number + 1 (0 is empty), at most half full. A group's key is
	// groupKeys[keyOff:keyOff+keyLen] and its ranges rangeList[lo:hi], sorted by from. Flat
	// arrays, not a map of slices: the few hundred kilobytes stay in cache.
	rangeTab  []uint32
	groups    []rangeGroup
	rangeList []docRange
	groupKeys string
	// rangeFilter is a Bloom filter over the (group, bucket) pairs the ranges cover, buckets
	// being the numeric suffix shifted right by rangeShift (see rangeFilterKey): it answers,
	// from a few kilobytes that stay in cache, that a group holds no range around a number,
	// as it does for nearly every number, without reading the group. A range wider than
	// maxRangeBuckets buckets is marked once, for its group (rangeWideBucket), and rangeWide
	// tells that some are.
	rangeFilter []uint64
	rangeShift  uint8
	rangeWide   bool
	// rangeLens has, per issuer (issuerCode), bit l set when the issuer has ranges with an
	// l-digit numeric suffix; nil when the table has no ranges. An array, not a map: most
	// lookups stop here, and must not pay for hashing a string.
	rangeLens []uint32
	// filter is a blocked Bloom filter over the keys of the single-document records: most
	// numbers presented are not listed, and the filter (about filterBitsPerKey bits per
	// record, one cache line per key) answers for them without touching the hash tables.
	filter []uint64
	// links interns the notice ids of a linked table (TDAWN); linkTypes holds each one's
	// notice type when the notice is in the snapshot. Index 0 is "no notice".
	links     []string
	linkTypes []watchlist.NoticeType
}

// docLinks links the records of a document table to notices: noticeIDs[i] is input record
// i's notice id, and types gives the type of each notice present in the snapshot.
type docLinks struct {
	noticeIDs []string
	types     map[string]watchlist.NoticeType
}

// prepared is the per-input result of the parallel first build pass.
type prepared struct {
	hash  uint64
	meta  meta
	valid bool
}

func docTypeCode(s string) string {
	t := normalize.DocNumber(s)
	if len(t) > 2 {
		t = t[:2]
	}
	return t
}

// splitRange reports the numeric suffix of a canonical range: the trailing digits of from (at
// most maxRangeSuffix), which to must share the prefix of and have digits in place of, with
// from ≤ to. ok is false for a malformed range.
func splitRange(from, to string) (prefixLen int, lo, hi uint64, ok bool) {
	if len(from) != len(to) || from == to {
		return 0, 0, 0, false
	}
	l := 0
	for l < len(from) && l < maxRangeSuffix && isDigit(from[len(from)-1-l]) {
		l++
	}
	p := len(from) - l
	if l == 0 || from[:p] != to[:p] {
		return 0, 0, 0, false
	}
	lo, ok1 := parseDigits(from[p:])
	hi, ok2 := parseDigits(to[p:])
	if !ok1 || !ok2 || lo > hi {
		return 0, 0, 0, false
	}
	return p, lo, hi, true
}

// MaxDocumentNumberLen is the longest canonical document number Build indexes.
const MaxDocumentNumberLen = maxDocNumberLen

// DocumentNumberLen is the length of a document number's canonical form (normalize.DocNumber).
func DocumentNumberLen(number string) int { return len(normalize.DocNumber(number)) }

// DocumentRangeValid reports whether a record's number and number_to (raw, as contributed)
// form a range Build indexes: the same length and prefix once canonical, a numeric suffix of
// at most 18 digits, number before number_to. An empty number_to, or one equal to the number,
// is a single document and valid.
func DocumentRangeValid(number, numberTo string) bool {
	from, to := normalize.DocNumber(number), normalize.DocNumber(numberTo)
	if to == "" || to == from {
		return true
	}
	_, _, _, ok := splitRange(from, to)
	return ok
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func parseDigits[T string | []byte](s T) (uint64, bool) {
	if len(s) == 0 || len(s) > maxRangeSuffix {
		return 0, false
	}
	var n uint64
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
		n = n*10 + uint64(s[i]-'0')
	}
	return n, true
}

// hashDocKey hashes an issuer and an OCR-folded number (or any key bytes, with an empty
// issuer), eight bytes at a time, then finalises with the murmur3 mixer. Every bit of the
// result depends on every input byte; the issuer and the length separate the fields.
func hashDocKey[T string | []byte](issuer string, folded T) uint64 {
	const k = 0x9e3779b97f4a7c15
	h := uint64(len(folded))<<32 ^ 0x7c3a1e5d
	for i := 0; i < len(issuer); i++ {
		h = h<<8 | uint64(issuer[i])
	}
	h *= k
	i := 0
	for ; i+8 <= len(folded); i += 8 {
		w := uint64(folded[i]) | uint64(folded[i+1])<<8 | uint64(folded[i+2])<<16 | uint64(folded[i+3])<<24 |
			uint64(folded[i+4])<<32 | uint64(folded[i+5])<<40 | uint64(folded[i+6])<<48 | uint64(folded[i+7])<<56
		h = (h ^ w) * k
		h ^= h >> 29
	}
	if i < len(folded) {
		var w uint64
		for j := len(folded) - 1; j >= i; j-- {
			w = w<<8 | uint64(folded[j])
		}
		h = (h ^ w) * k
		h ^= h >> 29
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// issuerCode numbers a valid issuer (three letters A-Z) from 0 to 26³-1.
func issuerCode(s string) int {
	return int(s[0]-'A')*26*26 + int(s[1]-'A')*26 + int(s[2]-'A')
}

func validIssuer(s string) bool {
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

// buildDocTable indexes docs. links is nil for SLTD, whose records are validated here; a
// linked table (TDAWN) gets records validated by the caller. It returns the table and how
// many records it skipped.
func buildDocTable(docs []watchlist.Document, links *docLinks) (*docTable, int) {
	n := len(docs)
	t := &docTable{shardBits: 6}
	for (n >> t.shardBits) > 1<<22 {
		t.shardBits++
	}
	nShards := 1 << t.shardBits

	// Pass 1 (parallel): validate, canonicalise, hash.
	prep := make([]prepared, n)
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := &docs[i]
			if links == nil && d.Validate() != nil {
				continue
			}
			num, issuer := normalize.DocNumber(d.Number), normalize.Country(d.Issuer)
			if num == "" || len(num) > maxDocNumberLen || !validIssuer(issuer) {
				continue
			}
			isRange := false
			if to := normalize.DocNumber(d.NumberTo); to != "" && to != num {
				if _, _, _, ok := splitRange(num, to); !ok {
					continue
				}
				isRange = true
			}
			prep[i] = prepared{
				hash:  hashDocKey(issuer, normalize.DocNumberOCR(num)),
				meta:  packMeta(len(num), slices.Index(statuses, d.Status), isRange, 0, 0),
				valid: true,
			}
		}
	})

	// Pass 2 (sequential): intern types and owners; group inputs by shard (counting sort,
	// stable, so records keep input order within a shard).
	typeIdx, ownerIdx := map[string]int{"": 0}, map[string]int{"": 0}
	t.types, t.owners = []string{""}, []string{""}
	var linkOf []uint32
	if links != nil {
		linkOf = make([]uint32, n)
		t.links, t.linkTypes = []string{""}, []watchlist.NoticeType{""}
	}
	linkIdx := map[string]int{"": 0}
	skipped := 0
	counts := make([]int, nShards+1)
	for i := range prep {
		p := &prep[i]
		if !p.valid {
			skipped++
			continue
		}
		typ, ok := intern(typeIdx, &t.types, docTypeCode(docs[i].Type), maxDocTypes)
		own, ok2 := intern(ownerIdx, &t.owners, normalize.Country(docs[i].Owner), maxDocOwners)
		if !ok || !ok2 {
			p.valid = false
			skipped++
			continue
		}
		p.meta |= meta(typ<<10 | own)
		if links != nil {
			id := links.noticeIDs[i]
			l, ok := linkIdx[id]
			if !ok {
				l = len(t.links)
				linkIdx[id] = l
				t.links = append(t.links, id)
				t.linkTypes = append(t.linkTypes, links.types[id])
			}
			linkOf[i] = uint32(l)
		}
		counts[p.hash&uint64(nShards-1)+1]++
	}
	for s := 1; s <= nShards; s++ {
		counts[s] += counts[s-1]
	}
	order := make([]uint32, counts[nShards])
	next := slices.Clone(counts[:nShards])
	for i := range prep {
		if prep[i].valid {
			s := prep[i].hash & uint64(nShards-1)
			order[next[s]] = uint32(i)
			next[s]++
		}
	}
	t.n = len(order)

	// Pass 3 (parallel over shards): arenas, hash tables and the filter.
	t.shards = make([]docShard, nShards)
	// A power of two of blocks, the nearest to filterBitsPerKey bits per key (between 2/3 and
	// 4/3 of it): small enough to stay in cache as long as possible.
	t.filter = make([]uint64, filterBlockWords<<bits.Len(uint(t.n*filterBitsPerKey/(filterBlockWords*64)*2/3)))
	eachParallel(nShards, func(s int) {
		t.shards[s] = buildShard(docs, prep, linkOf, order[counts[s]:counts[s+1]], t.shardBits)
		for _, i := range order[counts[s]:counts[s+1]] {
			if !prep[i].meta.isRange() {
				t.filterAdd(prep[i].hash)
			}
		}
	})

	// Pass 4: ranges, grouped, each group sorted by from; the groups in key order.
	byKey := map[string][]docRange{}
	for s := range t.shards {
		sh := &t.shards[s]
		for local, rec := range sh.recs {
			m := rec.meta
			if !m.isRange() {
				continue
			}
			ref := DocRef(local<<t.shardBits | s)
			rec := t.record(ref)
			p, lo, hi, _ := splitRange(rec.Number, rec.NumberTo)
			key := rangeKey(rec.Issuer, normalize.DocNumberOCR(rec.Number[:p]), len(rec.Number)-p)
			byKey[key] = append(byKey[key], docRange{from: lo, to: hi, ref: ref, prefix: rec.Number[:p]})
			if t.rangeLens == nil {
				t.rangeLens = make([]uint32, 26*26*26)
			}
			t.rangeLens[issuerCode(rec.Issuer)] |= 1 << (len(rec.Number) - p)
		}
	}
	if len(byKey) > 0 {
		t.buildRanges(byKey)
	}
	return t, skipped
}

// buildRanges lays the range groups out flat (see docTable) and indexes them.
func (t *docTable) buildRanges(byKey map[string][]docRange) {
	keys := slices.Sorted(maps.Keys(byKey))
	var kb strings.Builder
	total := 0
	for _, g := range byKey {
		total += len(g)
	}
	t.groups, t.rangeList = make([]rangeGroup, 0, len(keys)), make([]docRange, 0, total)
	for _, key := range keys {
		g := byKey[key]
		slices.SortFunc(g, func(a, b docRange) int {
			if c := cmpU64(a.from, b.from); c != 0 {
				return c
			}
			return cmpU64(uint64(a.ref), uint64(b.ref))
		})
		fillSubMax(g, 0, len(g))
		// The key is issuer, folded prefix, '|', suffix length (rangeKey).
		issuer, prefix, suffixLen := key[:3], key[3:len(key)-2], int(key[len(key)-1]-'0')
		t.groups = append(t.groups, rangeGroup{hash: rangeGroupHash(issuer, prefix, suffixLen),
			keyOff: uint32(kb.Len()), keyLen: uint32(len(key)), lo: uint32(len(t.rangeList)), hi: uint32(len(t.rangeList) + len(g))})
		kb.WriteString(key)
		t.rangeList = append(t.rangeList, g...)
	}
	t.groupKeys = kb.String()
	t.rangeTab = make([]uint32, 1<<bits.Len(uint(2*len(t.groups))))
	mask := uint64(len(t.rangeTab) - 1)
	for i := range t.groups {
		slot := t.groups[i].hash & mask
		for t.rangeTab[slot] != 0 {
			slot = (slot + 1) & mask
		}
		t.rangeTab[slot] = uint32(i + 1)
	}
	t.buildRangeFilter()
}

// Range filter geometry (see docTable.rangeFilter): about rangeFilterBitsPerMark bits per
// mark, two bits of one word per mark (about 1.5% of absent marks pass).
const (
	rangeFilterBitsPerMark = 16
	maxRangeBuckets        = 64
	rangeWideBucket        = ^uint64(0) // beyond any suffix >> rangeShift
)

// buildRangeFilter sizes the buckets so that the median range spans one or two, then marks
// every range's buckets in rangeFilter.
func (t *docTable) buildRangeFilter() {
	lens := make([]uint64, len(t.rangeList))
	for i, r := range t.rangeList {
		lens[i] = r.to - r.from
	}
	slices.Sort(lens)
	t.rangeShift = uint8(bits.Len64(lens[len(lens)/2]))
	marks := 0
	for _, r := range t.rangeList {
		lo, hi, wide := t.rangeBuckets(r)
		marks += int(hi - lo + 1)
		if wide {
			marks++
		}
	}
	t.rangeFilter = make([]uint64, 1<<bits.Len(uint(marks*rangeFilterBitsPerMark/64)))
	for _, g := range t.groups {
		for _, r := range t.rangeList[g.lo:g.hi] {
			lo, hi, wide := t.rangeBuckets(r)
			if wide {
				t.rangeWide = true
				t.rangeFilterAdd(rangeFilterKey(g.hash, rangeWideBucket))
			}
			for b := lo; b <= hi; b++ { // none when wide
				t.rangeFilterAdd(rangeFilterKey(g.hash, b))
			}
		}
	}
}

// rangeBuckets returns the first and last range filter buckets of r, or wide when it spans
// more than maxRangeBuckets (then r is marked with rangeWideBucket alone, and hi+1 == lo).
func (t *docTable) rangeBuckets(r docRange) (lo, hi uint64, wide bool) {
	lo, hi = r.from>>t.rangeShift, r.to>>t.rangeShift
	if hi-lo >= maxRangeBuckets {
		return 1, 0, true
	}
	return lo, hi, false
}

// rangeFilterKey mixes a range group's hash (rangeGroupHash) with a bucket.
func rangeFilterKey(group, bucket uint64) uint64 {
	return fmix(group ^ bucket*0x9e3779b97f4a7c15)
}

func (t *docTable) rangeFilterAdd(k uint64) {
	t.rangeFilter[k&uint64(len(t.rangeFilter)-1)] |= 1<<(k>>58) | 1<<(k>>52&63)
}

func (t *docTable) rangeFilterHas(k uint64) bool {
	m := uint64(1)<<(k>>58) | 1<<(k>>52&63)
	return t.rangeFilter[k&uint64(len(t.rangeFilter)-1)]&m == m
}

// rangeMaybe reports whether the group whose rangeGroupHash is group may hold a range around
// suffix n: false means that it holds none.
func (t *docTable) rangeMaybe(group, n uint64) bool {
	return t.rangeFilterHas(rangeFilterKey(group, n>>t.rangeShift)) ||
		t.rangeWide && t.rangeFilterHas(rangeFilterKey(group, rangeWideBucket))
}

// rangeGroupFrom returns the ranges of the group of issuer, OCR-folded prefix and suffix
// length, whose rangeGroupHash is h; none when there is no such group. v is the value of h's
// first rangeTab slot (not 0) and g the group it points to, read.
func (t *docTable) rangeGroupFrom(h uint64, v uint32, g *rangeGroup, issuer string, foldedPrefix []byte, suffixLen int) []docRange {
	mask := uint64(len(t.rangeTab) - 1)
	for slot := h & mask; v != 0; {
		if g.hash == h {
			var kb [maxDocNumberLen + 8]byte
			if string(appendRangeKey(kb[:0], issuer, foldedPrefix, suffixLen)) == t.groupKeys[g.keyOff:g.keyOff+g.keyLen] {
				return t.rangeList[g.lo:g.hi]
			}
		}
		slot = (slot + 1) & mask
		if v = t.rangeTab[slot]; v != 0 {
			g = &t.groups[v-1]
		}
	}
	return nil
}

// fillSubMax sets subMax over g[lo:hi] and returns the largest to there.
func fillSubMax(g []docRange, lo, hi int) uint64 {
	if lo >= hi {
		return 0
	}
	mid := int(uint(lo+hi) >> 1)
	m := max(g[mid].to, fillSubMax(g, lo, mid), fillSubMax(g, mid+1, hi))
	g[mid].subMax = m
	return m
}

// stab appends to dst the index of every range of g[lo:hi] containing n, in ascending
// order: a subtree whose ranges all end before n is pruned, and so is everything right of a
// range starting after n. O(log len(g) + k) for k results when ranges rarely nest, and never
// a walk over ranges that cannot contain n.
func stab(g []docRange, lo, hi int, n uint64, dst []int32) []int32 {
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if g[mid].subMax < n {
			return dst
		}
		dst = stab(g, lo, mid, n, dst)
		if g[mid].from > n {
			return dst
		}
		if g[mid].to >= n {
			dst = append(dst, int32(mid))
		}
		lo = mid + 1
	}
	return dst
}

func cmpU64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// Blocked Bloom filter geometry: a key sets filterHashes bits in one block of
// filterBlockWords words (one 64-byte cache line). At 8 bits per key about 2.5% of absent
// keys pass, at 5.3 about 10%.
const (
	filterBitsPerKey = 8
	filterBlockWords = 8
	filterHashes     = 4
)

// filterSlots derives a key's block and bit positions from its hash, remixed so that they do
// not follow the shard and slot bits.
func (t *docTable) filterSlots(h uint64) (block int, b uint64) {
	h2 := h * 0x9e3779b97f4a7c15
	h2 ^= h2 >> 29
	nBlocks := uint64(len(t.filter) / filterBlockWords)
	block = int((h2>>40)&(nBlocks-1)) * filterBlockWords
	return block, h2
}

func (t *docTable) filterAdd(h uint64) {
	block, b := t.filterSlots(h)
	for k := range filterHashes {
		bit := (b >> (9 * k)) & 511
		atomic.OrUint64(&t.filter[block+int(bit>>6)], 1<<(bit&63))
	}
}

// filterFirst returns the first filter word filterHas reads for h.
func (t *docTable) filterFirst(h uint64) uint64 {
	block, b := t.filterSlots(h)
	return t.filter[block+int(b&511>>6)]
}

// filterHas reports whether the filter may hold h; first is filterFirst(h), read before (a
// batch reads it for many keys at once).
func (t *docTable) filterHas(h, first uint64) bool {
	block, b := t.filterSlots(h)
	if first&(1<<(b&63)) == 0 {
		return false
	}
	for k := 1; k < filterHashes; k++ {
		bit := (b >> (9 * k)) & 511
		if t.filter[block+int(bit>>6)]&(1<<(bit&63)) == 0 {
			return false
		}
	}
	return true
}

// rangeGroupHash hashes the key of a range group (issuer, OCR-folded prefix, suffix length)
// without building it: a prefix of up to eight bytes, as nearly all are, takes one multiply
// and one mix. Only a group whose hash agrees has its key compared.
func rangeGroupHash[T string | []byte](issuer string, foldedPrefix T, suffixLen int) uint64 {
	if len(foldedPrefix) > 8 {
		return fmix(hashDocKey(issuer, foldedPrefix) + uint64(suffixLen))
	}
	var w uint64
	for i := 0; i < len(foldedPrefix); i++ {
		w = w<<8 | uint64(foldedPrefix[i])
	}
	return fmix(w*0x9e3779b97f4a7c15 ^ uint64(issuerCode(issuer))<<12 ^ uint64(suffixLen)<<4 ^ uint64(len(foldedPrefix)))
}

func rangeKey(issuer, foldedPrefix string, suffixLen int) string {
	return string(appendRangeKey(nil, issuer, foldedPrefix, suffixLen))
}

func appendRangeKey[T string | []byte](dst []byte, issuer string, foldedPrefix T, suffixLen int) []byte {
	dst = append(dst, issuer...)
	dst = append(dst, foldedPrefix...)
	return append(dst, '|', byte('0'+suffixLen))
}

func intern(idx map[string]int, tab *[]string, s string, limit int) (int, bool) {
	if i, ok := idx[s]; ok {
		return i, true
	}
	if len(*tab) >= limit {
		return 0, false
	}
	s = strings.Clone(s) // s may be a substring of a large buffer the table must not pin
	idx[s] = len(*tab)
	*tab = append(*tab, s)
	return len(*tab) - 1, true
}

func buildShard(docs []watchlist.Document, prep []prepared, linkOf []uint32, order []uint32, shardBits uint) docShard {
	var sh docShard
	size := 0
	for _, i := range order {
		d := &docs[i]
		size += 3 + len(d.Number) + len(d.NumberTo) + len(d.ID) // canonical forms are never longer
	}
	var b strings.Builder
	b.Grow(size)
	sh.recs = make([]docRec, len(order))
	if linkOf != nil {
		sh.link = make([]uint32, len(order))
	}
	for local, i := range order {
		d := &docs[i]
		sh.recs[local] = docRec{off: uint32(b.Len()), meta: prep[i].meta}
		if linkOf != nil {
			sh.link[local] = linkOf[i]
		}
		b.WriteString(normalize.Country(d.Issuer))
		b.WriteString(normalize.DocNumber(d.Number))
		if prep[i].meta.isRange() {
			b.WriteString(normalize.DocNumber(d.NumberTo))
		}
		b.WriteString(d.ID)
	}
	sh.arena = b.String()
	if len(order) == 0 {
		return sh
	}
	tableLen := 1 << bits.Len(uint(len(order)*4/3))
	sh.table = make([]uint32, tableLen)
	mask := uint64(tableLen - 1)
	for local, i := range order {
		if prep[i].meta.isRange() {
			continue // ranges are searched in the range index
		}
		h := prep[i].hash
		slot := (h >> shardBits) & mask
		for sh.table[slot] != 0 {
			slot = (slot + 1) & mask
		}
		sh.table[slot] = uint32(h>>56)<<slotRefBits | uint32(local+1)
	}
	return sh
}

// parallel runs fn over [0, n) split into chunks across GOMAXPROCS goroutines.
func parallel(n int, fn func(lo, hi int)) {
	workers := min(runtime.GOMAXPROCS(0), max(1, n/1024))
	if workers <= 1 {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		wg.Go(func() { fn(lo, min(lo+chunk, n)) })
	}
	wg.Wait()
}

func (t *docTable) shardOf(ref DocRef) (*docShard, int) {
	return &t.shards[int(ref)&(1<<t.shardBits-1)], int(ref >> t.shardBits)
}

// record decodes one record from its shard.
func (t *docTable) record(ref DocRef) DocumentRecord {
	sh, local := t.shardOf(ref)
	m := sh.recs[local].meta
	start, end := int(sh.recs[local].off), len(sh.arena)
	if local+1 < len(sh.recs) {
		end = int(sh.recs[local+1].off)
	}
	s := sh.arena[start:end]
	r := DocumentRecord{
		Issuer: s[:3],
		Number: s[3 : 3+m.numLen()],
		Type:   t.types[m.typ()],
		Status: statuses[m.status()],
		Owner:  t.owners[m.owner()],
	}
	s = s[3+m.numLen():]
	if m.isRange() {
		r.NumberTo, s = s[:m.numLen()], s[m.numLen():]
	}
	r.ID = s
	if sh.link != nil {
		l := sh.link[local]
		r.NoticeID, r.NoticeType = t.links[l], t.linkTypes[l]
	}
	return r
}

// docProbe is one document lookup under way: the query canonicalised, OCR-folded and hashed,
// and what a batched lookup has read ahead for it.
type docProbe struct {
	h      uint64
	lead   byte // the presented number's first byte
	canon  string
	iss    string
	folded [maxDocNumberLen]byte
	ok     bool   // the query is valid and the table has records
	fw     uint64 // the first filter word of the key, read
	maybe  bool   // the filter may hold the key: the table is probed
	slot   uint32 // the key's first table slot, read
	// hit is the key's first slot whose tag is the key's; rec is the record it points to and
	// first the first byte of that record's arena (its issuer), read (when read is set)
	hit   uint64
	read  bool
	rec   docRec
	first byte
	// The range group of the issuer's shortest suffix length (rl; -1 when it has none or the
	// number's suffix is no number), read ahead: its hash rh, the suffix rn, first rangeTab
	// slot rv (0 also when the range filter rules the group out), the group rv points to
	// (rg), and the largest last number of that group (rmax, when set).
	rl      int8
	rh      uint64
	rn      uint64
	rv      uint32
	rg      rangeGroup
	rmax    uint64
	rmaxSet bool
}

// canonFold maps each byte of a canonical document number (A-Z, 0-9) to its OCR fold
// (normalize.OCRFoldByte), and every other byte to 0: one read per byte both checks that a
// presented number is canonical already — as nearly all are — and folds it.
var canonFold = func() (t [256]byte) {
	for c := '0'; c <= '9'; c++ {
		t[c] = byte(c)
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = normalize.OCRFoldByte(byte(c))
	}
	return t
}()

// prepare canonicalises and hashes a query (number and issuer raw; p.lead is the number's
// first byte, read); p.ok is false when it cannot match. It reads no table memory.
func (t *docTable) prepare(p *docProbe, number, issuer string) {
	iss := issuer
	if !validIssuer(iss) { // the common, canonical case skips normalize.Country
		iss = normalize.Country(issuer)
	}
	p.ok, p.maybe, p.read = validIssuer(iss) && t.n > 0, false, false
	p.rl, p.rv, p.rmaxSet = -1, 0, false
	if !p.ok {
		return
	}
	// The OCR-folded number, in the probe: folding must not allocate on the hot path. A
	// canonical number (what normalize.DocNumber returns unchanged) is folded in the same pass
	// that checks it; any other is canonicalised first.
	canon := number
	canonical := len(number) <= maxDocNumberLen
	if canonical && len(number) > 0 {
		p.folded[0] = canonFold[p.lead]
		canonical = p.folded[0] != 0
	}
	for i := 1; canonical && i < len(number); i++ {
		p.folded[i] = canonFold[number[i]]
		canonical = p.folded[i] != 0
	}
	if !canonical {
		canon = normalize.DocNumber(number)
		if len(canon) > maxDocNumberLen {
			p.ok = false
			return
		}
		for i := 0; i < len(canon); i++ {
			p.folded[i] = normalize.OCRFoldByte(canon[i])
		}
	}
	if canon == "" {
		p.ok = false
		return
	}
	p.canon, p.iss = canon, iss
	p.h = hashDocKey(iss, p.folded[:len(canon)])
}

// shard returns the shard of hash h and h's first slot in its table (which must not be
// empty).
func (t *docTable) shard(h uint64) (*docShard, uint64) {
	sh := &t.shards[h&(1<<t.shardBits-1)]
	return sh, (h >> t.shardBits) & uint64(len(sh.table)-1)
}

// screen sets p.maybe from the filter, whose first word for the key is p.fw: whether the
// key's table slots are to be read.
func (t *docTable) screen(p *docProbe) {
	sh := &t.shards[p.h&(1<<t.shardBits-1)]
	p.maybe = len(sh.table) > 0 && t.filterHas(p.h, p.fw)
}

// readSlot reads the first table slot of a probe's key (p.maybe set) into p.slot.
func (t *docTable) readSlot(p *docProbe) {
	sh, slot := t.shard(p.h)
	p.slot = sh.table[slot]
}

// lookup appends every record matching number (raw) from issuer (raw) to dst.
func (t *docTable) lookup(number, issuer string, dst []DocumentMatch) []DocumentMatch {
	var p docProbe
	if number != "" {
		p.lead = number[0]
	}
	t.prepare(&p, number, issuer)
	if !p.ok {
		return dst
	}
	p.fw = t.filterFirst(p.h)
	if t.screen(&p); p.maybe {
		t.readSlot(&p)
	}
	return t.finish(&p, dst)
}

// finish appends the matches of a prepared and filtered probe to dst: the table's, from the
// first slot already read, then the ranges'.
func (t *docTable) finish(p *docProbe, dst []DocumentMatch) []DocumentMatch {
	folded := p.folded[:len(p.canon)]
	if p.maybe {
		sh, slot := t.shard(p.h)
		mask := uint64(len(sh.table) - 1)
		tag := uint32(p.h>>56) << slotRefBits
		for v := p.slot; v != 0; v = sh.table[slot] {
			if v&^slotRefMask == tag {
				local := int(v&slotRefMask) - 1
				var kind MatchKind
				if p.read && slot == p.hit {
					kind = sh.compare(p.rec, p.first, p.iss, p.canon, folded)
				} else {
					rec := sh.recs[local]
					kind = sh.compare(rec, sh.arena[rec.off], p.iss, p.canon, folded)
				}
				if kind != 0 {
					dst = append(dst, DocumentMatch{Ref: DocRef(local<<t.shardBits | int(p.h&(1<<t.shardBits-1))), Kind: kind})
				}
			}
			slot = (slot + 1) & mask
		}
	}
	if t.rangeLens == nil {
		return dst
	}
	if lens := t.rangeLens[issuerCode(p.iss)]; lens != 0 {
		dst = t.lookupRanges(p, lens, dst)
	}
	return dst
}

// findHit sets p.hit to the key's first table slot whose tag is the key's, walking from its
// first slot (read), and reads the record it points to; p.read tells whether there is one.
func (t *docTable) findHit(p *docProbe) {
	sh, slot := t.shard(p.h)
	mask := uint64(len(sh.table) - 1)
	tag := uint32(p.h>>56) << slotRefBits
	for v := p.slot; v != 0; v = sh.table[slot] {
		if v&^slotRefMask == tag {
			p.hit, p.rec, p.read = slot, sh.recs[int(v&slotRefMask)-1], true
			return
		}
		slot = (slot + 1) & mask
	}
}

// stageRange sets p.rl, p.rh and p.rn: the issuer's shortest suffix length with ranges, the
// hash of the number's group for it and the number's suffix of that length. It reports whether a range of that group may hold the
// number (the range filter); when not, no range of that length does, and p.rv stays 0.
func (t *docTable) stageRange(p *docProbe) bool {
	if t.rangeLens == nil {
		return false
	}
	lens := t.rangeLens[issuerCode(p.iss)]
	if lens == 0 {
		return false
	}
	l := bits.TrailingZeros32(lens)
	n := len(p.canon) - l
	if n < 0 {
		return false
	}
	suffix, ok := parseDigits(p.folded[n:len(p.canon)])
	if !ok {
		return false
	}
	p.rl, p.rh, p.rn = int8(l), rangeGroupHash(p.iss, p.folded[:n], l), suffix
	return t.rangeMaybe(p.rh, suffix)
}

// compare matches a stored single-document record, rec, whose arena starts with byte first,
// against a query.
func (sh *docShard) compare(rec docRec, first byte, issuer, canon string, folded []byte) MatchKind {
	m := rec.meta
	if m.numLen() != len(canon) || first != issuer[0] {
		return 0
	}
	start := int(rec.off)
	if sh.arena[start:start+3] != issuer {
		return 0
	}
	num := sh.arena[start+3 : start+3+len(canon)]
	if num == canon {
		return MatchExact
	}
	for i := 0; i < len(num); i++ {
		if normalize.OCRFoldByte(num[i]) != folded[i] {
			return 0
		}
	}
	return MatchOCR
}

// DocQuery is one presented document of a LookupDocuments batch: its number and issuer, raw.
// LookupDocuments sets First and End: the query's matches are dst[First:End].
type DocQuery struct {
	Number, Issuer string
	First, End     int
}

// docBatch is how many lookups a batch runs through its passes together: enough for the
// processor to overlap as many cache misses as it can track, few enough for their probes to
// stay on the stack and in L1.
const docBatch = 64

// lookupBatch is Snapshot.LookupDocuments for one table. Each pass runs over every lookup of
// a chunk before the next: hashes (no memory), filter words, first table slots, the records
// those point to and their arenas, then the comparisons and ranges on data now in cache. A
// lookup alone takes these misses one after another; a batch overlaps them. A pass that
// reads memory runs over a list of just the lookups that need the read, in a loop of nothing
// else: only one lookup in ten or so passes the filter, and a loop over all of them would
// hold so few of those reads at once in the processor's window that they would hardly
// overlap.
func (t *docTable) lookupBatch(qs []DocQuery, dst []DocumentMatch) []DocumentMatch {
	var ps [docBatch]docProbe
	// live, found, ranged: the lookups (indexes into ps) that are valid, that may find a
	// record in the table, that may find a range; read: those whose key's tag is in the table.
	var live, found, read, ranged [docBatch]uint8
	for start := 0; start < len(qs); start += docBatch {
		chunk := qs[start:min(start+docBatch, len(qs))]
		// The numbers' first bytes: the presented strings may be anywhere in memory.
		for i := range chunk {
			if n := chunk[i].Number; n != "" {
				ps[i].lead = n[0]
			}
		}
		nLive := 0
		for i := range chunk {
			t.prepare(&ps[i], chunk[i].Number, chunk[i].Issuer)
			live[nLive] = uint8(i)
			nLive += b2i(ps[i].ok)
		}
		// One word of each key's filter block; then the rest of the block, in cache now, and
		// the range filter, in cache, to list the lookups that go further.
		for _, i := range live[:nLive] {
			ps[i].fw = t.filterFirst(ps[i].h)
		}
		nFound, nRanged := 0, 0
		for _, i := range live[:nLive] {
			p := &ps[i]
			t.screen(p)
			found[nFound] = i
			nFound += b2i(p.maybe)
			ranged[nRanged] = i
			nRanged += b2i(t.stageRange(p))
		}
		// The keys' first table slots and the range groups' first slots; the records the keys'
		// tags point to and the groups; the records' arenas and the groups' largest last
		// numbers.
		for _, i := range found[:nFound] {
			t.readSlot(&ps[i])
		}
		for _, i := range ranged[:nRanged] {
			p := &ps[i]
			p.rv = t.rangeTab[p.rh&uint64(len(t.rangeTab)-1)]
		}
		nRead := 0
		for _, i := range found[:nFound] {
			t.findHit(&ps[i])
			read[nRead] = i
			nRead += b2i(ps[i].read)
		}
		for _, i := range ranged[:nRanged] {
			if p := &ps[i]; p.rv != 0 {
				p.rg = t.groups[p.rv-1]
			}
		}
		for _, i := range read[:nRead] {
			p := &ps[i]
			sh, _ := t.shard(p.h)
			p.first = sh.arena[p.rec.off]
		}
		for _, i := range ranged[:nRanged] {
			if p := &ps[i]; p.rv != 0 && p.rg.hash == p.rh && p.rg.lo < p.rg.hi {
				p.rmax, p.rmaxSet = t.rangeList[p.rg.lo+(p.rg.hi-p.rg.lo)/2].subMax, true
			}
		}
		for i := range chunk {
			chunk[i].First = len(dst)
			if ps[i].ok {
				dst = t.finish(&ps[i], dst)
			}
			chunk[i].End = len(dst)
		}
	}
	return dst
}

// b2i is 1 for true, 0 for false, without a branch: the lists of lookups a batch builds are
// appended to unconditionally and grow by it.
func b2i(b bool) int {
	var i int
	if b {
		i = 1
	}
	return i
}

// LookupDocuments looks up many presented documents in db at once: it appends to dst the
// matches of every query, in query order, exactly as LookupDocument would, and sets each
// query's First and End to where its matches are in the returned slice. The lookups of a
// batch overlap their cache misses, which on a large table a lookup alone takes one after
// another: a batch of a few dozen costs a fraction of as many single lookups.
func (s *Snapshot) LookupDocuments(db event.Database, qs []DocQuery, dst []DocumentMatch) []DocumentMatch {
	t := s.docs[db]
	if t == nil {
		for i := range qs {
			qs[i].First, qs[i].End = len(dst), len(dst)
		}
		return dst
	}
	return t.lookupBatch(qs, dst)
}

// lookupRanges appends the ranges containing a probe's number to dst, for every suffix length
// the issuer has ranges of (lens), using what a batch read ahead for the shortest one.
func (t *docTable) lookupRanges(pr *docProbe, lens uint32, dst []DocumentMatch) []DocumentMatch {
	issuer, canon, folded := pr.iss, pr.canon, pr.folded[:len(pr.canon)]
	for ; lens != 0; lens &= lens - 1 {
		l := bits.TrailingZeros32(lens)
		p := len(folded) - l
		if p < 0 {
			break
		}
		var n uint64
		var g []docRange
		if int(pr.rl) == l {
			// Staged (stageRange): the suffix, the filter's answer, and read ahead, the first
			// slot's group and, when its hash is the number's, the largest last number in it,
			// which the search of the group reads first.
			if pr.rv == 0 {
				continue
			}
			n = pr.rn
			g = t.rangeGroupFrom(pr.rh, pr.rv, &pr.rg, issuer, folded[:p], l)
			if pr.rmaxSet && len(g) > 0 && &g[0] == &t.rangeList[pr.rg.lo] && pr.rmax < n {
				continue
			}
		} else {
			var ok bool
			if n, ok = parseDigits(folded[p:]); !ok {
				continue
			}
			h := rangeGroupHash(issuer, folded[:p], l)
			if !t.rangeMaybe(h, n) {
				continue
			}
			v := t.rangeTab[h&uint64(len(t.rangeTab)-1)]
			if v == 0 {
				continue
			}
			g = t.rangeGroupFrom(h, v, &t.groups[v-1], issuer, folded[:p], l)
		}
		var hb [8]int32
		for _, j := range stab(g, 0, len(g), n, hb[:0]) {
			kind := MatchRangeOCR
			if canon[:p] == g[j].prefix && canon[p:] == string(folded[p:]) {
				kind = MatchRange
			}
			dst = append(dst, DocumentMatch{Ref: g[j].ref, Kind: kind})
		}
	}
	return dst
}

// refs iterates every record of the table, shard by shard.
func (t *docTable) refs() iter.Seq[DocRef] {
	return func(yield func(DocRef) bool) {
		for s := range t.shards {
			for local := range t.shards[s].recs {
				if !yield(DocRef(local<<t.shardBits | s)) {
					return
				}
			}
		}
	}
}

// bytes is the memory the table holds, for the bytes-per-record benchmark metric.
func (t *docTable) bytes() int {
	total := 0
	for i := range t.shards {
		sh := &t.shards[i]
		total += len(sh.arena) + 8*cap(sh.recs) + 4*cap(sh.table) + 4*cap(sh.link)
	}
	for _, l := range t.links {
		total += len(l) + 16 + 8 // string header and bytes, notice type header share
	}
	total += len(t.groupKeys) + 4*len(t.rangeTab) + 24*len(t.groups) + 48*len(t.rangeList)
	return total + 4*len(t.rangeLens) + 8*len(t.filter) + 8*len(t.rangeFilter)
}
