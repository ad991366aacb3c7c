package eval

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// Probe is one subject to screen, with what should come of it.
type Probe struct {
	Subject  event.Subject
	Database event.Database
	// Kind names the variation: "translit-cyrillic", "typo", "ocr", … for true matches;
	// "decoy-…" for decoys.
	Kind string
	// Want is the record that must hit. Empty for a decoy: no record of Database may hit,
	// except Allowed.
	Want string
	// Source is the record the probe was derived from: Want for a true match, the record a
	// near-miss decoy imitates; empty for a random decoy.
	Source string
	// Allowed are records that may hit without counting as false positives (for a true match,
	// other records of the same person-level identity, such as the same document reported
	// twice).
	Allowed []string
	// ByDesign is set on a true match that the documented evidence rules deliberately leave
	// below the threshold (a plate without its country, a firearm serial without its make):
	// it names the rule. Such kinds are reported apart and left out of the overall recall, so
	// that what the rules trade away stays visible without hiding real misses.
	ByDesign string
	// Form names the written form a kind drew among several (a make's legal name, a calibre's
	// other name, an IMO label), so that misses can be reported per form; empty otherwise.
	Form string
}

// Decoy reports whether the probe must not hit.
func (p *Probe) Decoy() bool { return p.Want == "" }

// Generator builds the evaluation data of one database. Implementations add their records to
// a shared watchlist set, then derive probes from what they added. A Generator is used by
// one goroutine.
type Generator interface {
	// Database is the database the generator evaluates.
	Database() event.Database
	// Populate adds the generator's records to set.
	Populate(r *rand.Rand, set *watchlist.Set)
	// Probes returns true-match probes of every kind the generator knows and decoys, at most
	// perKind of each kind. It runs after every generator has populated set.
	Probes(r *rand.Rand, set *watchlist.Set, perKind int) []Probe
}

// Config sizes a generated evaluation.
type Config struct {
	Seed    uint64
	PerKind int // probes per kind of variation
	// Records per database (Generators uses them): notices and nominals (PersonGenerator),
	// SLTD documents and TDAWN documents (DocumentGenerator), stolen vehicles, vessels and
	// firearms. Zero leaves a database out.
	Notices, Nominals, Documents, TDAWN, Vehicles, Vessels, Firearms int
	// Match is the matcher configuration evaluated.
	Match match.Config
}

// DefaultConfig is the configuration `make eval` runs: 50,000 notices, 20,000 nominal
// records, 200,000 SLTD and 50,000 TDAWN documents, 100,000 stolen vehicles, 20,000 vessels
// and 100,000 firearms, 300 probes per kind, the default matcher thresholds.
func DefaultConfig() Config {
	return Config{Seed: 1, PerKind: 300, Notices: 50_000, Nominals: 20_000, Documents: 200_000, TDAWN: 50_000,
		Vehicles: 100_000, Vessels: 20_000, Firearms: 100_000, Match: match.DefaultConfig()}
}

// Generators returns the generators of every database cfg gives records to, in the order Run
// populates them: persons first, so that TDAWN documents can link to notices.
func Generators(cfg Config) []Generator {
	var out []Generator
	add := func(n int, g Generator) {
		if n > 0 {
			out = append(out, g)
		}
	}
	add(cfg.Notices, NewPersonGenerator(cfg.Notices))
	add(cfg.Nominals, NewNominalGenerator(cfg.Nominals))
	add(cfg.Documents, NewDocumentGenerator(cfg.Documents))
	add(cfg.TDAWN, NewTDAWNGenerator(cfg.TDAWN))
	add(cfg.Vehicles, NewVehicleGenerator(cfg.Vehicles))
	add(cfg.Vessels, NewVesselGenerator(cfg.Vessels))
	add(cfg.Firearms, NewFirearmGenerator(cfg.Firearms))
	return out
}

// Tally counts outcomes for one database and kind.
type Tally struct {
	Database event.Database
	Kind     string
	Probes   int
	Found    int     // true matches whose record hit
	Missed   int     // true matches whose record did not
	FalsePos int     // decoys that hit, or true matches that also hit another record
	ScoreSum float64 // sum of the found records' scores
	ByDesign string  // the rule, when the kind is a true match the rules leave below the threshold
	Examples []string
	// Forms counts true-match probes and misses per Probe.Form (probes with a form only).
	Forms map[string]*FormCount
}

