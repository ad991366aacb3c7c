package gateway_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

var checkIDPattern = regexp.MustCompile(`^chk-[0-9a-f]{32}$`)

// checkHeaders are the only headers a check's answer may carry, hit or no-hit.
var checkHeaders = []string{"Cache-Control", "Content-Length", "Content-Type", "Date", "X-Request-Id"}

// check POSTs a check of the document (number, type, issuer) as client.
func (e *env) check(t testing.TB, client, number, typ, issuer string) response {
	t.Helper()
	return e.postJSON(t, "/v1/checks", client, map[string]string{"document_number": number, "document_type": typ, "issuing_country": issuer})
}

// checkResult decodes a check's answer strictly: 200, exactly the fields result (hit or
// no_hit) and check_id (opaque), and the fixed set of headers.
func (r response) checkResult(t testing.TB) gateway.CheckResponse {
	t.Helper()
	if r.status != http.StatusOK {
		t.Fatalf("status %d, want 200; body %s", r.status, r.body)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(r.body, &fields); err != nil || len(fields) != 2 {
		t.Fatalf("answer %s: want an object of exactly two fields (%v)", r.body, err)
	}
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.DisallowUnknownFields()
	var c gateway.CheckResponse
	if err := dec.Decode(&c); err != nil {
		t.Fatalf("answer %s: %v", r.body, err)
	}
	if (c.Result != event.CheckHit && c.Result != event.CheckNoHit) || !checkIDPattern.MatchString(c.CheckID) {
		t.Fatalf("answer %s: want result hit or no_hit and an opaque chk- id", r.body)
	}
	names := make([]string, 0, len(r.header))
	for k := range r.header {
		names = append(names, k)
	}
	slices.Sort(names)
	if !slices.Equal(names, checkHeaders) {
		t.Fatalf("answer headers %v, want exactly %v", names, checkHeaders)
	}
	if r.header.Get("Content-Type") != "application/json" || r.header.Get("Cache-Control") != "no-store" {
		t.Errorf("answer Content-Type %q, Cache-Control %q", r.header.Get("Content-Type"), r.header.Get("Cache-Control"))
	}
	return c
}

// audits decodes the committed audit events, by check id.
func (e *env) audits(t testing.TB) map[string][]*event.AuditEvent {
	t.Helper()
	out := map[string][]*event.AuditEvent{}
	for _, rec := range e.records(deploy.RoleAudit, true) {
		a, err := e.serde.DecodeAuditEvent(rec.Value)
		if err != nil {
			t.Fatalf("decoding an audit event: %v", err)
		}
		if string(rec.Key) != a.OfficerID {
			t.Errorf("audit event keyed %q, want the partner id %q", rec.Key, a.OfficerID)
		}
		out[a.HitID] = append(out[a.HitID], a)
	}
	return out
}

// alerts decodes the committed alerts of topic (a name, or a pattern with kgo.ConsumeRegex).
func (e *env) alerts(t testing.TB, topic string, opts ...kgo.Opt) []*event.Alert {
	t.Helper()
	var out []*event.Alert
	for _, rec := range e.topicRecords(topic, true, opts...) {
		a, err := e.serde.DecodeAlert(rec.Value)
		if err != nil {
			t.Fatalf("decoding an alert on %s: %v", rec.Topic, err)
		}
		out = append(out, a)
	}
	return out
}

func countryTopic(t testing.TB, e *env, role, country string) string {
	t.Helper()
	tp, err := e.topics.ForCountry(role, country)
	if err != nil {
		t.Fatal(err)
	}
	return tp.Name
}

var stolenDEU = watchlist.Document{ID: "SLTD-DEU-000123", Number: "C01X00T47", Type: "P", Issuer: "DEU", Status: watchlist.StatusStolen, Owner: "DEU"}

// TestCheckHitAndNoHit: a partner operating in NLD checks a stolen German passport (as
// printed, with spaces, lower case and an OCR confusion) and an unlisted one. The answers
// are hit and no_hit with fresh check ids and nothing else, alike in shape and headers;
// each check has its audit event; the hit, and only it, alerts the control rooms of NLD and
// DEU and the record owner, as a partner-sourced alert with its evidence.
func TestCheckHitAndNoHit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.loadSLTD(stolenDEU, watchlist.Document{ID: "SLTD-FRA-1", Number: "18FR12345", Type: "I", Issuer: "FRA", Status: watchlist.StatusLost, Owner: "FRA"})

	cases := []struct {
		name, number, typ, issuer, want string
	}{
		{"listed", "C01X00T47", "P", "DEU", event.CheckHit},
		{"listed, as typed", " c01x 00t-47 ", "p", "d", event.CheckHit},
		{"listed, OCR confusion", "CO1XOOT47", "P", "DEU", event.CheckHit},
		{"listed number, another issuer", "C01X00T47", "P", "AUT", event.CheckNoHit},
		{"unlisted", "C01X00T48", "P", "DEU", event.CheckNoHit},
	}
	got := map[string]gateway.CheckResponse{}
	ids := map[string]bool{}
	var hitHeaders, noHitHeaders []string
	for _, tc := range cases {
		r := e.check(t, "partner-1", tc.number, tc.typ, tc.issuer)
		c := r.checkResult(t)
		if c.Result != tc.want {
			t.Errorf("%s: result %s, want %s", tc.name, c.Result, tc.want)
		}
		if ids[c.CheckID] {
			t.Errorf("%s: check id %s reused", tc.name, c.CheckID)
		}
		ids[c.CheckID] = true
		got[tc.name] = c
		names := slices.Sorted(func(yield func(string) bool) {
			for k := range r.header {
				if !yield(k) {
					return
				}
			}
		})
		if c.Result == event.CheckHit {
			hitHeaders = names
		} else {
			noHitHeaders = names
		}
	}
	if !slices.Equal(hitHeaders, noHitHeaders) {
		t.Errorf("hit answers carry headers %v, no-hit answers %v", hitHeaders, noHitHeaders)
	}

	audits := e.audits(t)
	if len(audits) != len(cases) {
		t.Errorf("%d checks audited, want %d", len(audits), len(cases))
	}
	for _, tc := range cases {
		c := got[tc.name]
		as := audits[c.CheckID]
		if len(as) != 1 {
			t.Errorf("%s: %d audit events for check %s, want 1", tc.name, len(as), c.CheckID)
			continue
		}
		a := as[0]
		if a.OfficerID != "partner-1" || a.Country != "NLD" || a.Action != event.AuditPartnerCheck || a.Result != c.Result || a.At.IsZero() {
			t.Errorf("%s: audit event %+v, want partner-1 in NLD, partner_check, result %s", tc.name, a, c.Result)
		}
	}

	hits := map[string]bool{}
	for _, tc := range cases {
		if got[tc.name].Result == event.CheckHit {
			hits[got[tc.name].CheckID] = true
		}
	}
	for _, topic := range []string{
		countryTopic(t, e, deploy.RoleAlertsCountry, "NLD"), countryTopic(t, e, deploy.RoleAlertsCountry, "DEU"),
		countryTopic(t, e, deploy.RoleNotificationsOwner, "DEU"), e.topics.Name(deploy.RoleAlerts),
	} {
		as := e.alerts(t, topic)
		seen := map[string]bool{}
		for _, a := range as {
			seen[a.Hit.EventID] = true
			if !hits[a.Hit.EventID] {
				t.Errorf("%s: alert for check %s, which was no hit", topic, a.Hit.EventID)
			}
			if a.Context.Source != event.SourcePartner || a.Context.Country != "NLD" || a.Hit.RecordID != stolenDEU.ID || a.Hit.Database != event.DBSLTD ||
				len(a.Hit.Reasons) == 0 || a.Subject.Person == nil || len(a.Subject.Person.Documents) != 1 {
				t.Errorf("%s: alert %+v: want a partner-sourced SLTD alert screened for NLD on %s with its evidence and the document", topic, a, stolenDEU.ID)
			}
		}
		if len(seen) != len(hits) {
			t.Errorf("%s: alerts for %d checks, want the %d hits", topic, len(seen), len(hits))
		}
	}
	if n := metric(t, e.reg, "screening_gateway_checks_total", "result", "hit"); n != 3 {
		t.Errorf("checks_total{hit} = %v, want 3", n)
	}
	if n := metric(t, e.reg, "screening_gateway_checks_total", "result", "no_hit"); n != 2 {
		t.Errorf("checks_total{no_hit} = %v, want 2", n)
	}
	for _, entry := range e.logs.All() {
		b, _ := json.Marshal(entry.ContextMap())
		if s := entry.Message + string(b); strings.Contains(s, "C01X00T47") || strings.Contains(s, "c01x") || strings.Contains(s, stolenDEU.ID) {
			t.Errorf("log entry names the document or the record: %s %s", entry.Message, b)
		}
	}
}

