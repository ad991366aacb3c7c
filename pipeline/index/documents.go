package index

import (
	"iter"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"

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
// normalised issuer, type and owner.
type DocumentRecord struct {
	ID       string
	Number   string // DocNumber canonical form; the first number of a range
	NumberTo string // DocNumber canonical form of a range's last number; empty for one document
	Type     string // upper-case ICAO document code, at most two characters; empty when unknown
	Issuer   string // ISO 3166 alpha-3
	Status   watchlist.DocumentStatus
	Owner    string
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
// arena[off[i]:off[i+1]] (the last ends at len(arena)): issuer (3 bytes), number
// (numLen bytes), for a range the last number (numLen bytes), then the id.
type docShard struct {
	arena string
	off   []uint32
	meta  []meta
	table []uint32 // open addressing, linear probing: tag<<24 | (local index + 1); 0 is empty
}

// docRange is one reported range, searched by binary search on from within its group.
type docRange struct {
	from, to uint64
	maxTo    uint64 // the largest to among this and every earlier range of the group
	ref      DocRef
	prefix   string // canonical (unfolded) prefix before the numeric suffix
}

// docTable indexes one document database.
type docTable struct {
	shardBits uint
	shards    []docShard
	types     []string
	owners    []string
	n         int
	// ranges groups reported ranges by issuer + OCR-folded prefix + suffix length.
	ranges map[string][]docRange
	// rangeLens lists, per issuer, the distinct numeric-suffix lengths of its ranges.
	rangeLens map[string][]int
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

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func parseDigits(s string) (uint64, bool) {
	if s == "" || len(s) > maxRangeSuffix {
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

func hashDocKey(issuer, folded string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(issuer); i++ {
		h ^= uint64(issuer[i])
		h *= fnvPrime
	}
	h ^= '|'
	h *= fnvPrime
	for i := 0; i < len(folded); i++ {
		h ^= uint64(folded[i])
		h *= fnvPrime
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

func validIssuer(s string) bool {
	return len(s) == 3 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z' && s[2] >= 'A' && s[2] <= 'Z'
}

// buildDocTable indexes docs. It returns the table and how many records it skipped.
func buildDocTable(docs []watchlist.Document) (*docTable, int) {
	n := len(docs)
	t := &docTable{shardBits: 6, ranges: map[string][]docRange{}, rangeLens: map[string][]int{}}
	for (n >> t.shardBits) > 1<<22 {
		t.shardBits++
	}
	nShards := 1 << t.shardBits

	// Pass 1 (parallel): validate, canonicalise, hash.
	prep := make([]prepared, n)
	parallel(n, func(lo, hi int) {
		for i := lo; i < hi; i++ {
			d := &docs[i]
			if d.Validate() != nil {
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

	// Pass 3 (parallel over shards): arenas and hash tables.
	t.shards = make([]docShard, nShards)
	parallel(nShards, func(lo, hi int) {
		for s := lo; s < hi; s++ {
			t.shards[s] = buildShard(docs, prep, order[counts[s]:counts[s+1]], t.shardBits)
		}
	})

	// Pass 4: ranges, sorted per group by from.
	for s := range t.shards {
		sh := &t.shards[s]
		for local, m := range sh.meta {
			if !m.isRange() {
				continue
			}
			ref := DocRef(local<<t.shardBits | s)
			rec := t.record(ref)
			p, lo, hi, _ := splitRange(rec.Number, rec.NumberTo)
			key := rangeKey(rec.Issuer, normalize.DocNumberOCR(rec.Number[:p]), len(rec.Number)-p)
			t.ranges[key] = append(t.ranges[key], docRange{from: lo, to: hi, ref: ref, prefix: rec.Number[:p]})
			if l := len(rec.Number) - p; !slices.Contains(t.rangeLens[rec.Issuer], l) {
				t.rangeLens[rec.Issuer] = append(t.rangeLens[rec.Issuer], l)
			}
		}
	}
	for _, g := range t.ranges {
		slices.SortFunc(g, func(a, b docRange) int {
			if c := cmpU64(a.from, b.from); c != 0 {
				return c
			}
			return cmpU64(uint64(a.ref), uint64(b.ref))
		})
		var m uint64
		for i := range g {
			m = max(m, g[i].to)
			g[i].maxTo = m
		}
	}
	for _, l := range t.rangeLens {
		slices.Sort(l)
	}
	return t, skipped
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

func rangeKey(issuer, foldedPrefix string, suffixLen int) string {
	return issuer + foldedPrefix + "|" + string(rune('0'+suffixLen))
}

func intern(idx map[string]int, tab *[]string, s string, limit int) (int, bool) {
	if i, ok := idx[s]; ok {
		return i, true
	}
	if len(*tab) >= limit {
		return 0, false
	}
	idx[s] = len(*tab)
	*tab = append(*tab, s)
	return len(*tab) - 1, true
}

func buildShard(docs []watchlist.Document, prep []prepared, order []uint32, shardBits uint) docShard {
	var sh docShard
	size := 0
	for _, i := range order {
		d := &docs[i]
		size += 3 + len(d.Number) + len(d.NumberTo) + len(d.ID) // canonical forms are never longer
	}
	var b strings.Builder
	b.Grow(size)
	sh.off = make([]uint32, len(order))
	sh.meta = make([]meta, len(order))
	for local, i := range order {
		d := &docs[i]
		sh.off[local] = uint32(b.Len())
		sh.meta[local] = prep[i].meta
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
	m := sh.meta[local]
	start, end := int(sh.off[local]), len(sh.arena)
	if local+1 < len(sh.off) {
		end = int(sh.off[local+1])
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
	return r
}

// lookup appends every record matching number (raw) from issuer (raw) to dst.
func (t *docTable) lookup(number, issuer string, dst []DocumentMatch) []DocumentMatch {
	canon, iss := normalize.DocNumber(number), normalize.Country(issuer)
	if canon == "" || len(canon) > maxDocNumberLen || !validIssuer(iss) || t.n == 0 {
		return dst
	}
	folded := normalize.DocNumberOCR(canon)
	h := hashDocKey(iss, folded)
	sh := &t.shards[h&(1<<t.shardBits-1)]
	if len(sh.table) > 0 {
		mask := uint64(len(sh.table) - 1)
		tag := uint32(h>>56) << slotRefBits
		for slot := (h >> t.shardBits) & mask; sh.table[slot] != 0; slot = (slot + 1) & mask {
			v := sh.table[slot]
			if v&^slotRefMask != tag {
				continue
			}
			local := int(v&slotRefMask) - 1
			if kind := sh.compare(local, iss, canon, folded); kind != 0 {
				dst = append(dst, DocumentMatch{Ref: DocRef(local<<t.shardBits | int(h&(1<<t.shardBits-1))), Kind: kind})
			}
		}
	}
	if lens := t.rangeLens[iss]; len(lens) > 0 {
		dst = t.lookupRanges(iss, canon, folded, lens, dst)
	}
	return dst
}

// compare matches a stored single-document record against a query.
func (sh *docShard) compare(local int, issuer, canon, folded string) MatchKind {
	m := sh.meta[local]
	if m.numLen() != len(canon) {
		return 0
	}
	start := int(sh.off[local])
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

func (t *docTable) lookupRanges(issuer, canon, folded string, lens []int, dst []DocumentMatch) []DocumentMatch {
	for _, l := range lens {
		p := len(folded) - l
		if p < 0 {
			break
		}
		n, ok := parseDigits(folded[p:])
		if !ok {
			continue
		}
		g := t.ranges[rangeKey(issuer, folded[:p], l)]
		// The last range with from ≤ n, then back while some earlier range may still reach n.
		j, _ := slices.BinarySearchFunc(g, n+1, func(r docRange, x uint64) int { return cmpU64(r.from, x) })
		for j--; j >= 0 && g[j].maxTo >= n; j-- {
			if g[j].to < n {
				continue
			}
			kind := MatchRangeOCR
			if canon[:p] == g[j].prefix && canon[p:] == folded[p:] {
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
			for local := range t.shards[s].meta {
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
		total += len(sh.arena) + 4*cap(sh.off) + 4*cap(sh.meta) + 4*cap(sh.table)
	}
	for k, g := range t.ranges {
		total += len(k) + cap(g)*48
	}
	return total
}
