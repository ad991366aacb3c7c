package report_test

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"sort"
	"testing"
	"time"

	gocmp "github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/analytics/internal/chtest"
	"github.com/watchpost/watchpost/analytics/operations"
	"github.com/watchpost/watchpost/analytics/queries"
	"github.com/watchpost/watchpost/analytics/report"
	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/pipeline/event"
)

// world is what the pipeline delivered to the sink: every copy of every screening, alert and
// decision, duplicates included. The oracle below computes every report number from it
// directly, by the rules the queries document, without ClickHouse.
type world struct {
	screenings []event.Screening
	alerts     []event.Alert
	outcomes   []sink.Outcome
	audit      []sink.AuditEntry
}

type postDef struct{ code, country string }

var (
	worldPosts = []postDef{{"CDG", "FRA"}, {"ORY", "FRA"}, {"LYS", "FRA"}, {"MUC", "DEU"}}
	worldDBs   = []event.Database{event.DBSLTD, event.DBNotices, event.DBTDAWN, event.DBVehicles}
	worldKinds = []event.SubjectKind{event.KindPerson, event.KindPerson, event.KindPerson, event.KindPerson, event.KindPerson,
		event.KindPerson, event.KindPerson, event.KindPerson, event.KindVehicle, event.KindVessel}
	opStart = time.Date(2026, 6, 30, 0, 0, 0, 0, time.UTC) // the operation spans a month end: the loaders split it
	opEnd   = opStart.Add(3 * 24 * time.Hour)
)

// generate builds a deterministic world around the operation [opStart, opEnd): eight days of
// screenings over four posts (two inside the operation's scope, one in the same country but
// outside it, one in another country), hits on a few percent of subjects with millisecond
// latencies, some subjects redelivered later (after midnight, or across the operation's
// start), decisions on most hits, some changed later, and audit entries.
func generate(seed uint64) world {
	rng := rand.New(rand.NewPCG(seed, seed+1))
	var w world
	first := opStart.Add(-4 * 24 * time.Hour)
	n := 0
	for d := range 8 {
		for _, p := range worldPosts {
			for range 30 + rng.IntN(30) {
				n++
				eventID := fmt.Sprintf("m%d", n)
				subjectID := event.SubjectID(eventID, 0)
				at := first.Add(time.Duration(d)*24*time.Hour + time.Duration(rng.IntN(86400*1000))*time.Millisecond)
				c := event.Context{Source: "api", Carrier: "XY", Flight: "XY1", Departure: "AMS", Arrival: p.code, BorderPost: p.code, Country: p.country, EventTime: at.Add(-200 * time.Millisecond)}
				s := event.Screening{SubjectID: subjectID, EventID: eventID, Kind: worldKinds[rng.IntN(len(worldKinds))], Role: event.RolePassenger,
					Nationality: "NLD", Context: c, ScreenedAt: at, SnapshotVersion: 9}
				var alerts []event.Alert
				if rng.IntN(100) < 6 {
					for h := range 1 + rng.IntN(2) {
						db := worldDBs[(rng.IntN(len(worldDBs))+h)%len(worldDBs)]
						rec := fmt.Sprintf("r%d-%d", n, h)
						raised := c.EventTime.Add(time.Duration(20+rng.IntN(3000)) * time.Millisecond)
						a := event.Alert{
							Hit:      event.Hit{ID: event.HitID(subjectID, db, rec), SubjectID: subjectID, EventID: eventID, Database: db, RecordID: rec, Score: 0.9, Severity: "high", Owner: "DEU"},
							Subject:  event.Subject{ID: subjectID, EventID: eventID, Kind: s.Kind},
							Context:  c,
							RaisedAt: raised,
						}
						if rng.IntN(10) == 0 { // an alert without event time: no latency
							a.Context.EventTime = time.Time{}
						}
						alerts = append(alerts, a)
						s.Hits++
						s.Databases = append(s.Databases, db)
					}
				}
				w.screenings = append(w.screenings, s)
				w.alerts = append(w.alerts, alerts...)
				// A late redelivery: re-screened 2 to 30 hours later (a rescreen after a
				// rebalance), with a new screening time and new raise times but the same
				// event. (An alert without an event time is windowed by its raise time, so
				// its copies could move with a merge: the documented exception, left out.)
				if rng.IntN(12) == 0 {
					late := time.Duration(2+rng.IntN(28)) * time.Hour
					ls := s
					ls.ScreenedAt = s.ScreenedAt.Add(late)
					w.screenings = append(w.screenings, ls)
					for _, a := range alerts {
						if a.Context.EventTime.IsZero() {
							continue
						}
						a.RaisedAt = a.RaisedAt.Add(late)
						w.alerts = append(w.alerts, a)
					}
				}
				for _, a := range alerts {
					w.audit = append(w.audit, sink.AuditEntry{ActorID: "svc-console-1", ActorKind: sink.ActorService, Action: sink.ActionAlertShown,
						ObjectID: a.Hit.ID, Country: p.country, At: a.RaisedAt.Add(time.Second)})
					if rng.IntN(10) < 7 {
						o := sink.Outcome{HitID: a.Hit.ID, Decision: sink.Confirmed, ReasonCode: "identity_confirmed", OfficerID: fmt.Sprintf("%s-OFF-%d", p.country, rng.IntN(5)),
							Country: p.country, DecidedAt: a.RaisedAt.Add(time.Duration(1+rng.IntN(600)) * time.Second)}
						if rng.IntN(3) == 0 {
							o.Decision, o.ReasonCode = sink.Dismissed, "different_person"
						}
						w.outcomes = append(w.outcomes, o)
						if rng.IntN(5) == 0 { // changed later (written first, below: latest must still win)
							o2 := o
							o2.DecidedAt = o.DecidedAt.Add(90 * time.Second)
							o2.Decision = map[sink.Decision]sink.Decision{sink.Confirmed: sink.Dismissed, sink.Dismissed: sink.Confirmed}[o.Decision]
							w.outcomes = append([]sink.Outcome{o2}, w.outcomes...)
						}
					}
				}
			}
		}
	}
	return w
}

