// Package watchlist defines the reference records Watchpost screens against, one type per
// database, in the shape record owners contribute them (the JSONL formats of `watchpost
// screen --lists` and `watchpost lists load`).
//
// It owns record validation and the Set of all records an index is built from. It imports only
// pipeline/event, pipeline/normalize and the standard library. Values are plain data; a Set
// handed to index.Build must not be mutated afterwards.
package watchlist
