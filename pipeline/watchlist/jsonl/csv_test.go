package jsonl_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/jsonl"
)

func readFile(t *testing.T, path string, db event.Database, opts jsonl.Options) (*jsonl.List, error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return jsonl.Read(f, filepath.Base(path), db, opts)
}

// TestReadCSVMatchesJSONL reads every database's test list in both forms: the records are
// the same (an empty list and an absent one are alike: both encode the same).
func TestReadCSVMatchesJSONL(t *testing.T) {
	t.Parallel()
	for _, db := range event.Databases() {
		t.Run(string(db), func(t *testing.T) {
			t.Parallel()
			want, err := readFile(t, filepath.Join("testdata", "lists", string(db)+".jsonl"), db, jsonl.Options{})
			if err != nil {
				t.Fatal(err)
			}
			got, err := readFile(t, filepath.Join("testdata", "csv", string(db)+".csv"), db, jsonl.Options{Format: jsonl.FormatCSV})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.Set, got.Set, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("CSV records differ from JSONL (-jsonl +csv):\n%s", diff)
			}
			if got.DB != db || len(got.Lines) != len(want.Lines) {
				t.Errorf("list of %s with %d lines, want %s with %d", got.DB, len(got.Lines), db, len(want.Lines))
			}
		})
	}
	l, err := readFile(t, "testdata/csv/sltd.csv", event.DBSLTD, jsonl.Options{Format: jsonl.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]int{"SLTD-1": 2, "SLTD-2": 3, "SLTD-3": 5}, l.Lines); diff != "" {
		t.Errorf("lines of the ids (-want +got):\n%s", diff)
	}
}

// TestReadCSVNames covers the name columns: primary name, aliases with and without a comma,
// weak aliases and a weak primary name.
func TestReadCSVNames(t *testing.T) {
	t.Parallel()
	in := "id,notice_type,surname,given_names,full_name,weak,aliases,owner\n" +
		`N-1,red,Moreau,Luc Pierre,,,"MOREAU, Luc; ~Lucky;  Dupont ,;, Jean ; ~ DUPONT, J",FRA` + "\n" +
		"N-2,blue,,,Ali Hassan,true,,FRA\n"
	l, err := jsonl.Read(strings.NewReader(in), "notices.csv", event.DBNotices, jsonl.Options{Format: jsonl.FormatCSV})
	if err != nil {
		t.Fatal(err)
	}
	want := []watchlist.Person{
		{ID: "N-1", NoticeType: watchlist.NoticeRed, Owner: "FRA", Names: []watchlist.Name{
			{Surname: "Moreau", GivenNames: "Luc Pierre"},
			{Surname: "MOREAU", GivenNames: "Luc"},
			{FullName: "Lucky", Weak: true},
			{Surname: "Dupont"},
			{GivenNames: "Jean"},
			{Surname: "DUPONT", GivenNames: "J", Weak: true},
		}},
		{ID: "N-2", NoticeType: watchlist.NoticeBlue, Owner: "FRA", Names: []watchlist.Name{{FullName: "Ali Hassan", Weak: true}}},
	}
	if diff := cmp.Diff(want, l.Set.Notices); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
}

