// Package fault classifies errors for the stream-processing pipeline with marker errors.
//
// An error marked with [Poison] will never succeed: the record is dead-lettered and the offset
// advances. An error marked with [Transient] may succeed later: it is retried with a bounded
// backoff. Anything unmarked is fatal for the partition: the worker stops without marking the
// offset and the process restarts.
//
// Classification is by marker (errors.Is), never by message text. The package is a leaf: it
// imports only the standard library. Its values are immutable and safe for concurrent use.
package fault
