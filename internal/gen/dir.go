package gen

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// File names inside a data set directory.
const (
	FileSLTD       = "sltd.jsonl"        // watchlist.Document, one per line
	FileNotices    = "notices.jsonl"     // watchlist.Person, one per line
	FileManifests  = "manifests.jsonl"   // event.Manifest, one per line
	FilePlanted    = "planted.jsonl"     // Planted, one per line
	FileNearMisses = "near_misses.jsonl" // NearMiss, one per line
)

// WriteDir writes the data set to dir, creating it if needed, one JSONL file per kind (see
// the File constants). The SLTD and notice files are in the format of `watchpost screen
// --lists`. Existing files of the same names are replaced.
func (d *Dataset) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("creating data set directory: %w", err)
	}
	files := []struct {
		name string
		n    int
		item func(int) any
	}{
		{FileSLTD, len(d.Lists.Documents), func(i int) any { return &d.Lists.Documents[i] }},
		{FileNotices, len(d.Lists.Notices), func(i int) any { return &d.Lists.Notices[i] }},
		{FileManifests, len(d.Manifests), func(i int) any { return &d.Manifests[i] }},
		{FilePlanted, len(d.Planted), func(i int) any { return &d.Planted[i] }},
		{FileNearMisses, len(d.NearMisses), func(i int) any { return &d.NearMisses[i] }},
	}
	for _, f := range files {
		if err := writeJSONL(filepath.Join(dir, f.name), f.n, f.item); err != nil {
			return fmt.Errorf("writing %s: %w", f.name, err)
		}
	}
	return nil
}

func writeJSONL(path string, n int, item func(int) any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriterSize(f, 1<<16)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for i := range n {
		if err := enc.Encode(item(i)); err != nil {
			return fmt.Errorf("encoding line %d: %w", i+1, err)
		}
	}
	return w.Flush()
}

// ReadDir reads a data set written by WriteDir. Every record is validated; errors name the
// file and line, never a value.
func ReadDir(dir string) (*Dataset, error) {
	d := &Dataset{}
	err := errors.Join(
		readJSONL(dir, FileSLTD, func(doc *watchlist.Document) error {
			d.Lists.Documents = append(d.Lists.Documents, *doc)
			return doc.Validate()
		}),
		readJSONL(dir, FileNotices, func(p *watchlist.Person) error {
			d.Lists.Notices = append(d.Lists.Notices, *p)
			return p.Validate()
		}),
		readJSONL(dir, FileManifests, func(m *event.Manifest) error {
			d.Manifests = append(d.Manifests, *m)
			if m.ID == "" {
				return errors.New("id: required")
			}
			return nil
		}),
		readJSONL(dir, FilePlanted, func(p *Planted) error {
			d.Planted = append(d.Planted, *p)
			return checkExpectation(p.SubjectID, p.Database, p.RecordID, p.Variation)
		}),
		readJSONL(dir, FileNearMisses, func(n *NearMiss) error {
			d.NearMisses = append(d.NearMisses, *n)
			return checkExpectation(n.SubjectID, n.Database, n.RecordID, n.Variation)
		}),
	)
	if err != nil {
		return nil, err
	}
	return d, nil
}

func checkExpectation(subject string, db event.Database, record, variation string) error {
	var errs []error
	if subject == "" {
		errs = append(errs, errors.New("subject_id: required"))
	}
	if db != event.DBSLTD && db != event.DBNotices {
		errs = append(errs, errors.New("database: want sltd or notices"))
	}
	if record == "" {
		errs = append(errs, errors.New("record_id: required"))
	}
	if variation == "" {
		errs = append(errs, errors.New("variation: required"))
	}
	return errors.Join(errs...)
}

// maxLine bounds one JSONL line (a manifest of MaxTravellersPerManifest travellers fits).
const maxLine = 16 << 20

func readJSONL[T any](dir, name string, add func(*T) error) error {
	f, err := os.Open(filepath.Join(dir, name))
	if err != nil {
		return fmt.Errorf("reading %s: %w", name, err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 1<<16), maxLine)
	line := 0
	for sc.Scan() {
		line++
		b := sc.Bytes()
		if len(b) == 0 {
			continue
		}
		var v T
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("reading %s line %d: %w", name, line, err)
		}
		if dec.More() {
			return fmt.Errorf("reading %s line %d: more than one JSON value", name, line)
		}
		if err := add(&v); err != nil {
			return fmt.Errorf("reading %s line %d: %w", name, line, err)
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("reading %s after line %d: %w", name, line, err)
	}
	return nil
}
