package match

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Person evidence weights (see the package documentation).
const (
	nameWeight      = 0.80
	recordCoverage  = 0.6
	subjectCoverage = 0.4
	swapFactor      = 0.85
	weakFactor      = 0.85
	secondaryFactor = 0.5
	missingFactor   = 0.85

	natAgree  = 0.03
	natClash  = -0.05
	sexAgree  = 0.02
	sexClash  = -0.05
	maxTokens = 2 * index.MaxNameTokens
)

// dobKind classifies how a subject's date of birth compares with a record's.
type dobKind uint8

const (
	dobUnknown dobKind = iota
	dobConflict
	dobSameYearClash
	dobNearYear
	dobYear
	dobTypo
	dobYearMonth
	dobSwapped
	dobFull
)

var dobWeights = [...]float64{
	dobUnknown:       0,
	dobConflict:      -0.30,
	dobSameYearClash: -0.10,
	dobNearYear:      -0.05,
	dobYear:          0.05,
	dobTypo:          0.06,
	dobYearMonth:     0.08,
	dobSwapped:       0.10,
	dobFull:          0.15,
}

var dobDetails = [...]struct{ match, detail string }{
	dobUnknown:       {"missing", "date of birth unknown on one side"},
	dobConflict:      {"conflict", "years of birth differ by more than one"},
	dobSameYearClash: {"conflict", "same year of birth, different month or day"},
	dobNearYear:      {"conflict", "years of birth differ by one"},
	dobYear:          {"partial", "year of birth agrees (the other date is partial)"},
	dobTypo:          {"fuzzy", "full dates of birth differ in one digit (a likely typo)"},
	dobYearMonth:     {"partial", "year and month of birth agree (the other date is partial)"},
	dobSwapped:       {"fuzzy", "full date of birth agrees with day and month swapped"},
	dobFull:          {"exact", "full date of birth agrees"},
}

// compareDOB compares a subject's date of birth a with a record's b.
func compareDOB(a, b event.Date) dobKind {
	if a.IsZero() || b.IsZero() {
		return dobUnknown
	}
	pa, pb := a.Precision(), b.Precision()
	if pa == 3 && pb == 3 {
		switch {
		case a == b:
			return dobFull
		case a.Year == b.Year && a.Month == b.Day && a.Day == b.Month:
			return dobSwapped
		case oneDigitApart(a, b):
			return dobTypo
		}
	}
	switch d := a.Year - b.Year; {
	case d > 1 || d < -1:
		return dobConflict
	case d != 0:
		return dobNearYear
	}
	switch {
	case min(pa, pb) == 1:
		return dobYear
	case a.Month == b.Month && min(pa, pb) == 2:
		return dobYearMonth
	case pa == 3 && pb == 2 && a.Day == b.Month, pa == 2 && pb == 3 && b.Day == a.Month:
		return dobYear // a day/month swap on the full side: the year still agrees
	default:
		return dobSameYearClash
	}
}

// oneDigitApart reports whether two full dates written YYYYMMDD differ in exactly one digit.
func oneDigitApart(a, b event.Date) bool {
	// One digit wrong changes exactly one of year, month and day.
	switch {
	case a.Year != b.Year:
		return a.Month == b.Month && a.Day == b.Day && oneDigit(a.Year, b.Year)
	case a.Month != b.Month:
		return a.Day == b.Day && oneDigit(a.Month, b.Month)
	default:
		return oneDigit(a.Day, b.Day)
	}
}

// oneDigit reports whether two different non-negative numbers differ in exactly one decimal
// digit (zero-padded to the same width).
func oneDigit(x, y int) bool {
	diff := 0
	for x > 0 || y > 0 {
		if x%10 != y%10 {
			diff++
		}
		x, y = x/10, y/10
	}
	return diff == 1
}

// personQuery is a subject prepared for one person index.
type personQuery struct {
	toks     []index.Token
	units    []index.Unit
	dob      event.Date
	nat      string
	natCode  uint16
	natKnown bool     // the index has the subject's nationality
	sex      byte     // 'M', 'F' or 0
	surname  bool     // the subject has a surname token that is not a particle
	given    bool     // … a given-name token that is not a particle (an initial counts)
	initials bool     // the subject has an initial
	items    []uint32 // per token: its item in the index, NoItem when it has none (or is minor)
	unitItem []uint32 // per unit: its item in the index (text and kind), NoItem when it has none
	unitSkel []uint32 // per unit: the skeleton term of its skeleton, NoItem when it has none
	terms    []uint32 // the array of items, unitItem and unitSkel
	// some unit's Skel is not set yet, its skeleton term is (see findTerms)
	skelPending bool
}

