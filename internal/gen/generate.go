package gen

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Variations of planted hits and near misses (Planted.Variation, NearMiss.Variation).
const (
	// SLTD hits: the traveller carries the record's document...
	VarExact     = "exact"      // ...as recorded (notices: the primary name and a full DOB)
	VarDocFormat = "doc-format" // ...with spaces, dashes or lower case in the number
	VarOCR       = "ocr"        // ...with one O/0 or I/1 confusion in the number

	// Notice hits: the traveller is the record's person, nationality and sex agreeing...
	VarAlias        = "alias"          // ...under a non-weak alias, with a full DOB
	VarNameTypo     = "name-typo"      // ...with one letter wrong in a name word of 5+ letters
	VarDiacritics   = "diacritics"     // ...with the name's accents stripped or added
	VarGivenOrder   = "given-order"    // ...with the given names in another order
	VarDOBYearOnly  = "dob-year-only"  // ...born in the year of a year-only record DOB
	VarDOBYearMonth = "dob-year-month" // ...born in the month of a year-month record DOB
	VarDOBSwapped   = "dob-swapped"    // ...with day and month of a record DOB swapped

	// Near misses, which must not hit.
	VarOtherIssuer    = "other-issuer"     // an SLTD number, issued by another country
	VarSameSurname    = "same-surname"     // a record's surname, other given names, DOB 10+ years off
	VarSameGivenNames = "same-given-names" // a record's given names, another surname, DOB 10+ years off
)

var (
	docVariations    = []string{VarExact, VarDocFormat, VarOCR}
	noticeVariations = []string{VarExact, VarAlias, VarNameTypo, VarDiacritics, VarGivenOrder, VarDOBYearOnly, VarDOBYearMonth, VarDOBSwapped}
)

// Planted is one expected hit: the subject must hit the record.
type Planted struct {
	SubjectID string         `json:"subject_id"` // event.SubjectID(manifest id, traveller index)
	Database  event.Database `json:"database"`
	RecordID  string         `json:"record_id"`
	Variation string         `json:"variation"`
}

// NearMiss is a subject that resembles a record but must not hit it.
type NearMiss struct {
	SubjectID string         `json:"subject_id"`
	Database  event.Database `json:"database"`
	RecordID  string         `json:"record_id"`
	Variation string         `json:"variation"`
}

// Dataset is one generated data set.
type Dataset struct {
	Lists      watchlist.Set
	Manifests  []event.Manifest
	Planted    []Planted  // every expected hit, exactly, in traveller order
	NearMisses []NearMiss // every planted look-alike, in traveller order
}

// Generate builds the data set cfg describes. The same Config always gives the same data.
func Generate(cfg Config) (*Dataset, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	seed := uint64(cfg.Seed)
	g := &generator{
		cfg:      cfg,
		bySur:    map[string][]int{},
		byGiven:  map[string][]int{},
		nameKeys: map[string]bool{},
		sltdKey:  map[string]bool{},
		sltdWild: map[string]bool{},
		ds:       &Dataset{},
	}
	lists := rand.New(rand.NewPCG(seed, 0x6c69737473))
	var err error
	if g.pools, err = buildPools(lists); err != nil {
		return nil, fmt.Errorf("building name pools: %w", err)
	}
	g.genDocuments(lists)
	if err := g.genNotices(lists); err != nil {
		return nil, fmt.Errorf("generating notices: %w", err)
	}
	if err := g.genManifests(seed); err != nil {
		return nil, fmt.Errorf("generating manifests: %w", err)
	}
	return g.ds, nil
}

type generator struct {
	cfg   Config
	pools *pools
	ds    *Dataset

	// notice names, for keeping records apart from each other and from travellers
	meta     []noticeMeta
	regs     []regName
	bySur    map[string][]int // surname-core neighbourhood key -> regs
	byGiven  map[string][]int // folded given names -> regs
	nameKeys map[string]bool  // nameKey of every record name
	screened []int            // notices of screened types

	// SLTD numbers per issuer: exact OCR keys and one-wildcard keys
	sltdKey  map[string]bool
	sltdWild map[string]bool

	usedDoc, usedNotice map[int]bool
}

// noticeMeta is what the generator knows about a notice beyond its record: its culture and
// the surname/given split of every name (also of names written as full names).
type noticeMeta struct {
	culture int
	names   []nameParts
	regs    []int // the record's registered names
}

type nameParts struct {
	surname, given string
	ok             bool // false for nicknames and unidentified persons
}

// regName is one registered record name.
type regName struct {
	rec   int
	given []string // folded given-name tokens
	years []int    // the record's birth years
}

// ---------------------------------------------------------------------------------------
// name pools

const recordShare = 0.4 // share of each culture's surnames reserved for records

type pools struct {
	rec, trav   [][]stem // per culture
	reserved    map[string]bool
	reservedDel map[string]bool
}

