// Package pnrgov decodes UN/EDIFACT PNRGOV messages — the PNR push airlines send to border
// authorities, versions 10.1 to 15.1 of the IATA/WCO/ICAO implementation guide — into [PNR]
// values: the booking (record locators, dates, creator), its travellers with the documents of
// their SSR DOCS, DOCO and DOCA, the itinerary with seats and check-in, contacts, payment,
// tickets, baggage and history. Each message maps to an [event.Manifest] of its flight for
// screening, every traveller as a passenger.
//
// A message is read in its segment groups: the header (MSG, ORG, TVL of the flight pushed,
// EQN), then one group per PNR from SRC: RCI, DAT, ORG, ADD, EBD, IFT and PNR-level SSR; a
// traveller group per TIF with FTI, IFT, REF, EBD, FAR, SSR, ADD and its tickets (TKT with MON,
// PTK, TXD, DAT, FOP); an itinerary group per TVL with RPI, APD, SSR (seats), DAT, IFT and the
// check-in groups (TRI with TIF, SSD, TBD); and the history (LTS, kept as text).
//
// Nothing that names a traveller is dropped. An SSR DOCS at PNR level is tied to its traveller
// by name or association number, to the only traveller, or else becomes a traveller of its own
// (with a warning). An infant — an extra name in TIF, a TIF of type IN, or a DOCS with sex MI or
// FI — is a traveller. A checked-in name that matches no traveller is added as one. A DOCO or
// DOCA that cannot be tied to a traveller stays on the PNR with a warning.
//
// The free text of DOCS, DOCO and DOCA is slash-separated (/P/GBR/123456789/GBR/12JUL64/M/
// 23AUG19/SMITH/JOHN/HENRY); an unreadable date in it or a TIF without a family name is an
// error naming segment, line, tag, element and field, never the value. Wrong UNT and EQN
// counts, unknown segments and PNRs without travellers are warnings. Two-digit years are
// expanded against the date of the flight pushed: birth dates never lie in the future.
//
// Multi-part messages are reassembled as in package paxlst: a missing part is an error wrapping
// [ErrMissingPart] unless [Options].Partial is set.
//
// The package imports the standard library and the pipeline packages edifact, event,
// normalize and fault only. Decode is safe for concurrent use; results belong to the caller.
package pnrgov
