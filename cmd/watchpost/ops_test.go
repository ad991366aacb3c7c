package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/event"
)

func TestOpsUsageErrors(t *testing.T) {
	t.Parallel()
	// None of these reaches ClickHouse: the address points nowhere on purpose.
	env := []string{"WATCHPOST_CLICKHOUSE=127.0.0.1:1"}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no subcommand", []string{"ops"}, "usage: watchpost ops"},
		{"bad kind", []string{"ops", "create", "--name", "x", "--kind", "raid", "--start", "2026-06-01", "--end", "2026-06-02"}, "kind must be stop or major_event"},
		{"bad time", []string{"ops", "create", "--name", "x", "--kind", "stop", "--start", "June", "--end", "2026-06-02"}, "--start: want"},
		{"end before start", []string{"ops", "create", "--name", "x", "--kind", "stop", "--start", "2026-06-02", "--end", "2026-06-01"}, "end must be after"},
		{"bad post", []string{"ops", "create", "--name", "x", "--kind", "stop", "--start", "2026-06-01", "--end", "2026-06-02", "--posts", "C D G"}, "border post 1"},
		{"report without id", []string{"report", "operation"}, "usage: watchpost report"},
		{"report bad format", []string{"report", "operation", "op-1", "--format", "pdf"}, "--format: want text, json, html"},
		{"retention without subcommand", []string{"retention"}, "usage: watchpost retention"},
		{"retention bad now", []string{"retention", "apply", "--now", "tomorrow"}, "--now: want"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, errs, code := cliEnv(t, env, "", tt.args...)
			if code == 0 || !strings.Contains(errs, tt.want) {
				t.Errorf("exit %d, stderr %q; want a failure saying %q", code, errs, tt.want)
			}
		})
	}
}

func TestRetentionPolicyCommand(t *testing.T) {
	t.Parallel()
	out, errs, code := cli(t, "", "retention", "policy")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, want := range []string{"screenings         6 months             5 years", "audit              never                5 years", "operations         never                never"} {
		if !strings.Contains(out, want) {
			t.Errorf("policy output lacks %q:\n%s", want, out)
		}
	}
}

