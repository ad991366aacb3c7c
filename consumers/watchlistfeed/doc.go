// Package watchlistfeed keeps a matcher's watchlist indexes in step with the compacted
// reference topics. It reads every reference partition from the start without a consumer group
// (every worker holds every list), builds the first index snapshot once it has caught up with
// the end offsets it saw at start, publishes it to an index.Store and closes Ready; only then
// may the worker join its consumer group. Afterwards it keeps following the topics and
// publishes a new snapshot, built off the hot path, at most once per debounce interval.
//
// A record keyed by its record id replaces the previous version; a tombstone (nil value)
// cancels it. A snapshot's version is the sum of the next offsets of every reference
// partition, so two workers that have read the same data publish the same version.
//
// A Feed is run by one goroutine; Ready and Version are safe for concurrent use.
package watchlistfeed
