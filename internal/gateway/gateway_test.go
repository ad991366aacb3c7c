package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/pipeline/event"
)

// TestManifestAccepted submits JSON manifests and checks that 202 comes with the record on
// the manifests topic, keyed by the manifest id, decoding with the Serde to the submitted
// manifest; a two-message submission is two records of one committed transaction.
func TestManifestAccepted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	topic := e.topics.Name(deploy.RoleManifests)

	single := manifest("AF", "AF12", "DOE")
	before := time.Now()
	got := e.postJSON(t, "/v1/manifests", "af", single).manifest(t)
	after := time.Now()
	if !strings.HasPrefix(got.ManifestID, "m-") || got.Messages != 1 || got.Travellers != 1 || got.Duplicate ||
		!cmp.Equal(got.ManifestIDs, []string{got.ManifestID}) || got.Warnings == nil {
		t.Fatalf("response %+v: want a new m- id, 1 message, 1 traveller, not a duplicate, warnings []", got)
	}

	pair := []event.Manifest{manifest("BA", "BA1", "ROE"), manifest("BAW", "BA2", "POE")}
	pair[1].Travellers = append(pair[1].Travellers, pair[1].Travellers[0])
	got2 := e.postJSON(t, "/v1/manifests", "ba", pair).manifest(t)
	if want := []string{got2.ManifestID + ".1", got2.ManifestID + ".2"}; !cmp.Equal(got2.ManifestIDs, want) || got2.Messages != 2 || got2.Travellers != 3 {
		t.Fatalf("response %+v: want ids %v, 2 messages, 3 travellers", got2, want)
	}

	recs := e.records(deploy.RoleManifests, true)
	if len(recs) != 3 {
		t.Fatalf("%d records on %s, want 3", len(recs), topic)
	}
	byKey := map[string]event.Manifest{}
	for _, r := range recs {
		m, err := e.serde.DecodeManifest(r.Value)
		if err != nil {
			t.Fatalf("decoding record %s: %v", r.Key, err)
		}
		if string(r.Key) != m.ID {
			t.Errorf("record keyed %q holds manifest %q: want it keyed by manifest id", r.Key, m.ID)
		}
		byKey[string(r.Key)] = *m
	}
	m := byKey[got.ManifestID]
	if m.ReceivedAt.Before(before.Truncate(time.Millisecond)) || m.ReceivedAt.After(after) {
		t.Errorf("received_at %v not between %v and %v", m.ReceivedAt, before, after)
	}
	want := single
	want.ID, want.ReceivedAt = got.ManifestID, m.ReceivedAt
	if diff := cmp.Diff(want, m); diff != "" {
		t.Errorf("manifest on the topic differs from the submitted one (-want +got):\n%s", diff)
	}
	for i, id := range got2.ManifestIDs {
		w := pair[i]
		w.ID, w.ReceivedAt = id, byKey[id].ReceivedAt
		if diff := cmp.Diff(w, byKey[id]); diff != "" {
			t.Errorf("manifest %d of the pair (-want +got):\n%s", i, diff)
		}
	}
	if n := metric(t, e.reg, "screening_gateway_manifests_total", "outcome", "accepted"); n != 3 {
		t.Errorf("manifests_total{accepted} = %v, want 3", n)
	}
}

