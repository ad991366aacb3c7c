// Package sink writes Watchpost's screenings and alerts to ClickHouse for analysts: one
// batch per call, sent with PrepareBatch, Append and Send over the native protocol.
//
// [Open] dials the server, creates the database when missing and applies the embedded
// migrations (package analytics/ddl). [Sink.WriteScreenings] writes one row per screened
// subject into screenings; [Sink.WriteAlerts] writes one row per hit into hits. Rows hold
// ids, codes, times and scores only: the subject as presented and the reasons' free-text
// details are never written, so no personal data reaches ClickHouse.
//
// Delivery is at least once: a redelivered batch writes the same deterministic ids again, and
// ReplacingMergeTree plus the de-duplicating queries (package analytics/queries) count each
// once.
//
// Errors: an error that may succeed on retry (timeout, refused or reset connection, too many
// parts, server overload) is marked [fault.Transient]; a row that can never be written (no
// id) is a [*RowError] marked [fault.Poison]; anything else is returned unmarked. Error
// strings name operations, positions and fields, never values.
//
// The package imports pipeline/event, pipeline/fault, analytics/ddl, analytics/queries and
// clickhouse-go; it must not import consumers or producers. A [Sink] is safe for concurrent
// use; each call uses its own pooled connection. Every call is bounded by Config.QueryTimeout
// (migration statements by ddl.StatementTimeout).
package sink
