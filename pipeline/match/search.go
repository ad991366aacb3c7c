package match

import (
	"math"
	"math/bits"
	"slices"
	"sync"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// Person search. Screen never scans a person database: it finds its candidates through the
// snapshot's name index, and proves (the differential test checks it) that every record a full
// scan would report is among them. The search runs in three steps.
//
//  1. Expansion. Every unit of the subject's name (tokens, adjacent tokens joined, particle
//     runs joined with their head) becomes the items it matches exactly, by MRZ spelling or
//     with a typo: for a text the index has, the item and its precomputed neighbours; for any
//     other, the items found under its index keys (text, MRZ fold, one-byte deletions),
//     compared with it (index.CompareItem). Both find every such item, because such units
//     share a key. Phonetic matches are not expanded item by item (a common skeleton has
//     hundreds of spellings): the unit's skeleton term stands for all of them, at the phonetic
//     similarity.
//  2. Candidates. A record can only score above zero through the terms of step 1 (items and
//     skeletons). A rare term's postings are read in full. A frequent term's postings are
//     grouped by the records' years of birth and sorted by the term's share f of the name (the
//     IDF weight of the tokens it covers over the name's); within each group only the postings
//     that could still reach the threshold are read:
//     - the group's date of birth, nationality and sex evidence is at most rest(y), so the name
//       similarity must reach sMin = (threshold − rest(y))/nameWeight; a group where sMin is
//       out of reach is skipped. The groups are ordered by their largest share, so a search
//       stops at the first one under the share the least sMin of any year needs;
//     - the name similarity is at most recordCoverage·RC + subjectCoverage, so the record
//       coverage RC must reach R = (sMin − subjectCoverage)/recordCoverage; a name reached through
//       this term alone has RC ≤ s·f (s: the term's best similarity; s·f + I·(1 − f) when the
//       subject has initials, which may add I = InitialSimilarity per unmatched token), so only
//       postings with f ≥ R/s can hit through it alone;
//     - a name reached through two frequent terms on different tokens is in the pair postings
//       of those two terms, which are read whenever a cut was made. A name reached through a
//       rare term was read in full above. Two terms on one token (an item and its own skeleton)
//       do not add up, so a name reached only through them is a single-term case.
//     A subject with a single name part against a record name with both is compared on the
//     subject's part only (and at most missingFactor), which the share does not bound: those
//     groups are read in full when not skipped. Light units (see lightUnits) bound the subject
//     coverage of names with both parts that only they reach: their frequent terms are left to
//     the pairs with other units' terms, and pairs of light terms are not read.
//     Every posting carries its record's date-of-birth summary, which for a record with at
//     most one date of birth holds its sex and nationality too (index.DateSummary): a record
//     that these rule out is dropped without being read.
//  3. Scoring. Every candidate's date of birth, nationality and sex are compared first; when a
//     perfect name could not reach the threshold the record is dropped. The names are then
//     compared through the expansion table and the tokens' skeleton terms (no string
//     comparison), which computes exactly what the reference comparison computes; a record
//     that reaches the threshold is scored again by the reference (scorePerson) for its hit
//     and reasons. Before any record is read, a bound from the posting's date summary and the
//     record's traits (sex and nationality, index.Traits, held by the summary or a small array)
//     drops the candidates step 2 could not, and a summary that tells a record's dates,
//     nationality and sex spares reading them.
//
// On a large index nearly every place a search reads is a cache and TLB miss, and one after
// another they were most of a screening's time. So each step first prefetches what its logic
// will read for all its terms, groups, pairs or records together, so that the reads are under
// way at once (index.PersonIndex.WarmTerms and the other batched reads), and then runs its
// logic on data in cache. What a screening costs now is mostly how many cache lines it reads.
// The order of the candidates changes, never the set: hits are sorted at the end.

// pruneMargin keeps every bound loose by more than the score rounding (four decimals).
const pruneMargin = 1e-3

// searcher holds the scratch space of one person search. Searchers are pooled.
type searcher struct {
	p    *index.PersonIndex
	seen []uint32 // open-addressing set of the candidates (record+1), cleared after each search

	// expansion: items matched exactly, by MRZ transliteration or with a typo
	items []uint32  // expanded items
	mask  []uint64  // per item: the units it matches
	smax  []float64 // per item: its best similarity with any unit
	sims  []float64 // per item and unit: the similarity (len(items)·len(units))
	nu    int
	table []uint64 // open addressing: item+1 << 32 | index
	// the skeleton term of each unit (NoItem: none), and the terms to search: the expanded
	// items, then the distinct skeleton terms, with their best similarity
	unitSkel []uint32
	anySkel  bool // some unit has a skeleton term
	terms    []uint32
	termSim  []float64
	termMask []uint64 // the units each term matches

	stats searchStats
	query personQuery // the subject's, reused

	// scratch of the candidate search (see candidates)
	reads    []groupRead
	covered  []bool // per term: every posting read, or provably unable to hit
	pairs    []pairRead
	frequent []int32  // the indexes of the frequent terms
	pairA    []uint32 // per pair: its terms
	pairB    []uint32
	may      []bool  // per pair: MayPair
	pairOf   []int32 // per pair query: its pair
	pairQs   []index.PairQuery
	pairPost [][]index.PairPosting
	batch    index.BatchScratch
	known    []uint32            // the units' items
	candDate []index.DateSummary // per candidate: its date-of-birth summary
	traits   []index.Traits
	pre      []uint32 // the candidates within the bound of keep
	preDate  []index.DateSummary
	kept     []uint32  // the candidates kept by keep
	rests    []float64 // per kept candidate: its date-of-birth, nationality and sex evidence

	found []uint32
	keys  []uint64
	cands []uint32

	// per year of birth 1800+i: its class against the subject's (see classifyYears); the
	// years classified one by one (every other one is far), in order
	yearClass [yearSpan]uint8
	yearFill  uint8 // the class of every year of yearClass but those of near (0 when never set)
	near      []uint16
	// per class of years: the best date-of-birth, nationality and sex evidence, the name
	// similarity needed to reach the threshold with it, and whether that is possible; valid
	// when set (see restBound)
	restCache [yearClasses]float64
	restSet   [yearClasses]bool
	sMinClass [yearClasses]float64
	possible  [8]bool // by class (yearClasses of them; 8 so that a masked class needs no bounds check)
	sMinLow   float64 // the least of sMinClass
	// whether a record without a date of birth may reach the threshold with a perfect name
	noYearViable bool
	threshold    float64
	// traitsBound of a posting's summary (see visit), by its sex field; by whether its
	// nationality field is none (2), the subject's or SummaryNatOther (1), or another (0);
	// the subject's nationality field
	sexBound [4]float64
	natBound [4]float64
	natField uint8
	// the best nationality and sex evidence; whether a record without a date of birth may hit
	natSexMax      float64
	noDatePossible bool
}

// yearSpan covers the years event.Date accepts.
const yearSpan = 401

// searchStats counts what one search read, for tests and tuning.
type searchStats struct {
	rare, group, pair  int // postings read in full, from group prefixes, from pairs
	cutGroups, skipped int // groups read in part, groups skipped by the date bound
	stopped            int // groups passed over after a term's first group under its least share
	pairLookups        int
	pairEmpty          int
	yearDropped        int // postings dropped by the record's year of birth
}

var searchers = sync.Pool{New: func() any { return &searcher{} }}

func getSearcher(p *index.PersonIndex) *searcher {
	sr := searchers.Get().(*searcher)
	sr.p = p
	if len(sr.seen) == 0 {
		sr.seen = make([]uint32, 256)
	}
	sr.stats = searchStats{}
	sr.cands, sr.candDate = sr.cands[:0], sr.candDate[:0]
	return sr
}

func putSearcher(sr *searcher) {
	if len(sr.cands) > len(sr.seen)/8 { // empty the set: wholesale, or the slots used
		clear(sr.seen)
	} else {
		// In reverse order of insertion (growing re-inserts in that order too): the slots on
		// the probe chain of each record removed are still set, so its lookup finds it.
		for i := len(sr.cands) - 1; i >= 0; i-- {
			sr.seen[sr.slotOf(sr.cands[i])] = 0
		}
	}
	sr.cands = sr.cands[:0]
	sr.p, sr.unitSkel = nil, nil
	clear(sr.query.toks[:cap(sr.query.toks)]) // the pool must not keep the subject's name
	clear(sr.query.units[:cap(sr.query.units)])
	sr.query.nat = ""
	searchers.Put(sr)
}

// expand fills the expansion of the subject's units.
func (sr *searcher) expand(q *personQuery) {
	sr.items, sr.mask, sr.smax, sr.sims = sr.items[:0], sr.mask[:0], sr.smax[:0], sr.sims[:0]
	sr.nu = len(q.units)
	if len(sr.table) < 256 {
		sr.table = make([]uint64, 256)
	} else {
		clear(sr.table)
	}
	sr.unitSkel, sr.anySkel = q.unitSkel, false
	for _, t := range sr.unitSkel {
		sr.anySkel = sr.anySkel || t != index.NoItem
	}
	record := func(u int, it uint32, m index.NameMatch) {
		idx, ok := sr.find(it)
		if !ok {
			idx = sr.add(it)
		}
		s := m.Similarity()
		sr.mask[idx] |= 1 << u
		sr.smax[idx] = max(sr.smax[idx], s)
		sr.sims[idx*sr.nu+u] = s
	}
	sr.known = sr.known[:0]
	for _, it := range q.unitItem {
		if it != index.NoItem {
			sr.known = append(sr.known, it)
		}
	}
	sr.p.WarmNeighbours(sr.known)
	for u := range q.units {
		unit := &q.units[u]
		// A text the index has: its precomputed neighbours. Otherwise: its keys.
		if it := q.unitItem[u]; it != index.NoItem {
			record(u, it, index.NameExact)
			sr.p.Neighbours(it, func(x uint32, m index.NameMatch) { record(u, x, m) })
			continue
		}
		sr.found, sr.keys = sr.p.LookupItems(unit, sr.found[:0], sr.keys)
		slices.Sort(sr.found)
		for _, it := range slices.Compact(sr.found) {
			// Phonetic matches go through the unit's skeleton term.
			if m := sr.p.CompareItem(unit, index.NoItem, it); m != index.NameNone {
				record(u, it, m)
			}
		}
	}
	sr.terms, sr.termSim, sr.termMask = append(sr.terms[:0], sr.items...), append(sr.termSim[:0], sr.smax...), append(sr.termMask[:0], sr.mask...)
	phonetic := index.NamePhonetic.Similarity()
	for u, t := range sr.unitSkel {
		if t == index.NoItem {
			continue
		}
		if k := slices.Index(sr.terms[len(sr.items):], t); k >= 0 {
			sr.termMask[len(sr.items)+k] |= 1 << u
		} else {
			sr.terms, sr.termSim, sr.termMask = append(sr.terms, t), append(sr.termSim, phonetic), append(sr.termMask, 1<<u)
		}
	}
}

// add adds item it to the expansion and returns its index.
func (sr *searcher) add(it uint32) int {
	if 4*(len(sr.items)+1) > len(sr.table) {
		sr.grow()
	}
	idx := len(sr.items)
	sr.items = append(sr.items, it)
	sr.mask = append(sr.mask, 0)
	sr.smax = append(sr.smax, 0)
	for range sr.nu {
		sr.sims = append(sr.sims, 0)
	}
	sr.insert(it, idx)
	return idx
}

func (sr *searcher) insert(it uint32, idx int) {
	m := uint64(len(sr.table) - 1)
	for h := uint64(it) * 0x9e3779b97f4a7c15 >> 32 & m; ; h = (h + 1) & m {
		if sr.table[h] == 0 {
			sr.table[h] = uint64(it+1)<<32 | uint64(idx)
			return
		}
	}
}

func (sr *searcher) grow() {
	sr.table = make([]uint64, 2*len(sr.table))
	for idx, it := range sr.items {
		sr.insert(it, idx)
	}
}

// find returns the expansion index of item it.
func (sr *searcher) find(it uint32) (int, bool) {
	m := uint64(len(sr.table) - 1)
	key := uint64(it + 1)
	for h := uint64(it) * 0x9e3779b97f4a7c15 >> 32 & m; ; h = (h + 1) & m {
		switch v := sr.table[h]; {
		case v == 0:
			return 0, false
		case v>>32 == key:
			return int(uint32(v)), true
		}
	}
}

// Year classes of a record's birth year against the subject's (see restBound).
const (
	yearUnknown = iota
	yearSame
	yearNearTypo
	yearTypo
	yearNear
	yearFar
	yearClasses
)

// yearClass classifies year y against the subject's date of birth (0: no year).
func yearClass(q event.Date, y int) int {
	switch {
	case q.IsZero() || y == 0:
		return yearUnknown
	case y == q.Year:
		return yearSame
	}
	near := y == q.Year+1 || y == q.Year-1
	typo := q.Precision() == 3 && oneDigitApart(q, event.Date{Year: y, Month: q.Month, Day: q.Day})
	switch {
	case near && typo:
		return yearNearTypo
	case typo:
		return yearTypo
	case near:
		return yearNear
	}
	return yearFar
}

// classifyYears sets the class of every year of birth event.Date accepts against the
// subject's (see yearClass): every year but the subject's, the ones next to it and the ones a
// digit away is far. It comes first in a search: every bound by year reads it.
func (sr *searcher) classifyYears(q *personQuery) {
	// The array keeps the previous search's classes: refill only what changes.
	fill := uint8(yearFar)
	if q.dob.IsZero() {
		fill = yearUnknown
	}
	if sr.yearFill != fill+1 {
		for i := range sr.yearClass {
			sr.yearClass[i] = fill
		}
		sr.yearFill = fill + 1
	} else {
		for _, y := range sr.near {
			sr.yearClass[y-1800] = fill
		}
	}
	sr.near = sr.near[:0]
	if q.dob.IsZero() {
		return
	}
	// yearClass of year u, which differs from the subject's in exactly one digit when digit is
	// set (then no digit needs comparing).
	y, full := q.dob.Year, q.dob.Precision() == 3
	var seen [(yearSpan + 63) / 64]uint64
	set := func(u int, digit bool) {
		i := u - 1800
		if i < 0 || i >= yearSpan || seen[i/64]&(1<<(i%64)) != 0 {
			return
		}
		seen[i/64] |= 1 << (i % 64)
		near, typo := u == y+1 || u == y-1, full && digit
		switch {
		case u == y:
			sr.yearClass[i] = yearSame
		case near && typo:
			sr.yearClass[i] = yearNearTypo
		case typo:
			sr.yearClass[i] = yearTypo
		case near:
			sr.yearClass[i] = yearNear
		}
		sr.near = append(sr.near, uint16(u))
	}
	set(y-1, oneDigit(y, y-1))
	set(y+1, oneDigit(y, y+1))
	for pow := 1; pow <= 1000; pow *= 10 { // one digit changed, and the year itself
		d := y / pow % 10
		for x := range 10 {
			set(y+(x-d)*pow, x != d)
		}
	}
	slices.Sort(sr.near)
}

// classOf returns the class of year y against the subject's (0: no date of birth).
func (sr *searcher) classOf(q *personQuery, y int) int {
	if i := y - 1800; i >= 0 && i < yearSpan {
		return int(sr.yearClass[i])
	}
	return yearClass(q.dob, y)
}

// restBound is the best date-of-birth, nationality and sex evidence a record born in year y
// (0: no date of birth) can give the subject. It depends on the year's class only.
func (sr *searcher) restBound(q *personQuery, y int) float64 {
	c := sr.classOf(q, y)
	if sr.restSet[c] {
		return sr.restCache[c]
	}
	best := dobWeights[dobUnknown]
	if c != yearUnknown {
		best = dobWeights[dobConflict]
		cands := [...]event.Date{{Year: y}, {Year: y, Month: q.dob.Month}, {Year: y, Month: q.dob.Month, Day: q.dob.Day}, {Year: y, Month: q.dob.Day, Day: q.dob.Month}}
		for _, d := range cands {
			if d.Month > 12 || d.Day != 0 && d.Month == 0 {
				continue
			}
			best = max(best, dobWeights[compareDOB(q.dob, d)])
		}
	}
	if q.nat != "" {
		best += natAgree
	}
	if q.sex != 0 {
		best += sexAgree
	}
	sr.restCache[c], sr.restSet[c] = best, true
	sr.sMinClass[c] = (sr.threshold - best - pruneMargin) / nameWeight
	sr.possible[c] = nameWeight+best >= sr.threshold-pruneMargin
	return best
}

// viableYears computes, per class of years, whether a record born in such a year may still
// reach the threshold with a perfect name, so that the other groups are passed over with one
// test, and the name similarity it needs; and the least of those. Call it after
// classifyYears, once the threshold is set.
func (sr *searcher) viableYears(q *personQuery) {
	sr.restSet = [yearClasses]bool{}
	sr.noYearViable = nameWeight+sr.restBound(q, 0) >= sr.threshold-pruneMargin
	sr.restBound(q, 1800+slices.Index(sr.yearClass[:], yearFar)) // every year when none is far
	for _, y := range sr.near {
		sr.restBound(q, int(y))
	}
	// The least name similarity any year needs: the groups of frequent terms are ordered by
	// their largest share, and a search stops at the first one that falls short of it.
	sr.sMinLow = math.Inf(1)
	for c, set := range sr.restSet {
		if set {
			sr.sMinLow = min(sr.sMinLow, sr.sMinClass[c])
		}
	}
}

// groupClass returns the class of year y (YearNone: no date of birth) and whether a record
// born then may reach the threshold with a perfect name.
func (sr *searcher) groupClass(q *personQuery, y uint16) (int, bool) {
	if i := uint(y) - 1800; i < yearSpan {
		return sr.rangeClass(i)
	}
	if y == index.YearNone {
		return yearUnknown, sr.noYearViable
	}
	return yearClass(q.dob, int(y)), true
}

// rangeClass is groupClass of year 1800+i, i < yearSpan: small enough to be inlined into the
// loops over hundreds of groups and postings.
func (sr *searcher) rangeClass(i uint) (int, bool) {
	c := sr.yearClass[i] & 7
	return int(c), sr.possible[c]
}

// yearPossible reports whether a record born in year y may reach the threshold with a perfect
// name; a year out of the range event.Date accepts is.
func (sr *searcher) yearPossible(y int) bool {
	i := uint(y - 1800)
	if i >= yearSpan {
		return true
	}
	_, possible := sr.rangeClass(i)
	return possible
}

// sMin is the name similarity a record born in year y (0: no date of birth) needs to reach
// the threshold.
func (sr *searcher) sMin(q *personQuery, y uint16) float64 {
	c := sr.classOf(q, int(y))
	if !sr.restSet[c] {
		sr.restBound(q, int(y))
	}
	return sr.sMinClass[c]
}

// groupPlan is how a search reads the posting groups of a frequent term whose records are
// born in one class of years, compared on one name part (full) or not: not at all (skip), or
// only the postings of a share of at least min, in 255ths (all of them when min is 0; none
// when it is over 255).
type groupPlan struct {
	set, skip bool
	min       uint16
}

// planGroups plans the groups of a frequent term of best similarity s whose records are born
// in year y (see groupPlan). It depends on the class of y only.
func (sr *searcher) planGroups(q *personQuery, y uint16, full bool, s float64) groupPlan {
	sMin := sr.sMin(q, y)
	maxSim := 1.0
	if full {
		maxSim = missingFactor
	}
	if sMin > maxSim {
		return groupPlan{set: true, skip: true}
	}
	if full {
		return groupPlan{set: true}
	}
	return groupPlan{set: true, min: shareMin(sMin, s, q.initials)}
}

// shareMin is shareCut in 255ths, as shares are kept: f ≥ c needs share ≥ ⌈255·c⌉ (256: no
// share is enough).
func shareMin(sMin, s float64, initials bool) uint16 {
	c := shareCut(sMin, s, initials) - 1e-9
	return uint16(min(max(math.Ceil(255*c-1e-6), 0), 256))
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// shareCut is the smallest share f of a name that an item of best similarity s must hold for
// the name to reach similarity sMin through that item alone; 0 means every posting.
func shareCut(sMin, s float64, initials bool) float64 {
	r := (sMin - subjectCoverage) / recordCoverage
	if r <= 0 {
		return 0
	}
	if !initials {
		return r / s
	}
	const i = index.InitialSimilarity
	switch {
	case r <= i:
		return 0
	case s <= i:
		return 2 // unreachable: shares are at most 1
	}
	return (r - i) / (s - i)
}

// groupRead is a posting group of a frequent term that a search reads: its postings with a
// share of at least min (in 255ths; all of them when min is 0).
type groupRead struct {
	idx, gi    int32 // the term's index in sr.terms, the group's among the term's groups
	start, end uint32
	min        uint16
}

// pairRead is a pair of frequent terms (sr.terms[x], sr.terms[y]) and where a search may read
// their pair postings: among the names with both parts or a full name (twoParts), among the
// names with one part (onePart).
type pairRead struct {
	x, y              int32
	twoParts, onePart bool
}

// candidates collects the records to score into sr.cands. Each step first reads, for all its
// terms, groups or pairs at once, what its logic then reads (see index.PersonIndex.WarmTerms),
// so that the cache misses of a large index overlap instead of adding up.
func (sr *searcher) candidates(q *personQuery, threshold float64) {
	p := sr.p
	sr.threshold = threshold
	sr.classifyYears(q)
	sr.viableYears(q)
	sr.natSexMax = sr.restBound(q, 0) // no date: dobUnknown weighs 0
	sr.summaryBounds(q)
	sr.noDatePossible = nameWeight+sr.natSexMax >= threshold-pruneMargin
	post, shares := p.AllPostings()
	lone := q.lonePart()
	// Light units: a name with both parts or a full name that only they reach has too little
	// subject coverage to reach the best sMin (its record coverage at most 1). Such names
	// reached through a frequent term of light units only need not be read; names reached
	// through a light term and another are found through that other term or their pair.
	sMinBest := (threshold - sr.restBound(q, q.dob.Year) - pruneMargin) / nameWeight
	light := q.lightUnits((sMinBest-recordCoverage)/subjectCoverage - pruneMargin)
	p.WarmTerms(sr.terms)
	p.WarmTermData(sr.terms)
	sr.planPairs(q, light, sMinBest)
	// Rare terms: every posting. Frequent terms: the groups to read, and whether every posting
	// of the term is read or provably cannot hit (covered).
	reads := sr.reads[:0]
	sr.covered = sr.covered[:0]
	for idx, it := range sr.terms {
		sr.covered = append(sr.covered, true)
		if !p.TermFrequent(it) {
			continue
		}
		s := sr.termSim[idx]
		lightOnly := sr.termMask[idx]&^light == 0 // the term matches light units only
		var plans [yearClasses][2]groupPlan       // by class of years, and full
		// The groups come by their largest share, largest first: from the first one under
		// the share the most lenient class of years needs, none is read (a subject with one
		// name part reads the groups of names with both in full: no stop).
		stop := uint16(0)
		if !lone {
			stop = shareMin(sr.sMinLow, s, q.initials)
		}
		keys := p.GroupKeys(it)
		for gi, key := range keys {
			year, twoParts, maxShare := uint16(key&0xFFFF)>>1, key&1 == 1, uint16(key>>16)
			if maxShare < stop {
				sr.stats.stopped += len(keys) - gi
				sr.covered[idx] = false
				break
			}
			// groupClass, its commonest case inlined: the loop runs over hundreds of groups.
			var class int
			var viable bool
			if i := uint(year) - 1800; i < yearSpan {
				class, viable = sr.rangeClass(i)
			} else {
				class, viable = sr.groupClass(q, year)
			}
			if !viable {
				sr.stats.skipped++
				continue
			}
			if twoParts && lightOnly {
				sr.covered[idx] = false // left to the pairs with terms of other units
				continue
			}
			full := lone && twoParts
			pl := &plans[class][b2i(full)]
			if !pl.set {
				*pl = sr.planGroups(q, year, full, s)
			}
			if pl.skip {
				sr.stats.skipped++
				continue
			}
			if maxShare < pl.min {
				sr.stats.cutGroups++
				sr.covered[idx] = false
				continue
			}
			reads = append(reads, groupRead{idx: int32(idx), gi: int32(gi), min: pl.min})
		}
	}
	sr.reads = reads
	for i := range reads {
		p.WarmGroupSpan(sr.terms[reads[i].idx], int(reads[i].gi))
	}
	sr.startPairs()
	// The rare terms' postings (WarmTermData prefetched them).
	for _, it := range sr.terms {
		if !p.TermFrequent(it) {
			ps, _ := p.Postings(it)
			sr.stats.rare += len(ps)
			for _, x := range ps {
				if sr.yearDrops(x.Date) {
					sr.stats.yearDropped++
					continue
				}
				sr.visit(q, x)
			}
		}
	}
	for i := range reads {
		g := &reads[i]
		g.start, g.end = p.GroupSpan(sr.terms[g.idx], int(g.gi))
		p.WarmPostings(g.start, g.end, g.min > 0)
	}
	p.ContinuePairPostings(&sr.batch)
	for i := range reads {
		g := &reads[i]
		start, end := g.start, g.end
		if g.min > 0 {
			sr.stats.cutGroups++
			for i := start; i < end; i++ {
				if uint16(shares[i]) < g.min {
					end = i
					sr.covered[g.idx] = false
					break
				}
			}
		}
		sr.stats.group += int(end - start)
		for _, x := range post[start:end] {
			if sr.yearDrops(x.Date) {
				sr.stats.yearDropped++
				continue
			}
			sr.visit(q, x)
		}
	}
	sr.pairCandidates(q)
}

// planPairs lists the pairs of the search's frequent terms whose pair postings it may read
// (see pairCandidates) and reads ahead the first word of their partner signatures. The
// pairs pairCandidates reads are those of two terms neither of which turns out to be read in
// full; planned with all frequent terms as soon as their metadata are in, their signatures,
// directory buckets and fingerprints are read while the search reads the terms' postings.
// Among names with both parts or a full name, a pair whose terms match only light units, or
// one subject unit whose share of the subject's weight cannot bring the name to sMin, needs
// nothing more: such a name either is reached through a term of another unit too — and then
// through a pair with it — or its subject coverage is at most that share. Names with one part
// are compared without the subject's other part, which that share does not bound: their
// pairs are always read.
func (sr *searcher) planPairs(q *personQuery, light uint64, sMinBest float64) {
	p := sr.p
	frequent := sr.frequent[:0]
	for x, t := range sr.terms {
		if p.TermFrequent(t) {
			frequent = append(frequent, int32(x))
		}
	}
	sr.frequent = frequent
	// The units whose share of the subject's weight cannot bring a name to sMinBest alone.
	var narrow uint64
	for u := range q.units {
		if recordCoverage+subjectCoverage*q.unitShare(u) < sMinBest {
			narrow |= 1 << u
		}
	}
	pairs := sr.pairs[:0]
	sr.pairA, sr.pairB = sr.pairA[:0], sr.pairB[:0]
	for i, x := range frequent {
		for _, y := range frequent[i+1:] {
			a, b := sr.terms[x], sr.terms[y]
			units := sr.termMask[x] | sr.termMask[y]
			twoParts := units&^light != 0 && !(bits.OnesCount64(units) == 1 && units&narrow != 0)
			onePart := p.TermInOnePart(a) && p.TermInOnePart(b)
			if !twoParts && !onePart {
				continue
			}
			pairs = append(pairs, pairRead{x: x, y: y, twoParts: twoParts, onePart: onePart})
			sr.pairA, sr.pairB = append(sr.pairA, a), append(sr.pairB, b)
		}
	}
	sr.pairs = pairs
	p.WarmPairs(sr.pairA, sr.pairB, &sr.batch)
}

// startPairs checks the planned pairs' signatures (MayPair) and starts the pair postings
// lookups of those that may have some (see index.PersonIndex.StartPairPostings).
func (sr *searcher) startPairs() {
	p := sr.p
	sr.may = slices.Grow(sr.may[:0], len(sr.pairs))[:len(sr.pairs)]
	p.MayPairs(sr.may, &sr.batch)
	qs, qp := sr.pairQs[:0], sr.pairOf[:0]
	for i, pr := range sr.pairs {
		if !sr.may[i] {
			continue
		}
		a, b := sr.pairA[i], sr.pairB[i]
		if pr.twoParts {
			qs, qp = append(qs, index.PairQuery{A: a, B: b}), append(qp, int32(i))
		}
		if pr.onePart {
			qs, qp = append(qs, index.PairQuery{A: a, B: b, OnePart: true}), append(qp, int32(i))
		}
	}
	sr.pairQs, sr.pairOf = qs, qp
	p.StartPairPostings(qs, &sr.batch)
}

// pairCandidates adds the records with a name holding two frequent terms on different tokens,
// neither term read in full, through the pair postings. A pair with a term read in full needs
// nothing more (see planPairs for the pairs read).
func (sr *searcher) pairCandidates(q *personQuery) {
	p := sr.p
	qs := sr.pairQs
	if len(qs) == 0 {
		return
	}
	if cap(sr.pairPost) < len(qs) {
		sr.pairPost = make([][]index.PairPosting, len(qs))
	}
	ps := sr.pairPost[:len(qs)]
	p.EndPairPostings(ps, &sr.batch)
	for i, run := range ps {
		if sr.needed(i) {
			index.WarmPairRun(run)
		}
	}
	for i, run := range ps {
		ps[i] = nil // the pool must not keep the index alive
		if !sr.needed(i) {
			continue
		}
		sr.stats.pairLookups++
		if len(run) == 0 {
			sr.stats.pairEmpty++
		}
		sr.stats.pair += len(run)
		for i := range run {
			if sr.yearDrops(run[i].Date) {
				sr.stats.yearDropped++
				continue
			}
			sr.visit(q, run[i].Posting)
		}
	}
}

// needed reports whether pair query i is of two terms neither of which was read in full.
func (sr *searcher) needed(i int) bool {
	pr := sr.pairs[sr.pairOf[i]]
	return !sr.covered[pr.x] && !sr.covered[pr.y]
}

// visit adds a posting's record to the candidates, unless it is one already or its
// dates of birth alone rule it out: a perfect name plus its best date-of-birth evidence and
// the best nationality and sex evidence stays under the threshold. The date summary comes
// with the posting, so a dropped record is never read.
func (sr *searcher) visit(q *personQuery, x index.Posting) {
	r, d := x.Rec, x.Date
	switch d.Count() {
	case 0, 1:
		// The summary holds the record's sex and nationality too: the bound keep applies
		// first, here.
		if nameWeight+sr.dobBound(q, d)+sr.summaryTraitsBound(d) < sr.threshold-2*pruneMargin {
			sr.stats.yearDropped++
			return
		}
	case 2:
		best := -1.0
		if first := d.First(); sr.yearPossible(first.Year) {
			best = dobWeights[compareDOB(q.dob, first)] + sr.natSexMax
		}
		if d.Count() == 2 {
			best = max(best, sr.restBound(q, d.SecondYear()))
		}
		if nameWeight+best < sr.threshold-pruneMargin {
			sr.stats.yearDropped++
			return
		}
	}
	sr.visitAny(r, d)
}

// summaryBounds fills the tables visit bounds a posting's nationality and sex evidence with,
// from the fields of its date summary (index.DateSummary.SummaryFields): what traitsBound
// gives for the traits the summary holds.
func (sr *searcher) summaryBounds(q *personQuery) {
	sr.sexBound = [4]float64{}
	if q.sex != 0 {
		sr.sexBound[1], sr.sexBound[2] = sexClash, sexClash
		sr.sexBound[b2i(q.sex == 'F')+1] = sexAgree
	}
	sr.natBound = [4]float64{}
	// natField: a field only records with several nationalities or a rare one have when the
	// summaries do not name the subject's: traitsBound gives them natAgree too.
	sr.natField = index.SummaryNatOther
	if q.nat != "" {
		if f, ok := sr.p.NationalityField(q.natCode); ok && q.natKnown {
			sr.natField = f
		}
		sr.natBound[0], sr.natBound[1] = natClash, natAgree
	}
}

// summaryTraitsBound is traitsBound of the traits date summary d holds (Count 0 or 1), by
// the tables of summaryBounds.
func (sr *searcher) summaryTraitsBound(d index.DateSummary) float64 {
	sex, nat := d.SummaryFields()
	return sr.sexBound[sex&3] + sr.natBound[b2i(nat == sr.natField || nat == index.SummaryNatOther)|b2i(nat == 0)<<1]
}

// yearDrops reports, for the commonest case, whether visit drops a posting of date summary d:
// its record was born once, in a year that cannot hit. It is small enough to be inlined into
// the loops over postings, which call visit only for the others.
func (sr *searcher) yearDrops(d index.DateSummary) bool {
	i := uint(d.FirstYear()) - 1800
	if d.Count() != 1 || i >= yearSpan {
		return false
	}
	_, possible := sr.rangeClass(i)
	return !possible
}

// visitAny adds record r, with date summary d, to the candidates unless it is one already.
func (sr *searcher) visitAny(r uint32, d index.DateSummary) {
	i := sr.slotOf(r)
	if sr.seen[i] == r+1 {
		return
	}
	sr.seen[i] = r + 1
	sr.cands, sr.candDate = append(sr.cands, r), append(sr.candDate, d)
	sr.p.WarmRecord(r, d) // keep's first read, started as soon as the candidate is known
	if 2*len(sr.cands) > len(sr.seen) {
		sr.seen = make([]uint32, 2*len(sr.seen))
		for _, c := range sr.cands {
			sr.seen[sr.slotOf(c)] = c + 1
		}
	}
}

// slotOf returns the slot of record r in the candidate set: its own, or the empty one where
// it would go.
func (sr *searcher) slotOf(r uint32) int {
	m := uint32(len(sr.seen) - 1)
	for i := r * 0x9e3779b1 >> 8 & m; ; i = (i + 1) & m {
		if v := sr.seen[i]; v == 0 || v == r+1 {
			return int(i)
		}
	}
}

// itemSkel is the skeleton term of a joined item, when some unit of the subject has one.
func (sr *searcher) itemSkel(it uint32) uint32 {
	if !sr.anySkel {
		return index.NoItem
	}
	return sr.p.ItemSkeleton(it)
}

// keep returns the candidates whose fast comparison reaches the threshold: it computes the
// score the reference comparison computes, without comparing strings. The date-of-birth,
// nationality and sex evidence of every candidate comes first — when a perfect name could not
// reach the threshold with it the record is dropped — then the names of the others; each step
// reads its data for all records at once (see index.PersonIndex.WarmRecordData), the records
// themselves as the candidates were found (visitAny).
func (sr *searcher) keep(q *personQuery, threshold float64) []uint32 {
	p := sr.p
	// A bound first, from the dates of birth the postings summarised and the sex and
	// nationality the summaries or a small array hold: most candidates end here (those
	// whose summaries hold their traits were bounded by visit already).
	// visitAny prefetched each candidate's record (WarmRecord) when it found it.
	sr.traits = p.AppendTraits(sr.traits[:0], sr.cands, sr.candDate)
	pre, preDate := sr.pre[:0], sr.preDate[:0]
	for i, r := range sr.cands {
		if nameWeight+sr.dobBound(q, sr.candDate[i])+q.traitsBound(sr.traits[i]) >= threshold-2*pruneMargin {
			pre, preDate = append(pre, r), append(preDate, sr.candDate[i])
		}
	}
	sr.pre, sr.preDate = pre, preDate
	p.WarmRecordData(pre, preDate)
	keep, rests := sr.kept[:0], sr.rests[:0]
	for i, r := range pre {
		var dob dobKind
		var nat, sex float64
		if p.SummaryExact(preDate[i]) {
			dob, nat, sex = q.summaryRest(p, preDate[i])
		} else {
			dob, nat, sex = q.rest(p, r)
		}
		if rest := dobWeights[dob] + nat + sex; nameWeight+rest >= threshold-pruneMargin {
			keep, rests = append(keep, r), append(rests, rest)
		}
	}
	p.WarmNames(keep)
	out := keep[:0]
	for i, r := range keep {
		if sr.nameHit(q, r, rests[i], threshold) {
			out = append(out, r)
		}
	}
	sr.kept, sr.rests = keep, rests
	return out
}

// dobBound is at least the date-of-birth evidence of a record whose dates of birth summary
// d summarises.
func (sr *searcher) dobBound(q *personQuery, d index.DateSummary) float64 {
	switch d.Count() {
	case 0:
		return dobWeights[dobUnknown]
	case 1:
		return dobWeights[compareDOB(q.dob, d.First())]
	case 2:
		return max(dobWeights[compareDOB(q.dob, d.First())], sr.restBound(q, d.SecondYear())-sr.natSexMax)
	}
	return dobWeights[dobFull] // the most any date gives
}

// traitsBound is at least the nationality and sex evidence of a record with traits t (it is
// that evidence, unless the record has several nationalities).
func (q *personQuery) traitsBound(t index.Traits) float64 {
	nat, sex := q.traitsEvidence(t)
	return nat + sex
}

// traitsEvidence is the nationality and sex evidence of a record with traits t, as rest
// computes it; natAgree, the most it can be, when the record has several nationalities or one
// that Traits cannot hold.
func (q *personQuery) traitsEvidence(t index.Traits) (nat, sex float64) {
	if q.nat != "" {
		switch code, n := t.Nationality(); n {
		case 1:
			nat = natClash
			if q.natKnown && code == q.natCode {
				nat = natAgree
			}
		case 2:
			nat = natAgree
		}
	}
	if q.sex != 0 {
		if c := t.Sex(); c != 0 {
			sex = sexClash
			if c == q.sex {
				sex = sexAgree
			}
		}
	}
	return nat, sex
}

// nameHit reports whether record r, with rest its date-of-birth, nationality and sex evidence,
// reaches the threshold by the fast name comparison.
func (sr *searcher) nameHit(q *personQuery, r uint32, rest, threshold float64) bool {
	first, n := sr.p.Names(r)
	best, matched := 0.0, false
	for e := first; e < first+n; e++ {
		if sim, ok := sr.nameSim(q, sr.p.NameView(e)); ok {
			best, matched = max(best, sim), true
		}
	}
	return matched && round(clamp01(nameWeight*best+rest)) >= threshold
}

// nameSim compares the subject with one record name through the expansion table. ok is false
// when no unit pair matched.
func (sr *searcher) nameSim(q *personQuery, v index.NameView) (float64, bool) {
	var bq, br [maxTokens]float64
	bestQ, bestR := bq[:len(q.toks)], br[:len(v.Tokens)]
	ok := false
	phonetic := index.NamePhonetic.Similarity()
	update := func(u, first, last int, role index.Role, s float64) {
		qu := &q.units[u]
		if crossRole(qu.Role, role) {
			s *= swapFactor
		}
		for k := qu.First; k <= qu.Last; k++ {
			bestQ[k] = max(bestQ[k], s)
		}
		for k := first; k <= last; k++ {
			bestR[k] = max(bestR[k], s)
		}
	}
	apply := func(it, skel uint32, first, last int, role index.Role) {
		if idx, found := sr.find(it); found {
			ok = true
			for mask := sr.mask[idx]; mask != 0; mask &= mask - 1 {
				u := bits.TrailingZeros64(mask)
				update(u, first, last, role, sr.sims[idx*sr.nu+u])
			}
		}
		// Phonetic matches, the weakest: where a unit matched better, max keeps the better.
		if skel != index.NoItem && sr.anySkel {
			for u, us := range sr.unitSkel {
				if us == skel {
					ok = true
					update(u, first, last, role, phonetic)
				}
			}
		}
	}
	for k, tk := range v.Tokens {
		role := index.Role(tk.Flags & index.FlagRoleMask)
		if tk.Flags&index.FlagMinor == 0 {
			apply(tk.Item, tk.Skel, k, k, role)
		}
		if tk.Join != index.NoItem {
			apply(tk.Join, sr.itemSkel(tk.Join), k, k+1, role)
		}
	}
	for _, x := range v.Extras {
		apply(x.Item, sr.itemSkel(x.Item), int(x.First), int(x.Last), index.Role(v.Tokens[x.First].Flags&index.FlagRoleMask))
	}
	if !ok {
		return 0, false
	}
	var rb [maxTokens]rtok
	rt := rb[:len(v.Tokens)]
	for k, tk := range v.Tokens {
		f := tk.Flags
		rt[k] = rtok{role: index.Role(f & index.FlagRoleMask), minor: f&index.FlagMinor != 0}
		if q.initials { // only the initial pass reads it
			rt[k].first = sr.p.ItemText(tk.Item)[0]
		}
		if !rt[k].minor {
			rt[k].weight = float64(tk.Weight)
			if f&index.FlagSecondary != 0 {
				rt[k].weight *= secondaryFactor
			}
		}
	}
	sim, _ := q.nameSim(rt, bestQ, bestR, v.Weak)
	return sim, true
}

func (m *Matcher) screenPersons(snap *index.Snapshot, db event.Database, s *event.Subject, hits []event.Hit) []event.Hit {
	p := snap.Persons(db)
	if p.Len() == 0 {
		return hits
	}
	sr := getSearcher(p)
	defer putSearcher(sr)
	return m.searchPersons(sr, snap, db, s, hits)
}

// searchPersons appends the hits of person subject s in database db to hits, searching with sr.
func (m *Matcher) searchPersons(sr *searcher, snap *index.Snapshot, db event.Database, s *event.Subject, hits []event.Hit) []event.Hit {
	p := sr.p
	q := prepareQuery(p, s.Person, &sr.batch, &sr.query)
	if len(q.units) == 0 {
		return hits
	}
	threshold := m.cfg.Thresholds[db]
	sr.expand(q)
	if len(sr.terms) == 0 {
		return hits
	}
	sr.candidates(q, threshold)
	for _, r := range sr.keep(q, threshold) {
		pe := scorePerson(q, p, r)
		if !pe.matched || pe.score < threshold {
			continue
		}
		hits = append(hits, m.personHit(snap, db, s, p, r, &pe))
	}
	return hits
}