// TestManifestEDIFACT submits a PAXLST interchange inside a teletype header: the decoder's
// warning comes back, and the id derives from the carrier and the references, so the same
// interchange under another envelope is a duplicate and a reused reference is a conflict.
func TestManifestEDIFACT(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	body := paxlst("QU PARAFXH\n.AFPAXLST 241200\n", "AF", "REF001", "AF12", "DOE", "ROE")
	got := e.do(t, http.MethodPost, "/v1/manifests", "af", "text/plain; charset=us-ascii", body).manifest(t)
	if got.Duplicate || got.Travellers != 2 || len(got.Warnings) != 1 || got.Warnings[0].Message != "teletype header skipped" {
		t.Fatalf("response %+v: want 2 travellers, not a duplicate, the teletype warning", got)
	}
	again := e.do(t, http.MethodPost, "/v1/manifests?format=paxlst", "af", "application/edifact",
		paxlst("", "AF", "REF001", "AF12", "DOE", "ROE")).manifest(t)
	if !again.Duplicate || again.ManifestID != got.ManifestID || len(again.Warnings) != 0 {
		t.Errorf("same interchange without the envelope = %+v, want a duplicate of %s without warnings", again, got.ManifestID)
	}
	reused := e.do(t, http.MethodPost, "/v1/manifests", "af", "application/edifact", paxlst("", "AF", "REF001", "AF12", "DOE", "ROE", "POE"))
	if p := reused.problem(t); reused.status != http.StatusConflict || p.Type != "urn:watchpost:problem:reference-reused" {
		t.Errorf("reused reference with another traveller = %d %+v, want 409 reference-reused", reused.status, p)
	}
	other := e.do(t, http.MethodPost, "/v1/manifests", "af", "application/edifact", paxlst("", "AF", "REF002", "AF12", "DOE", "ROE")).manifest(t)
	if other.Duplicate || other.ManifestID == got.ManifestID {
		t.Errorf("new reference = %+v, want a new id", other)
	}
	if n := len(e.records(deploy.RoleManifests, true)); n != 2 {
		t.Errorf("%d records, want 2 (REF001 once, REF002 once)", n)
	}
}

// TestDuplicateProducedOnce resubmits identical content: same id, duplicate, one record.
func TestDuplicateProducedOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	m := manifest("AF", "AF12", "DOE")
	first := e.postJSON(t, "/v1/manifests", "af", m).manifest(t)
	m.ID, m.ReceivedAt = "ignored-client-id", time.Now() // fields the gateway sets do not change identity
	second := e.postJSON(t, "/v1/manifests", "af", m).manifest(t)
	if first.Duplicate || !second.Duplicate || second.ManifestID != first.ManifestID || second.Travellers != 1 {
		t.Fatalf("first %+v, second %+v: want the second a duplicate with the same id and counts", first, second)
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 1 {
		t.Errorf("%d records on the topic (committed or not), want 1", n)
	}
	if n := metric(t, e.reg, "screening_gateway_manifests_total", "outcome", "duplicate"); n != 1 {
		t.Errorf("manifests_total{duplicate} = %v, want 1", n)
	}
}

// TestConcurrentDuplicatesProduceOnce sends one body from many goroutines at once while the
// broker is slowed, so the submissions overlap: exactly one is produced, the others wait
// for it and answer duplicate with its id.
func TestConcurrentDuplicatesProduceOnce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	var produces atomic.Int32
	e.cluster.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		e.cluster.KeepControl()
		produces.Add(1)
		e.cluster.SleepControl(func() { time.Sleep(300 * time.Millisecond) })
		return nil, nil, false
	})
	body, err := json.Marshal(manifest("AF", "AF77", "DOE"))
	if err != nil {
		t.Fatal(err)
	}
	const n = 8
	var wg sync.WaitGroup
	got, errs := make([]response, n), make([]error, n)
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			got[i], errs[i] = e.try(http.MethodPost, "/v1/manifests", "af", "application/json", body)
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	fresh, ids := 0, map[string]bool{}
	for _, r := range got {
		m := r.manifest(t)
		ids[m.ManifestID] = true
		if !m.Duplicate {
			fresh++
		}
	}
	if fresh != 1 || len(ids) != 1 {
		t.Errorf("%d answers not duplicate and %d distinct ids; want 1 and 1", fresh, len(ids))
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 1 {
		t.Errorf("%d records on the topic, want 1", n)
	}
	if produces.Load() == 0 {
		t.Error("the control function never saw a produce: the test did not slow anything")
	}
}

