// Package index builds immutable, indexed snapshots of the watchlists and publishes them.
//
// A [Snapshot] holds every record of one watchlist version, per database, in structures a
// matcher can query without scanning a list:
//
//   - documents (SLTD and TDAWN) live in hash-sharded tables: each shard keeps its records'
//     issuer, canonical number and id in one string arena addressed by uint32 offsets, and an
//     open-addressing table of uint32 record slots keyed by issuer + OCR-folded number, so an
//     exact and an OCR-equivalent lookup are the same probe. A blocked Bloom filter (one
//     cache line per key, about 8 bits per record) answers for most unlisted numbers before
//     the table is touched. Reported number ranges (blank document series) are grouped per
//     issuer, OCR-folded prefix and suffix length, found through a flat open-addressing
//     index, each group sorted by first number and read as an implicit interval tree, so a
//     lookup visits only ranges that can contain the number; a small Bloom filter over
//     (group, number bucket) answers, from cache, that no range holds nearly every number
//     before any group is read. A TDAWN record also keeps its notice id and, when the notice
//     is in the same set, its type. LookupDocuments looks up a batch (a manifest's
//     documents) in passes over all of it, so that the cache misses of its lookups overlap;
//   - vehicles, vessels and firearms live in object tables: canonical fields in one string
//     arena of length-prefixed fields, and one open-addressing table of uint32 slots (hash tag
//     and record number) over every identifier key — VIN tail (the last 8 characters, folded
//     I→1, O/Q→0), OCR-folded plate, part and engine serials, IMO number, HIN, firearm serial.
//     A presented VIN with one unreadable character in its tail probes the 33 possible
//     characters. Candidates share a key with the subject (or, rarely, only a hash tag; the
//     matcher's scoring rejects those);
//   - persons (notices and nominals) live in a compact, columnar [PersonIndex]: records with
//     their ids, dates of birth, nationalities and sex; names as arrays of tokens (item,
//     joined item, skeleton term, IDF weight, part and flags). The vocabulary holds items —
//     tokens, adjacent tokens joined, particle runs joined with their head — and phonetic
//     skeletons; together they are the terms. Keys (an item's text, its MRZ fold, every
//     one-byte deletion of a token of four bytes or more) lead to items: two units that match
//     exactly, by MRZ spelling or with one edit always share a key, and two that match
//     phonetically share a skeleton term, which is what lets package match prove that its
//     indexed search finds every record a full scan would. Each item also lists its
//     neighbours (the items it matches by MRZ spelling or one edit), precomputed through the
//     keys. A term's postings carry the record, a summary of its dates of birth and the term's
//     share of the name's IDF weight; a frequent term's postings (FrequentPostings) are
//     grouped by year of birth and by whether the name has both parts, each group sorted by
//     share, and every name with two frequent terms on different tokens is also posted under
//     the pair, with a small per-term signature of partners that rules most pair lookups out.
//     Token document frequencies give IDF weights. Batched reads (FindTerms,
//     PairPostingsBatch, the Warm functions, Traits) let a search read what one of its steps
//     needs for many terms or records at once, so that their cache misses overlap.
//
// A [Store] publishes snapshots atomically; readers load one snapshot per screened record.
//
// The package imports pipeline/{watchlist,normalize,event} and the standard library only: no
// logging, no Kafka, Avro or ClickHouse. A Snapshot is immutable after Build and safe for
// concurrent use by any number of goroutines; so is a Store.
package index
