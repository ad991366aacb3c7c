package eval_test

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/internal/eval"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/match"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/cases.txt with the actual hits (review the diff)")

// TestCases runs the hand-checked case file: every screen must give exactly its expected hits.
func TestCases(t *testing.T) {
	t.Parallel()
	f, err := os.ReadFile("testdata/cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	res, err := eval.RunCases(bytes.NewReader(f), match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if *rewrite {
		if err := os.WriteFile("testdata/cases.txt", []byte(res.Rewritten), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(res.Cases) < 40 {
		t.Errorf("only %d cases, want at least 40", len(res.Cases))
	}
	for _, c := range res.Cases {
		if !c.Pass() {
			t.Errorf("line %d (%s): want %v, got %v", c.Line, c.Kind, c.Want, c.Got)
		}
	}
	if res.Rewritten != string(f) && !t.Failed() {
		t.Error("the case file does not round-trip (directive outputs differ)")
	}
}

func TestCaseFileErrors(t *testing.T) {
	t.Parallel()
	for name, in := range map[string]string{
		"no separator":      "watchlist\nnotice N red name=\"A, B\"\n",
		"unknown directive": "explode\n----\n",
		"screen first":      "screen surname=A\n----\nnone\n",
		"bad field":         "watchlist\nnotice N red colour=blue\n----\n",
		"bad date":          "watchlist\nnotice N red name=A dob=1980-13\n----\n",
		"unknown database":  "watchlist\npets N\n----\n",
		"open quote":        "watchlist\nnotice N red name=\"A\n----\n",
	} {
		if _, err := eval.RunCases(strings.NewReader(in), match.DefaultConfig()); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// TestGeneratedQuality runs a small generated evaluation of every database and holds the
// engine to minimum recall per kind of variation and maximum false-positive rates per kind of
// decoy. The floors are below the measured values (see eval/results.md) by a margin for the
// smaller sample. Every kind of true match has a floor; kinds below the rules by design must
// stay at zero, or their label is wrong.
func TestGeneratedQuality(t *testing.T) {
	t.Parallel()
	cfg := eval.DefaultConfig()
	cfg.Notices, cfg.Nominals, cfg.Documents, cfg.TDAWN, cfg.PerKind = 5000, 3000, 20000, 5000, 80
	cfg.Vehicles, cfg.Vessels, cfg.Firearms = 20000, 5000, 20000
	res, err := eval.Run(cfg, eval.Generators(cfg))
	if err != nil {
		t.Fatal(err)
	}
	personRecall := map[string]float64{
		"exact": 1, "case-punctuation": 1, "compound-joined": 0.95, "typo": 0.95, "typo-given": 0.9, "swapped": 0.9,
		"given-order": 1, "second-given-missing": 0.9, "lone-surname": 0.9, "initials": 0.9, "alias": 0.95,
		"dob-year-only-record": 0.9, "dob-swapped": 0.95, "dob-typo": 0.9, "dob-missing": 0.5,
		"translit-cyrillic": 0.95, "translit-arabic": 0.95, "translit-greek": 0.95, "translit-hangul": 0.95,
		"translit-han": 0.95, "translit-kana": 0.9, "mrz-umlaut": 0.95,
	}
	objectRecall := map[string]float64{
		// vehicles
		"vin-exact": 1, "vin-format": 1, "vin-ocr": 1, "vin-unreadable": 1, "vin-transposed": 1, "vin-transposed-check-digit": 1,
		"vin-other-make": 1, "vin-partial-make": 1,
		"vin-partial-record": 1, "chassis-number": 1, "plate-country": 1, "plate-format": 1, "plate-ocr-make-model": 1,
		"plate-other-vehicle": 1, "engine-serial-make": 1,
		// vessels
		"imo-exact": 1, "imo-prefix": 1, "imo-number-label": 1, "imo-ocr": 1, "imo-with-name": 1, "hin-exact": 1, "hin-prefix": 1, "hin-format": 1,
		"hin-ocr": 1, "engine-serial": 1,
		// firearms
		"serial-make": 1, "serial-format": 1, "make-short": 1, "make-legal-name": 1, "full-description": 1,
		"calibre-alias": 1, "serial-ocr-full": 1,
	}
	maxFP := map[string]float64{"decoy-near-surname": 0.02, "decoy-near-given": 0.02, "decoy-same-name-other-date": 0.02}
	dbs := map[event.Database]int{}
	for _, tl := range res.Tallies {
		dbs[tl.Database]++
		if tl.Probes == 0 {
			t.Errorf("%s %s: no probes", tl.Database, tl.Kind)
		}
		var floor float64
		var ok bool
		switch {
		case tl.Decoy():
			ceil := maxFP[tl.Kind] // 0 for the document and object databases' decoys
			if tl.Kind == "decoy-random" && (tl.Database == event.DBNotices || tl.Database == event.DBNominals) {
				ceil = 0.01
			}
			if tl.FPRate() > ceil {
				t.Errorf("%s %s: false-positive rate %.3f, want at most %.3f (%v)", tl.Database, tl.Kind, tl.FPRate(), ceil, tl.Examples)
			}
			continue
		case tl.ByDesign != "":
			if tl.Found > 0 {
				t.Errorf("%s %s: %d of %d hit, but the kind is labelled below the rules by design (%s)", tl.Database, tl.Kind, tl.Found, tl.Probes, tl.ByDesign)
			}
			continue
		case tl.Database == event.DBSLTD || tl.Database == event.DBTDAWN:
			floor, ok = 1, true
		case tl.Database == event.DBNotices || tl.Database == event.DBNominals:
			floor, ok = personRecall[tl.Kind]
		default:
			floor, ok = objectRecall[tl.Kind]
		}
		if !ok {
			t.Errorf("%s %s: no recall floor for this kind", tl.Database, tl.Kind)
		}
		if tl.Recall() < floor {
			t.Errorf("%s %s: recall %.3f, want at least %.2f (%v)", tl.Database, tl.Kind, tl.Recall(), floor, tl.Examples)
		}
	}
	for _, db := range []event.Database{event.DBNotices, event.DBNominals, event.DBSLTD, event.DBTDAWN, event.DBVehicles, event.DBVessels, event.DBFirearms} {
		if dbs[db] < 8 {
			t.Errorf("%s: %d kinds evaluated, want at least 8", db, dbs[db])
		}
	}
	var buf bytes.Buffer
	if err := eval.Report(&buf, res); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## notices", "## sltd", "## firearms", "| translit-arabic |", "| vin-partial-alone † |", "decoy-plate-other-country"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