// TestRejections covers the problem documents: each names its type, never quotes the body,
// carries the request id, and nothing reaches the topic.
func TestRejections(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	const secret = "SECRETSURNAME"
	okBody, err := json.Marshal(manifest("AF", "AF12", secret))
	if err != nil {
		t.Fatal(err)
	}
	baBody, err := json.Marshal([]event.Manifest{manifest("AF", "AF1", secret), manifest("BA", "BA1", secret)})
	if err != nil {
		t.Fatal(err)
	}
	noFlight := manifest("AF", "", secret)
	noFlight.Travellers[0].Role = "pilot"
	noFlightBody, err := json.Marshal(noFlight)
	if err != nil {
		t.Fatal(err)
	}
	malformed := []byte("{\n  \"carrier\": \"AF\",\n  \"surname\": \"" + secret + "\" oops\n}")

	cases := []struct {
		name        string
		method      string
		path        string
		client      string
		contentType string
		body        []byte
		headers     []string
		status      int
		typ         string
		errors      []gateway.Warning
		header      string // a response header that must be set
	}{
		{name: "no credentials", client: "", contentType: "application/json", body: okBody, status: 401, typ: "unauthenticated", header: "WWW-Authenticate"},
		{name: "unknown key", contentType: "application/json", body: okBody, headers: []string{"Authorization", "Bearer wpk_notakey"}, status: 401, typ: "unauthenticated"},
		{name: "unknown X-API-Key", contentType: "application/json", body: okBody, headers: []string{"X-API-Key", "wpk_notakey"}, status: 401, typ: "unauthenticated"},
		{name: "not a bearer scheme", contentType: "application/json", body: okBody, headers: []string{"Authorization", "Basic YWY6YWY="}, status: 401, typ: "unauthenticated"},
		{name: "keys disagree", client: "af", contentType: "application/json", body: okBody, headers: []string{"X-API-Key", "wpk_other"}, status: 401, typ: "unauthenticated"},
		{name: "border post submits a manifest", client: "cdg", contentType: "application/json", body: okBody, status: 403, typ: "forbidden"},
		{name: "partner submits a manifest", client: "partner-1", contentType: "application/json", body: okBody, status: 403, typ: "forbidden"},
		{name: "wrong carrier", client: "af", contentType: "application/json", body: baBody, status: 403, typ: "forbidden",
			errors: []gateway.Warning{{Field: "carrier", Message: "message 2 of 2: the carrier code is not one this client may submit for"}}},
		{name: "unsupported media type", client: "af", contentType: "application/xml", body: okBody, status: 415, typ: "unsupported-media-type"},
		{name: "no media type", client: "af", body: okBody, status: 415, typ: "unsupported-media-type"},
		{name: "format does not fit the body", path: "/v1/manifests?format=paxlst", client: "af", contentType: "application/json", body: okBody, status: 400, typ: "bad-request",
			errors: []gateway.Warning{{Field: "format", Message: "for a JSON body, format must be json or absent"}}},
		{name: "malformed JSON", client: "af", contentType: "application/json", body: malformed, status: 400, typ: "malformed-body",
			errors: []gateway.Warning{{Line: 3, Message: "malformed JSON"}}},
		{name: "EDIFACT located errors", client: "af", contentType: "application/edifact", body: paxlst("", "AF", "R1", "AF1", secret, "", ""), status: 400, typ: "malformed-body",
			errors: []gateway.Warning{{Segment: 5, Line: 5, Tag: "NAD", Field: "3036", Message: "surname is missing"}, {Segment: 6, Line: 6, Tag: "NAD", Field: "3036", Message: "surname is missing"}}},
		{name: "schema refuses content", client: "af", contentType: "application/json", body: noFlightBody, status: 400, typ: "invalid-content",
			errors: []gateway.Warning{{Field: "flight", Message: "required"}, {Field: "travellers[0].role", Message: "want one of passenger, crew"}}},
		{name: "empty body", client: "af", contentType: "application/json", body: []byte{}, status: 400, typ: "bad-request"},
		{name: "unknown path", path: "/v1/nothing", client: "af", status: 404, typ: "not-found"},
		{name: "wrong method", method: http.MethodGet, client: "af", status: 405, typ: "method-not-allowed", header: "Allow"},
		{name: "crossing as EDIFACT", path: "/v1/crossings", client: "cdg", contentType: "application/edifact", body: okBody, status: 415, typ: "unsupported-media-type"},
	}
	t.Run("cases", func(t *testing.T) {
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				t.Parallel()
				method, path := tc.method, tc.path
				if method == "" {
					method = http.MethodPost
				}
				if path == "" {
					path = "/v1/manifests"
				}
				r := e.do(t, method, path, tc.client, tc.contentType, tc.body, tc.headers...)
				if r.status != tc.status {
					t.Fatalf("status %d, want %d; body %s", r.status, tc.status, r.body)
				}
				p := r.problem(t)
				if want := "urn:watchpost:problem:" + tc.typ; p.Type != want {
					t.Errorf("type %q, want %q", p.Type, want)
				}
				if tc.errors != nil {
					if diff := cmp.Diff(tc.errors, p.Errors); diff != "" {
						t.Errorf("errors (-want +got):\n%s", diff)
					}
				}
				if bytes.Contains(r.body, []byte(secret)) || bytes.Contains(r.body, []byte("oops")) {
					t.Errorf("problem quotes the body: %s", r.body)
				}
				if tc.header != "" && r.header.Get(tc.header) == "" {
					t.Errorf("header %s missing", tc.header)
				}
			})
		}
	})
	if n := len(e.records(deploy.RoleManifests, false)); n != 0 {
		t.Errorf("%d records on the topic after rejected submissions, want 0", n)
	}
	if n := metric(t, e.reg, "screening_gateway_rejections_total", "route", "/v1/manifests", "reason", "unauthenticated"); n != 5 {
		t.Errorf("rejections_total{/v1/manifests,unauthenticated} = %v, want 5", n)
	}
	if n := metric(t, e.reg, "screening_gateway_requests_total", "route", "other", "code", "404"); n != 1 {
		t.Errorf("requests_total{other,404} = %v, want 1 (unknown paths share one label)", n)
	}
	for _, entry := range e.logs.All() {
		b, err := json.Marshal(entry.ContextMap())
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(entry.Message+string(b), secret) {
			t.Errorf("log entry %q %s holds personal data", entry.Message, b)
		}
	}
}

