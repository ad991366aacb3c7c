// Package ident validates and normalises the identifiers of vehicles and vessels that
// Watchpost screens against the stolen motor vehicle and stolen vessel databases:
//
//   - VIN, the vehicle identification number (ISO 3779; 49 CFR 565 in North America):
//     normalised by upper-casing and dropping spaces, dashes and dots. Checked: 17
//     characters (VINs before 1981 and many chassis numbers are shorter and follow no
//     standard, so they are reported invalid with that reason), the alphabet (digits and
//     A–Z without I, O and Q), and the position-9 check digit (transliteration values,
//     weights 8-7-6-5-4-3-2-10-0-9-8-7-6-5-4-3-2, modulo 11, 10 written X) — which is
//     mandatory only in North America (world manufacturer identifier starting 1–5), so it is
//     reported as not applicable elsewhere, with the North American model-year rule
//     (position 10 is never U, Z or 0).
//   - IMO ship identification number ("IMO 9074729", "9074729", or labelled as certificates
//     and port forms write it: "IMO No. 9074729", "IMO Nr.", "IMO number"): seven digits, the
//     last being the sum of the first six times 7, 6, 5, 4, 3, 2, modulo 10. Normalised to the
//     seven digits (TrimIMOLabel drops the prefix and label).
//   - HIN, the hull identification number of boats (33 CFR 181.25 in the US; ISO 10087 CIN in
//     the EU): twelve characters, optionally after a two-letter country prefix ("US-",
//     "FR-"). Checked: the country prefix is ISO 3166-1 alpha-2; the manufacturer code is
//     three letters or digits; the five-character serial has no I, O or Q; the last four
//     characters are either the model-year format (month of production A–L, last digit of
//     the production year, two-digit model year equal to the production year or the next)
//     or the 1972–1984 straight-year format (M, two-digit model year 72–84, month A–L).
//     Normalised to the twelve characters, after "CC-" when a country prefix was given;
//     Fields["hin"] is the twelve characters alone.
//
// Every function returns a Result, never an error: an invalid identifier is a finding, with
// Reason saying what is wrong. Reasons name positions and rules; they may quote single
// characters of the identifier but never the whole of it. ByKind dispatches on the kind
// names that `watchpost id check --kind` takes.
//
// The package imports only the standard library and golang.org/x/text; it does no I/O and
// keeps no state, so every function is safe for concurrent use.
package ident
