// Package paxlst decodes UN/EDIFACT PAXLST messages — advance passenger information (API) and
// crew lists as carriers send them under the WCO/IATA/ICAO API guidelines, directories D02B to
// D15B — into [Message] values that map to [event.Manifest] for screening.
//
// A message is read segment group by segment group: BGM (745 passengers; 250, 336 and 655 crew
// lists; 266 close-out), the reporting party (NAD+MS and COM), the transport groups (TDT+20 with
// LOC+125/87/92 and DTM+189/232, one leg per pair of points), the traveller groups (NAD+FL,
// DDT passengers; NAD+FM, DDU, COT crew; ATT+2 sex, DTM+329 birth date, LOC+22/174/178/179/180,
// NAT+2, RFF, EMP, FTX and the document groups DOC with DTM+36, DTM+182 and LOC+91) and CNT.
//
// Multi-part messages (UNH sequence 01:C, 02, …, nn:F under one common access reference) are
// reassembled into one message in part order, whatever order the parts arrive in. Decode fails
// with [ErrMissingPart] when a part is missing, because screening a list that silently lacks
// travellers would pass them unscreened; with [Options].Partial it keeps the parts at hand as a
// message marked incomplete, with a warning, and [Assemble] joins parts that arrived in
// separate interchanges.
//
// Decoding is tolerant about envelope noise (see package edifact) and about control totals — a
// wrong UNT or CNT count is a warning — and strict about data: every traveller group becomes a
// [Traveller] or a located error (segment number, line, tag, element); a missing family name,
// an unreadable date, an unknown party, sex or location qualifier, a document without a number
// are errors. Errors never quote data values. Segments the decoder does not use are reported in
// one warning per tag.
//
// Two-digit years are expanded against the interchange's preparation date (or [Options].Now):
// a birth year is never in the future; travel and expiry dates fall within 50 years of it.
// Local flight times are kept as UTC wall-clock times. The screening country is left empty in
// the manifest: an airport does not name the authority, and the gateway knows it from the
// credentials the message arrived with.
//
// The package imports the standard library and the pipeline packages edifact, event,
// normalize and fault only. Decode is safe for concurrent use; results belong to the caller.
package paxlst
