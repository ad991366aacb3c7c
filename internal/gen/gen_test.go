package gen

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// smallConfig is quick under -race but large enough for every variation to occur.
func smallConfig() Config {
	c := DefaultConfig()
	c.Documents, c.Notices, c.Manifests = 3000, 800, 250
	c.HitRate, c.NearMissRate = 0.08, 0.08
	return c
}

var (
	sharedOnce sync.Once
	sharedData *Dataset
	sharedErr  error
)

// shared is one generated data set the read-only tests inspect.
func shared(t *testing.T) *Dataset {
	t.Helper()
	sharedOnce.Do(func() { sharedData, sharedErr = Generate(smallConfig()) })
	if sharedErr != nil {
		t.Fatalf("Generate: %v", sharedErr)
	}
	return sharedData
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	mod := func(f func(*Config)) Config { c := DefaultConfig(); f(&c); return c }
	tests := []struct {
		name string
		cfg  Config
		want []string // substrings of the error; none: valid
		is   error
	}{
		{name: "default", cfg: DefaultConfig()},
		{name: "no manifests", cfg: mod(func(c *Config) { c.Manifests = 0 })},
		{name: "lists only", cfg: mod(func(c *Config) { c.Manifests, c.HitRate, c.NearMissRate = 0, 0, 0 })},
		{name: "sltd only", cfg: mod(func(c *Config) { c.Notices = 0 })},
		{name: "every country", cfg: mod(func(c *Config) { c.Country = "USA" })},
		{name: "negative counts", cfg: mod(func(c *Config) { c.Documents, c.Notices, c.Manifests = -1, -1, -1 }), want: []string{"documents", "notices", "manifests"}},
		{name: "too many notices", cfg: mod(func(c *Config) { c.Notices = MaxNotices + 1 }), want: []string{"notices"}},
		{name: "min travellers", cfg: mod(func(c *Config) { c.MinTravellers = 0 }), want: []string{"min_travellers"}},
		{name: "max below min", cfg: mod(func(c *Config) { c.MinTravellers, c.MaxTravellers = 5, 4 }), want: []string{"max_travellers"}},
		{name: "max too large", cfg: mod(func(c *Config) { c.MaxTravellers = MaxTravellersPerManifest + 1 }), want: []string{"max_travellers"}},
		{name: "rate out of range", cfg: mod(func(c *Config) { c.HitRate, c.NearMissRate = -0.1, 1.5 }), want: []string{"hit_rate", "near_miss_rate"}},
		{name: "rate NaN", cfg: mod(func(c *Config) { c.HitRate = math.NaN() }), want: []string{"hit_rate"}},
		{name: "rates sum", cfg: mod(func(c *Config) { c.HitRate, c.NearMissRate = 0.6, 0.5 }), want: []string{"hit_rate + near_miss_rate"}},
		{name: "unknown country", cfg: mod(func(c *Config) { c.Country = "XYZ" }), want: []string{"country"}, is: ErrUnknownCountry},
		{name: "no start", cfg: mod(func(c *Config) { c.Start = time.Time{} }), want: []string{"start"}},
		{name: "nothing to plant", cfg: mod(func(c *Config) { c.Documents, c.Notices = 0, 0 }), want: []string{"need documents or notices"}, is: ErrNoRecords},
		{name: "every problem at once", cfg: Config{}, want: []string{"min_travellers", "country", "start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate() = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate() = nil, want an error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate() = %q, want it to mention %q", err, w)
				}
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("Validate() = %v, want errors.Is %v", err, tt.is)
			}
			if _, gerr := Generate(tt.cfg); gerr == nil {
				t.Error("Generate accepted an invalid config")
			}
		})
	}
}

func TestGenerateDeterministic(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Documents, cfg.Notices, cfg.Manifests = 2000, 400, 60
	write := func(c Config) map[string][]byte {
		t.Helper()
		d, err := Generate(c)
		if err != nil {
			t.Fatalf("Generate: %v", err)
		}
		dir := t.TempDir()
		if err := d.WriteDir(dir); err != nil {
			t.Fatalf("WriteDir: %v", err)
		}
		out := map[string][]byte{}
		for _, f := range []string{FileSLTD, FileNotices, FileManifests, FilePlanted, FileNearMisses} {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			out[f] = b
		}
		return out
	}
	a, b := write(cfg), write(cfg)
	for f := range a {
		if !bytes.Equal(a[f], b[f]) {
			t.Errorf("%s differs between two runs of the same config", f)
		}
		if len(a[f]) == 0 {
			t.Errorf("%s is empty", f)
		}
	}
	other := cfg
	other.Seed = 2
	c := write(other)
	for _, f := range []string{FileSLTD, FileNotices, FileManifests} {
		if bytes.Equal(a[f], c[f]) {
			t.Errorf("%s is the same for seeds 1 and 2", f)
		}
	}
}