func buildPools(r *rand.Rand) (*pools, error) {
	p := &pools{reserved: map[string]bool{}, reservedDel: map[string]bool{}}
	given := map[string]bool{}
	for i := range cultures {
		for _, t := range cultures[i].givenTokens() {
			for _, f := range foldTokens(t) {
				given[f] = true
			}
		}
	}
	nick := map[string]bool{unidentified: true}
	for _, n := range nicknames {
		for _, t := range coreTokens(n) {
			nick[t] = true
		}
	}
	seen := map[string]bool{}
	p.rec = make([][]stem, len(cultures))
	p.trav = make([][]stem, len(cultures))
	cands := make([][]stem, len(cultures))
	for i := range cultures {
		// stems in groups (a combination's head), groups shuffled and split between records
		// and travellers, so that records and travellers do not share heads
		var groups []string
		byGroup := map[string][]stem{}
	stems:
		for _, s := range cultures[i].stems() {
			key := fold(s.m)
			if seen[key] {
				continue
			}
			for _, t := range append(coreTokens(s.m), coreTokens(s.f)...) {
				if given[t] || nick[t] {
					continue stems
				}
			}
			seen[key] = true
			if byGroup[s.group] == nil {
				groups = append(groups, s.group)
			}
			byGroup[s.group] = append(byGroup[s.group], s)
		}
		r.Shuffle(len(groups), func(a, b int) { groups[a], groups[b] = groups[b], groups[a] })
		total := 0
		for _, gr := range groups {
			total += len(byGroup[gr])
		}
		for _, gr := range groups {
			if float64(len(p.rec[i])) < float64(total)*recordShare {
				p.rec[i] = append(p.rec[i], byGroup[gr]...)
			} else {
				cands[i] = append(cands[i], byGroup[gr]...)
			}
		}
		for _, s := range p.rec[i] {
			for _, t := range append(coreTokens(s.m), coreTokens(s.f)...) {
				p.reserve(t)
			}
		}
	}
	for t := range nick {
		p.reserve(t)
	}
	for i := range cultures {
	trav:
		for _, s := range cands[i] {
			for _, t := range append(coreTokens(s.m), coreTokens(s.f)...) {
				if !p.clear(t) {
					continue trav
				}
			}
			p.trav[i] = append(p.trav[i], s)
		}
		if len(p.rec[i]) == 0 || len(p.trav[i]) == 0 {
			return nil, fmt.Errorf("culture %s: empty surname pool", cultures[i].id)
		}
	}
	return p, nil
}

// reserve marks a record token: travellers' surnames keep more than one edit (and one
// phonetic edit) away from it.
func (p *pools) reserve(tok string) {
	for _, k := range [...]string{"r" + tok, "s" + skeleton(tok)} {
		p.reserved[k] = true
		p.reservedDel[k] = true
		if len(k) >= 5 {
			for _, d := range deletions(k[1:])[1:] {
				p.reservedDel[k[:1]+d] = true
			}
		}
	}
}

// clear reports whether a traveller may carry tok in a surname.
func (p *pools) clear(tok string) bool {
	for _, k := range [...]string{"r" + tok, "s" + skeleton(tok)} {
		if p.reserved[k] {
			return false
		}
		if len(k) >= 5 {
			for _, d := range deletions(k[1:]) {
				if p.reservedDel[k[:1]+d] {
					return false
				}
			}
		}
	}
	return true
}

// ---------------------------------------------------------------------------------------
// SLTD

func (g *generator) genDocuments(r *rand.Rand) {
	docs := make([]watchlist.Document, 0, g.cfg.Documents)
	for i := range g.cfg.Documents {
		issuer := pick(r, issuerCodes)
		typ := "P"
		if hasID(issuer) && r.IntN(10) < 3 {
			typ = "I"
		}
		var num string
		for {
			num = docNumber(r, issuer, typ)
			if !g.sltdKey[issuer+"|"+ocrKey(num)] {
				break
			}
		}
		g.addSLTD(issuer, num)
		docs = append(docs, watchlist.Document{
			ID:     fmt.Sprintf("D%08d", i+1),
			Number: num,
			Type:   typ,
			Issuer: issuer,
			Status: weighted(r, []watchlist.DocumentStatus{watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusStolenBlank, watchlist.StatusRevoked, watchlist.StatusInvalidated}, []int{35, 45, 8, 6, 6}),
			Owner:  issuer, // only the issuing country may add its documents
		})
	}
	g.ds.Lists.Documents = docs
}

func (g *generator) addSLTD(issuer, num string) {
	k := ocrKey(num)
	g.sltdKey[issuer+"|"+k] = true
	for i := range len(k) {
		g.sltdWild[issuer+"|"+k[:i]+"?"+k[i+1:]] = true
	}
}