// screeningAt and alertAt are the times the reports window on: the event's, or the
// delivery's when the event has none.
func screeningAt(x event.Screening) time.Time {
	if x.Context.EventTime.IsZero() {
		return x.ScreenedAt
	}
	return x.Context.EventTime
}

func alertAt(a event.Alert) time.Time {
	if a.Context.EventTime.IsZero() {
		return a.RaisedAt
	}
	return a.Context.EventTime
}

// inScope reports whether a row with time t, at post/country, falls in scope.
func inScope(s queries.Scope, t time.Time, post, country string) bool {
	return !t.Before(s.Since) && t.Before(s.Until) &&
		(len(s.Posts) == 0 || slices.Contains(s.Posts, post)) &&
		(len(s.Countries) == 0 || slices.Contains(s.Countries, country))
}

func utcDay(t time.Time) time.Time { return t.UTC().Truncate(24 * time.Hour) }

// quantileExact is ClickHouse's quantileExact: the element at index floor(level·n) of the
// sorted values (the last one for level 1).
func quantileExact(sorted []int64, level float64) float64 {
	i := int(level * float64(len(sorted)))
	if i >= len(sorted) {
		i = len(sorted) - 1
	}
	return float64(sorted[i])
}

// oracle computes, from the deliveries alone, the Period the report must show for scope.
func oracle(w world, s queries.Scope) report.Period {
	p := report.Period{Scope: s, ScreenedByKind: map[string]uint64{}}
	firstScreen := map[string]event.Screening{}
	for _, x := range w.screenings {
		if inScope(s, screeningAt(x), x.Context.BorderPost, x.Context.Country) {
			firstScreen[x.SubjectID] = x // every copy has the same event
		}
	}
	type postAgg struct {
		screened map[string]bool
		hits     map[string]bool
		subjects map[string]bool
	}
	posts := map[string]*postAgg{}
	post := func(code string) *postAgg {
		if posts[code] == nil {
			posts[code] = &postAgg{map[string]bool{}, map[string]bool{}, map[string]bool{}}
		}
		return posts[code]
	}
	type dayAgg struct {
		screened, hits uint64
		subjects       map[string]bool
	}
	days := map[time.Time]*dayAgg{}
	day := func(t time.Time) *dayAgg {
		if days[utcDay(t)] == nil {
			days[utcDay(t)] = &dayAgg{subjects: map[string]bool{}}
		}
		return days[utcDay(t)]
	}
	for id, x := range firstScreen {
		p.ScreenedByKind[string(x.Kind)]++
		post(x.Context.BorderPost).screened[id] = true
		day(screeningAt(x)).screened++
	}
	firstRaise := map[string]event.Alert{}
	latency := map[string]int64{}
	for _, a := range w.alerts {
		if !inScope(s, alertAt(a), a.Context.BorderPost, a.Context.Country) {
			continue
		}
		firstRaise[a.Hit.ID] = a
		if !a.Context.EventTime.IsZero() {
			l := max(0, a.RaisedAt.Sub(a.Context.EventTime).Milliseconds())
			if prev, ok := latency[a.Hit.ID]; !ok || l < prev {
				latency[a.Hit.ID] = l
			}
		}
	}
	dbHits := map[string]map[string]bool{}
	dbSubjects := map[string]map[string]bool{}
	for id, a := range firstRaise {
		db := string(a.Hit.Database)
		if dbHits[db] == nil {
			dbHits[db], dbSubjects[db] = map[string]bool{}, map[string]bool{}
		}
		dbHits[db][id] = true
		dbSubjects[db][a.Hit.SubjectID] = true
		pa := post(a.Context.BorderPost)
		pa.hits[id] = true
		pa.subjects[a.Hit.SubjectID] = true
		da := day(alertAt(a))
		da.hits++
		da.subjects[a.Hit.SubjectID] = true
	}
	for _, db := range slices.Sorted(maps.Keys(dbHits)) {
		p.HitsByDatabase = append(p.HitsByDatabase, queries.DatabaseHits{Database: db, Hits: uint64(len(dbHits[db])), Subjects: uint64(len(dbSubjects[db]))})
	}
	for _, code := range slices.Sorted(maps.Keys(posts)) {
		pa := posts[code]
		p.ByPost = append(p.ByPost, queries.PostCounts{BorderPost: code, Screened: uint64(len(pa.screened)), Hits: uint64(len(pa.hits)), Subjects: uint64(len(pa.subjects))})
	}
	for _, d := range slices.SortedFunc(maps.Keys(days), func(a, b time.Time) int { return a.Compare(b) }) {
		da := days[d]
		p.ByDay = append(p.ByDay, queries.DayCounts{Day: d, Screened: da.screened, Hits: da.hits, Subjects: uint64(len(da.subjects))})
	}
	latest := map[string]sink.Outcome{}
	for _, o := range w.outcomes {
		if l, ok := latest[o.HitID]; !ok || o.DecidedAt.After(l.DecidedAt) {
			latest[o.HitID] = o
		}
	}
	for _, db := range slices.Sorted(maps.Keys(dbHits)) {
		d := queries.DatabaseOutcomes{Database: db, Hits: uint64(len(dbHits[db]))}
		for id := range dbHits[db] {
			switch latest[id].Decision {
			case sink.Confirmed:
				d.Confirmed++
			case sink.Dismissed:
				d.Dismissed++
			}
		}
		p.Outcomes = append(p.Outcomes, d)
	}
	var ls []int64
	for _, l := range latency {
		ls = append(ls, l)
	}
	if len(ls) > 0 {
		slices.Sort(ls)
		p.Latency = queries.Latency{Hits: uint64(len(ls)), P50MS: quantileExact(ls, 0.5), P90MS: quantileExact(ls, 0.9), P99MS: quantileExact(ls, 0.99), MaxMS: ls[len(ls)-1]}
	}
	return p
}

