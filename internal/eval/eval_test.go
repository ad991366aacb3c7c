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

// TestGeneratedQuality runs a small generated evaluation and holds the engine to minimum
// recall per kind of variation and maximum false-positive rates per kind of decoy. The floors
// are below the measured values (see eval/results.md) by a margin for the smaller sample.
func TestGeneratedQuality(t *testing.T) {
	t.Parallel()
	cfg := eval.DefaultConfig()
	cfg.Notices, cfg.Documents, cfg.PerKind = 5000, 20000, 80
	res, err := eval.Run(cfg, eval.Generators(cfg))
	if err != nil {
		t.Fatal(err)
	}
	minRecall := map[string]float64{
		"exact": 1, "case-punctuation": 1, "compound-joined": 0.95, "typo": 0.95, "typo-given": 0.9, "swapped": 0.9,
		"given-order": 1, "second-given-missing": 0.9, "lone-surname": 0.9, "initials": 0.9, "alias": 0.95,
		"dob-year-only-record": 0.9, "dob-swapped": 0.95, "dob-typo": 0.9, "dob-missing": 0.5,
		"translit-cyrillic": 0.85, "translit-arabic": 0.7, "translit-greek": 0.9, "translit-hangul": 0.5,
		"translit-han": 0.95, "translit-kana": 0.9, "mrz-umlaut": 0.95,
	}
	maxFP := map[string]float64{"decoy-near-surname": 0.02, "decoy-near-given": 0.02, "decoy-same-name-other-date": 0.02, "decoy-random": 0.01, "decoy-other-issuer": 0, "decoy-one-char": 0}
	seen := 0
	for _, tl := range res.Tallies {
		if tl.Database == event.DBSLTD && !strings.HasPrefix(tl.Kind, "decoy") {
			if tl.Recall() != 1 {
				t.Errorf("sltd %s: recall %.3f, want 1 (%v)", tl.Kind, tl.Recall(), tl.Examples)
			}
			seen++
			continue
		}
		if floor, ok := minRecall[tl.Kind]; ok && tl.Database == event.DBNotices {
			seen++
			if tl.Recall() < floor {
				t.Errorf("notices %s: recall %.3f, want at least %.2f (%v)", tl.Kind, tl.Recall(), floor, tl.Examples)
			}
		}
		if ceil, ok := maxFP[tl.Kind]; ok {
			seen++
			if tl.FPRate() > ceil {
				t.Errorf("%s %s: false-positive rate %.3f, want at most %.3f (%v)", tl.Database, tl.Kind, tl.FPRate(), ceil, tl.Examples)
			}
		}
		if tl.Probes == 0 {
			t.Errorf("%s %s: no probes", tl.Database, tl.Kind)
		}
	}
	if seen < len(minRecall)+5 {
		t.Errorf("only %d kinds checked", seen)
	}
	var buf bytes.Buffer
	if err := eval.Report(&buf, res, nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"## notices", "## sltd", "| translit-arabic |", "decoy-random"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}
