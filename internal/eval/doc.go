// Package eval measures the quality of Watchpost's matching: recall (true matches found) and
// false positives (look-alikes and ordinary subjects that hit), per database and per kind
// of variation, with the same index and matcher the workers run.
//
// It has three sources of evidence:
//
//   - a generated evaluation (Run): per database, a Generator builds a realistic watchlist and
//     probes — subjects that are a record presented with one kind of variation — and decoys
//     that must not hit. PersonGenerator evaluates notices and nominal data (transliterations
//     from Cyrillic, Arabic, Greek, Hangul, Han or kana, MRZ umlauts, typos, swapped name
//     parts, lone surnames, initials, partial or mistyped dates of birth; decoys share a name
//     but not the person). DocumentGenerator evaluates SLTD and TDAWN (formatting and MRZ
//     fillers, OCR confusions, ranges, document types, the MRZ issuer code D, a second
//     document; decoys from another issuer, one character away, or listed in the other
//     document database). VehicleGenerator, VesselGenerator and FirearmGenerator evaluate the
//     identifier databases with identifiers shaped like real ones (VINs with manufacturer
//     codes and check digits, national plate formats, IMO check digits, HIN date codes,
//     makers' serial formats): formatting, OCR confusions, unreadable and transposed
//     characters, partial VINs, plates with and without their country, make aliases and
//     legal names, calibre names; decoys are the near misses the rules must reject (the
//     same plate from another country, the same serial of another make, one character
//     away). A kind that the documented evidence rules deliberately leave below the
//     threshold carries Probe.ByDesign and is reported apart.
//   - a hand-checked case file (testdata/cases.txt, datadriven style: `watchlist` blocks that
//     define person and SLTD records, `screen` blocks with a subject and, after `----`, the
//     hits expected), run by RunCases.
//   - a hand-checked case directory (testdata/cases: lists/ in the JSONL formats of
//     `watchpost screen`, and one JSONL file of cases per database: nominals, TDAWN,
//     vehicles, vessels, firearms), run by RunCaseDir.
//
// Report renders them as Markdown (`make eval` writes eval/results.md, see cmd/evalrun).
//
// The package is test and tooling code: it imports pipeline/{index,match,watchlist,event,
// normalize,ident}, the watchlist/jsonl readers and the watchlisttest generators, never
// Kafka, Avro or ClickHouse. Everything is deterministic for a seed. Generators are not safe
// for concurrent use; Run and RunCaseDir are.
package eval
