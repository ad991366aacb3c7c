package index

import "unsafe"

// Batched reads of a person index. A screening against a large index touches a few hundred
// places scattered over hundreds of megabytes: a term's metadata, its postings or posting
// groups, a pair's directory bucket, a candidate's record. Nearly each is a cache and TLB
// miss, a few hundred nanoseconds on a virtual machine, and read one after another, as the
// search's logic reaches them, they are most of a screening's time. So a search first asks
// for everything one step needs (the Warm functions prefetch it: they start the reads and
// return at once, so that they are all under way together), then runs that step's logic on
// data in cache. The Warm functions change no result.

// WarmPostingRun prefetches every cache line of ps.
func WarmPostingRun(ps []Posting) { warmSlice(ps) }

// WarmPairRun prefetches every cache line of ps.
func WarmPairRun(ps []PairPosting) { warmSlice(ps) }

// warmSlice prefetches every cache line of s, in one call.
func warmSlice[T any](s []T) {
	if len(s) > 0 {
		prefetchLines(unsafe.Pointer(&s[0]), uintptr(len(s))*unsafe.Sizeof(s[0]))
	}
}

// WarmTerms prefetches the metadata of terms ts (see the batched reads above).
func (p *PersonIndex) WarmTerms(ts []uint32) {
	for _, t := range ts {
		m := &p.terms[t]
		if uintptr(unsafe.Pointer(m))%64 < 64-2*unsafe.Sizeof(*m) {
			prefetch(unsafe.Pointer(m)) // the next term's metadata is on the same line
		} else {
			prefetchLines(unsafe.Pointer(m), 2*unsafe.Sizeof(*m))
		}
	}
}

// warmGroupKeys is how many of a frequent term's group keys WarmTermData prefetches.
const warmGroupKeys = 32

// WarmTermData prefetches, for every term of ts, what a search reads first: all the postings
// of a rare term, the first group keys of a frequent one. The terms' metadata must be in cache
// (WarmTerms).
func (p *PersonIndex) WarmTermData(ts []uint32) {
	for _, t := range ts {
		m, next := &p.terms[t], &p.terms[t+1]
		if m.info&termFrequent == 0 {
			if m.post < next.post {
				WarmPostingRun(p.post[m.post:next.post])
			}
		} else if m.group < next.group {
			// The first keys only: a search stops at the first group whose largest share is
			// too small (see Groups), and the hardware follows a longer scan.
			warmSlice(p.groupKey[m.group:min(next.group, m.group+warmGroupKeys)])
		}
	}
}

// WarmGroupSpan prefetches where group i of frequent term t starts and ends (see GroupSpan).
func (p *PersonIndex) WarmGroupSpan(t uint32, i int) {
	g := p.terms[t].group + uint32(i)
	prefetch(unsafe.Pointer(&p.groupStart[g]))
	if g+1 < uint32(len(p.groupStart)) {
		prefetch(unsafe.Pointer(&p.groupStart[g+1]))
	}
}

// WarmPostings prefetches the first posting of the run [start, end) of AllPostings, and its
// share too when shares is set: one cache line each. Most runs a search reads are short (a
// cut keeps the largest shares only), every line read costs memory bandwidth, and the
// hardware prefetcher follows a longer run.
func (p *PersonIndex) WarmPostings(start, end uint32, shares bool) {
	if start >= end {
		return
	}
	prefetch(unsafe.Pointer(&p.post[start]))
	if shares {
		prefetch(unsafe.Pointer(&p.postF[start]))
	}
}

// BatchScratch is the scratch space of the batched lookups. The zero value is ready to use;
// reuse one for many lookups of one goroutine.
type BatchScratch struct {
	lookups     []keyLookup[keyEnt]
	pairLookups []keyLookup[PairPosting]
	cands       []textCand
	sigs        []pairSig
}

