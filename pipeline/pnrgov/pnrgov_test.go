package pnrgov_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/pnrgov"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

var now = time.Date(2024, 6, 27, 8, 0, 0, 0, time.UTC)

type goldenMessage struct {
	Message  pnrgov.Message `json:"message"`
	Manifest event.Manifest `json:"manifest"`
}

type goldenResult struct {
	Messages []goldenMessage   `json:"messages"`
	Warnings []edifact.Warning `json:"warnings"`
}

// TestGolden decodes every testdata/*.edi and compares the result (JSON) or the error (text)
// with the .golden file beside it. Inputs named error_* must fail.
func TestGolden(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.edi")
	if err != nil || len(files) < 10 {
		t.Fatalf("want at least 10 testdata inputs, got %d (%v)", len(files), err)
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".edi")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := pnrgov.Options{Now: now}.Decode(b)
			var got []byte
			wantErr := strings.HasPrefix(name, "error_")
			switch {
			case wantErr && err == nil:
				t.Fatalf("decoding succeeded, want an error")
			case !wantErr && err != nil:
				t.Fatalf("decoding: %v", err)
			case err != nil:
				var se *edifact.SyntaxError
				if !errors.As(err, &se) || !errors.Is(err, fault.ErrPoison) {
					t.Errorf("error is not a poison *edifact.SyntaxError: %v", err)
				}
				got = []byte(err.Error() + "\n")
			default:
				checkInvariants(t, b, res, true)
				g := goldenResult{Messages: []goldenMessage{}, Warnings: res.Warnings}
				for _, m := range res.Messages {
					g.Messages = append(g.Messages, goldenMessage{Message: m, Manifest: m.Manifest()})
				}
				got, err = json.MarshalIndent(g, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, '\n')
			}
			gf := filepath.Join("testdata", name+".golden")
			if *update {
				if err := os.WriteFile(gf, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(gf)
			if err != nil {
				t.Fatalf("reading golden file (run with -update to create it): %v", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("decoded output differs from %s (-want +got):\n%s", gf, diff)
			}
		})
	}
}

// checkInvariants holds for every successful decode: every TIF segment is a traveller group
// (its names, infants included, become travellers) or names a checked-in traveller; every SSR
// DOCS is a document of exactly one traveller; every traveller has a family name; the manifest
// lists every traveller; no warning quotes a family name.
func checkInvariants(t *testing.T, b []byte, res *pnrgov.Result, privacy bool) {
	t.Helper()
	toks, err := edifact.Tokenize(b)
	if err != nil {
		t.Fatalf("tokenizing a decodable input: %v", err)
	}
	tifNames := map[int]int{} // TIF segment -> names it holds
	docs := 0
	for _, s := range toks.Segments {
		switch s.Tag {
		case "TIF":
			n := 1
			for i := 3; i <= len(s.Elements); i++ {
				if strings.TrimSpace(s.Component(i, 1)) != "" {
					n++
				}
			}
			tifNames[s.Index] = n
		case "SSR":
			if strings.EqualFold(strings.TrimSpace(s.Component(1, 1)), "DOCS") {
				docs++
			}
		}
	}
	fromTIF := map[int]int{}
	checkIns := map[int]bool{}
	documents := 0
	warnings := res.AllWarnings()
	for _, m := range res.Messages {
		all := 0
		for _, p := range m.PNRs {
			for _, it := range p.Itinerary {
				for _, c := range it.CheckIns {
					if c.TIFSegment > 0 {
						checkIns[c.TIFSegment] = true
					}
				}
			}
			for _, tr := range p.Travellers {
				all++
				if tr.Source == "tif" {
					fromTIF[tr.Segment]++
				}
				documents += len(tr.Documents)
				if tr.Surname == "" {
					t.Errorf("PNR %s: a traveller without family name", p.Locator)
				}
				for _, w := range warnings {
					if privacy && strings.Contains(w.Message, tr.Surname) {
						t.Errorf("warning quotes a family name: %s", w)
					}
				}
			}
		}
		if got := len(m.Manifest().Travellers); got != all {
			t.Errorf("message %s: manifest has %d travellers, PNRs %d", m.Ref, got, all)
		}
	}
	for seg, n := range tifNames {
		switch {
		case checkIns[seg]:
			if fromTIF[seg] != 0 {
				t.Errorf("TIF segment %d is both a check-in and a traveller group", seg)
			}
		case fromTIF[seg] != n:
			t.Errorf("TIF segment %d holds %d names but %d travellers came from it", seg, n, fromTIF[seg])
		}
	}
	if documents != docs {
		t.Errorf("%d SSR DOCS but %d documents on travellers", docs, documents)
	}
}

