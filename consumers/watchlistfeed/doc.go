// Package watchlistfeed keeps a matcher's watchlist indexes in step with the compacted
// reference topics, one per database (SLTD, notices, nominal data, TDAWN, vehicles, vessels,
// firearms). It reads every reference partition without a consumer group (every worker holds
// every list), builds the first index snapshot once it has caught up with the end offsets it
// saw at start, publishes it to an index.Store and closes Ready; only then may the worker
// join its consumer group. Afterwards it keeps following the topics and publishes a new
// snapshot at most once per debounce interval, re-indexing only the databases that changed
// (index.Rebuild) while screening goes on against the previous one.
//
// A record keyed by its record id replaces the previous version; a tombstone (nil value)
// cancels it; a record whose id differs from its key is skipped. A snapshot's version is the
// sum of the next offsets of every reference partition, so two workers that have read the
// same data publish the same version, and every hit names it.
//
// The feed keeps each record packed (package packed), and with StateConfig.Dir it saves
// them, with the offsets they cover, to a local snapshot file — checksummed, written
// atomically, in the background — at most every StateConfig.Interval and on stop. A restart
// loads the file and replays only the tail; a file that is corrupt, too old (compaction may
// have dropped tombstones it never saw), or from recreated topics is ignored in favour of a
// full replay. Both paths give identical snapshots (tested).
//
// After each live publish, OnChange receives the records added or updated: retro-screening
// screens recent travellers against them.
//
// A Feed is run by one goroutine; Ready is safe for concurrent use.
package watchlistfeed
