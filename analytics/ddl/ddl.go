package ddl

import (
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/watchpost/watchpost/analytics/internal/chbatch"
)

//go:embed *.sql
var files embed.FS

// StatementTimeout bounds each statement Migrate sends, within any deadline of its context.
const StatementTimeout = 30 * time.Second

// BackfillTimeout bounds a migration's INSERT … SELECT statement, which copies existing rows
// into a new aggregate table and so takes time in proportion to the data already stored.
const BackfillTimeout = time.Hour

// MigrationsTable is the table that records applied migrations.
const MigrationsTable = "schema_migrations"

const createMigrationsTable = `CREATE TABLE IF NOT EXISTS ` + MigrationsTable + ` (
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime
)
ENGINE = ReplacingMergeTree()
ORDER BY version`

// Migration is one embedded schema file.
type Migration struct {
	Version    uint32   // from the file name prefix: 0001_screenings.sql is version 1
	Name       string   // the file name
	Checksum   string   // hex SHA-256 of the file's bytes
	Statements []string // the statements, in file order, without trailing semicolons
}

// Migrations returns the embedded migrations ordered by version. It fails when a file name
// does not start with a version number or when two files share a version.
func Migrations() ([]Migration, error) {
	return parseAll(files)
}

func parseAll(fsys fs.FS) ([]Migration, error) {
	names, err := fs.Glob(fsys, "*.sql")
	if err != nil {
		return nil, fmt.Errorf("listing migrations: %w", err)
	}
	out := make([]Migration, 0, len(names))
	seen := make(map[uint32]string, len(names))
	for _, name := range names {
		prefix, _, ok := strings.Cut(name, "_")
		if !ok {
			return nil, fmt.Errorf("parsing migration name %s: want NNNN_description.sql", name)
		}
		v, err := strconv.ParseUint(prefix, 10, 32)
		if err != nil || v == 0 {
			return nil, fmt.Errorf("parsing migration name %s: version must be a positive number", name)
		}
		if prev, dup := seen[uint32(v)]; dup {
			return nil, fmt.Errorf("parsing migration name %s: version %d already used by %s", name, v, prev)
		}
		seen[uint32(v)] = name
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("reading migration %s: %w", name, err)
		}
		stmts := SplitStatements(string(b))
		if len(stmts) == 0 {
			return nil, fmt.Errorf("parsing migration %s: no statements", name)
		}
		sum := sha256.Sum256(b)
		out = append(out, Migration{Version: uint32(v), Name: name, Checksum: hex.EncodeToString(sum[:]), Statements: stmts})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	return out, nil
}