// TestBodyLimit: a body over the limit is refused with 413, whether its length is declared
// or it is streamed, and reading stops at the limit.
func TestBodyLimit(t *testing.T) {
	t.Parallel()
	const limit = 1 << 10
	e := newEnv(t, envOpts{cfg: func(c *gateway.Config) { c.BodyLimit = limit }})
	big := bytes.Repeat([]byte(" "), 2*limit)
	declared := e.do(t, http.MethodPost, "/v1/manifests", "af", "application/json", big)
	if p := declared.problem(t); declared.status != 413 || p.Type != "urn:watchpost:problem:body-too-large" {
		t.Errorf("declared 2 KiB = %d %s, want 413", declared.status, p.Type)
	}

	// A streamed body of unknown length (chunked), far larger than the limit.
	src := &countingReader{}
	src.left.Store(64 << 20)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, e.url+"/v1/manifests", src)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+e.keys["af"])
	req.Header.Set("Content-Type", "application/json")
	r, err := e.send(req)
	if err != nil {
		t.Fatalf("streamed body: %v", err)
	}
	if r.status != 413 {
		t.Errorf("streamed 64 MiB = %d, want 413", r.status)
	}
	if sent := 64<<20 - src.left.Load(); sent > 16<<20 {
		t.Errorf("the client could send %d bytes: reading did not stop at the limit", sent)
	}

	prefix := []byte(`{"carrier":"AF","flight":"AF1","country":"FRA"}`)
	atLimit := append(prefix, bytes.Repeat([]byte(" "), limit-len(prefix))...)
	e.do(t, http.MethodPost, "/v1/manifests", "af", "application/json", atLimit).manifest(t)
}

// countingReader yields spaces until left is exhausted.
type countingReader struct{ left atomic.Int64 }

func (r *countingReader) Read(p []byte) (int, error) {
	n := int64(len(p))
	if l := r.left.Load(); l < n {
		n = l
	}
	if n == 0 {
		return 0, io.EOF
	}
	for i := range p[:n] {
		p[i] = ' '
	}
	r.left.Add(-n)
	return int(n), nil
}