// trendOracle computes what the pre-aggregated tables must answer: per UTC day (or hour) of
// the event, the distinct subjects, hits and subjects hit, for the days (hours) that start
// inside the window.
func trendOracle(w world, s queries.Scope, unit time.Duration) []queries.TrendPoint {
	type agg struct{ screened, hits, subjects map[string]bool }
	out := map[time.Time]*agg{}
	get := func(t time.Time) *agg {
		k := t.UTC().Truncate(unit)
		if out[k] == nil {
			out[k] = &agg{map[string]bool{}, map[string]bool{}, map[string]bool{}}
		}
		return out[k]
	}
	keep := func(t time.Time, post, country string) bool {
		return inScope(s, t.UTC().Truncate(unit), post, country)
	}
	for _, x := range w.screenings {
		if keep(screeningAt(x), x.Context.BorderPost, x.Context.Country) {
			get(screeningAt(x)).screened[x.SubjectID] = true
		}
	}
	for _, a := range w.alerts {
		if keep(alertAt(a), a.Context.BorderPost, a.Context.Country) {
			g := get(alertAt(a))
			g.hits[a.Hit.ID] = true
			g.subjects[a.Hit.SubjectID] = true
		}
	}
	var pts []queries.TrendPoint
	for t, g := range out {
		pts = append(pts, queries.TrendPoint{At: t, Screened: uint64(len(g.screened)), Hits: uint64(len(g.hits)), Subjects: uint64(len(g.subjects))})
	}
	sort.Slice(pts, func(i, j int) bool { return pts[i].At.Before(pts[j].At) })
	return pts
}