// FormCount counts the probes of one written form and how many of them missed.
type FormCount struct{ Probes, Missed int }

// Decoy reports whether the tally counts decoys.
func (t *Tally) Decoy() bool { return strings.HasPrefix(t.Kind, "decoy") }

// Recall is Found/Probes for true matches.
func (t *Tally) Recall() float64 { return ratio(t.Found, t.Found+t.Missed) }

// FPRate is the share of probes with a false positive.
func (t *Tally) FPRate() float64 { return ratio(t.FalsePos, t.Probes) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Result is a generated evaluation's outcome.
type Result struct {
	Config   Config
	Records  map[event.Database]int
	Tallies  []*Tally // by database, then true-match kinds, then decoys
	Duration time.Duration
}

// Run builds the watchlist of gens, screens every probe with the matcher cfg.Match and counts
// the outcomes.
func Run(cfg Config, gens []Generator) (*Result, error) {
	m, err := match.New(cfg.Match)
	if err != nil {
		return nil, fmt.Errorf("creating the matcher: %w", err)
	}
	start := time.Now()
	r := rand.New(rand.NewPCG(cfg.Seed, 0x6576616c))
	set := &watchlist.Set{}
	for _, g := range gens {
		g.Populate(r, set)
	}
	snap := index.Build(1, set)
	res := &Result{Config: cfg, Records: snap.Counts()}
	tallies := map[[2]string]*Tally{}
	for _, g := range gens {
		for _, p := range g.Probes(r, set, cfg.PerKind) {
			key := [2]string{string(p.Database), p.Kind}
			t := tallies[key]
			if t == nil {
				t = &Tally{Database: p.Database, Kind: p.Kind, ByDesign: p.ByDesign}
				tallies[key] = t
				res.Tallies = append(res.Tallies, t)
			}
			t.add(&p, m.Screen(snap, &p.Subject))
		}
	}
	slices.SortStableFunc(res.Tallies, func(a, b *Tally) int {
		if c := cmp.Compare(dbRank(a.Database), dbRank(b.Database)); c != 0 {
			return c
		}
		if c := cmp.Compare(a.group(), b.group()); c != 0 {
			return c
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
	res.Duration = time.Since(start)
	return res, nil
}

// group orders a database's tallies: true matches, those below the rules by design, decoys.
func (t *Tally) group() int {
	switch {
	case t.Decoy():
		return 2
	case t.ByDesign != "":
		return 1
	}
	return 0
}

// add counts one screened probe.
func (t *Tally) add(p *Probe, hits []event.Hit) {
	t.Probes++
	var form *FormCount
	if p.Form != "" && !p.Decoy() {
		if t.Forms == nil {
			t.Forms = map[string]*FormCount{}
		}
		if form = t.Forms[p.Form]; form == nil {
			form = &FormCount{}
			t.Forms[p.Form] = form
		}
		form.Probes++
	}
	found, other := false, ""
	for _, h := range hits {
		if h.Database != p.Database {
			continue
		}
		switch {
		case h.RecordID == p.Want:
			found = true
			t.ScoreSum += h.Score
		case slices.Contains(p.Allowed, h.RecordID):
		default:
			if other == "" {
				other = h.RecordID
			}
		}
	}
	if !p.Decoy() {
		if found {
			t.Found++
		} else {
			t.Missed++
			if form != nil {
				form.Missed++
			}
			if p.ByDesign == "" {
				t.example(fmt.Sprintf("missed %s: %s", p.Want, describe(&p.Subject)))
			}
		}
	}
	if other != "" {
		t.FalsePos++
		t.example(fmt.Sprintf("false positive %s: %s", other, describe(&p.Subject)))
	}
}

func (t *Tally) example(s string) {
	if len(t.Examples) < 3 && !slices.Contains(t.Examples, s) {
		t.Examples = append(t.Examples, s)
	}
}

// describe renders a subject compactly, for the examples of a report (synthetic data only).
func describe(s *event.Subject) string {
	switch {
	case s.Person != nil:
		p := s.Person
		var docs []string
		for _, d := range p.Documents {
			docs = append(docs, d.Type+":"+d.Number+":"+d.Issuer)
		}
		return strings.TrimSpace(fmt.Sprintf("%s / %s %s %s %s %s", p.Surname, p.GivenNames, p.BirthDate, p.Sex, p.Nationality, strings.Join(docs, " ")))
	case s.Vehicle != nil:
		v := s.Vehicle
		return namedValues("vin", v.VIN, "plate", v.Plate, "plate country", v.PlateCountry, "make", v.Make, "model", v.Model, "parts", strings.Join(v.PartSerials, ","))
	case s.Vessel != nil:
		v := s.Vessel
		return namedValues("imo", v.IMO, "hin", v.HIN, "name", v.Name, "engines", strings.Join(v.EngineSerials, ","))
	case s.Firearm != nil:
		f := s.Firearm
		return namedValues("serial", f.Serial, "make", f.Make, "model", f.Model, "calibre", f.Calibre)
	}
	return s.ID
}

// namedValues renders the non-empty values of name, value pairs as name "value", ….
func namedValues(kv ...string) string {
	var out []string
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] != "" {
			out = append(out, fmt.Sprintf("%s %q", kv[i], kv[i+1]))
		}
	}
	return strings.Join(out, ", ")
}

// legends say, per database, what its kinds of variation and decoys are.
var legends = map[event.Database]string{
	event.DBNotices: "Transliterations (`translit-*`, `mrz-umlaut`) present a record held in its own script or one Latin spelling under another spelling. " +
		"Decoys: `decoy-near-*` share a surname or given names with a record but not the person (another date of birth, a decade away); `decoy-same-name-other-date` the whole name with a date a decade away; `decoy-random` are travellers drawn from the same name distribution as the records.",
	event.DBNominals: "As notices: the same kinds of records (persons with criminal history, without a notice type) and the same variations and decoys.",
	event.DBSLTD: "`format-noise`: lower case, spaces, dashes, dots and MRZ fillers; `ocr`: one of 0/O, 1/I, 5/S, 8/B, 2/Z, 6/G read for the other; `range`: a number inside a reported range of blank documents; `issuer-mrz-code`: a German document with the MRZ issuer code D; `second-document`: the listed document declared after another passport. " +
		"Decoys: `decoy-other-issuer` the same number from another issuer, `decoy-one-char` one of the last three characters different (never an OCR confusion), `decoy-other-database` a document listed in TDAWN, not SLTD.",
	event.DBTDAWN: "As SLTD, presented by the linked notice's person when the notice is in the set. A hit means the bearer is of interest. `decoy-other-database` is a document listed in SLTD, not TDAWN.",
	event.DBVehicles: "VINs have the maker's WMI, the VW group's ZZZ filler, the North-American check digit. `vin-ocr`: a 1 read as I or a 0 as O or Q; `vin-unreadable`: one character written * ? or _; `vin-transposed`: two adjacent characters swapped (with the make); `vin-transposed-check-digit`: the same in a North-American VIN, without the make, breaking its check digit; `vin-partial-make`: the last 8–12 characters with the make (any alias); `vin-partial-record`: the record holds only the last 8; `chassis-number`: an older Japanese frame number; `plate-format`: the plate re-spaced, hyphenated or in lower case; `plate-ocr-make-model`: one OCR confusion in the plate, with make and model; `plate-other-vehicle`: the listed plate and country on another make (stolen plates). " +
		"Decoys: `decoy-plate-other-country` the same plate registered in another country, `decoy-plate-one-char` and `decoy-vin-one-char` one character different (the next vehicle off the line), `decoy-partial-vin-other-make` and `decoy-engine-other-make` the identifier of a record with another make, `decoy-vin-transposed-other-make` a VIN one transposition away with another make, `decoy-vin-transposed-valid` a North-American VIN one transposition away that passes its check digit too (another vehicle), without the make.",
	event.DBVessels: "`imo-prefix`: IMO, IMO-, IMO: before the digits; `imo-number-label`: the number as certificates label it (IMO No., IMO Nr., IMO number); `hin-prefix`: the ISO 10087 country prefix added or dropped; `hin-ocr`: 1 read as I, 0 as O or Q. " +
		"Decoys: `decoy-imo-other-ship` one of the first six digits different with its own valid check digit, `decoy-hin-other-hull` the same builder and year with another hull serial, `decoy-engine-other-serial` one digit different.",
	event.DBFirearms: "`make-short`: S&W, H&K, FN, Sig-Sauer, …; `make-legal-name`: the company's legal name as on import papers (Glock Ges.m.b.H., Fabbrica d'Armi Pietro Beretta S.p.A., …); `full-description`: serial, make, model written another way (Glock 17, M&P9) and calibre; `calibre-alias`: serial, make and the calibre under another name of the cartridge (9mm Luger, .45 Auto, 5.56 NATO). " +
		"Decoys: `decoy-other-make` the same serial on another maker's firearm, `decoy-same-make-other-model` the same serial and make on another model of another calibre, `decoy-serial-one-char` one character different.",
}

// Report writes the results as Markdown: a summary per database, the generated evaluation
// per database and kind, examples of misses and false positives, then the outcome of each
// case file.
func Report(w io.Writer, res *Result, cases ...*CaseResult) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Watchpost matching quality\n\n")
	fmt.Fprintf(&b, "Generated by `make eval` (`go run ./internal/eval/cmd/evalrun`): seed %d, %d probes per kind, default thresholds", res.Config.Seed, res.Config.PerKind)
	for _, db := range slices.Sorted(maps.Keys(res.Config.Match.Thresholds)) {
		if res.Records[db] > 0 {
			fmt.Fprintf(&b, " %s %.2f", db, res.Config.Match.Thresholds[db])
		}
	}
	fmt.Fprintf(&b, "; %.1f s.\n\n", res.Duration.Seconds())
	var counts []string
	for _, db := range slices.Sorted(maps.Keys(res.Records)) {
		if n := res.Records[db]; n > 0 {
			counts = append(counts, fmt.Sprintf("%s %d", db, n))
		}
	}
	fmt.Fprintf(&b, "Records indexed: %s.", strings.Join(counts, ", "))
	b.WriteString("\n\nRecall is the share of true matches whose record hit; a false positive is a decoy that hit, or a true match that also hit another record (records that carry the presented identifier themselves, or the same name, are allowed). ")
	b.WriteString("Kinds marked † are true matches that the documented evidence rules deliberately leave below the threshold (the rule is given under the table): they show what the rules trade away, and are left out of the overall recall.\n")
	b.WriteString("\n## Summary\n\n| database | recall | false positives | probes | decoys | † found |\n| --- | ---: | ---: | ---: | ---: | ---: |\n")
	dbs := databases(res)
	for _, db := range dbs {
		o := res.Overall(db)
		design := "—"
		if o.DesignProbes > 0 {
			design = fmt.Sprintf("%d of %d", o.DesignFound, o.DesignProbes)
		}
		fmt.Fprintf(&b, "| %s | %.1f%% (%d of %d) | %d | %d | %d | %s |\n", db, 100*ratio(o.Found, o.Found+o.Missed), o.Found, o.Found+o.Missed, o.FalsePos, o.Probes, o.Decoys, design)
	}
	for _, db := range dbs {
		fmt.Fprintf(&b, "\n## %s\n\n", db)
		if l := legends[db]; l != "" {
			b.WriteString(l + "\n\n")
		}
		b.WriteString("| kind | probes | recall | false positives | mean score of hits |\n| --- | ---: | ---: | ---: | ---: |\n")
		var rules []string
		for _, t := range res.Tallies {
			if t.Database != db {
				continue
			}
			kind, recall, mean := t.Kind, "—", "—"
			if !t.Decoy() {
				recall = fmt.Sprintf("%.1f%%", 100*t.Recall())
			}
			if t.ByDesign != "" {
				kind += " †"
				rules = append(rules, fmt.Sprintf("- `%s`: %s.", t.Kind, t.ByDesign))
			}
			if t.Found > 0 {
				mean = fmt.Sprintf("%.3f", t.ScoreSum/float64(t.Found))
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %d (%.1f%%) | %s |\n", kind, t.Probes, recall, t.FalsePos, 100*t.FPRate(), mean)
		}
		if len(rules) > 0 {
			fmt.Fprintf(&b, "\n† Below the rules by design:\n\n%s\n", strings.Join(rules, "\n"))
		}
		o := res.Overall(db)
		fmt.Fprintf(&b, "\n**%s overall**: recall %.1f%% (%d of %d true matches), false positives %d in %d probes (%d decoys).\n", db, 100*ratio(o.Found, o.Found+o.Missed), o.Found, o.Found+o.Missed, o.FalsePos, o.Probes, o.Decoys)
	}
	var ex []string
	for _, t := range res.Tallies {
		if t.FalsePos == 0 && (t.Missed == 0 || t.ByDesign != "") {
			continue
		}
		line := fmt.Sprintf("- **%s / %s**:", t.Database, t.Kind)
		if t.Missed > 0 && t.ByDesign == "" {
			line += fmt.Sprintf(" %d of %d missed", t.Missed, t.Probes)
			var forms []string
			for _, f := range slices.Sorted(maps.Keys(t.Forms)) {
				if c := t.Forms[f]; c.Missed > 0 {
					forms = append(forms, fmt.Sprintf("`%s` %d of %d", f, c.Missed, c.Probes))
				}
			}
			if len(forms) > 0 {
				line += " (by form: " + strings.Join(forms, ", ") + ")"
			}
		}
		if t.FalsePos > 0 {
			if t.Missed > 0 && t.ByDesign == "" {
				line += ";"
			}
			line += fmt.Sprintf(" %d false positive%s in %d probes", t.FalsePos, map[bool]string{true: "s"}[t.FalsePos > 1], t.Probes)
		}
		ex = append(ex, line+".")
		for _, e := range t.Examples {
			ex = append(ex, "  - "+e)
		}
	}
	if len(ex) > 0 {
		fmt.Fprintf(&b, "\n## Misses and false positives (synthetic data)\n\nEvery kind with a miss or a false positive, with at most three examples.\n\n%s\n", strings.Join(ex, "\n"))
	}
	for _, c := range cases {
		fmt.Fprintf(&b, "\n## Hand-checked cases (`%s`)\n\n%d cases, %d pass.\n\n| kind | cases | pass | expected hits found | unexpected hits |\n| --- | ---: | ---: | ---: | ---: |\n", c.Name, len(c.Cases), c.Passed())
		for _, k := range c.Kinds() {
			fmt.Fprintf(&b, "| %s | %d | %d | %d of %d | %d |\n", k.Kind, k.Cases, k.Passed, k.Found, k.Expected, k.Unexpected)
		}
		for _, o := range c.Cases {
			if !o.Pass() {
				fmt.Fprintf(&b, "\n- FAIL %s:%d (%s): want %v, got %v", cmp.Or(o.File, c.Name), o.Line, o.Kind, o.Want, o.Got)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Overall sums a database's tallies: true matches (without the kinds below the rules by
// design), those by design, decoys and false positives.
type Overall struct {
	Found, Missed, FalsePos, Probes, Decoys int
	DesignFound, DesignProbes               int
}

// Overall returns the sums of db's tallies.
func (r *Result) Overall(db event.Database) Overall {
	var o Overall
	for _, t := range r.Tallies {
		if t.Database != db {
			continue
		}
		o.FalsePos += t.FalsePos
		o.Probes += t.Probes
		switch {
		case t.Decoy():
			o.Decoys += t.Probes
		case t.ByDesign != "":
			o.DesignFound += t.Found
			o.DesignProbes += t.Probes
		default:
			o.Found += t.Found
			o.Missed += t.Missed
		}
	}
	return o
}

// databases returns the databases of res's tallies, in the order Tallies has them.
func databases(res *Result) []event.Database {
	var out []event.Database
	for _, t := range res.Tallies {
		if !slices.Contains(out, t.Database) {
			out = append(out, t.Database)
		}
	}
	return out
}

// dbOrder is the order the report presents databases in: persons, documents, objects.
var dbOrder = []event.Database{event.DBNotices, event.DBNominals, event.DBSLTD, event.DBTDAWN, event.DBVehicles, event.DBVessels, event.DBFirearms}

// dbRank is db's place in dbOrder (unknown databases last).
func dbRank(db event.Database) int {
	if i := slices.Index(dbOrder, db); i >= 0 {
		return i
	}
	return len(dbOrder)
}

// subjectID is the subject id of the i-th probe of a kind of a database.
func subjectID(db event.Database, kind string, i int) string {
	return fmt.Sprintf("eval-%s-%s-%d/0", db, kind, i)
}

func person(db event.Database, kind string, i int, p event.Person) event.Subject {
	id := subjectID(db, kind, i)
	return event.Subject{ID: id, EventID: strings.TrimSuffix(id, "/0"), Kind: event.KindPerson, Person: &p}
}