func newPersonQuery(p *index.PersonIndex, person *event.Person) *personQuery {
	var sc index.BatchScratch
	q := prepareQuery(p, person, &sc, new(personQuery))
	q.fillSkeletons(p)
	return q
}

// prepareQuery is newPersonQuery with the scratch space of its index lookups, into q, whose
// slices it reuses.
func prepareQuery(p *index.PersonIndex, person *event.Person, sc *index.BatchScratch, q *personQuery) *personQuery {
	*q = personQuery{dob: person.BirthDate, nat: normalize.Country(person.Nationality),
		toks: q.toks[:0], units: q.units[:0], terms: q.terms[:0]}
	switch index.Sex(person.Sex) {
	case "M":
		q.sex = 'M'
	case "F":
		q.sex = 'F'
	}
	if q.nat != "" {
		q.natCode, q.natKnown = p.CountryCode(q.nat)
	}
	q.toks = index.NameTokens(q.toks, person.Surname, person.GivenNames, person.FullName)
	for i := range q.toks {
		t := &q.toks[i]
		q.initials = q.initials || t.Initial()
		if !t.Minor || t.Initial() { // an initial is a name part given, if weakly
			switch t.Role {
			case index.RoleSurname:
				q.surname = true
			default:
				q.given = true
			}
		}
	}
	q.units = index.AppendUnitTexts(q.units, q.toks)
	if len(q.units) > index.MaxQueryUnits {
		q.units = q.units[:index.MaxQueryUnits] // never reached: 2·MaxNameTokens tokens give fewer units
	}
	q.findTerms(p, sc)
	return q
}

// findTerms looks up, in one batch (see index.PersonIndex.FindTerms), the item of every
// non-minor token, with its weight, and the item of every joined unit; then the skeleton term
// of every unit. A unit the index has as an item has its item's skeleton term, read from the
// index: its skeleton is neither computed nor looked up (the string is filled in only when a
// hit is explained; see fillSkeletons). The others' skeletons are computed and looked up in a
// second batch.
func (q *personQuery) findTerms(p *index.PersonIndex, sc *index.BatchScratch) {
	terms := slices.Grow(q.terms[:0], len(q.toks)+2*len(q.units))[:len(q.toks)+2*len(q.units)]
	q.terms = terms
	q.items, q.unitItem, q.unitSkel = terms[:len(q.toks)], terms[len(q.toks):len(q.toks)+len(q.units)], terms[len(q.toks)+len(q.units):]
	var qb [16]index.TermQuery
	var db [16]uint32
	qs := qb[:0]
	for i := range q.toks {
		if !q.toks[i].Minor {
			qs = append(qs, index.TermQuery{Text: q.toks[i].Text})
		}
	}
	for i := range q.units {
		if u := &q.units[i]; u.Joined {
			qs = append(qs, index.TermQuery{Text: u.Text, Joined: true})
		}
	}
	found := findBatch(p, qs, db[:], sc)
	next := func() uint32 {
		t := found[0]
		found, qs = found[1:], qs[1:]
		return t
	}
	for i := range q.toks {
		t := &q.toks[i]
		q.items[i] = index.NoItem
		if t.Minor {
			continue
		}
		t.Weight = qs[0].Weight
		if q.items[i] = next(); q.items[i] == index.NoItem {
			t.Weight = p.TokenWeight(t.Text)
		}
	}
	var sb [8]index.TermQuery
	skels := sb[:0]
	for i := range q.units {
		u := &q.units[i]
		q.unitItem[i], q.unitSkel[i] = index.NoItem, index.NoItem
		if u.Joined {
			q.unitItem[i] = next()
		} else {
			q.unitItem[i] = q.items[u.First]
		}
		if it := q.unitItem[i]; it != index.NoItem {
			q.unitSkel[i] = p.ItemSkeleton(it)
			q.skelPending = q.skelPending || q.unitSkel[i] != index.NoItem
		} else if u.Skel = normalize.Skeleton(u.Text); u.Skel != "" {
			skels = append(skels, index.TermQuery{Text: u.Skel, Skeleton: true})
		}
	}
	if len(skels) == 0 {
		return
	}
	found = findBatch(p, skels, db[:], sc)
	for i := range q.units {
		if q.unitItem[i] == index.NoItem && q.units[i].Skel != "" {
			q.unitSkel[i], found = found[0], found[1:]
		}
	}
}

