// Package event holds the domain types that flow through Watchpost: manifests, crossings and
// partner checks (what is screened), subjects (who or what is screened), screenings (one record per screened
// subject) and hits and alerts (what matched and why).
//
// The package owns deterministic identifiers: a subject id is derived from its event id and
// position, and a hit id from the subject and the record it matched, so a redelivered message
// yields the same ids and downstream stores can de-duplicate.
//
// It imports only the standard library. Values are plain data; a value shared between
// goroutines must not be mutated.
package event