// TestCheckNeverDisclosesARecordField is the privacy property of DESIGN.md §6, on random
// watchlists: for every check — exact, reformatted and OCR-garbled numbers of listed
// documents, listed numbers under other issuers, unlisted numbers — the answer is exactly
// {result, check_id} with the fixed headers, and neither its body nor any header value
// holds any field value of any record (id, number, range end, type, issuer, status, owner).
// Listed documents hit, listed numbers under another issuer do not; every check has one
// audit event with the result answered; exactly the hits are alerted.
func TestCheckNeverDisclosesARecordField(t *testing.T) {
	t.Parallel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	r := rand.New(rand.NewPCG(seed, 6))
	const alnum = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
	token := func(n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = alnum[r.IntN(len(alnum))]
		}
		return string(b)
	}
	issuers := []string{"DEU", "FRA", "ITA", "ESP", "NLD", "BEL", "AUT", "POL", "SWE", "GRC", "PRT", "IRL"}
	types := []string{"P", "PM", "PD", "I", "ID", "AC", "V"}
	statuses := []watchlist.DocumentStatus{watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusStolenBlank, watchlist.StatusRevoked, watchlist.StatusInvalidated}
	docs := make([]watchlist.Document, 300)
	listed := map[string]bool{} // issuer + number
	for i := range docs {
		d := watchlist.Document{ID: "SLTD-" + token(10), Number: token(9), Type: pick(r, types), Issuer: pick(r, issuers), Status: pick(r, statuses), Owner: pick(r, issuers)}
		if i%50 == 0 { // a reported series of blanks
			d.Number, d.NumberTo, d.Status = "BL"+strconv.Itoa(1000000+i), "BL"+strconv.Itoa(1000000+i+40), watchlist.StatusStolenBlank
		}
		docs[i] = d
		listed[d.Issuer+d.Number] = true
	}
	e := newEnv(t, envOpts{})
	e.loadSLTD(docs...)

	var secrets []string
	for _, d := range docs {
		secrets = append(secrets, d.ID, d.Number, d.Type, d.Issuer, string(d.Status), d.Owner)
		if d.NumberTo != "" {
			secrets = append(secrets, d.NumberTo)
		}
	}
	type probe struct {
		number, typ, issuer string
		want                string // "" when either answer is right
	}
	var probes []probe
	for range 160 {
		d := docs[r.IntN(len(docs))]
		switch k := r.IntN(10); {
		case k < 4:
			probes = append(probes, probe{d.Number, d.Type, d.Issuer, event.CheckHit})
		case k < 5:
			n := strings.ToLower(d.Number[:4]) + " " + d.Number[4:] // as typed
			probes = append(probes, probe{n, pick(r, types), d.Issuer, event.CheckHit})
		case k < 6:
			ocr := strings.NewReplacer("0", "O", "1", "I", "5", "S", "8", "B").Replace(d.Number)
			probes = append(probes, probe{ocr, d.Type, d.Issuer, ""})
		case k < 7:
			if other := pick(r, issuers); !listed[other+d.Number] {
				probes = append(probes, probe{d.Number, d.Type, other, event.CheckNoHit})
			}
		case k < 8 && d.NumberTo != "":
			probes = append(probes, probe{"BL" + strconv.Itoa(1000000+r.IntN(4000)), "P", d.Issuer, ""})
		default:
			probes = append(probes, probe{token(9), pick(r, types), pick(r, issuers), ""})
		}
	}
	answers := map[string]string{} // check id -> result
	for _, p := range probes {
		resp := e.check(t, "partner-bench-9", p.number, p.typ, p.issuer)
		c := resp.checkResult(t)
		if p.want != "" && c.Result != p.want {
			t.Errorf("check of a %s document: %s, want %s", p.issuer, c.Result, p.want)
		}
		answers[c.CheckID] = c.Result
		var said strings.Builder
		said.Write(resp.body)
		for _, vs := range resp.header {
			for _, v := range vs {
				said.WriteString("\n" + v)
			}
		}
		for _, v := range secrets {
			if len(v) >= 2 && strings.Contains(said.String(), v) {
				t.Fatalf("an answer holds the record field value %q:\n%s", v, said.String())
			}
		}
	}
	if len(answers) != len(probes) {
		t.Fatalf("%d distinct check ids for %d checks", len(answers), len(probes))
	}

	audits := e.audits(t)
	hits := 0
	for id, result := range answers {
		as := audits[id]
		if len(as) != 1 || as[0].Result != result || as[0].OfficerID != "partner-bench-9" || as[0].Country != "FRA" {
			t.Errorf("check %s answered %s: audit events %+v", id, result, as)
		}
		if result == event.CheckHit {
			hits++
		}
	}
	if len(audits) != len(answers) {
		t.Errorf("%d checks audited, %d answered", len(audits), len(answers))
	}
	issuerOf := map[string]string{} // check id -> issuer of the checked document, from its alerts
	for _, a := range e.alerts(t, e.topics.Name(deploy.RoleAlerts)) {
		issuerOf[a.Hit.EventID] = a.Subject.Person.Documents[0].Issuer
		if answers[a.Hit.EventID] != event.CheckHit {
			t.Errorf("alert for check %s answered %q", a.Hit.EventID, answers[a.Hit.EventID])
		}
	}
	if len(issuerOf) != hits || hits < len(probes)/3 {
		t.Errorf("%d checks alerted, %d answered hit of %d", len(issuerOf), hits, len(probes))
	}
	// Each hit reaches the partner's control room (FRA) and the issuer's.
	rooms := map[string]map[string]bool{} // check id -> control-room topics
	for _, rec := range e.topicRecords(`^watchpost\.alerts\.[A-Z]{3}\.v1$`, true, kgo.ConsumeRegex()) {
		a, err := e.serde.DecodeAlert(rec.Value)
		if err != nil {
			t.Fatal(err)
		}
		if rooms[a.Hit.EventID] == nil {
			rooms[a.Hit.EventID] = map[string]bool{}
		}
		rooms[a.Hit.EventID][rec.Topic] = true
	}
	for id, issuer := range issuerOf {
		for _, c := range []string{"FRA", issuer} {
			if !rooms[id][countryTopic(t, e, deploy.RoleAlertsCountry, c)] {
				t.Errorf("hit of check %s not on the control-room topic of %s", id, c)
			}
		}
	}
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// TestCheckKeysAreNotInterchangeable: a partner's key opens only /v1/checks, and carriers'
// and border posts' keys never open it; nothing is checked or audited for a refused client.
func TestCheckKeysAreNotInterchangeable(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.loadSLTD(stolenDEU)
	crossing := []byte(`{"border_post":"CDG","country":"FRA","direction":"entry","person":{"surname":"X"}}`)
	cases := []struct {
		name, path, client string
		body               []byte
	}{
		{"partner submits a manifest", "/v1/manifests", "partner-1", mustJSON(t, manifest("AF", "AF1", "DOE"))},
		{"partner submits a crossing", "/v1/crossings", "partner-1", crossing},
		{"carrier checks a document", "/v1/checks", "af", []byte(`{"document_number":"C01X00T47","document_type":"P","issuing_country":"DEU"}`)},
		{"border post checks a document", "/v1/checks", "cdg", []byte(`{"document_number":"C01X00T47","document_type":"P","issuing_country":"DEU"}`)},
	}
	for _, tc := range cases {
		r := e.do(t, http.MethodPost, tc.path, tc.client, "application/json", tc.body)
		if p := r.problem(t); r.status != http.StatusForbidden || p.Type != "urn:watchpost:problem:forbidden" {
			t.Errorf("%s: %d %s, want 403 forbidden", tc.name, r.status, p.Type)
		}
		if bytes.Contains(r.body, []byte("hit")) {
			t.Errorf("%s: the refusal mentions a result: %s", tc.name, r.body)
		}
	}
	if n := len(e.records(deploy.RoleAudit, false)); n != 0 {
		t.Errorf("%d audit records after refused requests, want 0", n)
	}
	if n := len(e.records(deploy.RoleManifests, false)) + len(e.records(deploy.RoleCrossings, false)); n != 0 {
		t.Errorf("%d submissions produced for a partner, want 0", n)
	}
}

