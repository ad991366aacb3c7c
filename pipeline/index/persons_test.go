package index_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

func personSet() *watchlist.Set {
	return &watchlist.Set{Notices: []watchlist.Person{
		{ID: "n1", NoticeType: watchlist.NoticeRed, Owner: "fra", Sex: "m", Nationalities: []string{"FRA", "fra", "", "MAR"},
			Names:      []watchlist.Name{{Surname: "García-López", GivenNames: "María José"}, {FullName: "El Flaco", Weak: true}},
			BirthDates: []event.Date{{Year: 1980, Month: 5, Day: 7}, {}, {Year: 1980, Month: 5, Day: 7}}},
		{ID: "n2", NoticeType: watchlist.NoticeYellow, Owner: "DEU", Sex: "U",
			Names:      []watchlist.Name{{Surname: "Müller"}},
			BirthDates: []event.Date{{Year: 1990}, {Year: 1991, Month: 2}}},
		{ID: "n3", NoticeType: watchlist.NoticeBlack, Names: []watchlist.Name{{Surname: "Unknown"}}},
		{ID: "", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Invalid"}}},
		{ID: "n4", NoticeType: watchlist.NoticeBlue, Names: []watchlist.Name{{Surname: "Иванов", GivenNames: "J."}}},
	}}
}

// TestPersonRecord checks that a record is indexed as it was given, normalised: folded names
// with their parts, roles and flags, distinct valid dates, distinct normalised nationalities,
// sex, owner; that unscreened notice types and invalid records are left out.
func TestPersonRecord(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, personSet())
	p := snap.Persons(event.DBNotices)
	if p.Len() != 3 || snap.Skipped() != 1 {
		t.Fatalf("Len = %d, Skipped = %d; want 3 and 1", p.Len(), snap.Skipped())
	}
	got := p.Record(0)
	if got.ID != "n1" || got.NoticeType != watchlist.NoticeRed || got.Owner != "FRA" || got.Sex != "M" {
		t.Errorf("record fields: %+v", got)
	}
	if diff := cmp.Diff([]event.Date{{Year: 1980, Month: 5, Day: 7}}, got.BirthDates); diff != "" {
		t.Errorf("birth dates (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"FRA", "MAR"}, got.Nationalities); diff != "" {
		t.Errorf("nationalities (-want +got):\n%s", diff)
	}
	type tok struct {
		Text             string
		Role             index.Role
		Minor, Secondary bool
	}
	var toks [][]tok
	for _, n := range got.Names {
		var ts []tok
		for _, x := range n.Tokens {
			ts = append(ts, tok{x.Text, x.Role, x.Minor, x.Secondary})
			if x.Minor != (x.Weight == 0) {
				t.Errorf("token %s: minor %v, weight %v", x.Text, x.Minor, x.Weight)
			}
		}
		toks = append(toks, ts)
	}
	want := [][]tok{
		{{"GARCIA", index.RoleSurname, false, false}, {"LOPEZ", index.RoleSurname, false, true}, {"MARIA", index.RoleGiven, false, false}, {"JOSE", index.RoleGiven, false, true}},
		{{"EL", index.RoleFull, true, false}, {"FLACO", index.RoleFull, false, false}},
	}
	if diff := cmp.Diff(want, toks); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
	if !got.Names[1].Weak || got.Names[0].Weak {
		t.Error("weak flags lost")
	}
	if r := p.Record(1); r.ID != "n2" || r.Sex != "" || r.Names[0].Tokens[0].Text != "MUELLER" {
		t.Errorf("record n2: %+v", r)
	}
	if r := p.Record(2); r.ID != "n4" || r.Names[0].Tokens[0].Text != "IVANOV" || !r.Names[0].Tokens[1].Minor {
		t.Errorf("record n4: %+v", r)
	}
	if s := p.DateSummary(0); s.Count() != 1 || s.First() != (event.Date{Year: 1980, Month: 5, Day: 7}) {
		t.Errorf("date summary of n1: %d dates, first %v", s.Count(), s.First())
	}
	if s := p.DateSummary(1); s.Count() != 2 || s.First() != (event.Date{Year: 1990}) || s.SecondYear() != 1991 {
		t.Errorf("date summary of n2: %d dates, first %v, second year %d", s.Count(), s.First(), s.SecondYear())
	}
	if s := p.DateSummary(2); s != index.DateNone || s.Count() != 0 {
		t.Errorf("date summary of n4: %v", s)
	}
	if got := []uint16{p.YearSummary(0), p.YearSummary(1), p.YearSummary(2)}; !cmp.Equal(got, []uint16{1980, index.YearMany, index.YearNone}) {
		t.Errorf("year summaries %v", got)
	}
	if snap.PersonBytes(event.DBNotices) <= 0 {
		t.Error("PersonBytes is not positive")
	}
}

// TestUnitKeysShareWhenMatched checks the invariants candidate search rests on, on random
// pairs biased towards one-edit neighbours and MRZ spellings: a match exactly, by MRZ
// transliteration or with a typo implies a shared key; a phonetic match implies equal
// skeletons (one skeleton term).
func TestUnitKeysShareWhenMatched(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(9, 9))
	const alphabet = "AEOUMNR"
	randTok := func() string {
		b := make([]byte, 1+r.IntN(8))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	counts := map[index.NameMatch]int{}
	for range 300000 {
		at := randTok()
		bt := at
		switch r.IntN(4) {
		case 0:
			bt = randTok()
		case 1: // one edit
			bs := []byte(at)
			i := r.IntN(len(bs))
			switch r.IntN(3) {
			case 0:
				bs[i] = alphabet[r.IntN(len(alphabet))]
			case 1:
				bs = append(bs[:i], bs[i+1:]...)
			default:
				bs = slices.Insert(bs, i, alphabet[r.IntN(len(alphabet))])
			}
			bt = string(bs)
		case 2: // an MRZ spelling: insert or drop the E of AE, OE, UE
			bt = normalize.MRZFold(at)
		}
		if bt == "" {
			continue
		}
		a := index.Unit{Text: at, Skel: normalize.Skeleton(at), Joined: r.IntN(6) == 0}
		b := index.Unit{Text: bt, Skel: normalize.Skeleton(bt), Joined: r.IntN(6) == 0}
		m := index.CompareUnits(&a, &b)
		counts[m]++
		switch m {
		case index.NameNone:
		case index.NamePhonetic:
			if a.Skel == "" || a.Skel != b.Skel {
				t.Fatalf("%s and %s matched phonetically with skeletons %q and %q", at, bt, a.Skel, b.Skel)
			}
		default:
			ka, kb := index.AppendUnitKeys(nil, &a), index.AppendUnitKeys(nil, &b)
			shared := false
			for _, k := range ka {
				shared = shared || slices.Contains(kb, k)
			}
			if !shared {
				t.Fatalf("%s and %s (%v) share no key", at, bt, m)
			}
		}
		if m != index.CompareUnits(&b, &a) {
			t.Fatalf("CompareUnits(%s, %s) is not symmetric", at, bt)
		}
	}
	for _, m := range []index.NameMatch{index.NameExact, index.NameMRZ, index.NameTypo, index.NamePhonetic} {
		if counts[m] < 1000 {
			t.Errorf("only %d pairs matched as %v: %v", counts[m], m, counts)
		}
	}
}

// TestPostings checks the person postings on a watchlist with a frequent surname: rare terms
// list each record once; frequent terms are grouped by year of birth and parts, sorted by
// share; shares add up over a name's tokens; a token and its own skeleton are never paired,
// two tokens of one name are; MayPair has no false negative.
func TestPostings(t *testing.T) {
	t.Parallel()
	set := &watchlist.Set{}
	for i := range 2 * index.FrequentPostings {
		p := watchlist.Person{ID: fmt.Sprint("p", i), NoticeType: watchlist.NoticeRed,
			Names: []watchlist.Name{{Surname: "Smith", GivenNames: fmt.Sprintf("Given%c%c", 'A'+i%26, 'A'+i/26)}}}
		switch i % 3 {
		case 0:
			p.BirthDates = []event.Date{{Year: 1970, Month: 1, Day: 2}}
		case 1:
			p.BirthDates = []event.Date{{Year: 1971}}
		}
		if i%4 == 0 {
			p.Names = append(p.Names, watchlist.Name{Surname: "Smith Smith"}, watchlist.Name{FullName: "John Smith"})
		}
		set.Notices = append(set.Notices, p)
	}
	snap := index.Build(1, set)
	p := snap.Persons(event.DBNotices)
	term := func(text string) uint32 {
		u := index.Unit{Text: text}
		found, _ := p.LookupItems(&u, nil, nil)
		for _, it := range found {
			if p.ItemText(it) == text && !p.ItemJoined(it) {
				return it
			}
		}
		t.Fatalf("no item %s", text)
		return 0
	}
	smith, given := term("SMITH"), term("GIVENAA")
	if !p.TermFrequent(smith) || p.TermFrequent(given) {
		t.Fatalf("frequent: SMITH %v, GIVENAA %v", p.TermFrequent(smith), p.TermFrequent(given))
	}
	if ps, _ := p.Postings(given); len(ps) != 1 || ps[0].Rec != 0 || ps[0].Date != p.DateSummary(0) {
		t.Errorf("GIVENAA postings %v", ps)
	}
	post, shares := p.AllPostings()
	var years []uint16
	var maxShares []uint8
	seen := map[[2]any]bool{}
	for _, g := range p.Groups(smith) {
		key := [2]any{g.Year, g.TwoParts}
		if seen[key] {
			t.Errorf("group %v twice", key)
		}
		seen[key] = true
		years, maxShares = append(years, g.Year), append(maxShares, g.MaxShare)
		if g.MaxShare != shares[g.Start] || !slices.IsSortedFunc(shares[g.Start:g.End], func(a, b uint8) int { return int(b) - int(a) }) {
			t.Errorf("group %+v not sorted by share", g)
		}
		for i := g.Start; i < g.End; i++ {
			r := post[i].Rec
			if post[i].Date != p.DateSummary(r) {
				t.Errorf("posting of record %d: date summary %v, want %v", r, post[i].Date, p.DateSummary(r))
			}
			if y := p.YearSummary(r); y != g.Year {
				t.Errorf("record %d born %d in group %d", r, y, g.Year)
			}
			// SMITH SMITH: both tokens count, so the share is the whole name.
			if r%4 == 0 && !g.TwoParts && shares[i] != 255 {
				t.Errorf("record %d: share of SMITH in SMITH SMITH = %d/255", r, shares[i])
			}
		}
	}
	slices.Reverse(maxShares)
	if !slices.IsSorted(maxShares) || len(years) < 3 {
		t.Errorf("groups not ordered by largest share, largest first: years %v, shares %v", years, maxShares)
	}
	skel, ok := p.SkeletonTerm(normalize.Skeleton("SMITH"))
	if !ok || p.ItemSkeleton(smith) != skel {
		t.Fatalf("SMITH's skeleton term %v %v", skel, ok)
	}
	// "SMITH SMITH" pairs SMITH with its skeleton (two tokens); "SMITH GIVENxx" pairs SMITH's
	// skeleton with nothing frequent: the pair SMITH + skeleton holds exactly the first.
	var got []uint32
	for _, x := range p.PairPostings(smith, skel, true) {
		got = append(got, x.Rec)
	}
	var want []uint32
	for i := 0; i < 2*index.FrequentPostings; i += 4 {
		want = append(want, uint32(i))
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("pair SMITH + its skeleton (-want +got):\n%s", diff)
	}
	if other := p.PairPostings(smith, skel, false); len(other) != 0 {
		t.Errorf("two-part names with SMITH and its skeleton on different tokens: %v", other)
	}
	if !p.MayPair(smith, skel) {
		t.Error("MayPair(SMITH, its skeleton) = false")
	}
	if p.MayPair(smith, given) {
		t.Error("MayPair with a rare term = true")
	}
}

func TestTokenWeight(t *testing.T) {
	t.Parallel()
	snap := index.Build(1, &watchlist.Set{Notices: []watchlist.Person{
		{ID: "1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Smith", GivenNames: "John"}}},
		{ID: "2", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Jones", GivenNames: "John"}}},
		{ID: "3", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Brown", GivenNames: "John John"}}},
	}})
	john, smith, absent := snap.TokenWeight(event.DBNotices, "JOHN"), snap.TokenWeight(event.DBNotices, "SMITH"), snap.TokenWeight(event.DBNotices, "NOBODY")
	if !(john < smith && smith == absent) {
		t.Errorf("weights JOHN %v, SMITH %v, absent %v: want JOHN < SMITH = absent", john, smith, absent)
	}
	if w := snap.TokenWeight(event.DBNominals, "JOHN"); w <= 0 {
		t.Errorf("empty database weight %v", w)
	}
}

// TestSummaryTraits checks that the date summary of a record with at most one date of birth
// holds its sex and nationality exactly as its Traits do, naming the nationality when it is
// the record's only one and among the 126 held by the most single-nationality records; and
// that a summary of two dates or more holds none.
func TestSummaryTraits(t *testing.T) {
	t.Parallel()
	// Country i is a nationality of about 200−i records (at least one).
	code := func(i int) string { return fmt.Sprintf("Q%c%c", 'A'+i/26, 'A'+i%26) }
	var people []watchlist.Person
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 200 {
		for range max(1, 200-i) {
			p := watchlist.Person{ID: fmt.Sprintf("p%d", len(people)), NoticeType: watchlist.NoticeRed, Sex: []string{"M", "F", ""}[r.IntN(3)],
				Names: []watchlist.Name{{Surname: "SMITH", GivenNames: "JOHN"}}, Nationalities: []string{code(i)}}
			switch r.IntN(8) {
			case 0:
				p.Nationalities = nil
			case 1:
				p.Nationalities = append(p.Nationalities, code(r.IntN(200)))
			}
			switch r.IntN(6) {
			case 0:
			case 1:
				p.BirthDates = []event.Date{{Year: 1970 + r.IntN(30)}, {Year: 1970 + r.IntN(30), Month: 3, Day: 4}}
			default:
				p.BirthDates = []event.Date{{Year: 1970 + r.IntN(30), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}}
			}
			people = append(people, p)
		}
	}
	snap := index.Build(1, &watchlist.Set{Notices: people})
	p := snap.Persons(event.DBNotices)
	single := map[uint16]int{} // per nationality: the records that have it alone
	for i := range uint32(p.Len()) {
		if nats := p.Nationalities(i); len(nats) == 1 {
			single[nats[0]]++
		}
	}
	held, notHeld := map[uint16]bool{}, map[uint16]bool{}
	for i := range uint32(p.Len()) {
		s := p.DateSummary(i)
		got, ok := p.SummaryTraits(s)
		if ok != (s.Count() <= 1) {
			t.Fatalf("record %d: summary of %d dates holds traits: %v", i, s.Count(), ok)
		}
		if !ok {
			continue
		}
		want := p.AppendTraits(nil, []uint32{i}, nil)[0]
		if got.Sex() != want.Sex() || got.Sex() != p.SexCode(i) {
			t.Errorf("record %d: sex %q in its summary, %q in its traits, %q in the record", i, got.Sex(), want.Sex(), p.SexCode(i))
		}
		gotCode, gotN := got.Nationality()
		wantCode, wantN := want.Nationality()
		switch {
		case wantN == 1 && gotN == 1:
			held[wantCode] = true
			if gotCode != wantCode {
				t.Errorf("record %d: nationality %d in its summary, %d in its traits", i, gotCode, wantCode)
			}
		case wantN == 1 && gotN == 2:
			notHeld[wantCode] = true
		case gotN != wantN:
			t.Errorf("record %d: %d nationalities in its summary, %d in its traits", i, gotN, wantN)
		}
	}
	if len(held) != 126 || len(notHeld) == 0 {
		t.Fatalf("%d nationalities held by summaries (want 126), %d not", len(held), len(notHeld))
	}
	least := p.Len()
	for c := range held {
		least = min(least, single[c])
		if notHeld[c] {
			t.Errorf("nationality %d held by some summaries, not by others", c)
		}
	}
	for c := range notHeld {
		if single[c] > least {
			t.Errorf("nationality %d of %d single-nationality records not held, while one of %d is", c, single[c], least)
		}
	}
}
