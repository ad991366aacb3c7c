package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"
	"go.uber.org/zap/zapcore"
	"go.uber.org/zap/zaptest/observer"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

// rolePNR is the topic role of the PNRs of PNRGOV pushes.
const rolePNR = deploy.RolePNR

// testClients are the credentials every test environment registers. Keys are generated per
// environment; only their hashes are written to the credentials file.
var testClients = []struct {
	id, yaml string
}{
	{"af", "kind: carrier\n    carriers: [AF]"},
	{"ba", "kind: carrier\n    carriers: [ba, BAW]"}, // lower case on purpose: codes are upper-cased
	{"lh-slow", "kind: carrier\n    carriers: [LH]\n    rate_per_second: 0.01\n    burst: 2"},
	{"bench", "kind: carrier\n    carriers: [XB]\n    rate_per_second: 1000000000\n    burst: 1000000"},
	{"cdg", "kind: border_post\n    country: FRA\n    border_posts: [CDG]"},
	{"fra-any", "kind: border_post\n    country: fra"},
	{"partner-1", "kind: partner\n    country: NLD"},
	{"partner-2", "kind: partner\n    country: DEU"},
	{"partner-slow-3", "kind: partner\n    country: FRA\n    rate_per_second: 0.01\n    burst: 2"},
	{"partner-bench-9", "kind: partner\n    country: FRA\n    rate_per_second: 1000000000\n    burst: 1000000"},
	{"cert-only", "kind: border_post\n    country: FRA\n    cert_cn: cert-only.example"},
	{"kl", "kind: carrier\n    carriers: [KL]"},
	{"ua", "kind: carrier\n    carriers: [UA]"},
}

// env is a gateway serving on 127.0.0.1 against a kfake cluster.
type env struct {
	t       testing.TB
	cluster *consumerstest.Cluster
	topics  deploy.Topics
	serde   *schemas.Serde
	srv     *gateway.Server
	store   *index.Store // the watchlist partner checks screen against; empty until loadSLTD
	url     string
	reg     *prometheus.Registry
	keys    map[string]string // client id -> API key
	logs    *observer.ObservedLogs
	http    *http.Client
	stop    func() error // cancels Serve and returns its error
	dir     string
}

type envOpts struct {
	cfg     func(*gateway.Config)
	decoder gateway.Decoder
	tls     *tlsFiles // serve TLS (and mTLS when tls.clientCA is set)
	quiet   bool      // no log observer (benchmarks)
}

// newEnv starts a kfake cluster with the topics the gateway writes (manifests, crossings,
// pnr, audit, all alerts; per-country alert topics are created on first use) and the
// reference topics, and a gateway serving on a 127.0.0.1 listener, both stopped when the
// test ends.
func newEnv(t testing.TB, o envOpts) *env {
	t.Helper()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	c := consumerstest.NewCluster(t, 3, ts.Name(deploy.RoleManifests), ts.Name(deploy.RoleCrossings), ts.Name(rolePNR),
		ts.Name(deploy.RoleAudit), ts.Name(deploy.RoleAlerts), ts.Name(deploy.RoleReferenceSLTD), ts.Name(deploy.RoleReferenceNotices))
	e := &env{t: t, cluster: c, topics: ts, serde: newSerde(t), store: &index.Store{}, reg: prometheus.NewRegistry(), keys: map[string]string{}, dir: t.TempDir()}
	var creds strings.Builder
	creds.WriteString("clients:\n")
	for _, tc := range testClients {
		key, err := gateway.NewKey()
		if err != nil {
			t.Fatal(err)
		}
		e.keys[tc.id] = key
		fmt.Fprintf(&creds, "  - id: %s\n    %s\n    key_sha256: %s\n", tc.id, tc.yaml, gateway.HashKey(key))
	}
	credsPath := filepath.Join(e.dir, "credentials.yaml")
	if err := os.WriteFile(credsPath, []byte(creds.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := gateway.Config{
		CredentialsFile:       credsPath,
		ProduceTimeout:        3 * time.Second,
		TransactionalIDPrefix: "gateway-test",
		ShutdownTimeout:       10 * time.Second,
	}
	if o.tls != nil {
		cfg.TLSCert, cfg.TLSKey, cfg.ClientCA = o.tls.cert, o.tls.key, o.tls.clientCA
	}
	if o.cfg != nil {
		o.cfg(&cfg)
	}
	core, logs := observer.New(zapcore.DebugLevel)
	e.logs = logs
	logger := zap.New(core)
	if o.quiet {
		logger = zap.NewNop()
	}
	dec := o.decoder
	if dec == nil {
		dec = testDecoder{}
	}
	kafka := app.Kafka{Brokers: c.Brokers, Topics: ts}
	srv, err := gateway.New(cfg, gateway.Deps{
		NewProducer: kafka.Producer,
		Serde:       e.serde,
		Topics:      ts,
		Decoder:     dec,
		Watchlist:   e.store,
		Logger:      logger,
		Registerer:  e.reg,
	})
	if err != nil {
		t.Fatal(err)
	}
	e.srv = srv
	t.Cleanup(srv.Close)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ctx, ln) }()
	stopped := false
	var serveErr error
	e.stop = func() error {
		if !stopped {
			stopped = true
			cancel()
			serveErr = <-errc
		}
		return serveErr
	}
	t.Cleanup(func() {
		if err := e.stop(); err != nil {
			t.Errorf("Serve returned %v", err)
		}
	})
	tr := &http.Transport{MaxIdleConnsPerHost: 64}
	e.url = "http://" + ln.Addr().String()
	if o.tls != nil {
		e.url = "https://" + ln.Addr().String()
		tr.TLSClientConfig = o.tls.client
	}
	e.http = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	t.Cleanup(tr.CloseIdleConnections)
	return e
}

