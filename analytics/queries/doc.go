// Package queries holds the analysts' questions as SQL files (embedded, and runnable as they
// are with clickhouse-client; README.md lists them) and typed Go functions that run them.
//
// The first three files ([LoadSummary], [LoadHitsByPostDay]) window on delivery time
// (screened_at, raised_at) over every post. The scope_*.sql files, which the operation
// reports run ([LoadScreenedByKind], [LoadHitsByDatabase], [LoadByPost], [LoadByDay],
// [LoadOutcomes], [LoadLatency]), take a [Scope]: a window on the event time, border posts
// and countries. The event time (the manifest's receipt, the crossing) is the same in every
// copy of a row, even a copy screened again after a redelivery, so which copy
// ReplacingMergeTree keeps when it merges never moves a subject or a hit to another window
// or day. The trend_*.sql files ([LoadTrendDaily], [LoadTrendHourly]) read the
// pre-aggregated tables: fast at any size, approximate (uniq) but never changed by a
// redelivery. operations.sql, border_posts.sql, audit_by_actor.sql and partitions.sql
// serve the operations, audit and retention code.
//
// Every count is de-duplicated by its deterministic id (uniqExact on hit_id or audit_id, and
// on the 64-bit cityHash64 of subject_id, which is three times faster at millions of
// subjects and exact unless two ids share a hash), so at-least-once delivery never inflates
// it, whether or not ClickHouse has merged the duplicates yet. The loaders of additive counts
// run month by month ([Scope.Months]), which bounds a query's memory to a month's ids. A decision is the latest per hit (argMax on its version); a
// latency is a hit's first (minState).
//
// Parameters are declared in each file's WITH lines with defaults that select everything:
// "toDateTime(N) AS name" for times, which [Bind] replaces with unix-second literals it
// formats itself, and "emptyArrayString() AS name" for lists, which [BindLists] replaces
// with an array of validated codes (letters, digits, _ and -), so no other caller text ever
// reaches the SQL. The SQL keeps to what ClickHouse 18.16 and current ClickHouse both accept.
//
// The package imports clickhouse-go's driver interfaces and the standard library only. It
// holds no state; its functions are safe for concurrent use. A call whose context has no
// deadline gets [DefaultTimeout].
package queries
