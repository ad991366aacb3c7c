package jsonl_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
)

func TestReadDir(t *testing.T) {
	t.Parallel()
	set, err := jsonl.ReadDir("testdata/lists")
	if err != nil {
		t.Fatal(err)
	}
	want := &watchlist.Set{
		Documents: []watchlist.Document{
			{ID: "SLTD-1", Number: "X1234567", Type: "P", Issuer: "FRA", Status: watchlist.StatusStolen, Owner: "FRA"},
			{ID: "SLTD-2", Number: "BL000100", NumberTo: "BL000199", Type: "P", Issuer: "ITA", Status: watchlist.StatusStolenBlank, Owner: "ITA"},
			{ID: "SLTD-3", Number: "C99-001", Type: "I", Issuer: "D<<", Status: watchlist.StatusRevoked, Owner: "DEU"},
		},
		Notices: []watchlist.Person{
			{ID: "N-1", NoticeType: watchlist.NoticeRed, Names: []watchlist.Name{{Surname: "Moreau", GivenNames: "Luc"}, {FullName: "Lucky", Weak: true}},
				BirthDates: []event.Date{{Year: 1980, Month: 5, Day: 17}, {Year: 1980}}, Nationalities: []string{"FRA"}, Sex: "M", Owner: "FRA"},
			{ID: "N-2", NoticeType: watchlist.NoticeYellow, Names: []watchlist.Name{{Surname: "Lind"}}, BirthDates: []event.Date{{Year: 2009, Month: 3}}, Sex: "F", Owner: "SWE"},
		},
		Nominals: []watchlist.Person{
			{ID: "NOM-1", Names: []watchlist.Name{{Surname: "Kowalski", GivenNames: "Tomasz"}}, BirthDates: []event.Date{{Year: 1977}}, Nationalities: []string{"POL"}, Sex: "U", Owner: "POL"},
		},
		TDAWN: []watchlist.TravelDocument{{ID: "T-1", Number: "18FV40721", Type: "P", Issuer: "FRA", NoticeID: "N-1", Owner: "FRA"}},
		Vehicles: []watchlist.Vehicle{
			{ID: "SMV-1", VIN: "WVWZZZ1JZ3W386752", Plate: "AB-123-CD", PlateCountry: "FRA", Make: "Volkswagen", Model: "Golf", PartSerials: []string{"M47 1234567"}, Owner: "FRA"},
			{ID: "SMV-2", Plate: "KA 4711", PlateCountry: "DEU", Owner: "DEU"},
		},
		Vessels: []watchlist.Vessel{
			{ID: "SVD-1", IMO: "IMO 9074729", Name: "Sea Star", EngineSerials: []string{}, Owner: "NOR"},
			{ID: "SVD-2", HIN: "US-ABC12345D404", EngineSerials: []string{"6AH-1012345"}, Owner: "USA"},
		},
		Firearms: []watchlist.Firearm{{ID: "IA-1", Serial: "DKL 4562", Make: "S&W", Model: "M&P 9", Calibre: "9mm", Owner: "USA"}},
	}
	if diff := cmp.Diff(want, set); diff != "" {
		t.Fatalf("set mismatch (-want +got):\n%s", diff)
	}
	if snap := index.Build(1, set); snap.Skipped() != 0 {
		t.Errorf("Build skipped %d records the reader accepted", snap.Skipped())
	}
}