// cliEnv runs the binary as cli does, with extra environment variables.
func cliEnv(t *testing.T, env []string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	var ee *exec.ExitError
	switch {
	case errors.As(err, &ee):
		return out.String(), errb.String(), ee.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return out.String(), errb.String(), 0
}

// TestIntegrationOpsReportRetention drives the analysts' commands against ClickHouse: create an
// operation (twice: the same id), list it, write screenings, alerts and decisions in it and
// before it, report on it in the three formats, and apply retention years later.
func TestIntegrationOpsReportRetention(t *testing.T) {
	t.Parallel()
	addr := testenv.ClickHouse(t)
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	db := "wp_test_cli_" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
		if err != nil {
			return
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = conn.Exec(ctx, "DROP DATABASE IF EXISTS "+db)
	})
	env := []string{"WATCHPOST_CLICKHOUSE=" + addr, "WATCHPOST_CLICKHOUSE_DB=" + db}
	run := func(args ...string) string {
		t.Helper()
		out, errs, code := cliEnv(t, env, "", args...)
		if code != 0 {
			t.Fatalf("watchpost %s: exit %d: %s", strings.Join(args, " "), code, errs)
		}
		return out
	}

	create := []string{"ops", "create", "--name", "STOP Liberterra", "--kind", "stop", "--start", "2026-06-01", "--end", "2026-06-04", "--posts", "CDG,ory", "--countries", "FRA"}
	id := strings.TrimSpace(run(create...))
	if !strings.HasPrefix(id, "op-") {
		t.Fatalf("ops create printed %q, want an operation id", id)
	}
	if again := strings.TrimSpace(run(create...)); again != id {
		t.Errorf("creating the same operation again gave id %q, want %q", again, id)
	}
	var listed []struct {
		ID          string   `json:"id"`
		BorderPosts []string `json:"border_posts"`
		Start       string   `json:"start"`
	}
	if err := json.Unmarshal([]byte(run("ops", "list", "--format", "json")), &listed); err != nil {
		t.Fatalf("decoding ops list: %v", err)
	}
	if len(listed) != 1 || listed[0].ID != id || strings.Join(listed[0].BorderPosts, ",") != "CDG,ORY" || listed[0].Start != "2026-06-01T00:00:00Z" {
		t.Errorf("ops list = %+v", listed)
	}
	run("ops", "posts", "add", "--code", "CDG", "--country", "FRA", "--kind", "airport", "--name", "Paris Charles de Gaulle")
	if out := run("ops", "posts", "list"); !strings.Contains(out, "Paris Charles de Gaulle") {
		t.Errorf("ops posts list = %q", out)
	}

	// Data: in the operation, 3 days × (CDG 10 + ORY 6 + LYS 4) persons; every 5th hits SLTD,
	// the first of each day is confirmed, the second dismissed. Before it, CDG 5 a day, no hits.
	ctx := t.Context()
	s, err := sink.Open(ctx, sink.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	start := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	var (
		screenings []event.Screening
		alerts     []event.Alert
		outcomes   []sink.Outcome
	)
	posts := map[string]int{"CDG": 10, "ORY": 6, "LYS": 4}
	for d := -3; d < 3; d++ {
		for post, n := range posts {
			if d < 0 && post != "CDG" {
				continue
			}
			if d < 0 {
				n = 5
			}
			for i := range n {
				at := start.Add(time.Duration(d)*24*time.Hour + time.Duration(i+1)*time.Hour)
				sid := event.SubjectID(post+"-"+at.Format("0102")+"-"+string(rune('a'+i)), 0)
				c := event.Context{Source: "api", BorderPost: post, Country: "FRA", EventTime: at}
				screenings = append(screenings, event.Screening{SubjectID: sid, EventID: sid, Kind: event.KindPerson, Context: c, ScreenedAt: at.Add(time.Second)})
				if d >= 0 && i%5 == 0 {
					hid := event.HitID(sid, event.DBSLTD, "r")
					alerts = append(alerts, event.Alert{Hit: event.Hit{ID: hid, SubjectID: sid, Database: event.DBSLTD, RecordID: "r"}, Context: c, RaisedAt: at.Add(1500 * time.Millisecond)})
					if i == 0 {
						outcomes = append(outcomes, sink.Outcome{HitID: hid, Decision: sink.Confirmed, OfficerID: "FRA-9", Country: "FRA", DecidedAt: at.Add(time.Hour)})
					} else {
						outcomes = append(outcomes, sink.Outcome{HitID: hid, Decision: sink.Dismissed, OfficerID: "FRA-9", Country: "FRA", DecidedAt: at.Add(time.Hour)})
					}
				}
			}
		}
	}
	for range 2 { // a replay changes nothing
		if err := s.WriteScreenings(ctx, screenings); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteAlerts(ctx, alerts); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteOutcomes(ctx, outcomes); err != nil {
			t.Fatal(err)
		}
	}

	var rep struct {
		Current struct {
			TravellersScreened uint64 `json:"travellers_screened"`
			Hits               uint64 `json:"hits"`
			ByBorderPost       []struct {
				BorderPost string `json:"border_post"`
				Name       string `json:"name"`
			} `json:"by_border_post"`
			Outcomes struct {
				Confirmed        uint64   `json:"confirmed"`
				Dismissed        uint64   `json:"dismissed"`
				ConfirmationRate *float64 `json:"confirmation_rate"`
			} `json:"outcomes"`
			LatencyMS struct {
				P50 *float64 `json:"p50"`
			} `json:"latency_ms"`
		} `json:"current"`
		Previous struct {
			TravellersScreened uint64 `json:"travellers_screened"`
		} `json:"previous"`
	}
	if err := json.Unmarshal([]byte(run("report", "operation", id, "--format", "json")), &rep); err != nil {
		t.Fatalf("decoding the JSON report: %v", err)
	}
	// CDG: 10 a day, hits at i=0,5 → 2 a day; ORY: 6 a day → 2 a day (i=0,5). LYS is outside.
	c := rep.Current
	if c.TravellersScreened != 48 || c.Hits != 12 || c.Outcomes.Confirmed != 6 || c.Outcomes.Dismissed != 6 ||
		c.Outcomes.ConfirmationRate == nil || *c.Outcomes.ConfirmationRate != 0.5 || c.LatencyMS.P50 == nil || *c.LatencyMS.P50 != 1500 {
		t.Errorf("report current period = %+v", c)
	}
	if len(c.ByBorderPost) != 2 || c.ByBorderPost[0].Name != "Paris Charles de Gaulle" {
		t.Errorf("report posts = %+v", c.ByBorderPost)
	}
	if rep.Previous.TravellersScreened != 15 {
		t.Errorf("previous period travellers = %d, want 15", rep.Previous.TravellersScreened)
	}
	text := run("report", "operation", id)
	for _, want := range []string{"Operation " + id + " — STOP Liberterra (stop)", "Travellers screened", "48", "Confirmation rate", "50.0%"} {
		if !strings.Contains(text, want) {
			t.Errorf("text report lacks %q:\n%s", want, text)
		}
	}
	page := filepath.Join(t.TempDir(), "report.html")
	run("report", "operation", id, "--format", "html", "--out", page)
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg id=\"chart-hits-by-database\"", "default-src 'none'", ">48<"} {
		if !strings.Contains(string(html), want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if _, errs, code := cliEnv(t, env, "", "report", "operation", "op-nope"); code == 0 || !strings.Contains(errs, "not found") {
		t.Errorf("report on a missing operation: exit %d, %q", code, errs)
	}

	// Retention five years and a month later: the June 2026 and May 2026 partitions go.
	dry := run("retention", "apply", "--dry-run", "--now", "2031-07-15")
	if !strings.Contains(dry, "dry run") || !strings.Contains(dry, "drop          screenings        202606") || !strings.Contains(dry, "202605") {
		t.Errorf("dry run output:\n%s", dry)
	}
	var rows uint64
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM screenings").Scan(&rows); err != nil || rows == 0 {
		t.Fatalf("after a dry run, screenings holds %d rows (%v)", rows, err)
	}
	applied := run("retention", "apply", "--now", "2031-07-15")
	if !strings.Contains(applied, "drop          hits              202606") {
		t.Errorf("apply output:\n%s", applied)
	}
	if err := s.Conn().QueryRow(ctx, "SELECT count() FROM screenings").Scan(&rows); err != nil || rows != 0 {
		t.Errorf("after retention, screenings holds %d rows (%v), want 0", rows, err)
	}
	if out := run("retention", "apply", "--now", "2031-07-15"); !strings.Contains(out, "nothing to do") {
		t.Errorf("a second apply: %s", out)
	}
}