// TestCheckRateLimit: a partner's own token bucket (burst 2, 0.01/s) refuses its third
// check with 429 and a Retry-After of about 100 s, unchecked and unaudited; another partner
// is unaffected.
func TestCheckRateLimit(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.loadSLTD(stolenDEU)
	for range 2 {
		e.check(t, "partner-slow-3", "C01X00T47", "P", "DEU").checkResult(t)
	}
	r := e.check(t, "partner-slow-3", "C01X00T47", "P", "DEU")
	if p := r.problem(t); r.status != http.StatusTooManyRequests || p.Type != "urn:watchpost:problem:rate-limited" {
		t.Fatalf("third check = %d %s, want 429 rate-limited", r.status, p.Type)
	}
	if secs, err := strconv.Atoi(r.header.Get("Retry-After")); err != nil || secs < 90 || secs > 100 {
		t.Errorf("Retry-After %q, want about 100 seconds", r.header.Get("Retry-After"))
	}
	e.check(t, "partner-2", "C01X00T47", "P", "DEU").checkResult(t)
	if n := len(e.audits(t)); n != 3 {
		t.Errorf("%d checks audited, want 3 (the refused one is not a check)", n)
	}
}

// TestCheckBadInput: what is not a valid check is a located 400 (415, 413) problem naming the
// field, never quoting a value, and nothing is checked or audited.
func TestCheckBadInput(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	e.loadSLTD(stolenDEU)
	const secret = "C01X00T47"
	valid := func(number, typ, issuer string) []byte {
		return mustJSON(t, map[string]string{"document_number": number, "document_type": typ, "issuing_country": issuer})
	}
	cases := []struct {
		name        string
		contentType string
		body        []byte
		status      int
		typ         string
		errors      []gateway.Warning
	}{
		{"missing fields", "application/json", []byte(`{}`), 400, "invalid-content", []gateway.Warning{
			{Field: "document_number", Message: "required"}, {Field: "document_type", Message: "required"}, {Field: "issuing_country", Message: "required"}}},
		{"bad type and country", "application/json", valid(secret, "PASSPORT", "Germany"), 400, "invalid-content", []gateway.Warning{
			{Field: "document_type", Message: "want an ICAO document code: a letter, optionally followed by a letter or digit (P, PM, I, ID, V)"},
			{Field: "issuing_country", Message: "want ISO 3166 alpha-3 as on travel documents"}}},
		{"number of punctuation only", "application/json", valid("--/--", "P", "DEU"), 400, "invalid-content", []gateway.Warning{
			{Field: "document_number", Message: "holds no letter or digit"}}},
		{"number too long", "application/json", valid(strings.Repeat(secret, 8), "P", "DEU"), 400, "invalid-content", []gateway.Warning{
			{Field: "document_number", Message: "at most 64 bytes"}}},
		{"unknown field", "application/json", []byte(`{"document_number":"` + secret + `","document_type":"P","issuing_country":"DEU","surname":"DOE"}`), 400, "malformed-body",
			[]gateway.Warning{{Field: "surname", Message: "unknown field"}}},
		{"number as a number", "application/json", []byte("{\n\"document_number\": 123456789}"), 400, "malformed-body",
			[]gateway.Warning{{Line: 2, Field: "document_number", Message: "want a JSON string"}}},
		{"malformed JSON", "application/json", []byte(`{"document_number":"` + secret + `" "x"}`), 400, "malformed-body", nil},
		{"two objects", "application/json", append(valid(secret, "P", "DEU"), valid(secret, "P", "DEU")...), 400, "malformed-body", nil},
		{"an array", "application/json", []byte(`["` + secret + `"]`), 400, "malformed-body", nil},
		{"empty body", "application/json", []byte{}, 400, "bad-request", nil},
		{"not JSON", "text/plain", []byte(secret), 415, "unsupported-media-type", nil},
		{"too large", "application/json", bytes.Repeat([]byte(" "), 5<<10), 413, "body-too-large", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := e.do(t, http.MethodPost, "/v1/checks", "partner-1", tc.contentType, tc.body)
			if r.status != tc.status {
				t.Fatalf("status %d, want %d; body %s", r.status, tc.status, r.body)
			}
			p := r.problem(t)
			if want := "urn:watchpost:problem:" + tc.typ; p.Type != want {
				t.Errorf("type %s, want %s", p.Type, want)
			}
			if tc.errors != nil {
				if got, want := mustJSON(t, p.Errors), mustJSON(t, tc.errors); !bytes.Equal(got, want) {
					t.Errorf("errors %s, want %s", got, want)
				}
			}
			for _, v := range []string{secret, "PASSPORT", "Germany", "DOE", "123456789"} {
				if bytes.Contains(r.body, []byte(v)) {
					t.Errorf("problem quotes %q: %s", v, r.body)
				}
			}
		})
	}
	if n := len(e.records(deploy.RoleAudit, false)); n != 0 {
		t.Errorf("%d audit records after refused checks, want 0", n)
	}
	if n := metric(t, e.reg, "screening_gateway_checks_total", "result", "rejected"); n != 9 {
		t.Errorf("checks_total{rejected} = %v, want 9 (the decoded and validated refusals)", n)
	}
}

