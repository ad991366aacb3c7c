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

// A small vocabulary makes shared tokens, typo neighbours and joined compounds frequent.
var (
	diffSurnames = []string{"Smith", "Smyth", "García", "Garcia-Lopez", "Lopez", "Al Hassan", "Alhassan", "Hassan", "van der Berg", "Berg", "Ivanov", "Иванов", "Müller", "Mueller", "Li", "Ng", "O'Brien", "Obrien", "Kowalski", "Nowak"}
	diffGiven    = []string{"John", "Jon", "Joan", "Maria", "María José", "Jose", "Jean-Pierre", "Jeanpierre", "Pierre", "Abdullah", "Abu", "Ali", "Anna", "Ana", "Peter", "Petr", "Sven", "Jo", "Mohammed", "Muhammad"}
	diffIssuers  = []string{"FRA", "DEU", "ITA", "D"}
	diffNumChars = "0O1IL5SB8ZA9"
)

func randDate(r *rand.Rand) event.Date {
	switch r.IntN(5) {
	case 0:
		return event.Date{}
	case 1:
		return event.Date{Year: 1960 + r.IntN(6)}
	case 2:
		return event.Date{Year: 1960 + r.IntN(6), Month: 1 + r.IntN(12)}
	default:
		return event.Date{Year: 1960 + r.IntN(6), Month: 1 + r.IntN(12), Day: 1 + r.IntN(12)}
	}
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
			if r.IntN(6) == 0 {
				n.FullName = pick(r, diffGiven) + " " + pick(r, diffSurnames)
			} else {
				n.Surname, n.GivenNames = pick(r, diffSurnames), pick(r, diffGiven)
				if r.IntN(3) == 0 {
					n.GivenNames += " " + pick(r, diffGiven)
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

func randSubject(r *rand.Rand, set *watchlist.Set, i int) *event.Subject {
	p := &event.Person{BirthDate: randDate(r), Sex: pick(r, []string{"", "M", "F", "X"}), Nationality: pick(r, []string{"", "ESP", "fra", "MAR"})}
	if len(set.Notices) > 0 && r.IntN(4) != 0 {
		src := pick(r, set.Notices)
		n := pick(r, src.Names)
		p.Surname, p.GivenNames = n.Surname, n.GivenNames
		if n.FullName != "" {
			p.GivenNames = n.FullName
		}
		if r.IntN(2) == 0 {
			p.Surname = mutate(r, p.Surname)
		}
		if r.IntN(2) == 0 {
			p.GivenNames = mutate(r, p.GivenNames)
		}
		if r.IntN(5) == 0 {
			p.Surname, p.GivenNames = p.GivenNames, p.Surname
		}
		if len(src.BirthDates) > 0 && r.IntN(2) == 0 {
			p.BirthDate = src.BirthDates[0]
		}
	} else {
		p.Surname, p.GivenNames = pick(r, diffSurnames), pick(r, diffGiven)
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
					h := m.hit(snap, db, s, rec.ID, score, reasons, rec.Owner)
					h.Severity, h.Action = documentAction(rec.Status)
					hits = addBest(hits, first, h)
				}
			}
		}
	}
	for _, db := range snap.PersonDatabases() {
		q := newPersonQuery(snap, db, s.Person)
		for i := range snap.PersonCount(db) {
			rec := snap.Person(db, uint32(i))
			pe := scorePerson(q, rec, 0) // no shortcut: checks the pruning bounds too
			if pe.matched && pe.score >= m.cfg.Thresholds[db] {
				h := m.hit(snap, db, s, rec.ID, pe.score, pe.reasons(), rec.Owner)
				h.Severity, h.Action = noticeAction(rec.NoticeType)
				hits = append(hits, h)
			}
		}
	}
	sortHits(hits)
	return capPerDatabase(hits, m.cfg.MaxHitsPerDatabase)
}

// TestScreenMatchesBruteForce is the differential test: on random watchlists and random
// subject variations, indexed Screen finds exactly the hits a full scan finds, at the default
// thresholds and at low ones (which exercise far more weak candidates).
func TestScreenMatchesBruteForce(t *testing.T) {
	t.Parallel()
	for _, thr := range []struct {
		name       string
		sltd, pers float64
	}{{"default", 0.85, 0.80}, {"low", 0.5, 0.3}, {"tiny", 0.01, 0.01}} {
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
			total := 0
			for round := range 20 {
				set := randSet(r, 10+r.IntN(150), 10+r.IntN(150))
				snap := index.Build(uint64(round), set)
				for i := range 60 {
					s := randSubject(r, set, i)
					got, want := m.Screen(snap, s), bruteScreen(m, snap, s)
					total += len(want)
					if diff := cmp.Diff(want, got); diff != "" {
						t.Fatalf("round %d subject %d: Screen differs from brute force (-brute +screen):\n%s", round, i, diff)
					}
				}
			}
			if total < 50 {
				t.Fatalf("only %d hits in all rounds: the test does not exercise matching", total)
			}
			t.Logf("%d hits compared", total)
		})
	}
}
