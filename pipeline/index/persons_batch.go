package index

// Batched reads of a person index. A screening against a large index touches a few hundred
// places scattered over hundreds of megabytes: a term's metadata, its postings or posting
// groups, a pair's directory bucket, a candidate's record. Nearly each is a cache and TLB
// miss, a few hundred nanoseconds on a virtual machine, and read one after another, as the
// search's logic reaches them, they are most of a screening's time. Read together, in a loop
// of independent loads, the processor overlaps them: a search first warms everything one step
// needs (the Warm functions), then runs that step's logic on data already in cache.
//
// A Warm function returns a value of no meaning: the caller keeps it (xor-ed into a field) so
// that the compiler cannot drop its reads. The Warm functions change no result.

// How many elements of a size share a 64-byte cache line.
const (
	postingsPerLine = 64 / 8
	u32PerLine      = 64 / 4
)

// WarmPostingRun reads one posting of every cache line of ps.
func WarmPostingRun(ps []Posting) uint32 {
	var x uint32
	for i := 0; i < len(ps); i += postingsPerLine {
		x ^= ps[i].Rec
	}
	if len(ps) > 0 {
		x ^= ps[len(ps)-1].Rec // the last line, when ps does not start on a line boundary
	}
	return x
}

// warmU32 reads one word of every cache line of xs.
func warmU32(xs []uint32) uint32 {
	var x uint32
	for i := 0; i < len(xs); i += u32PerLine {
		x ^= xs[i]
	}
	if len(xs) > 0 {
		x ^= xs[len(xs)-1]
	}
	return x
}

// WarmTerms reads the metadata of terms ts (see the batched reads above).
func (p *PersonIndex) WarmTerms(ts []uint32) uint32 {
	var x uint32
	for _, t := range ts {
		x ^= p.terms[t].post ^ p.terms[t+1].group
	}
	return x
}

// WarmTermData reads, for every term of ts, what a search reads first: all the postings of a
// rare term, the group keys of a frequent one. Call it after WarmTerms.
func (p *PersonIndex) WarmTermData(ts []uint32, sc *BatchScratch) {
	// One index per cache line first, then the reads in loops of nothing else: a loop that
	// does more between its reads holds fewer of them in flight.
	posts, groups := sc.words[:0], sc.words2[:0]
	for _, t := range ts {
		m, next := &p.terms[t], &p.terms[t+1]
		if m.info&termFrequent == 0 {
			posts = appendLines(posts, m.post, next.post, postingsPerLine)
		} else {
			groups = appendLines(groups, m.group, next.group, u32PerLine)
		}
	}
	var x uint32
	for _, i := range posts {
		x ^= p.post[i].Rec
	}
	for _, i := range groups {
		x ^= p.groupKey[i]
	}
	sc.words, sc.words2, sc.sink = posts, groups, sc.sink^x
}

// appendLines appends to dst an index into every cache line of elements [lo, hi) of an array
// of perLine elements a line (and the last one, for a run not starting on a line).
func appendLines(dst []uint32, lo, hi, perLine uint32) []uint32 {
	for i := lo; i < hi; i += perLine {
		dst = append(dst, i)
	}
	if hi > lo {
		dst = append(dst, hi-1)
	}
	return dst
}

// WarmGroupSpan reads where group i of frequent term t starts and ends (see GroupSpan).
func (p *PersonIndex) WarmGroupSpan(t uint32, i int) uint32 {
	g := p.terms[t].group + uint32(i)
	x := p.groupStart[g]
	if g+1 < uint32(len(p.groupStart)) {
		x ^= p.groupStart[g+1]
	}
	return x
}

// WarmPostings reads the first posting of the run [start, end) of AllPostings, and its share
// too when shares is set: one cache line each. Most runs a search reads are short (a cut
// keeps the largest shares only), every line read costs memory bandwidth, and the hardware
// prefetcher follows a longer run.
func (p *PersonIndex) WarmPostings(start, end uint32, shares bool) uint32 {
	if start >= end {
		return 0
	}
	x := p.post[start].Rec
	if shares {
		x ^= uint32(p.postF[start])
	}
	return x
}

// BatchScratch is the scratch space of the batched lookups. The zero value is ready to use;
// reuse one for many lookups of one goroutine.
type BatchScratch struct {
	lookups []keyLookup
	cands   []textCand
	words   []uint32
	words2  []uint32
	// sink keeps the values of speculative reads, made only to bring data into cache: it
	// means nothing.
	sink uint32
}

