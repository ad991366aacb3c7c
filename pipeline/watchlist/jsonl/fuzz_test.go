package jsonl_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
)

// knownMessages are every message an error may end with: errors never carry a value.
var knownMessages = []string{
	"required", "want a string", "want an array of strings", "want true or false", "want a JSON object",
	"want an array of objects", "unknown field", "unknown field (field names are lower-case)", "empty value",
	"want an ISO 3166 alpha-3 code", "want YYYY, YYYY-MM or YYYY-MM-DD (a real date)", "want M, F or U",
	"longer than 255 bytes", "more than 255 entries", "line longer than the 16 MiB limit", "not a JSON object",
	"more than one JSON value on the line", "malformed JSON", "not valid UTF-8",
	"want surname and/or given_names, or full_name alone", "at least one name required",
	"want red, yellow, blue, green, un_special, black, orange or purple",
	"want stolen, lost, stolen_blank, revoked or invalidated",
	"want letters and digits (at most 63 once spaces and punctuation are dropped)",
	"want the last number of the range: same length and prefix as number, a numeric suffix, after number",
	"want at least 6 letters and digits, no unreadable-character marker",
	"want letters and digits (at most one unreadable character marked '*', '?' or '_')",
	"want seven digits, optionally prefixed with IMO", "want at least 5 letters and digits",
	"want at least 3 letters and digits", "one of vin, plate or part_serials required",
	"one of imo, hin or engine_serials required", "want person, vehicle, vessel or firearm",
	"not a field of this kind of subject", "want an ICAO document code (letters)",
	"want an upper-case ISO 3166 alpha-3 code",
	"another owner's record: a loader loads only its own country's records",
	"issued by another country: only the issuing country may load its documents",
	// CSV
	"not a column of this database (or is the header row missing?)", "unknown column (column names are lower-case)",
	"column named twice", "required column",
	"a quote inside an unquoted value (quote the whole value and double inner quotes)",
	"a quoted value is not closed, or a quote is misplaced",
}

// errorLine is the grammar of one error: position, optional field path, known message. A
// path names fields of the formats (lower-case, snake_case, with indexes), a mis-cased field,
// or "(unnamed)".
var errorLine = func() *regexp.Regexp {
	msgs := make([]string, len(knownMessages))
	for i, m := range knownMessages {
		msgs[i] = regexp.QuoteMeta(m)
	}
	path := `(?:(?:[a-z0-9_]{1,32}(?:\[\d+\])?\.)*(?:[a-z0-9_]{1,32}(?:\[\d+\])?|\(unnamed\)|[A-Za-z0-9_]{1,32}|column \d+)): `
	return regexp.MustCompile(`^(?:[a-z]+\.(?:jsonl|csv):\d+|line \d+): (?:` + path + `)?(?:` + strings.Join(msgs, "|") +
		`|duplicate id \(first on line \d+\)|\d+ values, want one per column \(\d+\))$|^[a-z]+\.(?:jsonl|csv): \d+ more bad lines not listed$`)
}()

func checkErrors(t *testing.T, err error) {
	t.Helper()
	for _, l := range strings.Split(err.Error(), "\n") {
		if !errorLine.MatchString(l) {
			t.Fatalf("error line outside the grammar (it may leak a value): %q", l)
		}
	}
}

