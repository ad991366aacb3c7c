package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
)

// screenHit is one line of `watchpost screen` output.
type screenHit struct {
	SubjectID string         `json:"subject_id"`
	Database  event.Database `json:"database"`
	RecordID  string         `json:"record_id"`
	Score     float64        `json:"score"`
	Reasons   []event.Reason `json:"reasons"`
}

// runScreen implements `watchpost screen --lists DIR [--in FILE|-] [--top N] [--threshold X]`:
// offline screening with the workers' engine. Subjects are JSONL in, hits JSONL out, best first
// for each subject. A bad subject line is reported on stderr with its line number and the
// others are still screened; the exit status is then 1.
func runScreen(_ context.Context, args []string) error {
	fs := flag.NewFlagSet("screen", flag.ContinueOnError)
	lists := fs.String("lists", "", "directory of list files: sltd.jsonl, notices.jsonl, nominals.jsonl, tdawn.jsonl, vehicles.jsonl, vessels.jsonl, firearms.jsonl")
	in := fs.String("in", "-", "JSONL subjects, or - for standard input")
	top := fs.Int("top", 0, "at most N hits per subject (0: no limit beyond the per-database cap)")
	threshold := fs.Float64("threshold", 0, "minimum score of a hit for every database, in (0, 1]; default: each database's own")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *lists == "" {
		return errors.New("screen: --lists DIR is required")
	}
	cfg := match.DefaultConfig()
	if *threshold != 0 {
		if *threshold < 0 || *threshold > 1 {
			return errors.New("screen: --threshold: want a score in (0, 1]")
		}
		for db := range cfg.Thresholds {
			cfg.Thresholds[db] = *threshold
		}
	}
	if *top < 0 {
		return errors.New("screen: --top: want 0 or more")
	}
	m, err := match.New(cfg)
	if err != nil {
		return err
	}
	set, err := jsonl.ReadDir(*lists)
	if err != nil {
		return err
	}
	snap := index.Build(1, set)
	if n := snap.Skipped(); n > 0 {
		fmt.Fprintf(os.Stderr, "watchpost: %d list records skipped as invalid\n", n)
	}
	var r io.Reader = os.Stdin
	if *in != "-" {
		f, err := os.Open(*in)
		if err != nil {
			return fmt.Errorf("opening subjects: %w", err)
		}
		defer f.Close()
		r = f
	}
	w := bufio.NewWriterSize(os.Stdout, 1<<16)
	defer w.Flush()
	bad := 0
	for subj, err := range jsonl.ReadSubjects(r) {
		if err != nil {
			fmt.Fprintf(os.Stderr, "watchpost: subjects: %v\n", err)
			bad++
			continue
		}
		hits := m.Screen(snap, &subj)
		if *top > 0 && len(hits) > *top {
			hits = hits[:*top]
		}
		for _, h := range hits {
			if err := writeJSON(w, screenHit{SubjectID: subj.ID, Database: h.Database, RecordID: h.RecordID, Score: h.Score, Reasons: h.Reasons}); err != nil {
				return err
			}
		}
	}
	if bad > 0 {
		return fmt.Errorf("screen: %d subject lines could not be read", bad)
	}
	return nil
}
