// Package consumers runs Kafka consumer-group workers with franz-go: one goroutine per
// assigned partition hands polled records, in offset order, to an engine.BatchHandler and
// marks their offsets only after the handler returned nil (which, for the matcher, means every
// output was acknowledged). Marked offsets are committed periodically, on revoke after the
// partition's worker drained, and at shutdown. Lost partitions are drained without commit.
//
// A handler error is fatal for its partition: nothing of the batch is marked, the group stops,
// and Run returns the error so the process can exit and be restarted; the records are then
// redelivered, and deterministic ids keep the redelivery from producing duplicates downstream.
//
// It imports pipeline/engine, franz-go and zap; never producers or analytics.
// A Group is used by one goroutine calling Run.
package consumers