func TestGenerateCounts(t *testing.T) {
	t.Parallel()
	mod := func(f func(*Config)) Config { c := smallConfig(); f(&c); return c }
	tests := []struct {
		name string
		cfg  Config
	}{
		{"small", smallConfig()},
		{"fixed manifest size", mod(func(c *Config) { c.MinTravellers, c.MaxTravellers = 7, 7 })},
		{"no plants", mod(func(c *Config) { c.HitRate, c.NearMissRate = 0, 0 })},
		{"sltd only", mod(func(c *Config) { c.Notices = 0 })},
		{"notices only", mod(func(c *Config) { c.Documents = 0 })},
		{"all planted", mod(func(c *Config) { c.Manifests, c.HitRate, c.NearMissRate = 20, 0.5, 0.5 })},
		{"lists only", mod(func(c *Config) { c.Manifests = 0 })},
		{"germany, other seed", mod(func(c *Config) { c.Country, c.Seed = "DEU", 99 })},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, err := Generate(tt.cfg)
			if err != nil {
				t.Fatalf("Generate: %v", err)
			}
			got := [3]int{len(d.Lists.Documents), len(d.Lists.Notices), len(d.Manifests)}
			if want := [3]int{tt.cfg.Documents, tt.cfg.Notices, tt.cfg.Manifests}; got != want {
				t.Errorf("documents, notices, manifests = %v, want %v", got, want)
			}
			total := 0
			for i := range d.Manifests {
				m := &d.Manifests[i]
				n := len(m.Travellers)
				if n < tt.cfg.MinTravellers || n > tt.cfg.MaxTravellers {
					t.Errorf("manifest %s: %d travellers, want %d-%d", m.ID, n, tt.cfg.MinTravellers, tt.cfg.MaxTravellers)
				}
				total += n
				checkManifest(t, tt.cfg, m)
			}
			if want := int(math.Round(tt.cfg.HitRate * float64(total))); len(d.Planted) != want {
				t.Errorf("%d planted hits, want %d", len(d.Planted), want)
			}
			if want := int(math.Round(tt.cfg.NearMissRate * float64(total))); len(d.NearMisses) != want {
				t.Errorf("%d near misses, want %d", len(d.NearMisses), want)
			}
			ids := map[string]bool{}
			for _, doc := range d.Lists.Documents {
				if ids[doc.ID] {
					t.Errorf("duplicate record id %s", doc.ID)
				}
				ids[doc.ID] = true
			}
			for _, p := range d.Lists.Notices {
				if ids[p.ID] {
					t.Errorf("duplicate record id %s", p.ID)
				}
				ids[p.ID] = true
			}
		})
	}
}

