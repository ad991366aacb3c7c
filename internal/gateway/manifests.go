package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
)

// ManifestResponse is the body of 202 Accepted for POST /v1/manifests.
type ManifestResponse struct {
	// ManifestID identifies the submission; it is the manifest's id when it holds one message.
	ManifestID string `json:"manifest_id"`
	// ManifestIDs are the ids of the submission's manifests, one per message, in body order:
	// the event ids every screening and alert of the submission refers to.
	ManifestIDs []string `json:"manifest_ids"`
	Messages    int      `json:"messages"`
	Travellers  int      `json:"travellers"`
	// PNRs counts the passenger name records of a PNRGOV submission, each produced to the
	// pnr topic; 0 for PAXLST and JSON.
	PNRs int `json:"pnrs"`
	// Warnings are what the decoder tolerated in this body.
	Warnings []Warning `json:"warnings"`
	// Duplicate is true when the submission had already been accepted: it was not produced
	// again, and the counts are those of the first submission.
	Duplicate bool `json:"duplicate"`
}

// CrossingResponse is the body of 202 Accepted for POST /v1/crossings.
type CrossingResponse struct {
	CrossingID string `json:"crossing_id"`
	Duplicate  bool   `json:"duplicate"`
}

// Media types of manifest bodies.
const (
	mediaEDIFACT  = "application/edifact"
	mediaText     = "text/plain"
	mediaJSON     = "application/json"
	supportedBody = "application/edifact, text/plain (EDIFACT) or application/json"
)

// manifestFormat maps the Content-Type and the optional format query parameter to a
// decoder format. It answers the request itself and returns "" on failure.
func manifestFormat(w http.ResponseWriter, r *http.Request) string {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		writeProblem(w, r, probMediaType, "Content-Type is required: "+supportedBody, nil)
		return ""
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		writeProblem(w, r, probMediaType, "Content-Type is not a valid media type; want "+supportedBody, nil)
		return ""
	}
	q := strings.ToLower(r.URL.Query().Get("format"))
	switch mt {
	case mediaEDIFACT, mediaText:
		switch q {
		case "":
			return FormatAuto
		case FormatAuto, FormatPAXLST, FormatPNRGOV:
			return q
		}
		writeProblem(w, r, probBadRequest, "", []Warning{{Field: "format", Message: "for an EDIFACT body, format must be auto, paxlst or pnrgov"}})
	case mediaJSON:
		if q == "" || q == FormatJSON {
			return FormatJSON
		}
		writeProblem(w, r, probBadRequest, "", []Warning{{Field: "format", Message: "for a JSON body, format must be json or absent"}})
	default:
		writeProblem(w, r, probMediaType, "want "+supportedBody, nil)
	}
	return ""
}

// invalidError is content that decoded but cannot be produced: the schema refuses it.
type invalidError struct{ errs []Warning }

func (e *invalidError) Error() string { return strconv.Itoa(len(e.errs)) + " invalid fields" }

