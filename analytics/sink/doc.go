// Package sink writes Watchpost's screenings, alerts, decisions and audit trail to
// ClickHouse for analysts: one batch per call, sent with PrepareBatch, Append and Send over
// the native protocol.
//
// [Open] dials the server, creates the database when missing and applies the embedded
// migrations (package analytics/ddl). [Sink.WriteScreenings] writes one row per screened
// subject into screenings; [Sink.WriteAlerts] writes one row per hit into hits, with its
// latency (raised_at − event_time) in milliseconds; [Sink.WriteOutcomes] writes a control
// room's decisions ([Outcome]: confirmed or dismissed, reason code, officer id) into
// outcomes, where the latest decision on a hit wins; [Sink.WriteAudit] writes [AuditEntry]
// rows (alert shown, hit confirmed or dismissed, partner check, …) into audit. Rows hold
// ids, codes, times and scores only: the subject as presented and the reasons' free-text
// details are never written, officer and actor ids must look like ids ([ValidPersonID]), and
// codes must be codes, so no personal data reaches ClickHouse.
//
// Delivery is at least once: a redelivered batch writes the same deterministic ids again, and
// ReplacingMergeTree plus the de-duplicating queries (package analytics/queries) count each
// once.
//
// Errors: an error that may succeed on retry (timeout, refused or reset connection, too many
// parts, server overload) is marked [fault.Transient]; a row that can never be written (no
// id, an invalid decision or id) is a [*RowError] marked [fault.Poison]; anything else is
// returned unmarked. Error
// strings name operations, positions and fields, never values.
//
// The package imports pipeline/event, pipeline/fault, analytics/ddl, analytics/queries and
// clickhouse-go; it must not import consumers or producers. A [Sink] is safe for concurrent
// use; each call uses its own pooled connection. Every call is bounded by Config.QueryTimeout
// (migration statements by ddl.StatementTimeout).
package sink