func read(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestTravellersForScreening(t *testing.T) {
	t.Parallel()
	res, err := pnrgov.Options{Now: now}.Decode(read(t, "infants.edi"))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Messages[0].Travellers()
	type who struct {
		Surname, Given, Sex, Nat, Birth, Doc string
	}
	var gotWho []who
	for _, tr := range got {
		w := who{tr.Surname, tr.GivenNames, tr.Sex, tr.Nationality, tr.BirthDate.String(), ""}
		if len(tr.Documents) > 0 {
			w.Doc = tr.Documents[0].Type + "/" + tr.Documents[0].Issuer + "/" + tr.Documents[0].Number
		}
		if tr.Role != event.RolePassenger {
			t.Errorf("role %s, want passenger", tr.Role)
		}
		gotWho = append(gotWho, w)
	}
	want := []who{
		{"JANSEN", "SARA", "F", "NLD", "1988-05-05", "P/NLD/NA1111111"},
		{"JANSEN", "LOTTE", "F", "NLD", "2024-01-10", "P/NLD/NA2222222"},
		{"JANSEN", "PIETER", "M", "NLD", "1986-06-06", "P/NLD/NA3333333"},
		{"JANSEN", "BRAM", "M", "NLD", "2024-02-02", "P/NLD/NA4444444"},
		{"KAYA", "ELIF", "F", "TUR", "1990-01-01", "P/TUR/U11111111"},
		{"KAYA", "DENIZ", "F", "TUR", "2024-03-15", "P/TUR/U22222222"},
	}
	if diff := cmp.Diff(want, gotWho); diff != "" {
		t.Errorf("screened travellers mismatch (-want +got):\n%s", diff)
	}
	if n := len(got[5].Documents); n != 2 {
		t.Errorf("the infant's visa (DOCO with infant flag) is not among its documents: %d documents", n)
	}
}

func TestLocatedErrors(t *testing.T) {
	t.Parallel()
	build := func(body ...string) []byte {
		var b strings.Builder
		b.WriteString("UNB+IATA:1+KL+GOV+240627:0800+R'\nUNH+1+PNRGOV:11:1:IA'\nMSG+:22'\nTVL+270624:0900:270624:1130+AMS+JFK+KL+0601'\nSRC'\nRCI+KL:A1::010624:1200'\n")
		for _, s := range body {
			b.WriteString(s + "'\n")
		}
		b.WriteString("UNT+9+1'\nUNZ+1+R'\n")
		return []byte(b.String())
	}
	tests := []struct {
		name string
		body []string
		want string
	}{
		{"expiry not a date", []string{"TIF+DOE+J:A:1", "SSR+DOCS:HK:1:KL:::::/P/USA/1/USA/01JAN80/M/1JAN30/DOE/J"},
			"segment 8 (SSR) line 8 element 1.9: SSR DOCS field 7 (expiry date) is not DDMMMYY"},
		{"month not a month", []string{"TIF+DOE+J:A:1", "SSR+DOCS:HK:1:KL:::::/P/USA/1/USA/01JAX80/M/01JAN30/DOE/J"},
			"segment 8 (SSR) line 8 element 1.9: SSR DOCS field 5 (date of birth) is not DDMMMYY"},
		{"number without type", []string{"TIF+DOE+J:A:1", "SSR+DOCS:HK:1:KL:::::/ /USA/1/USA/01JAN80/M/01JAN30/DOE/J"},
			"segment 8 (SSR) line 8 element 1.9: SSR DOCS field 1 (document type) is missing for a document number"},
		{"DOCO issue date", []string{"TIF+DOE+J:A:1", "SSR+DOCO:HK:1:KL:::::/X/V/1/X/32JAN20/USA"},
			"segment 8 (SSR) line 8 element 1.9: SSR DOCO field 5 (issue date) is not DDMMMYY"},
		{"free text in component 6", []string{"TIF+DOE+J:A:1", "SSR+DOCS:HK:1:KL::/P/USA/1/USA/01JAN80/Z/01JAN30/DOE/J"},
			"segment 8 (SSR) line 8 element 1.6: SSR DOCS field 6 (sex) is not M, F, MI, FI, U or X"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := pnrgov.Decode(build(tt.body...))
			var se *edifact.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("no *edifact.SyntaxError in %v", err)
			}
			if diff := cmp.Diff(tt.want, se.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestMissingPart(t *testing.T) {
	t.Parallel()
	b := read(t, "error_multipart_missing.edi")
	if _, err := pnrgov.Decode(b); !errors.Is(err, pnrgov.ErrMissingPart) {
		t.Fatalf("got %v, want ErrMissingPart", err)
	}
	res, err := pnrgov.Options{Partial: true, Now: now}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	if m := res.Messages[0]; m.Complete || len(m.PNRs) != 2 {
		t.Errorf("partial message: complete %v, %d PNRs; want false, 2", m.Complete, len(m.PNRs))
	}
}

// FuzzPNRGOV decodes arbitrary bytes. Invariants: never panics; decoding is deterministic; an
// error is a located *edifact.SyntaxError marked poison; on success every TIF name outside a
// check-in group is a traveller, every SSR DOCS a document of one traveller, every traveller
// has a family name, and every string is valid UTF-8.
func FuzzPNRGOV(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.edi")
	for _, in := range files {
		if strings.Contains(in, "large") {
			continue
		}
		b, err := os.ReadFile(in)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		opts := pnrgov.Options{Now: now}
		res, err := opts.Decode(b)
		res2, err2 := opts.Decode(b)
		if (err == nil) != (err2 == nil) {
			t.Fatalf("non-deterministic: %v then %v", err, err2)
		}
		if err != nil {
			if err.Error() != err2.Error() {
				t.Fatalf("non-deterministic error: %q then %q", err, err2)
			}
			var se *edifact.SyntaxError
			if !errors.As(err, &se) || !errors.Is(err, fault.ErrPoison) {
				t.Fatalf("error is not a poison *edifact.SyntaxError: %v", err)
			}
			return
		}
		j1, _ := json.Marshal(res)
		j2, _ := json.Marshal(res2)
		if !bytes.Equal(j1, j2) {
			t.Fatal("non-deterministic result")
		}
		if !utf8.Valid(j1) {
			t.Fatal("decoded strings are not valid UTF-8")
		}
		checkInvariants(t, b, res, false) // fuzzed names can be any substring of a message
	})
}

func BenchmarkDecode(b *testing.B) {
	for _, name := range []string{"basic_two_pnrs.edi", "large_100.edi"} {
		data := read(b, name)
		res, err := pnrgov.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		pnrs, travellers := 0, 0
		for _, m := range res.Messages {
			pnrs += len(m.PNRs)
			travellers += len(m.Travellers())
		}
		b.Run(strings.TrimSuffix(name, ".edi"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := pnrgov.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*pnrs)/sec, "pnrs/s")
			b.ReportMetric(float64(b.N*travellers)/sec, "travellers/s")
		})
	}
}
