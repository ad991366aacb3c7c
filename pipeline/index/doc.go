// Package index builds immutable, indexed snapshots of the watchlists and publishes them.
//
// A [Snapshot] holds every record of one watchlist version, per database, in structures a
// matcher can query without scanning a list:
//
//   - documents (SLTD, later TDAWN) live in hash-sharded tables: each shard keeps its records'
//     issuer, canonical number and id in one string arena addressed by uint32 offsets, and an
//     open-addressing table of uint32 record slots keyed by issuer + OCR-folded number, so an
//     exact and an OCR-equivalent lookup are the same probe. Reported number ranges (blank
//     document series) are kept sorted per issuer, prefix and suffix length and searched by
//     binary search;
//   - persons (notices, later nominals) are indexed by name: every name unit (a token, or two
//     adjacent tokens joined) yields keys — the token itself and, for tokens of four bytes or
//     more, every one-byte deletion — into an inverted index of compact []uint32 postings.
//     Two tokens within one edit (insertion, deletion, substitution or adjacent transposition)
//     always share a key, which is what lets package match prove that indexed candidate search
//     finds every record a full scan would. Token document frequencies give IDF weights.
//
// A [Store] publishes snapshots atomically; readers load one snapshot per screened record.
//
// The package imports pipeline/{watchlist,normalize,event} and the standard library only: no
// logging, no Kafka, Avro or ClickHouse. A Snapshot is immutable after Build and safe for
// concurrent use by any number of goroutines; so is a Store.
package index
