// Package queries holds the analysts' questions as SQL files (embedded, and runnable as they
// are with clickhouse-client) and typed Go functions that run them: [LoadSummary] (screened
// subjects and hits per database) and [LoadHitsByPostDay] (hits, hit subjects and screened
// subjects per border post and day).
//
// Every count is de-duplicated by its deterministic id (uniqExact or GROUP BY on subject_id
// or hit_id), so at-least-once delivery never inflates it, whether or not ClickHouse has
// merged the duplicates yet. Time windows are half-open, [since, until), on the time of
// screening or raising, in UTC: a subject or hit counts in a window when any delivery of it
// falls inside, and a per-day count puts it on the day of its earliest delivery in the
// window. (A copy redelivered after a window boundary therefore counts in both windows; it
// never counts twice in one.)
//
// Parameters are declared in each file as "toDateTime(N) AS name" with an all-time default;
// [Bind] replaces them with unix-second literals it formats itself, so no caller text ever
// reaches the SQL. The SQL keeps to what ClickHouse 18.16 and current ClickHouse both accept.
//
// The package imports clickhouse-go's driver interfaces and the standard library only. It
// holds no state; its functions are safe for concurrent use. A call whose context has no
// deadline gets [DefaultTimeout].
package queries
