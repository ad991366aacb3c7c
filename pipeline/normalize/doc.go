// Package normalize canonicalises the values Watchpost matches on: person names, travel-document
// numbers and country codes. Every function is pure, deterministic and idempotent, so a value
// normalised when a watchlist is indexed and the same value normalised when a traveller is
// screened always agree.
//
// Names are folded for matching, not for display: Unicode NFKD, diacritics dropped, the ICAO
// 9303 transliteration of Latin specials (Æ→AE, Ø→OE, ß→SS, Þ→TH, Ł→L, …), Cyrillic and Greek
// letters transliterated with the ICAO 9303 tables, upper-case, punctuation, hyphens and the MRZ
// filler '<' as separators, apostrophes dropped (O'BRIEN → OBRIEN, as in the MRZ).
//
// The package imports only the standard library and golang.org/x/text; it must not import any
// other Watchpost package. It has no state: every function is safe for concurrent use.
package normalize