// TestRateLimit: a client over its token bucket gets 429 with Retry-After; others do not.
func TestRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	for i := range 2 { // burst 2
		e.postJSON(t, "/v1/manifests", "lh-slow", manifest("LH", "LH"+strconv.Itoa(i), "DOE")).manifest(t)
	}
	r := e.postJSON(t, "/v1/manifests", "lh-slow", manifest("LH", "LH9", "DOE"))
	if p := r.problem(t); r.status != 429 || p.Type != "urn:watchpost:problem:rate-limited" {
		t.Fatalf("third request = %d %s, want 429 rate-limited", r.status, p.Type)
	}
	// 0.01 tokens per second: the next token is about 100 s away.
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 90 || secs > 100 {
		t.Errorf("Retry-After %q, want about 100 seconds", r.header.Get("Retry-After"))
	}
	e.postJSON(t, "/v1/manifests", "af", manifest("AF", "AF1", "DOE")).manifest(t)
}

// failProduce makes the broker answer every Produce with a retriable error while on is set.
func failProduce(e *env, on *atomic.Bool) {
	e.cluster.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		e.cluster.KeepControl()
		if !on.Load() {
			return nil, nil, false
		}
		r := req.(*kmsg.ProduceRequest)
		resp := r.ResponseKind().(*kmsg.ProduceResponse)
		for _, tp := range r.Topics {
			rt := kmsg.NewProduceResponseTopic()
			rt.Topic, rt.TopicID = tp.Topic, tp.TopicID
			for _, p := range tp.Partitions {
				rp := kmsg.NewProduceResponseTopicPartition()
				rp.Partition = p.Partition
				rp.ErrorCode = kerr.NotEnoughReplicas.Code
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
}

// TestBrokerRefusesProduce: while the broker fails every produce, a submission is answered
// 503 with Retry-After within the produce timeout and nothing reaches the topic, not even
// uncommitted; once the broker recovers, the same body is accepted and produced once.
func TestBrokerRefusesProduce(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{cfg: func(c *gateway.Config) { c.ProduceTimeout = time.Second; c.Producers = 1 }})
	var failing atomic.Bool
	failing.Store(true)
	failProduce(e, &failing)
	pair := []event.Manifest{manifest("AF", "AF1", "DOE"), manifest("AF", "AF2", "ROE")}
	start := time.Now()
	r := e.postJSON(t, "/v1/manifests", "af", pair)
	if p := r.problem(t); r.status != 503 || p.Type != "urn:watchpost:problem:broker-unavailable" || r.header.Get("Retry-After") == "" {
		t.Fatalf("= %d %s Retry-After %q, want 503 broker-unavailable with Retry-After", r.status, p.Type, r.header.Get("Retry-After"))
	}
	if d := time.Since(start); d > 8*time.Second {
		t.Errorf("503 after %v: the produce timeout is 1s", d)
	}
	crossing := e.postJSON(t, "/v1/crossings", "cdg", personCrossing("CDG", "K1"))
	if crossing.status != 503 {
		t.Errorf("crossing while the broker fails = %d, want 503", crossing.status)
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 0 {
		t.Fatalf("%d records on the topic after a 503, want none", n)
	}

	failing.Store(false)
	again := e.postJSON(t, "/v1/manifests", "af", pair).manifest(t)
	if again.Duplicate || again.Messages != 2 {
		t.Errorf("after recovery = %+v, want accepted, not a duplicate", again)
	}
	if n := len(e.records(deploy.RoleManifests, true)); n != 2 {
		t.Errorf("%d committed records after recovery, want 2", n)
	}
}

// TestBrokerDown: with the cluster stopped, readiness fails and submissions are answered 503.
func TestBrokerDown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{cfg: func(c *gateway.Config) { c.ProduceTimeout = time.Second }})
	if r := e.do(t, http.MethodGet, "/readyz", "", "", nil); r.status != 200 {
		t.Fatalf("readyz with the broker up = %d %s", r.status, r.body)
	}
	e.cluster.Close()
	r := e.postJSON(t, "/v1/manifests", "af", manifest("AF", "AF1", "DOE"))
	if p := r.problem(t); r.status != 503 || p.Type != "urn:watchpost:problem:broker-unavailable" {
		t.Errorf("with the broker down = %d %s, want 503", r.status, p.Type)
	}
	time.Sleep(1100 * time.Millisecond) // readiness is cached for a second
	if r := e.do(t, http.MethodGet, "/readyz", "", "", nil); r.status != 503 {
		t.Errorf("readyz with the broker down = %d, want 503", r.status)
	}
	if r := e.do(t, http.MethodGet, "/healthz", "", "", nil); r.status != 200 {
		t.Errorf("healthz = %d, want 200: the process is alive", r.status)
	}
}