// findBatch looks up the terms qs in one batch (index.PersonIndex.FindTerms) and returns them,
// in buf when it is long enough.
func findBatch(p *index.PersonIndex, qs []index.TermQuery, buf []uint32, sc *index.BatchScratch) []uint32 {
	if len(qs) > len(buf) {
		buf = make([]uint32, len(qs))
	}
	buf = buf[:len(qs)]
	p.FindTerms(qs, buf, sc)
	return buf
}

// fillSkeletons sets the skeleton of every unit that findTerms left without one because the
// index has the unit as an item: the text of its skeleton term. Explaining a hit compares
// units (index.CompareUnits) and needs them.
func (q *personQuery) fillSkeletons(p *index.PersonIndex) {
	if !q.skelPending {
		return
	}
	for i := range q.units {
		if q.unitItem[i] != index.NoItem && q.unitSkel[i] != index.NoItem {
			q.units[i].Skel = p.SkeletonText(q.unitSkel[i])
		}
	}
	q.skelPending = false
}

// unitShare is the share of the subject's name weight that unit u covers: its tokens' weights
// (second tokens of a part halved) over all of them.
func (q *personQuery) unitShare(u int) float64 { return q.tokenShare(q.unitTokens(u)) }

// unitTokens is the set of the subject's tokens that unit u covers (bit i: token i).
func (q *personQuery) unitTokens(u int) uint64 {
	return (1<<(q.units[u].Last+1) - 1) &^ (1<<q.units[u].First - 1)
}

// tokenShare is the share of the subject's name weight held by a set of its tokens.
func (q *personQuery) tokenShare(set uint64) float64 {
	var num, den float64
	for i := range q.toks {
		t := &q.toks[i]
		if t.Minor {
			continue
		}
		w := t.Weight
		if t.Secondary {
			w *= secondaryFactor
		}
		den += w
		if set&(1<<i) != 0 {
			num += w
		}
	}
	return safeRatio(num, den)
}

// lightUnits returns a set of units (bit u: unit u) whose tokens together hold less than
// share sc of the subject's name weight: the lightest ones, taken while they stay under it.
// A name that only they reach has a subject coverage under sc.
func (q *personQuery) lightUnits(sc float64) uint64 {
	if sc <= 0 {
		return 0
	}
	order := make([]int, len(q.units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(q.unitShare(a), q.unitShare(b)) })
	var units, toks uint64
	for _, u := range order {
		t := toks | q.unitTokens(u)
		if q.tokenShare(t) >= sc {
			break
		}
		units, toks = units|1<<u, t
	}
	return units
}

// lonePart reports whether the subject has only one name part (a surname, or given names).
func (q *personQuery) lonePart() bool { return q.surname != q.given }

// rest is the date-of-birth, nationality and sex evidence of record r.
func (q *personQuery) rest(p *index.PersonIndex, r uint32) (dob dobKind, nat, sex float64) {
	for _, d := range p.BirthDates(r) {
		if k := compareDOB(q.dob, index.UnpackDate(d)); dob == dobUnknown || dobWeights[k] > dobWeights[dob] {
			dob = k
		}
	}
	if q.nat != "" {
		if codes := p.Nationalities(r); len(codes) > 0 {
			nat = natClash
			for _, c := range codes {
				if q.natKnown && c == q.natCode {
					nat = natAgree
				}
			}
		}
	}
	if q.sex != 0 {
		if c := p.SexCode(r); c != 0 {
			sex = sexClash
			if c == q.sex {
				sex = sexAgree
			}
		}
	}
	return dob, nat, sex
}

