// Package lists loads a record owner's list file into its database's compacted reference
// topic: `watchpost lists load`.
//
// A load acts for one owner country, the one of its credentials (Owner: the SASL user's
// country in deploy/acls.yaml, or --owner without SASL). The file is read whole, JSONL or
// CSV (pipeline/watchlist/jsonl), and every bad line is reported with its file, line and field
// before Kafka is contacted; a record of another owner, or an SLTD or TDAWN document another
// country issued, is such an error.
//
// Load then reads the reference topic to its last stable offset (read_committed, no consumer
// group), keeps the current records of this owner, and produces only the differences: new
// records, changed records, and tombstones for this owner's records the file no longer holds.
// Unchanged records are not re-sent and other owners' records are never touched; an id in
// the file that another owner's record already uses is a located error. Records are compared
// in their current Avro encoding, so a record written with an older schema version and
// unchanged since is not re-sent.
//
// Everything goes in one Kafka transaction whose id is derived from the owner and the topic
// (watchpost-loader-<OWNER>-<topic>): a crash leaves nothing half-loaded, and the next load of
// the same owner and database fences and aborts whatever a dead one left open. Before
// committing, the load reads the topic again to the new stable offset: if another load
// changed this owner's records in between, it aborts with ErrConcurrentLoad (nothing
// written), since its differences were computed against a state that is gone.
//
// Ownership is enforced here, not by Kafka: a reference topic holds every owner's records,
// and ACLs cannot look inside them. Logs and errors name databases, owners, ids' lines and
// counts, never a record's values. Load is safe to call from one goroutine at a time per
// Config; the package holds no state.
package lists