// WarmPairs reads the words of the partner signatures that MayPairs(as, bs) reads first: a
// search calls it as soon as it knows its frequent terms, so that the reads overlap its
// other work. Call it after WarmTerms.
func (p *PersonIndex) WarmPairs(as, bs []uint32, sc *BatchScratch) {
	words := sc.words[:0]
	for i, a := range as {
		if ma, _, _, b := p.orderPair(a, bs[i]); ma.sigWords != 0 {
			words = append(words, p.sigIndex(ma, b))
		}
	}
	sc.words = words
	var x uint64
	for _, w := range words {
		x ^= p.sigs[w]
	}
	sc.sink ^= uint32(x)
}

// MayPairs sets may[i] to MayPair(as[i], bs[i]) for every i, reading the partner signature
// words of all pairs together: the smaller signature of each pair first (it rules most pairs
// out), then the other one of the pairs it left. Call it after WarmTerms. may must be at least
// as long as as.
func (p *PersonIndex) MayPairs(as, bs []uint32, may []bool, sc *BatchScratch) {
	// The addresses first, then the reads in a loop of nothing else, so that as many reads as
	// the processor can track are in flight at once.
	words := sc.words[:0]
	for i, a := range as {
		ma, _, _, b := p.orderPair(a, bs[i])
		words = append(words, p.sigIndex(ma, b))
	}
	for i, w := range words {
		ma, mb, a, b := p.orderPair(as[i], bs[i])
		may[i] = ma.sigWords != 0 && p.sigs[w]&(1<<sigBit(ma, b)) != 0
		if may[i] {
			words[i] = p.sigIndex(mb, a)
		}
	}
	sc.words = words
	for i, w := range words {
		if may[i] {
			_, mb, a, _ := p.orderPair(as[i], bs[i])
			may[i] = mb.sigWords != 0 && p.sigs[w]&(1<<sigBit(mb, a)) != 0
		}
	}
}

// orderPair returns the metadata of frequent terms a and b, the one with the smaller partner
// signature first (MayPair reads it first: it is more selective and more often cached), and
// the terms in that order.
func (p *PersonIndex) orderPair(a, b uint32) (ma, mb *termMeta, first, second uint32) {
	ma, mb = &p.terms[a], &p.terms[b]
	if ma.sigWords > mb.sigWords {
		return mb, ma, b, a
	}
	return ma, mb, a, b
}

// sigBit returns the bit of term t in its word of term m's partner signature.
func sigBit(m *termMeta, t uint32) uint64 {
	return partnerHash(t) & uint64(uint32(m.sigWords)*64-1) & 63
}

// sigIndex returns the index in p.sigs of the word of term m's partner signature that holds
// term t's bit (0 when m has no signature).
func (p *PersonIndex) sigIndex(m *termMeta, t uint32) uint32 {
	if m.sigWords == 0 {
		return 0
	}
	h := partnerHash(t) & uint64(uint32(m.sigWords)*64-1)
	return m.sig + uint32(h>>6)
}

// PairQuery asks for the pair postings of frequent terms A and B among the names with one part
// or not (see PairPostings).
type PairQuery struct {
	A, B    uint32
	OnePart bool
}

// PairPostingsBatch sets dst[i] to PairPostings(qs[i].A, qs[i].B, qs[i].OnePart) for every
// query, reading the directory and fingerprints of all queries together. dst must be at least
// as long as qs.
func (p *PersonIndex) PairPostingsBatch(qs []PairQuery, dst [][]Posting, sc *BatchScratch) {
	p.StartPairPostings(qs, sc)
	p.ContinuePairPostings(sc)
	p.EndPairPostings(dst, sc)
}

// StartPairPostings, ContinuePairPostings and EndPairPostings are PairPostingsBatch in three
// steps, each a round of reads for all queries (directory buckets, their first fingerprints,
// then the search within the buckets), so that a search does other work while each round is
// under way. Between Start and End, sc must serve no other lookup.
func (p *PersonIndex) StartPairPostings(qs []PairQuery, sc *BatchScratch) {
	ls := sc.lookups[:0]
	for _, q := range qs {
		ls = append(ls, keyLookup{d: &p.pairs, h: pairKey(q.A, q.B, q.OnePart)})
	}
	sc.lookups = ls
	lookupDirs(ls)
}

// ContinuePairPostings: see StartPairPostings.
func (p *PersonIndex) ContinuePairPostings(sc *BatchScratch) { lookupFirsts(sc.lookups) }

// EndPairPostings sets dst[i] to the pair postings of the i-th query of StartPairPostings;
// see StartPairPostings. dst must be at least as long as the queries.
func (p *PersonIndex) EndPairPostings(dst [][]Posting, sc *BatchScratch) {
	ls := sc.lookups
	lookupWithin(ls)
	for i := range ls {
		dst[i] = p.pairPost[ls[i].lo:ls[i].hi]
		ls[i].d = nil
	}
}