// summaryRest is rest for a record whose date summary s tells its dates of birth, sex and
// nationalities (index.PersonIndex.SummaryExact): the same evidence, from the summary alone.
func (q *personQuery) summaryRest(p *index.PersonIndex, s index.DateSummary) (dob dobKind, nat, sex float64) {
	if s.Count() == 1 {
		dob = compareDOB(q.dob, s.First())
	}
	t, _ := p.SummaryTraits(s)
	nat, sex = q.traitsEvidence(t)
	return dob, nat, sex
}

// rtok is what name scoring needs of a record token.
type rtok struct {
	weight float64 // with the secondary factor; 0 for minor tokens
	role   index.Role
	minor  bool
	first  byte // first byte of the text
}

func crossRole(a, b index.Role) bool {
	return a != index.RoleFull && b != index.RoleFull && a != b
}

func sameOrFull(a, b index.Role) bool { return a == b || a == index.RoleFull || b == index.RoleFull }

// nameParts of a record name.
func recordParts(rt []rtok) (surname, given, full bool) {
	for i := range rt {
		if rt[i].minor {
			continue
		}
		switch rt[i].role {
		case index.RoleSurname:
			surname = true
		case index.RoleGiven:
			given = true
		default:
			full = true
		}
	}
	return
}

// missingPart is the name part one side has and the other lacks: its tokens are left out of
// the comparison, and the similarity is multiplied by missingFactor.
type missingPart struct {
	role    index.Role // RoleFull: nothing missing
	subject bool       // the subject lacks it (else the record does)
}

// exclusion decides which part, if any, is compared on one side only: a subject with only a
// surname (or only given names) against a record name with both, or a record name with one
// part against a subject with both. Names whose split is unknown are compared whole.
func (q *personQuery) exclusion(rt []rtok) missingPart {
	rs, rg, rf := recordParts(rt)
	switch {
	case rf:
	case rs && rg && q.surname && !q.given:
		return missingPart{role: index.RoleGiven, subject: true}
	case rs && rg && q.given && !q.surname:
		return missingPart{role: index.RoleSurname, subject: true}
	case q.surname && q.given && rs && !rg:
		return missingPart{role: index.RoleGiven}
	case q.surname && q.given && rg && !rs:
		return missingPart{role: index.RoleSurname}
	}
	return missingPart{}
}

// initialPass lets the subject's initials weakly match a record token of the same part that
// they start and that nothing else matched, each initial at most once. A record's initials
// are minor tokens: they neither match nor count.
func (q *personQuery) initialPass(rt []rtok, bestR []float64, ex missingPart) {
	if !q.initials {
		return
	}
	var used [maxTokens]bool
	for k := range rt {
		r := &rt[k]
		if r.minor || bestR[k] != 0 || excluded(ex, r.role, false) {
			continue
		}
		for i := range q.toks {
			t := &q.toks[i]
			if !used[i] && t.Initial() && t.Text[0] == r.first && sameOrFull(t.Role, r.role) {
				used[i], bestR[k] = true, index.InitialSimilarity
				break
			}
		}
	}
}

// excluded reports whether a token of role on the subject side (subject) or the record side
// is left out by ex.
func excluded(ex missingPart, role index.Role, subject bool) bool {
	return ex.role != index.RoleFull && role == ex.role && ex.subject != subject
}

// nameSim finishes a name comparison from the best similarity of every token on each side:
// recordCoverage·(record coverage) + subjectCoverage·(subject coverage), both weighted by
// token rarity, times missingFactor when a part is compared on one side only and weakFactor
// for a weak name. It is shared by the fast and the reference comparisons.
func (q *personQuery) nameSim(rt []rtok, bestQ, bestR []float64, weak bool) (float64, missingPart) {
	ex := q.exclusion(rt)
	q.initialPass(rt, bestR, ex)
	var num, den float64
	for k := range rt {
		r := &rt[k]
		if r.minor || excluded(ex, r.role, false) {
			continue
		}
		num += r.weight * bestR[k]
		den += r.weight
	}
	rc := safeRatio(num, den)
	num, den = 0, 0
	for i := range q.toks {
		t := &q.toks[i]
		if t.Minor || excluded(ex, t.Role, true) {
			continue
		}
		w := t.Weight
		if t.Secondary {
			w *= secondaryFactor
		}
		num += w * bestQ[i]
		den += w
	}
	sim := recordCoverage*rc + subjectCoverage*safeRatio(num, den)
	if ex.role != index.RoleFull {
		sim *= missingFactor
	}
	if weak {
		sim *= weakFactor
	}
	return sim, ex
}

