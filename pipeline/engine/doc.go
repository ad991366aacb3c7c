// Package engine is the per-record processing core of a matcher worker, free of Kafka, Avro
// and ClickHouse: it defines the ports the transports plug into and the middleware that
// classifies and routes failures.
//
// A transport (package consumers) hands each partition's polled records, in offset order, to a
// [BatchHandler]. The matcher's BatchHandler is [Pipeline]: it runs every message through a
// [Processor] chain (Recover → DeadLetterPoison → Retry → Screener) and hands the combined
// [Output] to an [Emitter], which returns only once every output is acknowledged. Only then
// does the transport mark the offsets. An error returned by a BatchHandler is fatal for the
// partition: nothing of the batch is marked and the worker stops.
//
// Failures are classified with package fault: poison messages become dead letters in the same
// acknowledged output (so the offset advances past them exactly when the dead letter is safe);
// transient errors are retried with a bounded backoff; anything else is fatal.
//
// The package imports pipeline/{match,index,event,fault}, zap and prometheus, never a Kafka,
// Avro or ClickHouse package. Screener, Pipeline and the middleware are safe for concurrent use
// by one goroutine per partition.
package engine
