// Command evalrun runs the matching-quality evaluation (package eval) — the generated
// evaluation of every database and the hand-checked case file — and writes the results as
// Markdown. `make eval` runs it; it exits non-zero when a hand-checked case fails.
//
//	go run ./internal/eval/cmd/evalrun [-out eval/results.md] [-cases internal/eval/testdata/cases.txt] [-seed 1] [-per-kind 300]
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
	casesPath := fs.String("cases", "internal/eval/testdata/cases.txt", "hand-checked case file")
	fs.Uint64Var(&cfg.Seed, "seed", cfg.Seed, "generator seed")
	fs.IntVar(&cfg.PerKind, "per-kind", cfg.PerKind, "probes per kind of variation")
	fs.IntVar(&cfg.Notices, "notices", cfg.Notices, "generated notices")
	fs.IntVar(&cfg.Documents, "documents", cfg.Documents, "generated SLTD documents")
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
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return fmt.Errorf("creating the results directory: %w", err)
	}
	w, err := os.Create(*out)
	if err != nil {
		return fmt.Errorf("creating the results file: %w", err)
	}
	if err := eval.Report(w, res, cases); err != nil {
		w.Close()
		return fmt.Errorf("writing the results: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("writing the results: %w", err)
	}
	fmt.Printf("wrote %s: %d hand-checked cases, %d pass\n", *out, len(cases.Cases), cases.Passed())
	if cases.Passed() != len(cases.Cases) {
		return fmt.Errorf("%d hand-checked cases fail", len(cases.Cases)-cases.Passed())
	}
	return nil
}