// postManifests accepts a manifest submission: see openapi.yaml.
func (s *Server) postManifests(w http.ResponseWriter, r *http.Request) {
	st := stateOf(r.Context())
	client := s.admit(w, r, KindCarrier)
	if client == nil {
		return
	}
	format := manifestFormat(w, r)
	if format == "" {
		return
	}
	body, ok := s.readBody(w, r, s.cfg.BodyLimit)
	if !ok {
		return
	}
	dec, err := s.decoder.Decode(format, body)
	if err != nil {
		s.metrics.manifests.WithLabelValues(outcomeRejected).Inc()
		des := decodeErrors(err)
		if len(des) == 0 {
			// The error carries no location and its text may quote the body: say nothing more.
			writeProblem(w, r, probMalformed, "the body could not be decoded as "+format, nil)
			return
		}
		errs := make([]Warning, len(des))
		for i, de := range des {
			errs[i] = de.problem()
		}
		writeProblem(w, r, probMalformed, "the body could not be decoded as "+format+"; see errors for where", errs)
		return
	}
	if dec == nil || len(dec.Manifests) == 0 {
		s.metrics.manifests.WithLabelValues(outcomeRejected).Inc()
		writeProblem(w, r, probMalformed, "the body holds no manifest", nil)
		return
	}
	if dec.PNRs != nil && len(dec.PNRs) != len(dec.Manifests) {
		// A Decoder defect: PNRs that cannot be tied to their manifest are not accepted.
		writeProblem(w, r, probInternal, "", nil)
		s.log.Error("decoder returned PNRs for another number of messages", zap.String("request_id", st.id),
			zap.Int("messages", len(dec.Manifests)), zap.Int("pnr_messages", len(dec.PNRs)))
		return
	}
	n := len(dec.Manifests)
	var missing, forbidden []Warning
	for i := range dec.Manifests {
		switch m := &dec.Manifests[i]; {
		case strings.TrimSpace(m.Carrier) == "":
			missing = append(missing, Warning{Field: "carrier", Message: messageRef(i, n) + "the carrier code is required"})
		case !client.mayCarry(m.Carrier):
			forbidden = append(forbidden, Warning{Field: "carrier", Message: messageRef(i, n) + "the carrier code is not one this client may submit for"})
		}
	}
	if len(missing) > 0 {
		s.metrics.manifests.WithLabelValues(outcomeRejected).Add(float64(n))
		writeProblem(w, r, probInvalid, "", missing)
		return
	}
	if len(forbidden) > 0 {
		s.metrics.manifests.WithLabelValues(outcomeRejected).Add(float64(n))
		writeProblem(w, r, probForbidden, "a carrier may only submit manifests of its own carrier codes", forbidden)
		return
	}
	content, err := submissionContent(dec.Manifests, dec.PNRs)
	if err != nil {
		writeProblem(w, r, probInternal, "", nil)
		s.log.Error("hashing manifest content", zap.String("request_id", st.id), zap.Error(err))
		return
	}
	id := submissionID(carrierSet(dec.Manifests), dec.InterchangeRef, dec.MessageRef, content)
	st.eventID = id
	ids := manifestIDs(id, n)
	travellers, pnrs := 0, 0
	for i := range dec.Manifests {
		travellers += len(dec.Manifests[i].Travellers)
	}
	for i := range dec.PNRs {
		pnrs += len(dec.PNRs[i])
	}
	acc, dup, err := s.dedup.do(r.Context(), id, content, func() (accepted, error) {
		recs := make([]*kgo.Record, 0, n+pnrs)
		var invalid []Warning
		now := s.now().UTC()
		for i := range dec.Manifests {
			m := &dec.Manifests[i]
			m.ID, m.ReceivedAt = ids[i], now
			b, err := s.serde.EncodeManifest(m)
			if err != nil {
				invalid = append(invalid, schemaProblems(err, messageRef(i, n))...)
				continue
			}
			recs = append(recs, &kgo.Record{Topic: s.topics.manifests, Key: []byte(m.ID), Value: b})
			if dec.PNRs != nil {
				pr, bad := s.pnrRecords(m, dec.PNRs[i], now, messageRef(i, n))
				recs, invalid = append(recs, pr...), append(invalid, bad...)
			}
		}
		if len(invalid) > 0 {
			return accepted{}, &invalidError{invalid}
		}
		if err := s.produce(r.Context(), recs); err != nil {
			return accepted{}, err
		}
		return accepted{ids: ids, travellers: travellers, pnrs: pnrs}, nil
	})
	if err != nil {
		s.metrics.manifests.WithLabelValues(outcomeRejected).Add(float64(n))
		s.answerSubmitError(w, r, err, "manifest")
		return
	}
	outcome := outcomeAccepted
	if dup {
		outcome = outcomeDuplicate
	}
	s.metrics.manifests.WithLabelValues(outcome).Add(float64(len(acc.ids)))
	warnings := dec.Warnings
	if warnings == nil {
		warnings = []Warning{}
	}
	writeJSON(w, http.StatusAccepted, ManifestResponse{
		ManifestID: id, ManifestIDs: acc.ids, Messages: len(acc.ids), Travellers: acc.travellers, PNRs: acc.pnrs,
		Warnings: warnings, Duplicate: dup,
	})
}