func checkManifest(t *testing.T, cfg Config, m *event.Manifest) {
	t.Helper()
	if len(m.Legs) == 0 || len(m.Legs) > 2 {
		t.Fatalf("manifest %s: %d legs, want 1 or 2", m.ID, len(m.Legs))
	}
	if !slices.Contains(arrivalAirports[cfg.Country], m.BorderPost()) {
		t.Errorf("manifest %s: ends at an airport outside %s", m.ID, cfg.Country)
	}
	for k, l := range m.Legs {
		if !l.ArrivalAt.After(l.DepartureAt) {
			t.Errorf("manifest %s leg %d: arrives before it departs", m.ID, k)
		}
		if k > 0 && (l.Departure != m.Legs[k-1].Arrival || l.DepartureAt.Before(m.Legs[k-1].ArrivalAt)) {
			t.Errorf("manifest %s leg %d: does not continue leg %d", m.ID, k, k-1)
		}
	}
	dep := m.Legs[0].DepartureAt
	if !m.ReceivedAt.Before(dep) || dep.Sub(m.ReceivedAt) > 3*time.Hour {
		t.Errorf("manifest %s: received %v before departure, want 0-3h", m.ID, dep.Sub(m.ReceivedAt))
	}
	if dep.Before(cfg.Start) || dep.After(cfg.Start.Add(25*time.Hour)) {
		t.Errorf("manifest %s: departs outside the first day", m.ID)
	}
	if !strings.HasPrefix(m.Flight, m.Carrier) {
		t.Errorf("manifest %s: flight without carrier prefix", m.ID)
	}
	for k := range m.Travellers {
		tr := &m.Travellers[k]
		if tr.Role != m.Travellers[0].Role {
			t.Errorf("manifest %s: mixes passengers and crew", m.ID)
		}
		if tr.Surname == "" || tr.GivenNames == "" || tr.BirthDate.Precision() != 3 || len(tr.Documents) == 0 {
			t.Errorf("traveller %s: incomplete", event.SubjectID(m.ID, k))
		}
		if tr.Sex != "M" && tr.Sex != "F" {
			t.Errorf("traveller %s: sex not M or F", event.SubjectID(m.ID, k))
		}
		for _, doc := range tr.Documents {
			if err := doc.Expiry.Validate(); err != nil || doc.Expiry.Year <= cfg.Start.Year() {
				t.Errorf("traveller %s: document expiry invalid or not in the future", event.SubjectID(m.ID, k))
			}
		}
	}
}

func TestRecordsRealistic(t *testing.T) {
	t.Parallel()
	d := shared(t)
	types := map[watchlist.NoticeType]int{}
	statuses := map[watchlist.DocumentStatus]int{}
	issuerSeen := map[string]bool{}
	var partial, twoDOB, aliases, weak int
	for i := range d.Lists.Documents {
		doc := &d.Lists.Documents[i]
		if err := doc.Validate(); err != nil {
			t.Fatalf("document %s: %v", doc.ID, err)
		}
		if doc.Owner != doc.Issuer {
			t.Errorf("document %s: owner is not the issuer", doc.ID)
		}
		statuses[doc.Status]++
		issuerSeen[doc.Issuer] = true
	}
	for i := range d.Lists.Notices {
		p := &d.Lists.Notices[i]
		if err := p.Validate(); err != nil {
			t.Fatalf("notice %s: %v", p.ID, err)
		}
		types[p.NoticeType]++
		if len(p.BirthDates) == 0 {
			t.Errorf("notice %s: no birth date", p.ID)
		}
		if len(p.BirthDates) > 1 {
			twoDOB++
		}
		if slices.ContainsFunc(p.BirthDates, func(d event.Date) bool { return d.Precision() < 3 }) {
			partial++
		}
		for _, n := range p.Names[1:] {
			aliases++
			if n.Weak {
				weak++
			}
		}
		if p.NoticeType != watchlist.NoticeBlack && (len(p.Nationalities) == 0 || len(p.Nationalities) > 2) {
			t.Errorf("notice %s: %d nationalities, want 1-2", p.ID, len(p.Nationalities))
		}
	}
	for _, typ := range noticeTypes {
		if types[typ] == 0 {
			t.Errorf("no %s notice among %d", typ, len(d.Lists.Notices))
		}
	}
	if types[watchlist.NoticeRed] < types[watchlist.NoticeBlue] || types[watchlist.NoticeBlue] < types[watchlist.NoticePurple] {
		t.Errorf("notice mix not red-heavy: %v", types)
	}
	if len(statuses) != 5 {
		t.Errorf("document statuses %v, want all five", statuses)
	}
	if len(issuerSeen) < 30 {
		t.Errorf("%d issuers, want at least 30", len(issuerSeen))
	}
	if partial == 0 || twoDOB == 0 || aliases == 0 || weak == 0 {
		t.Errorf("partial DOBs %d, two DOBs %d, aliases %d, weak %d: want some of each", partial, twoDOB, aliases, weak)
	}
}

// traveller finds a subject by id.
func traveller(t *testing.T, d *Dataset, id string) *event.Traveller {
	t.Helper()
	for i := range d.Manifests {
		m := &d.Manifests[i]
		for k := range m.Travellers {
			if event.SubjectID(m.ID, k) == id {
				return &m.Travellers[k]
			}
		}
	}
	t.Fatalf("no traveller %s", id)
	return nil
}

