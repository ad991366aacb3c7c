package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type loadSummary struct {
	Database  string `json:"database"`
	Owner     string `json:"owner"`
	Records   int    `json:"records"`
	Added     int    `json:"added"`
	Updated   int    `json:"updated"`
	Unchanged int    `json:"unchanged"`
	Cancelled int    `json:"cancelled"`
	DryRun    bool   `json:"dry_run"`
}

// TestListsLoad runs `watchpost lists load` against kfake and an in-process registry: a
// load, a reload that changes nothing, a dry run, CSV on stdin, and a bad file refused line
// by line with nothing produced.
func TestListsLoad(t *testing.T) {
	t.Parallel()
	c, registry := newStack(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	kafka := []string{"--brokers", strings.Join(c.Brokers, ","), "--registry", registry, "--log-level", "error"}
	load := func(stdin string, args ...string) (loadSummary, string, int) {
		t.Helper()
		out, errOut, code := cli(t, stdin, append(append([]string{"lists", "load"}, kafka...), args...)...)
		var s loadSummary
		if code == 0 {
			if err := json.Unmarshal([]byte(out), &s); err != nil {
				t.Fatalf("stdout is not one JSON summary: %v\n%s", err, out)
			}
		}
		return s, errOut, code
	}

	v1 := write("firearms.jsonl", `{"id":"F1","serial":"DKL4562","make":"S&W"}
{"id":"F2","serial":"ABC12345","make":"Glock","owner":"FRA"}
`)
	if s, errOut, code := load("", "--db", "firearms", "--owner", "FRA", v1); code != 0 || s != (loadSummary{Database: "firearms", Owner: "FRA", Records: 2, Added: 2}) {
		t.Fatalf("first load: exit %d, %+v; stderr %s", code, s, errOut)
	}
	if s, errOut, code := load("", "--db", "firearms", "--owner", "FRA", v1); code != 0 || s.Unchanged != 2 || s.Added+s.Updated+s.Cancelled != 0 {
		t.Fatalf("reload: exit %d, %+v; stderr %s", code, s, errOut)
	}
	csv := "id,serial,make\nF1,DKL4562,S&W\nF3,XYZ98765,Beretta\n"
	if s, errOut, code := load(csv, "--db", "firearms", "--owner", "FRA", "--dry-run", "--format", "csv", "-"); code != 0 ||
		s != (loadSummary{Database: "firearms", Owner: "FRA", Records: 2, Added: 1, Unchanged: 1, Cancelled: 1, DryRun: true}) {
		t.Fatalf("dry run: exit %d, %+v; stderr %s", code, s, errOut)
	}
	if s, errOut, code := load(csv, "--db", "firearms", "--owner", "FRA", "-"); code != 0 || s.Added != 1 || s.Cancelled != 1 || s.Unchanged != 1 {
		t.Fatalf("CSV on stdin after the dry run: exit %d, %+v (want the dry run's differences, so it produced nothing); stderr %s", code, s, errOut)
	}

	bad := write("bad.jsonl", `{"id":"F1","serial":"DKL4562","make":"S&W"}
{"id":"F9","serial":"ZQXJ98765","owner":"ITA"}
{"id":"F8","serial":"ZQ"}
{"id":"F1","serial":"ZQXJ12345"}
`)
	_, errOut, code := load("", "--db", "firearms", "--owner", "FRA", bad)
	for _, w := range []string{
		"bad.jsonl:2: owner: another owner's record",
		"bad.jsonl:3: serial: want at least 3 letters and digits",
		"bad.jsonl:4: id: duplicate id (first on line 1)",
	} {
		if !strings.Contains(errOut, w) {
			t.Errorf("bad file: stderr lacks %q:\n%s", w, errOut)
		}
	}
	if code == 0 || strings.Contains(errOut, "ZQXJ") {
		t.Errorf("bad file: exit %d, stderr %q: want a failure that repeats no value", code, errOut)
	}
	if s, _, code := load("", "--db", "firearms", "--owner", "FRA", "--dry-run", write("now.csv", csv)); code != 0 || s.Unchanged != 2 {
		t.Errorf("after the bad file: %+v, want the topic unchanged", s)
	}
}

// TestListsLoadOwner: the owner comes from the credentials, and everything about it is
// checked before Kafka is contacted.
func TestListsLoadOwner(t *testing.T) {
	t.Parallel()
	file := filepath.Join(t.TempDir(), "sltd.jsonl")
	if err := os.WriteFile(file, []byte(`{"id":"S1","number":"X1","issuer":"DEU","status":"lost","owner":"DEU"}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	sasl := []string{"--brokers", "127.0.0.1:1", "--acl-file", "../../deploy/acls.yaml", "--kafka-tls", "--sasl-mechanism", "SCRAM-SHA-512"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no owner", []string{"--db", "sltd", file}, "--owner is required"},
		{"unknown database", []string{"--db", "cars", "--owner", "FRA", file}, "--db: want one of"},
		{"no file", []string{"--db", "sltd", "--owner", "FRA"}, "usage: watchpost lists load"},
		{"flag against credentials", append(sasl, "--sasl-user", "loader-FRA", "--owner", "DEU", "--db", "sltd", file), "disagrees with SASL user loader-FRA"},
		{"credentials without a country", append(sasl, "--sasl-user", "loader", "--db", "sltd", file), "SASL user loader has no country"},
		{"another country's records", append(sasl, "--sasl-user", "loader-FRA", "--db", "sltd", file), "sltd.jsonl:1: issuer: issued by another country"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errOut, code := cli(t, "", append([]string{"lists", "load"}, tt.args...)...)
			if code == 0 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, stderr %q: want a failure saying %q", code, errOut, tt.want)
			}
		})
	}
}
