// Package producers writes Watchpost's outputs to Kafka with franz-go: the Emitter publishes a
// batch's screenings, alerts and dead letters (engine.Emitter) and returns only once every
// record is acknowledged by all in-sync replicas; the Router does the same and also routes
// each alert, with repeats folded, to its screening country's control-room topic
// (watchpost.alerts.<country>.v1) and to the record owner's notification topic
// (watchpost.notifications.<owner>.v1), creating a country's topic on first use; Produce
// writes reference records and input messages for loaders, the generator and tests.
//
// Producers use acks=all and franz-go's idempotent producer, and a record delivery timeout so
// that a stuck produce ends in an error instead of blocking forever. kgo retries produce
// requests itself; this package adds no second retry loop.
//
// It imports pipeline/{engine,event,fault,normalize}, schemas, franz-go, ristretto (the
// Router's hot fold window), zap and prometheus; never consumers or analytics. Its types are
// safe for concurrent use.
package producers