// TestReadDirScreen runs the files end to end: lists and subjects read from testdata, indexed
// and screened, as `watchpost screen` does.
func TestReadDirScreen(t *testing.T) {
	t.Parallel()
	set, err := jsonl.ReadDir("testdata/lists")
	if err != nil {
		t.Fatal(err)
	}
	snap := index.Build(1, set)
	m, err := match.New(match.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open("testdata/subjects.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var got []string
	for s, err := range jsonl.ReadSubjects(f) {
		if err != nil {
			t.Fatal(err)
		}
		for _, h := range m.Screen(snap, &s) {
			got = append(got, fmt.Sprintf("%s %s %s", h.SubjectID, h.Database, h.RecordID))
		}
	}
	want := []string{
		"p1 notices N-1", "p1 tdawn T-1", // equal scores: database order
		"v1 vehicles SMV-1",
		"s1 vessels SVD-1",
		"f1 firearms IA-1",
		// p2 gives only a full_name and no birth date: its name alone stays under the
		// nominal threshold (match.TestFullNameOnlySubject shows a full name with a date hits).
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("hits mismatch (-want +got):\n%s", diff)
	}
}

func TestReadDirMissing(t *testing.T) {
	t.Parallel()
	set, err := jsonl.ReadDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(&watchlist.Set{}, set); diff != "" {
		t.Errorf("empty directory gave (-want +got):\n%s", diff)
	}
	if _, err := jsonl.ReadDir(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Error("a missing directory must be an error")
	}
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := jsonl.ReadDir(file); err == nil {
		t.Error("a file is not a lists directory")
	}
}

// secret marks values in the bad lines below: no error may repeat it.
const secret = "ZQXJ"

func TestReadErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		line string
		want []string // every error, in order
	}{
		{"malformed json", jsonl.FileSLTD, `{"id":"ZQXJ",`, []string{"sltd.jsonl:1: malformed JSON"}},
		{"not an object", jsonl.FileSLTD, `["ZQXJ"]`, []string{"sltd.jsonl:1: not a JSON object"}},
		{"null", jsonl.FileSLTD, `null`, []string{"sltd.jsonl:1: not a JSON object"}},
		{"two values", jsonl.FileSLTD, `{"id":"a"} {"id":"ZQXJ"}`, []string{"sltd.jsonl:1: more than one JSON value on the line"}},
		{"invalid utf-8", jsonl.FileSLTD, "{\"id\":\"\xff\"}", []string{"sltd.jsonl:1: not valid UTF-8"}},
		{"sltd everything wrong", jsonl.FileSLTD, `{"id":7,"number":"--","number_to":"ZQXJ","type":"12","issuer":"FR","status":"misplaced","owner":"ZQXJ1","extra":"ZQXJ"}`, []string{
			"sltd.jsonl:1: id: want a string",
			"sltd.jsonl:1: number: want letters and digits (at most 63 once spaces and punctuation are dropped)",
			"sltd.jsonl:1: number_to: want the last number of the range: same length and prefix as number, a numeric suffix, after number",
			"sltd.jsonl:1: type: want an ICAO document code (letters)",
			"sltd.jsonl:1: issuer: want an ISO 3166 alpha-3 code",
			"sltd.jsonl:1: status: want stolen, lost, stolen_blank, revoked or invalidated",
			"sltd.jsonl:1: owner: want an ISO 3166 alpha-3 code",
			"sltd.jsonl:1: extra: unknown field",
		}},
		{"sltd missing fields", jsonl.FileSLTD, `{}`, []string{
			"sltd.jsonl:1: id: required",
			"sltd.jsonl:1: number: required",
			"sltd.jsonl:1: issuer: required",
			"sltd.jsonl:1: status: want stolen, lost, stolen_blank, revoked or invalidated",
			"sltd.jsonl:1: owner: required",
		}},
		{"sltd backwards range", jsonl.FileSLTD, `{"id":"a","number":"AB200","number_to":"AB100","issuer":"FRA","status":"stolen_blank","owner":"FRA"}`,
			[]string{"sltd.jsonl:1: number_to: want the last number of the range: same length and prefix as number, a numeric suffix, after number"}},
		{"mis-cased and value-like keys", jsonl.FileSLTD, `{"ID":"a","ZQXJ Smith":1,"id":"b","number":"X1","issuer":"FRA","status":"lost","owner":"FRA"}`, []string{
			"sltd.jsonl:1: ID: unknown field (field names are lower-case)",
			"sltd.jsonl:1: (unnamed): unknown field",
		}},
		{"notice names", jsonl.FileNotices, `{"id":"n","notice_type":"pink","names":[{"surname":"ZQXJ","full_name":"ZQXJ"},{"given_names":5},{"nick":"ZQXJ"},"ZQXJ"],"birth_dates":["1980-13-01",1980],"nationalities":["ZQXJ",""],"sex":"X","owner":"FRA"}`, []string{
			"notices.jsonl:1: names[3]: want a JSON object",
			"notices.jsonl:1: names[0]: want surname and/or given_names, or full_name alone",
			"notices.jsonl:1: names[1].given_names: want a string",
			"notices.jsonl:1: names[2].nick: unknown field",
			"notices.jsonl:1: names[2]: want surname and/or given_names, or full_name alone",
			"notices.jsonl:1: birth_dates[1]: want a string",
			"notices.jsonl:1: birth_dates[0]: want YYYY, YYYY-MM or YYYY-MM-DD (a real date)",
			"notices.jsonl:1: nationalities[1]: empty value",
			"notices.jsonl:1: nationalities[0]: want an ISO 3166 alpha-3 code",
			"notices.jsonl:1: sex: want M, F or U",
			"notices.jsonl:1: notice_type: want red, yellow, blue, green, un_special, black, orange or purple",
		}},
		{"notice without names", jsonl.FileNotices, `{"id":"n","notice_type":"red","names":[],"owner":"FRA"}`, []string{"notices.jsonl:1: names: at least one name required"}},
		{"nominal with a notice type", jsonl.FileNominals, `{"id":"n","notice_type":"red","names":[{"surname":"ZQXJ"}],"owner":"FRA"}`, []string{"nominals.jsonl:1: notice_type: unknown field"}},
		{"tdawn", jsonl.FileTDAWN, `{"id":"t","number":"ZQXJ1","issuer":"FRA","owner":"FRA"}`, []string{"tdawn.jsonl:1: notice_id: required"}},
		{"vehicle nothing to match", jsonl.FileVehicles, `{"id":"v","make":"ZQXJ","owner":"FRA"}`, []string{"vehicles.jsonl:1: vin: one of vin, plate or part_serials required"}},
		{"vehicle bad identifiers", jsonl.FileVehicles, `{"id":"v","vin":"ZQXJ*","plate":"--","plate_country":"ZQXJ","part_serials":["ZQXJ",""],"owner":"FRA"}`, []string{
			"vehicles.jsonl:1: part_serials[1]: empty value",
			"vehicles.jsonl:1: vin: want at least 6 letters and digits, no unreadable-character marker",
			"vehicles.jsonl:1: plate: empty value",
			"vehicles.jsonl:1: plate_country: want an ISO 3166 alpha-3 code",
			"vehicles.jsonl:1: part_serials[0]: want at least 5 letters and digits",
		}},
		{"vehicle too long", jsonl.FileVehicles, `{"id":"v","vin":"WVWZZZ1JZ3W386752","model":"` + strings.Repeat("ZQXJ", 70) + `","owner":"FRA"}`, []string{"vehicles.jsonl:1: model: longer than 255 bytes"}},
		{"vessel", jsonl.FileVessels, `{"id":"s","imo":"ZQXJ123","hin":"ZQXJ","engine_serials":"ZQXJ12345","owner":"FRA"}`, []string{
			"vessels.jsonl:1: engine_serials: want an array of strings",
			"vessels.jsonl:1: imo: want seven digits, optionally prefixed with IMO",
			"vessels.jsonl:1: hin: want at least 5 letters and digits",
		}},
		{"firearm", jsonl.FileFirearms, `{"id":"f","serial":"Z-Q","make":true,"owner":"FRA"}`, []string{
			"firearms.jsonl:1: make: want a string",
			"firearms.jsonl:1: serial: want at least 3 letters and digits",
		}},
		{"firearm without serial", jsonl.FileFirearms, `{"id":"f","owner":"FRA"}`, []string{"firearms.jsonl:1: serial: required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, tt.file), []byte(tt.line+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			set, err := jsonl.ReadDir(dir)
			if err == nil {
				t.Fatalf("no error; set %+v", set)
			}
			if set != nil {
				t.Error("a set returned with an error")
			}
			if strings.Contains(err.Error(), secret) {
				t.Errorf("an error repeats a value:\n%v", err)
			}
			if diff := cmp.Diff(tt.want, strings.Split(err.Error(), "\n")); diff != "" {
				t.Errorf("errors mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

// TestReadDirReportsEverything: one bad file spoils nothing else's errors, every bad line of
// every file is reported, duplicates are caught, and nothing is returned.
func TestReadDirReportsEverything(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name string, lines ...string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Join(lines, "\n")), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	write(jsonl.FileSLTD,
		`{"id":"a","number":"X1","issuer":"FRA","status":"lost","owner":"FRA"}`,
		`{"id":"b","number":"X2","issuer":"FRA","status":"gone","owner":"FRA"}`,
		``,
		`{"id":"a","number":"X3","issuer":"FRA","status":"lost","owner":"FRA"}`)
	write(jsonl.FileFirearms, `{"id":"f","serial":"12","owner":"FRA"}`, "\r", `{"id":"g","serial":"ABC123","owner":"FRA","x":1}`+"\r")
	write(jsonl.FileVessels, `{"id":"s","imo":"9074729","owner":"NOR"}`) // good, and no trailing newline
	set, err := jsonl.ReadDir(dir)
	if set != nil || err == nil {
		t.Fatalf("ReadDir = %v, %v; want nil and an error", set, err)
	}
	want := []string{
		"sltd.jsonl:2: status: want stolen, lost, stolen_blank, revoked or invalidated",
		"sltd.jsonl:4: id: duplicate id (first on line 1)",
		"firearms.jsonl:1: serial: want at least 3 letters and digits",
		"firearms.jsonl:3: x: unknown field",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors mismatch (-want +got):\n%s", diff)
	}
}

func TestReadErrorsCapped(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	for i := range jsonl.MaxErrorsPerFile + 5 {
		fmt.Fprintf(&b, `{"id":"x%d"}`+"\n", i)
	}
	_, err := jsonl.ReadFirearms(strings.NewReader(b.String()), "firearms.jsonl")
	if err == nil {
		t.Fatal("no error")
	}
	lines := strings.Split(err.Error(), "\n")
	// Each listed line has two errors (serial, owner); the cap counts lines.
	if got, want := len(lines), 2*jsonl.MaxErrorsPerFile+1; got != want {
		t.Fatalf("%d error lines, want %d", got, want)
	}
	if last := lines[len(lines)-1]; last != "firearms.jsonl: 5 more bad lines not listed" {
		t.Errorf("last error = %q", last)
	}
}

func TestReadSubjects(t *testing.T) {
	t.Parallel()
	input := strings.Join([]string{
		`{"id":"p","kind":"person","surname":"Moreau","given_names":"Luc","birth_date":"1980-05","nationality":"fra","sex":"M","documents":[{"type":"P","number":"X1","issuer":"D","expiry":"2030-01-01"}]}`,
		`{"id":"f","kind":"person","full_name":"Luc Moreau"}`,
		``,
		`{"id":"v","kind":"vehicle","vin":"WVW?ZZ1JZ3W386752","plate":"AB123","plate_country":"FRA","make":"VW","part_serials":["M471234567"]}`,
		`{"id":"s","kind":"vessel","imo":"9074729","hin":"ABC12345D404","engine_serials":["6AH1012345"],"name":"Sea Star"}`,
		`{"id":"a","kind":"firearm","serial":"DKL4562","make":"S&W","model":"M&P9","calibre":"9mm"}`,
		`{"id":"bad1","kind":"person","vin":"ZQXJ","surname":"ZQXJ","full_name":"ZQXJ","birth_date":"ZQXJ"}`,
		`{"id":"bad2","kind":"robot","serial":"ZQXJ"}`,
		`{"id":"bad3","kind":"vehicle","vin":"WV**ZQXJ"}`,
		`{"id":"p","kind":"firearm","serial":"ABC"}`,
		`{"kind":"vessel","documents":[]}`,
		`{"id":"last","kind":"firearm","serial":"ABC123"}`, // no trailing newline
	}, "\n")
	type result struct {
		Subject event.Subject
		Err     string
	}
	var got []result
	for s, err := range jsonl.ReadSubjects(strings.NewReader(input)) {
		r := result{Subject: s}
		if err != nil {
			r.Err = err.Error()
			if strings.Contains(r.Err, secret) {
				t.Errorf("an error repeats a value: %v", err)
			}
		}
		got = append(got, r)
	}
	want := []result{
		{Subject: event.Subject{ID: "p", EventID: "p", Kind: event.KindPerson, Person: &event.Person{Surname: "Moreau", GivenNames: "Luc", BirthDate: event.Date{Year: 1980, Month: 5}, Nationality: "fra", Sex: "M",
			Documents: []event.Document{{Type: "P", Number: "X1", Issuer: "D", Expiry: event.Date{Year: 2030, Month: 1, Day: 1}}}}}},
		{Subject: event.Subject{ID: "f", EventID: "f", Kind: event.KindPerson, Person: &event.Person{FullName: "Luc Moreau"}}},
		{Subject: event.Subject{ID: "v", EventID: "v", Kind: event.KindVehicle, Vehicle: &event.Vehicle{VIN: "WVW?ZZ1JZ3W386752", Plate: "AB123", PlateCountry: "FRA", Make: "VW", PartSerials: []string{"M471234567"}}}},
		{Subject: event.Subject{ID: "s", EventID: "s", Kind: event.KindVessel, Vessel: &event.Vessel{IMO: "9074729", HIN: "ABC12345D404", EngineSerials: []string{"6AH1012345"}, Name: "Sea Star"}}},
		{Subject: event.Subject{ID: "a", EventID: "a", Kind: event.KindFirearm, Firearm: &event.Firearm{Serial: "DKL4562", Make: "S&W", Model: "M&P9", Calibre: "9mm"}}},
		{Err: "line 7: vin: not a field of this kind of subject\nline 7: birth_date: want YYYY, YYYY-MM or YYYY-MM-DD (a real date)\nline 7: full_name: want surname and/or given_names, or full_name alone"},
		{Err: "line 8: kind: want person, vehicle, vessel or firearm"},
		{Err: "line 9: vin: want letters and digits (at most one unreadable character marked '*', '?' or '_')"},
		{Err: "line 10: id: duplicate id (first on line 1)"},
		{Err: "line 11: id: required\nline 11: documents: not a field of this kind of subject"},
		{Subject: event.Subject{ID: "last", EventID: "last", Kind: event.KindFirearm, Firearm: &event.Firearm{Serial: "ABC123"}}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("subjects mismatch (-want +got):\n%s", diff)
	}
	// Stopping early stops reading.
	n := 0
	for range jsonl.ReadSubjects(strings.NewReader(input)) {
		n++
		break
	}
	if n != 1 {
		t.Errorf("iterated %d times after break", n)
	}
}