// SplitStatements splits SQL text into statements at semicolons that end a line, dropping
// whole-line "--" comments and blank statements. It is meant for the migration files, which
// keep to one statement per terminated block and put no semicolon at a line end inside a
// string literal.
func SplitStatements(sql string) []string {
	var (
		out []string
		cur strings.Builder
	)
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for line := range strings.SplitSeq(sql, "\n") {
		trimmed := strings.TrimSpace(line)
		if strings.HasPrefix(trimmed, "--") {
			continue
		}
		if strings.HasSuffix(trimmed, ";") {
			cur.WriteString(strings.TrimSuffix(strings.TrimRight(line, " \t\r"), ";"))
			flush()
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	flush()
	return out
}

// Applied is a migration recorded in the migrations table.
type Applied struct {
	Version  uint32
	Name     string
	Checksum string
}

// Migrate creates the migrations table when missing, then applies every embedded migration
// not yet recorded there, in version order, recording each after its statements succeed.
// Re-running it is a no-op. It fails, applying nothing more, when a recorded migration's
// checksum differs from the embedded file (a migration was edited after it was applied).
//
// conn must be connected to the target database: statements name tables without a database.
func Migrate(ctx context.Context, conn driver.Conn) error {
	migrations, err := Migrations()
	if err != nil {
		return err
	}
	return apply(ctx, conn, migrations)
}

func apply(ctx context.Context, conn driver.Conn, migrations []Migration) error {
	if err := exec(ctx, conn, createMigrationsTable); err != nil {
		return fmt.Errorf("creating %s: %w", MigrationsTable, err)
	}
	applied, err := LoadApplied(ctx, conn)
	if err != nil {
		return err
	}
	done := make(map[uint32]Applied, len(applied))
	for _, a := range applied {
		done[a.Version] = a
	}
	for _, m := range migrations {
		if a, ok := done[m.Version]; ok {
			if a.Checksum != m.Checksum {
				return fmt.Errorf("checking migration %s: checksum differs from the one applied as %s", m.Name, a.Name)
			}
			continue
		}
		for i, stmt := range m.Statements {
			if err := exec(ctx, conn, stmt); err != nil && !alreadyApplied(stmt, err) {
				return fmt.Errorf("applying migration %s statement %d: %w", m.Name, i+1, err)
			}
		}
		if err := record(ctx, conn, m); err != nil {
			return fmt.Errorf("recording migration %s: %w", m.Name, err)
		}
	}
	return nil
}

// LoadApplied returns the migrations recorded as applied, ordered by version.
func LoadApplied(ctx context.Context, conn driver.Conn) ([]Applied, error) {
	ctx, cancel := context.WithTimeout(ctx, StatementTimeout)
	defer cancel()
	rows, err := conn.Query(ctx, `SELECT version, any(name), any(checksum) FROM `+MigrationsTable+` GROUP BY version ORDER BY version`)
	if err != nil {
		return nil, fmt.Errorf("loading applied migrations: %w", err)
	}
	defer rows.Close()
	var out []Applied
	for rows.Next() {
		var a Applied
		if err := rows.Scan(&a.Version, &a.Name, &a.Checksum); err != nil {
			return nil, fmt.Errorf("scanning applied migrations: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("loading applied migrations: %w", err)
	}
	return out, nil
}

func exec(ctx context.Context, conn driver.Conn, stmt string) error {
	timeout := StatementTimeout
	if isBackfill(stmt) {
		timeout = BackfillTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return conn.Exec(ctx, stmt)
}

var (
	addColumn = regexp.MustCompile(`(?is)^ALTER\s+TABLE\s+\S+\s+ADD\s+COLUMN\s`)
	backfill  = regexp.MustCompile(`(?is)^INSERT\s+INTO\s.*\bSELECT\b`)
)

// Server error codes that mean an ADD COLUMN found the column already there: 44
// (ILLEGAL_COLUMN, ClickHouse 18.16) and 15 (DUPLICATE_COLUMN, later versions).
var columnExists = map[int32]bool{15: true, 44: true}

// alreadyApplied reports whether err only says that stmt had been applied before: an
// ALTER TABLE … ADD COLUMN whose column exists. ClickHouse 18.16 has no ADD COLUMN IF NOT
// EXISTS, so this keeps a migration retried after a crash (statement applied, record not
// written) harmless, as CREATE … IF NOT EXISTS does for tables.
func alreadyApplied(stmt string, err error) bool {
	var ex *clickhouse.Exception
	return addColumn.MatchString(stmt) && errors.As(err, &ex) && columnExists[ex.Code] &&
		strings.Contains(ex.Message, "already exists")
}

func isBackfill(stmt string) bool { return backfill.MatchString(stmt) }

func record(ctx context.Context, conn driver.Conn, m Migration) error {
	ctx, done := chbatch.Context(ctx, StatementTimeout)
	defer done()
	batch, err := conn.PrepareBatch(ctx, `INSERT INTO `+MigrationsTable+` (version, name, checksum, applied_at)`)
	if err != nil {
		return err
	}
	// Abort releases the connection when Send was never reached; after Send it only
	// reports that the batch was already sent, which is not an error here.
	defer func() { _ = batch.Abort() }()
	if err := batch.Append(m.Version, m.Name, m.Checksum, time.Now().UTC()); err != nil {
		return err
	}
	return batch.Send()
}
