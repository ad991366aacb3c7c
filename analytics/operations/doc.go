// Package operations owns Watchpost's operations (campaigns) and border posts in ClickHouse:
// STOP operations and major-event deployments, each a time window over a set of border posts
// and countries, and the border posts' reference data (country, kind, name).
//
// [Create] validates an [Operation] and writes it with one PrepareBatch (re-creating an
// identical operation is a no-op; a different one under the same id is refused with
// [ErrExists]); [List] and [Get] read them back with the embedded analysts' query
// operations.sql, so Go and analysts see the same rows. [PutPosts] and [ListPosts] do the same
// for border posts. An operation's [Operation.Scope] and [Operation.Previous] are the
// windows its report compares (package analytics/report).
//
// Operations and posts are reference data: no personal data. The package imports
// analytics/queries, analytics/internal/chbatch, clickhouse-go's driver interfaces and the
// standard library. It holds no state; its functions are safe for concurrent use. Every call
// is bounded by its context's deadline, or by [queries.DefaultTimeout] when it has none.
package operations
