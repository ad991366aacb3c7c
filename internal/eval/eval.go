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
	// Allowed are records that may hit without counting as false positives (for a true match,
	// other records of the same person-level identity, such as the same document reported
	// twice).
	Allowed []string
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
	// Notices and Documents size PersonGenerator and DocumentGenerator (Generators uses them).
	Notices, Documents int
	// Match is the matcher configuration evaluated.
	Match match.Config
}

// DefaultConfig is the configuration `make eval` runs: 50,000 notices, 200,000 SLTD
// documents, 300 probes per kind, the default matcher thresholds.
func DefaultConfig() Config {
	return Config{Seed: 1, PerKind: 300, Notices: 50_000, Documents: 200_000, Match: match.DefaultConfig()}
}

// Generators returns the generators of every database the harness knows, sized by cfg.
func Generators(cfg Config) []Generator {
	return []Generator{NewPersonGenerator(cfg.Notices), NewDocumentGenerator(cfg.Documents)}
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
	Examples []string
}

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
				t = &Tally{Database: p.Database, Kind: p.Kind}
				tallies[key] = t
				res.Tallies = append(res.Tallies, t)
			}
			t.add(&p, m.Screen(snap, &p.Subject))
		}
	}
	slices.SortStableFunc(res.Tallies, func(a, b *Tally) int {
		if c := cmp.Compare(a.Database, b.Database); c != 0 {
			return c
		}
		ad, bd := strings.HasPrefix(a.Kind, "decoy"), strings.HasPrefix(b.Kind, "decoy")
		if ad != bd {
			if ad {
				return 1
			}
			return -1
		}
		return cmp.Compare(a.Kind, b.Kind)
	})
	res.Duration = time.Since(start)
	return res, nil
}

// add counts one screened probe.
func (t *Tally) add(p *Probe, hits []event.Hit) {
	t.Probes++
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
			t.example(fmt.Sprintf("missed %s: %s", p.Want, describe(&p.Subject)))
		}
	}
	if other != "" {
		t.FalsePos++
		t.example(fmt.Sprintf("false positive %s: %s", other, describe(&p.Subject)))
	}
}

func (t *Tally) example(s string) {
	if len(t.Examples) < 3 {
		t.Examples = append(t.Examples, s)
	}
}

// describe renders a subject compactly, for the examples of a report (synthetic data only).
func describe(s *event.Subject) string {
	if p := s.Person; p != nil {
		var docs []string
		for _, d := range p.Documents {
			docs = append(docs, d.Type+":"+d.Number+":"+d.Issuer)
		}
		return strings.TrimSpace(fmt.Sprintf("%s / %s %s %s %s %s", p.Surname, p.GivenNames, p.BirthDate, p.Sex, p.Nationality, strings.Join(docs, " ")))
	}
	return s.ID
}

// Report writes the results as Markdown: the generated evaluation per database and kind, then
// the case file's outcome. cases may be nil.
func Report(w io.Writer, res *Result, cases *CaseResult) error {
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
	b.WriteString("\n\nRecall is the share of true matches whose record hit; a false positive is a decoy that hit, or a true match that also hit another record. Decoys: `decoy-near-*` share a surname or given names with a record but not the person (another date of birth, a decade away); `decoy-random` are travellers drawn from the same name distribution as the records; `decoy-other-issuer` and `decoy-one-char` are documents one issuer or one character away from a record.\n")
	var db event.Database
	for _, t := range res.Tallies {
		if t.Database != db {
			db = t.Database
			fmt.Fprintf(&b, "\n## %s\n\n| kind | probes | recall | false positives | mean score of hits |\n| --- | ---: | ---: | ---: | ---: |\n", db)
		}
		recall, mean := "—", "—"
		if !strings.HasPrefix(t.Kind, "decoy") {
			recall = fmt.Sprintf("%.1f%%", 100*t.Recall())
		}
		if t.Found > 0 {
			mean = fmt.Sprintf("%.3f", t.ScoreSum/float64(t.Found))
		}
		fmt.Fprintf(&b, "| %s | %d | %s | %d (%.1f%%) | %s |\n", t.Kind, t.Probes, recall, t.FalsePos, 100*t.FPRate(), mean)
	}
	for _, db := range slices.Sorted(maps.Keys(dbSet(res))) {
		var found, missed, fp, decoys, probes int
		for _, t := range res.Tallies {
			if t.Database != db {
				continue
			}
			found, missed, fp, probes = found+t.Found, missed+t.Missed, fp+t.FalsePos, probes+t.Probes
			if strings.HasPrefix(t.Kind, "decoy") {
				decoys += t.Probes
			}
		}
		fmt.Fprintf(&b, "\n**%s overall**: recall %.1f%% (%d of %d true matches), false positives %d in %d probes (%d decoys).\n", db, 100*ratio(found, found+missed), found, found+missed, fp, probes, decoys)
	}
	var ex []string
	for _, t := range res.Tallies {
		for _, e := range t.Examples {
			ex = append(ex, fmt.Sprintf("- %s / %s: %s", t.Database, t.Kind, e))
		}
	}
	if len(ex) > 0 {
		fmt.Fprintf(&b, "\n### Examples of misses and false positives (synthetic data)\n\n%s\n", strings.Join(ex, "\n"))
	}
	if cases != nil {
		fmt.Fprintf(&b, "\n## Hand-checked cases (`internal/eval/testdata/cases.txt`)\n\n%d cases, %d pass.\n\n| kind | cases | pass | expected hits found | unexpected hits |\n| --- | ---: | ---: | ---: | ---: |\n", len(cases.Cases), cases.Passed())
		for _, k := range cases.Kinds() {
			fmt.Fprintf(&b, "| %s | %d | %d | %d of %d | %d |\n", k.Kind, k.Cases, k.Passed, k.Found, k.Expected, k.Unexpected)
		}
		for _, c := range cases.Cases {
			if !c.Pass() {
				fmt.Fprintf(&b, "\n- FAIL line %d (%s): want %v, got %v", c.Line, c.Kind, c.Want, c.Got)
			}
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func dbSet(res *Result) map[event.Database]bool {
	out := map[event.Database]bool{}
	for _, t := range res.Tallies {
		out[t.Database] = true
	}
	return out
}

// subjectID is the subject id of the i-th probe of a kind.
func subjectID(kind string, i int) string { return fmt.Sprintf("eval-%s-%d/0", kind, i) }

func person(kind string, i int, p event.Person) event.Subject {
	id := subjectID(kind, i)
	return event.Subject{ID: id, EventID: strings.TrimSuffix(id, "/0"), Kind: event.KindPerson, Person: &p}
}
