package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "watchpost-cli")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "watchpost")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		os.Stderr.Write(out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// cli runs the binary and returns stdout, stderr and the exit code.
func cli(t *testing.T, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func TestMRZParse(t *testing.T) {
	t.Parallel()
	const l1, l2 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<", "L898902C36UTO7408122F1204159ZE184226B<<<<<10"
	tests := []struct {
		name      string
		stdin     string
		args      []string
		wantCode  int
		wantValid bool
		wantErr   string
	}{
		{"args", "", []string{"mrz", "parse", "--today", "2010-01-01", l1, l2}, 0, true, ""},
		{"stdin", l1 + "\n" + l2 + "\n", []string{"mrz", "parse", "--today", "2010-01-01", "-"}, 0, true, ""},
		{"bad check digit", "", []string{"mrz", "parse", "--today", "2010-01-01", l1, strings.Replace(l2, "C36", "C35", 1)}, 0, false, ""},
		{"wrong shape", "", []string{"mrz", "parse", l1, l2[:40]}, 1, false, "line 2"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errs, code := cli(t, tt.stdin, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.wantCode, errs)
			}
			if tt.wantErr != "" {
				if !strings.Contains(errs, tt.wantErr) || strings.Contains(errs, "ERIKSSON") {
					t.Errorf("stderr %q: want a located error without the data", errs)
				}
				return
			}
			var got struct {
				Format  string `json:"format"`
				Surname string `json:"surname"`
				Valid   bool   `json:"valid"`
				Checks  []struct {
					Field string `json:"field"`
					Valid bool   `json:"valid"`
				} `json:"checks"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
			}
			if got.Format != "TD3" || got.Surname != "ERIKSSON" || got.Valid != tt.wantValid || len(got.Checks) < 4 {
				t.Errorf("got %+v, want TD3 ERIKSSON valid=%v with every check", got, tt.wantValid)
			}
		})
	}
}

func TestIDCheck(t *testing.T) {
	t.Parallel()
	tests := []struct {
		kind, value string
		valid       bool
		code        int
	}{
		{"vin", "1M8GDM9AXKP042788", true, 0},
		{"vin", "1M8GDM9AXKP04278O", false, 0},
		{"imo", "IMO 9074729", true, 0},
		{"imo", "9074728", false, 0},
		{"hin", "ABC12345D404", true, 0},
		{"plate", "AB-123", false, 1},
	}
	for _, tt := range tests {
		t.Run(tt.kind+"/"+tt.value, func(t *testing.T) {
			t.Parallel()
			out, errs, code := cli(t, "", "id", "check", "--kind", tt.kind, tt.value)
			if code != tt.code {
				t.Fatalf("exit %d, want %d (%s)", code, tt.code, errs)
			}
			if code != 0 {
				return
			}
			var got struct {
				Valid  bool   `json:"valid"`
				Reason string `json:"reason"`
			}
			if err := json.Unmarshal([]byte(out), &got); err != nil {
				t.Fatal(err)
			}
			if got.Valid != tt.valid || (!got.Valid && got.Reason == "") {
				t.Errorf("got %+v, want valid=%v with a reason when invalid", got, tt.valid)
			}
		})
	}
}

func TestManifestDecode(t *testing.T) {
	t.Parallel()
	corpus := "../../pipeline/paxlst/testdata/"
	multi, err := os.ReadFile(corpus + "two_messages.edi")
	if err != nil {
		files, _ := filepath.Glob(corpus + "*.edi")
		t.Fatalf("corpus: %v (have %v)", err, files)
	}
	tests := []struct {
		name     string
		args     []string
		stdin    string
		wantCode int
		wantMsgs int
		wantErr  string
	}{
		{"file", []string{"manifest", "decode", corpus + "crew_list.edi"}, "", 0, 1, ""},
		{"stdin two messages", []string{"manifest", "decode", "--format", "paxlst", "-"}, string(multi), 0, 2, ""},
		{"json", []string{"manifest", "decode", "-"}, `{"type":"crew","carrier":"AF","flight":"AF1","legs":[{"departure":"CDG","arrival":"JFK"}],"travellers":[{"surname":"X","birth_date":"1990"}]}`, 0, 1, ""},
		{"located error", []string{"manifest", "decode", corpus + "error_bad_birth_date.edi"}, "", 1, 0, "segment"},
		{"bad format", []string{"manifest", "decode", "--format", "xml", corpus + "crew_list.edi"}, "", 1, 0, "unknown format"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out, errs, code := cli(t, tt.stdin, tt.args...)
			if code != tt.wantCode {
				t.Fatalf("exit %d, want %d; stderr %s", code, tt.wantCode, errs)
			}
			if tt.wantErr != "" && !strings.Contains(errs, tt.wantErr) {
				t.Errorf("stderr %q, want %q", errs, tt.wantErr)
			}
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if out == "" {
				lines = nil
			}
			if len(lines) != tt.wantMsgs {
				t.Fatalf("%d JSON lines, want %d", len(lines), tt.wantMsgs)
			}
			for _, l := range lines {
				var m struct {
					Travellers []struct {
						Role      string `json:"role"`
						Surname   string `json:"surname"`
						Documents []struct {
							Number string `json:"number"`
						} `json:"documents"`
					} `json:"travellers"`
					Warnings []json.RawMessage `json:"warnings"`
				}
				if err := json.Unmarshal([]byte(l), &m); err != nil {
					t.Fatalf("line is not a JSON object: %v", err)
				}
				if len(m.Travellers) == 0 || m.Travellers[0].Role == "" || m.Travellers[0].Surname == "" || m.Warnings == nil {
					t.Errorf("message %s: want travellers with role and surname, and a warnings array", l[:min(len(l), 200)])
				}
			}
		})
	}
}

func TestScreen(t *testing.T) {
	t.Parallel()
	lists := "../../pipeline/watchlist/jsonl/testdata/lists"
	subjects := `{"id":"a","kind":"person","surname":"NOBODY","given_names":"AT ALL","birth_date":"1990-01-01"}
{"id":"bad","kind":"person","birth_date":"1990-13-01"}
`
	in, err := os.ReadFile("../../pipeline/watchlist/jsonl/testdata/subjects.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	out, errs, code := cli(t, string(in)+subjects, "screen", "--lists", lists, "--top", "1")
	if code != 1 || !strings.Contains(errs, "line") || strings.Contains(errs, "1990") {
		t.Errorf("exit %d, stderr %q: want exit 1 naming the bad line, without its data", code, errs)
	}
	seen := map[string]int{}

	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var h struct {
			SubjectID string            `json:"subject_id"`
			Database  string            `json:"database"`
			RecordID  string            `json:"record_id"`
			Score     float64           `json:"score"`
			Reasons   []json.RawMessage `json:"reasons"`
		}
		if err := json.Unmarshal([]byte(l), &h); err != nil {
			t.Fatalf("line %q: %v", l, err)
		}
		if h.Score <= 0 || h.Score > 1 || len(h.Reasons) == 0 || h.RecordID == "" {
			t.Errorf("hit %s: want a score in (0,1], a record and reasons", l)
		}
		seen[h.SubjectID]++

	}
	if len(seen) < 4 {
		t.Errorf("hits for %d subjects, want the person, vehicle, vessel and firearm of the corpus at least: %v", len(seen), seen)
	}
	for s, n := range seen {
		if n > 1 {
			t.Errorf("subject %s has %d hits with --top 1", s, n)
		}
	}
	if seen["a"] != 0 {
		t.Error("a subject on no list got a hit")
	}
	if _, errs, code := cli(t, "", "screen"); code == 0 || !strings.Contains(errs, "--lists") {
		t.Errorf("screen without --lists: exit %d, %q", code, errs)
	}
}