// TestCheckBeforeTheWatchlistIsLoaded: until the first snapshot, a check is answered 503
// watchlist-not-ready with Retry-After, and is neither checked nor audited; once the
// snapshot is published the same check is answered.
func TestCheckBeforeTheWatchlistIsLoaded(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	r := e.check(t, "partner-1", "C01X00T47", "P", "DEU")
	if p := r.problem(t); r.status != http.StatusServiceUnavailable || p.Type != "urn:watchpost:problem:watchlist-not-ready" || r.header.Get("Retry-After") == "" {
		t.Fatalf("check before the snapshot = %d %s (Retry-After %q), want 503 watchlist-not-ready with Retry-After", r.status, p.Type, r.header.Get("Retry-After"))
	}
	if n := len(e.records(deploy.RoleAudit, false)); n != 0 {
		t.Errorf("%d audit records, want 0", n)
	}
	e.loadSLTD(stolenDEU)
	if c := e.check(t, "partner-1", "C01X00T47", "P", "DEU").checkResult(t); c.Result != event.CheckHit {
		t.Errorf("after loading: %s, want hit", c.Result)
	}
}

// TestCheckIsAnsweredOnlyOnceCommitted: while the broker refuses every produce, a check that
// would hit is answered 503 without a result, and neither its audit event nor its alerts are
// visible to read_committed readers. Once the broker recovers the partner's retry is
// answered hit, and exactly its audit event and alerts are committed.
func TestCheckIsAnsweredOnlyOnceCommitted(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{cfg: func(c *gateway.Config) { c.ProduceTimeout = time.Second; c.Producers = 1 }})
	e.loadSLTD(stolenDEU)
	var failing atomic.Bool
	failProduce(e, &failing)
	failing.Store(true)
	r := e.check(t, "partner-1", "C01X00T47", "P", "DEU")
	if p := r.problem(t); r.status != http.StatusServiceUnavailable || p.Type != "urn:watchpost:problem:broker-unavailable" {
		t.Fatalf("check while the broker fails = %d %s, want 503 broker-unavailable", r.status, p.Type)
	}
	if bytes.Contains(r.body, []byte("hit")) {
		t.Errorf("the 503 discloses a result: %s", r.body)
	}
	failing.Store(false)
	c := e.check(t, "partner-1", "C01X00T47", "P", "DEU").checkResult(t)
	if c.Result != event.CheckHit {
		t.Fatalf("retry: %s, want hit", c.Result)
	}
	audits := e.audits(t)
	if len(audits) != 1 || len(audits[c.CheckID]) != 1 {
		t.Errorf("committed audit events %v, want only the retry's", audits)
	}
	for _, topic := range []string{e.topics.Name(deploy.RoleAlerts), countryTopic(t, e, deploy.RoleAlertsCountry, "NLD"), countryTopic(t, e, deploy.RoleAlertsCountry, "DEU")} {
		as := e.alerts(t, topic)
		if len(as) != 1 || as[0].Hit.EventID != c.CheckID {
			t.Errorf("%s: %d committed alerts, want the retry's one", topic, len(as))
		}
	}
}

