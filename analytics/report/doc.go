// Package report builds an operation's report from ClickHouse and renders it as text, JSON
// or a self-contained HTML page.
//
// [Build] runs the scoped analysts' queries (package analytics/queries: the scope_*.sql
// files) twice, for the operation's window and for the period of the same length immediately
// before it over the same border posts and countries: subjects and travellers screened, hits
// per database, per border post and per day, decisions (confirmation rate, from outcomes)
// and alert latency percentiles (raised_at − event_time, exact quantiles). Every count is
// de-duplicated by its deterministic id, so replaying a topic into the sink never changes a
// report.
//
// [WriteText], [WriteJSON] and [WriteHTML] render a [Report]. The HTML page has inline CSS
// and inline SVG charts drawn here, a Content-Security-Policy that forbids loading anything,
// and no script: it opens offline, and can be mailed or archived as one file. JSON field
// names are snake_case and days YYYY-MM-DD.
//
// The package imports analytics/queries, analytics/operations, clickhouse-go's driver
// interfaces and the standard library (html/template, embed). A [Report] is a value; the
// functions hold no state and are safe for concurrent use.
package report
