// Package app wires Watchpost's packages into the services the `watchpost` binary runs: the
// matcher (watchlist feed + consumer group + screening engine + Kafka emitter), the analytics
// sink, and the producers of reference records and manifests used by loaders, the generator,
// the demo and the tests. It owns no logic of its own beyond wiring and readiness order.
package app
