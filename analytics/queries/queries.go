package queries

import (
	"context"
	"embed"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

//go:embed *.sql
var files embed.FS

// DefaultTimeout bounds a query whose context has no deadline.
const DefaultTimeout = 30 * time.Second

// Names of the embedded query files.
const (
	FileScreened       = "screened.sql"
	FileHitsByDatabase = "hits_by_database.sql"
	FileHitsByPostDay  = "hits_by_post_day.sql"
)

// maxDateTime is the latest instant the queries bind: 2100-01-01T00:00:00Z, inside the
// DateTime range of every ClickHouse version.
const maxDateTime = 4102444800

// Text returns the SQL of the embedded file name, as stored (with its defaults).
func Text(name string) (string, error) {
	b, err := files.ReadFile(name)
	if err != nil {
		return "", fmt.Errorf("reading query %s: %w", name, err)
	}
	return string(b), nil
}

// Bind returns query with each declared parameter "toDateTime(N) AS name" set to the unix
// seconds of params[name], clamped to [1970-01-01, 2100-01-01], and the trailing semicolon
// removed. It fails when a parameter is not declared in the query.
func Bind(query string, params map[string]time.Time) (string, error) {
	for name, t := range params {
		re, err := regexp.Compile(`toDateTime\(\d+\) AS ` + regexp.QuoteMeta(name) + `\b`)
		if err != nil {
			return "", fmt.Errorf("binding parameter %s: %w", name, err)
		}
		if !re.MatchString(query) {
			return "", fmt.Errorf("binding parameter %s: not declared as toDateTime(N) AS %s", name, name)
		}
		query = re.ReplaceAllLiteralString(query, "toDateTime("+strconv.FormatInt(unixSeconds(t), 10)+") AS "+name)
	}
	return strings.TrimSuffix(strings.TrimSpace(query), ";"), nil
}

func unixSeconds(t time.Time) int64 {
	s := t.Unix()
	switch {
	case t.IsZero() || s < 0:
		return 0
	case s > maxDateTime:
		return maxDateTime
	default:
		return s
	}
}

func load(name string, since, until time.Time) (string, error) {
	text, err := Text(name)
	if err != nil {
		return "", err
	}
	return Bind(text, map[string]time.Time{"since": since, "until": until})
}

func withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, DefaultTimeout)
}

// Summary is what an operations dashboard shows first.
type Summary struct {
	Screened       uint64            // distinct subjects screened
	Hits           uint64            // distinct hits, all databases
	HitsByDatabase map[string]uint64 // distinct hits per database; databases without hits are absent
}

// LoadSummary counts the subjects screened and the hits raised from since until now.
func LoadSummary(ctx context.Context, conn driver.Conn, since time.Time) (Summary, error) {
	return LoadSummaryBetween(ctx, conn, since, time.Unix(maxDateTime, 0))
}

// LoadSummaryBetween counts the subjects screened and the hits raised in [since, until).
func LoadSummaryBetween(ctx context.Context, conn driver.Conn, since, until time.Time) (Summary, error) {
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	sum := Summary{HitsByDatabase: map[string]uint64{}}

	q, err := load(FileScreened, since, until)
	if err != nil {
		return Summary{}, err
	}
	if err := conn.QueryRow(ctx, q).Scan(&sum.Screened); err != nil {
		return Summary{}, fmt.Errorf("counting screened subjects: %w", err)
	}

	if q, err = load(FileHitsByDatabase, since, until); err != nil {
		return Summary{}, err
	}
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return Summary{}, fmt.Errorf("counting hits per database: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var (
			db string
			n  uint64
		)
		if err := rows.Scan(&db, &n); err != nil {
			return Summary{}, fmt.Errorf("scanning hits per database: %w", err)
		}
		sum.HitsByDatabase[db] = n
		sum.Hits += n
	}
	if err := rows.Err(); err != nil {
		return Summary{}, fmt.Errorf("counting hits per database: %w", err)
	}
	return sum, nil
}

// PostDay is one border post on one day (UTC).
type PostDay struct {
	BorderPost string
	Day        time.Time // midnight UTC
	Hits       uint64    // distinct hits first raised that day
	Subjects   uint64    // distinct subjects among those hits
	Screened   uint64    // distinct subjects first screened at the post that day
}

// LoadHitsByPostDay returns, for every border post and day in [since, until) with at least
// one hit, the hits, the subjects hit and the subjects screened, ordered by day then post.
func LoadHitsByPostDay(ctx context.Context, conn driver.Conn, since, until time.Time) ([]PostDay, error) {
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	q, err := load(FileHitsByPostDay, since, until)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("counting hits per border post and day: %w", err)
	}
	defer rows.Close()
	var out []PostDay
	for rows.Next() {
		var r PostDay
		if err := rows.Scan(&r.BorderPost, &r.Day, &r.Hits, &r.Subjects, &r.Screened); err != nil {
			return nil, fmt.Errorf("scanning hits per border post and day: %w", err)
		}
		r.Day = r.Day.UTC()
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("counting hits per border post and day: %w", err)
	}
	return out, nil
}
