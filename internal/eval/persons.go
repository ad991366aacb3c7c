package eval

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// PersonGenerator evaluates a person database, notices or nominal data: n records with
// Zipf-distributed Latin names (watchlisttest.Persons: aliases, partial dates, second surnames
// and given names), plus records of people with names from Cyrillic, Arabic, Greek, Hangul,
// Han, kana and German or Turkish umlauts, recorded in their own script or under one Latin
// spelling. Nominal records are the same people without a notice type.
type PersonGenerator struct {
	db       event.Database
	prefix   string // of record ids
	n        int
	vocab    *watchlisttest.NameVocabulary
	first    int // index of the generator's first record in its list (set.Notices or set.Nominals)
	base     int // how many Zipf records follow it
	scripted []scriptedRecord
	byName   map[string][]string // folded primary name → record ids
}

type scriptedRecord struct {
	rec      int // index in the generator's list
	culture  int
	sur, giv int
	inScript bool
}

// NewPersonGenerator returns a generator of n Zipf notices and the scripted ones.
func NewPersonGenerator(n int) *PersonGenerator {
	return &PersonGenerator{db: event.DBNotices, prefix: "notice", n: n}
}

// NewNominalGenerator returns a generator of n Zipf nominal records (persons without a
// notice type) and the scripted ones.
func NewNominalGenerator(n int) *PersonGenerator {
	return &PersonGenerator{db: event.DBNominals, prefix: "nominal", n: n}
}

// Database implements Generator.
func (g *PersonGenerator) Database() event.Database { return g.db }

// records is the list of set the generator's database keeps its records in.
func (g *PersonGenerator) records(set *watchlist.Set) *[]watchlist.Person {
	if g.db == event.DBNominals {
		return &set.Nominals
	}
	return &set.Notices
}

// Populate implements Generator.
func (g *PersonGenerator) Populate(r *rand.Rand, set *watchlist.Set) {
	g.vocab = watchlisttest.NewNameVocabulary(max(g.n/5, 2000), max(g.n/50, 1000), r.Uint64())
	recs := g.records(set)
	g.first = len(*recs)
	people := watchlisttest.Persons(g.vocab, g.n, r.Uint64())
	for i := range people {
		people[i].ID = fmt.Sprintf("%s-%07d", g.prefix, i)
		if g.db == event.DBNominals {
			people[i].NoticeType = ""
		}
	}
	*recs = append(*recs, people...)
	g.base = len(people)
	seen := map[[3]int]bool{}
	for ci, c := range cultures {
		for k := range 3 * len(c.surnames) * len(c.given) / 4 {
			sr := scriptedRecord{culture: ci, sur: r.IntN(len(c.surnames)), giv: r.IntN(len(c.given)), inScript: r.IntN(2) == 0}
			if seen[[3]int{ci, sr.sur, sr.giv}] {
				continue
			}
			seen[[3]int{ci, sr.sur, sr.giv}] = true
			sur, giv := c.surnames[sr.sur], c.given[sr.giv]
			name := watchlist.Name{Surname: sur.latin[0], GivenNames: giv.latin[0]}
			if sr.inScript {
				name = watchlist.Name{Surname: sur.script, GivenNames: giv.script}
				if c.fullName {
					name = watchlist.Name{FullName: sur.script + giv.script}
				}
			}
			p := watchlist.Person{ID: fmt.Sprintf("%s-%s-%d", g.prefix, c.kind, k), NoticeType: watchlist.NoticeRed, Owner: c.nat,
				Sex: []string{"M", "F"}[r.IntN(2)], Nationalities: []string{c.nat}, Names: []watchlist.Name{name},
				BirthDates: []event.Date{{Year: 1950 + r.IntN(55), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}}}
			if g.db == event.DBNominals {
				p.NoticeType = ""
			}
			sr.rec = len(*recs)
			*recs = append(*recs, p)
			g.scripted = append(g.scripted, sr)
		}
	}
	g.byName = map[string][]string{}
	for _, p := range (*recs)[g.first:] {
		for _, n := range p.Names {
			k := nameKey(n.Surname, n.GivenNames, n.FullName)
			g.byName[k] = append(g.byName[k], p.ID)
		}
	}
}

// nameKey is a name's folded tokens, order-insensitive within each part.
func nameKey(surname, given, full string) string {
	if full != "" {
		return "|" + strings.Join(normalize.NameTokens(full), " ")
	}
	return strings.Join(normalize.NameTokens(surname), " ") + "|" + strings.Join(normalize.NameTokens(given), " ")
}