// docClear reports whether a traveller may carry num from issuer: it is neither an SLTD
// number of that issuer, nor OCR-equivalent to one, nor one character away from one.
func (g *generator) docClear(issuer, num string) bool {
	k := ocrKey(num)
	if g.sltdKey[issuer+"|"+k] {
		return false
	}
	for i := range len(k) {
		if g.sltdWild[issuer+"|"+k[:i]+"?"+k[i+1:]] {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------------------
// notices

var noticeTypes = []watchlist.NoticeType{
	watchlist.NoticeRed, watchlist.NoticeBlue, watchlist.NoticeYellow, watchlist.NoticeGreen,
	watchlist.NoticeUNSpecial, watchlist.NoticeBlack, watchlist.NoticeOrange, watchlist.NoticePurple,
}

var noticeTypeWeights = []int{50, 15, 12, 9, 4, 4, 3, 3}

func (g *generator) genNotices(r *rand.Rand) error {
	weights := make([]int, len(cultures))
	for i, c := range cultures {
		weights[i] = c.weight
	}
	countries := Countries()
	usedStem := map[string]bool{}
	for i := range g.cfg.Notices {
		typ := weighted(r, noticeTypes, noticeTypeWeights)
		p := watchlist.Person{ID: fmt.Sprintf("N%07d", i+1), NoticeType: typ}
		p.Sex = noticeSex(r, typ)
		meta := noticeMeta{culture: -1}
		if typ == watchlist.NoticeBlack {
			p.Names = []watchlist.Name{{FullName: unidentified}}
			p.BirthDates = []event.Date{{Year: 1950 + r.IntN(55)}}
			meta.names = []nameParts{{}}
			p.Owner = pick(r, countries)
		} else {
			p.BirthDates = g.recordDOBs(r, typ)
			years := birthYears(p.BirthDates)
			var ok bool
			for range 60 {
				cu := weightedIndex(r, weights)
				c := &cultures[cu]
				s := pick(r, g.pools.rec[cu])
				for try := 0; try < 4 && usedStem[s.m]; try++ {
					s = pick(r, g.pools.rec[cu])
				}
				sur := c.surname(r, s, p.Sex, g.pools.rec[cu])
				giv := c.given(r, p.Sex)
				if !g.nameFree(i, sur, giv) {
					continue
				}
				usedStem[s.m] = true
				meta.culture = cu
				meta.regs = append(meta.regs, g.register(i, sur, giv, years))
				p.Names = []watchlist.Name{{Surname: sur, GivenNames: giv}}
				meta.names = []nameParts{{surname: sur, given: giv, ok: true}}
				ok = true
				break
			}
			if !ok {
				return fmt.Errorf("notice %s: no free name after 60 draws", p.ID)
			}
			g.aliases(r, i, &p, &meta, years)
			p.Nationalities = []string{pick(r, cultures[meta.culture].nats)}
			if r.IntN(100) < 12 {
				if n := pick(r, issuerCodes); n != p.Nationalities[0] {
					p.Nationalities = append(p.Nationalities, n)
				}
			}
			switch x := r.IntN(10); {
			case x < 5:
				p.Owner = p.Nationalities[0]
			case x < 8:
				p.Owner = pick(r, countries)
			default:
				p.Owner = pick(r, issuerCodes)
			}
		}
		if typ.Screened() {
			g.screened = append(g.screened, i)
		}
		g.ds.Lists.Notices = append(g.ds.Lists.Notices, p)
		g.meta = append(g.meta, meta)
	}
	return nil
}

func noticeSex(r *rand.Rand, typ watchlist.NoticeType) string {
	if r.IntN(50) == 0 {
		return "U"
	}
	male := map[watchlist.NoticeType]int{watchlist.NoticeYellow: 45, watchlist.NoticeBlue: 70, watchlist.NoticeBlack: 75}[typ]
	if male == 0 {
		male = 88
	}
	if r.IntN(100) < male {
		return "M"
	}
	return "F"
}

// recordDOBs draws a record's birth dates: mostly one full date, some year-month or year
// only, a few with two candidates.
func (g *generator) recordDOBs(r *rand.Rand, typ watchlist.NoticeType) []event.Date {
	lo, hi := 1950, 2004
	if typ == watchlist.NoticeYellow && r.IntN(10) < 6 {
		lo, hi = 2004, min(2019, g.cfg.Start.Year()-1)
	}
	d := randDate(r, lo, hi)
	switch x := r.IntN(100); {
	case x < 70:
		return []event.Date{d}
	case x < 80:
		return []event.Date{{Year: d.Year, Month: d.Month}}
	case x < 93:
		return []event.Date{{Year: d.Year}}
	default:
		d2 := randDate(r, d.Year+1, d.Year+2)
		return []event.Date{d, d2}
	}
}

// aliases adds 0-3 aliases to a record.
func (g *generator) aliases(r *rand.Rand, i int, p *watchlist.Person, meta *noticeMeta, years []int) {
	n := weightedIndex(r, []int{45, 30, 17, 8})
	c := &cultures[meta.culture]
	for range n {
		if r.IntN(10) < 3 {
			p.Names = append(p.Names, watchlist.Name{FullName: pick(r, nicknames), Weak: true})
			meta.names = append(meta.names, nameParts{})
			continue
		}
		for range 20 {
			sur := c.surname(r, pick(r, g.pools.rec[meta.culture]), p.Sex, g.pools.rec[meta.culture])
			giv := meta.names[0].given
			if r.IntN(2) == 0 {
				giv = c.given(r, p.Sex)
			}
			if !g.nameFree(i, sur, giv) {
				continue
			}
			meta.regs = append(meta.regs, g.register(i, sur, giv, years))
			if r.IntN(10) < 3 {
				p.Names = append(p.Names, watchlist.Name{FullName: c.fullName(sur, giv)})
			} else {
				p.Names = append(p.Names, watchlist.Name{Surname: sur, GivenNames: giv})
			}
			meta.names = append(meta.names, nameParts{surname: sur, given: giv, ok: true})
			break
		}
	}
}

// surnameKeys are the neighbourhood keys of a surname's core tokens.
func surnameKeys(surname string) []string {
	var out []string
	for _, t := range coreTokens(surname) {
		if len(t) >= 4 {
			out = append(out, deletions(t)...)
		} else {
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// similarRegs returns the registered names whose surname is within one edit of surname.
func (g *generator) similarRegs(surname string) []int {
	var out []int
	for _, k := range surnameKeys(surname) {
		out = append(out, g.bySur[k]...)
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// nameFree reports whether record rec may take this name: no record has the same name, and
// no other record with a surname within one edit has a given name within one edit.
func (g *generator) nameFree(rec int, surname, given string) bool {
	if g.nameKeys[nameKey(surname, given)] {
		return false
	}
	gt := foldTokens(given)
	for _, ri := range g.similarRegs(surname) {
		if g.regs[ri].rec != rec && !tokensFar(gt, g.regs[ri].given) {
			return false
		}
	}
	return true
}

func (g *generator) register(rec int, surname, given string, years []int) int {
	g.nameKeys[nameKey(surname, given)] = true
	ri := len(g.regs)
	g.regs = append(g.regs, regName{rec: rec, given: foldTokens(given), years: years})
	for _, k := range surnameKeys(surname) {
		g.bySur[k] = append(g.bySur[k], ri)
	}
	fg := fold(given)
	g.byGiven[fg] = append(g.byGiven[fg], ri)
	return ri
}

// tokensFar reports whether no token of a is equal to, or within one edit of, a token of b.
func tokensFar(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if x == y || within1(x, y) {
				return false
			}
		}
	}
	return true
}

// within1 reports whether two tokens of 4+ letters are within one edit of each other.
func within1(a, b string) bool {
	if len(a) < 4 || len(b) < 4 || abs(len(a)-len(b)) > 1 {
		return false
	}
	da := deletions(a)
	for _, y := range deletions(b) {
		if slices.Contains(da, y) {
			return true
		}
	}
	return false
}

// yearsFar reports whether y is at least ten years from every year in ys.
func yearsFar(y int, ys []int) bool {
	for _, x := range ys {
		if abs(x-y) < 10 {
			return false
		}
	}
	return true
}

func birthYears(ds []event.Date) []int {
	var out []int
	for _, d := range ds {
		if d.Year != 0 && !slices.Contains(out, d.Year) {
			out = append(out, d.Year)
		}
	}
	return out
}

// givenFarFromRecords reports whether a traveller born in year may carry these given names:
// every record with the same given names was born at least ten years apart.
func (g *generator) givenFarFromRecords(given string, year int) bool {
	for _, ri := range g.byGiven[fold(given)] {
		if !yearsFar(year, g.regs[ri].years) {
			return false
		}
	}
	return true
}

// ---------------------------------------------------------------------------------------
// manifests and travellers

type slotKind uint8

const (
	slotRandom slotKind = iota
	slotHit
	slotNear
)

func (g *generator) genManifests(seed uint64) error {
	mr := rand.New(rand.NewPCG(seed, 0x6d616e6966))
	tr := rand.New(rand.NewPCG(seed, 0x7472617673))
	pr := rand.New(rand.NewPCG(seed, 0x706c616e74))
	cfg := g.cfg
	prefix := uint32(splitmix(seed))
	dests := arrivalAirports[cfg.Country]
	from := origins(cfg.Country)
	spacing := 24 * time.Hour / time.Duration(max(cfg.Manifests, 1))
	ms := make([]event.Manifest, cfg.Manifests)
	total := 0
	for i := range ms {
		al := pick(mr, airlines)
		m := event.Manifest{
			ID:      fmt.Sprintf("M%08x-%06d", prefix, i+1),
			Carrier: al.code,
			Flight:  fmt.Sprintf("%s%d", al.code, 10+mr.IntN(2990)),
			Country: cfg.Country,
		}
		dep := cfg.Start.Add(time.Duration(i)*spacing + time.Duration(mr.Int64N(int64(spacing)+1))).Truncate(time.Minute).UTC()
		dest := pick(mr, dests)
		var stops []string
		switch {
		case airportCountry[al.hub] == cfg.Country || al.country == cfg.Country:
			stops = []string{pick(mr, from), dest}
		case mr.IntN(10) < 6:
			stops = []string{al.hub, dest}
		default:
			o := pick(mr, from)
			for o == al.hub {
				o = pick(mr, from)
			}
			stops = []string{o, al.hub, dest}
		}
		t := dep
		for k := 0; k+1 < len(stops); k++ {
			if k > 0 {
				t = t.Add(time.Duration(60+mr.IntN(121)) * time.Minute)
			}
			arr := t.Add(time.Duration(45+5*mr.IntN(136)) * time.Minute)
			m.Legs = append(m.Legs, event.Leg{Departure: stops[k], Arrival: stops[k+1], DepartureAt: t, ArrivalAt: arr})
			t = arr
		}
		m.ReceivedAt = dep.Add(-time.Duration(20*60+mr.IntN(100*60)) * time.Second)
		role := event.RolePassenger
		if mr.IntN(25) == 0 {
			role = event.RoleCrew
		}
		n := cfg.MinTravellers + mr.IntN(cfg.MaxTravellers-cfg.MinTravellers+1)
		m.Travellers = make([]event.Traveller, n)
		for k := range m.Travellers {
			m.Travellers[k].Role = role
		}
		total += n
		ms[i] = m
	}

	kinds := make([]slotKind, total)
	nHit := int(math.Round(cfg.HitRate * float64(total)))
	nNear := int(math.Round(cfg.NearMissRate * float64(total)))
	if nHit+nNear > total { // rates sum to at most 1; guard the rounding
		nNear = total - nHit
	}
	for j, x := range pr.Perm(total)[:nHit+nNear] {
		kinds[x] = slotNear
		if j < nHit {
			kinds[x] = slotHit
		}
	}
	return g.fillTravellers(ms, kinds, tr, pr)
}

func (g *generator) fillTravellers(ms []event.Manifest, kinds []slotKind, tr, pr *rand.Rand) error {
	g.usedDoc, g.usedNotice = map[int]bool{}, map[int]bool{}
	slot := 0
	for i := range ms {
		m := &ms[i]
		for k := range m.Travellers {
			t := &m.Travellers[k]
			id := event.SubjectID(m.ID, k)
			switch kinds[slot] {
			case slotHit:
				p, pl, err := g.plantHit(pr, t.Role)
				if err != nil {
					return fmt.Errorf("planting a hit on %s: %w", id, err)
				}
				pl.SubjectID = id
				t.Person = p
				g.ds.Planted = append(g.ds.Planted, pl)
			case slotNear:
				p, nm, err := g.plantNear(pr, t.Role)
				if err != nil {
					return fmt.Errorf("planting a near miss on %s: %w", id, err)
				}
				nm.SubjectID = id
				t.Person = p
				g.ds.NearMisses = append(g.ds.NearMisses, nm)
			default:
				t.Person = g.randomTraveller(tr, t.Role)
			}
			slot++
		}
	}
	g.ds.Manifests = ms
	return nil
}

// travellerCulture picks a traveller's culture and nationality; the screening country's own
// culture and nationals are over-represented.
func (g *generator) travellerCulture(r *rand.Rand) (int, string) {
	home := screeningCulture(g.cfg.Country)
	weights := make([]int, len(cultures))
	for i, c := range cultures {
		weights[i] = c.weight
		if i == home {
			weights[i] += 40
		}
	}
	cu := weightedIndex(r, weights)
	if cu == home && r.IntN(10) < 7 {
		if _, ok := issuers[g.cfg.Country]; ok {
			return cu, g.cfg.Country
		}
	}
	return cu, pick(r, cultures[cu].nats)
}

func (g *generator) randomTraveller(r *rand.Rand, role event.Role) event.Person {
	cu, nat := g.travellerCulture(r)
	return g.randomPerson(r, cu, nat, pick(r, []string{"M", "F"}), role)
}

// randomPerson draws a traveller who resembles no record: a surname from the travellers'
// pool, and given names shared with a record only when born ten or more years apart.
func (g *generator) randomPerson(r *rand.Rand, cu int, nat, sex string, role event.Role) event.Person {
	c := &cultures[cu]
	pool := g.pools.trav[cu]
	var p event.Person
	for {
		sur := c.surname(r, pick(r, pool), sex, pool)
		giv := c.given(r, sex)
		if g.nameKeys[nameKey(sur, giv)] {
			continue
		}
		dob := g.travellerDOB(r, role)
		for try := 0; try < 10 && !g.givenFarFromRecords(giv, dob.Year); try++ {
			dob = g.travellerDOB(r, role)
		}
		if !g.givenFarFromRecords(giv, dob.Year) {
			continue
		}
		if r.IntN(2) == 0 { // as read from the machine-readable zone
			sur, giv = stripMarks(sur), stripMarks(giv)
		}
		p = event.Person{Surname: sur, GivenNames: giv, BirthDate: dob, Sex: sex, Nationality: nat}
		break
	}
	p.Documents = g.travellerDocs(r, nat)
	return p
}

func (g *generator) travellerDOB(r *rand.Rand, role event.Role) event.Date {
	last := g.cfg.Start.Year() - 1
	switch {
	case role == event.RoleCrew:
		return randDate(r, 1962, min(2004, last))
	case r.IntN(100) < 8:
		return randDate(r, min(2008, last), last)
	default:
		return randDate(r, 1940, min(2006, last))
	}
}

// travellerDocs draws a passport of the nationality, and sometimes an identity card, never
// near an SLTD number.
func (g *generator) travellerDocs(r *rand.Rand, nat string) []event.Document {
	docs := []event.Document{g.cleanDoc(r, nat, "P")}
	if hasID(nat) && r.IntN(100) < 12 {
		docs = append(docs, g.cleanDoc(r, nat, "I"))
	}
	return docs
}

func (g *generator) cleanDoc(r *rand.Rand, issuer, typ string) event.Document {
	for {
		if num := docNumber(r, issuer, typ); g.docClear(issuer, num) {
			return event.Document{Type: typ, Number: num, Issuer: issuer, Expiry: g.expiry(r)}
		}
	}
}

func (g *generator) expiry(r *rand.Rand) event.Date {
	y := g.cfg.Start.Year()
	return randDate(r, y+1, y+10)
}

// ---------------------------------------------------------------------------------------
// planted hits

var errNoRecord = errors.New("no record fits any variation")

func (g *generator) plantHit(r *rand.Rand, role event.Role) (event.Person, Planted, error) {
	var dbs []event.Database
	if len(g.ds.Lists.Documents) > 0 {
		dbs = append(dbs, event.DBSLTD)
	}
	if len(g.screened) > 0 {
		dbs = append(dbs, event.DBNotices)
	}
	if len(dbs) == 0 {
		return event.Person{}, Planted{}, errNoRecord
	}
	for range 40 {
		if pick(r, dbs) == event.DBSLTD {
			v := pick(r, docVariations)
			i, ok := pickRecord(r, len(g.ds.Lists.Documents), g.usedDoc, func(i int) bool { return docFits(&g.ds.Lists.Documents[i], v) })
			if !ok {
				continue
			}
			g.usedDoc[i] = true
			return g.docHit(r, i, v, role), Planted{Database: event.DBSLTD, RecordID: g.ds.Lists.Documents[i].ID, Variation: v}, nil
		}
		v := pick(r, noticeVariations)
		j, ok := pickRecord(r, len(g.screened), nil, func(j int) bool {
			return !g.usedNotice[g.screened[j]] && g.noticeFits(g.screened[j], v)
		})
		if !ok {
			j, ok = pickRecord(r, len(g.screened), nil, func(j int) bool { return g.noticeFits(g.screened[j], v) })
		}
		if !ok {
			continue
		}
		i := g.screened[j]
		g.usedNotice[i] = true
		return g.noticeHit(r, i, v), Planted{Database: event.DBNotices, RecordID: g.ds.Lists.Notices[i].ID, Variation: v}, nil
	}
	return event.Person{}, Planted{}, errNoRecord
}

// pickRecord picks a random index below n that fits, preferring unused ones.
func pickRecord(r *rand.Rand, n int, used map[int]bool, fits func(int) bool) (int, bool) {
	if n == 0 {
		return 0, false
	}
	for range 64 {
		if i := r.IntN(n); !used[i] && fits(i) {
			return i, true
		}
	}
	start := r.IntN(n)
	for pass := 0; pass < 2; pass++ {
		for k := range n {
			i := (start + k) % n
			if (pass == 1 || !used[i]) && fits(i) {
				return i, true
			}
		}
	}
	return 0, false
}

func docFits(d *watchlist.Document, v string) bool {
	if v == VarOCR {
		return strings.ContainsAny(d.Number, "01OI")
	}
	return true
}

func (g *generator) docHit(r *rand.Rand, i int, v string, role event.Role) event.Person {
	d := &g.ds.Lists.Documents[i]
	p := g.randomPerson(r, issuerCulture(d.Issuer), d.Issuer, pick(r, []string{"M", "F"}), role)
	doc := event.Document{Type: d.Type, Number: varyNumber(r, d.Number, v), Issuer: d.Issuer, Expiry: g.expiry(r)}
	switch {
	case d.Type == "P":
		p.Documents[0] = doc
	case len(p.Documents) > 1:
		p.Documents[1] = doc
	case r.IntN(2) == 0: // travelling on the identity card alone
		p.Documents[0] = doc
	default:
		p.Documents = append(p.Documents, doc)
	}
	return p
}

// varyNumber writes an SLTD number the way the variation says.
func varyNumber(r *rand.Rand, num, v string) string {
	switch v {
	case VarDocFormat:
		for {
			b := []byte(num)
			if r.IntN(2) == 0 {
				b = []byte(strings.ToLower(num))
			}
			for range r.IntN(3) {
				at := 1 + r.IntN(len(b)-1)
				b = slices.Insert(b, at, " -"[r.IntN(2)])
			}
			if s := string(b); s != num {
				return s
			}
		}
	case VarOCR:
		var at []int
		for k := range len(num) {
			if strings.IndexByte("01OI", num[k]) >= 0 {
				at = append(at, k)
			}
		}
		k := pick(r, at)
		swap := map[byte]byte{'0': 'O', 'O': '0', '1': 'I', 'I': '1'}
		b := []byte(num)
		b[k] = swap[b[k]]
		return string(b)
	default:
		return num
	}
}

// noticeFits reports whether notice i can be planted with variation v.
func (g *generator) noticeFits(i int, v string) bool {
	p, m := &g.ds.Lists.Notices[i], &g.meta[i]
	if !p.NoticeType.Screened() || !m.names[0].ok {
		return false
	}
	full := false
	for _, d := range p.BirthDates {
		full = full || d.Precision() == 3
	}
	switch v {
	case VarExact:
		return full
	case VarDiacritics:
		n := m.names[0].surname + m.names[0].given
		return full && (stripMarks(n) != n || strings.ContainsAny(n, "AEIOUNCSG"))
	case VarAlias:
		return full && len(aliasIndexes(p)) > 0
	case VarNameTypo:
		return full && len(typoPositions(m.names[0].surname+" "+m.names[0].given)) > 0
	case VarGivenOrder:
		return full && canReorder(m.names[0].given)
	case VarDOBYearOnly:
		return slices.ContainsFunc(p.BirthDates, func(d event.Date) bool { return d.Precision() == 1 })
	case VarDOBYearMonth:
		return slices.ContainsFunc(p.BirthDates, func(d event.Date) bool { return d.Precision() == 2 })
	case VarDOBSwapped:
		return slices.ContainsFunc(p.BirthDates, swappable)
	default:
		return false
	}
}

func swappable(d event.Date) bool { return d.Precision() == 3 && d.Day <= 12 && d.Day != d.Month }

func aliasIndexes(p *watchlist.Person) []int {
	var out []int
	for k := 1; k < len(p.Names); k++ {
		if !p.Names[k].Weak {
			out = append(out, k)
		}
	}
	return out
}

func canReorder(given string) bool {
	f := strings.Fields(given)
	return len(f) >= 2 && slices.ContainsFunc(f, func(s string) bool { return s != f[0] })
}

func (g *generator) noticeHit(r *rand.Rand, i int, v string) event.Person {
	p, m := &g.ds.Lists.Notices[i], &g.meta[i]
	sex := p.Sex
	if sex != "M" && sex != "F" {
		sex = pick(r, []string{"M", "F"})
	}
	var fulls []event.Date
	for _, d := range p.BirthDates {
		if d.Precision() == 3 {
			fulls = append(fulls, d)
		}
	}
	sur, giv := m.names[0].surname, m.names[0].given
	var dob event.Date
	if len(fulls) > 0 {
		dob = pick(r, fulls)
	}
	switch v {
	case VarAlias:
		n := m.names[pick(r, aliasIndexes(p))]
		sur, giv = n.surname, n.given
	case VarNameTypo:
		sur, giv = typo(r, sur, giv)
	case VarDiacritics:
		sur, giv = diacritics(r, sur, giv)
	case VarGivenOrder:
		f := strings.Fields(giv)
		for {
			r.Shuffle(len(f), func(a, b int) { f[a], f[b] = f[b], f[a] })
			if s := strings.Join(f, " "); s != giv {
				giv = s
				break
			}
		}
	case VarDOBYearOnly, VarDOBYearMonth:
		prec := 1
		if v == VarDOBYearMonth {
			prec = 2
		}
		var parts []event.Date
		for _, d := range p.BirthDates {
			if d.Precision() == prec {
				parts = append(parts, d)
			}
		}
		d := pick(r, parts)
		dob = randDate(r, d.Year, d.Year)
		if prec == 2 {
			dob.Month = d.Month
			dob.Day = 1 + r.IntN(daysInMonth(d.Year, d.Month))
		}
	case VarDOBSwapped:
		var sw []event.Date
		for _, d := range p.BirthDates {
			if swappable(d) {
				sw = append(sw, d)
			}
		}
		d := pick(r, sw)
		dob = event.Date{Year: d.Year, Month: d.Day, Day: d.Month}
	default:
	}
	nat := pick(r, p.Nationalities)
	return event.Person{Surname: sur, GivenNames: giv, BirthDate: dob, Sex: sex, Nationality: nat, Documents: g.travellerDocs(r, nat)}
}

// typoPositions are the rune offsets, in s, of letters inside words of five or more letters.
func typoPositions(s string) []int {
	rs := []rune(s)
	var out []int
	start := -1
	for k := 0; k <= len(rs); k++ {
		letter := k < len(rs) && rs[k] != ' ' && rs[k] != '-' && rs[k] != '\''
		if letter && start < 0 {
			start = k
		}
		if !letter && start >= 0 {
			if k-start >= 5 {
				for j := start; j < k; j++ {
					out = append(out, j)
				}
			}
			start = -1
		}
	}
	return out
}

// typo replaces one letter of a 5+ letter word of the surname or given names.
func typo(r *rand.Rand, sur, giv string) (string, string) {
	whole := []rune(sur + " " + giv)
	k := pick(r, typoPositions(string(whole)))
	old := fold(string(whole[k]))
	for {
		c := rune('A' + r.IntN(26))
		if string(c) != old {
			whole[k] = c
			break
		}
	}
	n := len([]rune(sur))
	return string(whole[:n]), string(whole[n+1:])
}

var accents = map[rune][]rune{
	'A': {'Á', 'À', 'Â'}, 'E': {'É', 'È', 'Ê'}, 'I': {'Í', 'Î'}, 'O': {'Ó', 'Ô'}, 'U': {'Ú', 'Û'},
	'N': {'Ñ'}, 'C': {'Ç'}, 'S': {'Ş'}, 'G': {'Ğ'},
}

// diacritics strips the accents of a name that has some, or adds one or two to one that has
// none.
func diacritics(r *rand.Rand, sur, giv string) (string, string) {
	if stripMarks(sur) != sur || stripMarks(giv) != giv {
		return stripMarks(sur), stripMarks(giv)
	}
	whole := []rune(sur + " " + giv)
	var at []int
	for k, c := range whole {
		if accents[c] != nil {
			at = append(at, k)
		}
	}
	r.Shuffle(len(at), func(a, b int) { at[a], at[b] = at[b], at[a] })
	for _, k := range at[:min(len(at), 1+r.IntN(2))] {
		whole[k] = pick(r, accents[whole[k]])
	}
	n := len([]rune(sur))
	return string(whole[:n]), string(whole[n+1:])
}

// stripMarks replaces accented letters by their plain forms and keeps everything else.
func stripMarks(s string) string {
	var b strings.Builder
	for _, c := range s {
		if rep, ok := foldTable[c]; ok {
			b.WriteString(rep)
		} else {
			b.WriteRune(c)
		}
	}
	return b.String()
}

// ---------------------------------------------------------------------------------------
// near misses

func (g *generator) plantNear(r *rand.Rand, role event.Role) (event.Person, NearMiss, error) {
	var kinds []string
	if len(g.ds.Lists.Documents) > 0 {
		kinds = append(kinds, VarOtherIssuer)
	}
	if len(g.screened) > 0 {
		kinds = append(kinds, VarSameSurname, VarSameGivenNames)
	}
	if len(kinds) == 0 {
		return event.Person{}, NearMiss{}, errNoRecord
	}
	for range 40 {
		v := pick(r, kinds)
		if v == VarOtherIssuer {
			i := r.IntN(len(g.ds.Lists.Documents))
			d := &g.ds.Lists.Documents[i]
			other := pick(r, issuerCodes)
			if other == d.Issuer || !g.docClear(other, d.Number) {
				continue
			}
			p := g.randomPerson(r, issuerCulture(other), other, pick(r, []string{"M", "F"}), role)
			p.Documents[0] = event.Document{Type: "P", Number: d.Number, Issuer: other, Expiry: g.expiry(r)}
			return p, NearMiss{Database: event.DBSLTD, RecordID: d.ID, Variation: v}, nil
		}
		i := g.screened[r.IntN(len(g.screened))]
		if p, ok := g.nearNotice(r, i, v, role); ok {
			return p, NearMiss{Database: event.DBNotices, RecordID: g.ds.Lists.Notices[i].ID, Variation: v}, nil
		}
	}
	return event.Person{}, NearMiss{}, errNoRecord
}

func (g *generator) nearNotice(r *rand.Rand, i int, v string, role event.Role) (event.Person, bool) {
	rec, m := &g.ds.Lists.Notices[i], &g.meta[i]
	if !m.names[0].ok {
		return event.Person{}, false
	}
	c := &cultures[m.culture]
	sex := rec.Sex
	if sex != "M" && sex != "F" {
		sex = pick(r, []string{"M", "F"})
	}
	nat := pick(r, rec.Nationalities)
	for range 30 {
		var sur, giv string
		var years []int // birth years the traveller must stay ten years away from
		switch v {
		case VarSameSurname:
			sur, giv = m.names[0].surname, c.given(r, sex)
			gt := foldTokens(giv)
			ok := !g.nameKeys[nameKey(sur, giv)]
			for _, ri := range append(g.similarRegs(sur), m.regs...) {
				ok = ok && tokensFar(gt, g.regs[ri].given)
				years = append(years, g.regs[ri].years...)
			}
			if !ok {
				continue
			}
		default:
			pool := g.pools.trav[m.culture]
			sur, giv = c.surname(r, pick(r, pool), sex, pool), m.names[0].given
		}
		years = append(years, birthYears(rec.BirthDates)...)
		for range 20 {
			dob := g.travellerDOB(r, role)
			if yearsFar(dob.Year, years) && g.givenFarFromRecords(giv, dob.Year) {
				return event.Person{Surname: sur, GivenNames: giv, BirthDate: dob, Sex: sex, Nationality: nat, Documents: g.travellerDocs(r, nat)}, true
			}
		}
	}
	return event.Person{}, false
}

// ---------------------------------------------------------------------------------------
// small helpers

func randDate(r *rand.Rand, lo, hi int) event.Date {
	if hi < lo {
		hi = lo
	}
	y := lo + r.IntN(hi-lo+1)
	m := 1 + r.IntN(12)
	return event.Date{Year: y, Month: m, Day: 1 + r.IntN(daysInMonth(y, m))}
}

func daysInMonth(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func weighted[T any](r *rand.Rand, xs []T, ws []int) T { return xs[weightedIndex(r, ws)] }

func weightedIndex(r *rand.Rand, ws []int) int {
	total := 0
	for _, w := range ws {
		total += w
	}
	x := r.IntN(total)
	for i, w := range ws {
		if x < w {
			return i
		}
		x -= w
	}
	return len(ws) - 1
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