func recordIndex(d *Dataset) (map[string]*watchlist.Document, map[string]*watchlist.Person) {
	docs := map[string]*watchlist.Document{}
	for i := range d.Lists.Documents {
		docs[d.Lists.Documents[i].ID] = &d.Lists.Documents[i]
	}
	people := map[string]*watchlist.Person{}
	for i := range d.Lists.Notices {
		people[d.Lists.Notices[i].ID] = &d.Lists.Notices[i]
	}
	return docs, people
}

func TestPlantedHitsAreConsistent(t *testing.T) {
	t.Parallel()
	d := shared(t)
	docs, people := recordIndex(d)
	seen := map[string]int{}
	subjects := map[string]bool{}
	for _, pl := range d.Planted {
		seen[pl.Variation]++
		if subjects[pl.SubjectID] {
			t.Errorf("traveller %s planted twice", pl.SubjectID)
		}
		subjects[pl.SubjectID] = true
		tr := traveller(t, d, pl.SubjectID)
		t.Run(pl.SubjectID, func(t *testing.T) {
			switch pl.Database {
			case event.DBSLTD:
				rec := docs[pl.RecordID]
				if rec == nil {
					t.Fatalf("no SLTD record %s", pl.RecordID)
				}
				checkDocHit(t, tr, rec, pl.Variation)
			case event.DBNotices:
				rec := people[pl.RecordID]
				if rec == nil {
					t.Fatalf("no notice %s", pl.RecordID)
				}
				checkNoticeHit(t, tr, rec, pl.Variation)
			default:
				t.Fatalf("database %q", pl.Database)
			}
		})
	}
	for _, v := range append(append([]string(nil), docVariations...), noticeVariations...) {
		if seen[v] == 0 {
			t.Errorf("no %s hit among %d planted", v, len(d.Planted))
		}
	}
}

func checkDocHit(t *testing.T, tr *event.Traveller, rec *watchlist.Document, v string) {
	t.Helper()
	var doc *event.Document
	for k := range tr.Documents {
		if tr.Documents[k].Issuer == rec.Issuer && canonNumber(tr.Documents[k].Number) == canonNumber(rec.Number) ||
			tr.Documents[k].Issuer == rec.Issuer && ocrKey(tr.Documents[k].Number) == ocrKey(rec.Number) {
			doc = &tr.Documents[k]
		}
	}
	if doc == nil {
		t.Fatalf("%s: traveller carries no document matching record %s", v, rec.ID)
	}
	if doc.Type != rec.Type {
		t.Errorf("%s: document type %s, record type %s", v, doc.Type, rec.Type)
	}
	switch v {
	case VarExact:
		if doc.Number != rec.Number {
			t.Error("exact: number differs from the record")
		}
	case VarDocFormat:
		if doc.Number == rec.Number || canonNumber(doc.Number) != rec.Number {
			t.Error("doc-format: want the record number with formatting noise only")
		}
	case VarOCR:
		a, b := doc.Number, rec.Number
		if len(a) != len(b) {
			t.Fatal("ocr: length differs")
		}
		diffs := 0
		for k := range len(a) {
			if a[k] != b[k] {
				diffs++
				if pair := string([]byte{min(a[k], b[k]), max(a[k], b[k])}); pair != "0O" && pair != "1I" {
					t.Errorf("ocr: confusion %q is not O/0 or I/1", pair)
				}
			}
		}
		if diffs != 1 {
			t.Errorf("ocr: %d characters differ, want 1", diffs)
		}
	default:
		t.Errorf("unknown SLTD variation %q", v)
	}
}

func fullDOBs(p *watchlist.Person) []event.Date {
	var out []event.Date
	for _, d := range p.BirthDates {
		if d.Precision() == 3 {
			out = append(out, d)
		}
	}
	return out
}

