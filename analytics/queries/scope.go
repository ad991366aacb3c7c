package queries

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Names of the embedded query files beyond the first three.
const (
	FileScopeScreened       = "scope_screened.sql"
	FileScopeHitsByDatabase = "scope_hits_by_database.sql"
	FileScopeByPost         = "scope_by_post.sql"
	FileScopeByDay          = "scope_by_day.sql"
	FileScopeOutcomes       = "scope_outcomes.sql"
	FileScopeLatency        = "scope_latency.sql"
	FileTrendDaily          = "trend_daily.sql"
	FileTrendHourly         = "trend_hourly.sql"
	FileOperations          = "operations.sql"
	FileBorderPosts         = "border_posts.sql"
	FileAuditByActor        = "audit_by_actor.sql"
	FilePartitions          = "partitions.sql"
)

// Files returns the names of every embedded query file, sorted.
func Files() []string {
	names, err := fs.Glob(files, "*.sql")
	if err != nil { // only for a malformed pattern
		panic(err)
	}
	sort.Strings(names)
	return names
}

// Scope is what a report covers: the half-open window [Since, Until) in UTC and, optionally,
// border posts and countries. An empty Posts means every post; an empty Countries every
// country. Both lists must hold codes: letters, digits, '_' and '-', at most 32 bytes each.
type Scope struct {
	Since, Until time.Time
	Posts        []string // border post codes (IATA, UN/LOCODE, …)
	Countries    []string // ISO 3166 alpha-3 of the screening country
}

// Validate reports every problem with the scope at once.
func (s Scope) Validate() error {
	var errs []error
	if !s.Until.After(s.Since) {
		errs = append(errs, errors.New("scope: until must be after since"))
	}
	for _, l := range []struct {
		name  string
		codes []string
	}{{"posts", s.Posts}, {"countries", s.Countries}} {
		for i, c := range l.codes {
			if !code.MatchString(c) {
				errs = append(errs, fmt.Errorf("scope: %s element %d is not a code (letters, digits, _ and -, at most 32)", l.name, i+1))
			}
		}
	}
	return errors.Join(errs...)
}

var code = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)

// BindLists returns query with each declared list parameter "emptyArrayString() AS name" set
// to the array literal of lists[name]; an empty list keeps the declaration (which means
// "every"). It fails when a parameter is not declared in the query or when an element is not
// a code (letters, digits, '_' and '-', at most 32 bytes), so no caller text other than such
// codes reaches the SQL.
func BindLists(query string, lists map[string][]string) (string, error) {
	for name, values := range lists {
		decl := "emptyArrayString() AS " + name
		re, err := regexp.Compile(regexp.QuoteMeta(decl) + `\b`)
		if err != nil {
			return "", fmt.Errorf("binding parameter %s: %w", name, err)
		}
		if !re.MatchString(query) {
			return "", fmt.Errorf("binding parameter %s: not declared as %s", name, decl)
		}
		if len(values) == 0 {
			continue
		}
		quoted := make([]string, len(values))
		for i, v := range values {
			if !code.MatchString(v) {
				return "", fmt.Errorf("binding parameter %s: element %d is not a code", name, i+1)
			}
			quoted[i] = "'" + v + "'"
		}
		query = re.ReplaceAllLiteralString(query, "["+strings.Join(quoted, ", ")+"] AS "+name)
	}
	return query, nil
}

// BindScope binds since, until, posts and countries of a query file to scope.
func BindScope(query string, scope Scope) (string, error) {
	if err := scope.Validate(); err != nil {
		return "", err
	}
	q, err := BindLists(query, map[string][]string{"posts": scope.Posts, "countries": scope.Countries})
	if err != nil {
		return "", err
	}
	return Bind(q, map[string]time.Time{"since": scope.Since, "until": scope.Until})
}

