package match

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// A small vocabulary makes shared tokens, typo neighbours, joined compounds, transliterations
// of one name from several scripts, MRZ umlaut spellings and phonetic variants frequent.
var (
	diffSurnames = []string{"Smith", "Smyth", "García", "Garcia-Lopez", "Lopez", "Al Hassan", "Alhassan", "Hassan", "Hussein",
		"van der Berg", "Berg", "Ivanov", "Иванов", "Müller", "Mueller", "Muller", "Li", "Ng", "O'Brien", "Obrien", "Kowalski",
		"Nowak", "Παπαδόπουλος", "Papadopoulos", "الحسن", "Öztürk", "Ozturk", "김", "Kim", "王", "Wang", "Tanaka", "たなか",
		"Cohen", "כהן", "Gorbachev", "Горбачёв"}
	diffGiven = []string{"John", "Jon", "Joan", "J.", "J", "Maria", "María José", "M.", "Jose", "Jean-Pierre", "Jeanpierre", "Pierre",
		"Abdullah", "Abdallah", "عبد الله", "Abu", "Ali", "Anna", "Ana", "Peter", "Petr", "Sven", "Jo", "Mohammed", "Muhammad",
		"Mohamed", "محمد", "Yusuf", "Youssef", "يوسف", "Юрий", "Yuriy", "Sergey", "Sergej", "Евгений", "Yevgeniy", "Γεώργιος",
		"Georgios", "Min-jun", "민준", "小明", "Xiaoming", "Na", "Ji"}
	diffIssuers  = []string{"FRA", "DEU", "ITA", "D"}
	diffNumChars = "0O1IL5SB8ZA9"
)

// skewedPick draws from xs with a heavy head, so that in large sets the first names of a
// vocabulary are frequent in the index (see index.FrequentPostings).
func skewedPick[T any](r *rand.Rand, xs []T) T {
	return xs[int(float64(len(xs))*r.Float64()*r.Float64())]
}

func randDate(r *rand.Rand) event.Date {
	switch r.IntN(5) {
	case 0:
		return event.Date{}
	case 1:
		return event.Date{Year: 1960 + r.IntN(6)}
	case 2:
		return event.Date{Year: 1960 + r.IntN(6), Month: 1 + r.IntN(12)}
	default:
		return event.Date{Year: []int{1960, 1961, 1962, 1963, 1970, 1971}[r.IntN(6)], Month: 1 + r.IntN(12), Day: 1 + r.IntN(12)}
	}
}

// mistypeDate changes a full date the way a clerk would: day and month swapped, one digit
// wrong, or only the year kept.
func mistypeDate(r *rand.Rand, d event.Date) event.Date {
	if d.Precision() < 3 {
		return d
	}
	switch r.IntN(4) {
	case 0:
		if d.Day <= 12 {
			d.Month, d.Day = d.Day, d.Month
		}
	case 1:
		d.Day = 1 + (d.Day+r.IntN(9))%28
	case 2:
		d.Year += 10 * (1 - 2*r.IntN(2))
	default:
		d.Month, d.Day = 0, 0
	}
	return d
}