// WarmPairs prefetches, for the pairs of frequent terms (as[i], bs[i]), the words of the
// partner signatures that MayPairs reads first, and works out in sc where both words and bits
// of each pair are: a search calls it as soon as it knows its frequent terms, and MayPairs
// next with the same sc. The terms' metadata must be in cache (WarmTerms).
func (p *PersonIndex) WarmPairs(as, bs []uint32, sc *BatchScratch) {
	sigs := sc.sigs[:0]
	for i, a := range as {
		ma, mb, first, second := p.orderPair(a, bs[i])
		var ps pairSig
		if ma.sigWords != 0 && mb.sigWords != 0 {
			h1, h2 := partnerHash(second)&uint64(uint32(ma.sigWords)*64-1), partnerHash(first)&uint64(uint32(mb.sigWords)*64-1)
			ps = pairSig{w1: ma.sig + uint32(h1>>6), w2: mb.sig + uint32(h2>>6), b1: 1 << (h1 & 63), b2: 1 << (h2 & 63)}
			prefetch(unsafe.Pointer(&p.sigs[ps.w1]))
		}
		sigs = append(sigs, ps)
	}
	sc.sigs = sigs
}

// pairSig is where MayPair reads a pair's partner signatures: the word and bit of the second
// term in the first one's signature (the smaller), and of the first term in the second one's;
// no bits when either has no signature.
type pairSig struct {
	w1, w2 uint32
	b1, b2 uint64
}