// Months splits s at the first instant of each calendar month (UTC) inside it. Every row's
// event time falls in exactly one piece, and every copy of a row has the same event time,
// so counts of distinct ids over the pieces add up exactly to the count over s, while each
// query holds at most a month's ids in memory. The typed loaders of additive counts run
// month by month for this reason; run the files month by month too when a window holds
// more ids than a query may keep in memory (about 40 bytes each).
func (s Scope) Months() []Scope {
	var out []Scope
	for since := s.Since; since.Before(s.Until); {
		u := since.UTC()
		next := time.Date(u.Year(), u.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
		until := next
		if !until.Before(s.Until) {
			until = s.Until
		}
		piece := s
		piece.Since, piece.Until = since, until
		out = append(out, piece)
		since = until
	}
	return out
}

// eachMonth runs load on every month of scope, in order, skipping the months before and
// after the data (see dataSpan).
func eachMonth(ctx context.Context, conn driver.Conn, scope Scope, load func(Scope) error) error {
	if err := scope.Validate(); err != nil {
		return err
	}
	span, ok, err := dataSpan(ctx, conn, scope)
	if err != nil || !ok {
		return err
	}
	for _, m := range span.Months() {
		if err := load(m); err != nil {
			return err
		}
	}
	return nil
}

// dataSpan narrows scope to the event times the base tables can hold: from 8 days before
// their earliest partition date (a row is looked for up to 8 days after its event) to a day
// after their latest (clock skew), read from system.parts at no cost. ok is false when the
// tables are empty or the narrowed scope is. Splitting "all time" by month would otherwise
// query some 1,500 empty months.
func dataSpan(ctx context.Context, conn driver.Conn, scope Scope) (Scope, bool, error) {
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	var (
		first, last time.Time
		parts       uint64
	)
	q := "SELECT min(min_date), max(max_date), count() FROM system.parts WHERE database = currentDatabase() AND active AND table IN ('screenings', 'hits')"
	if err := conn.QueryRow(ctx, q).Scan(&first, &last, &parts); err != nil {
		return Scope{}, false, fmt.Errorf("reading the span of the data: %w", err)
	}
	if parts == 0 {
		return Scope{}, false, nil
	}
	from := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, -8)
	to := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, time.UTC).AddDate(0, 0, 2)
	if scope.Since.Before(from) {
		scope.Since = from
	}
	if scope.Until.After(to) {
		scope.Until = to
	}
	return scope, scope.Until.After(scope.Since), nil
}

func loadScope(name string, scope Scope) (string, error) {
	text, err := Text(name)
	if err != nil {
		return "", err
	}
	q, err := BindScope(text, scope)
	if err != nil {
		return "", fmt.Errorf("binding %s: %w", name, err)
	}
	return q, nil
}

// each runs q and calls scan for every row; what names the question in errors.
func each(ctx context.Context, conn driver.Conn, what, q string, scan func(driver.Rows) error) error {
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return fmt.Errorf("querying %s: %w", what, err)
	}
	defer rows.Close()
	for rows.Next() {
		if err := scan(rows); err != nil {
			return fmt.Errorf("scanning %s: %w", what, err)
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("querying %s: %w", what, err)
	}
	return nil
}

// LoadScreenedByKind counts the distinct subjects screened in scope, per kind (person,
// vehicle, vessel, firearm), month by month (see [Scope.Months]). Kinds without screenings
// are absent.
func LoadScreenedByKind(ctx context.Context, conn driver.Conn, scope Scope) (map[string]uint64, error) {
	out := map[string]uint64{}
	err := eachMonth(ctx, conn, scope, func(m Scope) error {
		q, err := loadScope(FileScopeScreened, m)
		if err != nil {
			return err
		}
		return each(ctx, conn, "subjects screened per kind", q, func(r driver.Rows) error {
			var (
				kind string
				n    uint64
			)
			if err := r.Scan(&kind, &n); err != nil {
				return err
			}
			out[kind] += n
			return nil
		})
	})
	return out, err
}

// DatabaseHits is one database's hits in a scope.
type DatabaseHits struct {
	Database string `json:"database"`
	Hits     uint64 `json:"hits"`     // distinct hits
	Subjects uint64 `json:"subjects"` // distinct subjects hit
}

// LoadHitsByDatabase counts the distinct hits, and subjects hit, in scope per database,
// month by month (see [Scope.Months]), ordered by database.
func LoadHitsByDatabase(ctx context.Context, conn driver.Conn, scope Scope) ([]DatabaseHits, error) {
	sum := map[string]DatabaseHits{}
	err := eachMonth(ctx, conn, scope, func(m Scope) error {
		q, err := loadScope(FileScopeHitsByDatabase, m)
		if err != nil {
			return err
		}
		return each(ctx, conn, "hits per database", q, func(r driver.Rows) error {
			var d DatabaseHits
			if err := r.Scan(&d.Database, &d.Hits, &d.Subjects); err != nil {
				return err
			}
			acc := sum[d.Database]
			acc.Database, acc.Hits, acc.Subjects = d.Database, acc.Hits+d.Hits, acc.Subjects+d.Subjects
			sum[d.Database] = acc
			return nil
		})
	})
	return sortedValues(sum), err
}

// sortedValues returns m's values ordered by key.
func sortedValues[T any](m map[string]T) []T {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []T
	for _, k := range keys {
		out = append(out, m[k])
	}
	return out
}