// FuzzReadLists feeds arbitrary bytes to every list reader. Invariants: never panics; either
// records or an error, never both; every error line follows the grammar (position, field
// path, fixed message), so no value can leak into it; every record accepted passes its
// Validate, and index.Build indexes all of them (skips none).
func FuzzReadLists(f *testing.F) {
	seeds := []string{
		`{"id":"a","number":"X1","number_to":"X9","type":"P","issuer":"D<<","status":"stolen_blank","owner":"DEU"}`,
		`{"id":"n","notice_type":"red","names":[{"surname":"A","given_names":"B"},{"full_name":"C","weak":true}],"birth_dates":["1980"],"nationalities":["FRA"],"sex":"M","owner":"FRA"}`,
		`{"id":"t","number":"18FV40721","type":"P","issuer":"FRA","notice_id":"n","owner":"FRA"}`,
		`{"id":"v","vin":"WVWZZZ1JZ3W386752","plate":"AB-1","plate_country":"FRA","make":"VW","model":"Golf","part_serials":["M47D1"],"owner":"FRA"}`,
		`{"id":"s","imo":"IMO 9074729","hin":"US-ABC12345D404","name":"X","engine_serials":["6AH1012345"],"owner":"NOR"}`,
		`{"id":"f","serial":"DKL4562","make":"S&W","model":"M&P","calibre":"9mm","owner":"USA"}`,
		"{\"id\":\"\\u0000\"}\n\xef\xbb\xbf{}", `{"ID":1,"names":null}` + "\r\n\n[]",
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(n int, err error, valid func(i int) error, build func() *watchlist.Set) {
			if err != nil {
				if n != 0 {
					t.Fatalf("%d records returned with an error", n)
				}
				checkErrors(t, err)
				return
			}
			for i := range n {
				if verr := valid(i); verr != nil {
					t.Fatalf("record %d accepted but invalid: %v", i, verr)
				}
			}
			if snap := index.Build(1, build()); snap.Skipped() != 0 {
				t.Fatalf("Build skipped %d of the records the reader accepted", snap.Skipped())
			}
		}
		docs, err := jsonl.ReadDocuments(bytes.NewReader(data), jsonl.FileSLTD)
		check(len(docs), err, func(i int) error { return docs[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{Documents: docs} })
		notices, err := jsonl.ReadNotices(bytes.NewReader(data), jsonl.FileNotices)
		check(len(notices), err, func(i int) error { return notices[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{Notices: notices} })
		nominals, err := jsonl.ReadNominals(bytes.NewReader(data), jsonl.FileNominals)
		check(len(nominals), err, func(i int) error { return nominals[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{Nominals: nominals} })
		tdawn, err := jsonl.ReadTDAWN(bytes.NewReader(data), jsonl.FileTDAWN)
		check(len(tdawn), err, func(i int) error { return tdawn[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{TDAWN: tdawn} })
		vehicles, err := jsonl.ReadVehicles(bytes.NewReader(data), jsonl.FileVehicles)
		check(len(vehicles), err, func(i int) error { return vehicles[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{Vehicles: vehicles} })
		vessels, err := jsonl.ReadVessels(bytes.NewReader(data), jsonl.FileVessels)
		check(len(vessels), err, func(i int) error { return vessels[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{Vessels: vessels} })
		firearms, err := jsonl.ReadFirearms(bytes.NewReader(data), jsonl.FileFirearms)
		check(len(firearms), err, func(i int) error { return firearms[i].Validate() }, func() *watchlist.Set { return &watchlist.Set{Firearms: firearms} })
	})
}

// FuzzReadSubjects feeds arbitrary bytes to ReadSubjects. Invariants: never panics; each
// element is a subject or an error, never both; every error follows the grammar; a subject
// has its id as ID and EventID, and exactly the one detail its kind names.
func FuzzReadSubjects(f *testing.F) {
	for _, s := range []string{
		`{"id":"p","kind":"person","surname":"A","given_names":"B","birth_date":"1980","nationality":"FRA","sex":"F","documents":[{"type":"P","number":"X1","issuer":"D","expiry":"2030"}]}`,
		`{"id":"v","kind":"vehicle","vin":"WVW*ZZ1JZ3W386752","plate":"AB1","plate_country":"FRA"}` + "\n" + `{"id":"v","kind":"vessel","imo":"1"}`,
		`{"id":"f","kind":"firearm","serial":"X","make":"S&W","model":"","calibre":""}`,
		`{"kind":"robot"}` + "\n\n" + `{"id":"x","kind":"person","vin":1}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for s, err := range jsonl.ReadSubjects(bytes.NewReader(data)) {
			if err != nil {
				if s.ID != "" || s.Person != nil || s.Vehicle != nil || s.Vessel != nil || s.Firearm != nil {
					t.Fatalf("subject %+v returned with an error", s)
				}
				checkErrors(t, err)
				continue
			}
			if s.ID == "" || s.EventID != s.ID {
				t.Fatalf("subject ids %q / %q", s.ID, s.EventID)
			}
			set := map[event.SubjectKind]bool{event.KindPerson: s.Person != nil, event.KindVehicle: s.Vehicle != nil, event.KindVessel: s.Vessel != nil, event.KindFirearm: s.Firearm != nil}
			for k, on := range set {
				if on != (k == s.Kind) {
					t.Fatalf("kind %q with details %v", s.Kind, set)
				}
			}
		}
	})
}

// FuzzListValues puts arbitrary strings into the value of every field of well-formed lines,
// to probe the boundary between what the reader accepts and what the index can hold.
// Invariants: as FuzzReadLists — accepted records all validate and Build skips none, and
// errors follow the grammar.
func FuzzListValues(f *testing.F) {
	f.Add("X1", "X9", "D<<", "WVWZZZ1JZ3W386752", "IMO 9074729", "DKL4562")
	f.Add("AB100", "AB099", "fra", "3W38*752", "90747", "12")
	f.Add("ＡＢ１", "ａｂ２", "<D<", "ВАЗ 2101 ЖИГУЛИ", "IMOIMO", "S-5")
	f.Fuzz(func(t *testing.T, a, b, c, d, e, g string) {
		q := func(s string) string {
			var sb strings.Builder
			sb.WriteByte('"')
			for _, r := range s {
				switch {
				case r == '"' || r == '\\':
					sb.WriteString(`\` + string(r))
				case r < 0x20:
					sb.WriteString(`\u00`)
					sb.WriteByte("0123456789abcdef"[r>>4])
					sb.WriteByte("0123456789abcdef"[r&15])
				default:
					sb.WriteRune(r)
				}
			}
			sb.WriteByte('"')
			return sb.String()
		}
		lines := map[string]string{
			jsonl.FileSLTD:     `{"id":` + q(g) + `,"number":` + q(a) + `,"number_to":` + q(b) + `,"type":` + q(e) + `,"issuer":` + q(c) + `,"status":"stolen","owner":` + q(c) + `}`,
			jsonl.FileTDAWN:    `{"id":"t","number":` + q(a) + `,"type":"P","issuer":` + q(c) + `,"notice_id":` + q(b) + `,"owner":"FRA"}`,
			jsonl.FileNotices:  `{"id":"n","notice_type":"red","names":[{"surname":` + q(a) + `,"given_names":` + q(b) + `},{"full_name":` + q(d) + `}],"birth_dates":[` + q(e) + `],"nationalities":[` + q(c) + `],"sex":"F","owner":"FRA"}`,
			jsonl.FileVehicles: `{"id":` + q(g) + `,"vin":` + q(d) + `,"plate":` + q(a) + `,"plate_country":` + q(c) + `,"make":` + q(b) + `,"model":` + q(e) + `,"part_serials":[` + q(g) + `],"owner":"FRA"}`,
			jsonl.FileVessels:  `{"id":"s","imo":` + q(e) + `,"hin":` + q(d) + `,"name":` + q(a) + `,"engine_serials":[` + q(g) + `],"owner":"NOR"}`,
			jsonl.FileFirearms: `{"id":"f","serial":` + q(g) + `,"make":` + q(b) + `,"model":` + q(e) + `,"calibre":` + q(a) + `,"owner":"USA"}`,
		}
		for name, line := range lines {
			var set *watchlist.Set
			var err error
			r := strings.NewReader(line)
			switch name {
			case jsonl.FileSLTD:
				var v []watchlist.Document
				v, err = jsonl.ReadDocuments(r, name)
				set = &watchlist.Set{Documents: v}
			case jsonl.FileTDAWN:
				var v []watchlist.TravelDocument
				v, err = jsonl.ReadTDAWN(r, name)
				set = &watchlist.Set{TDAWN: v}
			case jsonl.FileNotices:
				var v []watchlist.Person
				v, err = jsonl.ReadNotices(r, name)
				set = &watchlist.Set{Notices: v}
			case jsonl.FileVehicles:
				var v []watchlist.Vehicle
				v, err = jsonl.ReadVehicles(r, name)
				set = &watchlist.Set{Vehicles: v}
			case jsonl.FileVessels:
				var v []watchlist.Vessel
				v, err = jsonl.ReadVessels(r, name)
				set = &watchlist.Set{Vessels: v}
			case jsonl.FileFirearms:
				var v []watchlist.Firearm
				v, err = jsonl.ReadFirearms(r, name)
				set = &watchlist.Set{Firearms: v}
			}
			if err != nil {
				checkErrors(t, err)
				continue
			}
			if snap := index.Build(1, set); snap.Skipped() != 0 {
				t.Fatalf("%s: Build skipped a record the reader accepted: %s", name, line)
			}
		}
	})
}

// FuzzReadCSV feeds arbitrary bytes, as CSV, to Read for every database, with and without a
// loader's owner. Invariants: never panics; a list or an error, never both; every error line
// follows the grammar, so no value can leak into it; every record accepted passes its
// Validate, index.Build indexes all of them, and, with an owner, carries that owner (and, for
// SLTD and TDAWN, was issued by it); and every record accepted reads back identical from its
// JSONL form (json.Marshal of the record), so the CSV and JSONL forms agree.
func FuzzReadCSV(f *testing.F) {
	seeds := []string{
		"id,number,number_to,type,issuer,status,owner,restricted_from,restricted_to\nS1,X1,X9,P,D<<,stolen_blank,DEU,ITA;ESP,FRA\n",
		"id,notice_type,surname,given_names,full_name,weak,aliases,birth_dates,nationalities,sex,owner\n" +
			"N1,red,Moreau,Luc,,false,\"MOREAU, Luc; ~Lucky\",1980-05-17;1980,FRA,M,FRA\nN2,blue,,,Ali,true,,,,,\n",
		"owner,id,number,type,issuer,notice_id\nFRA,T1,18FV40721,P,FRA,N1\n",
		"id,vin,plate,plate_country,make,model,part_serials,owner\r\nV1,WVWZZZ1JZ3W386752,AB-1,FRA,VW,Golf,M47D1;M47D2,FRA\r\n",
		"\xef\xbb\xbfid,imo,hin,name,engine_serials,owner\nS1,IMO 9074729,,\"Sea \"\"Star\"\"\",6AH1012345,NOR\n",
		"id,serial,make,model,calibre,owner\nF1,DKL4562,S&W,\"M&P, 9\",9mm,USA\nF1,x\"y,,,\n\"open",
		"ID,Colour,id\n,,\n",
	}
	for _, s := range seeds {
		f.Add([]byte(s), false)
	}
	f.Add([]byte(seeds[0]), true)
	f.Fuzz(func(t *testing.T, data []byte, owned bool) {
		opts := jsonl.Options{Format: jsonl.FormatCSV}
		if owned {
			opts.Owner = "FRA"
		}
		for _, db := range event.Databases() {
			name := string(db) + ".csv"
			l, err := jsonl.Read(bytes.NewReader(data), name, db, opts)
			if err != nil {
				if l != nil {
					t.Fatalf("%s: a list returned with an error", db)
				}
				checkErrors(t, err)
				continue
			}
			var owners, issuers []string
			var lines []string
			var valid []error
			add := func(owner, issuer string, v any, verr error) {
				b, merr := json.Marshal(v)
				if merr != nil {
					t.Fatalf("%s: marshalling an accepted record: %v", db, merr)
				}
				owners, issuers, lines, valid = append(owners, owner), append(issuers, issuer), append(lines, string(b)), append(valid, verr)
			}
			s := l.Set
			for i := range s.Documents {
				add(s.Documents[i].Owner, s.Documents[i].Issuer, &s.Documents[i], s.Documents[i].Validate())
			}
			for _, ps := range [][]watchlist.Person{s.Notices, s.Nominals} {
				for i := range ps {
					add(ps[i].Owner, "", &ps[i], ps[i].Validate())
				}
			}
			for i := range s.TDAWN {
				add(s.TDAWN[i].Owner, s.TDAWN[i].Issuer, &s.TDAWN[i], s.TDAWN[i].Validate())
			}
			for i := range s.Vehicles {
				add(s.Vehicles[i].Owner, "", &s.Vehicles[i], s.Vehicles[i].Validate())
			}
			for i := range s.Vessels {
				add(s.Vessels[i].Owner, "", &s.Vessels[i], s.Vessels[i].Validate())
			}
			for i := range s.Firearms {
				add(s.Firearms[i].Owner, "", &s.Firearms[i], s.Firearms[i].Validate())
			}
			if len(lines) != len(l.Lines) {
				t.Fatalf("%s: %d records, %d ids with lines", db, len(lines), len(l.Lines))
			}
			for i := range lines {
				if valid[i] != nil {
					t.Fatalf("%s: record %d accepted but invalid: %v", db, i, valid[i])
				}
				if owned && (owners[i] != "FRA" || issuers[i] != "" && normalize.Country(issuers[i]) != "FRA") {
					t.Fatalf("%s: record %d of owner %q, issuer %q accepted for FRA", db, i, owners[i], issuers[i])
				}
			}
			if snap := index.Build(1, s); snap.Skipped() != 0 {
				t.Fatalf("%s: Build skipped %d of the records the reader accepted", db, snap.Skipped())
			}
			back, err := jsonl.Read(strings.NewReader(strings.Join(lines, "\n")), string(db)+".jsonl", db, jsonl.Options{Owner: opts.Owner})
			if err != nil {
				t.Fatalf("%s: the JSONL form of accepted CSV records is refused: %v", db, err)
			}
			if diff := cmp.Diff(s, back.Set, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: CSV and JSONL forms differ (-csv +jsonl):\n%s", db, diff)
			}
		}
	})
}
