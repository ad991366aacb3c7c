// Package faulttest holds the fault-injection suite of the end-to-end pipeline against a real
// Apache Kafka broker and a real ClickHouse, each private to the test (started through
// deploy/local/kafka.sh and clickhouse.sh on free ports), with the matcher and sink running as
// separate `watchpost` processes under a restarting supervisor, as Kubernetes would run them.
// It has no code of its own, only the test.
package faulttest
