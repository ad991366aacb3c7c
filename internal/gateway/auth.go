package gateway

import (
	"crypto/subtle"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// authenticate finds the client behind the request: the subject CN of a verified client
// certificate, an API key (Authorization: Bearer, or X-API-Key), or both when they agree.
// The detail it returns on failure says what was wrong with the credentials, never which
// client a key nearly matched.
func (s *Server) authenticate(r *http.Request) (*Client, string) {
	var byCert *Client
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 && len(r.TLS.VerifiedChains[0]) > 0 {
		byCert = s.creds.byCertCN(r.TLS.VerifiedChains[0][0].Subject.CommonName)
		if byCert == nil {
			return nil, "the client certificate is not registered"
		}
	}
	key, detail := presentedKey(r)
	if detail != "" {
		return nil, detail
	}
	if key == "" {
		if byCert != nil {
			return byCert, ""
		}
		return nil, "credentials are required: an API key (Authorization: Bearer <key> or X-API-Key) or a client certificate"
	}
	byKey := s.creds.byKey(key)
	switch {
	case byKey == nil:
		return nil, "the API key is not valid"
	case byCert != nil && byCert != byKey:
		return nil, "the API key and the client certificate belong to different clients"
	}
	return byKey, ""
}

// presentedKey returns the API key of the request, "" when none, or a detail when the headers
// are malformed or disagree.
func presentedKey(r *http.Request) (key, detail string) {
	var bearer string
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, tok, ok := strings.Cut(h, " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
			return "", "the Authorization header must be \"Bearer <key>\""
		}
		bearer = strings.TrimSpace(tok)
	}
	xkey := strings.TrimSpace(r.Header.Get("X-API-Key"))
	if bearer != "" && xkey != "" && subtle.ConstantTimeCompare([]byte(bearer), []byte(xkey)) != 1 {
		return "", "the Authorization and X-API-Key headers carry different keys"
	}
	if bearer != "" {
		return bearer, ""
	}
	return xkey, ""
}

// admit authenticates the request, checks that the client's kind may use the route, and
// takes a token from the client's rate limit. When the client may not go on, it answers
// the request itself and returns nil.
func (s *Server) admit(w http.ResponseWriter, r *http.Request, kind Kind) *Client {
	c, detail := s.authenticate(r)
	if c == nil {
		w.Header().Set("WWW-Authenticate", `Bearer realm="watchpost"`)
		writeProblem(w, r, probUnauth, detail, nil)
		return nil
	}
	stateOf(r.Context()).clientID = c.ID
	if c.Kind != kind {
		writeProblem(w, r, probForbidden, "a "+string(c.Kind)+" client may not use this endpoint; it is for "+string(kind)+" clients", nil)
		return nil
	}
	if ok, wait := s.limit.allow(c.ID, s.now()); !ok {
		secs := retryAfterSeconds(wait)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		writeProblem(w, r, probRateLimited, "this client's rate limit is exhausted; retry after "+strconv.Itoa(secs)+" s", nil)
		return nil
	}
	return c
}

// readBody reads the whole body, up to limit bytes. Reading stops at the limit: a larger
// body is answered 413 without reading the rest. It answers the request itself and returns
// false on failure.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, bool) {
	tooLarge := "the body exceeds the limit of " + strconv.FormatInt(limit, 10) + " bytes"
	if r.ContentLength > limit {
		writeProblem(w, r, probTooLarge, tooLarge, nil)
		return nil, false
	}
	capacity := int64(64 << 10)
	if r.ContentLength > 0 {
		capacity = r.ContentLength + 1
	}
	buf := make([]byte, 0, min(capacity, limit+1))
	body := http.MaxBytesReader(w, r.Body, limit)
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := body.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == nil {
			continue
		}
		if errors.Is(err, io.EOF) {
			break
		}
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			writeProblem(w, r, probTooLarge, tooLarge, nil)
			return nil, false
		}
		writeProblem(w, r, probBadRequest, "the body could not be read completely", nil)
		return nil, false
	}
	if len(buf) == 0 {
		writeProblem(w, r, probBadRequest, "the body is empty", nil)
		return nil, false
	}
	return buf, true
}
