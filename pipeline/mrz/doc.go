// Package mrz parses the machine-readable zones of travel documents as ICAO Doc 9303 defines
// them: TD1 identity cards (3 lines of 30), TD2 cards (2 lines of 36), TD3 passports (2 lines
// of 44) and the two machine-readable visas, MRV-A (2 lines of 44) and MRV-B (2 lines of 36).
//
// Parse recognises the format from the shape of the zone and the document code, verifies
// every check digit with the 7-3-1 weighting (document number, birth date, expiry date, the
// TD3 personal number and the composite; visas have no composite) and reports each one in
// Result.Checks. A failed check digit is a finding, not an error: Parse returns an error only
// when the input is not shaped like an MRZ at all (wrong number of lines, a line of the wrong
// length, a character outside A–Z, 0–9 and '<'), and that error names the line, the column
// and what was wrong, never the characters it read.
//
// Parse never corrects what it reads. Characters that OCR engines and people confuse (O/0,
// I/1, S/5, B/8, Z/2, G/6) are reported as Hints: a letter in a numeric field, a digit in a
// name or code, or a swap that would make a failing check digit pass. Names are returned in
// their MRZ form (fillers become spaces); the MRZ transliteration cannot be undone reliably
// (AE may be Ä, Æ or simply AE), so Result.Notes says which sequences are ambiguous.
// Transliterate goes the other way: it applies the ICAO 9303 Part 3 transliteration of Latin
// letters with diacritics and of Cyrillic to a name from the visual zone. Arabic, Greek and
// other scripts are out of its scope.
//
// Countries: Issuer and Nationality follow normalize.Country (the one-letter German code D
// becomes DEU; every other code is kept as printed, including the ICAO special codes GBD,
// UNO, XXA, …), so they compare equal to the keys the rest of the pipeline builds; the codes
// as printed are kept in IssuerCode and NationalityCode, and LookupCode explains a code and
// gives its ISO 3166-1 equivalent where one exists.
//
// The package imports only the standard library, golang.org/x/text and the pipeline packages
// event and normalize; it does no I/O and keeps no state. Every function is safe for
// concurrent use; a Result is plain data owned by the caller.
package mrz