// TestReadOwner reads for one owner: an absent owner becomes it, any spelling of it is
// normalised, another owner and another issuer are located errors, and restrictions are read.
func TestReadOwner(t *testing.T) {
	t.Parallel()
	in := strings.Join([]string{
		`{"id":"a","number":"X1","issuer":"FRA","status":"lost","restricted_from":["ITA"],"restricted_to":["DEU","ESP"]}`,
		`{"id":"b","number":"X2","issuer":"D<<","status":"lost","owner":"fra"}`,
		`{"id":"c","number":"X3","issuer":"ITA","status":"lost","owner":"ZQX"}`,
		`{"id":"d","number":"X4","issuer":"ITA","status":"lost","owner":"FRA"}`,
		`{"id":"e","number":"X5","issuer":"FRA","status":"lost","owner":"ZQXJ","restricted_from":["ita","ZQXJ",""]}`,
	}, "\n")
	_, err := jsonl.Read(strings.NewReader(in), "sltd.jsonl", event.DBSLTD, jsonl.Options{Owner: "FRA"})
	if err == nil {
		t.Fatal("no error")
	}
	want := []string{
		"sltd.jsonl:2: issuer: issued by another country: only the issuing country may load its documents",
		"sltd.jsonl:3: owner: another owner's record: a loader loads only its own country's records",
		"sltd.jsonl:3: issuer: issued by another country: only the issuing country may load its documents",
		"sltd.jsonl:4: issuer: issued by another country: only the issuing country may load its documents",
		"sltd.jsonl:5: restricted_from[2]: empty value",
		"sltd.jsonl:5: restricted_from[0]: want an upper-case ISO 3166 alpha-3 code",
		"sltd.jsonl:5: restricted_from[1]: want an upper-case ISO 3166 alpha-3 code",
		"sltd.jsonl:5: owner: want an ISO 3166 alpha-3 code",
	}
	if diff := cmp.Diff(want, strings.Split(err.Error(), "\n")); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}

	ok := strings.Join([]string{
		`{"id":"a","number":"X1","issuer":"FRA","status":"lost","restricted_from":["ITA"],"restricted_to":["DEU","ESP"]}`,
		`{"id":"b","number":"X2","issuer":"FRA","status":"lost","owner":"fra"}`,
		`{"id":"c","number":"X3","issuer":"FRA","status":"lost","owner":""}`,
	}, "\n")
	l, err := jsonl.Read(strings.NewReader(ok), "sltd.jsonl", event.DBSLTD, jsonl.Options{Owner: "FRA"})
	if err != nil {
		t.Fatal(err)
	}
	wantDocs := []watchlist.Document{
		{ID: "a", Number: "X1", Issuer: "FRA", Status: watchlist.StatusLost, Owner: "FRA",
			Access: event.Access{RestrictedFrom: []string{"ITA"}, RestrictedTo: []string{"DEU", "ESP"}}},
		{ID: "b", Number: "X2", Issuer: "FRA", Status: watchlist.StatusLost, Owner: "FRA"},
		{ID: "c", Number: "X3", Issuer: "FRA", Status: watchlist.StatusLost, Owner: "FRA"},
	}
	if diff := cmp.Diff(wantDocs, l.Set.Documents); diff != "" {
		t.Errorf("documents (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]int{"a": 1, "b": 2, "c": 3}, l.Lines); diff != "" {
		t.Errorf("lines (-want +got):\n%s", diff)
	}

	// Every database checks the owner; TDAWN also the issuer.
	for _, tt := range []struct {
		db   event.Database
		line string
		want string
	}{
		{event.DBNotices, `{"id":"n","notice_type":"red","names":[{"surname":"ZQXJ"}],"owner":"ITA"}`, "x:1: owner: another owner's record: a loader loads only its own country's records"},
		{event.DBNominals, `{"id":"n","names":[{"surname":"ZQXJ"}],"owner":"ITA"}`, "x:1: owner: another owner's record: a loader loads only its own country's records"},
		{event.DBTDAWN, `{"id":"t","number":"X1","issuer":"ITA","notice_id":"n"}`, "x:1: issuer: issued by another country: only the issuing country may load its documents"},
		{event.DBVehicles, `{"id":"v","plate":"ZQXJ1","owner":"ITA"}`, "x:1: owner: another owner's record: a loader loads only its own country's records"},
		{event.DBVessels, `{"id":"v","imo":"9074729","owner":"ITA"}`, "x:1: owner: another owner's record: a loader loads only its own country's records"},
		{event.DBFirearms, `{"id":"f","serial":"ZQXJ1","owner":"ITA"}`, "x:1: owner: another owner's record: a loader loads only its own country's records"},
	} {
		if _, err := jsonl.Read(strings.NewReader(tt.line), "x", tt.db, jsonl.Options{Owner: "FRA"}); err == nil || err.Error() != tt.want {
			t.Errorf("%s: error %v, want %q", tt.db, err, tt.want)
		}
	}
	if _, err := jsonl.Read(strings.NewReader(""), "x", event.DBSLTD, jsonl.Options{Owner: "fra"}); err == nil {
		t.Error("a lower-case owner option was accepted")
	}
	if _, err := jsonl.Read(strings.NewReader(""), "x", "cars", jsonl.Options{}); err == nil {
		t.Error("an unknown database was accepted")
	}
}

func TestReadCSVErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		db   event.Database
		in   string
		want []string // every error, in order
	}{
		{"header problems", event.DBSLTD, "ID,number,colour,ZQXJ Smith,number,\xff\n", []string{
			"sltd.csv:1: ID: unknown column (column names are lower-case)",
			"sltd.csv:1: column 3: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 4: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: number: column named twice",
			"sltd.csv:1: column 6: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: id: required column",
		}},
		{"no header row", event.DBSLTD, "S1,ZQXJ123,,P,FRA,stolen,FRA\n", []string{
			"sltd.csv:1: column 1: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 2: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 3: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 4: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 5: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 6: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: column 7: not a column of this database (or is the header row missing?)",
			"sltd.csv:1: id: required column",
		}},
		{"column of another database", event.DBSLTD, "id,vin\n", []string{"sltd.csv:1: column 2: not a column of this database (or is the header row missing?)"}},
		{"bad rows, every one reported", event.DBSLTD, "id,number,issuer,status,owner\n" +
			"a,X1,FRA,lost\n" +
			"b,X2,FRA,gone,FRA\n" +
			"c,X\"3,FRA,lost,FRA\n" +
			"a,X4,FRA,lost,FRA\n" +
			"d,X5,FRA,lost,FRA\n" +
			",,,,\n" +
			"a,X6,FRA,lost,FRA\n" +
			"e,\"X7\nX8\",FRA,lost,\xff\n" +
			"f,\"ZQXJ,FRA,lost,FRA\n", []string{
			"sltd.csv:2: 4 values, want one per column (5)",
			"sltd.csv:3: status: want stolen, lost, stolen_blank, revoked or invalidated",
			"sltd.csv:4: a quote inside an unquoted value (quote the whole value and double inner quotes)",
			"sltd.csv:8: id: duplicate id (first on line 5)",
			"sltd.csv:9: not valid UTF-8",
			"sltd.csv:11: a quoted value is not closed, or a quote is misplaced",
		}},
		{"person columns", event.DBNotices, "id,notice_type,surname,weak,aliases,birth_dates,nationalities,restricted_to,owner\n" +
			"n1,red,ZQXJ,maybe,\"ZQXJ, A;;~\",1980;1980-13-01;,FRA;ZQXJ,ita,FRA\n" +
			"n2,red,,,ZQXJ,,,,FRA\n" +
			"n3,red,,,,,,,FRA\n", []string{
			"notices.csv:2: restricted_to[0]: want an upper-case ISO 3166 alpha-3 code",
			"notices.csv:2: names[0].weak: want true or false",
			"notices.csv:2: names[2]: want surname and/or given_names, or full_name alone",
			"notices.csv:2: names[3]: want surname and/or given_names, or full_name alone",
			"notices.csv:2: birth_dates[2]: empty value",
			"notices.csv:2: birth_dates[1]: want YYYY, YYYY-MM or YYYY-MM-DD (a real date)",
			"notices.csv:2: nationalities[1]: want an ISO 3166 alpha-3 code",
			"notices.csv:3: names[0]: want surname and/or given_names, or full_name alone",
			"notices.csv:4: names: required",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			l, err := jsonl.Read(strings.NewReader(tt.in), string(tt.db)+".csv", tt.db, jsonl.Options{Format: jsonl.FormatCSV})
			if err == nil || l != nil {
				t.Fatalf("Read = %+v, %v; want only an error", l, err)
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

func TestReadCSVEmptyAndLongLines(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "\n\n", "id,number,issuer,status,owner\n", "\xef\xbb\xbfid,number,issuer,status,owner\r\n\r\n"} {
		l, err := jsonl.Read(strings.NewReader(in), "sltd.csv", event.DBSLTD, jsonl.Options{Format: jsonl.FormatCSV})
		if err != nil || len(l.Set.Documents) != 0 {
			t.Errorf("%q: %v, %v; want an empty list", in, l, err)
		}
	}
	long := "id,number,issuer,status,owner\na,X1,FRA,lost,FRA\nb," + strings.Repeat("Z", 17<<20) + "\n"
	_, err := jsonl.Read(strings.NewReader(long), "sltd.csv", event.DBSLTD, jsonl.Options{Format: jsonl.FormatCSV})
	if err == nil || err.Error() != "sltd.csv:3: line longer than the 16 MiB limit" {
		t.Errorf("error %v, want line 3 too long", err)
	}
}
