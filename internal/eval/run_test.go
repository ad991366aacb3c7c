package eval_test

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/internal/eval"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// tinyGenerator is an SLTD corpus of four documents and a notice, with ten probes whose
// outcome is known by construction (see TestRunCounts).
type tinyGenerator struct{}

func (tinyGenerator) Database() event.Database { return event.DBSLTD }

func (tinyGenerator) Populate(_ *rand.Rand, set *watchlist.Set) {
	doc := func(id, number, issuer string) watchlist.Document {
		return watchlist.Document{ID: id, Number: number, Type: "P", Issuer: issuer, Status: watchlist.StatusStolen, Owner: issuer}
	}
	set.Documents = append(set.Documents, doc("D-1", "AB1234567", "FRA"), doc("D-2", "CD7654321", "DEU"), doc("D-3", "EF1111111", "ITA"), doc("D-4", "EF1111111", "ITA"))
	set.Notices = append(set.Notices, watchlist.Person{ID: "N-1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "DOE", GivenNames: "JANE"}}, BirthDates: []event.Date{{Year: 1970, Month: 1, Day: 2}}, Owner: "FRA"})
}

func (tinyGenerator) Probes(_ *rand.Rand, _ *watchlist.Set, _ int) []eval.Probe {
	probe := func(kind, want string, p event.Person) eval.Probe {
		return eval.Probe{Subject: event.Subject{ID: kind + "/" + want, Kind: event.KindPerson, Person: &p}, Database: event.DBSLTD, Kind: kind, Want: want, Source: want}
	}
	passport := func(number, issuer string) event.Person {
		return event.Person{Documents: []event.Document{{Type: "P", Number: number, Issuer: issuer}}}
	}
	allowed := probe("allowed", "D-3", passport("EF1111111", "ITA"))
	allowed.Allowed = []string{"D-3", "D-4"}
	below := probe("below", "D-1", event.Person{Documents: []event.Document{{Type: "I", Number: "A81234567", Issuer: "FRA"}}})
	below.ByDesign = "OCR with another type"
	withForm := func(p eval.Probe, form string) eval.Probe { p.Form = form; return p }
	return []eval.Probe{
		withForm(probe("exact", "D-1", passport("AB1234567", "FRA")), "upper"),   // found, 0.97 + 0.03
		withForm(probe("exact", "D-2", passport("cd-765-4321", "deu")), "lower"), // found, 1
		withForm(probe("exact", "D-3", passport("ZZ9999999", "ITA")), "upper"),   // missed
		probe("ocr", "D-1", passport("A81234567", "FRA")),                        // found, 0.90 + 0.03
		allowed, // found; D-4 hits too, allowed
		probe("also-other", "D-3", passport("EF1111111", "ITA")),                                                                    // found; D-4 hits too: a false positive
		probe("decoy-x", "", passport("CD7654321", "DEU")),                                                                          // a decoy that hits: false positive
		probe("decoy-x", "", passport("GH2222222", "ESP")),                                                                          // a decoy that hits nothing
		probe("decoy-x", "", event.Person{Surname: "DOE", GivenNames: "JANE", BirthDate: event.Date{Year: 1970, Month: 1, Day: 2}}), // hits notices only: not counted
		below, // missed, below the rules by design
	}
}

// TestRunCounts runs a generated evaluation on a tiny corpus whose outcomes are known by
// construction and checks every count, ratio and total the report is made of.
func TestRunCounts(t *testing.T) {
	t.Parallel()
	cfg := eval.DefaultConfig()
	res, err := eval.Run(cfg, []eval.Generator{tinyGenerator{}})
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		Kind                            string
		Probes, Found, Missed, FalsePos int
		ScoreSum                        float64
		ByDesign                        string
	}
	var got []row
	for _, tl := range res.Tallies {
		if tl.Database != event.DBSLTD {
			t.Fatalf("tally of %s", tl.Database)
		}
		got = append(got, row{tl.Kind, tl.Probes, tl.Found, tl.Missed, tl.FalsePos, float64(int(tl.ScoreSum*1000+0.5)) / 1000, tl.ByDesign})
	}
	want := []row{ // true matches by kind, then the kinds below the rules, then decoys
		{"allowed", 1, 1, 0, 0, 1, ""},
		{"also-other", 1, 1, 0, 1, 1, ""},
		{"exact", 3, 2, 1, 0, 2, ""},
		{"ocr", 1, 1, 0, 0, 0.93, ""},
		{"below", 1, 0, 1, 0, 0, "OCR with another type"},
		{"decoy-x", 3, 0, 0, 1, 0, ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("tallies (-want +got):\n%s", diff)
	}
	exact, decoys := res.Tallies[2], res.Tallies[5]
	if r := exact.Recall(); r < 0.6666 || r > 0.6667 {
		t.Errorf("exact recall %v, want 2/3", r)
	}
	if r := decoys.FPRate(); r < 0.3333 || r > 0.3334 {
		t.Errorf("decoy false-positive rate %v, want 1/3", r)
	}
	if diff := cmp.Diff(map[string]*eval.FormCount{"upper": {Probes: 2, Missed: 1}, "lower": {Probes: 1}}, exact.Forms); diff != "" {
		t.Errorf("exact forms (-want +got):\n%s", diff)
	}
	if len(exact.Examples) != 1 || !strings.Contains(exact.Examples[0], "missed D-3") {
		t.Errorf("exact examples %q, want the miss of D-3", exact.Examples)
	}
	if len(res.Tallies[4].Examples) != 0 {
		t.Errorf("a miss below the rules by design is an example: %q", res.Tallies[4].Examples)
	}
	o := res.Overall(event.DBSLTD)
	if want := (eval.Overall{Found: 5, Missed: 1, FalsePos: 2, Probes: 10, Decoys: 3, DesignFound: 0, DesignProbes: 1}); o != want {
		t.Errorf("overall %+v, want %+v", o, want)
	}
	if res.Records[event.DBSLTD] != 4 || res.Records[event.DBNotices] != 1 {
		t.Errorf("records %v", res.Records)
	}
	var buf bytes.Buffer
	if err := eval.Report(&buf, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"| sltd | 83.3% (5 of 6) | 2 | 10 | 3 | 0 of 1 |",
		"| exact | 3 | 66.7% | 0 (0.0%) | 1.000 |",
		"| below † | 1 | 0.0% | 0 (0.0%) | — |",
		"- `below`: OCR with another type.",
		"| decoy-x | 3 | — | 1 (33.3%) | — |",
		"**sltd overall**: recall 83.3% (5 of 6 true matches), false positives 2 in 10 probes (3 decoys).",
		"- **sltd / exact**: 1 of 3 missed (by form: `upper` 1 of 2).\n  - missed D-3: /     P:ZZ9999999:ITA",
		"- **sltd / also-other**: 1 false positive in 1 probes.\n  - false positive D-4:",
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
}

// TestCaseDir runs the hand-checked JSONL cases: every case gives exactly its expected hits,
// and every database has its file.
func TestCaseDir(t *testing.T) {
	t.Parallel()
	res, err := eval.RunCaseDir("testdata/cases", match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	perFile := map[string]int{}
	for _, c := range res.Cases {
		perFile[filepath.Base(c.File)]++
		if !c.Pass() {
			t.Errorf("%s:%d (%s): want %v, got %v", c.File, c.Line, c.Kind, c.Want, c.Got)
		}
	}
	for _, f := range []string{"nominals.jsonl", "tdawn.jsonl", "vehicles.jsonl", "vessels.jsonl", "firearms.jsonl"} {
		if perFile[f] < 10 {
			t.Errorf("%s: %d cases, want at least 10", f, perFile[f])
		}
	}
}

func TestCaseDirErrors(t *testing.T) {
	t.Parallel()
	lists, err := os.ReadFile("testdata/cases/lists/vehicles.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	good := `{"kind":"k","why":"w","subject":{"id":"v","kind":"vehicle","vin":"WVWZZZ1JZ3W386752"},"want":["vehicles V-golf"]}`
	for name, line := range map[string]string{
		"unknown field":     strings.Replace(good, `"why"`, `"note":"x","why"`, 1),
		"no want":           strings.Replace(good, `,"want":["vehicles V-golf"]`, "", 1),
		"no why":            strings.Replace(good, `"why":"w",`, "", 1),
		"want not db id":    strings.Replace(good, `"vehicles V-golf"`, `"V-golf"`, 1),
		"unknown database":  strings.Replace(good, `"vehicles V-golf"`, `"cars V-golf"`, 1),
		"bad subject field": strings.Replace(good, `"vin"`, `"surname"`, 1),
		"no subject":        strings.Replace(good, `"subject":{"id":"v","kind":"vehicle","vin":"WVWZZZ1JZ3W386752"},`, "", 1),
		"two values":        good + " {}",
		"not json":          "kind=k",
	} {
		_, err := eval.RunCaseDir(caseDir(t, lists, good+"\n\n"+line+"\n"), match.DefaultConfig())
		if err == nil || !strings.Contains(err.Error(), "vehicles.jsonl:3") {
			t.Errorf("%s: error %v, want one naming vehicles.jsonl:3", name, err)
		}
	}
	// The good line alone runs, and a wrong expectation fails as a case, not an error.
	res, err := eval.RunCaseDir(caseDir(t, lists, good+"\n"+strings.Replace(good, `["vehicles V-golf"]`, `[]`, 1)+"\n"), match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Cases) != 2 || res.Passed() != 1 || res.Cases[1].Kind != "vehicles/k" || res.Cases[1].Line != 2 {
		t.Errorf("cases %+v, want two, the second failing", res.Cases)
	}
}

// caseDir writes a case directory with one vehicles list and one vehicles case file.
func caseDir(t *testing.T, list []byte, cases string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "lists"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "lists", "vehicles.jsonl"), list, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "vehicles.jsonl"), []byte(cases), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}
