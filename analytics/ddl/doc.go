// Package ddl owns the ClickHouse schema of Watchpost's analytics: the embedded, numbered
// migration files and [Migrate], which applies each of them once, in order, and records it
// in the schema_migrations table.
//
// The tables: screenings (one row per screened subject) and hits (one per alert), keyed by
// deterministic ids in ReplacingMergeTree so that at-least-once delivery de-duplicates;
// hits.latency_ms (0003); outcomes (the control rooms' decisions, latest wins, 0004); audit
// (who did what to which object, ids only, 0005); operations and border_posts (reference
// data, 0006 and 0007); and the aggregates of 0008: hourly and daily screenings and hits per
// border post, country and kind or database, and each hit's first latency, maintained by
// materialized views with uniqState/minState so that a redelivered batch, which a view sees
// twice, never changes a number (the file explains why count() would).
//
// Every statement is accepted by both ClickHouse 18.16 (Debian's package, used in tests) and
// current ClickHouse: no DateTime64, TTL, CODEC, LowCardinality, Map, JSON or IPv4. Files are
// applied as plain text and may be run by hand with clickhouse-client
// (clickhouse-client --multiquery < 0001_screenings.sql). Every CREATE says IF NOT EXISTS;
// ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS, so [Migrate] treats "column already
// exists" on an ADD COLUMN as applied; the aggregate backfills (INSERT … SELECT) are
// idempotent by construction and get [BackfillTimeout] instead of [StatementTimeout].
//
// The package imports clickhouse-go and the standard library only. It holds no state; its
// functions are safe for concurrent use, and concurrent migrators are harmless because every
// statement is idempotent and the migrations table collapses repeated records.
package ddl
