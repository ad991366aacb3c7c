package index

import (
	"math"
	"math/bits"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unsafe"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// FrequentPostings is the number of records from which a term (a name item — a token or a
// joined pair of tokens — or a phonetic skeleton) counts as frequent. A frequent term's
// postings are grouped by the records' years of birth and sorted by the term's share of the
// name within each group, and every name with two frequent terms is indexed under the pair;
// a rare term is read in full. See package match for how the search uses them.
const FrequentPostings = 24

// MaxNamesPerRecord and MaxBirthDatesPerRecord bound what one record keeps; extra names and
// dates are dropped.
const (
	MaxNamesPerRecord      = 64
	MaxBirthDatesPerRecord = 16
)

// NoItem marks the absence of a name item.
const NoItem = ^uint32(0)

// Token flags of a PersonName's TokenFlags.
const (
	// FlagRoleMask selects the Role of the token.
	FlagRoleMask = 0x03
	// FlagMinor marks a minor token (particle or single character).
	FlagMinor = 0x04
	// FlagSecondary marks a secondary token.
	FlagSecondary = 0x08
)

// personTable indexes one person database. Its layout is columnar and compact: every string
// lives in one of two arenas, every list in one flat array addressed by offsets.
type personTable struct {
	recs    []personRec
	recYear []uint16 // per record: its one year of birth, YearNone or YearMany
	recDate []DateSummary
	traits  []Traits // per record: sex and nationality, for bounds
	// the country codes of the commonest nationalities, most common first (see
	// SummaryTraits)
	rankCode []uint16

	ids       string   // record ids, concatenated
	countries []string // country codes by index (owners and nationalities)
	countryOf map[string]uint16
	notices   []watchlist.NoticeType
	dobs      []uint32 // packed birth dates (see packDate), per record
	nats      []uint16 // nationality indexes, per record

	names  []nameEntry
	toks   []NameToken
	extras []ExtraUnit

	// vocabulary: items (tokens and joined pairs of tokens) and phonetic skeletons. Postings
	// are kept per term: term t < len(itemJoined) is item t, the others skeleton
	// t − len(itemJoined).
	itemText   string   // item texts, concatenated
	itemOff    []uint32 // len items+1
	itemJoined []bool
	itemWeight []float64  // IDF of token items; 0 for joined items
	itemSkel   []uint32   // the term of each item's skeleton, or NoItem
	skels      int        // number of skeleton terms
	skelText   string     // skeletons, concatenated
	skelOff    []uint32   // len skels+1
	terms      []termMeta // len terms+1
	sigs       []uint64   // partner signatures: a power-of-two bitset per frequent term
	post       []Posting
	postF      []uint8  // the term's share of the record's name, rounded up to 1/255
	groupStart []uint32 // per group: its first posting (the next group's, or the term's end, ends it)
	groupKey   []uint32 // per group: MaxShare<<16 | Year<<1 | TwoParts, for scanning

	keys      keyDir[keyEnt]      // name key → item
	nbOff     []uint32            // per item: its neighbours in nb (len items+1)
	nb        []uint32            // neighbours: item | NameMatch<<29
	skelTerms keyDir[keyEnt]      // skeleton key → skeleton term
	pairs     keyDir[PairPosting] // pair of frequent terms → records

	hugeRegions int // how many ranges were given huge pages (see adviseHuge)
}

// Posting is one record of a posting list, with its date-of-birth summary so that a search
// can drop it without reading the record.
type Posting struct {
	Rec  uint32
	Date DateSummary
}

// termMeta is where a term's data are: its postings from post, its groups from group and its
// partner signature from sig (sigWords words), up to the next term's; its flags.
type termMeta struct {
	post, group, sig uint32
	sigWords         uint16
	info             uint8
}

type personRec struct {
	idOff   uint32
	nameOff uint32
	dobOff  uint32
	natOff  uint32
	idLen   uint16
	owner   uint16
	nNames  uint8
	nDobs   uint8
	nNats   uint8
	sex     uint8 // 0 unknown, 'M', 'F'
	notice  uint8
}

type nameEntry struct {
	tokOff   uint32
	extraOff uint32 // the name's particle-run units in extras
	nTok     uint8
	nExtra   uint8
	weak     bool
}

// ExtraUnit is a unit of more than two tokens: a run of particles joined with the token they
// precede (VAN DEN BERG → VANDENBERG); First and Last are its tokens.
type ExtraUnit struct {
	Item        uint32
	First, Last uint8
}

// PostingGroup is a run of a frequent item's postings: the records born in Year (0: no date
// of birth) whose name holding the item has both a surname and given names (TwoParts) or not,
// sorted by the item's share of that name, largest first. MaxShare is the first one's.
type PostingGroup struct {
	Year     uint16
	TwoParts bool
	MaxShare uint8
	Start    uint32
	End      uint32
}

// PersonIndex is the read-only person index of one database of a snapshot: the records, their
// folded names, the name vocabulary with its keys, postings and pair postings. It is the
// low-level view package match searches and scores with; every slice it returns is shared and
// must not be modified. Safe for concurrent use.
type PersonIndex personTable

// Persons returns the person index of db, or nil when the snapshot has none.
func (s *Snapshot) Persons(db event.Database) *PersonIndex {
	return (*PersonIndex)(s.persons[db])
}

// PersonCount returns how many person records db holds; they are numbered from 0.
func (s *Snapshot) PersonCount(db event.Database) int {
	t := s.persons[db]
	if t == nil {
		return 0
	}
	return len(t.recs)
}

// Person returns person record i of db, materialised (see PersonIndex.Record).
func (s *Snapshot) Person(db event.Database, i uint32) PersonRecord {
	return s.Persons(db).Record(i)
}

// PersonBytes is the memory held by db's person index: records, names, vocabulary, keys,
// postings and pairs.
func (s *Snapshot) PersonBytes(db event.Database) int {
	if t := s.persons[db]; t != nil {
		return t.bytes()
	}
	return 0
}

// Len returns the number of records.
func (p *PersonIndex) Len() int {
	if p == nil {
		return 0
	}
	return len(p.recs)
}

// PersonRecord is a person record materialised from the index: for explanations, tests and
// audits. Screening reads the compact form through PersonIndex.
type PersonRecord struct {
	ID            string
	NoticeType    watchlist.NoticeType
	Owner         string
	Names         []PersonName
	BirthDates    []event.Date // valid dates only
	Nationalities []string     // normalize.Country forms, empty ones dropped
	Sex           string       // "M", "F" or "" when unknown
}

// PersonName is one name of a person record, folded into tokens and units, with the token
// weights of the snapshot.
type PersonName struct {
	Weak   bool
	Tokens []Token
	Units  []Unit
}

// Record materialises record i.
func (p *PersonIndex) Record(i uint32) PersonRecord {
	r := &p.recs[i]
	out := PersonRecord{ID: p.RecordID(i), NoticeType: p.notices[r.notice], Owner: p.countries[r.owner], Sex: p.Sex(i)}
	for _, d := range p.BirthDates(i) {
		out.BirthDates = append(out.BirthDates, UnpackDate(d))
	}
	for _, c := range p.Nationalities(i) {
		out.Nationalities = append(out.Nationalities, p.countries[c])
	}
	first, n := p.Names(i)
	for e := first; e < first+n; e++ {
		out.Names = append(out.Names, p.Name(e))
	}
	return out
}

// Name materialises name entry e.
func (p *PersonIndex) Name(e uint32) PersonName {
	v := p.NameView(e)
	pn := PersonName{Weak: v.Weak, Tokens: make([]Token, len(v.Tokens))}
	for k, tk := range v.Tokens {
		f := tk.Flags
		pn.Tokens[k] = Token{Text: p.ItemText(tk.Item), Role: Role(f & FlagRoleMask), Minor: f&FlagMinor != 0, Secondary: f&FlagSecondary != 0}
		if !pn.Tokens[k].Minor {
			pn.Tokens[k].Weight = float64(tk.Weight)
		}
	}
	pn.Units = AppendUnits(nil, pn.Tokens)
	return pn
}

// RecordID returns the id of record i.
func (p *PersonIndex) RecordID(i uint32) string {
	r := &p.recs[i]
	return p.ids[r.idOff : r.idOff+uint32(r.idLen)]
}

// NoticeType returns the notice type of record i ("" for nominal data).
func (p *PersonIndex) NoticeType(i uint32) watchlist.NoticeType { return p.notices[p.recs[i].notice] }

// Owner returns the owner country of record i.
func (p *PersonIndex) Owner(i uint32) string { return p.countries[p.recs[i].owner] }

// Sex returns "M", "F" or "" for record i.
func (p *PersonIndex) Sex(i uint32) string {
	switch p.recs[i].sex {
	case 'M':
		return "M"
	case 'F':
		return "F"
	}
	return ""
}

// Year summaries of YearSummary.
const (
	// YearNone: the record has no date of birth.
	YearNone = 0
	// YearMany: the record's dates of birth are in more than one year.
	YearMany = 0xFFFF
)

// YearSummary returns the year of birth of record i when its dates of birth agree on one,
// YearNone when it has none, YearMany when they do not agree. It reads a small array: the
// search uses it to drop candidates without touching their records.
func (p *PersonIndex) YearSummary(i uint32) uint16 { return p.recYear[i] }

// DateSummary packs what a search needs to know of a record's dates of birth into 32 bits:
// how many there are (none, one, two, or more than a summary holds), the first one packed
// (see PackDate) and the year of the second one. The summary of a record with at most one
// date of birth also holds its sex and nationality (see PersonIndex.SummaryTraits) in the
// bits a second year would take. Postings carry it, so that a search can drop a candidate
// without reading its record.
type DateSummary uint32

// DateNone is the summary of a record without a date of birth, sex or nationality.
const DateNone DateSummary = 0

const (
	summaryOne  = 1 << 30
	summaryTwo  = 2 << 30
	summaryMany = 3 << 30

	// the traits of a summary of Count 0 or 1: bits 21–22 the sex (as Traits), bits 23–29
	// the nationality: none, the rank+1 of one of the summaryRanks commonest, or
	// summaryNatOther (several, or a rarer one)
	summarySexShift = 21
	summaryNatShift = 23
	summaryNatOther = 1<<7 - 1
	summaryRanks    = summaryNatOther - 1
)

// summarise builds the summary of dates (packed, distinct).
func summarise(dates []uint32) DateSummary {
	switch {
	case len(dates) == 0:
		return DateNone
	case dates[0] >= 1<<21:
		return summaryMany
	case len(dates) == 1:
		return DateSummary(summaryOne | dates[0])
	case len(dates) == 2:
		if y := dates[1]>>9 - 1800; y >= 1 && y < 1<<9 {
			return DateSummary(summaryTwo | y<<21 | dates[0])
		}
	}
	return summaryMany
}

// Count is how many dates of birth the record has: 0, 1, 2, or 3 for more than the summary
// holds (read the record's BirthDates).
func (s DateSummary) Count() int { return int(s >> 30) }

// First is the record's first date of birth (Count 1 or 2).
func (s DateSummary) First() event.Date { return UnpackDate(uint32(s) & (1<<21 - 1)) }

// FirstYear is the year of First, without unpacking the rest.
func (s DateSummary) FirstYear() int { return int(uint32(s) & (1<<21 - 1) >> 9) }

// SecondYear is the year of the record's second date of birth (Count 2).
func (s DateSummary) SecondYear() int { return int(uint32(s)>>21&(1<<9-1)) + 1800 }

// DateSummary returns the date-of-birth summary of record i; it reads a small array.
func (p *PersonIndex) DateSummary(i uint32) DateSummary { return p.recDate[i] }

// withTraits adds to s, the summary of at most one date of birth, the traits t of its record,
// with the nationality by its rank among the commonest (rank: per country code, its rank, or
// summaryRanks and more for the others).
func (s DateSummary) withTraits(t Traits, rank []uint8) DateSummary {
	nat := uint32(summaryNatOther)
	switch code, n := t.Nationality(); n {
	case 0:
		nat = 0
	case 1:
		if r := rank[code]; r < summaryRanks {
			nat = uint32(r) + 1
		}
	}
	return s | DateSummary(uint32(t&traitsSexMask)<<summarySexShift|nat<<summaryNatShift)
}

// SummaryFields returns, raw, the traits a date summary of Count 0 or 1 holds (see
// SummaryTraits), for a search that bounds many postings with small tables: the sex as
// Traits.Sex's bits (0 unknown, 1 male, 2 female), and the nationality field: 0 none,
// SummaryNatOther several or a rare one, or NationalityField of the record's one
// nationality.
func (s DateSummary) SummaryFields() (sex, nat uint8) {
	return uint8(s >> summarySexShift & traitsSexMask), uint8(s >> summaryNatShift & summaryNatOther)
}

// SummaryNatOther is the nationality field of a summary of several nationalities or a rare one
// (see SummaryFields).
const SummaryNatOther = summaryNatOther

// NationalityField returns the nationality field of the summaries of records whose one
// nationality is country code, and false when summaries do not name it (see SummaryFields).
func (p *PersonIndex) NationalityField(code uint16) (uint8, bool) {
	if i := slices.Index(p.rankCode, code); i >= 0 {
		return uint8(i) + 1, true
	}
	return 0, false
}

// SummaryExact reports whether a date summary tells everything of its record's dates of
// birth, sex and nationalities: at most one date (the summary's), and SummaryTraits with
// none or one nationality.
func (p *PersonIndex) SummaryExact(s DateSummary) bool {
	return s.Count() <= 1 && uint32(s)>>summaryNatShift&summaryNatOther != summaryNatOther
}

// SummaryTraits returns the traits (sex and nationality) of the record a date summary
// summarises, and true, when the summary holds them: always for a record with at most one
// date of birth, its nationality as Traits.Nationality tells it (several, or one rare in the
// index, is n 2). A search bounds a candidate's evidence from its posting alone with them.
func (p *PersonIndex) SummaryTraits(s DateSummary) (Traits, bool) {
	if s.Count() > 1 {
		return 0, false
	}
	t := Traits(s >> summarySexShift & traitsSexMask)
	switch nat := uint32(s) >> summaryNatShift & summaryNatOther; nat {
	case 0:
	case summaryNatOther:
		t |= traitsNatSome << traitsNatShift
	default:
		t |= Traits(p.rankCode[nat-1]+1) << traitsNatShift
	}
	return t, true
}

// SexCode returns 'M', 'F' or 0 for record i.
func (p *PersonIndex) SexCode(i uint32) byte { return p.recs[i].sex }

// BirthDates returns the packed birth dates of record i (see UnpackDate).
func (p *PersonIndex) BirthDates(i uint32) []uint32 {
	r := &p.recs[i]
	return p.dobs[r.dobOff : r.dobOff+uint32(r.nDobs)]
}

// Nationalities returns the nationality codes of record i (see CountryCode).
func (p *PersonIndex) Nationalities(i uint32) []uint16 {
	r := &p.recs[i]
	return p.nats[r.natOff : r.natOff+uint32(r.nNats)]
}

// CountryCode returns the code of a normalised country in this index, and false when no record
// has it.
func (p *PersonIndex) CountryCode(c string) (uint16, bool) {
	i, ok := p.countryOf[c] // a map: a screening asks once, of a few hundred countries
	return i, ok
}

// Names returns the first name entry of record i and how many it has; entries are numbered
// consecutively.
func (p *PersonIndex) Names(i uint32) (first, n uint32) {
	r := &p.recs[i]
	return r.nameOff, uint32(r.nNames)
}

// NameToken is one token of a name in compact form: its item, the joined item of the token
// with the next one of the same part (NoItem when there is none), the item's skeleton term and
// IDF weight (copied here so that scoring a name reads one array), and its role and flags.
type NameToken struct {
	Item   uint32
	Join   uint32
	Skel   uint32  // the item's skeleton term, or NoItem
	Weight float32 // the item's IDF weight (0 for a minor token)
	Flags  uint8
}

// NameView is the compact form of one name: its tokens, and the units of its particle runs
// (see AppendUnits).
type NameView struct {
	Weak   bool
	Tokens []NameToken
	Extras []ExtraUnit
}

// NameView returns name entry e.
func (p *PersonIndex) NameView(e uint32) NameView {
	n := &p.names[e]
	lo, hi := n.tokOff, n.tokOff+uint32(n.nTok)
	return NameView{Weak: n.weak, Tokens: p.toks[lo:hi], Extras: p.extras[n.extraOff : n.extraOff+uint32(n.nExtra)]}
}

// ItemText returns the text of an item.
func (p *PersonIndex) ItemText(it uint32) string { return p.itemText[p.itemOff[it]:p.itemOff[it+1]] }

// ItemJoined reports whether an item is a joined pair of tokens.
func (p *PersonIndex) ItemJoined(it uint32) bool { return p.itemJoined[it] }

// ItemWeight returns the IDF weight of a token item (0 for a joined item).
func (p *PersonIndex) ItemWeight(it uint32) float64 { return p.itemWeight[it] }

// ItemSkeleton returns the skeleton term of an item, or NoItem when it has no skeleton.
func (p *PersonIndex) ItemSkeleton(it uint32) uint32 { return p.itemSkel[it] }

// SkeletonTerm returns the term of a phonetic skeleton, and false when no name in the index has
// it.
func (p *PersonIndex) SkeletonTerm(skel string) (uint32, bool) {
	for _, e := range p.skelTerms.find(SkeletonKey(skel)) {
		if t := e.val; p.SkeletonText(t) == skel {
			return t, true
		}
	}
	return NoItem, false
}

// SkeletonText returns the skeleton of a skeleton term.
func (p *PersonIndex) SkeletonText(term uint32) string {
	k := term - uint32(len(p.itemJoined))
	return p.skelText[p.skelOff[k]:p.skelOff[k+1]]
}

// Terms returns the number of terms: items first, then skeletons.
func (p *PersonIndex) Terms() int { return len(p.itemJoined) + p.skels }

// TermFrequent reports whether a term is frequent (see FrequentPostings).
func (p *PersonIndex) TermFrequent(t uint32) bool { return p.terms[t].info&termFrequent != 0 }

// MayPair reports whether frequent terms a and b may have pair postings: false means they
// have none. It reads a small per-term signature of the terms each one pairs with (a bitset of
// at least 4 bits per partner): much cheaper than a pair lookup, which is usually empty.
func (p *PersonIndex) MayPair(a, b uint32) bool {
	ma, mb, a, b := p.orderPair(a, b)
	return p.sigHas(ma, b) && p.sigHas(mb, a)
}

// sigHas reports whether the partner signature of term m has term t's bit.
func (p *PersonIndex) sigHas(m *termMeta, t uint32) bool {
	if m.sigWords == 0 {
		return false
	}
	h := partnerHash(t) & uint64(uint32(m.sigWords)*64-1)
	return p.sigs[m.sig+uint32(h>>6)]&(1<<(h&63)) != 0
}

func partnerHash(t uint32) uint64 { return fmix(uint64(t) + 0x632be59bd9b4e019) }

// TermInOnePart reports whether a term is in some name with exactly one part (a surname or
// given names, not both).
func (p *PersonIndex) TermInOnePart(t uint32) bool { return p.terms[t].info&termOnePart != 0 }

const (
	termFrequent = 1 << iota
	termOnePart
)

// Postings returns a term's postings — records with their date summaries — and per posting
// the term's share of the
// record's name (of the largest one when several names hold it) in 255ths, rounded up. A
// name's share of an item is the weight of the tokens its units cover over the name's total
// weight; of a skeleton, the sum over the name's items with that skeleton. A rare term's
// postings are distinct records; a frequent term's are ordered by group (see Groups), and a
// record born in several years is in several groups.
func (p *PersonIndex) Postings(t uint32) ([]Posting, []uint8) {
	lo, hi := p.terms[t].post, p.terms[t+1].post
	return p.post[lo:hi], p.postF[lo:hi]
}

// Groups returns a frequent term's posting groups, ordered by MaxShare, largest first (then by
// year and TwoParts, descending); nil for a rare term. Start and End index the whole posting
// arrays (see AllPostings). It allocates: a search reads GroupKeys and GroupSpan instead.
func (p *PersonIndex) Groups(t uint32) []PostingGroup {
	var out []PostingGroup
	for i, key := range p.GroupKeys(t) {
		start, end := p.GroupSpan(t, i)
		out = append(out, PostingGroup{Year: uint16(key&0xFFFF) >> 1, TwoParts: key&1 == 1, MaxShare: uint8(key >> 16), Start: start, End: end})
	}
	return out
}

// GroupSpan returns where group i of frequent term t is in the posting arrays.
func (p *PersonIndex) GroupSpan(t uint32, i int) (start, end uint32) {
	g := p.terms[t].group + uint32(i)
	start, end = p.groupStart[g], p.terms[t+1].post
	if g+1 < p.terms[t+1].group {
		end = p.groupStart[g+1]
	}
	return start, end
}

// GroupKeys returns MaxShare<<16 | Year<<1 | TwoParts of each of Groups(t), in a compact array
// to scan.
func (p *PersonIndex) GroupKeys(t uint32) []uint32 {
	return p.groupKey[p.terms[t].group:p.terms[t+1].group]
}

// AllPostings returns the posting arrays that PostingGroup offsets index.
func (p *PersonIndex) AllPostings() ([]Posting, []uint8) { return p.post, p.postF }

// PairPostings returns the records with a name where frequent terms a and b (a != b) cover two
// different tokens, one each — not the same single token, as a token and its own skeleton
// do — among the names with exactly one part, a surname or given names (onePart), or among
// the others (both parts, or a full name whose split is unknown). The slice may hold, very
// rarely, a record that does not qualify (a hash collision), never misses one.
func (p *PersonIndex) PairPostings(a, b uint32, onePart bool) []PairPosting {
	return p.pairs.find(pairKey(a, b, onePart))
}

func pairKey(a, b uint32, onePart bool) uint64 {
	h := pairHash(a, b)
	if onePart {
		h = fmix(h ^ 0x5bd1e9955bd1e995)
	}
	return h
}

// LookupItems appends to dst every item sharing an index key with u (see AppendUnitKeys):
// a superset of the items CompareUnits matches with u exactly, by MRZ transliteration or with
// a typo, with repeats. Phonetic matches are the items of u's skeleton term. keys is scratch space
// and is returned for reuse.
func (p *PersonIndex) LookupItems(u *Unit, dst []uint32, keys []uint64) ([]uint32, []uint64) {
	keys = AppendUnitKeys(keys[:0], u)
	for _, k := range keys {
		for _, e := range p.keys.find(k) {
			dst = append(dst, e.val)
		}
	}
	return dst, keys
}

// ItemFor returns the item with a unit's text and joined flag, if the index has one.
func (p *PersonIndex) ItemFor(u *Unit) (uint32, bool) {
	for _, e := range p.keys.find(hashString(u.Text, -1)) {
		if it := e.val; p.itemJoined[it] == u.Joined && p.ItemText(it) == u.Text {
			return it, true
		}
	}
	return NoItem, false
}

// Neighbours calls fn for every other item that item it matches by MRZ transliteration, with a
// typo, or exactly (the same text as the other kind of item: a joined pair of tokens and a
// token written together); precomputed with the keys, so that for a unit whose text and kind
// are an item's (ItemFor), these and the item itself are exactly what LookupItems and
// CompareItem would find.
func (p *PersonIndex) Neighbours(it uint32, fn func(item uint32, m NameMatch)) {
	for _, x := range p.nb[p.nbOff[it]:p.nbOff[it+1]] {
		fn(x&(1<<29-1), NameMatch(x>>29))
	}
}

// CompareItem compares a unit with an item, as CompareUnits compares two units; unitSkel is
// the unit's skeleton term (SkeletonTerm of u.Skel), NoItem when it has none.
func (p *PersonIndex) CompareItem(u *Unit, unitSkel, it uint32) NameMatch {
	text := p.ItemText(it)
	switch {
	case text == u.Text:
		return NameExact
	case normalize.MRZEqual(u.Text, text):
		return NameMRZ
	case !u.Joined && !p.itemJoined[it] && max(len(u.Text), len(text)) >= MinTypoLen && WithinOneEdit(u.Text, text):
		return NameTypo
	case unitSkel != NoItem && p.itemSkel[it] == unitSkel:
		return NamePhonetic
	}
	return NameNone
}

// TokenWeight is the IDF weight of a folded name token: ln(1 + N/df), where N is the number
// of records and df the number holding the token (at least 1). Rare tokens weigh more; a
// token absent from the index weighs as much as one found once.
func (p *PersonIndex) TokenWeight(text string) float64 {
	if p == nil || len(p.recs) == 0 {
		return float64(float32(idf(1, 1)))
	}
	if it, ok := p.tokenItem(text); ok {
		return p.itemWeight[it]
	}
	return float64(float32(idf(1, len(p.recs))))
}

// TokenItem returns the item of a token text (not a joined one) and its IDF weight, or NoItem
// and the weight of a token absent from the index (see TokenWeight).
func (p *PersonIndex) TokenItem(text string) (uint32, float64) {
	if p != nil && len(p.recs) > 0 {
		if it, ok := p.tokenItem(text); ok {
			return it, p.itemWeight[it]
		}
	}
	return NoItem, p.TokenWeight(text)
}

// tokenItem finds the (non-joined) item of a token text.
func (p *PersonIndex) tokenItem(text string) (uint32, bool) {
	for _, e := range p.keys.find(hashString(text, -1)) {
		if it := e.val; !p.itemJoined[it] && p.ItemText(it) == text {
			return it, true
		}
	}
	return 0, false
}

// TokenWeight is the IDF weight of a folded name token in db (see PersonIndex.TokenWeight).
func (s *Snapshot) TokenWeight(db event.Database, text string) float64 {
	return s.Persons(db).TokenWeight(text)
}

// NameTokens folds a name into tokens the way person records are indexed: the surname and
// given names when either is set, otherwise the full name.
func NameTokens(dst []Token, surname, given, full string) []Token {
	if surname != "" || given != "" {
		dst = AppendTokens(dst, surname, RoleSurname)
		return AppendTokens(dst, given, RoleGiven)
	}
	return AppendTokens(dst, full, RoleFull)
}

// Sex normalises a sex code to "M", "F" or "" (unknown, including U and X).
func Sex(s string) string {
	switch normalize.Country(s) {
	case "M", "MALE":
		return "M"
	case "F", "FEMALE":
		return "F"
	}
	return ""
}

// PackDate packs a date into a uint32 that UnpackDate reverses.
func PackDate(d event.Date) uint32 {
	return uint32(d.Year)<<9 | uint32(d.Month)<<5 | uint32(d.Day)
}

// UnpackDate reverses PackDate.
func UnpackDate(v uint32) event.Date {
	return event.Date{Year: int(v >> 9), Month: int(v >> 5 & 15), Day: int(v & 31)}
}

// idf is the rarity weight of a token found in df of n records.
func idf(df uint32, n int) float64 {
	return math.Log(1 + float64(max(n, 1))/float64(max(df, 1)))
}

func pairHash(a, b uint32) uint64 {
	if a > b {
		a, b = b, a
	}
	return fmix(uint64(a)<<32 | uint64(b) ^ 0x9e3779b97f4a7c15)
}

// NameParts reports which parts a name's non-minor tokens come from.
func NameParts(toks []NameToken) (surname, given, full bool) {
	for _, tk := range toks {
		f := tk.Flags
		if f&FlagMinor != 0 {
			continue
		}
		switch Role(f & FlagRoleMask) {
		case RoleSurname:
			surname = true
		case RoleGiven:
			given = true
		default:
			full = true
		}
	}
	return surname, given, full
}

func (t *personTable) bytes() int {
	n := len(t.recs)*28 + len(t.recYear)*2 + len(t.recDate)*4 + len(t.traits)*2 + len(t.ids) + len(t.dobs)*4 + len(t.nats)*2
	n += len(t.names)*12 + len(t.toks)*20 + len(t.extras)*8
	n += len(t.itemText) + len(t.itemOff)*4 + len(t.itemJoined) + len(t.itemWeight)*8 + len(t.itemSkel)*4 + len(t.skelText) + len(t.skelOff)*4 + len(t.terms)*16 + len(t.groupKey)*2 + len(t.sigs)*8
	n += len(t.post)*9 + len(t.groupStart)*4 + len(t.groupKey)*4
	n += t.keys.bytes() + t.skelTerms.bytes() + t.pairs.bytes() + len(t.nbOff)*4 + len(t.nb)*4
	for _, c := range t.countries {
		n += len(c) + 16 + 24 // the string, and its entry in countryOf (roughly)
	}
	return n
}

// ---------------------------------------------------------------------------------------
// building

type personBuilder struct {
	t         *personTable
	ids       strings.Builder
	countries map[string]uint16
	notices   map[watchlist.NoticeType]uint8
	tokItems  map[string]uint32
	joinItems map[string]uint32
	text      strings.Builder
	df        []uint32
	lastRec   []int32
	scratch   []Token
	joinBuf   []byte
}

func buildPersonTable(people []watchlist.Person, keep func(*watchlist.Person) bool) (*personTable, int) {
	t := &personTable{}
	b := &personBuilder{t: t, countries: map[string]uint16{}, notices: map[watchlist.NoticeType]uint8{},
		tokItems: map[string]uint32{}, joinItems: map[string]uint32{}}
	b.country("")
	b.notice("")
	t.itemOff = append(t.itemOff, 0)
	skipped := 0
	for i := range people {
		p := &people[i]
		if p.Validate() != nil {
			skipped++
			continue
		}
		if !keep(p) {
			continue
		}
		b.add(p)
	}
	t.ids = b.ids.String()
	t.itemText = b.text.String()
	t.countryOf = b.countries
	b.finish()
	return t, skipped
}

func (b *personBuilder) country(c string) uint16 {
	if i, ok := b.countries[c]; ok {
		return i
	}
	i := uint16(len(b.t.countries))
	b.countries[c] = i
	b.t.countries = append(b.t.countries, c)
	return i
}

func (b *personBuilder) notice(n watchlist.NoticeType) uint8 {
	if i, ok := b.notices[n]; ok {
		return i
	}
	i := uint8(len(b.t.notices))
	b.notices[n] = i
	b.t.notices = append(b.t.notices, n)
	return i
}

func (b *personBuilder) item(text []byte, joined bool) uint32 {
	m := b.tokItems
	if joined {
		m = b.joinItems
	}
	if it, ok := m[string(text)]; ok {
		return it
	}
	t := b.t
	it := uint32(len(t.itemJoined))
	s := string(text)
	m[s] = it
	b.text.WriteString(s)
	t.itemOff = append(t.itemOff, uint32(b.text.Len()))
	t.itemJoined = append(t.itemJoined, joined)
	b.df = append(b.df, 0)
	b.lastRec = append(b.lastRec, -1)
	return it
}

func (b *personBuilder) add(p *watchlist.Person) {
	t := b.t
	ri := int32(len(t.recs))
	r := personRec{idOff: uint32(b.ids.Len()), idLen: uint16(min(len(p.ID), math.MaxUint16)), nameOff: uint32(len(t.names)),
		dobOff: uint32(len(t.dobs)), natOff: uint32(len(t.nats)), owner: b.country(normalize.Country(p.Owner)), notice: b.notice(p.NoticeType)}
	b.ids.WriteString(p.ID[:r.idLen])
	switch Sex(p.Sex) {
	case "M":
		r.sex = 'M'
	case "F":
		r.sex = 'F'
	}
	for _, d := range p.BirthDates {
		if d.IsZero() || r.nDobs == MaxBirthDatesPerRecord {
			continue
		}
		if v := PackDate(d); !slices.Contains(t.dobs[r.dobOff:], v) {
			t.dobs = append(t.dobs, v)
			r.nDobs++
		}
	}
	for _, c := range p.Nationalities {
		if c = normalize.Country(c); c != "" && r.nNats < math.MaxUint8 {
			if v := b.country(c); !slices.Contains(t.nats[r.natOff:], v) {
				t.nats = append(t.nats, v)
				r.nNats++
			}
		}
	}
	for _, n := range p.Names {
		if r.nNames == MaxNamesPerRecord {
			break
		}
		toks := NameTokens(b.scratch[:0], n.Surname, n.GivenNames, n.FullName)
		b.scratch = toks
		if len(toks) == 0 {
			continue
		}
		e := nameEntry{tokOff: uint32(len(t.toks)), extraOff: uint32(len(t.extras)), nTok: uint8(len(toks)), weak: n.Weak}
		for k := range toks {
			if last := particleRun(toks, k); last >= 0 {
				b.joinBuf = b.joinBuf[:0]
				for _, x := range toks[k : last+1] {
					b.joinBuf = append(b.joinBuf, x.Text...)
				}
				t.extras = append(t.extras, ExtraUnit{Item: b.item(b.joinBuf, true), First: uint8(k), Last: uint8(last)})
				e.nExtra++
			}
		}
		for k := range toks {
			tk := &toks[k]
			it := b.item([]byte(tk.Text), false)
			flags := uint8(tk.Role)
			if tk.Minor {
				flags |= FlagMinor
			} else if b.lastRec[it] != ri {
				b.lastRec[it] = ri
				b.df[it]++
			}
			if tk.Secondary {
				flags |= FlagSecondary
			}
			join := NoItem
			if k+1 < len(toks) && toks[k+1].Role == tk.Role {
				b.joinBuf = append(append(b.joinBuf[:0], tk.Text...), toks[k+1].Text...)
				join = b.item(b.joinBuf, true)
			}
			t.toks = append(t.toks, NameToken{Item: it, Join: join, Flags: flags})
		}
		t.names = append(t.names, e)
		r.nNames++
	}
	t.traits = append(t.traits, packTraits(r.sex, t.nats[r.natOff:]))
	t.recs = append(t.recs, r)
}

// share returns the weight of each token of entry e (secondary halved, minor zero) and their
// total, in w.
func (t *personTable) shares(e *nameEntry, w []float64) ([]float64, float64) {
	w = w[:0]
	var total float64
	for k := e.tokOff; k < e.tokOff+uint32(e.nTok); k++ {
		f := t.toks[k].Flags
		x := 0.0
		if f&FlagMinor == 0 {
			x = t.itemWeight[t.toks[k].Item]
			if f&FlagSecondary != 0 {
				x *= 0.5
			}
		}
		w = append(w, x)
		total += x
	}
	return w, total
}

// quantShare rounds a share up to 255ths.
func quantShare(x float64) uint8 {
	q := math.Ceil(x*255 - 1e-9)
	return uint8(min(max(q, 0), 255))
}

// itemShare is a term of a name with its share of the name and the tokens it covers (bit k:
// token k).
type itemShare struct {
	it    uint32
	share float64
	cov   uint32
}

// entryItems appends to dst the distinct unit items of entry e, each with its share of the name: the
// weight of the tokens its units cover over the name's total (a token twice in a name counts
// twice).
func (t *personTable) entryItems(e *nameEntry, w []float64, total float64, dst []itemShare) []itemShare {
	first := len(dst)
	for k := range int(e.nTok) {
		idx := e.tokOff + uint32(k)
		if t.toks[idx].Flags&FlagMinor == 0 {
			dst = addShareFrom(dst, first, t.toks[idx].Item, safeDiv(w[k], total), 1<<k)
		}
		if j := t.toks[idx].Join; j != NoItem {
			dst = addShareFrom(dst, first, j, safeDiv(w[k]+w[k+1], total), 3<<k)
		}
	}
	for _, x := range t.extras[e.extraOff : e.extraOff+uint32(e.nExtra)] {
		var sum float64
		for k := x.First; k <= x.Last; k++ {
			sum += w[k]
		}
		dst = addShareFrom(dst, first, x.Item, safeDiv(sum, total), (1<<(x.Last+1)-1)&^(1<<x.First-1))
	}
	return dst
}

// addShareFrom adds x to the share of term it in dst[first:], and cov to its tokens, or
// appends it.
func addShareFrom(dst []itemShare, first int, it uint32, x float64, cov uint32) []itemShare {
	for i := first; i < len(dst); i++ {
		if dst[i].it == it {
			dst[i].share += x
			dst[i].cov |= cov
			return dst
		}
	}
	return append(dst, itemShare{it, x, cov})
}

// sigSet sets term t's bit in the partner signature of term m.
func (t *personTable) sigSet(m *termMeta, term uint32) {
	h := partnerHash(term) & uint64(uint32(m.sigWords)*64-1)
	t.sigs[m.sig+uint32(h>>6)] |= 1 << (h & 63)
}

// distinctTokens reports whether two terms of a name cover two different tokens, one each:
// only then can they add up, and only then does the name go under their pair.
func distinctTokens(a, b uint32) bool { return a != b || bits.OnesCount32(a) > 1 }

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

type posting struct {
	rec   uint32
	key   uint16 // year<<1 | two parts
	share uint8
}

// groupRun is a posting group of a frequent term during the build: postings [lo, hi) of the
// term, and its group key.
type groupRun struct{ lo, hi, key uint32 }

func (b *personBuilder) finish() {
	t := b.t
	n := len(t.recs)
	items := len(t.itemJoined)
	t.itemWeight = make([]float64, items)
	for it := range items {
		if !t.itemJoined[it] {
			// Rounded to float32: name tokens carry it as such, and every use agrees.
			t.itemWeight[it] = float64(float32(idf(b.df[it], n)))
		}
	}

	// Skeleton terms, numbered after the items.
	skelIdx := map[string]uint32{}
	var skelText strings.Builder
	t.itemSkel = make([]uint32, items)
	t.skelOff = []uint32{0}
	var sk []byte
	for it := range items {
		sk = normalize.AppendSkeleton(sk[:0], t.itemText[t.itemOff[it]:t.itemOff[it+1]])
		if len(sk) == 0 {
			t.itemSkel[it] = NoItem
			continue
		}
		k, ok := skelIdx[string(sk)]
		if !ok {
			k = uint32(items + len(skelIdx))
			skelIdx[string(sk)] = k
			skelText.Write(sk)
			t.skelOff = append(t.skelOff, uint32(skelText.Len()))
		}
		t.itemSkel[it] = k
	}
	t.skels = len(skelIdx)
	t.skelText = skelText.String()
	terms := items + t.skels
	for k := range t.toks {
		tk := &t.toks[k]
		tk.Skel = t.itemSkel[tk.Item]
		if tk.Flags&FlagMinor == 0 {
			tk.Weight = float32(t.itemWeight[tk.Item])
		}
	}

	// Per name: its terms with their shares and tokens, computed once. Per term: its distinct
	// records, to tell frequent terms from rare ones.
	nameOff := make([]uint32, len(t.names)+1)
	all := make([]itemShare, 0, len(t.toks)*2)
	var w []float64
	for e := range t.names {
		ne := &t.names[e]
		var total float64
		w, total = t.shares(ne, w)
		first := len(all)
		all = t.entryItems(ne, w, total, all)
		for _, x := range all[first:len(all):len(all)] {
			if sk := t.itemSkel[x.it]; sk != NoItem {
				all = addShareFrom(all, first, sk, x.share, x.cov)
			}
		}
		nameOff[e+1] = uint32(len(all))
	}
	recCount := make([]uint32, terms)
	last := make([]int32, terms)
	for i := range last {
		last[i] = -1
	}
	for ri := range t.recs {
		r := &t.recs[ri]
		for _, x := range all[nameOff[r.nameOff]:nameOff[r.nameOff+uint32(r.nNames)]] {
			if last[x.it] != int32(ri) {
				last[x.it] = int32(ri)
				recCount[x.it]++
			}
		}
	}
	last = nil
	frequent := func(term uint32) bool { return recCount[term] >= FrequentPostings }
	t.terms = make([]termMeta, terms+1)
	for term := range terms {
		if frequent(uint32(term)) {
			t.terms[term].info |= termFrequent
		}
	}

	// The nationalities by number of records, most first: date summaries name the commonest
	// by rank.
	natCount := make([]int, len(t.countries))
	for ri := range t.recs {
		if code, n := t.traits[ri].Nationality(); n == 1 {
			natCount[code]++
		}
	}
	byCount := make([]uint16, len(t.countries))
	for i := range byCount {
		byCount[i] = uint16(i)
	}
	slices.SortStableFunc(byCount, func(a, b uint16) int { return natCount[b] - natCount[a] })
	rank := make([]uint8, len(t.countries))
	for i, code := range byCount {
		rank[code] = uint8(min(i, summaryRanks))
	}
	t.rankCode = byCount[:min(len(byCount), summaryRanks)]

	// Each record's years of birth (YearNone alone when it has none).
	t.recYear = make([]uint16, len(t.recs))
	t.recDate = make([]DateSummary, len(t.recs))
	yearOff := make([]uint32, len(t.recs)+1)
	var years []uint16
	for ri := range t.recs {
		r := &t.recs[ri]
		first := len(years)
		dates := t.dobs[r.dobOff : r.dobOff+uint32(r.nDobs)]
		for _, d := range dates {
			if y := uint16(d >> 9); !slices.Contains(years[first:], y) {
				years = append(years, y)
			}
		}
		if t.recDate[ri] = summarise(dates); t.recDate[ri].Count() <= 1 {
			t.recDate[ri] = t.recDate[ri].withTraits(t.traits[ri], rank)
		}
		switch n := len(years) - first; {
		case n == 0:
			years = append(years, YearNone)
			t.recYear[ri] = YearNone
		case n == 1:
			t.recYear[ri] = years[first]
		default:
			t.recYear[ri] = YearMany
		}
		yearOff[ri+1] = uint32(len(years))
	}

	// Postings: count per term, then fill one array (CSR), as records come in order. Pairs of
	// frequent terms on different tokens of one name, and each frequent term's partner count.
	emitted := make([]uint32, terms+1)
	partnerCount := make([]uint32, terms)
	var pairs []keyVal
	for ri := range t.recs {
		r := &t.recs[ri]
		nYears := yearOff[ri+1] - yearOff[ri]
		for e := r.nameOff; e < r.nameOff+uint32(r.nNames); e++ {
			ts := all[nameOff[e]:nameOff[e+1]]
			for i, x := range ts {
				if !frequent(x.it) {
					emitted[x.it+1]++
					continue
				}
				emitted[x.it+1] += nYears
				for _, y := range ts[i+1:] {
					if frequent(y.it) && distinctTokens(x.cov, y.cov) {
						partnerCount[x.it]++
						partnerCount[y.it]++
					}
				}
			}
		}
	}
	for i := 1; i < len(emitted); i++ {
		emitted[i] += emitted[i-1]
	}
	raw := make([]posting, emitted[terms])
	next := slices.Clone(emitted[:terms])
	sigTotal := uint32(0)
	for term, c := range partnerCount {
		words := uint32(0)
		if c > 0 {
			words = 1
			for words*64 < 4*c && words < 1<<15 {
				words *= 2
			}
		}
		t.terms[term].sig, t.terms[term].sigWords = sigTotal, uint16(words)
		sigTotal += words
	}
	partnerCount = nil
	t.sigs = make([]uint64, sigTotal)
	for ri := range t.recs {
		r := &t.recs[ri]
		ys := years[yearOff[ri]:yearOff[ri+1]]
		for e := r.nameOff; e < r.nameOff+uint32(r.nNames); e++ {
			ne := &t.names[e]
			s, g, full := NameParts(t.toks[ne.tokOff : ne.tokOff+uint32(ne.nTok)])
			two := uint16(0)
			if s && g {
				two = 1
			}
			onePart := !full && s != g
			ts := all[nameOff[e]:nameOff[e+1]]
			for i, x := range ts {
				if onePart {
					t.terms[x.it].info |= termOnePart
				}
				q := quantShare(x.share)
				if !frequent(x.it) {
					raw[next[x.it]] = posting{rec: uint32(ri), share: q}
					next[x.it]++
					continue
				}
				for _, y := range ys {
					raw[next[x.it]] = posting{rec: uint32(ri), key: y<<1 | two, share: q}
					next[x.it]++
				}
				for _, y := range ts[i+1:] {
					if frequent(y.it) && distinctTokens(x.cov, y.cov) {
						pairs = append(pairs, keyVal{pairKey(x.it, y.it, onePart), uint32(ri)})
						t.sigSet(&t.terms[x.it], y.it)
						t.sigSet(&t.terms[y.it], x.it)
					}
				}
			}
		}
	}
	next, all, nameOff = nil, nil, nil
	pairDir := buildKeyDir(pairs, 8)
	pairs = nil
	t.pairs = keyDir[PairPosting]{bits: pairDir.bits, dir: pairDir.dir, ent: make([]PairPosting, len(pairDir.ent))}
	for i, e := range pairDir.ent {
		t.pairs.ent[i] = PairPosting{e.fp, Posting{e.val, t.recDate[e.val]}}
	}

	// Per term: one posting per record and key with the largest share; a frequent term's
	// postings grouped by key, each group by share, largest first. Compacted in place.
	out := 0
	var runs []groupRun
	var tmp []posting
	for term := range terms {
		ps := raw[emitted[term]:emitted[term+1]]
		if frequent(uint32(term)) {
			slices.SortFunc(ps, func(a, b posting) int {
				if a.key != b.key {
					return int(a.key) - int(b.key)
				}
				if a.rec != b.rec {
					return cmpU32(a.rec, b.rec)
				}
				return int(b.share) - int(a.share)
			})
		}
		// Records come in order, so a rare term's postings are sorted by record already; a
		// record repeats when several of its names hold the term: keep one, with the largest
		// share (for a frequent term, the sort put it first).
		k := 0
		for i := range ps {
			if k > 0 && ps[k-1].key == ps[i].key && ps[k-1].rec == ps[i].rec {
				ps[k-1].share = max(ps[k-1].share, ps[i].share)
				continue
			}
			ps[k] = ps[i]
			k++
		}
		ps = ps[:k]
		if frequent(uint32(term)) {
			// The groups, each sorted by share, then laid out by their largest share, largest
			// first: a search stops at the first group whose largest share is under what it
			// needs.
			runs = runs[:0]
			for lo := 0; lo < len(ps); {
				hi := lo + 1
				for hi < len(ps) && ps[hi].key == ps[lo].key {
					hi++
				}
				g := ps[lo:hi]
				slices.SortStableFunc(g, func(a, b posting) int { return int(b.share) - int(a.share) })
				runs = append(runs, groupRun{lo: uint32(lo), hi: uint32(hi), key: uint32(g[0].share)<<16 | uint32(g[0].key)})
				lo = hi
			}
			slices.SortFunc(runs, func(a, b groupRun) int { return cmpU32(b.key, a.key) })
			tmp = append(tmp[:0], ps...)
			at := out
			for _, g := range runs {
				t.groupStart = append(t.groupStart, uint32(at))
				t.groupKey = append(t.groupKey, g.key)
				at += copy(raw[at:], tmp[g.lo:g.hi])
			}
			out = at
		} else {
			out += copy(raw[out:], ps)
		}
		t.terms[term+1].post = uint32(out)
		t.terms[term+1].group = uint32(len(t.groupStart))
	}
	t.post = make([]Posting, out)
	t.postF = make([]uint8, out)
	for i, x := range raw[:out] {
		t.post[i], t.postF[i] = Posting{x.rec, t.recDate[x.rec]}, x.share
	}
	raw = nil

	// Name keys of every item; skeleton keys of every skeleton term.
	var kv []keyVal
	var ks []uint64
	for it := range items {
		ks = AppendTextKeys(ks[:0], t.itemText[t.itemOff[it]:t.itemOff[it+1]], t.itemJoined[it])
		slices.Sort(ks)
		for _, k := range slices.Compact(ks) {
			kv = append(kv, keyVal{k, uint32(it)})
		}
	}
	t.keys = buildKeyDir(kv, 2)
	kv = kv[:0]
	for k := range t.skels {
		kv = append(kv, keyVal{SkeletonKey(t.skelText[t.skelOff[k]:t.skelOff[k+1]]), uint32(items + k)})
	}
	t.skelTerms = buildKeyDir(kv, 2)
	t.buildNeighbours()
	t.adviseHuge()
}

// adviseHuge asks for huge pages for the arrays a search reads at random (see adviseHuge):
// with 4 KiB pages, nearly every read of a large index misses the TLB as well as the cache.
// The advice is withdrawn once the table is unreachable (see releaseWhenUnreachable).
func (t *personTable) adviseHuge() {
	var r hugeRegions
	adviseHuge(&r, t.recs)
	adviseHuge(&r, t.recDate)
	adviseHuge(&r, t.traits)
	adviseHuge(&r, t.dobs)
	adviseHuge(&r, t.nats)
	adviseHuge(&r, t.names)
	adviseHuge(&r, t.toks)
	adviseHuge(&r, t.itemOff)
	adviseHuge(&r, t.itemJoined)
	adviseHuge(&r, t.itemWeight)
	adviseHuge(&r, t.itemSkel)
	adviseHuge(&r, t.terms)
	adviseHuge(&r, t.sigs)
	adviseHuge(&r, t.post)
	adviseHuge(&r, t.postF)
	adviseHuge(&r, t.groupStart)
	adviseHuge(&r, t.groupKey)
	adviseHuge(&r, t.nbOff)
	adviseHuge(&r, t.nb)
	for _, d := range []*keyDir[keyEnt]{&t.keys, &t.skelTerms} {
		adviseHuge(&r, d.dir)
		adviseHuge(&r, d.ent)
	}
	adviseHuge(&r, t.pairs.dir)
	adviseHuge(&r, t.pairs.ent)
	for _, text := range []string{t.itemText, t.skelText, t.ids} {
		adviseHuge(&r, unsafe.Slice(unsafe.StringData(text), len(text)))
	}
	t.hugeRegions = len(r)
	releaseWhenUnreachable(t, r)
}

// buildNeighbours lists, for every item, the other items it matches by MRZ transliteration or
// with a typo, found through the keys exactly as a search would find them: a search whose unit
// is an item's text reads the list instead of looking the keys up.
func (t *personTable) buildNeighbours() {
	items := len(t.itemJoined)
	parts := runtime.GOMAXPROCS(0)
	lists := make([][]uint32, parts)
	offs := make([][]uint32, parts)
	var wg sync.WaitGroup
	for w := range parts {
		lo, hi := items*w/parts, items*(w+1)/parts
		wg.Go(func() {
			p := (*PersonIndex)(t)
			var found []uint32
			var keys []uint64
			var out []uint32
			off := make([]uint32, 0, hi-lo)
			for it := lo; it < hi; it++ {
				u := Unit{Text: t.itemText[t.itemOff[it]:t.itemOff[it+1]], Joined: t.itemJoined[it]}
				found, keys = p.LookupItems(&u, found[:0], keys)
				slices.Sort(found)
				for _, x := range slices.Compact(found) {
					if x == uint32(it) {
						continue
					}
					switch m := p.CompareItem(&u, NoItem, x); m {
					case NameMRZ, NameTypo, NameExact:
						out = append(out, x|uint32(m)<<29)
					}
				}
				off = append(off, uint32(len(out)))
			}
			lists[w], offs[w] = out, off
		})
	}
	wg.Wait()
	t.nbOff = make([]uint32, 1, items+1)
	for w := range parts {
		base := uint32(len(t.nb))
		t.nb = append(t.nb, lists[w]...)
		for _, o := range offs[w] {
			t.nbOff = append(t.nbOff, base+o)
		}
	}
}

func cmpU32(a, b uint32) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// keyDir: a static multimap from 64-bit hashes to values.

type keyVal struct {
	h uint64
	v uint32
}

// dirEntry is the type of a keyDir's entries: a fingerprint with a value (keyEnt) or with a
// posting (PairPosting). Each begins with its fingerprint (see entryFP).
type dirEntry interface{ keyEnt | PairPosting }

// keyEnt is an entry of a keyDir of values: a fingerprint and its value.
type keyEnt struct{ fp, val uint32 }

// PairPosting is one of the pair postings of a pair of terms (see PersonIndex.PairPostings),
// kept next to the fingerprint of its pair so that a lookup reads both in one place.
type PairPosting struct {
	fp uint32
	Posting
}

// entryFP returns the fingerprint of entry e: the uint32 it begins with, whatever its type (a
// type switch here would cost a lookup per entry read).
func entryFP[E dirEntry](e *E) uint32 { return *(*uint32)(unsafe.Pointer(e)) }

// keyDir keeps (hash, value) pairs sorted by hash, with a directory on the top bits of the
// hash; each entry keeps the next 32 bits as a fingerprint, next to its value. Entries of one
// hash are contiguous. Two hashes that agree on all these bits are merged, which callers
// tolerate: it can only add values, never lose one.
type keyDir[E dirEntry] struct {
	bits uint
	dir  []uint32 // len 1<<bits + 1
	ent  []E
}

func fingerprint(bits uint, h uint64) uint32 { return uint32(h << bits >> 32) }

// buildKeyDir builds a keyDir of about perBucket values per directory entry.
func buildKeyDir(kv []keyVal, perBucket int) keyDir[keyEnt] {
	bits := uint(8)
	for bits < 30 && 1<<bits < len(kv)/perBucket {
		bits++
	}
	d := keyDir[keyEnt]{bits: bits, dir: make([]uint32, 1<<bits+1)}
	for _, x := range kv {
		d.dir[x.h>>(64-bits)+1]++
	}
	for i := 1; i < len(d.dir); i++ {
		d.dir[i] += d.dir[i-1]
	}
	// Scatter fingerprint<<32 | value by bucket, sort each bucket, drop repeats in place.
	ent := make([]uint64, len(kv))
	next := slices.Clone(d.dir[:len(d.dir)-1])
	for _, x := range kv {
		b := x.h >> (64 - bits)
		ent[next[b]] = uint64(fingerprint(bits, x.h))<<32 | uint64(x.v)
		next[b]++
	}
	next = nil
	out := 0
	for b := 0; b+1 < len(d.dir); b++ {
		lo, hi := d.dir[b], d.dir[b+1]
		d.dir[b] = uint32(out)
		bucket := ent[lo:hi]
		slices.Sort(bucket)
		for i, x := range bucket {
			if i == 0 || x != bucket[i-1] {
				ent[out] = x
				out++
			}
		}
	}
	d.dir[len(d.dir)-1] = uint32(out)
	d.ent = make([]keyEnt, out)
	for i, x := range ent[:out] {
		d.ent[i] = keyEnt{fp: uint32(x >> 32), val: uint32(x)}
	}
	return d
}

// find returns the entries stored under h.
func (d *keyDir[E]) find(h uint64) []E {
	lo, hi := d.span(h)
	return d.ent[lo:hi]
}

// span returns where the entries stored under h are in d.ent.
func (d *keyDir[E]) span(h uint64) (int, int) {
	if len(d.dir) == 0 {
		return 0, 0
	}
	b := h >> (64 - d.bits)
	return d.within(h, int(d.dir[b]), int(d.dir[b+1]))
}

// within returns where the entries stored under h are in d.ent, searching [lo, hi): h's
// bucket, or the part of it after entries known to sort before h's fingerprint.
func (d *keyDir[E]) within(h uint64, lo, hi int) (int, int) {
	fp := fingerprint(d.bits, h)
	a, b := lo, hi // the first entry of fp or after it is in [a, b]
	for b-a > 8 {
		if mid := int(uint(a+b) >> 1); entryFP(&d.ent[mid]) < fp {
			a = mid + 1
		} else {
			b = mid
		}
	}
	for a < b && entryFP(&d.ent[a]) < fp {
		a++
	}
	end := a
	for end < hi && entryFP(&d.ent[end]) == fp {
		end++
	}
	return a, end
}

func (d *keyDir[E]) bytes() int {
	var e E
	return len(d.dir)*4 + len(d.ent)*int(unsafe.Sizeof(e))
}

// ItemCount returns the number of items; they are numbered from 0.
func (p *PersonIndex) ItemCount() int { return len(p.itemJoined) }