func checkNoticeHit(t *testing.T, tr *event.Traveller, rec *watchlist.Person, v string) {
	t.Helper()
	if !rec.NoticeType.Screened() {
		t.Errorf("%s: planted on an unscreened %s notice", v, rec.NoticeType)
	}
	if !slices.Contains(rec.Nationalities, tr.Nationality) {
		t.Errorf("%s: nationality disagrees", v)
	}
	if rec.Sex != "U" && rec.Sex != tr.Sex {
		t.Errorf("%s: sex disagrees", v)
	}
	primary := rec.Names[0]
	sameName := tr.Surname == primary.Surname && tr.GivenNames == primary.GivenNames
	fullDOB := slices.Contains(fullDOBs(rec), tr.BirthDate)
	switch v {
	case VarExact:
		if !sameName || !fullDOB {
			t.Errorf("exact: same name %v, full record DOB %v", sameName, fullDOB)
		}
	case VarAlias:
		ok := false
		for _, n := range rec.Names[1:] {
			if n.Weak {
				continue
			}
			if n.FullName != "" {
				ok = ok || nameKey(n.FullName) == nameKey(tr.Surname, tr.GivenNames)
			} else {
				ok = ok || (n.Surname == tr.Surname && n.GivenNames == tr.GivenNames)
			}
		}
		if !ok || !fullDOB {
			t.Errorf("alias: matches a non-weak alias %v, full record DOB %v", ok, fullDOB)
		}
		if nameKey(primary.Surname, primary.GivenNames) == nameKey(tr.Surname, tr.GivenNames) {
			t.Error("alias: traveller carries the primary name")
		}
	case VarNameTypo:
		a, b := []rune(primary.Surname+" "+primary.GivenNames), []rune(tr.Surname+" "+tr.GivenNames)
		if len(a) != len(b) {
			t.Fatal("name-typo: length differs")
		}
		var at []int
		for k := range a {
			if a[k] != b[k] {
				at = append(at, k)
			}
		}
		if len(at) != 1 || !slices.Contains(typoPositions(string(a)), at[0]) || fold(string(a)) == fold(string(b)) {
			t.Errorf("name-typo: want one letter changed in a word of 5+ letters, got %d changes", len(at))
		}
		if !fullDOB {
			t.Error("name-typo: DOB is not a full record DOB")
		}
	case VarDiacritics:
		if sameName || fold(primary.Surname) != fold(tr.Surname) || fold(primary.GivenNames) != fold(tr.GivenNames) || !fullDOB {
			t.Errorf("diacritics: want the same folded name written differently and a full record DOB")
		}
	case VarGivenOrder:
		a, b := strings.Fields(primary.GivenNames), strings.Fields(tr.GivenNames)
		slices.Sort(a)
		slices.Sort(b)
		if tr.Surname != primary.Surname || tr.GivenNames == primary.GivenNames || !slices.Equal(a, b) || !fullDOB {
			t.Error("given-order: want the same surname and given names in another order, and a full record DOB")
		}
	case VarDOBYearOnly:
		ok := slices.ContainsFunc(rec.BirthDates, func(d event.Date) bool { return d.Precision() == 1 && d.Year == tr.BirthDate.Year })
		if !sameName || !ok {
			t.Errorf("dob-year-only: same name %v, born in a year-only record year %v", sameName, ok)
		}
	case VarDOBYearMonth:
		ok := slices.ContainsFunc(rec.BirthDates, func(d event.Date) bool {
			return d.Precision() == 2 && d.Year == tr.BirthDate.Year && d.Month == tr.BirthDate.Month
		})
		if !sameName || !ok {
			t.Errorf("dob-year-month: same name %v, born in a year-month record month %v", sameName, ok)
		}
	case VarDOBSwapped:
		b := tr.BirthDate
		ok := slices.ContainsFunc(rec.BirthDates, func(d event.Date) bool {
			return d.Precision() == 3 && d.Year == b.Year && d.Day == b.Month && d.Month == b.Day && d.Day <= 12 && d.Day != d.Month
		})
		if !sameName || !ok {
			t.Errorf("dob-swapped: same name %v, record DOB with day and month swapped %v", sameName, ok)
		}
	default:
		t.Errorf("unknown notice variation %q", v)
	}
}