// loadSLTD publishes a watchlist snapshot of docs, as the watchlist feed would, one version
// after the current one.
func (e *env) loadSLTD(docs ...watchlist.Document) {
	var v uint64 = 1
	if cur := e.store.Load(); cur != nil {
		v = cur.Version + 1
	}
	e.store.Swap(index.Build(v, &watchlist.Set{Documents: docs}))
}

// metric returns the value of the counter name whose labels include the given name/value
// pairs, or 0 when there is none.
func metric(t testing.TB, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for i := 0; i+1 < len(labels); i += 2 {
				if have[labels[i]] != labels[i+1] {
					continue next
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}

func newSerde(t testing.TB) *schemas.Serde {
	t.Helper()
	ids := map[string]int{}
	for i, s := range schemas.Subjects() {
		ids[s] = i + 1
	}
	s, err := schemas.NewSerde(ids)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// response is an answer read in full.
type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) problem(t testing.TB) gateway.Problem {
	t.Helper()
	if ct := r.header.Get("Content-Type"); ct != gateway.ProblemContentType {
		t.Fatalf("status %d with Content-Type %q, want a problem document; body %s", r.status, ct, r.body)
	}
	var p gateway.Problem
	if err := json.Unmarshal(r.body, &p); err != nil {
		t.Fatalf("decoding problem %s: %v", r.body, err)
	}
	if p.Status != r.status {
		t.Errorf("problem status %d, HTTP status %d", p.Status, r.status)
	}
	if want := "urn:uuid:" + r.header.Get("X-Request-Id"); p.Instance != want {
		t.Errorf("problem instance %q, want the request id %q", p.Instance, want)
	}
	return p
}

func (r response) manifest(t testing.TB) gateway.ManifestResponse {
	t.Helper()
	if r.status != http.StatusAccepted {
		t.Fatalf("status %d, want 202; body %s", r.status, r.body)
	}
	var m gateway.ManifestResponse
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return m
}

func (r response) crossing(t testing.TB) gateway.CrossingResponse {
	t.Helper()
	if r.status != http.StatusAccepted {
		t.Fatalf("status %d, want 202; body %s", r.status, r.body)
	}
	var c gateway.CrossingResponse
	if err := json.Unmarshal(r.body, &c); err != nil {
		t.Fatalf("decoding %s: %v", r.body, err)
	}
	return c
}

// do sends a request and fails t when it cannot; headers are name/value pairs. A client id
// names the key to send as a bearer token ("" sends none).
func (e *env) do(t testing.TB, method, path, client, contentType string, body []byte, headers ...string) response {
	t.Helper()
	r, err := e.try(method, path, client, contentType, body, headers...)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	return r
}

func (e *env) try(method, path, client, contentType string, body []byte, headers ...string) (response, error) {
	return e.tryWith(e.http, method, path, client, contentType, body, headers...)
}

// tryWith sends a request through hc.
func (e *env) tryWith(hc *http.Client, method, path, client, contentType string, body []byte, headers ...string) (response, error) {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(context.Background(), method, e.url+path, rd)
	if err != nil {
		return response{}, err
	}
	if client != "" {
		req.Header.Set("Authorization", "Bearer "+e.keys[client])
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	return send(hc, req)
}

func (e *env) send(req *http.Request) (response, error) { return send(e.http, req) }

func send(hc *http.Client, req *http.Request) (response, error) {
	resp, err := hc.Do(req)
	if err != nil {
		return response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return response{}, err
	}
	return response{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func (e *env) postJSON(t testing.TB, path, client string, v any) response {
	t.Helper()
	return e.do(t, http.MethodPost, path, client, "application/json", mustJSON(t, v))
}

// records reads every record of topic. committed picks read_committed (what the matcher
// sees); otherwise aborted records are read too. It returns once no record arrived for a
// quiet period after the last one, so call it after the requests that produce have returned.
func (e *env) records(role string, committed bool) []*kgo.Record {
	e.t.Helper()
	return e.topicRecords(e.topics.Name(role), committed)
}

// topicRecords is records for a topic given by name (a per-country topic); with the
// kgo.ConsumeRegex option, topic is a pattern.
func (e *env) topicRecords(topic string, committed bool, opts ...kgo.Opt) []*kgo.Record {
	e.t.Helper()
	iso := kgo.ReadUncommitted()
	if committed {
		iso = kgo.ReadCommitted()
	}
	cl := e.cluster.Client(e.t, append([]kgo.Opt{kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()),
		kgo.MetadataMinAge(50 * time.Millisecond),
		kgo.FetchIsolationLevel(iso), kgo.FetchMaxWait(100 * time.Millisecond)}, opts...)...) // closed at cleanup
	var out []*kgo.Record
	deadline := time.Now().Add(10 * time.Second)
	for quiet := 0; quiet < 3 && time.Now().Before(deadline); {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		if errs := fs.Errors(); len(errs) > 0 && !errors.Is(errs[0].Err, context.DeadlineExceeded) && !errors.Is(errs[0].Err, kerr.UnknownTopicOrPartition) {
			e.t.Fatalf("reading %s: %v", topic, errs[0].Err)
		}
		recs := fs.Records()
		if len(recs) == 0 {
			quiet++
			continue
		}
		quiet = 0
		out = append(out, recs...)
	}
	return out
}

// manifest is a JSON-submittable manifest of carrier with one traveller.
func manifest(carrier, flight, surname string) event.Manifest {
	return event.Manifest{
		Carrier: carrier, Flight: flight, Country: "FRA",
		Legs: []event.Leg{{Departure: "JFK", Arrival: "CDG", DepartureAt: time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC),
			ArrivalAt: time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)}},
		Travellers: []event.Traveller{{Role: event.RolePassenger, Person: event.Person{
			Surname: surname, GivenNames: "JANE", BirthDate: event.Date{Year: 1980, Month: 2, Day: 3}, Sex: "F", Nationality: "FRA",
			Documents: []event.Document{{Type: "P", Number: "X1234567", Issuer: "FRA", Expiry: event.Date{Year: 2030, Month: 1, Day: 1}}},
		}}},
	}
}

// testDecoder is the test double for the real decoders: JSON (one manifest, an array, or an
// envelope with references) and a tiny line-oriented subset of PAXLST, with located errors.
type testDecoder struct{}

type jsonEnvelope struct {
	InterchangeRef string           `json:"interchange_ref"`
	MessageRef     string           `json:"message_ref"`
	Manifests      []event.Manifest `json:"manifests"`
}

func (testDecoder) Decode(format string, body []byte) (*gateway.Decoded, error) {
	if format == gateway.FormatJSON {
		return decodeJSON(body)
	}
	return decodeEDIFACT(body)
}

func decodeJSON(body []byte) (*gateway.Decoded, error) {
	trimmed := bytes.TrimSpace(body)
	locate := func(err error) error {
		var se *json.SyntaxError
		if errors.As(err, &se) {
			return fmt.Errorf("decoding JSON manifests: %w", &gateway.DecodeError{Line: 1 + bytes.Count(body[:se.Offset], []byte("\n")), Message: "malformed JSON"})
		}
		return fmt.Errorf("decoding JSON manifests: %w", &gateway.DecodeError{Message: "not a manifest"})
	}
	strict := func(v any) error {
		d := json.NewDecoder(bytes.NewReader(body))
		d.DisallowUnknownFields()
		return d.Decode(v)
	}
	switch {
	case len(trimmed) > 0 && trimmed[0] == '[':
		var ms []event.Manifest
		if err := strict(&ms); err != nil {
			return nil, locate(err)
		}
		return &gateway.Decoded{Manifests: ms}, nil
	case bytes.Contains(body, []byte(`"manifests"`)):
		var env jsonEnvelope
		if err := strict(&env); err != nil {
			return nil, locate(err)
		}
		return &gateway.Decoded{Manifests: env.Manifests, InterchangeRef: env.InterchangeRef, MessageRef: env.MessageRef}, nil
	default:
		var m event.Manifest
		if err := strict(&m); err != nil {
			return nil, locate(err)
		}
		return &gateway.Decoded{Manifests: []event.Manifest{m}}, nil
	}
}

// decodeEDIFACT reads UNB (sender = carrier, recipient = country, 0020 reference), UNH
// (message reference), TDT (flight) and NAD+FL (surname:given names) segments terminated by
// "'". Lines before UNB are a teletype header and are skipped with a warning.
func decodeEDIFACT(body []byte) (*gateway.Decoded, error) {
	s := string(body)
	var d gateway.Decoded
	start := strings.Index(s, "UNB+")
	if start < 0 {
		return nil, &gateway.DecodeError{Segment: 1, Line: 1, Message: "no UNB segment"}
	}
	if start > 0 {
		d.Warnings = append(d.Warnings, gateway.Warning{Line: 1, Message: "teletype header skipped"})
	}
	m := event.Manifest{}
	var errs []error
	seg := 0
	for off := start; off < len(s); {
		for off < len(s) && (s[off] == '\n' || s[off] == '\r' || s[off] == ' ') {
			off++
		}
		end := strings.IndexByte(s[off:], '\'')
		if end < 0 {
			break
		}
		text := s[off : off+end]
		line := 1 + strings.Count(s[:off], "\n")
		off += end + 1
		seg++
		el := strings.Split(text, "+")
		switch el[0] {
		case "UNB":
			if len(el) < 6 {
				errs = append(errs, &gateway.DecodeError{Segment: seg, Line: line, Tag: "UNB", Field: "0020", Message: "interchange reference is missing"})
				continue
			}
			m.Carrier, m.Country, d.InterchangeRef = el[2], el[3], el[5]
		case "UNH":
			if len(el) > 1 {
				d.MessageRef = el[1]
			}
		case "TDT":
			if len(el) > 2 {
				m.Flight = el[2]
			}
		case "NAD":
			if len(el) < 5 || strings.Split(el[4], ":")[0] == "" {
				errs = append(errs, &gateway.DecodeError{Segment: seg, Line: line, Tag: "NAD", Field: "3036", Message: "surname is missing"})
				continue
			}
			names := strings.SplitN(el[4], ":", 2)
			tr := event.Traveller{Role: event.RolePassenger, Person: event.Person{Surname: names[0]}}
			if len(names) > 1 {
				tr.GivenNames = names[1]
			}
			m.Travellers = append(m.Travellers, tr)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("decoding PAXLST: %w", errors.Join(errs...))
	}
	d.Manifests = []event.Manifest{m}
	return &d, nil
}

// paxlst renders a body the test decoder reads.
func paxlst(header, carrier, ref, flight string, surnames ...string) []byte {
	var b strings.Builder
	b.WriteString(header)
	fmt.Fprintf(&b, "UNB+UNOA:4+%s+FRA+261124:0800+%s'\nUNH+MSG01+PAXLST:D:05B:UN:IATA'\nTDT+20+%s'\n", carrier, ref, flight)
	for _, s := range surnames {
		fmt.Fprintf(&b, "NAD+FL+++%s:JANE'\n", s)
	}
	b.WriteString("UNT+9+MSG01'\nUNZ+1+" + ref + "'\n")
	return []byte(b.String())
}
