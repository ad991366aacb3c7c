// Package archtest enforces the import direction of STYLE.md with `go list`: the
// stream-processing core under pipeline/ never reaches Kafka, Avro or ClickHouse, and the
// transport packages (consumers, producers, analytics) never import each other. It has no
// code of its own, only the test, which runs in every `go test ./...`.
package archtest