func TestNearMissesAreConsistent(t *testing.T) {
	t.Parallel()
	d := shared(t)
	docs, people := recordIndex(d)
	planted := map[string]bool{}
	for _, p := range d.Planted {
		planted[p.SubjectID] = true
	}
	seen := map[string]int{}
	for _, nm := range d.NearMisses {
		seen[nm.Variation]++
		if planted[nm.SubjectID] {
			t.Errorf("traveller %s is both a hit and a near miss", nm.SubjectID)
		}
		planted[nm.SubjectID] = true
		tr := traveller(t, d, nm.SubjectID)
		switch nm.Variation {
		case VarOtherIssuer:
			rec := docs[nm.RecordID]
			ok := slices.ContainsFunc(tr.Documents, func(doc event.Document) bool { return doc.Number == rec.Number && doc.Issuer != rec.Issuer })
			if !ok {
				t.Errorf("%s: other-issuer: no document with the record number from another issuer", nm.SubjectID)
			}
		case VarSameSurname, VarSameGivenNames:
			rec := people[nm.RecordID]
			if !rec.NoticeType.Screened() {
				t.Errorf("%s: near miss on an unscreened notice", nm.SubjectID)
			}
			p := rec.Names[0]
			if nm.Variation == VarSameSurname {
				var recGiven []string
				for _, n := range rec.Names {
					recGiven = append(recGiven, foldTokens(n.GivenNames)...)
				}
				if tr.Surname != p.Surname || slices.ContainsFunc(foldTokens(tr.GivenNames), func(s string) bool { return slices.Contains(recGiven, s) }) {
					t.Errorf("%s: same-surname: want the surname and no shared given name", nm.SubjectID)
				}
			} else if tr.GivenNames != p.GivenNames || fold(tr.Surname) == fold(p.Surname) {
				t.Errorf("%s: same-given-names: want the given names and another surname", nm.SubjectID)
			}
			for _, b := range rec.BirthDates {
				if abs(b.Year-tr.BirthDate.Year) < 10 {
					t.Errorf("%s: %s: born within ten years of a record DOB", nm.SubjectID, nm.Variation)
				}
			}
		default:
			t.Errorf("%s: unknown near-miss variation %q", nm.SubjectID, nm.Variation)
		}
	}
	for _, v := range []string{VarOtherIssuer, VarSameSurname, VarSameGivenNames} {
		if seen[v] == 0 {
			t.Errorf("no %s near miss among %d", v, len(d.NearMisses))
		}
	}
}

