// Package normalize canonicalises the values Watchpost matches on: person names, travel-document
// numbers and country codes. Every function is pure and deterministic, and the folds are
// idempotent, so a value normalised when a watchlist is indexed and the same value normalised
// when a traveller is screened always agree.
//
// Names are folded for matching, not for display (NameTokens): Unicode NFKD, diacritics
// dropped except the ICAO 9303 MRZ spellings of Ä, Ö, Ü, Å (AE, OE, UE, AA), Latin specials
// (Æ→AE, Ø→OE, ß→SS, Þ→TH, Ł→L, …), Cyrillic and Greek by the ICAO 9303 tables, Arabic and
// Hebrew by consonant romanisations close to common Latin spellings, Hangul by jamo
// decomposition to Revised Romanization (with the passport spelling of common surnames), kana
// by passport Hepburn, Han by pinyin from an embedded table of the commonest name characters
// (Han has no algorithmic romanisation); upper-case; punctuation, hyphens and the MRZ filler
// '<' as separators; apostrophes dropped (O'BRIEN → OBRIEN, as in the MRZ). Two keys compare
// spellings: Skeleton, a phonetic skeleton that brings the romanisations of one name together
// (MOHAMMED, MUHAMMAD, محمد → MHMT), and MRZFold, which reads AE, OE, UE, AA as A, O, U, A.
//
// The package imports only the standard library and golang.org/x/text; it must not import any
// other Watchpost package. Its tables are read-only (the Han table is parsed once, on first
// use): every function is safe for concurrent use.
package normalize