func randNumber(r *rand.Rand) string {
	var b strings.Builder
	for range 3 + r.IntN(3) {
		b.WriteByte(diffNumChars[r.IntN(len(diffNumChars))])
	}
	return b.String()
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func randSet(r *rand.Rand, nDocs, nPeople int) *watchlist.Set {
	set := &watchlist.Set{}
	statuses := []watchlist.DocumentStatus{watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusStolenBlank, watchlist.StatusRevoked, watchlist.StatusInvalidated}
	for i := range nDocs {
		d := watchlist.Document{ID: fmt.Sprintf("D%d", i), Number: randNumber(r), Type: pick(r, []string{"", "P", "PP", "I", "V"}), Issuer: pick(r, diffIssuers), Status: pick(r, statuses), Owner: "FRA"}
		if d.Issuer == "D" {
			d.Issuer = "D<<"
		}
		if r.IntN(8) == 0 {
			d.Number = "AB" + fmt.Sprint(100+r.IntN(50))
			d.NumberTo = "AB" + fmt.Sprint(150+r.IntN(50))
		}
		set.Documents = append(set.Documents, d)
	}
	notices := []watchlist.NoticeType{watchlist.NoticeRed, watchlist.NoticeYellow, watchlist.NoticeBlue, watchlist.NoticeGreen, watchlist.NoticeUNSpecial, watchlist.NoticeBlack}
	for i := range nPeople {
		p := watchlist.Person{ID: fmt.Sprintf("P%d", i), NoticeType: pick(r, notices), Owner: "ESP", Sex: pick(r, []string{"", "M", "F"})}
		for range 1 + r.IntN(3) {
			n := watchlist.Name{Weak: r.IntN(4) == 0}
			switch r.IntN(10) {
			case 0:
				n.FullName = skewedPick(r, diffGiven) + " " + skewedPick(r, diffSurnames)
			case 1:
				n.Surname = skewedPick(r, diffSurnames) // surname only
			case 2:
				n.GivenNames = skewedPick(r, diffGiven) // given names only
			default:
				n.Surname, n.GivenNames = skewedPick(r, diffSurnames), skewedPick(r, diffGiven)
				if r.IntN(3) == 0 {
					n.GivenNames += " " + skewedPick(r, diffGiven)
				}
				if r.IntN(6) == 0 {
					n.Surname += " " + skewedPick(r, diffSurnames)
				}
			}
			p.Names = append(p.Names, n)
		}
		for range r.IntN(3) {
			p.BirthDates = append(p.BirthDates, randDate(r))
		}
		if r.IntN(2) == 0 {
			p.Nationalities = []string{pick(r, []string{"ESP", "FRA", "MAR"})}
		}
		set.Notices = append(set.Notices, p)
	}
	return set
}

// mutate applies one random edit to a name: typo, transposition, join, split, swap case.
func mutate(r *rand.Rand, s string) string {
	b := []byte(strings.ToUpper(s))
	if len(b) < 2 {
		return s
	}
	i := r.IntN(len(b) - 1)
	switch r.IntN(6) {
	case 0:
		b[i] = 'A' + byte(r.IntN(26))
	case 1:
		b = append(b[:i], b[i+1:]...)
	case 2:
		b = append(b[:i], append([]byte{'E'}, b[i:]...)...)
	case 3:
		b[i], b[i+1] = b[i+1], b[i]
	case 4:
		return strings.ReplaceAll(s, " ", "")
	}
	return string(b)
}

// transliterations gives Latin spellings a record in another script may be presented under
// (and the reverse): the variants a traveller's documents really carry.
var transliterations = map[string][]string{
	"Иванов": {"Ivanov", "Iwanow"}, "Müller": {"Mueller", "Muller", "MULLER"}, "Mueller": {"Müller", "Muller"},
	"Öztürk": {"Ozturk", "OEZTUERK"}, "Παπαδόπουλος": {"Papadopoulos"}, "الحسن": {"Al-Hassan", "Alhasan", "El Hassan"},
	"محمد": {"Mohammed", "Muhammad", "Mohamed"}, "Mohammed": {"Muhammad", "Mohamed", "MOHAMAD"}, "Yusuf": {"Youssef", "Yousef", "Iusuf"},
	"عبد الله": {"Abdullah", "Abdallah", "Abd Allah"}, "Юрий": {"Iurii", "Yuriy", "Yuri"}, "Евгений": {"Yevgeniy", "Evgenii", "Evgeny"},
	"Γεώργιος": {"Georgios", "Yorgos"}, "민준": {"Minjun", "Min-jun", "Min Jun"}, "김": {"Kim", "Gim"}, "王": {"Wang"},
	"小明": {"Xiaoming", "Xiao Ming"}, "たなか": {"Tanaka"}, "כהן": {"Kohen", "Cohen"}, "Горбачёв": {"Gorbachev", "Gorbatchev", "Gorbatschow"},
	"Sergey": {"Sergej", "Sergei"}, "Jean-Pierre": {"J.-P.", "J. Pierre", "Jean P."}, "John": {"J.", "J"}, "María José": {"M. Jose", "Maria J."},
}

// variant presents a name part as a traveller might carry it: a transliteration, a typo, a
// joined or split compound.
func variant(r *rand.Rand, s string) string {
	if alts, ok := transliterations[s]; ok && r.IntN(2) == 0 {
		return pick(r, alts)
	}
	if r.IntN(2) == 0 {
		return mutate(r, s)
	}
	return s
}

func randSubject(r *rand.Rand, set *watchlist.Set, i int) *event.Subject {
	p := &event.Person{BirthDate: randDate(r), Sex: pick(r, []string{"", "M", "F", "X"}), Nationality: pick(r, []string{"", "ESP", "fra", "MAR"})}
	if len(set.Notices) > 0 && r.IntN(4) != 0 {
		src := pick(r, set.Notices)
		n := pick(r, src.Names)
		p.Surname, p.GivenNames = n.Surname, n.GivenNames
		if n.FullName != "" {
			p.GivenNames = n.FullName
		}
		p.Surname, p.GivenNames = variant(r, p.Surname), variant(r, p.GivenNames)
		switch r.IntN(8) {
		case 0:
			p.Surname, p.GivenNames = p.GivenNames, p.Surname
		case 1:
			p.GivenNames = "" // a lone surname
		case 2:
			p.Surname = "" // given names only
		case 3:
			if g := strings.Fields(p.GivenNames); len(g) > 0 {
				p.GivenNames = g[0][:1] + "." // an initial
			}
		}
		if len(src.BirthDates) > 0 && r.IntN(2) == 0 {
			p.BirthDate = src.BirthDates[0]
			if r.IntN(3) == 0 {
				p.BirthDate = mistypeDate(r, p.BirthDate)
			}
		}
	} else {
		p.Surname, p.GivenNames = skewedPick(r, diffSurnames), skewedPick(r, diffGiven)
	}
	for range r.IntN(3) {
		d := event.Document{Number: randNumber(r), Issuer: pick(r, diffIssuers), Type: pick(r, []string{"", "P", "I", "V"})}
		if len(set.Documents) > 0 && r.IntN(2) == 0 {
			src := pick(r, set.Documents)
			d.Number, d.Issuer = src.Number, src.Issuer
			if src.NumberTo != "" {
				d.Number = "AB" + fmt.Sprint(90+r.IntN(120))
			}
			if r.IntN(2) == 0 {
				d.Number = strings.NewReplacer("0", "O", "1", "I", "8", "B").Replace(d.Number)
			}
		}
		p.Documents = append(p.Documents, d)
	}
	id := fmt.Sprintf("ev%d/0", i)
	return &event.Subject{ID: id, EventID: fmt.Sprintf("ev%d", i), Kind: event.KindPerson, Person: p}
}

// bruteDocKind decides independently of the index whether a presented number matches a record.
func bruteDocKind(rec *index.DocumentRecord, number, issuer string) index.MatchKind {
	if normalize.Country(issuer) != rec.Issuer {
		return 0
	}
	canon := normalize.DocNumber(number)
	folded := normalize.DocNumberOCR(canon)
	if rec.NumberTo == "" {
		switch {
		case canon == rec.Number:
			return index.MatchExact
		case folded == normalize.DocNumberOCR(rec.Number):
			return index.MatchOCR
		}
		return 0
	}
	if len(canon) != len(rec.Number) {
		return 0
	}
	l := 0
	for l < len(rec.Number) && l < 18 && rec.Number[len(rec.Number)-1-l] >= '0' && rec.Number[len(rec.Number)-1-l] <= '9' {
		l++
	}
	p := len(rec.Number) - l
	suffix := folded[p:]
	for _, c := range suffix {
		if c < '0' || c > '9' {
			return 0
		}
	}
	// Equal-length digit strings compare numerically as strings.
	if normalize.DocNumberOCR(rec.Number[:p]) != folded[:p] || suffix < rec.Number[p:] || suffix > rec.NumberTo[p:] {
		return 0
	}
	if canon[:p] == rec.Number[:p] && canon[p:] == suffix {
		return index.MatchRange
	}
	return index.MatchRangeOCR
}

// bruteScreen scores every record of the snapshot: the reference Screen must agree with.
func bruteScreen(m *Matcher, snap *index.Snapshot, s *event.Subject) []event.Hit {
	var hits []event.Hit
	for _, db := range snap.DocumentDatabases() {
		first := len(hits)
		for _, doc := range s.Person.Documents {
			for ref := range snap.DocumentRefs(db) {
				rec := snap.Document(db, ref)
				kind := bruteDocKind(&rec, doc.Number, doc.Issuer)
				if kind == 0 {
					continue
				}
				score, reasons := scoreDocument(&rec, kind, doc.Type)
				if score >= m.cfg.Thresholds[db] {
					hits = addBest(hits, first, m.documentHit(snap, db, s, &rec, score, reasons))
				}
			}
		}
	}
	for _, db := range snap.PersonDatabases() {
		first := len(hits)
		p := snap.Persons(db)
		q := newPersonQuery(p, s.Person)
		for i := range uint32(p.Len()) {
			if pe := scorePerson(q, p, i); pe.matched && pe.score >= m.cfg.Thresholds[db] {
				hits = append(hits, m.personHit(snap, db, s, p, i, &pe))
			}
		}
		if db == event.DBNominals {
			setNominalAction(hits[first:])
		}
	}
	sortHits(hits)
	return capPerDatabase(hits, m.cfg.MaxHitsPerDatabase)
}

// TestScreenMatchesBruteForce is the differential test: on random watchlists and random
// subject variations (transliterations from six scripts, MRZ umlauts, phonetic variants, typos,
// joined and split compounds, swapped parts, lone surnames and given names, initials,
// mistyped dates), indexed Screen finds exactly the hits a full scan finds, at the default
// thresholds and at lower ones (which exercise far more weak candidates). Large rounds make
// the commonest names frequent items, so the share cuts, year groups and pair postings of the
// search are exercised too.
func TestScreenMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for _, thr := range []struct {
		name       string
		sltd, pers float64
	}{{"default", 0.85, 0.80}, {"middle", 0.7, 0.65}, {"low", 0.5, 0.3}, {"tiny", 0.01, 0.01}} {
		t.Run(thr.name, func(t *testing.T) {
			t.Parallel()
			cfg := DefaultConfig()
			cfg.Thresholds[event.DBSLTD], cfg.Thresholds[event.DBNotices] = thr.sltd, thr.pers
			cfg.MaxHitsPerDatabase = 1 << 20
			m, err := New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			r := rand.New(rand.NewPCG(1, uint64(len(thr.name))))
			total, frequent := 0, 0
			var stats searchStats // what the searches did: every shortcut must be taken
			for round := range 28 {
				nPeople, subjects := 10+r.IntN(150), 60
				if round%4 == 3 {
					nPeople, subjects = 400+r.IntN(500), 25
				}
				set := randSet(r, 10+r.IntN(150), nPeople)
				snap := index.Build(uint64(round), set)
				p := snap.Persons(event.DBNotices)
				for it := range uint32(p.Terms()) {
					if p.TermFrequent(it) {
						frequent++
					}
				}
				for i := range subjects {
					s := randSubject(r, set, i)
					got, want := m.Screen(snap, s), bruteScreen(m, snap, s)
					total += len(want)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("round %d subject %d (%+v): Screen differs from brute force (-brute +screen):\n%s", round, i, *s.Person, diff)
					}
					if q := newPersonQuery(p, s.Person); len(q.units) > 0 {
						sr := getSearcher(p)
						sr.expand(q)
						sr.candidates(q, cfg.Thresholds[event.DBNotices])
						stats.cutGroups += sr.stats.cutGroups
						stats.skipped += sr.stats.skipped
						stats.pairLookups += sr.stats.pairLookups
						stats.yearDropped += sr.stats.yearDropped
						stats.stopped += sr.stats.stopped
						putSearcher(sr)
					}
				}
			}
			if total < 50 || frequent < 20 {
				t.Fatalf("only %d hits and %d frequent items in all rounds: the test does not exercise matching", total, frequent)
			}
			// The shortcuts the thresholds allow must be taken: cuts and pair lookups below the
			// tiny threshold, skipped groups and dropped dates at the default and middle ones.
			high := thr.name == "default" || thr.name == "middle"
			if thr.name != "tiny" && (stats.cutGroups == 0 || stats.pairLookups == 0) || high && (stats.skipped == 0 || stats.yearDropped == 0) {
				t.Fatalf("the searches did not take the shortcuts (%+v)", stats)
			}
			// A term's groups come by their largest share: past the default threshold, searches
			// stop before its last ones.
			if high && stats.stopped == 0 {
				t.Fatalf("no search stopped at a group under its least share (%+v)", stats)
			}
			t.Logf("%d hits compared, %d frequent items, search %+v", total, frequent, stats)
		})
	}
}