// TestNoAccidentalCollisions checks, by brute force, that only planted travellers resemble a
// record: no other traveller carries an SLTD number (or an OCR-equivalent of one) of the same
// issuer, a record's name, a surname within one edit of a record's, or a record's given names
// while born within ten years of it.
func TestNoAccidentalCollisions(t *testing.T) {
	t.Parallel()
	d := shared(t)
	planted := map[string]bool{}
	for _, p := range d.Planted {
		planted[p.SubjectID] = true
	}
	near := map[string]bool{}
	for _, n := range d.NearMisses {
		near[n.SubjectID] = true
	}
	sltd := map[string]bool{}
	for _, doc := range d.Lists.Documents {
		sltd[doc.Issuer+"|"+ocrKey(doc.Number)] = true
	}
	// Given names are shared by design; in a full name, only the other words are surnames.
	given := map[string]bool{}
	for i := range cultures {
		for _, g := range cultures[i].givenTokens() {
			for _, f := range foldTokens(g) {
				given[f] = true
			}
		}
	}
	names := map[string]bool{}
	recTokens := map[string]bool{}
	givenYears := map[string][]int{}
	for _, p := range d.Lists.Notices {
		for _, n := range p.Names {
			names[nameKey(n.Surname, n.GivenNames, n.FullName)] = true
			for _, tok := range coreTokens(n.Surname) {
				recTokens[tok] = true
			}
			for _, tok := range coreTokens(n.FullName) {
				if !given[tok] {
					recTokens[tok] = true
				}
			}
			if n.GivenNames != "" {
				fg := fold(n.GivenNames)
				for _, b := range p.BirthDates {
					givenYears[fg] = append(givenYears[fg], b.Year)
				}
			}
		}
	}
	travTokens := map[string][]string{} // surname token -> subjects
	for i := range d.Manifests {
		m := &d.Manifests[i]
		for k := range m.Travellers {
			id := event.SubjectID(m.ID, k)
			if planted[id] {
				continue
			}
			tr := &m.Travellers[k]
			for _, doc := range tr.Documents {
				if sltd[doc.Issuer+"|"+ocrKey(doc.Number)] {
					t.Errorf("%s: unplanted traveller carries an SLTD number", id)
				}
			}
			if names[nameKey(tr.Surname, tr.GivenNames)] {
				t.Errorf("%s: unplanted traveller carries a record name", id)
			}
			if near[id] {
				continue
			}
			for _, y := range givenYears[fold(tr.GivenNames)] {
				if abs(y-tr.BirthDate.Year) < 10 {
					t.Errorf("%s: record given names, born within ten years of the record", id)
				}
			}
			for _, tok := range coreTokens(tr.Surname) {
				travTokens[tok] = append(travTokens[tok], id)
			}
		}
	}
	for tok, ids := range travTokens {
		for r := range recTokens {
			if tok == r || (len(tok) >= 4 && len(r) >= 4 && oneEdit(tok, r)) {
				t.Errorf("%s: surname within one edit of a record surname", ids[0])
			}
		}
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	cfg := smallConfig()
	cfg.Documents, cfg.Notices, cfg.Manifests = 400, 300, 40
	d, err := Generate(cfg)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	dir := t.TempDir()
	if err := d.WriteDir(dir); err != nil {
		t.Fatalf("WriteDir: %v", err)
	}
	got, err := ReadDir(dir)
	if err != nil {
		t.Fatalf("ReadDir: %v", err)
	}
	if diff := cmp.Diff(d, got, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("ReadDir(WriteDir(d)) mismatch (-want +got):\n%s", diff)
	}
}

func TestReadDirErrors(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.Documents, cfg.Notices, cfg.Manifests = 50, 20, 5
	d, err := Generate(cfg)
	if err != nil {
		t.Fatal(err)
	}
	secret := "ZZSECRETNAME"
	tests := []struct {
		name, file string
		line       int    // replace this line (1-based); 0 appends
		content    string // the replacement
		want       string
	}{
		{"bad json", FileNotices, 3, `{"id":"N1","names":[{"surname":"` + secret + `"}]`, "notices.jsonl line 3"},
		{"unknown field", FileSLTD, 2, `{"id":"D1","number":"` + secret + `","type":"P","issuer":"FRA","status":"lost","owner":"FRA","colour":"red"}`, "sltd.jsonl line 2"},
		{"invalid record", FileSLTD, 4, `{"id":"D1","number":"` + secret + `","type":"P","issuer":"FR","status":"lost","owner":"FRA"}`, "sltd.jsonl line 4: issuer"},
		{"invalid date", FileNotices, 1, `{"id":"N1","names":[{"surname":"` + secret + `"}],"birth_dates":["1980-13-01"]}`, "notices.jsonl line 1"},
		{"manifest without id", FileManifests, 2, `{"carrier":"AF","travellers":[{"surname":"` + secret + `"}]}`, "manifests.jsonl line 2: id"},
		{"bad planted", FilePlanted, 0, `{"subject_id":"M/1","database":"vehicles","record_id":"D1","variation":"exact"}`, "planted.jsonl line"},
		{"missing file", FileNearMisses, -1, "", "near_misses.jsonl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := d.WriteDir(dir); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join(dir, tt.file)
			if tt.line < 0 {
				if err := os.Remove(path); err != nil {
					t.Fatal(err)
				}
			} else {
				b, err := os.ReadFile(path)
				if err != nil {
					t.Fatal(err)
				}
				lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
				if tt.line == 0 {
					lines = append(lines, tt.content)
				} else {
					lines[tt.line-1] = tt.content
				}
				if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			_, err := ReadDir(dir)
			if err == nil {
				t.Fatal("ReadDir accepted a broken data set")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ReadDir error %q, want it to contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), secret) {
				t.Error("ReadDir error repeats a value from the file")
			}
		})
	}
}

func BenchmarkGenerate(b *testing.B) {
	for _, n := range []int{300, 10000} {
		cfg := DefaultConfig()
		cfg.Manifests = n
		b.Run(fmt.Sprintf("%d-manifests", n), func(b *testing.B) {
			b.ReportAllocs()
			travellers := 0
			for b.Loop() {
				d, err := Generate(cfg)
				if err != nil {
					b.Fatal(err)
				}
				travellers = 0
				for i := range d.Manifests {
					travellers += len(d.Manifests[i].Travellers)
				}
			}
			b.ReportMetric(float64(travellers), "travellers/op")
		})
	}
}
