// Package match screens subjects against an index.Snapshot and explains every hit.
//
// Each database has its own evidence rules and threshold (see [Config] and [DefaultConfig]):
//
//   - SLTD is keyed by canonical document number and issuing country. An exact match scores
//     0.97, an OCR-equivalent one (differing only by O/0, I/1, S/5, B/8, Z/2, G/6, …) 0.90,
//     a number inside a reported range as its exact or OCR form. A document type of the same
//     class (P, PP, PD, PS are all passports) adds 0.03; a different class takes 0.10; an
//     empty type is unknown. A different issuer is never a hit. Severity and action follow
//     the status: stolen blank critical; stolen and revoked high; lost and invalidated medium.
//   - Notices (screened types only) are scored by name, date of birth, nationality and sex:
//     score = 0.80·name + dob + nationality + sex, clamped to [0, 1]. The name similarity
//     aligns name units (tokens; adjacent tokens of a part joined; a run of particles joined
//     with the token it precedes) of the subject and of each record name: equal units count
//     1, equal but for the MRZ spelling of an umlaut (UE for Ü, …) 0.90, one edit apart 0.85
//     (single tokens of four letters or more), the same phonetic skeleton 0.80 (the
//     romanisations of one Arabic, Cyrillic, Greek or Hebrew name: MOHAMMED, MUHAMMAD, محمد);
//     a surname matching a given name (or the reverse) counts 0.85 of that. Record coverage
//     (0.6) and subject coverage (0.4) are weighted by token rarity (IDF within the snapshot),
//     so a common given name adds little; a part's tokens after its first (second given
//     name, second surname) weigh half; particles (AL, BIN, VAN, DE, …) weigh nothing; a
//     subject's initial matches a record token of the same part it starts at 0.6, never on
//     its own. When one side has only a surname (or only given names) and the other both,
//     the other part is left out of the comparison and the similarity counts 0.85: a lone
//     surname with its full date of birth hits, without a date it does not. Weak aliases
//     count 0.85. Date of birth: full agreement +0.15, day and month swapped +0.10, year and
//     month +0.08, full dates one digit apart (a typo) +0.06, year +0.05, a year apart
//     −0.05, same year but another month or day −0.10, years more than one apart −0.30.
//     Nationality +0.03 / −0.05, sex +0.02 / −0.05, unknown 0.
//   - TDAWN is keyed and scored as SLTD, but a hit means the person presenting the document
//     is of interest: a reason names the linked notice, and severity and action follow that
//     notice's type when the snapshot holds it (red critical, yellow and UN high, blue and
//     green medium), otherwise high with an instruction not to alert the bearer.
//   - Nominal data is scored as notices; every hit is medium, with the nominal-data action.
//   - Vehicles: the strongest identifier counts in full, each further one of the same record
//     adds 0.02. VIN aligned at its last character: identical 17 characters 0.98, a chassis
//     number of another length 0.95, a partial VIN (either side; at least the last 8 readable
//     characters agree) 0.87 rising 0.0075 per further character to 0.93; one unreadable
//     character (* ? _) −0.04, characters equal only once I→1, O/Q→0 are folded −0.05. Two
//     adjacent characters of a full VIN transposed (a keying error, or another vehicle of the
//     same line) 0.88, or 0.91 when both VINs are North American and the presented one fails
//     the check digit the listed one passes; such a hit asks to verify the VIN (medium).
//     Plate with plate country 0.92, country unknown on one side 0.84, another country no
//     match; OCR-folded plate −0.06. Engine or part serial 0.88, OCR-folded 0.83. Make (aliases
//     resolved) agrees +0.03; a conflict −0.05 against a full VIN, nothing against a plate
//     (plates move between vehicles), −0.10 otherwise; model agrees +0.01. So a partial VIN
//     of fewer than 12 readable characters, a transposed VIN that its check digit does not
//     expose, or a part serial, hits only with its make, and a plate only with its country.
//   - Vessels: IMO number (prefix and label dropped: "IMO No. 9074729" is 9074729) identical
//     with a valid check digit 0.98, identical but failing its check digit 0.93, equal once
//     OCR-folded 0.93 (0.85 if the folded number fails its check digit); HIN (country prefix
//     of a 14-character CIN dropped) 0.96, folded I→1, O/Q→0 0.91; outboard-engine serial
//     0.90, OCR-folded 0.85; +0.02 per further identifier; name agrees +0.02.
//   - Firearms (iARMS): a serial alone is weak: identical 0.70, OCR-folded 0.62. Make (aliases,
//     legal forms and long names resolved: S&W is Smith & Wesson, Colt's is Colt, Glock
//     Ges.m.b.H. is Glock, Česká zbrojovka a.s. is CZ) agrees +0.20, conflicts −0.30; model
//     +0.04 / −0.04; calibre (aliases resolved: 9mm is 9x19, 5.45x39mm is 5.45×39) +0.04 /
//     −0.10. A serial hits only with its make. Every hit is critical.
//
// A person record scores above zero only if at least one of its name units matches one of the
// subject's (exactly, by MRZ spelling, with one edit, or phonetically): exactly the pairs that
// share an index key or a skeleton term; the person search (search.go) reads the postings of
// those terms and skips only what provably cannot reach the threshold. Likewise a vehicle,
// vessel or firearm record has evidence only through an identifier whose folded key it
// shares with the subject (for a VIN, the folded last 8 characters, or all of a shorter one;
// for a transposed full VIN, the tail of one of the transpositions that candidate search
// probes). Candidate search through the snapshot's indexes therefore finds every record a
// full scan would; the differential tests check it on random watchlists, for every database.
//
// Hits are deterministic: same snapshot and subject give the same hits in the same order.
// Reasons name fields and how they matched, never the subject's values.
//
// The package imports pipeline/{index,watchlist,normalize,event} and the standard library
// only: no logging, no Kafka, Avro or ClickHouse. A Matcher is read-only after New and safe
// for concurrent use.
package match
