package match

import (
	"cmp"
	"fmt"
	"math/bits"
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
	swapFactor      = 0.8
	weakFactor      = 0.9
	secondaryFactor = 0.5

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
	dobYearMonth:     {"partial", "year and month of birth agree (the other date is partial)"},
	dobSwapped:       {"fuzzy", "full date of birth agrees with day and month swapped"},
	dobFull:          {"exact", "full date of birth agrees"},
}

// compareDOB compares a subject's date of birth a with a record's b.
func compareDOB(a, b event.Date) dobKind {
	if a.IsZero() || b.IsZero() {
		return dobUnknown
	}
	switch d := a.Year - b.Year; {
	case d > 1 || d < -1:
		return dobConflict
	case d != 0:
		return dobNearYear
	}
	pa, pb := a.Precision(), b.Precision()
	switch {
	case min(pa, pb) == 1:
		return dobYear
	case a.Month == b.Month && min(pa, pb) == 2:
		return dobYearMonth
	case a.Month == b.Month && a.Day == b.Day:
		return dobFull
	case pa == 3 && pb == 3 && a.Month == b.Day && a.Day == b.Month:
		return dobSwapped
	case pa == 3 && pb == 2 && a.Day == b.Month:
		return dobYear // the subject's day/month may be swapped: the year still agrees
	default:
		return dobSameYearClash
	}
}

// personQuery is a subject prepared for one person database.
type personQuery struct {
	toks  []index.Token
	units []index.Unit
	dob   event.Date
	nat   string
	sex   string
}

func newPersonQuery(snap *index.Snapshot, db event.Database, p *event.Person) *personQuery {
	q := &personQuery{dob: p.BirthDate, nat: normalize.Country(p.Nationality), sex: index.Sex(p.Sex)}
	q.toks = index.NameTokens(nil, p.Surname, p.GivenNames, "")
	for i := range q.toks {
		if !q.toks[i].Minor {
			q.toks[i].Weight = snap.TokenWeight(db, q.toks[i].Text)
		}
	}
	q.units = index.AppendUnits(nil, q.toks)
	return q
}

