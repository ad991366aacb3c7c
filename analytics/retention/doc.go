// Package retention enforces how long ClickHouse keeps each table's rows, one whole monthly
// partition at a time.
//
// [DefaultPolicy] is the policy (one [Rule] per table): screenings and hits are
// depersonalised after 6 months and deleted after 5 years; outcomes, audit and the
// pre-aggregated tables are deleted after 5 years; operations, border posts and the
// migrations record are kept.
//
// What depersonalise means here: Watchpost's rows hold no names, document numbers or birth
// dates, but the travel details copied from API/PNR manifests (nationality, carrier, flight,
// departure and arrival airports) can single a traveller out when combined with a date and a
// border post. Depersonalising a partition blanks those columns in every row, keeping ids,
// codes, times, counts and scores: every count and rate of the reports stays the same, and
// nothing links a row to a booking any more. The partition is rewritten in place with an
// ALTER TABLE … UPDATE mutation restricted to it, which [Apply] waits for and then checks.
// Deleting drops the partition (ALTER TABLE … DROP PARTITION).
//
// A monthly partition is acted on only once the whole month is older than the rule's age:
// rows are kept slightly longer than the nominal period (up to a month), never shorter.
//
// [Plan] reads the partitions (the analysts' query partitions.sql) and returns the actions
// due at a given time; a partition already depersonalised is not planned again, so applying
// twice is harmless. [Apply] carries the actions out. The package imports analytics/queries,
// clickhouse-go's driver interfaces and the standard library; it holds no state and is safe
// for concurrent use, though two concurrent Apply calls would duplicate work.
package retention
