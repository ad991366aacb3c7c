package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/watchpost/watchpost/pipeline/ident"
	"github.com/watchpost/watchpost/pipeline/mrz"
)

// runMRZ implements `watchpost mrz parse [LINES…|-]`: one JSON object on stdout. A zone of the
// wrong shape is an error (exit 1, located message on stderr); failing check digits are not:
// they are reported in checks with valid=false.
func runMRZ(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "parse" {
		return errors.New("usage: watchpost mrz parse [LINE…|-]")
	}
	fs := flag.NewFlagSet("mrz parse", flag.ContinueOnError)
	ref := fs.String("today", "", "reference date YYYY-MM-DD for century inference (default today)")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	lines := fs.Args()
	if len(lines) == 0 || (len(lines) == 1 && lines[0] == "-") {
		var err error
		if lines, err = readLines(os.Stdin); err != nil {
			return err
		}
	}
	at := time.Now()
	if *ref != "" {
		var err error
		if at, err = time.Parse(time.DateOnly, *ref); err != nil {
			return fmt.Errorf("--today: want YYYY-MM-DD")
		}
	}
	res, err := mrz.Parse(lines, at)
	if err != nil {
		return err
	}
	return writeJSON(os.Stdout, res)
}

// runID implements `watchpost id check --kind vin|imo|hin VALUE`: JSON with valid and, when
// invalid, the reason. It exits 0 either way: the answer is in the JSON.
func runID(_ context.Context, args []string) error {
	if len(args) == 0 || args[0] != "check" {
		return errors.New("usage: watchpost id check --kind vin|imo|hin VALUE")
	}
	fs := flag.NewFlagSet("id check", flag.ContinueOnError)
	kind := fs.String("kind", "", "vin, imo or hin")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("id check: give the value to check")
	}
	res, err := ident.ByKind(*kind, strings.Join(fs.Args(), " "))
	if err != nil {
		return fmt.Errorf("id check: --kind: %w", err)
	}
	return writeJSON(os.Stdout, res)
}

func readLines(r io.Reader) ([]string, error) {
	var out []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); l != "" {
			out = append(out, l)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading standard input: %w", err)
	}
	return out, nil
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