// PostCounts is one border post's numbers in a scope.
type PostCounts struct {
	BorderPost string `json:"border_post"`
	Screened   uint64 `json:"screened"` // distinct subjects screened
	Hits       uint64 `json:"hits"`     // distinct hits
	Subjects   uint64 `json:"subjects"` // distinct subjects hit
}

// LoadByPost returns subjects screened, hits and subjects hit per border post in scope,
// month by month (see [Scope.Months]), ordered by post. A post appears when it screened
// anyone or raised any hit.
func LoadByPost(ctx context.Context, conn driver.Conn, scope Scope) ([]PostCounts, error) {
	sum := map[string]PostCounts{}
	err := eachMonth(ctx, conn, scope, func(m Scope) error {
		q, err := loadScope(FileScopeByPost, m)
		if err != nil {
			return err
		}
		return each(ctx, conn, "counts per border post", q, func(r driver.Rows) error {
			var p PostCounts
			if err := r.Scan(&p.BorderPost, &p.Screened, &p.Hits, &p.Subjects); err != nil {
				return err
			}
			acc := sum[p.BorderPost]
			acc.BorderPost = p.BorderPost
			acc.Screened, acc.Hits, acc.Subjects = acc.Screened+p.Screened, acc.Hits+p.Hits, acc.Subjects+p.Subjects
			sum[p.BorderPost] = acc
			return nil
		})
	})
	return sortedValues(sum), err
}

// DayCounts is one day's numbers in a scope.
type DayCounts struct {
	Day      time.Time // midnight UTC
	Screened uint64    // distinct subjects first screened that day
	Hits     uint64    // distinct hits first raised that day
	Subjects uint64    // distinct subjects among those hits
}

// LoadByDay returns subjects screened, hits and subjects hit per day (UTC) of the event in
// scope, month by month (see [Scope.Months]), ordered by day. A day appears when it screened
// anyone or raised any hit.
func LoadByDay(ctx context.Context, conn driver.Conn, scope Scope) ([]DayCounts, error) {
	var out []DayCounts
	err := eachMonth(ctx, conn, scope, func(m Scope) error {
		q, err := loadScope(FileScopeByDay, m)
		if err != nil {
			return err
		}
		return each(ctx, conn, "counts per day", q, func(r driver.Rows) error {
			var d DayCounts
			if err := r.Scan(&d.Day, &d.Screened, &d.Hits, &d.Subjects); err != nil {
				return err
			}
			d.Day = d.Day.UTC()
			if n := len(out); n > 0 && out[n-1].Day.Equal(d.Day) { // a window split inside a day
				out[n-1].Screened += d.Screened
				out[n-1].Hits += d.Hits
				out[n-1].Subjects += d.Subjects
				return nil
			}
			out = append(out, d)
			return nil
		})
	})
	return out, err
}

// DatabaseOutcomes is how the hits of one database in a scope were decided, each by its
// latest decision.
type DatabaseOutcomes struct {
	Database  string `json:"database"`
	Hits      uint64 `json:"hits"`
	Confirmed uint64 `json:"confirmed"`
	Dismissed uint64 `json:"dismissed"`
}

// Undecided is the number of hits with no decision yet.
func (d DatabaseOutcomes) Undecided() uint64 { return d.Hits - d.Confirmed - d.Dismissed }

// LoadOutcomes returns, per database, the distinct hits raised in scope and how many of
// them were confirmed and dismissed by their latest decision, month by month (see
// [Scope.Months]), ordered by database.
func LoadOutcomes(ctx context.Context, conn driver.Conn, scope Scope) ([]DatabaseOutcomes, error) {
	sum := map[string]DatabaseOutcomes{}
	err := eachMonth(ctx, conn, scope, func(m Scope) error {
		q, err := loadScope(FileScopeOutcomes, m)
		if err != nil {
			return err
		}
		return each(ctx, conn, "outcomes per database", q, func(r driver.Rows) error {
			var d DatabaseOutcomes
			if err := r.Scan(&d.Database, &d.Hits, &d.Confirmed, &d.Dismissed); err != nil {
				return err
			}
			acc := sum[d.Database]
			acc.Database = d.Database
			acc.Hits, acc.Confirmed, acc.Dismissed = acc.Hits+d.Hits, acc.Confirmed+d.Confirmed, acc.Dismissed+d.Dismissed
			sum[d.Database] = acc
			return nil
		})
	})
	return sortedValues(sum), err
}

// Latency summarises raised_at − event_time over the distinct hits of a scope whose event
// time is known. With no such hit, Hits is 0 and the percentiles are 0.
type Latency struct {
	Hits  uint64  `json:"hits"`
	P50MS float64 `json:"p50_ms"`
	P90MS float64 `json:"p90_ms"`
	P99MS float64 `json:"p99_ms"`
	MaxMS int64   `json:"max_ms"`
}

