// Package gateway is the HTTP API carriers and border posts submit to: manifests (EDIFACT
// PAXLST/PNRGOV or JSON) at POST /v1/manifests and crossing events at POST /v1/crossings;
// and where partners check travel documents, at POST /v1/checks. Every submission gets an
// immediate, precise answer: 202 Accepted only once Kafka has acknowledged it, or an RFC
// 9457 problem document naming what is wrong and where. The OpenAPI 3.1 description
// (openapi.yaml, served at /openapi.yaml) is the contract.
//
// # Guarantees
//
// Nothing half-written: a submission's records (one per manifest, keyed by manifest id; for a
// PNRGOV body also one per PNR on the pnr topic, keyed by record locator and owning carrier;
// one per crossing, keyed by crossing id) are produced in one Kafka transaction with acks
// from all in-sync replicas, and 202 is sent only after the commit. The matcher reads
// read_committed, so it sees every manifest of an interchange or none. When the produce fails
// or times out the transaction is aborted and the client gets 503: nothing is visible. The one
// ambiguous case is a commit whose answer is lost; the client gets 503, resubmits, and the
// copy that may have landed carries the same ids (below), so downstream stores drop it.
//
// Idempotent resubmission: ids are deterministic (see ids.go); a PNR's id derives from its
// manifest's. A submission whose id was
// accepted recently is answered 202 with "duplicate": true and is not produced again;
// concurrent submissions of one id produce once (the others wait for the first and share its
// outcome). A reference reused for different content is refused with 409. The store of
// recent ids is an in-memory LRU bounded in size and age (Config.DedupSize, DedupTTL): after
// a gateway restart, or once an id has aged out, a resubmission is produced again, with the
// same manifest, subject and hit ids, and downstream de-duplication by those ids
// (ClickHouse ReplacingMergeTree, alert handling) is the safety net.
//
// # Clients
//
// Clients are listed in a credentials file (YAML or JSON, see Credentials) with their kind
// (carrier, border_post, partner), what they may submit for, the SHA-256 of their API key
// (HashKey, NewKey) and their rate limit. A client authenticates with its key (Authorization:
// Bearer, or X-API-Key; compared in constant time) or, when the server has a client CA, with
// a certificate whose subject CN maps to it. A carrier submits only manifests of its own
// carrier codes and a border post only crossings of its own country and posts (403 naming
// the field). Each client has a token bucket (429 with Retry-After). A client's kind decides
// its endpoints: a partner's key or certificate opens /v1/checks only, and only a partner's
// opens it.
//
// # Partner checks
//
// A partner (travel, tourism or banking company, with the country where it operates) sends
// a document number, type and issuing country and learns {"result": "hit"|"no_hit",
// "check_id": …} and nothing else (CheckResponse): no record field ever, the same status,
// headers and shape for either result. The document is screened against SLTD only, with
// the workers' matcher (match.Matcher.ScreenDocuments) on the snapshot in Deps.Watchlist,
// which the command keeps current with consumers/watchlistfeed; until the first snapshot,
// checks are answered 503. Each check writes an audit event (partner id, country,
// partner_check, result, check id, time) to the audit topic and, on a hit, a
// partner-sourced alert per hit, routed by producers.Router to the control rooms of the
// partner's country and of the issuing country and to the record owner; they commit in one
// Kafka transaction before the answer is written.
//
// # Privacy
//
// Logs carry request ids, client ids and manifest, crossing or check ids only; metric labels
// are route, status code, outcome, check result and problem reason, all from fixed sets. Problem documents
// never quote the body: they name segments, lines, tags and fields.
//
// The package is wiring for the `watchpost gateway` command: it imports deploy, schemas,
// pipeline (event, index, match), producers (the alert router), internal/app (topic
// wiring), analytics/sink (the audit store's id rule) and franz-go, and nothing imports it
// but cmd/. A Server is safe for concurrent use.
package gateway