// TestCheckFollowsTheReferenceTopic is the gateway command's wiring: the watchlist feed
// replays the SLTD reference topic into the gateway's store, and a check of a listed
// document hits once the feed is ready.
func TestCheckFollowsTheReferenceTopic(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{})
	pcl := e.cluster.Client(t, kgo.RequiredAcks(kgo.AllISRAcks()))
	if err := app.ProduceLists(t.Context(), pcl, e.serde, e.topics, &watchlist.Set{Documents: []watchlist.Document{stolenDEU}}); err != nil {
		t.Fatal(err)
	}
	feed, err := watchlistfeed.New(watchlistfeed.Config{
		Brokers: e.cluster.Brokers, Topics: map[event.Database]string{event.DBSLTD: e.topics.Name(deploy.RoleReferenceSLTD)},
		Decoder: e.serde, Store: e.store,
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- feed.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("feed: %v", err)
		}
	})
	select {
	case <-feed.Ready():
	case err := <-done:
		t.Fatalf("feed: %v", err)
	case <-time.After(30 * time.Second):
		t.Fatal("the feed did not load the reference topic")
	}
	if c := e.check(t, "partner-1", "C01X00T47", "P", "DEU").checkResult(t); c.Result != event.CheckHit {
		t.Errorf("check of a record on the reference topic: %s, want hit", c.Result)
	}
}
