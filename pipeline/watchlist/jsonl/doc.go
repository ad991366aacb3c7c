// Package jsonl reads the watchlist files of `watchpost screen --lists DIR` and `watchpost
// lists load`, and the JSONL subjects `watchpost screen` screens: one JSON object per line.
//
// ReadDir reads a directory with one file per database (sltd.jsonl, notices.jsonl,
// nominals.jsonl, tdawn.jsonl, vehicles.jsonl, vessels.jsonl, firearms.jsonl) into a
// watchlist.Set. A missing file is an empty database. Parsing is strict: unknown or
// mis-cased fields, wrong JSON types, malformed values and duplicate ids are errors, and a
// file with any error contributes nothing — every error of every file is returned (up to
// MaxErrorsPerFile listed per file, the rest counted), each naming the file, the line and the
// field, never the value. A record the reader accepts is one index.Build indexes (it skips
// none).
//
// Read reads one database's file for `watchpost lists load`, as JSONL or as CSV (csv.go
// describes the CSV form: each row maps to the JSONL object of the same record, so both forms
// share the validation and give identical records), and returns the line of every record id.
// With Options.Owner it reads for one owner: a record without an owner gets it, and a record
// of another owner, or an SLTD or TDAWN document another country issued, is a located error.
// Records may carry the owner's restrictions, restricted_from and restricted_to (upper-case
// ISO 3166 alpha-3 codes).
//
// ReadSubjects reads subjects ({"id", "kind": "person|vehicle|vessel|firearm", …}) into
// event.Subject values, one per line, reporting each bad line without stopping.
//
// The package imports pipeline/{watchlist,event,normalize,index} and the standard library:
// it sits above index, whose canonical forms decide what a valid identifier is. It has no
// state; its functions are safe for concurrent use.
package jsonl
