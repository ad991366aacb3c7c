// Package edifact is the UN/EDIFACT syntax layer (ISO 9735) shared by the carrier-message
// decoders: it turns the bytes of an interchange into segments, elements and components, and
// the segments into an interchange of messages (UNB … UNG … UNH … UNT … UNE … UNZ).
//
// The package is tolerant about envelope noise and strict about data: it skips teletype
// (Type-B) address and origin lines, SITA header lines, SOH/STX/ETX framing, a UTF-8 byte-order
// mark, line breaks hard-wrapped inside segments, indentation and trailing e-mail footers, and
// reports what it skipped as a [Warning]. Wrong UNT, UNE and UNZ counts and unmatched control
// references are warnings too. What would lose data — a message without its UNT, a segment
// outside any message, a malformed segment tag, a second interchange after UNZ — is a
// [*SyntaxError] naming the segment number, the line it starts on, the tag and the element.
// Errors and warnings never quote data values, which may be personal data.
//
// Segments are numbered from 1 in the interchange: UNB is segment 1 (the UNA service string
// advice is not a segment). Lines are numbered from 1 in the input as received, so a carrier
// can find the place in the file it sent. Data elements and components are numbered from 1
// after the tag, as in the UN/EDIFACT directories: in NAD+FL+++DOE:JOHN, element 4
// component 2 is JOHN.
//
// Values are decoded to UTF-8: a value that is not valid UTF-8 is read in the character set the
// UNB syntax identifier declares (UNOC ISO 8859-1, UNOD ISO 8859-2, …), or as ISO 8859-1 with a
// warning when the declared set cannot explain it.
//
// The package imports the standard library and golang.org/x/text only; it does no I/O and holds
// no state. Every function is safe for concurrent use; returned values are owned by the caller.
package edifact
