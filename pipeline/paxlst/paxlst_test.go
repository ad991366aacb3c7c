package paxlst_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/paxlst"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// now is the reference date for inputs without a UNB date.
var now = time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)

type goldenMessage struct {
	Message  paxlst.Message `json:"message"`
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
	if err != nil || len(files) < 15 {
		t.Fatalf("want at least 15 testdata inputs, got %d (%v)", len(files), err)
	}
	for _, in := range files {
		name := strings.TrimSuffix(filepath.Base(in), ".edi")
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			b, err := os.ReadFile(in)
			if err != nil {
				t.Fatal(err)
			}
			res, err := paxlst.Options{Now: now}.Decode(b)
			var got []byte
			wantErr := strings.HasPrefix(name, "error_")
			switch {
			case wantErr && err == nil:
				t.Fatalf("decoding succeeded, want an error")
			case !wantErr && err != nil:
				t.Fatalf("decoding: %v", err)
			case err != nil:
				if !errors.Is(err, fault.ErrPoison) {
					t.Errorf("error is not marked poison: %v", err)
				}
				var se *edifact.SyntaxError
				if !errors.As(err, &se) {
					t.Errorf("error carries no *edifact.SyntaxError: %v", err)
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

// checkInvariants holds for every successful decode: every traveller NAD becomes exactly one
// traveller, in order, with a family name; every DOC becomes a document; with privacy set, no
// warning quotes a family name.
func checkInvariants(t *testing.T, b []byte, res *paxlst.Result, privacy bool) {
	t.Helper()
	toks, err := edifact.Tokenize(b)
	if err != nil {
		t.Fatalf("tokenizing a decodable input: %v", err)
	}
	nads, docs := 0, 0
	for _, s := range toks.Segments {
		switch {
		case s.Tag == "NAD" && s.Value(1, 1) != "MS": // as the decoder reads it: trimmed
			nads++
		case s.Tag == "DOC":
			docs++
		}
	}
	travellers, documents := 0, 0
	warnings := res.AllWarnings()
	for _, m := range res.Messages {
		travellers += len(m.Travellers)
		man := m.Manifest()
		if len(man.Travellers) != len(m.Travellers) {
			t.Errorf("message %s: manifest has %d travellers, message %d", m.Ref, len(man.Travellers), len(m.Travellers))
		}
		for _, tr := range m.Travellers {
			documents += len(tr.Documents)
			if tr.Surname == "" {
				t.Errorf("message %s: traveller at segment %d has no family name", m.Ref, tr.Segment)
			}
			for _, w := range warnings {
				if privacy && strings.Contains(w.Message, tr.Surname) {
					t.Errorf("warning quotes a family name: %s", w)
				}
			}
		}
	}
	if travellers != nads {
		t.Errorf("%d traveller NAD segments but %d travellers decoded", nads, travellers)
	}
	if documents != docs {
		t.Errorf("%d DOC segments but %d documents decoded", docs, documents)
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

func TestManifestMapping(t *testing.T) {
	t.Parallel()
	res, err := paxlst.Decode(read(t, "d05b_basic.edi"))
	if err != nil {
		t.Fatal(err)
	}
	got := res.Messages[0].Manifest()
	want := event.Manifest{
		ID: "000000001:PAX001", Carrier: "UA", Flight: "UA123",
		Legs: []event.Leg{{Departure: "FRA", Arrival: "IAD",
			DepartureAt: time.Date(2024, 6, 1, 13, 0, 0, 0, time.UTC), ArrivalAt: time.Date(2024, 6, 1, 16, 15, 0, 0, time.UTC)}},
		Travellers: []event.Traveller{
			{Role: event.RolePassenger, Person: event.Person{Surname: "MUSTERMANN", GivenNames: "ERIKA MARIA",
				BirthDate: event.Date{Year: 1964, Month: 8, Day: 12}, Sex: "F", Nationality: "DEU",
				Documents: []event.Document{{Type: "P", Number: "C01X00T47", Issuer: "DEU", Expiry: event.Date{Year: 2031, Month: 5, Day: 22}}}}},
			{Role: event.RolePassenger, Person: event.Person{Surname: "DOE", GivenNames: "JOHN",
				BirthDate: event.Date{Year: 1980, Month: 1, Day: 1}, Sex: "M", Nationality: "USA",
				Documents: []event.Document{
					{Type: "P", Number: "123456789", Issuer: "USA", Expiry: event.Date{Year: 2030, Month: 1, Day: 15}},
					{Type: "V", Number: "V1234567", Issuer: "USA", Expiry: event.Date{Year: 2025, Month: 1, Day: 1}}}}},
			{Role: event.RolePassenger, Person: event.Person{Surname: "EXAMPLE", GivenNames: "BABY",
				BirthDate: event.Date{Year: 2023, Month: 3, Day: 15}, Sex: "U", Nationality: "GBR",
				Documents: []event.Document{{Type: "P", Number: "999888777", Issuer: "GBR", Expiry: event.Date{Year: 2028, Month: 3, Day: 15}}}}},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Manifest mismatch (-want +got):\n%s", diff)
	}
}

// msg builds a one-message interchange around body segments.
func msg(unb string, body ...string) []byte {
	var b strings.Builder
	b.WriteString("UNA:+.? '\n" + unb + "'\nUNH+1+PAXLST:D:05B:UN:IATA'\n")
	for _, s := range body {
		b.WriteString(s + "'\n")
	}
	b.WriteString("UNT+" + strconv.Itoa(len(body)+2) + "+1'\nUNZ+1+R'\n")
	return []byte(b.String())
}

var flight = []string{"BGM+745", "TDT+20+XX1+++XX", "LOC+125+AAA", "DTM+189:2406011200:201", "LOC+87+BBB", "DTM+232:2406011400:201"}

func TestBirthDateCentury(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, unb, dtm string
		want           event.Date
	}{
		{"two-digit year last century", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:640812", event.Date{Year: 1964, Month: 8, Day: 12}},
		{"two-digit year this century", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:230315", event.Date{Year: 2023, Month: 3, Day: 15}},
		{"same year not yet reached is last century", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:241231", event.Date{Year: 1924, Month: 12, Day: 31}},
		{"same year already passed", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:240531", event.Date{Year: 2024, Month: 5, Day: 31}},
		{"born today", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:240601", event.Date{Year: 2024, Month: 6, Day: 1}},
		{"reference from a CCYYMMDD UNB", "UNB+UNOA:4+A+B+20100101:1200+R", "DTM+329:150101", event.Date{Year: 1915, Month: 1, Day: 1}},
		{"four-digit year kept", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:19150101:102", event.Date{Year: 1915, Month: 1, Day: 1}},
		{"unknown day", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:750300", event.Date{Year: 1975, Month: 3}},
		{"unknown month and day", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:75XXXX", event.Date{Year: 1975}},
		{"year only format", "UNB+UNOA:4+A+B+240601:1200+R", "DTM+329:1975:602", event.Date{Year: 1975}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			body := append(append([]string{}, flight...), "NAD+FL+++DOE:J", tt.dtm, "CNT+42:1")
			res, err := paxlst.Decode(msg(tt.unb, body...))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, res.Messages[0].Travellers[0].BirthDate); diff != "" {
				t.Errorf("birth date mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestLocatedErrors(t *testing.T) {
	t.Parallel()
	unb := "UNB+UNOA:4+A+B+240601:1200+R"
	tests := []struct {
		name string
		body []string
		want string
	}{
		{"no BGM", flight[1:], "segment 2 (UNH) line 3: the message has no BGM: its list type (passengers or crew) is unknown"},
		{"second BGM", append(append([]string{}, flight...), "BGM+745"), "segment 9 (BGM) line 10: a second BGM in the message"},
		{"NAT outside traveller", append(append([]string{}, flight...), "NAT+2+USA"), "segment 9 (NAT) line 10: segment outside a traveller group (no NAD+FL or NAD+FM before it)"},
		{"TDT qualifier", []string{"BGM+745", "TDT+12+XX1"}, "segment 4 (TDT) line 5 element 1: the transport stage qualifier is not 20 (main carriage)"},
		{"TDT without number", []string{"BGM+745", "TDT+20++++XX"}, "segment 4 (TDT) line 5 element 2: the journey identifier (flight or voyage number) is missing"},
		{"DTM before LOC", []string{"BGM+745", "TDT+20+XX1", "DTM+189:2406011200:201"}, "segment 5 (DTM) line 6 element 1.1: a departure or arrival time without a LOC before it"},
		{"bad flight time", []string{"BGM+745", "TDT+20+XX1", "LOC+125+AAA", "DTM+189:2406011260:201"}, "segment 6 (DTM) line 7 element 1.2: the date is not a calendar date and time in its format"},
		{"bad format code", append(append([]string{}, flight...), "NAD+FL+++DOE", "DTM+329:800101:999"), "segment 10 (DTM) line 11 element 1.3: the date format code is not one of 101, 102, 201, 203, 204, 602 or 610"},
		{"format length mismatch", append(append([]string{}, flight...), "NAD+FL+++DOE", "DTM+329:800101:102"), "segment 10 (DTM) line 11 element 1.2: the date does not have the length its format code requires"},
		{"expiry without DOC", append(append([]string{}, flight...), "NAD+FL+++DOE", "DTM+36:300101"), "segment 10 (DTM) line 11 element 1.1: a document date without a DOC before it"},
		{"DOC without type", append(append([]string{}, flight...), "NAD+FL+++DOE", "DOC++123"), "segment 10 (DOC) line 11 element 1.1: the document type code is missing"},
		{"NAT without code", append(append([]string{}, flight...), "NAD+FL+++DOE", "NAT+2"), "segment 10 (NAT) line 11 element 2.1: the nationality code is missing"},
		{"given names only", append(append([]string{}, flight...), "NAD+FL+++:JOHN"), "segment 9 (NAD) line 10 element 4.1: the family name is missing (given names are present)"},
		{"LOC outside groups", []string{"BGM+745", "LOC+125+AAA"}, "segment 4 (LOC) line 5: LOC outside a transport group (TDT) or a traveller group (NAD)"},
		{"unknown flight LOC", []string{"BGM+745", "TDT+20+XX1", "LOC+5+AAA"}, "segment 5 (LOC) line 6 element 1: the location function code is not 125, 87, 92 or 130 in a transport group"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := paxlst.Decode(msg(unb, tt.body...))
			if err == nil {
				t.Fatal("decoding succeeded, want an error")
			}
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
	_, err := paxlst.Decode(b)
	if !errors.Is(err, paxlst.ErrMissingPart) {
		t.Fatalf("got %v, want ErrMissingPart", err)
	}
	res, err := paxlst.Options{Partial: true}.Decode(b)
	if err != nil {
		t.Fatal(err)
	}
	m := res.Messages[0]
	if m.Complete || !cmp.Equal(m.Parts, []int{1, 3}) || len(m.Travellers) != 3 {
		t.Fatalf("partial message: complete %v parts %v travellers %d; want false [1 3] 3", m.Complete, m.Parts, len(m.Travellers))
	}
	found := false
	for _, w := range m.Warnings {
		found = found || strings.Contains(w.Message, "part 2 of 3 is missing")
	}
	if !found {
		t.Errorf("no warning names the missing part: %v", m.Warnings)
	}
}

// TestAssembleAcrossInterchanges splits the out-of-order multi-part corpus into one
// interchange per part, decodes each with Partial, and joins them with Assemble in every order.
func TestAssembleAcrossInterchanges(t *testing.T) {
	t.Parallel()
	whole, err := paxlst.Decode(read(t, "multipart_out_of_order.edi"))
	if err != nil {
		t.Fatal(err)
	}
	ic, err := edifact.Parse(read(t, "multipart_out_of_order.edi"))
	if err != nil {
		t.Fatal(err)
	}
	var parts []paxlst.Message
	for i, m := range ic.Messages {
		var b strings.Builder
		b.WriteString("UNB+UNOA:4+CX:ZZ+CBSA:ZZ+240601:1500+CX0601'\n")
		for _, s := range append(append([]edifact.Segment{m.Header}, m.Body...), m.Trailer) {
			b.WriteString(s.Tag + "+" + s.Text(ic.Separators) + "'\n")
		}
		b.WriteString("UNZ+1+CX0601'\n")
		res, err := paxlst.Options{Partial: true}.Decode([]byte(b.String()))
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		parts = append(parts, res.Messages[0])
	}
	if _, err := paxlst.Assemble(parts[0], parts[1]); !errors.Is(err, paxlst.ErrMissingPart) {
		t.Errorf("two of three parts: got %v, want ErrMissingPart", err)
	}
	for _, order := range [][]int{{0, 1, 2}, {2, 1, 0}, {1, 2, 0}} {
		got, err := paxlst.Assemble(parts[order[0]], parts[order[1]], parts[order[2]])
		if err != nil {
			t.Fatalf("order %v: %v", order, err)
		}
		if !got.Complete {
			t.Errorf("order %v: not complete", order)
		}
		if diff := cmp.Diff(whole.Messages[0].Manifest().Travellers, got.Manifest().Travellers); diff != "" {
			t.Errorf("order %v: travellers differ from the single-interchange decode (-want +got):\n%s", order, diff)
		}
	}
	half, _ := paxlst.Assemble(parts[0], parts[1])
	if got, err := paxlst.Assemble(half, parts[2]); err != nil || !got.Complete || len(got.Travellers) != 5 {
		t.Errorf("assembling an incomplete assembly with the last part: complete %v travellers %d err %v", got.Complete, len(got.Travellers), err)
	}
	if _, err := paxlst.Assemble(parts[0], parts[0], parts[1], parts[2]); err == nil || errors.Is(err, paxlst.ErrMissingPart) {
		t.Errorf("a part twice: got %v, want an inconsistency error", err)
	}
}

// FuzzPAXLST decodes arbitrary bytes. Invariants: never panics; decoding is deterministic (the
// same input gives the same result or the same error); an error is a located
// *edifact.SyntaxError marked poison; on success every traveller NAD segment is exactly one
// traveller, every DOC one document, every traveller has a family name, and every string is
// valid UTF-8.
func FuzzPAXLST(f *testing.F) {
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
		opts := paxlst.Options{Now: now}
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
	for _, name := range []string{"d05b_basic.edi", "large_300.edi", "multipart_out_of_order.edi"} {
		data := read(b, name)
		res, err := paxlst.Decode(data)
		if err != nil {
			b.Fatal(err)
		}
		travellers := 0
		for _, m := range res.Messages {
			travellers += len(m.Travellers)
		}
		b.Run(strings.TrimSuffix(name, ".edi"), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				if _, err := paxlst.Decode(data); err != nil {
					b.Fatal(err)
				}
			}
			sec := b.Elapsed().Seconds()
			b.ReportMetric(float64(b.N*len(res.Messages))/sec, "messages/s")
			b.ReportMetric(float64(b.N*travellers)/sec, "travellers/s")
		})
	}
}