func personCrossing(post, id string) map[string]any {
	return map[string]any{
		"id": id, "border_post": post, "country": "FRA", "direction": "entry", "time": "2026-11-24T08:00:00Z",
		"person": map[string]any{
			"surname": "DOE", "given_names": "JANE", "birth_date": "1980-02", "sex": "F", "nationality": "FRA",
			"documents": []any{map[string]any{"type": "P", "number": "X1234567", "issuer": "FRA", "expiry": "2030-01-01"}},
		},
	}
}

// TestCrossings: a border post's crossing is produced keyed by its namespaced id and decodes
// to what was sent; it may not submit for another country or post.
func TestCrossings(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	got := e.postJSON(t, "/v1/crossings", "cdg", personCrossing("CDG", "K1")).crossing(t)
	if !strings.HasPrefix(got.CrossingID, "c-") || got.Duplicate {
		t.Fatalf("response %+v, want a new c- id", got)
	}
	dup := e.postJSON(t, "/v1/crossings", "cdg", personCrossing("cdg", "K1")).crossing(t)
	if !dup.Duplicate || dup.CrossingID != got.CrossingID {
		t.Errorf("resubmission = %+v, want a duplicate of %s", dup, got.CrossingID)
	}
	other := e.postJSON(t, "/v1/crossings", "fra-any", personCrossing("ORY", "K1")).crossing(t)
	if other.CrossingID == got.CrossingID {
		t.Error("the same post id at another post got the same crossing id")
	}
	vehicle := map[string]any{"border_post": "CDG", "country": "FRA", "direction": "exit", "vehicle": map[string]any{"vin": "WVWZZZ1JZXW000001", "plate": "AB123CD", "plate_country": "FRA"}}
	veh := e.postJSON(t, "/v1/crossings", "cdg", vehicle).crossing(t)

	recs := e.records(deploy.RoleCrossings, true)
	if len(recs) != 3 {
		t.Fatalf("%d crossing records, want 3", len(recs))
	}
	for _, r := range recs {
		c, err := e.serde.DecodeCrossing(r.Value)
		if err != nil {
			t.Fatal(err)
		}
		if string(r.Key) != c.ID {
			t.Errorf("record keyed %q holds crossing %q", r.Key, c.ID)
		}
		if c.ID != got.CrossingID {
			if c.ID == veh.CrossingID && (c.Kind != event.KindVehicle || c.Vehicle == nil || c.Vehicle.VIN != "WVWZZZ1JZXW000001" || c.Time.IsZero()) {
				t.Errorf("vehicle crossing %+v: want kind inferred, the VIN, and the reception time", c)
			}
			continue
		}
		want := &event.Crossing{ID: got.CrossingID, BorderPost: "CDG", Country: "FRA", Direction: event.DirectionEntry,
			Time: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), Kind: event.KindPerson,
			Person: &event.Person{Surname: "DOE", GivenNames: "JANE", BirthDate: event.Date{Year: 1980, Month: 2}, Sex: "F", Nationality: "FRA",
				Documents: []event.Document{{Type: "P", Number: "X1234567", Issuer: "FRA", Expiry: event.Date{Year: 2030, Month: 1, Day: 1}}}}}
		if diff := cmp.Diff(want, c); diff != "" {
			t.Errorf("crossing on the topic (-want +got):\n%s", diff)
		}
	}

	badDate := personCrossing("CDG", "K2")
	badDate["person"].(map[string]any)["birth_date"] = "1980-13-45"
	twoSubjects := personCrossing("CDG", "K3")
	twoSubjects["firearm"] = map[string]any{"serial": "S1", "make": "ACME"}
	unknown := personCrossing("CDG", "K4")
	unknown["colour"] = "VERMILION"
	cases := []struct {
		name   string
		client string
		body   any
		raw    string
		status int
		errors []gateway.Warning
	}{
		{"another country", "cdg", map[string]any{"border_post": "CDG", "country": "DEU", "direction": "entry", "firearm": map[string]any{"serial": "1"}}, "", 403,
			[]gateway.Warning{{Field: "country", Message: "this border post submits crossings for its own country only"}}},
		{"another post", "cdg", personCrossing("ORY", "K5"), "", 403,
			[]gateway.Warning{{Field: "border_post", Message: "this client may not submit for this border post"}}},
		{"a carrier", "af", personCrossing("CDG", "K6"), "", 403, nil},
		{"bad birth date", "cdg", badDate, "", 400, []gateway.Warning{{Field: "person.birth_date", Message: "date month out of range 1-12"}}},
		{"two subjects", "cdg", twoSubjects, "", 400, []gateway.Warning{{Field: "kind", Message: "more than one of person, vehicle, vessel and firearm is set"}}},
		{"unknown field", "cdg", unknown, "", 400, []gateway.Warning{{Field: "colour", Message: "unknown field"}}},
		{"malformed", "cdg", nil, "{\n\"border_post\": \"CDG\",\n\"country\": FRA\n}", 400, []gateway.Warning{{Line: 3, Message: "malformed JSON at column 12"}}},
		{"wrong type", "cdg", nil, `{"border_post": 7}`, 400, []gateway.Warning{{Line: 1, Field: "border_post", Message: "want a JSON string"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var r response
			if tc.body != nil {
				r = e.postJSON(t, "/v1/crossings", tc.client, tc.body)
			} else {
				r = e.do(t, http.MethodPost, "/v1/crossings", tc.client, "application/json", []byte(tc.raw))
			}
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			p := r.problem(t)
			if tc.errors != nil {
				if diff := cmp.Diff(tc.errors, p.Errors); diff != "" {
					t.Errorf("errors (-want +got):\n%s", diff)
				}
			}
			for _, leak := range []string{"1980-13-45", "DEU", "VERMILION", "X1234567"} {
				if bytes.Contains(r.body, []byte(leak)) {
					t.Errorf("problem quotes the body (%s): %s", leak, r.body)
				}
			}
		})
	}
}

