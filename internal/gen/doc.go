// Package gen generates realistic synthetic screening data, deterministically from a seed:
// SLTD document records, person notices, API manifests, and the exact list of hits the
// screening engine is expected to find (planted hits) and of look-alikes it must not report
// (near misses). `watchpost gen`, `make demo`, the end-to-end tests and the benchmarks use it.
//
// Random travellers are drawn from name pools kept apart from the pools notice persons are
// drawn from (no shared surname, and no surname within one edit or one phonetic edit of a
// record's), and their document numbers are kept apart from every SLTD number of the same
// issuer (no equal, OCR-equivalent or one-substitution-away number), so the only hits are the
// planted ones.
//
// Output is reproducible: the same Config gives byte-identical files with the same build
// (math/rand/v2 PCG streams; a Go release may change how a stream maps to values).
//
// The package owns the generator and the on-disk layout of a generated data set (one JSONL
// file per kind, see WriteDir). It imports only the standard library, pipeline/event and
// pipeline/watchlist; it must not import pipeline/normalize or pipeline/match, which it is
// used to test. Generate is safe for concurrent use; a Dataset is plain data and must not be
// mutated while shared.
package gen
