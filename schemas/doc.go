// Package schemas owns the Avro schemas of every Watchpost Kafka message and their Confluent
// wire format: magic byte 0, the 4-byte big-endian schema id, then the Avro binary body.
//
// The schemas live in avro/*.avsc (namespace watchpost.v1) and are embedded. Each maps one to one
// onto a type of pipeline/event or pipeline/watchlist. Subjects follow the record-name strategy:
// the subject of a schema is its full record name, e.g. "watchpost.v1.Manifest". [Register]
// registers every schema version with a Confluent-compatible registry and learns the ids;
// [NewSerde] takes ids already known (tests, golden bytes).
//
// Encoding conventions, shared by all schemas:
//   - Optional fields are unions with null, default null. An empty Go string, a zero
//     event.Date, a zero time.Time and a nil []byte encode as null, and null decodes back to
//     them. Required strings (ids and routing keys) must not be empty.
//   - Partial dates (event.Date) are strings "YYYY", "YYYY-MM" or "YYYY-MM-DD".
//   - Timestamps are long timestamp-micros, UTC. Precision below a microsecond is dropped;
//     decoded times are in UTC. Years outside 1-9999 are rejected.
//   - Empty arrays decode to nil slices. An array block may declare at most 65536 items
//     (goavro.MaxBlockCount is lowered to that once, when the schemas are first compiled:
//     goavro preallocates the declared count, so a few hostile bytes could otherwise demand
//     gigabytes). Writers that put longer arrays in one block are refused as poison.
//   - A crossing's kind is the branch of its subject union.
//
// Schema evolution: a record keeps every version it ever had (avro/<name>.vN.avsc), each
// registered under the same subject. Messages are decoded with the writer's schema, found by
// the id in the header, and mapped onto the Go types by field name, so any registered version
// stays decodable, including versions registered by newer writers that this build only learns
// from the registry. Fields a writer lacks decode as zero values when optional and as a poison
// error when required.
//
// Every decoding error is marked [fault.Poison] and says what and where (schema id, field
// path), never a value, since values may be personal data. Encoding an invalid value (an empty
// id, an invalid date, an unknown enum symbol) returns an unmarked error naming the field.
//
// The package imports pipeline/event, pipeline/watchlist, pipeline/fault, goavro and franz-go's
// pkg/sr; nothing in pipeline/ may import it. A [Serde] is immutable after construction and
// safe for concurrent use.
package schemas