func safeRatio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

// nameEvidence says how one record name compared (the reference comparison).
type nameEvidence struct {
	name                                int // index into the record's names
	weak                                bool
	sim                                 float64
	exact, mrz, typo, phonetic, initial int // record tokens matched each way
	swapped, unmatched                  int
	subjectUnmatched                    int
	missing                             missingPart
}

// compareName compares the subject with one record name by comparing every pair of units'
// texts: the reference that the fast comparison must equal. ok is false when no unit pair
// matched.
func (q *personQuery) compareName(n *index.PersonName) (ev nameEvidence, ok bool) {
	var bq, br [maxTokens]float64
	var kind [maxTokens]index.NameMatch
	var swapped [maxTokens]bool
	bestQ, bestR := bq[:len(q.toks)], br[:len(n.Tokens)]
	for i := range q.units {
		qu := &q.units[i]
		for j := range n.Units {
			ru := &n.Units[j]
			m := index.CompareUnits(qu, ru)
			if m == index.NameNone {
				continue
			}
			ok = true
			s := m.Similarity()
			cross := crossRole(qu.Role, ru.Role)
			if cross {
				s *= swapFactor
			}
			for k := qu.First; k <= qu.Last; k++ {
				bestQ[k] = max(bestQ[k], s)
			}
			for k := ru.First; k <= ru.Last; k++ {
				if s > bestR[k] {
					bestR[k], swapped[k], kind[k] = s, cross, m
				}
			}
		}
	}
	if !ok {
		return ev, false
	}
	var rb [maxTokens]rtok
	rt := rb[:len(n.Tokens)]
	for k := range n.Tokens {
		rt[k] = recordTok(&n.Tokens[k])
	}
	ev.sim, ev.missing = q.nameSim(rt, bestQ, bestR, n.Weak)
	ev.weak = n.Weak
	for k := range n.Tokens {
		switch {
		case n.Tokens[k].Minor || excluded(ev.missing, n.Tokens[k].Role, false):
		case bestR[k] == 0:
			ev.unmatched++
		case swapped[k]:
			ev.swapped++
		case kind[k] == index.NameExact:
			ev.exact++
		case kind[k] == index.NameMRZ:
			ev.mrz++
		case kind[k] == index.NameTypo:
			ev.typo++
		case kind[k] == index.NamePhonetic:
			ev.phonetic++
		default:
			ev.initial++
		}
	}
	for k := range q.toks {
		if !q.toks[k].Minor && !excluded(ev.missing, q.toks[k].Role, true) && bestQ[k] == 0 {
			ev.subjectUnmatched++
		}
	}
	return ev, true
}

func recordTok(t *index.Token) rtok {
	r := rtok{role: t.Role, minor: t.Minor, first: t.Text[0]}
	if !t.Minor {
		r.weight = t.Weight
		if t.Secondary {
			r.weight *= secondaryFactor
		}
	}
	return r
}

// personEvidence is the full comparison of a subject with a record.
type personEvidence struct {
	matched bool // some name unit pair matched: the gate for any score above zero
	name    nameEvidence
	dob     dobKind
	nat     float64
	sex     float64
	score   float64
}

// scorePerson compares a prepared subject with record r by the reference comparison. It is the
// one scoring function: Screen applies it to the records its search and fast comparison keep,
// the differential test to every record.
func scorePerson(q *personQuery, p *index.PersonIndex, r uint32) personEvidence {
	var pe personEvidence
	q.fillSkeletons(p)
	pe.dob, pe.nat, pe.sex = q.rest(p, r)
	first, n := p.Names(r)
	for e := first; e < first+n; e++ {
		name := p.Name(e)
		ev, ok := q.compareName(&name)
		if !ok {
			continue
		}
		if !pe.matched || ev.sim > pe.name.sim {
			ev.name = int(e - first)
			pe.name = ev
		}
		pe.matched = true
	}
	if pe.matched {
		pe.score = round(clamp01(nameWeight*pe.name.sim + dobWeights[pe.dob] + pe.nat + pe.sex))
	}
	return pe
}