// nameEvidence says how one record name compared.
type nameEvidence struct {
	name                 int // index into the record's names
	weak                 bool
	sim                  float64
	exact, typo, swapped int // record tokens matched each way
	unmatched            int // record tokens without a match
	subjectUnmatched     int // subject tokens without a match
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

func crossRole(a, b index.Role) bool {
	return a != index.RoleFull && b != index.RoleFull && a != b
}

func coverage(toks []index.Token, best []float64) float64 {
	var num, den float64
	for i := range toks {
		t := &toks[i]
		if t.Minor {
			continue
		}
		w := t.Weight
		if t.Secondary {
			w *= secondaryFactor
		}
		num += w * best[i]
		den += w
	}
	if den == 0 {
		return 0
	}
	return num / den
}

// compareName compares the subject with one record name. ok is false when no unit pair
// matched.
func compareName(q *personQuery, n *index.PersonName) (ev nameEvidence, ok bool) {
	var bq, br [maxTokens]float64
	var swapped [maxTokens]bool
	bestQ, bestR := bq[:len(q.toks)], br[:len(n.Tokens)]
	for i := range q.units {
		qu := &q.units[i]
		for j := range n.Units {
			ru := &n.Units[j]
			s := index.UnitSimilarity(qu, ru)
			if s == 0 {
				continue
			}
			ok = true
			cross := crossRole(qu.Role, ru.Role)
			if cross {
				s *= swapFactor
			}
			for k := qu.First; k <= qu.Last; k++ {
				bestQ[k] = max(bestQ[k], s)
			}
			for k := ru.First; k <= ru.Last; k++ {
				if s > bestR[k] {
					bestR[k], swapped[k] = s, cross
				}
			}
		}
	}
	if !ok {
		return ev, false
	}
	ev.sim = recordCoverage*coverage(n.Tokens, bestR) + subjectCoverage*coverage(q.toks, bestQ)
	if n.Weak {
		ev.sim *= weakFactor
		ev.weak = true
	}
	for k := range n.Tokens {
		switch {
		case n.Tokens[k].Minor:
		case bestR[k] == 0:
			ev.unmatched++
		case swapped[k]:
			ev.swapped++
		case bestR[k] == 1:
			ev.exact++
		default:
			ev.typo++
		}
	}
	for k := range q.toks {
		if !q.toks[k].Minor && bestQ[k] == 0 {
			ev.subjectUnmatched++
		}
	}
	return ev, true
}

// scorePerson compares a prepared subject with a record. It is the one scoring function:
// Screen applies it to indexed candidates, the differential test to every record. The cheap
// date, nationality and sex evidence comes first: when even a perfect name could not lift the
// score to threshold, the names are not compared and the record does not match.
func scorePerson(q *personQuery, r *index.PersonRecord, threshold float64) personEvidence {
	var pe personEvidence
	for _, d := range r.BirthDates {
		if k := compareDOB(q.dob, d); pe.dob == dobUnknown || dobWeights[k] > dobWeights[pe.dob] {
			pe.dob = k
		}
	}
	if q.nat != "" && len(r.Nationalities) > 0 {
		pe.nat = natClash
		for _, c := range r.Nationalities {
			if c == q.nat {
				pe.nat = natAgree
			}
		}
	}
	if q.sex != "" && r.Sex != "" {
		pe.sex = sexClash
		if q.sex == r.Sex {
			pe.sex = sexAgree
		}
	}
	rest := dobWeights[pe.dob] + pe.nat + pe.sex
	if nameWeight+rest < threshold-pruneMargin {
		return personEvidence{}
	}
	for i := range r.Names {
		ev, ok := compareName(q, &r.Names[i])
		if !ok {
			continue
		}
		if !pe.matched || ev.sim > pe.name.sim {
			ev.name = i
			pe.name = ev
		}
		pe.matched = true
	}
	if pe.matched {
		pe.score = round(clamp01(nameWeight*pe.name.sim + rest))
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
	match := "partial"
	switch {
	case n.swapped > 0:
		match = "swapped"
	case n.unmatched == 0 && n.subjectUnmatched == 0 && n.typo == 0:
		match = "exact"
	case n.unmatched == 0 && n.subjectUnmatched == 0:
		match = "fuzzy"
	}
	var parts []string
	total := n.exact + n.typo + n.swapped + n.unmatched
	parts = append(parts, fmt.Sprintf("%s: %d of %d record name tokens matched", which, total-n.unmatched, total))
	if n.typo > 0 {
		parts = append(parts, fmt.Sprintf("%d with a one-character difference", n.typo))
	}
	if n.swapped > 0 {
		parts = append(parts, fmt.Sprintf("%d across surname and given names (swapped)", n.swapped))
	}
	if n.subjectUnmatched > 0 {
		parts = append(parts, fmt.Sprintf("%d subject name tokens unmatched", n.subjectUnmatched))
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

func (m *Matcher) screenPersons(snap *index.Snapshot, db event.Database, s *event.Subject, hits []event.Hit) []event.Hit {
	q := newPersonQuery(snap, db, s.Person)
	if len(q.units) == 0 {
		return hits
	}
	threshold := m.cfg.Thresholds[db]
	p := newPruner(q, threshold)
	var cb [256]index.Candidate
	for _, c := range snap.PersonCandidates(db, p.units, cb[:0]) {
		if p.hopeless(c.Units) {
			continue
		}
		rec := snap.Person(db, c.Record)
		pe := scorePerson(q, rec, threshold)
		if !pe.matched || pe.score < threshold {
			continue
		}
		h := m.hit(snap, db, s, rec.ID, pe.score, pe.reasons(), rec.Owner)
		h.Severity, h.Action = noticeAction(rec.NoticeType)
		hits = append(hits, h)
	}
	return hits
}

// pruner skips records that provably cannot reach the threshold (MaxScore pruning), so a
// common token (a frequent given name) does not drag thousands of hopeless candidates in.
//
// A record can only match subject units that share a key with it. If those units cover
// subject tokens carrying a share b of the subject's weight, its subject coverage is at most b
// and its score at most nameWeight·(recordCoverage + subjectCoverage·b) plus the best date,
// nationality and sex evidence. Every b below bmin (with a margin for score rounding) keeps
// that bound under the threshold. So:
//   - the lightest units, while the tokens they cover weigh less than bmin together, need not
//     be looked up at all (a record found only through them could never hit);
//   - a candidate whose reaching units, plus all skipped ones, cover less than bmin is not
//     scored.
//
// Neither step changes the result; the differential test checks it.
type pruner struct {
	units   []index.Unit // the units to look up
	w       [maxTokens]float64
	skipped [maxTokens]bool // tokens covered by units not looked up
	total   float64
	bmin    float64
	active  bool
}

const pruneMargin = 1e-3

func newPruner(q *personQuery, threshold float64) *pruner {
	p := &pruner{units: q.units}
	if len(q.units) > index.MaxQueryUnits {
		return p // never prune what the index would not look up
	}
	bestRest := dobWeights[dobFull] + natAgree + sexAgree
	p.bmin = ((threshold-bestRest)/nameWeight-recordCoverage)/subjectCoverage - pruneMargin
	if p.bmin <= 0 {
		return p
	}
	for i := range q.toks {
		if t := &q.toks[i]; !t.Minor {
			p.w[i] = t.Weight
			if t.Secondary {
				p.w[i] *= secondaryFactor
			}
			p.total += p.w[i]
		}
	}
	if p.total == 0 {
		return p
	}
	p.active = true
	share := func(u *index.Unit) float64 {
		var s float64
		for k := u.First; k <= u.Last; k++ {
			s += p.w[k]
		}
		return s
	}
	order := make([]int, len(q.units))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(share(&q.units[a]), share(&q.units[b])) })
	skip := make([]bool, len(q.units))
	var prefix float64
	for _, i := range order {
		u := &q.units[i]
		add := 0.0
		for k := u.First; k <= u.Last; k++ {
			if !p.skipped[k] {
				add += p.w[k]
			}
		}
		if (prefix+add)/p.total >= p.bmin {
			break
		}
		prefix += add
		for k := u.First; k <= u.Last; k++ {
			p.skipped[k] = true
		}
		skip[i] = true
	}
	p.units = make([]index.Unit, 0, len(q.units))
	for i := range q.units {
		if !skip[i] {
			p.units = append(p.units, q.units[i])
		}
	}
	return p
}

// hopeless reports whether a candidate reached through the units in mask cannot hit.
func (p *pruner) hopeless(mask uint64) bool {
	if !p.active {
		return false
	}
	covered := p.skipped
	for mask != 0 {
		u := &p.units[bits.TrailingZeros64(mask)]
		mask &= mask - 1
		for k := u.First; k <= u.Last; k++ {
			covered[k] = true
		}
	}
	var b float64
	for k, c := range covered {
		if c {
			b += p.w[k]
		}
	}
	return b/p.total < p.bmin
}
