// Package eval measures the quality of Watchpost's matching: recall (true matches found) and
// false positives (look-alikes and ordinary travellers that hit), per database and per kind
// of variation, with the same index and matcher the workers run.
//
// It has two sources of evidence:
//
//   - a generated evaluation (Run): per database, a Generator builds a realistic watchlist and
//     probes — subjects that are a record's person presented with one kind of variation
//     (a transliteration from Cyrillic, Arabic, Greek, Hangul, Han or kana, an MRZ umlaut
//     spelling, a typo, swapped name parts, a lone surname, initials, a partial or mistyped
//     date of birth, OCR noise in a document number, …) and decoys that must not hit (a
//     record's surname with another person's given names and date, another issuer's
//     document with the same number, random travellers drawn from the same name
//     distribution). Databases are added by adding a Generator: PersonGenerator (notices)
//     and DocumentGenerator (SLTD) are here; nominals, TDAWN, vehicles, vessels and firearms
//     plug in the same way.
//   - a hand-checked case file (testdata/cases.txt, datadriven style: `watchlist` blocks that
//     define the records, `screen` blocks with a subject and, after `----`, the hits expected),
//     run by RunCases.
//
// Report renders both as Markdown (`make eval` writes eval/results.md, see cmd/evalrun).
//
// The package is test and tooling code: it imports pipeline/{index,match,watchlist,event,
// normalize} and the watchlisttest generators, never Kafka, Avro or ClickHouse. Everything is
// deterministic for a seed. Generators are not safe for concurrent use; Run is.
package eval