// TestFastNameEqualsReference checks the fast name comparison, which reads the expansion table,
// against the reference, which compares every pair of unit texts: on random subjects and every
// name of random watchlists, both agree on whether the name matched and on its similarity,
// exactly.
func TestFastNameEqualsReference(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(5, 5))
	compared := 0
	for round := range 6 {
		set := randSet(r, 0, 100+r.IntN(300))
		snap := index.Build(uint64(round), set)
		p := snap.Persons(event.DBNotices)
		for i := range 40 {
			s := randSubject(r, set, i)
			q := newPersonQuery(p, s.Person)
			sr := getSearcher(p)
			sr.expand(q)
			for rec := range uint32(p.Len()) {
				first, n := p.Names(rec)
				for e := first; e < first+n; e++ {
					name := p.Name(e)
					ref, refOK := q.compareName(&name)
					fast, fastOK := sr.nameSim(q, p.NameView(e))
					if refOK != fastOK || refOK && ref.sim != fast {
						t.Fatalf("round %d subject %d record %d name %d: fast (%v, %v), reference (%v, %v)", round, i, rec, e-first, fast, fastOK, ref.sim, refOK)
					}
					if refOK {
						compared++
					}
				}
			}
			putSearcher(sr)
		}
	}
	if compared < 1000 {
		t.Fatalf("only %d matching names compared", compared)
	}
}