// deliver writes every row through the sink in batches of size, as a sink consuming
// partitions would.
func deliver(t *testing.T, s *sink.Sink, w world, size int) {
	t.Helper()
	ctx := t.Context()
	for i := 0; i < len(w.screenings); i += size {
		if err := s.WriteScreenings(ctx, w.screenings[i:min(i+size, len(w.screenings))]); err != nil {
			t.Fatalf("WriteScreenings() error = %v", err)
		}
	}
	for i := 0; i < len(w.alerts); i += size {
		if err := s.WriteAlerts(ctx, w.alerts[i:min(i+size, len(w.alerts))]); err != nil {
			t.Fatalf("WriteAlerts() error = %v", err)
		}
	}
	for i := 0; i < len(w.outcomes); i += size {
		if err := s.WriteOutcomes(ctx, w.outcomes[i:min(i+size, len(w.outcomes))]); err != nil {
			t.Fatalf("WriteOutcomes() error = %v", err)
		}
	}
	if err := s.WriteAudit(ctx, w.audit); err != nil {
		t.Fatalf("WriteAudit() error = %v", err)
	}
}

func openSink(t *testing.T) *sink.Sink {
	t.Helper()
	addr := chtest.Addr(t)
	db := chtest.DatabaseName(t)
	chtest.DropOnCleanup(t, addr, db)
	s, err := sink.Open(t.Context(), sink.Config{Addr: addr, Database: db})
	if err != nil {
		t.Fatalf("sink.Open() error = %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

// sanity guards the fixture, so that the comparisons mean something: both periods have
// screenings, hits of several databases, decisions of both kinds, undecided hits, known
// latencies, several days, and the scope leaves rows out.
func sanity(t *testing.T, w world, cur, prev report.Period) {
	t.Helper()
	for name, p := range map[string]report.Period{"operation": cur, "before": prev} {
		c, d, u := p.Decisions()
		if p.Travellers() == 0 || p.Screened() == p.Travellers() || len(p.HitsByDatabase) < 3 || c == 0 || d == 0 || u == 0 ||
			p.Latency.Hits < 10 || len(p.ByDay) != 3 || len(p.ByPost) != 2 {
			t.Fatalf("fixture: the %s period is too thin to test: %+v", name, p)
		}
	}
	distinct := map[string]bool{}
	for _, s := range w.screenings {
		distinct[s.SubjectID] = true
	}
	if cur.Screened()+prev.Screened() >= uint64(len(distinct)) {
		t.Fatal("fixture: the scope should leave some subjects out")
	}
}

func comparePeriod(t *testing.T, what string, want, got report.Period) {
	t.Helper()
	if diff := gocmp.Diff(want, got); diff != "" {
		t.Errorf("%s mismatch (-oracle +ClickHouse):\n%s", what, diff)
	}
}

// TestIntegrationReplayNeverDoubleCounts delivers a world once and builds the operation's
// report; then replays everything twice more (in other batch sizes, as a consumer replaying
// its topics would) and merges the tables: every report number, and every pre-aggregated
// hourly and daily number, must equal what the oracle computes from the deliveries, each
// time.
func TestIntegrationReplayNeverDoubleCounts(t *testing.T) {
	t.Parallel()
	s := openSink(t)
	ctx := t.Context()
	conn := s.Conn()
	w := generate(7)
	op, err := operations.Create(ctx, conn, operations.Operation{
		Name: "STOP test", Kind: operations.Stop, Start: opStart, End: opEnd, BorderPosts: []string{"CDG", "ORY"}, Countries: []string{"FRA"},
	})
	if err != nil {
		t.Fatalf("Create() error = %v", err)
	}
	if err := operations.PutPosts(ctx, conn, []operations.BorderPost{{Code: "CDG", Country: "FRA", Kind: operations.Airport, Name: "Paris Charles de Gaulle"}}); err != nil {
		t.Fatal(err)
	}
	wantCur, wantPrev := oracle(w, op.Scope()), oracle(w, op.Previous())
	sanity(t, w, wantCur, wantPrev)
	trendScope := queries.Scope{Since: opStart.Add(-4 * 24 * time.Hour), Until: opEnd.Add(24 * time.Hour), Countries: []string{"FRA"}}
	wantDaily := trendOracle(w, trendScope, 24*time.Hour)
	wantHourly := trendOracle(w, op.Scope(), time.Hour)

	now := opEnd.Add(time.Hour)
	check := func(stage string) report.Report {
		t.Helper()
		r, err := report.Build(ctx, conn, op, now)
		if err != nil {
			t.Fatalf("%s: Build() error = %v", stage, err)
		}
		comparePeriod(t, stage+": operation period", wantCur, r.Current)
		comparePeriod(t, stage+": period before", wantPrev, r.Previous)
		daily, err := queries.LoadTrendDaily(ctx, conn, trendScope)
		if err != nil {
			t.Fatalf("%s: LoadTrendDaily() error = %v", stage, err)
		}
		if diff := gocmp.Diff(wantDaily, daily); diff != "" {
			t.Errorf("%s: daily aggregates mismatch (-oracle +ClickHouse):\n%s", stage, diff)
		}
		hourly, err := queries.LoadTrendHourly(ctx, conn, op.Scope())
		if err != nil {
			t.Fatalf("%s: LoadTrendHourly() error = %v", stage, err)
		}
		if diff := gocmp.Diff(wantHourly, hourly); diff != "" {
			t.Errorf("%s: hourly aggregates mismatch (-oracle +ClickHouse):\n%s", stage, diff)
		}
		// Merging the hours of the whole window (uniqMerge over them) counts a subject
		// delivered in two hours once: the union is as exact as the base table.
		var union uint64
		q := "SELECT uniqMerge(screened) FROM screenings_hourly WHERE hour >= toDateTime(?) AND hour < toDateTime(?) AND has(['CDG', 'ORY'], border_post) AND country = 'FRA'"
		if err := conn.QueryRow(ctx, q, opStart.Unix(), opEnd.Unix()).Scan(&union); err != nil {
			t.Fatalf("%s: merging the hourly states: %v", stage, err)
		}
		if union != wantCur.Screened() {
			t.Errorf("%s: uniqMerge over the window's hours = %d, want %d distinct subjects", stage, union, wantCur.Screened())
		}
		return r
	}

	deliver(t, s, w, 97)
	first := check("first delivery")
	deliver(t, s, w, 41)
	deliver(t, s, w, 1000)
	var raw, distinct uint64
	if err := conn.QueryRow(ctx, "SELECT count(), uniqExact(subject_id) FROM screenings").Scan(&raw, &distinct); err != nil {
		t.Fatal(err)
	}
	t.Logf("after three deliveries: %d screenings rows for %d subjects (duplicates ClickHouse has not merged yet: %d)", raw, distinct, raw-distinct)
	second := check("after two replays")
	if diff := gocmp.Diff(first, second); diff != "" {
		t.Errorf("the report changed after replays (-first +replayed):\n%s", diff)
	}
	for _, table := range []string{"screenings", "hits", "outcomes", "audit", "screenings_hourly", "screenings_daily", "hits_hourly", "hits_daily"} {
		octx, cancel := context.WithTimeout(ctx, time.Minute)
		err := conn.Exec(octx, "OPTIMIZE TABLE "+table+" FINAL")
		cancel()
		if err != nil {
			t.Fatalf("OPTIMIZE TABLE %s FINAL: %v", table, err)
		}
	}
	check("after merging")

	activity, err := queries.LoadAuditByActor(ctx, conn, time.Time{}, now.Add(24*time.Hour))
	if err != nil {
		t.Fatalf("LoadAuditByActor() error = %v", err)
	}
	if len(activity) != 1 || activity[0].Entries != uint64(len(w.audit)) || activity[0].ActorID != "svc-console-1" {
		t.Errorf("audit activity = %+v, want one actor with %d entries", activity, len(w.audit))
	}
}

// TestIntegrationUniqStateLargeSets checks the aggregate tables beyond the sizes of the
// replay test, where uniq starts sampling: 200,000 distinct subjects in one day, inserted
// twice. The daily number must not move with the second copy, and stays within 2% of the
// truth.
func TestIntegrationUniqStateLargeSets(t *testing.T) {
	t.Parallel()
	s := openSink(t)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()
	conn := s.Conn()
	const n = 200_000
	insert := fmt.Sprintf(`INSERT INTO screenings (subject_id, kind, border_post, country, screened_at, screened_date)
		SELECT concat('big/', toString(number)), 'person', 'CDG', 'FRA', toDateTime('2026-06-10 12:00:00') + (number %% 3600), toDate('2026-06-10')
		FROM numbers(%d)`, n)
	daily := func() uint64 {
		var v uint64
		if err := conn.QueryRow(ctx, "SELECT uniqMerge(screened) FROM screenings_daily WHERE day = '2026-06-10'").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	if err := conn.Exec(ctx, insert); err != nil {
		t.Fatalf("inserting: %v", err)
	}
	once := daily()
	if err := conn.Exec(ctx, insert); err != nil {
		t.Fatalf("inserting again: %v", err)
	}
	twice := daily()
	if once != twice {
		t.Errorf("a second copy of the same rows moved the daily aggregate from %d to %d", once, twice)
	}
	if diff := float64(cmp.Compare(once, n)) * (float64(max(once, n)-min(once, n)) / n); diff > 0.02 || diff < -0.02 {
		t.Errorf("daily aggregate = %d for %d distinct subjects: off by more than 2%%", once, n)
	}
	exact, err := queries.LoadScreenedByKind(ctx, conn, queries.Scope{Since: time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC), Until: time.Date(2026, 6, 11, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if exact["person"] != n {
		t.Errorf("the exact scoped count = %d, want %d", exact["person"], n)
	}
	t.Logf("uniq over %d distinct ids inserted twice: %d (%.3f%% off); uniqExact: %d", n, once, 100*(float64(once)-n)/n, exact["person"])
}
