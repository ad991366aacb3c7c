// Package jsonmanifest decodes API manifests that carriers without EDIFACT submit as JSON, in
// the format published as JSON Schema in schemas/json/manifest.schema.json. The format maps one
// to one onto event.Manifest (and so onto the Avro manifest): the same flight, legs, travellers
// and documents, with snake_case names and YYYY[-MM[-DD]] dates.
//
// Decoding is strict about data (unknown fields, wrong types, invalid dates and codes are
// errors) and every error is located by JSON pointer and, where the parser knows it, line and
// column — never by value. A traveller is never dropped: an invalid one fails the message.
// The package is pure and its functions are safe for concurrent use.
package jsonmanifest
