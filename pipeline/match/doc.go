// Package match screens subjects against an index.Snapshot and explains every hit.
//
// Each database has its own evidence rules and threshold (see [Config] and [DefaultConfig]):
//
//   - SLTD is keyed by canonical document number and issuing country. An exact match scores
//     0.97, an OCR-equivalent one (differing only by O/0, I/1, S/5, B/8, Z/2, G/6, …) 0.90,
//     a number inside a reported range as its exact or OCR form. A document type of the same
//     class (P, PP, PD, PS are all passports) adds 0.03; a different class takes 0.10; an
//     empty type is unknown. A different issuer is never a hit.
//   - Notices (screened types only) are scored by name, date of birth, nationality and sex:
//     score = 0.80·name + dob + nationality + sex, clamped to [0, 1]. The name similarity
//     aligns name units (tokens, and adjacent tokens joined) of the subject and of each record
//     name: equal units count 1, one edit apart 0.85, a surname matching a given name (or the
//     reverse) 0.8 of that. Record coverage (0.6) and subject coverage (0.4) are weighted by
//     token rarity (IDF within the snapshot), second and later given names weigh half,
//     particles (AL, BIN, VAN, DE, …) and initials weigh nothing, weak aliases count 0.9.
//     Date of birth: full agreement +0.15, day and month swapped +0.10, year and month +0.08,
//     year +0.05, a year apart −0.05, same year but another month or day −0.10, years more
//     than one apart −0.30. Nationality +0.03 / −0.05, sex +0.02 / −0.05, unknown 0.
//
// A record scores above zero only if at least one of its name units is equal to, or one edit
// from, one of the subject's: exactly the pairs that share an index key. Candidate search
// through the snapshot's inverted index therefore finds every record a full scan would; the
// differential test checks it on random watchlists.
//
// Hits are deterministic: same snapshot and subject give the same hits in the same order.
// Reasons name fields and how they matched, never the subject's values.
//
// The package imports pipeline/{index,watchlist,normalize,event} and the standard library
// only: no logging, no Kafka, Avro or ClickHouse. A Matcher is read-only after New and safe
// for concurrent use.
package match