// TestGracefulShutdown: cancelling Serve while a submission is being produced lets it finish
// with 202, then Serve returns nil and new connections are refused.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	entered := make(chan struct{}, 1)
	e.cluster.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		select {
		case entered <- struct{}{}:
		default:
		}
		e.cluster.SleepControl(func() { time.Sleep(500 * time.Millisecond) })
		return nil, nil, false
	})
	done := make(chan response, 1)
	body := mustJSON(t, manifest("AF", "AF1", "DOE"))
	go func() {
		r, err := e.try(http.MethodPost, "/v1/manifests", "af", "application/json", body)
		if err != nil {
			r.status, r.body = -1, []byte(err.Error())
		}
		done <- r
	}()
	select {
	case <-entered:
	case <-time.After(10 * time.Second):
		t.Fatal("the submission never reached the broker")
	}
	stopped := make(chan error, 1)
	go func() { stopped <- e.stop() }()
	if r := <-done; r.status != http.StatusAccepted {
		t.Errorf("in-flight submission during shutdown = %d %s, want 202", r.status, r.body)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve = %v, want nil after a graceful shutdown", err)
	}
	if _, err := e.try(http.MethodGet, "/healthz", "", "", nil); err == nil {
		t.Error("a request after shutdown was served")
	}
	if n := len(e.records(deploy.RoleManifests, true)); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
}

// TestLogs: the access log names the request, client and manifest ids, and nothing else
// from the body.
func TestLogs(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	got := e.postJSON(t, "/v1/manifests", "af", manifest("AF", "AF1", "SECRETSURNAME")).manifest(t)
	var found bool
	for _, entry := range e.logs.FilterMessage("request").All() {
		f := entry.ContextMap()
		if f["event_id"] == got.ManifestID {
			found = true
			if f["client_id"] != "af" || f["request_id"] == "" || f["code"] != int64(202) {
				t.Errorf("access log %v: want client_id af, a request id and code 202", f)
			}
		}
		b, _ := json.Marshal(f)
		if bytes.Contains(b, []byte("SECRETSURNAME")) || bytes.Contains(b, []byte("X1234567")) || bytes.Contains(b, []byte("1980-02-03")) {
			t.Errorf("log holds personal data: %s", b)
		}
	}
	if !found {
		t.Error("no access log line names the manifest id")
	}
}

