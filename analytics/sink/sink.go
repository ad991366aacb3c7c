package sink

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/watchpost/watchpost/analytics/ddl"
	"github.com/watchpost/watchpost/analytics/internal/chbatch"
	"github.com/watchpost/watchpost/analytics/queries"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
)

// Sink writes screenings and alerts to ClickHouse. It is safe for concurrent use.
type Sink struct {
	conn driver.Conn
	cfg  Config
}

// Open applies defaults to cfg, validates it, dials ClickHouse over the native protocol,
// creates the database when missing and applies the embedded migrations. A server that is
// down or refuses connections yields a [fault.Transient] error.
func Open(ctx context.Context, cfg Config) (*Sink, error) {
	cfg.SetDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("validating clickhouse config: %w", err)
	}
	if err := createDatabase(ctx, cfg); err != nil {
		return nil, err
	}
	conn, err := dial(cfg, cfg.Database)
	if err != nil {
		return nil, fmt.Errorf("opening clickhouse connection: %w", err)
	}
	s := &Sink{conn: conn, cfg: cfg}
	if err := s.Ping(ctx); err != nil {
		_ = conn.Close()
		return nil, err
	}
	if err := ddl.Migrate(ctx, conn); err != nil {
		_ = conn.Close()
		return nil, fail(ctx, "migrating clickhouse schema", err)
	}
	return s, nil
}

func dial(cfg Config, database string) (driver.Conn, error) {
	return clickhouse.Open(&clickhouse.Options{
		Protocol:    clickhouse.Native,
		Addr:        []string{cfg.Addr},
		Auth:        clickhouse.Auth{Database: database, Username: cfg.Username, Password: cfg.Password},
		DialTimeout: cfg.DialTimeout,
		ReadTimeout: cfg.QueryTimeout,
		Compression: &clickhouse.Compression{Method: clickhouse.CompressionLZ4},
		ClientInfo: clickhouse.ClientInfo{Products: []struct{ Name, Version string }{
			{Name: "watchpost", Version: "1"},
		}},
	})
}

// createDatabase creates cfg.Database, connecting without a database so that a missing one
// does not fail the handshake.
func createDatabase(ctx context.Context, cfg Config) error {
	conn, err := dial(cfg, "")
	if err != nil {
		return fmt.Errorf("opening clickhouse connection: %w", err)
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, cfg.QueryTimeout)
	defer cancel()
	// cfg.Database is a validated identifier, so it can be spliced into the statement.
	if err := conn.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+cfg.Database); err != nil {
		return fail(ctx, "creating clickhouse database", err)
	}
	return nil
}

// Conn returns the underlying connection pool, for queries beyond the ones Sink offers.
// The Sink keeps ownership: do not close it.
func (s *Sink) Conn() driver.Conn { return s.conn }

// Database returns the database the Sink writes to.
func (s *Sink) Database() string { return s.cfg.Database }

// Ping checks that the server answers.
func (s *Sink) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	if err := s.conn.Ping(ctx); err != nil {
		return fail(ctx, "pinging clickhouse", err)
	}
	return nil
}

// WriteScreenings writes rows as one batch into screenings. An empty rows is a no-op.
// Writing the same screenings again is harmless: counts de-duplicate on subject_id.
// A row without a subject id fails the whole batch, before anything is sent, with a
// [*RowError] marked [fault.Poison].
func (s *Sink) WriteScreenings(ctx context.Context, rows []event.Screening) error {
	if len(rows) == 0 {
		return nil
	}
	mapped := make([]screeningRow, len(rows))
	for i := range rows {
		r, err := screeningToRow(i, &rows[i])
		if err != nil {
			return fmt.Errorf("mapping screenings: %w", poison(err))
		}
		mapped[i] = r
	}
	return s.send(ctx, "screenings", "INSERT INTO screenings ("+screeningColumns+")", len(mapped), func(i int) []any {
		return mapped[i].values()
	})
}

// WriteAlerts writes one hits row per alert, as one batch. An empty rows is a no-op.
// Writing the same alerts again is harmless: counts de-duplicate on hit_id. An alert
// without subject id, database or record id fails the whole batch, before anything is
// sent, with a [*RowError] marked [fault.Poison].
func (s *Sink) WriteAlerts(ctx context.Context, rows []event.Alert) error {
	if len(rows) == 0 {
		return nil
	}
	mapped := make([]hitRow, len(rows))
	for i := range rows {
		r, err := alertToRow(i, &rows[i])
		if err != nil {
			return fmt.Errorf("mapping alerts: %w", poison(err))
		}
		mapped[i] = r
	}
	return s.send(ctx, "hits", "INSERT INTO hits ("+hitColumns+")", len(mapped), func(i int) []any {
		return mapped[i].values()
	})
}

// send writes n rows, given by row(i), with PrepareBatch, Append and Send, within QueryTimeout.
func (s *Sink) send(ctx context.Context, table, insert string, n int, row func(int) []any) error {
	ctx, done := chbatch.Context(ctx, s.cfg.QueryTimeout)
	defer done()
	batch, err := s.conn.PrepareBatch(ctx, insert)
	if err != nil {
		return fail(ctx, "preparing "+table+" batch", err)
	}
	// Abort releases the connection when Send is never reached; after Send it only reports
	// that the batch was already sent.
	defer func() { _ = batch.Abort() }()
	for i := range n {
		if err := batch.Append(row(i)...); err != nil {
			return fail(ctx, fmt.Sprintf("appending %s row %d", table, i), err)
		}
	}
	if err := batch.Send(); err != nil {
		return fail(ctx, fmt.Sprintf("sending %s batch of %d rows", table, n), err)
	}
	return nil
}

// Summary counts the subjects screened and the hits raised since since, de-duplicated.
func (s *Sink) Summary(ctx context.Context, since time.Time) (queries.Summary, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	sum, err := queries.LoadSummary(ctx, s.conn, since)
	if err != nil {
		return queries.Summary{}, fail(ctx, "loading summary", err)
	}
	return sum, nil
}

// HitsByPostDay returns hits, subjects hit and subjects screened per border post and day
// in [since, until), de-duplicated.
func (s *Sink) HitsByPostDay(ctx context.Context, since, until time.Time) ([]queries.PostDay, error) {
	ctx, cancel := context.WithTimeout(ctx, s.cfg.QueryTimeout)
	defer cancel()
	rows, err := queries.LoadHitsByPostDay(ctx, s.conn, since, until)
	if err != nil {
		return nil, fail(ctx, "loading hits per border post and day", err)
	}
	return rows, nil
}

// Close closes the connection pool. Calls after Close fail.
func (s *Sink) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("closing clickhouse connection: %w", err)
	}
	return nil
}

// fail wraps err with what was being done and classifies it. When ctx is done, its error
// joins err: clickhouse-go interrupts a call by closing the socket, and the resulting
// network error alone would read as transient even when the caller cancelled.
func fail(ctx context.Context, op string, err error) error {
	if cerr := ctx.Err(); cerr != nil && !errors.Is(err, cerr) {
		err = fmt.Errorf("%w (%w)", err, cerr)
	}
	return fmt.Errorf("%s: %w", op, classify(err))
}

func poison(err error) error {
	var re *RowError
	if errors.As(err, &re) {
		return fault.Poison(err)
	}
	return err
}