// TermQuery is one search of FindTerms: the item with Text, joined or not (as ItemFor finds
// it), or with Skeleton set the skeleton term of the skeleton Text (as SkeletonTerm finds it).
// FindTerms sets Weight to the item's ItemWeight when it finds one.
type TermQuery struct {
	Text     string
	Joined   bool
	Skeleton bool
	Weight   float64
}

// FindTerms sets dst[i] to the term qs[i] asks for, or NoItem when the index has none, as
// ItemFor and SkeletonTerm would, and sets the weight of every item found (see TermQuery),
// reading the keys, candidates and texts of all queries together. dst must be at least as
// long as qs.
func (p *PersonIndex) FindTerms(qs []TermQuery, dst []uint32, sc *BatchScratch) {
	ls := sc.lookups[:0]
	for i := range qs {
		if q := &qs[i]; q.Skeleton {
			ls = append(ls, keyLookup{d: &p.skelTerms, h: SkeletonKey(q.Text)})
		} else {
			ls = append(ls, keyLookup{d: &p.keys, h: hashString(q.Text, -1)})
		}
	}
	sc.lookups = ls
	lookupSpans(ls)
	// The values under each key whose kind and length agree with the query's; a key leads to
	// other texts too (MRZ folds, deletions), ruled out here without reading them.
	items := uint32(len(p.itemJoined))
	cands := sc.cands[:0]
	for i := range ls {
		l := &ls[i]
		dst[i] = NoItem
		q := &qs[i]
		for _, v := range l.d.val[l.lo:l.hi] {
			var lo, hi uint32
			if q.Skeleton {
				lo, hi = p.skelOff[v-items], p.skelOff[v-items+1]
			} else if p.itemJoined[v] == q.Joined {
				lo, hi = p.itemOff[v], p.itemOff[v+1]
			} else {
				continue
			}
			if int(hi-lo) == len(q.Text) && hi > lo {
				c := textCand{query: uint32(i), term: v, off: lo}
				if !q.Skeleton {
					c.weight = p.itemWeight[v] // with the offsets: no round of its own
				}
				cands = append(cands, c)
			}
		}
		l.d = nil
	}
	sc.cands = cands
	// Their first bytes, then their texts, now in cache. With them, what a search reads next
	// of a term it finds, assuming it is the answer, as it nearly always is: the metadata
	// of the term, and an item's neighbour list.
	var x uint32
	for i := range cands {
		c := &cands[i]
		x ^= p.terms[c.term].post
		if qs[c.query].Skeleton {
			c.first = p.skelText[c.off]
		} else {
			c.first = p.itemText[c.off]
			x ^= p.nbOff[c.term]
		}
	}
	sc.sink ^= x
	for _, c := range cands {
		q := &qs[c.query]
		if dst[c.query] != NoItem || c.first != q.Text[0] {
			continue
		}
		text := p.itemText
		if q.Skeleton {
			text = p.skelText
		}
		if text[c.off:c.off+uint32(len(q.Text))] == q.Text {
			dst[c.query], q.Weight = c.term, c.weight
		}
	}
}

// textCand is a term that may be the answer to a FindTerms query: its text starts at off in
// the item or skeleton texts, and starts with first.
type textCand struct {
	query, term, off uint32
	first            byte
	weight           float64 // the item's weight (items only)
}

// WarmNeighbours reads the neighbour lists of items (see Neighbours).
func (p *PersonIndex) WarmNeighbours(items []uint32, sc *BatchScratch) uint32 {
	words := sc.words[:0]
	for _, it := range items {
		words = append(words, p.nbOff[it], p.nbOff[it+1])
	}
	sc.words = words
	var x uint32
	for i := 0; i+1 < len(words); i += 2 {
		if lo, hi := words[i], words[i+1]; lo < hi {
			x ^= warmU32(p.nb[lo:hi])
		}
	}
	return x
}

// keyLookup is one lookup of a batched key directory search: the directory and hash asked
// for, and where the values stored under it are in the directory's values (lo, hi).
type keyLookup struct {
	d      *keyDir
	h      uint64
	lo, hi uint32
	first  uint32 // the bucket's first fingerprint, read in the second pass
}

// lookupSpans finds where the values of every lookup of ls are, as keyDir.span does, in three
// passes over all of them: the directory buckets, the first fingerprint of each bucket, then
// the search within the buckets, now in cache.
func lookupSpans(ls []keyLookup) {
	lookupDirs(ls)
	lookupFirsts(ls)
	lookupWithin(ls)
}