// TestReadyAndHealth: with the broker up and the topics present the gateway is ready.
func TestReadyAndHealth(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	for _, path := range []string{"/healthz", "/readyz"} {
		if r := e.do(t, http.MethodGet, path, "", "", nil); r.status != 200 {
			t.Errorf("%s = %d %s", path, r.status, r.body)
		}
	}
	if err := e.srv.Ready(context.Background()); err != nil {
		t.Errorf("Ready = %v", err)
	}
}

// TestFailedCommitIsInvisible: when the broker refuses to commit a two-manifest submission,
// its records are in the log but never committed: the client gets 503 and a read_committed
// reader (the matcher) sees none of them. The resubmission is accepted, and the committed
// view holds exactly its two records.
func TestFailedCommitIsInvisible(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{cfg: func(c *gateway.Config) { c.Producers = 1 }})
	var refused atomic.Int32
	e.cluster.ControlKey(int16(kmsg.EndTxn), func(req kmsg.Request) (kmsg.Response, error, bool) {
		r := req.(*kmsg.EndTxnRequest)
		if !r.Commit {
			e.cluster.KeepControl()
			return nil, nil, false
		}
		refused.Add(1) // the first commit only: the function is then dropped
		resp := r.ResponseKind().(*kmsg.EndTxnResponse)
		resp.ErrorCode = kerr.InvalidTxnState.Code
		return resp, nil, true
	})
	pair := []event.Manifest{manifest("AF", "AF1", "DOE"), manifest("AF", "AF2", "ROE")}
	r := e.postJSON(t, "/v1/manifests", "af", pair)
	if p := r.problem(t); r.status != 503 || p.Type != "urn:watchpost:problem:broker-unavailable" {
		t.Fatalf("refused commit = %d %s, want 503", r.status, p.Type)
	}
	if refused.Load() != 1 {
		t.Fatalf("%d commits refused, want 1", refused.Load())
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 2 {
		t.Fatalf("%d records in the log after the refused commit, want the 2 uncommitted ones", n)
	}
	again := e.postJSON(t, "/v1/manifests", "af", pair).manifest(t)
	if again.Duplicate {
		t.Error("the resubmission after a 503 is a duplicate: the failed submission was remembered")
	}
	if n := len(e.records(deploy.RoleManifests, true)); n != 2 {
		t.Errorf("%d committed records, want 2: the refused transaction must stay invisible", n)
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 4 {
		t.Errorf("%d records in the log, want 4 (2 aborted, 2 committed)", n)
	}
}

// TestDecoderPanicIs500: a panicking decoder costs one request a 500 problem; the panic value
// (which may quote data) is not logged, and the server keeps serving.
func TestDecoderPanicIs500(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{decoder: gateway.DecoderFunc(func(format string, body []byte) (*gateway.Decoded, error) {
		if bytes.Contains(body, []byte("PANIC")) {
			panic("decoder bug near SECRETSURNAME")
		}
		return testDecoder{}.Decode(format, body)
	})})
	r := e.postJSON(t, "/v1/manifests", "af", manifest("AF", "PANIC1", "DOE"))
	if p := r.problem(t); r.status != 500 || p.Type != "urn:watchpost:problem:internal" {
		t.Errorf("panicking decoder = %d %s, want 500 internal", r.status, p.Type)
	}
	e.postJSON(t, "/v1/manifests", "af", manifest("AF", "AF1", "DOE")).manifest(t)
	logged := false
	for _, entry := range e.logs.FilterMessage("handler panicked").All() {
		logged = true
		b, _ := json.Marshal(entry.ContextMap())
		if bytes.Contains(b, []byte("SECRETSURNAME")) {
			t.Errorf("the panic value was logged: %s", b)
		}
	}
	if !logged {
		t.Error("the panic was not logged")
	}
}