// MayPairs sets may[i] to MayPair(as[i], bs[i]) for every pair of the last WarmPairs(as, bs,
// sc), reading the partner signature words of all pairs together: the smaller signature of
// each pair first (it rules most pairs out; WarmPairs prefetched it), then the other one of
// the pairs it left. may must be at least as long as as.
func (p *PersonIndex) MayPairs(may []bool, sc *BatchScratch) {
	sigs := sc.sigs
	for i := range sigs {
		ps := &sigs[i]
		if may[i] = ps.b1 != 0 && p.sigs[ps.w1]&ps.b1 != 0; may[i] {
			prefetch(unsafe.Pointer(&p.sigs[ps.w2]))
		}
	}
	for i := range sigs {
		if may[i] {
			may[i] = p.sigs[sigs[i].w2]&sigs[i].b2 != 0
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

// PairQuery asks for the pair postings of frequent terms A and B among the names with one part
// or not (see PairPostings).
type PairQuery struct {
	A, B    uint32
	OnePart bool
}

// PairPostingsBatch sets dst[i] to PairPostings(qs[i].A, qs[i].B, qs[i].OnePart) for every
// query, reading the directory and fingerprints of all queries together. dst must be at least
// as long as qs.
func (p *PersonIndex) PairPostingsBatch(qs []PairQuery, dst [][]PairPosting, sc *BatchScratch) {
	p.StartPairPostings(qs, sc)
	p.ContinuePairPostings(sc)
	p.EndPairPostings(dst, sc)
}

// StartPairPostings, ContinuePairPostings and EndPairPostings are PairPostingsBatch in three
// steps, each a round of reads for all queries (directory buckets, their first fingerprints,
// then the search within the buckets) that the previous step prefetched, so that a search
// does other work while each round is under way. Between Start and End, sc must serve no
// other lookup.
func (p *PersonIndex) StartPairPostings(qs []PairQuery, sc *BatchScratch) {
	ls := sc.pairLookups[:0]
	for _, q := range qs {
		ls = append(ls, keyLookup[PairPosting]{d: &p.pairs, h: pairKey(q.A, q.B, q.OnePart)})
	}
	sc.pairLookups = ls
	prefetchDirs(ls)
}

// ContinuePairPostings: see StartPairPostings.
func (p *PersonIndex) ContinuePairPostings(sc *BatchScratch) { lookupDirs(sc.pairLookups) }

// EndPairPostings sets dst[i] to the pair postings of the i-th query of StartPairPostings;
// see StartPairPostings. dst must be at least as long as the queries.
func (p *PersonIndex) EndPairPostings(dst [][]PairPosting, sc *BatchScratch) {
	ls := sc.pairLookups
	lookupFirsts(ls)
	lookupWithin(ls)
	for i := range ls {
		dst[i] = p.pairs.ent[ls[i].lo:ls[i].hi]
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
			ls = append(ls, keyLookup[keyEnt]{d: &p.skelTerms, h: SkeletonKey(q.Text)})
		} else {
			ls = append(ls, keyLookup[keyEnt]{d: &p.keys, h: hashString(q.Text, -1)})
		}
	}
	sc.lookups = ls
	prefetchDirs(ls)
	lookupDirs(ls)
	lookupFirsts(ls)
	lookupWithin(ls)
	// The kinds and offsets of the values under each key.
	items := uint32(len(p.itemJoined))
	for i := range ls {
		l := &ls[i]
		for _, e := range l.d.ent[l.lo:l.hi] {
			v := e.val
			if qs[i].Skeleton {
				prefetch(unsafe.Pointer(&p.skelOff[v-items]))
			} else {
				prefetch(unsafe.Pointer(&p.itemJoined[v]))
				prefetch(unsafe.Pointer(&p.itemOff[v]))
				prefetch(unsafe.Pointer(&p.itemWeight[v]))
			}
		}
	}
	// The values under each key whose kind and length agree with the query's; a key leads to
	// other texts too (MRZ folds, deletions), ruled out here without reading them.
	cands := sc.cands[:0]
	for i := range ls {
		l := &ls[i]
		dst[i] = NoItem
		q := &qs[i]
		for _, e := range l.d.ent[l.lo:l.hi] {
			v := e.val
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
	// Their texts. With them, what a search reads next of a term it finds, assuming it is the
	// answer, as it nearly always is: the metadata of the term, and an item's neighbour list
	// and skeleton term.
	for _, c := range cands {
		prefetch(unsafe.Pointer(&p.terms[c.term]))
		if qs[c.query].Skeleton {
			prefetch(unsafe.Pointer(unsafe.StringData(p.skelText[c.off:])))
		} else {
			prefetch(unsafe.Pointer(unsafe.StringData(p.itemText[c.off:])))
			prefetch(unsafe.Pointer(&p.nbOff[c.term]))
			prefetch(unsafe.Pointer(&p.itemSkel[c.term]))
		}
	}
	for _, c := range cands {
		q := &qs[c.query]
		if dst[c.query] != NoItem {
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
// the item or skeleton texts.
type textCand struct {
	query, term, off uint32
	weight           float64 // the item's weight (items only)
}

// WarmNeighbours prefetches the neighbour lists of items (see Neighbours); their offsets must
// be in cache (FindTerms prefetches them).
func (p *PersonIndex) WarmNeighbours(items []uint32) {
	for _, it := range items {
		if lo, hi := p.nbOff[it], p.nbOff[it+1]; lo < hi {
			warmSlice(p.nb[lo:hi])
		}
	}
}

// keyLookup is one lookup of a batched key directory search: the directory and hash asked
// for, and where the values stored under it are in the directory's values (lo, hi).
type keyLookup[E dirEntry] struct {
	d      *keyDir[E]
	h      uint64
	lo, hi uint32
	first  uint32 // the bucket's first fingerprint, read in the second pass
}

// A batched key directory search finds where the values of every lookup are, as keyDir.span
// does, in rounds over all of them, each prefetching what the next one reads: the directory
// buckets (prefetchDirs), their bounds (lookupDirs), then the first fingerprint of each
// bucket (lookupFirsts) and the search within the buckets (lookupWithin).

// prefetchDirs prefetches the directory bucket of every lookup.
func prefetchDirs[E dirEntry](ls []keyLookup[E]) {
	for i := range ls {
		if l := &ls[i]; len(l.d.dir) > 0 {
			prefetch(unsafe.Pointer(&l.d.dir[l.h>>(64-l.d.bits)]))
		}
	}
}

// lookupDirs reads the directory bucket of every lookup, and prefetches its first entry.
func lookupDirs[E dirEntry](ls []keyLookup[E]) {
	for i := range ls {
		l := &ls[i]
		if len(l.d.dir) == 0 {
			continue
		}
		b := l.h >> (64 - l.d.bits)
		l.lo, l.hi = l.d.dir[b], l.d.dir[b+1]
		if l.lo < l.hi {
			prefetch(unsafe.Pointer(&l.d.ent[l.lo]))
		}
	}
}

// lookupFirsts reads the first fingerprint of every lookup's bucket.
func lookupFirsts[E dirEntry](ls []keyLookup[E]) {
	for i := range ls {
		if l := &ls[i]; l.lo < l.hi {
			l.first = entryFP(&l.d.ent[l.lo])
		}
	}
}

// lookupWithin finds every lookup's values within its bucket.
func lookupWithin[E dirEntry](ls []keyLookup[E]) {
	for i := range ls {
		l := &ls[i]
		lo, hi := int(l.lo), int(l.hi)
		if lo < hi && l.first < fingerprint(l.d.bits, l.h) {
			lo, hi = l.d.within(l.h, lo+1, hi)
		} else {
			lo, hi = l.d.within(l.h, lo, hi)
		}
		l.lo, l.hi = uint32(lo), uint32(hi)
	}
}

// WarmRecord prefetches record r, and its traits unless its date summary d holds them (see
// SummaryTraits and the batched reads above): a search calls it as soon as it finds a
// candidate, so that the read is under way while it looks for the others.
func (p *PersonIndex) WarmRecord(r uint32, d DateSummary) {
	prefetch(unsafe.Pointer(&p.recs[r]))
	if d.Count() > 1 {
		prefetch(unsafe.Pointer(&p.traits[r]))
	}
}

// WarmRecordData prefetches the name entries of records rs, and their dates of birth and
// nationalities unless their date summaries (ds, one per record; nil: none) tell them (see
// SummaryExact). The records must be in cache (WarmRecord).
func (p *PersonIndex) WarmRecordData(rs []uint32, ds []DateSummary) {
	for i, r := range rs {
		rec := &p.recs[r]
		if ds == nil || !p.SummaryExact(ds[i]) {
			if rec.nDobs > 0 {
				prefetch(unsafe.Pointer(&p.dobs[rec.dobOff]))
			}
			if rec.nNats > 0 {
				prefetch(unsafe.Pointer(&p.nats[rec.natOff]))
			}
		}
		if rec.nNames > 0 {
			prefetch(unsafe.Pointer(&p.names[rec.nameOff]))
			prefetch(unsafe.Pointer(&p.names[rec.nameOff+uint32(rec.nNames)-1]))
		}
	}
}

// WarmNames prefetches the tokens of every name of records rs. The records' name entries must
// be in cache (WarmRecordData).
func (p *PersonIndex) WarmNames(rs []uint32) {
	for _, r := range rs {
		rec := &p.recs[r]
		for e := rec.nameOff; e < rec.nameOff+uint32(rec.nNames); e++ {
			if n := &p.names[e]; n.nTok > 0 {
				prefetch(unsafe.Pointer(&p.toks[n.tokOff]))
				prefetch(unsafe.Pointer(&p.toks[n.tokOff+uint32(n.nTok)-1]))
			}
		}
	}
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

// AppendTraits appends the traits of records rs to dst: from their date summaries ds (one
// per record; nil: none) when they hold them (see SummaryTraits), from a small array
// otherwise.
func (p *PersonIndex) AppendTraits(dst []Traits, rs []uint32, ds []DateSummary) []Traits {
	for i, r := range rs {
		if ds != nil {
			if t, ok := p.SummaryTraits(ds[i]); ok {
				dst = append(dst, t)
				continue
			}
		}
		dst = append(dst, p.traits[r])
	}
	return dst
}