// pnrRecords links the PNRs of manifest m (already given its id and reception time) to it and
// encodes one record per PNR for the pnr topic, keyed by record locator and owning carrier
// (event.PNR.Key). The carrier is the manifest's: the one the client was authorised for. A
// PNR the schema refuses is a located problem, its fields under pnrs[j].
func (s *Server) pnrRecords(m *event.Manifest, ps []event.PNR, now time.Time, prefix string) ([]*kgo.Record, []Warning) {
	event.LinkPNRs(m.ID, ps)
	recs := make([]*kgo.Record, 0, len(ps))
	var invalid []Warning
	for j := range ps {
		p := &ps[j]
		p.Carrier, p.Country, p.ReceivedAt = m.Carrier, m.Country, now
		if p.LocatorCarrier == "" {
			p.LocatorCarrier = m.Carrier
		}
		b, err := s.serde.EncodePNR(p)
		if err != nil {
			at := "pnrs[" + strconv.Itoa(j) + "]"
			for _, w := range schemaProblems(err, prefix) {
				if w.Field == "" {
					w.Field = at
				} else {
					w.Field = at + "." + w.Field
				}
				invalid = append(invalid, w)
			}
			continue
		}
		recs = append(recs, &kgo.Record{Topic: s.topics.pnr, Key: []byte(p.Key()), Value: b})
	}
	return recs, invalid
}

// messageRef prefixes a message about manifest i of n with its position, when n > 1.
func messageRef(i, n int) string {
	if n == 1 {
		return ""
	}
	return "message " + strconv.Itoa(i+1) + " of " + strconv.Itoa(n) + ": "
}

// produce produces recs in one transaction within the produce timeout, and times it. The
// request's cancellation does not cut it short: a submission that started is finished.
func (s *Server) produce(ctx context.Context, recs []*kgo.Record) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ProduceTimeout)
	defer cancel()
	start := time.Now()
	err := s.prod.produce(ctx, recs)
	if err == nil {
		s.metrics.produce.Observe(time.Since(start).Seconds())
	}
	return err
}

// answerSubmitError answers a submission that was not accepted.
func (s *Server) answerSubmitError(w http.ResponseWriter, r *http.Request, err error, what string) {
	var inv *invalidError
	switch {
	case errors.As(err, &inv):
		writeProblem(w, r, probInvalid, "the "+what+" does not satisfy the schema; see errors for which fields", inv.errs)
	case errors.Is(err, errConflict):
		writeProblem(w, r, probConflict, "this "+what+"'s reference was already accepted with different content; send corrected content under a new reference", nil)
	default:
		// Produce errors name topics, partitions and transactional ids, never values.
		s.log.Warn("producing a submission failed: nothing accepted", zap.String("request_id", requestID(r.Context())), zap.Error(err))
		w.Header().Set("Retry-After", strconv.Itoa(retryAfterSeconds(s.cfg.ProduceTimeout/2)))
		detail := "Kafka did not acknowledge the " + what + " in time; nothing was accepted; resubmit the same body later"
		if errors.Is(err, errAmbiguousCommit) {
			detail = "Kafka did not confirm the " + what + "; resubmit the same body later (a copy that did land has the same ids and is de-duplicated)"
		}
		writeProblem(w, r, probUnavailable, detail, nil)
	}
}

// schemaProblems turns a schema validation error into located problems. The schemas package
// guarantees its messages name fields and never values: "encoding <record>: path: message;
// path: message".
func schemaProblems(err error, prefix string) []Warning {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, ": "); ok && strings.HasPrefix(msg, "encoding ") {
		msg = rest
	}
	var out []Warning
	for part := range strings.SplitSeq(msg, "; ") {
		field, m, ok := strings.Cut(part, ": ")
		if !ok {
			out = append(out, Warning{Message: prefix + part})
			continue
		}
		// A traveller is flat in JSON: drop the Avro record level.
		field = strings.ReplaceAll(field, ".person.", ".")
		out = append(out, Warning{Field: field, Message: prefix + m})
	}
	return out
}

// writeJSON answers with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, fmt.Sprintf("encoding the response: %T", err), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}
