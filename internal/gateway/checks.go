package gateway

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// CheckResponse is the body of 200 OK for POST /v1/checks, and all a partner learns: hit or
// no-hit, and the id of the check. It has no other field, and never will: no response to a
// partner may hold a record field (DESIGN.md §6).
type CheckResponse struct {
	Result  string `json:"result"`   // event.CheckHit or event.CheckNoHit
	CheckID string `json:"check_id"` // opaque: random, whatever the result
}

// checkWire is the body of POST /v1/checks.
type checkWire struct {
	DocumentNumber string `json:"document_number"`
	DocumentType   string `json:"document_type"`
	IssuingCountry string `json:"issuing_country"`
}

const (
	// checkBodyLimit bounds a check's body: three short strings.
	checkBodyLimit = 4 << 10
	// maxDocumentNumber bounds a document number as presented, in bytes.
	maxDocumentNumber = 64
	// notReadyRetry is the Retry-After of a check refused while the watchlist loads, seconds.
	notReadyRetry = 5
)

// docCode is an ICAO 9303 document code once upper-cased and stripped of MRZ fillers: a
// letter (P passport, I/A/C identity card, V visa), optionally followed by a letter or digit
// the issuer chose.
var docCode = regexp.MustCompile(`^[A-Z][A-Z0-9]?$`)

// decodeCheck reads a check request into the document it asks about. A nil document means
// the body is not a check request (malformed JSON, unknown fields, wrong types); otherwise
// the problems are invalid fields. Problems name fields and positions, never values. The
// document is returned as presented, trimmed, with its type and issuer canonical.
func decodeCheck(body []byte) (*event.Document, []Warning) {
	var cw checkWire
	if p := decodeObject(body, &cw, "check"); p != nil {
		return nil, []Warning{*p}
	}
	var errs []Warning
	bad := func(field, msg string) { errs = append(errs, Warning{Field: field, Message: msg}) }
	d := &event.Document{
		Number: strings.TrimSpace(cw.DocumentNumber),
		Type:   strings.Trim(strings.ToUpper(strings.TrimSpace(cw.DocumentType)), "<"),
		Issuer: normalize.Country(cw.IssuingCountry),
	}
	switch {
	case d.Number == "":
		bad("document_number", "required")
	case len(d.Number) > maxDocumentNumber:
		bad("document_number", "at most "+strconv.Itoa(maxDocumentNumber)+" bytes")
	case normalize.DocNumber(d.Number) == "":
		bad("document_number", "holds no letter or digit")
	}
	switch {
	case d.Type == "":
		bad("document_type", "required")
	case !docCode.MatchString(d.Type):
		bad("document_type", "want an ICAO document code: a letter, optionally followed by a letter or digit (P, PM, I, ID, V)")
	}
	switch {
	case d.Issuer == "":
		bad("issuing_country", "required")
	case !countryCode.MatchString(d.Issuer):
		bad("issuing_country", "want ISO 3166 alpha-3 as on travel documents")
	}
	return d, errs
}

// newCheckID returns a fresh check id: 128 random bits. It says nothing about the check,
// its partner or its result.
func newCheckID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return "chk-" + hex.EncodeToString(b[:])
}

// postChecks answers a partner's document check: see openapi.yaml. The document is screened
// against SLTD alone, with the workers' matcher. The check's audit event and, on a hit, its
// alerts (to the control rooms of the partner's country and of the issuing country, and to
// the record owner) are committed in one Kafka transaction before the answer is written; if
// they cannot be, the partner gets 503 and no result. Hit and no-hit answers have the same
// status, headers and shape, and the same path through Kafka.
func (s *Server) postChecks(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r.Context())
	client := s.admit(w, r, KindPartner)
	if client == nil {
		return
	}
	if !requireJSON(w, r, "a check") {
		return
	}
	body, ok := s.readBody(w, r, min(checkBodyLimit, s.cfg.BodyLimit))
	if !ok {
		return
	}
	doc, errs := decodeCheck(body)
	if doc == nil {
		s.metrics.checks.WithLabelValues(outcomeRejected).Inc()
		writeProblem(w, r, probMalformed, "the body is not a check; see errors for where", errs)
		return
	}
	if len(errs) > 0 {
		s.metrics.checks.WithLabelValues(outcomeRejected).Inc()
		writeProblem(w, r, probInvalid, "the check is invalid; see errors for which fields", errs)
		return
	}
	snap := s.watchlist.Load() // one snapshot for the whole check
	if snap == nil {
		s.metrics.checks.WithLabelValues(outcomeRejected).Inc()
		w.Header().Set("Retry-After", strconv.Itoa(notReadyRetry))
		writeProblem(w, r, probNotReady, "the watchlist is still loading; nothing was checked; retry later", nil)
		return
	}
	c := event.PartnerCheck{ID: newCheckID(), PartnerID: client.ID, Country: client.Country, Document: *doc, At: s.now().UTC()}
	st.eventID = c.ID
	subject := c.Subject()
	hits := s.matcher.ScreenDocuments(snap, event.DBSLTD, &subject)
	result := event.CheckNoHit
	var out engine.Output
	if len(hits) > 0 {
		result = event.CheckHit
		ctx := c.Context()
		out.Alerts = make([]event.Alert, len(hits))
		for i, h := range hits {
			out.Alerts[i] = event.Alert{Hit: h, Subject: subject, Context: ctx, RaisedAt: c.At}
		}
	}
	audit := c.Audit(result)
	ab, err := s.serde.EncodeAuditEvent(&audit)
	if err != nil {
		writeProblem(w, r, probInternal, "", nil)
		s.log.Error("encoding a partner check's audit event", zap.String("request_id", st.id), zap.String("check_id", c.ID), zap.Error(err))
		return
	}
	rctx, cancel := context.WithTimeout(r.Context(), s.cfg.ProduceTimeout) // bounds creating a new country's topic
	recs, err := s.router.Records(rctx, out)
	cancel()
	if err == nil {
		recs = append(recs, &kgo.Record{Topic: s.topics.audit, Key: []byte(client.ID), Value: ab})
		err = s.produce(r.Context(), recs)
	}
	if err != nil {
		s.metrics.checks.WithLabelValues(outcomeRejected).Inc()
		s.answerSubmitError(w, r, err, "check")
		return
	}
	s.metrics.checks.WithLabelValues(result).Inc()
	writeJSON(w, http.StatusOK, CheckResponse{Result: result, CheckID: c.ID})
}