// Probes implements Generator.
func (g *PersonGenerator) Probes(r *rand.Rand, set *watchlist.Set, perKind int) []Probe {
	list := g.records(set)
	var out []Probe
	add := func(kind string, i int, p event.Person, want string) *Probe {
		pr := Probe{Subject: person(g.db, kind, i, p), Database: g.db, Kind: kind, Want: want, Source: want}
		pr.Allowed = g.byName[nameKey(p.Surname, p.GivenNames, "")]
		out = append(out, pr)
		return &out[len(out)-1]
	}
	// Transliterations and spellings of the scripted records.
	for ci, c := range cultures {
		var recs []scriptedRecord
		for _, s := range g.scripted {
			if s.culture == ci {
				recs = append(recs, s)
			}
		}
		for i := range min(perKind, 4*len(recs)) {
			s := recs[r.IntN(len(recs))]
			rec := &(*list)[s.rec]
			sur, giv := c.surnames[s.sur], c.given[s.giv]
			// A record in script is presented under any Latin spelling; a record in Latin under
			// another one when there is one.
			pickSpelling := func(sp spelled) string {
				if s.inScript || len(sp.latin) == 1 {
					return sp.latin[r.IntN(len(sp.latin))]
				}
				return sp.latin[1+r.IntN(len(sp.latin)-1)]
			}
			add(c.kind, i, event.Person{Surname: pickSpelling(sur), GivenNames: pickSpelling(giv), BirthDate: rec.BirthDates[0], Sex: rec.Sex, Nationality: c.nat}, rec.ID)
		}
	}
	// Variations of the Zipf records.
	base := (*list)[g.first : g.first+g.base]
	pick := func(ok func(p *watchlist.Person) bool) *watchlist.Person {
		for range 1000 {
			p := &base[r.IntN(len(base))]
			if p.Names[0].Surname != "" && p.Names[0].GivenNames != "" && ok(p) {
				return p
			}
		}
		return nil
	}
	fullDOB := func(p *watchlist.Person) bool { return len(p.BirthDates) == 1 && p.BirthDates[0].Precision() == 3 }
	subjectOf := func(p *watchlist.Person) event.Person {
		return event.Person{Surname: p.Names[0].Surname, GivenNames: p.Names[0].GivenNames, BirthDate: p.BirthDates[0], Sex: p.Sex, Nationality: p.Nationalities[0]}
	}
	variants := []struct {
		kind string
		ok   func(p *watchlist.Person) bool
		edit func(s *event.Person, p *watchlist.Person)
	}{
		{"exact", fullDOB, func(*event.Person, *watchlist.Person) {}},
		{"case-punctuation", fullDOB, func(s *event.Person, _ *watchlist.Person) {
			s.Surname, s.GivenNames = strings.ToLower(strings.ReplaceAll(s.Surname, " ", "-")), strings.ToLower(s.GivenNames)+"."
		}},
		{"typo", func(p *watchlist.Person) bool { return fullDOB(p) && len(p.Names[0].Surname) >= 5 }, func(s *event.Person, _ *watchlist.Person) { s.Surname = typo(r, s.Surname) }},
		{"typo-given", func(p *watchlist.Person) bool {
			return fullDOB(p) && len(strings.Fields(p.Names[0].GivenNames)[0]) >= 5
		}, func(s *event.Person, _ *watchlist.Person) { s.GivenNames = typo(r, s.GivenNames) }},
		{"swapped", fullDOB, func(s *event.Person, _ *watchlist.Person) { s.Surname, s.GivenNames = s.GivenNames, s.Surname }},
		{"given-order", func(p *watchlist.Person) bool { return fullDOB(p) && len(strings.Fields(p.Names[0].GivenNames)) >= 2 }, func(s *event.Person, _ *watchlist.Person) {
			f := strings.Fields(s.GivenNames)
			f[0], f[len(f)-1] = f[len(f)-1], f[0]
			s.GivenNames = strings.Join(f, " ")
		}},
		{"second-given-missing", func(p *watchlist.Person) bool { return fullDOB(p) && len(strings.Fields(p.Names[0].GivenNames)) >= 2 }, func(s *event.Person, _ *watchlist.Person) {
			s.GivenNames = strings.Fields(s.GivenNames)[0]
		}},
		{"compound-joined", func(p *watchlist.Person) bool { return fullDOB(p) && len(strings.Fields(p.Names[0].Surname)) == 2 }, func(s *event.Person, _ *watchlist.Person) {
			s.Surname = strings.ReplaceAll(s.Surname, " ", "")
		}},
		{"lone-surname", fullDOB, func(s *event.Person, _ *watchlist.Person) { s.GivenNames = "" }},
		{"initials", fullDOB, func(s *event.Person, _ *watchlist.Person) {
			var in []string
			for _, f := range strings.Fields(s.GivenNames) {
				in = append(in, f[:1]+".")
			}
			s.GivenNames = strings.Join(in, " ")
		}},
		{"alias", func(p *watchlist.Person) bool {
			return fullDOB(p) && len(p.Names) > 1 && !p.Names[1].Weak && p.Names[1].FullName == ""
		}, func(s *event.Person, p *watchlist.Person) {
			s.Surname, s.GivenNames = p.Names[1].Surname, p.Names[1].GivenNames
		}},
		{"dob-year-only-record", func(p *watchlist.Person) bool { return len(p.BirthDates) == 1 && p.BirthDates[0].Precision() == 1 }, func(s *event.Person, _ *watchlist.Person) {
			s.BirthDate = event.Date{Year: s.BirthDate.Year, Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}
		}},
		{"dob-swapped", func(p *watchlist.Person) bool {
			return fullDOB(p) && p.BirthDates[0].Day <= 12 && p.BirthDates[0].Day != p.BirthDates[0].Month
		},
			func(s *event.Person, _ *watchlist.Person) {
				s.BirthDate.Month, s.BirthDate.Day = s.BirthDate.Day, s.BirthDate.Month
			}},
		{"dob-typo", fullDOB, func(s *event.Person, _ *watchlist.Person) { s.BirthDate = digitTypo(r, s.BirthDate) }},
		{"dob-missing", fullDOB, func(s *event.Person, _ *watchlist.Person) { s.BirthDate = event.Date{} }},
	}
	for _, v := range variants {
		for i := range perKind {
			p := pick(v.ok)
			if p == nil {
				break
			}
			s := subjectOf(p)
			v.edit(&s, p)
			add(v.kind, i, s, p.ID)
		}
	}
	// Decoys: the same surname or given names as a record, or its whole name, with another
	// person's date of birth (ten years or more away) and nationality; random travellers.
	far := func(d event.Date) event.Date {
		y := d.Year + 10 + r.IntN(20)
		if r.IntN(2) == 0 {
			y = d.Year - 10 - r.IntN(20)
		}
		return event.Date{Year: y, Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}
	}
	for i := range perKind {
		if p := pick(fullDOB); p != nil {
			add("decoy-near-surname", i, event.Person{Surname: p.Names[0].Surname, GivenNames: g.vocab.GivenName(r), BirthDate: far(p.BirthDates[0]), Sex: p.Sex, Nationality: "FRA"}, "").Source = p.ID
		}
		if p := pick(fullDOB); p != nil {
			add("decoy-near-given", i, event.Person{Surname: g.vocab.Surname(r), GivenNames: p.Names[0].GivenNames, BirthDate: far(p.BirthDates[0]), Sex: p.Sex, Nationality: "FRA"}, "").Source = p.ID
		}
		if p := pick(fullDOB); p != nil {
			s := subjectOf(p)
			s.BirthDate, s.Nationality = far(s.BirthDate), "FRA"
			pr := Probe{Subject: person(g.db, "decoy-same-name-other-date", i, s), Database: g.db, Kind: "decoy-same-name-other-date", Source: p.ID}
			out = append(out, pr)
		}
		s := event.Person{Surname: g.vocab.Surname(r), GivenNames: g.vocab.GivenName(r), BirthDate: event.Date{Year: 1940 + r.IntN(66), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)},
			Sex: []string{"M", "F"}[r.IntN(2)], Nationality: "FRA"}
		add("decoy-random", i, s, "")
	}
	return out
}

