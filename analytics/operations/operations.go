package operations

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/watchpost/watchpost/analytics/internal/chbatch"
	"github.com/watchpost/watchpost/analytics/queries"
)

// Kind is the kind of an operation.
type Kind string

// The kinds of operation (an Enum8 in ClickHouse).
const (
	Stop       Kind = "stop"        // STOP operation: people smuggling, illegal migration, criminals crossing borders
	MajorEvent Kind = "major_event" // a deployment for a summit, a tournament, …
)

// Sentinel errors.
var (
	ErrNotFound = errors.New("operation not found")
	ErrExists   = errors.New("a different operation already has this id")
)

// Operation is a campaign: a window [Start, End) over border posts and countries. An empty
// BorderPosts means every post; an empty Countries every country.
type Operation struct {
	ID          string    `json:"id"`
	Name        string    `json:"name"`
	Kind        Kind      `json:"kind"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	BorderPosts []string  `json:"border_posts"`
	Countries   []string  `json:"countries"`
	CreatedAt   time.Time `json:"created_at"`
}

var (
	idPattern      = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)
	postPattern    = regexp.MustCompile(`^[A-Z0-9]{2,16}$`)
	countryPattern = regexp.MustCompile(`^[A-Z]{3}$`)
)

// maxTime is the latest instant ClickHouse DateTime columns hold here (2100-01-01).
var maxTime = time.Unix(4102444800, 0).UTC()

// Normalize returns o with times in UTC truncated to the second (what ClickHouse stores),
// posts and countries upper-cased, sorted and without repeats, and the name trimmed.
func (o Operation) Normalize() Operation {
	o.Name = strings.TrimSpace(o.Name)
	o.Start = o.Start.UTC().Truncate(time.Second)
	o.End = o.End.UTC().Truncate(time.Second)
	o.BorderPosts = normalizeCodes(o.BorderPosts)
	o.Countries = normalizeCodes(o.Countries)
	if !o.CreatedAt.IsZero() {
		o.CreatedAt = o.CreatedAt.UTC().Truncate(time.Second)
	}
	return o
}

func normalizeCodes(in []string) []string {
	out := make([]string, 0, len(in))
	for _, c := range in {
		if c = strings.ToUpper(strings.TrimSpace(c)); c != "" {
			out = append(out, c)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// Validate reports every problem with o at once. Call it on a normalized operation.
func (o Operation) Validate() error {
	var errs []error
	if !idPattern.MatchString(o.ID) {
		errs = append(errs, errors.New("operation id must be 1-64 lower-case letters, digits, _ and -"))
	}
	if o.Name == "" || len(o.Name) > 200 || strings.IndexFunc(o.Name, unicode.IsControl) >= 0 {
		errs = append(errs, errors.New("operation name must be 1-200 bytes without control characters"))
	}
	if o.Kind != Stop && o.Kind != MajorEvent {
		errs = append(errs, errors.New("operation kind must be stop or major_event"))
	}
	if o.Start.Unix() <= 0 || o.End.After(maxTime) {
		errs = append(errs, errors.New("operation start and end must lie between 1970 and 2100"))
	}
	if !o.End.After(o.Start) {
		errs = append(errs, errors.New("operation end must be after its start"))
	}
	for i, p := range o.BorderPosts {
		if !postPattern.MatchString(p) {
			errs = append(errs, fmt.Errorf("operation border post %d must be a code of 2-16 letters and digits", i+1))
		}
	}
	for i, c := range o.Countries {
		if !countryPattern.MatchString(c) {
			errs = append(errs, fmt.Errorf("operation country %d must be ISO 3166 alpha-3", i+1))
		}
	}
	return errors.Join(errs...)
}

// NewID derives an id from what defines the operation (name, kind, window, posts,
// countries), so creating the same operation twice yields the same id: "op-" and 10 hex
// digits. Call it on a normalized operation.
func NewID(o Operation) string {
	h := sha256.New()
	for _, s := range []string{
		o.Name, string(o.Kind), o.Start.UTC().Format(time.RFC3339), o.End.UTC().Format(time.RFC3339),
		strings.Join(o.BorderPosts, ","), strings.Join(o.Countries, ","),
	} {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return "op-" + hex.EncodeToString(h.Sum(nil))[:10]
}

// Scope is the window and places the operation covers.
func (o Operation) Scope() queries.Scope {
	return queries.Scope{Since: o.Start, Until: o.End, Posts: o.BorderPosts, Countries: o.Countries}
}

// Previous is the period of the same length immediately before the operation, over the same
// posts and countries: [Start − (End − Start), Start).
func (o Operation) Previous() queries.Scope {
	s := o.Scope()
	s.Since, s.Until = o.Start.Add(-o.End.Sub(o.Start)), o.Start
	return s
}

// sameDefinition reports whether a and b define the same operation (CreatedAt aside).
func sameDefinition(a, b Operation) bool {
	return a.ID == b.ID && a.Name == b.Name && a.Kind == b.Kind && a.Start.Equal(b.Start) && a.End.Equal(b.End) &&
		slices.Equal(a.BorderPosts, b.BorderPosts) && slices.Equal(a.Countries, b.Countries)
}

func withDeadline(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, queries.DefaultTimeout)
}

// Create normalizes and validates o, gives it an id with [NewID] when it has none and a
// creation time when it has none, and writes it. It returns the operation as stored. When
// the id exists already, an identical operation is returned as it was stored, unchanged; a
// different one fails with [ErrExists].
func Create(ctx context.Context, conn driver.Conn, o Operation) (Operation, error) {
	o = o.Normalize()
	if o.ID == "" {
		o.ID = NewID(o)
	}
	if err := o.Validate(); err != nil {
		return Operation{}, fmt.Errorf("validating operation: %w", err)
	}
	existing, err := Get(ctx, conn, o.ID)
	switch {
	case err == nil && sameDefinition(existing, o):
		return existing, nil
	case err == nil:
		return Operation{}, fmt.Errorf("creating operation %s: %w", o.ID, ErrExists)
	case !errors.Is(err, ErrNotFound):
		return Operation{}, err
	}
	if o.CreatedAt.IsZero() {
		o.CreatedAt = time.Now().UTC().Truncate(time.Second)
	}
	err = insert(ctx, conn, "operations", "INSERT INTO operations (id, name, kind, starts_at, ends_at, border_posts, countries, created_at)",
		[][]any{{o.ID, o.Name, string(o.Kind), o.Start, o.End, nonNil(o.BorderPosts), nonNil(o.Countries), o.CreatedAt}})
	if err != nil {
		return Operation{}, err
	}
	return o, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// insert writes rows with one PrepareBatch, Append and Send.
func insert(ctx context.Context, conn driver.Conn, table, stmt string, rows [][]any) error {
	timeout := queries.DefaultTimeout
	if d, ok := ctx.Deadline(); ok {
		timeout = time.Until(d)
	}
	bctx, done := chbatch.Context(ctx, timeout)
	defer done()
	batch, err := conn.PrepareBatch(bctx, stmt)
	if err != nil {
		return fmt.Errorf("preparing %s batch: %w", table, err)
	}
	defer func() { _ = batch.Abort() }()
	for i, r := range rows {
		if err := batch.Append(r...); err != nil {
			return fmt.Errorf("appending %s row %d: %w", table, i, err)
		}
	}
	if err := batch.Send(); err != nil {
		return fmt.Errorf("sending %s batch of %d rows: %w", table, len(rows), err)
	}
	return nil
}

// List returns every operation, latest version of each, ordered by start then id.
func List(ctx context.Context, conn driver.Conn) ([]Operation, error) {
	text, err := queries.Text(queries.FileOperations)
	if err != nil {
		return nil, err
	}
	ctx, cancel := withDeadline(ctx)
	defer cancel()
	rows, err := conn.Query(ctx, strings.TrimSuffix(strings.TrimSpace(text), ";"))
	if err != nil {
		return nil, fmt.Errorf("listing operations: %w", err)
	}
	defer rows.Close()
	var out []Operation
	for rows.Next() {
		var (
			o    Operation
			kind string
		)
		if err := rows.Scan(&o.ID, &o.Name, &kind, &o.Start, &o.End, &o.BorderPosts, &o.Countries, &o.CreatedAt); err != nil {
			return nil, fmt.Errorf("scanning operations: %w", err)
		}
		o.Kind = Kind(kind)
		o.Start, o.End, o.CreatedAt = o.Start.UTC(), o.End.UTC(), o.CreatedAt.UTC()
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("listing operations: %w", err)
	}
	return out, nil
}

// Get returns the operation with the given id, or an error wrapping [ErrNotFound].
func Get(ctx context.Context, conn driver.Conn, id string) (Operation, error) {
	ops, err := List(ctx, conn)
	if err != nil {
		return Operation{}, err
	}
	for _, o := range ops {
		if o.ID == id {
			return o, nil
		}
	}
	return Operation{}, fmt.Errorf("getting operation: %w", ErrNotFound)
}