// lookupDirs reads the directory bucket of every lookup (see lookupSpans).
func lookupDirs(ls []keyLookup) {
	for i := range ls {
		l := &ls[i]
		if len(l.d.dir) == 0 {
			continue
		}
		b := l.h >> (64 - l.d.bits)
		l.lo, l.hi = l.d.dir[b], l.d.dir[b+1]
	}
}

// lookupFirsts reads the first fingerprint of every lookup's bucket (see lookupSpans).
func lookupFirsts(ls []keyLookup) {
	for i := range ls {
		if l := &ls[i]; l.lo < l.hi {
			l.first = l.d.fp[l.lo]
		}
	}
}

// lookupWithin finds every lookup's values within its bucket (see lookupSpans).
func lookupWithin(ls []keyLookup) {
	for i := range ls {
		l := &ls[i]
		lo, hi := int(l.lo), int(l.hi)
		if lo < hi && l.first < l.d.fingerprint(l.h) {
			lo, hi = l.d.within(l.h, lo+1, hi)
		} else {
			lo, hi = l.d.within(l.h, lo, hi)
		}
		l.lo, l.hi = uint32(lo), uint32(hi)
	}
}

// WarmRecords reads the records rs (see the batched reads above).
func (p *PersonIndex) WarmRecords(rs []uint32) uint32 {
	var x uint32
	for _, r := range rs {
		x ^= p.recs[r].dobOff
	}
	return x
}

// WarmRecordData reads the dates of birth, nationalities and name entries of records rs.
// Call it after WarmRecords.
func (p *PersonIndex) WarmRecordData(rs []uint32) uint32 {
	var x uint32
	for _, r := range rs {
		rec := &p.recs[r]
		if rec.nDobs > 0 {
			x ^= p.dobs[rec.dobOff]
		}
		if rec.nNats > 0 {
			x ^= uint32(p.nats[rec.natOff])
		}
		if rec.nNames > 0 {
			x ^= p.names[rec.nameOff].tokOff ^ p.names[rec.nameOff+uint32(rec.nNames)-1].tokOff
		}
	}
	return x
}

// WarmNames reads the tokens of every name of records rs. Call it after WarmRecordData.
func (p *PersonIndex) WarmNames(rs []uint32) uint32 {
	var x uint32
	for _, r := range rs {
		rec := &p.recs[r]
		for e := rec.nameOff; e < rec.nameOff+uint32(rec.nNames); e++ {
			n := &p.names[e]
			if n.nTok > 0 {
				x ^= p.toks[n.tokOff].Item ^ p.toks[n.tokOff+uint32(n.nTok)-1].Item
			}
		}
	}
	return x
}

// Traits packs a record's sex and nationality into 16 bits: a search reads them for many
// candidates from one small array (two bytes a record, which stays in cache) to bound their
// nationality and sex evidence before it reads their records.
type Traits uint16

const (
	traitsSexMask   = 3
	traitsNatShift  = 2
	traitsNatNone   = 0
	traitsNatSome   = 1<<14 - 1 // several nationalities, or a code too large to hold
	traitsSexMale   = 1
	traitsSexFemale = 2
)

func packTraits(sex byte, nats []uint16) Traits {
	var t Traits
	switch sex {
	case 'M':
		t = traitsSexMale
	case 'F':
		t = traitsSexFemale
	}
	nat := traitsNatNone
	switch {
	case len(nats) == 1 && int(nats[0])+1 < traitsNatSome:
		nat = int(nats[0]) + 1
	case len(nats) > 0:
		nat = traitsNatSome
	}
	return t | Traits(nat)<<traitsNatShift
}

// Sex returns 'M', 'F' or 0, as SexCode.
func (t Traits) Sex() byte {
	switch t & traitsSexMask {
	case traitsSexMale:
		return 'M'
	case traitsSexFemale:
		return 'F'
	}
	return 0
}

// Nationality tells the record's nationalities: none (n 0), exactly one with its code (n 1;
// see CountryCode), or several, or one whose code Traits cannot hold (n 2: read
// Nationalities).
func (t Traits) Nationality() (code uint16, n int) {
	switch nat := int(t >> traitsNatShift); nat {
	case traitsNatNone:
		return 0, 0
	case traitsNatSome:
		return 0, 2
	default:
		return uint16(nat - 1), 1
	}
}

// AppendTraits appends the traits of records rs to dst, reading them all together.
func (p *PersonIndex) AppendTraits(dst []Traits, rs []uint32) []Traits {
	for _, r := range rs {
		dst = append(dst, p.traits[r])
	}
	return dst
}
