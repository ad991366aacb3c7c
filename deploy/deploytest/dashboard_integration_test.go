package deploytest

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/event"
)

// expandMacros expands the ClickHouse data source's macros and the dashboard's $country
// variable the way the plugin and Grafana do, for a time range and a country selection
// (nil: All).
func expandMacros(t *testing.T, sql string, from, to time.Time, intervalSeconds int, countries []string) string {
	t.Helper()
	// $__conditionalAll(condition, $var): the condition, or 1=1 when All is selected.
	for {
		i := strings.Index(sql, "$__conditionalAll(")
		if i < 0 {
			break
		}
		start := i + len("$__conditionalAll(")
		depth, end, comma := 1, -1, -1
		for j := start; j < len(sql) && end < 0; j++ {
			switch sql[j] {
			case '(':
				depth++
			case ')':
				depth--
				if depth == 0 {
					end = j
				}
			case ',':
				if depth == 1 {
					comma = j
				}
			}
		}
		if end < 0 || comma < 0 {
			t.Fatalf("unbalanced $__conditionalAll in %s", sql)
		}
		cond := sql[start:comma]
		if countries == nil {
			cond = "1=1"
		}
		sql = sql[:i] + cond + sql[end+1:]
	}
	quoted := make([]string, len(countries))
	for i, c := range countries {
		quoted[i] = "'" + c + "'"
	}
	sql = strings.ReplaceAll(sql, "${country:singlequote}", strings.Join(quoted, ","))
	filter := regexp.MustCompile(`\$__timeFilter\((\w+)\)`)
	sql = filter.ReplaceAllString(sql, fmt.Sprintf("$1 >= toDateTime(%d) AND $1 <= toDateTime(%d)", from.Unix(), to.Unix()))
	sql = strings.ReplaceAll(sql, "$__interval_s", strconv.Itoa(intervalSeconds))
	if strings.Contains(sql, "$") {
		t.Fatalf("unexpanded macro or variable left in %s", sql)
	}
	return sql
}

