// Package ddl owns the ClickHouse schema of Watchpost's analytics: the embedded, numbered
// migration files (0001_screenings.sql, 0002_hits.sql, …) and [Migrate], which applies each
// of them once, in order, and records it in the schema_migrations table.
//
// Every statement is accepted by both ClickHouse 18.16 (Debian's package, used in tests) and
// current ClickHouse: no DateTime64, TTL, CODEC, LowCardinality, Map, JSON or IPv4, and
// ReplacingMergeTree tables keyed by deterministic ids so that at-least-once delivery
// de-duplicates. Files are applied as plain text and may be run by hand with clickhouse-client
// (clickhouse-client --multiquery < 0001_screenings.sql).
//
// The package imports clickhouse-go's driver interfaces and the standard library only. It
// holds no state; its functions are safe for concurrent use, and concurrent migrators are
// harmless because every statement is idempotent (IF NOT EXISTS) and the migrations table
// collapses repeated records.
package ddl
