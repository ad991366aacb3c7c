package eval

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
)

// A case directory holds hand-checked cases as JSONL, in the formats `watchpost screen`
// reads: dir/lists is a lists directory (one file per database, read by jsonl.ReadDir, so a
// record the screen command would reject fails the run), and every dir/*.jsonl file holds
// cases, one JSON object a line:
//
//	{"kind": "vin-ocr", "why": "a 1 read as I in the plant code", "subject": {"id": "v1", "kind": "vehicle", "vin": "…"}, "want": ["vehicles SMV-1"]}
//
// subject is one subject as jsonl.ReadSubjects reads it; want is every hit expected, each
// "DATABASE RECORD-ID", in any order ([] for none); why says what the case checks and why the
// expected outcome is right. Every field is required, unknown fields are errors, blank lines
// are skipped. In the report a case's kind is its file's name without .jsonl, a slash, and
// its kind ("vehicles/vin-ocr").

// caseLine is one JSONL case.
type caseLine struct {
	Kind    string          `json:"kind"`
	Why     string          `json:"why"`
	Subject json.RawMessage `json:"subject"`
	Want    []string        `json:"want"`
}

// RunCaseDir runs the hand-checked JSONL cases of dir with the matcher configuration cfg.
// Files run in name order. A malformed line, list or expected hit is an error naming the
// file and line.
func RunCaseDir(dir string, cfg match.Config) (*CaseResult, error) {
	m, err := match.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("creating the matcher: %w", err)
	}
	set, err := jsonl.ReadDir(filepath.Join(dir, "lists"))
	if err != nil {
		return nil, fmt.Errorf("reading the case lists: %w", err)
	}
	snap := index.Build(1, set)
	if n := snap.Skipped(); n > 0 {
		return nil, fmt.Errorf("reading the case lists: %d records not indexed", n)
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.jsonl"))
	if err != nil {
		return nil, fmt.Errorf("listing the case files: %w", err)
	}
	if len(files) == 0 {
		return nil, errors.New("listing the case files: no *.jsonl file")
	}
	res := &CaseResult{Name: dir}
	for _, f := range files {
		if err := runCaseFile(f, m, snap, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

func runCaseFile(path string, m *match.Matcher, snap *index.Snapshot, res *CaseResult) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("opening a case file: %w", err)
	}
	defer f.Close()
	prefix := strings.TrimSuffix(filepath.Base(path), ".jsonl") + "/"
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		c, subj, err := decodeCase(line)
		if err != nil {
			return fmt.Errorf("%s:%d: %w", path, n, err)
		}
		var got []string
		for _, h := range m.Screen(snap, subj) {
			got = append(got, string(h.Database)+" "+h.RecordID)
		}
		slices.Sort(got)
		want := slices.Sorted(slices.Values(c.Want))
		res.Cases = append(res.Cases, CaseOutcome{File: path, Line: n, Kind: prefix + c.Kind, Want: want, Got: got})
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	return nil
}

// decodeCase decodes and checks one case line.
func decodeCase(line []byte) (*caseLine, *event.Subject, error) {
	var c caseLine
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return nil, nil, fmt.Errorf("decoding the case: %w", err)
	}
	if dec.More() {
		return nil, nil, errors.New("decoding the case: more than one JSON value on the line")
	}
	var errs []error
	if strings.TrimSpace(c.Kind) == "" {
		errs = append(errs, errors.New("kind: required"))
	}
	if strings.TrimSpace(c.Why) == "" {
		errs = append(errs, errors.New("why: required"))
	}
	if c.Want == nil {
		errs = append(errs, errors.New("want: required ([] for no hit)"))
	}
	for i, w := range c.Want {
		db, id, ok := strings.Cut(w, " ")
		if !ok || id == "" || strings.Contains(id, " ") || !knownDatabase(event.Database(db)) {
			errs = append(errs, fmt.Errorf("want[%d]: want \"DATABASE RECORD-ID\"", i))
		}
	}
	var subj *event.Subject
	if len(c.Subject) == 0 {
		errs = append(errs, errors.New("subject: required"))
	} else {
		for s, err := range jsonl.ReadSubjects(bytes.NewReader(c.Subject)) {
			if err != nil {
				errs = append(errs, fmt.Errorf("subject: %w", err))
				break
			}
			subj = &s
		}
		if subj == nil && len(errs) == 0 {
			errs = append(errs, errors.New("subject: empty"))
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return &c, subj, nil
}

func knownDatabase(db event.Database) bool {
	switch db {
	case event.DBSLTD, event.DBNotices, event.DBNominals, event.DBTDAWN, event.DBVehicles, event.DBVessels, event.DBFirearms:
		return true
	}
	return false
}