// reasons explains a person hit field by field, without repeating any of its values.
func (pe *personEvidence) reasons() []event.Reason {
	n := &pe.name
	which := "primary name"
	if n.name > 0 {
		which = fmt.Sprintf("alias %d", n.name)
	}
	if n.weak {
		which = "weak " + which
	}
	fuzzy := n.mrz + n.typo + n.phonetic + n.initial
	match := "partial"
	switch {
	case n.swapped > 0:
		match = "swapped"
	case n.missing.role != index.RoleFull:
		match = "partial"
	case n.unmatched == 0 && n.subjectUnmatched == 0 && fuzzy == 0:
		match = "exact"
	case n.unmatched == 0 && n.subjectUnmatched == 0:
		match = "fuzzy"
	}
	var parts []string
	total := n.exact + fuzzy + n.swapped + n.unmatched
	parts = append(parts, fmt.Sprintf("%s: %d of %d record name tokens matched", which, total-n.unmatched, total))
	for _, c := range []struct {
		n    int
		what string
	}{
		{n.mrz, "as an MRZ transliteration (AE/OE/UE for Ä/Ö/Ü)"},
		{n.typo, "with a one-character difference"},
		{n.phonetic, "as a phonetic or transliteration variant"},
		{n.initial, "by an initial only (weak)"},
		{n.swapped, "across surname and given names (swapped)"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	if n.subjectUnmatched > 0 {
		parts = append(parts, fmt.Sprintf("%d subject name tokens unmatched", n.subjectUnmatched))
	}
	if m := n.missing; m.role != index.RoleFull {
		part := "given names"
		if m.role == index.RoleSurname {
			part = "surname"
		}
		side := "record"
		if m.subject {
			side = "subject"
		}
		parts = append(parts, fmt.Sprintf("%s missing on the %s: compared without them, %.2f of the similarity kept", part, side, missingFactor))
	}
	parts = append(parts, "weighted by rarity")
	out := []event.Reason{{Field: "name", Match: match, Weight: round(nameWeight * n.sim), Detail: strings.Join(parts, "; ")}}
	d := dobDetails[pe.dob]
	out = append(out, event.Reason{Field: "birth_date", Match: d.match, Weight: dobWeights[pe.dob], Detail: d.detail})
	out = append(out, agreement("nationality", pe.nat, "nationality"))
	out = append(out, agreement("sex", pe.sex, "sex"))
	return out
}

func agreement(field string, w float64, what string) event.Reason {
	switch {
	case w > 0:
		return event.Reason{Field: field, Match: "exact", Weight: w, Detail: what + " agrees"}
	case w < 0:
		return event.Reason{Field: field, Match: "conflict", Weight: w, Detail: what + " differs"}
	default:
		return event.Reason{Field: field, Match: "missing", Weight: 0, Detail: what + " unknown on one side"}
	}
}

// noticeAction returns severity and action for a notice type.
func noticeAction(t watchlist.NoticeType) (severity, action string) {
	switch t {
	case watchlist.NoticeRed:
		return "critical", "red notice: arrest with a view to extradition — detain the subject and contact the NCB"
	case watchlist.NoticeYellow:
		return "high", "yellow notice: missing person — protect the subject and notify the NCB"
	case watchlist.NoticeBlue:
		return "medium", "blue notice: locate / collect information — do not alert the subject; report to the NCB"
	case watchlist.NoticeGreen:
		return "medium", "green notice: warning — check the subject and report to the NCB"
	case watchlist.NoticeUNSpecial:
		return "high", "UN Security Council special notice: apply the sanctions (travel ban, asset freeze) and contact the NCB"
	default:
		return "medium", "verify the subject's identity and contact the NCB"
	}
}

// personHit builds the hit of record r from its reference evidence.
func (m *Matcher) personHit(snap *index.Snapshot, db event.Database, s *event.Subject, p *index.PersonIndex, r uint32, pe *personEvidence) event.Hit {
	h := m.hit(snap, db, s, p.RecordID(r), pe.score, pe.reasons(), p.Owner(r))
	h.Severity, h.Action = noticeAction(p.NoticeType(r))
	return h
}
