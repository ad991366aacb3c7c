package gateway

import (
	"encoding/json"
	"net/http"
)

// problemTypeBase prefixes every problem type URI. The types are documented in openapi.yaml;
// they are identifiers, not meant to be dereferenced (RFC 9457 §3.1.1).
const problemTypeBase = "urn:watchpost:problem:"

// problemKind is one kind of problem the gateway answers with. Its slug is also the bounded
// reason label of the rejection metrics.
type problemKind struct {
	slug   string
	title  string
	status int
}

var (
	probBadRequest  = problemKind{"bad-request", "The request is malformed", http.StatusBadRequest}
	probMalformed   = problemKind{"malformed-body", "The body could not be decoded", http.StatusBadRequest}
	probInvalid     = problemKind{"invalid-content", "The decoded content is not a valid submission", http.StatusBadRequest}
	probUnauth      = problemKind{"unauthenticated", "Missing or invalid credentials", http.StatusUnauthorized}
	probForbidden   = problemKind{"forbidden", "This client may not submit this", http.StatusForbidden}
	probNotFound    = problemKind{"not-found", "No such resource", http.StatusNotFound}
	probMethod      = problemKind{"method-not-allowed", "Method not allowed on this resource", http.StatusMethodNotAllowed}
	probConflict    = problemKind{"reference-reused", "The reference was already used for different content", http.StatusConflict}
	probTooLarge    = problemKind{"body-too-large", "The body exceeds the size limit", http.StatusRequestEntityTooLarge}
	probMediaType   = problemKind{"unsupported-media-type", "Unsupported Content-Type", http.StatusUnsupportedMediaType}
	probRateLimited = problemKind{"rate-limited", "Too many requests", http.StatusTooManyRequests}
	probInternal    = problemKind{"internal", "Internal error: nothing was accepted", http.StatusInternalServerError}
	probUnavailable = problemKind{"broker-unavailable", "Kafka is unavailable: nothing was accepted", http.StatusServiceUnavailable}
	probNotReady    = problemKind{"watchlist-not-ready", "The watchlist is not loaded yet: nothing was checked", http.StatusServiceUnavailable}
)

// Problem is an RFC 9457 problem document with the gateway's extension: errors, each
// located in the submitted body. Nothing in a problem quotes the body: details and messages
// name what and where, never values.
type Problem struct {
	Type     string    `json:"type"`
	Title    string    `json:"title"`
	Status   int       `json:"status"`
	Detail   string    `json:"detail,omitempty"`
	Instance string    `json:"instance,omitempty"`
	Errors   []Warning `json:"errors,omitempty"`
}

// ProblemContentType is the media type of problem documents.
const ProblemContentType = "application/problem+json"

// writeProblem answers with a problem document of kind k. The instance is the request id,
// so a carrier quoting it lets operators find the request's log lines.
func writeProblem(w http.ResponseWriter, r *http.Request, k problemKind, detail string, errs []Warning) {
	p := Problem{
		Type:     problemTypeBase + k.slug,
		Title:    k.title,
		Status:   k.status,
		Detail:   detail,
		Instance: "urn:uuid:" + requestID(r.Context()),
		Errors:   errs,
	}
	if st := stateOf(r.Context()); st != nil {
		st.reason = k.slug
	}
	b, err := json.Marshal(p)
	if err != nil { // a Problem always marshals
		b = []byte(`{"type":"about:blank","title":"Internal error","status":500}`)
	}
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(k.status)
	_, _ = w.Write(append(b, '\n'))
}