// TestIntegrationDashboardQueries runs every query of every dashboard on the real test
// ClickHouse (18.16 in make test), against the tables the sink creates, with rows written
// by the sink twice over (a redelivery): each query must run, and the counts must be those of
// the distinct rows.
func TestIntegrationDashboardQueries(t *testing.T) {
	t.Parallel()
	addr := testenv.ClickHouse(t)
	r := loadRepo(t)
	g, errs := LoadGrafana(r)
	for _, err := range errs {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	db := fmt.Sprintf("wp_deploytest_%d", time.Now().UnixNano())
	s, err := sink.Open(ctx, sink.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatalf("opening the sink: %v", err)
	}
	t.Cleanup(func() {
		dctx, dcancel := context.WithTimeout(context.WithoutCancel(t.Context()), 30*time.Second)
		defer dcancel()
		if err := s.Conn().Exec(dctx, "DROP DATABASE IF EXISTS "+db); err != nil {
			t.Errorf("dropping %s: %v", db, err)
		}
		_ = s.Close()
	})

	now := time.Now().UTC().Truncate(time.Second)
	fra := event.Context{Source: "api", Carrier: "AF", Flight: "AF1", BorderPost: "CDG", Country: "FRA", EventTime: now}
	deu := event.Context{Source: "api", Carrier: "LH", Flight: "LH2", BorderPost: "FRA", Country: "DEU", EventTime: now}
	screening := func(id string, c event.Context, micros int64) event.Screening {
		return event.Screening{SubjectID: id, EventID: "e-" + id, Kind: event.KindPerson, Role: "passenger", Context: c, ScreenedAt: now, DurationMicros: micros}
	}
	screenings := []event.Screening{screening("s1", fra, 100), screening("s2", fra, 200), screening("s3", deu, 300)}
	alert := func(subject string, db event.Database, c event.Context) event.Alert {
		return event.Alert{
			Hit:      event.Hit{ID: event.HitID(subject, db, "r-"+subject), SubjectID: subject, EventID: "e-" + subject, Database: db, RecordID: "r-" + subject, Score: 0.9, Severity: "high"},
			Subject:  event.Subject{ID: subject, EventID: "e-" + subject, Kind: event.KindPerson},
			Context:  c,
			RaisedAt: now,
		}
	}
	alerts := []event.Alert{alert("s1", event.DBSLTD, fra), alert("s2", event.DBNotices, fra)}
	// Everything twice, in two batches: what a redelivery leaves until the merge.
	for range 2 {
		if err := s.WriteScreenings(ctx, screenings); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteAlerts(ctx, alerts); err != nil {
			t.Fatal(err)
		}
	}

	from, to := now.Add(-24*time.Hour), now.Add(24*time.Hour)
	run := func(t *testing.T, sql string) [][]string {
		t.Helper()
		qctx := clickhouse.Context(ctx, clickhouse.WithSettings(clickhouse.Settings{"max_execution_time": 30}))
		rows, err := s.Conn().Query(qctx, sql)
		if err != nil {
			t.Fatalf("%v\n%s", err, sql)
		}
		defer func() { _ = rows.Close() }()
		var out [][]string
		types := rows.ColumnTypes()
		for rows.Next() {
			vals := make([]any, len(types))
			for i, ct := range types {
				vals[i] = reflect.New(ct.ScanType()).Interface()
			}
			if err := rows.Scan(vals...); err != nil {
				t.Fatal(err)
			}
			row := make([]string, len(vals))
			for i, v := range vals {
				row[i] = fmt.Sprint(reflect.ValueOf(v).Elem().Interface())
			}
			out = append(out, row)
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		return out
	}
	// What the de-duplicated data must show, by panel, with All countries and with FRA.
	want := map[string]map[string]string{
		"Travellers screened": {"all": "[[3]]", "FRA": "[[2]]"},
		"Hits":                {"all": "[[2]]", "FRA": "[[2]]"},
		"Subjects with a hit": {"all": "[[0.6666666666666666]]", "FRA": "[[1]]"},
	}
	for _, d := range g.Dashboards {
		for _, p := range d.AllPanels() {
			for _, tg := range p.Targets {
				for _, sel := range []struct {
					name      string
					countries []string
				}{{"all", nil}, {"FRA", []string{"FRA"}}} {
					t.Run(p.Title+"/"+sel.name, func(t *testing.T) {
						got := run(t, expandMacros(t, tg.RawSQL, from, to, 3600, sel.countries))
						if len(got) == 0 {
							t.Fatalf("no rows")
						}
						if w, ok := want[p.Title][sel.name]; ok && fmt.Sprint(got) != w {
							t.Errorf("got %v, want %s (each subject and hit counted once)", got, w)
						}
						switch {
						case strings.HasPrefix(p.Title, "Hits per database per day"):
							total := 0
							for _, row := range got {
								n, _ := strconv.Atoi(row[2])
								total += n
							}
							if total != 2 {
								t.Errorf("hits per database add up to %d, want 2: %v", total, got)
							}
						case strings.HasPrefix(p.Title, "Hits per border post"):
							if fmt.Sprint(got[0][:4]) != "[CDG 2 2 2]" {
								t.Errorf("got %v, want CDG with 2 hits, 2 subjects, 2 screened", got)
							}
						case strings.HasPrefix(p.Title, "Travellers screened per hour"):
							if w := map[string]string{"all": "3", "FRA": "2"}[sel.name]; len(got) != 1 || got[0][1] != w {
								t.Errorf("got %v, want one hour with %s travellers", got, w)
							}
						}
					})
				}
			}
		}
		for _, v := range d.Templating.List {
			if v.Type != "query" {
				continue
			}
			t.Run("variable "+v.Name, func(t *testing.T) {
				var q string
				if err := jsonString(v.Query, &q); err != nil {
					t.Fatal(err)
				}
				got := run(t, expandMacros(t, q, from, to, 3600, nil))
				if fmt.Sprint(got) != "[[DEU] [FRA]]" {
					t.Errorf("got %v, want the two screening countries once each", got)
				}
			})
		}
	}
}

func jsonString(raw []byte, s *string) error { return json.Unmarshal(raw, s) }
