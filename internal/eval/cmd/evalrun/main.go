// Command evalrun runs the matching-quality evaluation (package eval) — the generated
// evaluation of every database and the hand-checked case file — and writes the results as
// Markdown. `make eval` runs it; it exits non-zero when a hand-checked case fails.
//
//	go run ./internal/eval/cmd/evalrun [-out eval/results.md] [-cases internal/eval/testdata/cases.txt]
//	    [-case-dir internal/eval/testdata/cases] [-seed 1] [-per-kind 300] [-notices N] [-vehicles N] …
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/watchpost/watchpost/internal/eval"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "evalrun:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	cfg := eval.DefaultConfig()
	fs := flag.NewFlagSet("evalrun", flag.ContinueOnError)
	out := fs.String("out", "eval/results.md", "Markdown results file")
	casesPath := fs.String("cases", "internal/eval/testdata/cases.txt", "hand-checked case file (persons and SLTD)")
	caseDir := fs.String("case-dir", "internal/eval/testdata/cases", "hand-checked JSONL cases (lists/ and one file per database)")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "generator seed")
	fs.IntVar(&cfg.PerKind, "per-kind", cfg.PerKind, "probes per kind of variation")
	fs.IntVar(&cfg.Notices, "notices", cfg.Notices, "generated notices (0 leaves the database out)")
	fs.IntVar(&cfg.Nominals, "nominals", cfg.Nominals, "generated nominal records")
	fs.IntVar(&cfg.Documents, "documents", cfg.Documents, "generated SLTD documents")
	fs.IntVar(&cfg.TDAWN, "tdawn", cfg.TDAWN, "generated TDAWN documents")
	fs.IntVar(&cfg.Vehicles, "vehicles", cfg.Vehicles, "generated stolen vehicles")
	fs.IntVar(&cfg.Vessels, "vessels", cfg.Vessels, "generated stolen vessels and engines")
	fs.IntVar(&cfg.Firearms, "firearms", cfg.Firearms, "generated firearms")
	if err := fs.Parse(args); err != nil {
		return err
	}
	res, err := eval.Run(cfg, eval.Generators(cfg))
	if err != nil {
		return fmt.Errorf("running the generated evaluation: %w", err)
	}
	f, err := os.Open(*casesPath)
	if err != nil {
		return fmt.Errorf("opening the case file: %w", err)
	}
	defer f.Close()
	cases, err := eval.RunCases(f, cfg.Match)
	if err != nil {
		return fmt.Errorf("running the case file: %w", err)
	}
	cases.Name = *casesPath
	dirCases, err := eval.RunCaseDir(*caseDir, cfg.Match)
	if err != nil {
		return fmt.Errorf("running the case directory: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("creating the results directory: %w", err)
	}
	w, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("creating the results file: %w", err)
	}
	if err := eval.Report(w, res, cases, dirCases); err != nil {
		w.Close()
		return fmt.Errorf("writing the results: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing the results: %w", err)
	}
	total, passed := len(cases.Cases)+len(dirCases.Cases), cases.Passed()+dirCases.Passed()
	fmt.Printf("wrote %s: %d hand-checked cases, %d pass\n", *out, total, passed)
	if passed != total {
		return fmt.Errorf("%d hand-checked cases fail", total-passed)
	}
	return nil
}