// LoadLatency returns the alert latency percentiles (exact quantiles) of the hits in scope,
// in one query: quantiles do not add up across months, and hits are few.
func LoadLatency(ctx context.Context, conn driver.Conn, scope Scope) (Latency, error) {
	q, err := loadScope(FileScopeLatency, scope)
	if err != nil {
		return Latency{}, err
	}
	var l Latency
	err = each(ctx, conn, "alert latency", q, func(r driver.Rows) error {
		var qs []float64
		if err := r.Scan(&l.Hits, &qs, &l.MaxMS); err != nil {
			return err
		}
		if len(qs) != 3 {
			return fmt.Errorf("got %d quantiles, want 3", len(qs))
		}
		if l.Hits > 0 {
			l.P50MS, l.P90MS, l.P99MS = finiteOrZero(qs[0]), finiteOrZero(qs[1]), finiteOrZero(qs[2])
		}
		return nil
	})
	if l.Hits == 0 {
		l = Latency{}
	}
	return l, err
}

func finiteOrZero(f float64) float64 {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return 0
	}
	return f
}

// TrendPoint is one hour or day read from the pre-aggregated tables.
type TrendPoint struct {
	At       time.Time // start of the hour or day, UTC
	Screened uint64    // approximately distinct subjects (uniq)
	Hits     uint64    // approximately distinct hits (uniq)
	Subjects uint64    // approximately distinct subjects hit (uniq)
}

// LoadTrendDaily returns per-day numbers in scope from the daily aggregate tables: days that
// start inside [Since, Until). Fast at any size; approximate above 65,536 distinct ids a day
// and never changed by a redelivery.
func LoadTrendDaily(ctx context.Context, conn driver.Conn, scope Scope) ([]TrendPoint, error) {
	return loadTrend(ctx, conn, FileTrendDaily, "daily trend", scope)
}

// LoadTrendHourly is [LoadTrendDaily] per hour, from the hourly aggregate tables.
func LoadTrendHourly(ctx context.Context, conn driver.Conn, scope Scope) ([]TrendPoint, error) {
	return loadTrend(ctx, conn, FileTrendHourly, "hourly trend", scope)
}

func loadTrend(ctx context.Context, conn driver.Conn, file, what string, scope Scope) ([]TrendPoint, error) {
	q, err := loadScope(file, scope)
	if err != nil {
		return nil, err
	}
	var out []TrendPoint
	err = each(ctx, conn, what, q, func(r driver.Rows) error {
		var p TrendPoint
		if err := r.Scan(&p.At, &p.Screened, &p.Hits, &p.Subjects); err != nil {
			return err
		}
		p.At = p.At.UTC()
		out = append(out, p)
		return nil
	})
	return out, err
}

// ActorActivity is what one actor did in a window.
type ActorActivity struct {
	ActorKind string `json:"actor_kind"`
	ActorID   string `json:"actor_id"`
	Action    string `json:"action"`
	Entries   uint64 `json:"entries"` // distinct audit entries
	Objects   uint64 `json:"objects"` // distinct objects acted on
}

// LoadAuditByActor returns, per actor and action, the audit entries in [since, until).
func LoadAuditByActor(ctx context.Context, conn driver.Conn, since, until time.Time) ([]ActorActivity, error) {
	q, err := load(FileAuditByActor, since, until)
	if err != nil {
		return nil, err
	}
	var out []ActorActivity
	err = each(ctx, conn, "audit entries per actor", q, func(r driver.Rows) error {
		var a ActorActivity
		if err := r.Scan(&a.ActorKind, &a.ActorID, &a.Action, &a.Entries, &a.Objects); err != nil {
			return err
		}
		out = append(out, a)
		return nil
	})
	return out, err
}

// Partition is one partition of one table, as system.parts reports its active parts.
type Partition struct {
	Table     string
	Partition string // the partition key's value as text: "202401" for a toYYYYMM partition
	Rows      uint64
	Bytes     uint64
}

// LoadPartitions lists the partitions of every table of the connection's database, ordered
// by table and partition.
func LoadPartitions(ctx context.Context, conn driver.Conn) ([]Partition, error) {
	q, err := Text(FilePartitions)
	if err != nil {
		return nil, err
	}
	var out []Partition
	err = each(ctx, conn, "partitions", strings.TrimSuffix(strings.TrimSpace(q), ";"), func(r driver.Rows) error {
		var p Partition
		if err := r.Scan(&p.Table, &p.Partition, &p.Rows, &p.Bytes); err != nil {
			return err
		}
		out = append(out, p)
		return nil
	})
	return out, err
}