// digitTypo changes one digit of a full date written YYYYMMDD, keeping it a valid date.
func digitTypo(r *rand.Rand, d event.Date) event.Date {
	for {
		digits := []byte(fmt.Sprintf("%04d%02d%02d", d.Year, d.Month, d.Day))
		k := r.IntN(8)
		if k == 0 {
			continue // a thousands-digit typo leaves the plausible years
		}
		digits[k] = byte('0' + (int(digits[k]-'0')+1+r.IntN(9))%10)
		var y, m, day int
		fmt.Sscanf(string(digits), "%4d%2d%2d", &y, &m, &day)
		if t := (event.Date{Year: y, Month: m, Day: day}); t.Validate() == nil && m > 0 && day > 0 && y >= 1900 && y <= 2025 {
			return t
		}
	}
}

// typo changes one letter, past the first, of the first word of s with five letters or more.
func typo(r *rand.Rand, s string) string {
	b := []byte(s)
	for i := 0; i+4 < len(b); i++ {
		if (i == 0 || b[i-1] == ' ') && !strings.Contains(string(b[i:i+5]), " ") {
			k := i + 1 + r.IntN(3)
			c := "AEIOURSTNL"[r.IntN(10)]
			for c == b[k] {
				c = "AEIOURSTNL"[r.IntN(10)]
			}
			b[k] = c
			return string(b)
		}
	}
	return s
}
