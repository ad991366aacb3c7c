package console_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/console"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
)

func TestLogin(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	tests := []struct {
		name       string
		body       any
		headers    map[string]string
		wantStatus int
		wantCookie bool
	}{
		{"right password", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, nil, http.StatusOK, true},
		{"wrong password", map[string]string{"officer_id": "fra-2", "password": "guess"}, nil, http.StatusUnauthorized, false},
		{"another officer's password", map[string]string{"officer_id": "fra-2", "password": passwords["fra-1"]}, nil, http.StatusUnauthorized, false},
		{"unknown officer", map[string]string{"officer_id": "nobody", "password": passwords["fra-1"]}, nil, http.StatusUnauthorized, false},
		{"empty password", map[string]string{"officer_id": "fra-1", "password": ""}, nil, http.StatusUnauthorized, false},
		{"form-encoded body", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType, false},
		{"unknown field", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"], "country": "DEU"}, nil, http.StatusBadRequest, false},
		{"cross-site origin", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, false},
		{"cross-site fetch", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := e.newClient(t)
			resp, body := c.do("POST", "/api/login", tt.body, tt.headers)
			if resp.StatusCode != tt.wantStatus {
				t.Fatalf("status %d (%s), want %d", resp.StatusCode, body, tt.wantStatus)
			}
			cookies := resp.Cookies()
			if !tt.wantCookie {
				if len(cookies) != 0 {
					t.Errorf("a failed login set cookies %v", cookies)
				}
				if strings.Contains(string(body), "password") && strings.Contains(string(body), passwords["fra-1"]) {
					t.Errorf("the error echoes the password: %s", body)
				}
				return
			}
			if len(cookies) != 1 {
				t.Fatalf("cookies %v, want one session cookie", cookies)
			}
			ck := cookies[0]
			if ck.Name != "wp_session" || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Secure || len(ck.Value) < 40 {
				t.Errorf("session cookie %+v: want wp_session, HttpOnly, SameSite=Strict, Path=/, a long token (not Secure over plain HTTP)", ck)
			}
			raw := resp.Header.Get("Set-Cookie")
			for _, attr := range []string{"HttpOnly", "SameSite=Strict"} {
				if !strings.Contains(raw, attr) {
					t.Errorf("Set-Cookie %q lacks %s", raw, attr)
				}
			}
			var s struct{ OfficerID, Country, CSRFToken string }
			if err := json.Unmarshal(body, &struct {
				OfficerID *string `json:"officer_id"`
				Country   *string `json:"country"`
				CSRFToken *string `json:"csrf_token"`
			}{&s.OfficerID, &s.Country, &s.CSRFToken}); err != nil {
				t.Fatal(err)
			}
			if s.OfficerID != "fra-1" || s.Country != "FRA" || len(s.CSRFToken) < 40 || s.CSRFToken == ck.Value {
				t.Errorf("login response %s: want the officer, the country and a CSRF token distinct from the session token", body)
			}
			// The cookie now admits the officer.
			if resp, body := c.do("GET", "/api/session", nil, nil); resp.StatusCode != http.StatusOK {
				t.Errorf("GET /api/session after login: %d %s", resp.StatusCode, body)
			}
		})
	}
}

// TestLoginAudit: a login and a failed login of a known account are audited, ids only; an
// unknown id is not (it may be a password typed in the wrong field).
func TestLoginAudit(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	e.login(t, "fra-1")
	c := e.newClient(t)
	c.do("POST", "/api/login", map[string]string{"officer_id": "fra-2", "password": "nope"}, nil)
	c.do("POST", "/api/login", map[string]string{"officer_id": "s3cret-typed-as-id", "password": "x"}, nil)
	evs := e.audits(t, 2)
	if len(evs) != 2 {
		t.Fatalf("%d audit events, want 2: %+v", len(evs), evs)
	}
	got := map[string]event.AuditAction{}
	for _, a := range evs {
		got[a.OfficerID] = a.Action
		if a.HitID != "" || a.ID == "" || a.At.IsZero() {
			t.Errorf("login audit %+v: want an id, a time and no hit", a)
		}
	}
	if got["fra-1"] != event.AuditLogin || got["fra-2"] != event.AuditLoginFailed {
		t.Errorf("audited %v, want fra-1 login and fra-2 login_failed", got)
	}
	if _, ok := got["s3cret-typed-as-id"]; ok {
		t.Error("an unknown id was written to the audit log")
	}
}

func TestLoginLockout(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *console.Config) { c.LoginFailures = 3 })
	c := e.newClient(t)
	for range 3 {
		if resp, _ := c.do("POST", "/api/login", map[string]string{"officer_id": "fra-1", "password": "wrong"}, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", resp.StatusCode)
		}
	}
	resp, body := c.do("POST", "/api/login", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, nil)
	if resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("after 3 failures the right password got %d %s, want 429", resp.StatusCode, body)
	}
	// Another account is not affected.
	e.login(t, "fra-2")
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	t.Parallel()
	e := newEnv(t, func(c *console.Config) { c.SecureCookies = true })
	c := e.newClient(t)
	resp, _ := c.do("POST", "/api/login", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login: %d", resp.StatusCode)
	}
	ck := resp.Cookies()[0]
	if ck.Name != "__Host-wp_session" || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/" || ck.Domain != "" {
		t.Errorf("cookie %+v: want __Host-wp_session, Secure, HttpOnly, SameSite=Strict, Path=/, no Domain", ck)
	}
}

func TestServesTLSWithSecureCookies(t *testing.T) {
	t.Parallel()
	srv := httptest.NewUnstartedServer(nil) // only for its self-signed localhost certificate
	srv.StartTLS()
	cert, pool := srv.TLS.Certificates[0], x509.NewCertPool()
	pool.AddCert(srv.Certificate())
	srv.Close()
	e := newEnvTLS(t, &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12})
	c := e.newClient(t)
	c.hc.Transport = &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}}
	resp, body := c.do("POST", "/api/login", map[string]string{"officer_id": "fra-1", "password": passwords["fra-1"]}, nil)
	if resp.StatusCode != http.StatusOK || resp.TLS == nil {
		t.Fatalf("login over TLS: %d %s", resp.StatusCode, body)
	}
	ck := resp.Cookies()[0]
	if ck.Name != "__Host-wp_session" || !ck.Secure || !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode {
		t.Errorf("cookie over TLS %+v: want __Host-wp_session, Secure, HttpOnly, SameSite=Strict", ck)
	}
	if resp, _ := c.do("GET", "/api/session", nil, nil); resp.StatusCode != http.StatusOK {
		t.Errorf("the Secure cookie does not admit the officer over TLS: %d", resp.StatusCode)
	}
}

func TestEndpointsNeedASession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newClient(t)
	hit := event.HitID("x/0", event.DBSLTD, "r")
	for _, r := range []struct{ method, path string }{
		{"GET", "/api/session"}, {"GET", "/api/facets"}, {"GET", "/api/stream"},
		{"GET", "/api/alerts/" + hit}, {"POST", "/api/alerts/" + hit + "/decision"}, {"POST", "/api/logout"},
	} {
		var body any
		if r.method == "POST" {
			body = map[string]string{"decision": "confirmed", "reason_code": "identity_confirmed"}
		}
		if resp, b := c.do(r.method, r.path, body, nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s %s without a session: %d %s, want 401", r.method, r.path, resp.StatusCode, b)
		}
	}
	// A forged cookie is no session either.
	jarURL, err := url.Parse(e.url)
	if err != nil {
		t.Fatal(err)
	}
	c.hc.Jar.SetCookies(jarURL, []*http.Cookie{{Name: "wp_session", Value: strings.Repeat("A", 43)}})
	if resp, _ := c.do("GET", "/api/session", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged cookie: %d, want 401", resp.StatusCode)
	}
}

func TestCSRF(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high")
	e.emit(t, a)
	c := e.login(t, "fra-1")
	waitFor(t, "the alert to reach the console", func() bool {
		resp, _ := c.do("GET", "/api/alerts/"+a.Hit.ID, nil, nil)
		return resp.StatusCode == http.StatusOK
	})
	body := map[string]string{"decision": "confirmed", "reason_code": "identity_confirmed"}
	path := "/api/alerts/" + a.Hit.ID + "/decision"
	tests := []struct {
		name    string
		headers map[string]string
		want    int
	}{
		{"no token", map[string]string{"X-CSRF-Token": ""}, http.StatusForbidden},
		{"wrong token", map[string]string{"X-CSRF-Token": strings.Repeat("x", 43)}, http.StatusForbidden},
		{"another session's token", map[string]string{"X-CSRF-Token": e.login(t, "fra-2").csrf}, http.StatusForbidden},
		{"right token from another site", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden},
		{"right token, cross-site fetch", map[string]string{"Sec-Fetch-Site": "cross-site"}, http.StatusForbidden},
	}
	for _, tt := range tests {
		if resp, b := c.do("POST", path, body, tt.headers); resp.StatusCode != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, b, tt.want)
		}
	}
	if n := len(e.outcomes(t, 0)); n != 0 {
		t.Fatalf("%d outcomes written by refused requests", n)
	}
	if resp, b := c.do("POST", path, body, map[string]string{"Origin": e.url, "Sec-Fetch-Site": "same-origin"}); resp.StatusCode != http.StatusOK {
		t.Errorf("right token, same origin: %d %s, want 200", resp.StatusCode, b)
	}
}

// TestCountryIsolation: an officer sees only their country's alerts; a direct request for
// another country's alert is refused with 403 and audited, and writes no outcome.
func TestCountryIsolation(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	fra := alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high")
	deu := alert(2, "BIANCHI", "DEU", "MUC", event.DBNotices, "critical")
	e.emit(t, fra, deu)
	cf, cd := e.login(t, "fra-1"), e.login(t, "deu-1")
	waitFor(t, "both alerts to reach the console", func() bool {
		r1, _ := cf.do("GET", "/api/alerts/"+fra.Hit.ID, nil, nil)
		r2, _ := cd.do("GET", "/api/alerts/"+deu.Hit.ID, nil, nil)
		return r1.StatusCode == http.StatusOK && r2.StatusCode == http.StatusOK
	})
	resp, body := cf.do("GET", "/api/alerts/"+fra.Hit.ID, nil, nil)
	var d struct {
		Alert   event.Alert `json:"alert"`
		Repeats int         `json:"repeats"`
	}
	if err := json.Unmarshal(body, &d); err != nil {
		t.Fatalf("detail %s: %v", body, err)
	}
	if resp.StatusCode != http.StatusOK || d.Alert.Hit.ID != fra.Hit.ID || len(d.Alert.Hit.Reasons) != 3 || d.Alert.Subject.Person.Surname != "ROSSI" {
		t.Errorf("own alert's detail: %d %+v; want the alert with its evidence", resp.StatusCode, d.Alert.Hit)
	}

	tests := []struct {
		name   string
		c      *client
		method string
		path   string
		body   any
		want   int
	}{
		{"FRA reads DEU's alert", cf, "GET", "/api/alerts/" + deu.Hit.ID, nil, http.StatusForbidden},
		{"DEU reads FRA's alert", cd, "GET", "/api/alerts/" + fra.Hit.ID, nil, http.StatusForbidden},
		{"FRA decides DEU's alert", cf, "POST", "/api/alerts/" + deu.Hit.ID + "/decision", map[string]string{"decision": "dismissed", "reason_code": "different_person"}, http.StatusForbidden},
		{"unknown alert", cf, "GET", "/api/alerts/" + event.HitID("nope/0", event.DBSLTD, "x"), nil, http.StatusNotFound},
		{"malformed id", cf, "GET", "/api/alerts/..%2f..%2fetc", nil, http.StatusNotFound},
	}
	for _, tt := range tests {
		resp, b := tt.c.do(tt.method, tt.path, tt.body, nil)
		if resp.StatusCode != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, b, tt.want)
		}
		if strings.Contains(string(b), "BIANCHI") || strings.Contains(string(b), "ROSSI") {
			t.Errorf("%s: the refusal discloses the subject: %s", tt.name, b)
		}
	}
	if n := len(e.outcomes(t, 0)); n != 0 {
		t.Errorf("%d outcomes written for another country's alert", n)
	}
	evs := e.audits(t, 6) // 2 logins, at least one view, 3 refusals
	fraAudit, deuAudit := countAudits(evs, "fra-1"), countAudits(evs, "deu-1")
	if fraAudit[event.AuditAccessDenied] != 2 || deuAudit[event.AuditAccessDenied] != 1 {
		t.Errorf("access_denied audited %d times for fra-1 and %d for deu-1, want 2 and 1", fraAudit[event.AuditAccessDenied], deuAudit[event.AuditAccessDenied])
	}
	for _, a := range evs {
		if a.Action == event.AuditAccessDenied && a.OfficerID == "fra-1" && a.HitID != deu.Hit.ID {
			t.Errorf("access_denied audit names hit %s, want %s", a.HitID, deu.Hit.ID)
		}
	}

	// The live stream holds only the officer's country.
	ch, stop := cf.stream("", "")
	defer stop()
	got, _ := collect(t, ch, 1, 5*time.Second)
	if len(got) != 1 || got[0].ID != fra.Hit.ID {
		t.Errorf("FRA stream delivered %+v, want only the FRA alert", got)
	}
}

// TestStreamDeliversAlerts: the stream replays the held alerts, then delivers alerts
// produced later, filtered, resumable after the last event id, and every alert delivered
// is audited as shown.
func TestStreamDeliversAlerts(t *testing.T) {
	t.Parallel()
	reg := prometheus.NewRegistry()
	e := newEnv(t, func(c *console.Config) { c.Registry = reg })
	before := alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high")
	e.emit(t, before)
	c := e.login(t, "fra-1")
	ch, stop := c.stream("", "")
	got, _ := collect(t, ch, 1, 10*time.Second)
	if len(got) != 1 || got[0].ID != before.Hit.ID || got[0].Subject != "ROSSI, Test" || got[0].BorderPost != "CDG" {
		t.Fatalf("backlog delivered %+v, want the held alert", got)
	}

	live := []event.Alert{
		alert(2, "VERDI", "FRA", "ORY", event.DBNotices, "critical"),
		alert(3, "NERI", "DEU", "MUC", event.DBSLTD, "high"), // another country: never on this stream
		alert(4, "BRUNO", "FRA", "CDG", event.DBSLTD, "medium"),
	}
	e.emit(t, live...)
	got, _ = collect(t, ch, 2, 10*time.Second)
	stop()
	var ids []string
	for _, s := range got {
		ids = append(ids, s.ID)
	}
	slices.Sort(ids) // two partitions: no order between them
	if want := slices.Sorted(slices.Values([]string{live[0].Hit.ID, live[2].Hit.ID})); !slices.Equal(ids, want) {
		t.Errorf("live stream delivered %v, want %v (the FRA alerts)", ids, want)
	}
	lastSeq := max(got[0].Seq, got[len(got)-1].Seq)

	// Filters: database and border post and severity.
	filtered := []struct {
		query string
		want  []string
	}{
		{"?database=sltd", []string{before.Hit.ID, live[2].Hit.ID}},
		{"?database=notices", []string{live[0].Hit.ID}},
		{"?border_post=CDG&severity=medium", []string{live[2].Hit.ID}},
		{"?severity=low", nil},
	}
	for _, f := range filtered {
		ch, stop := c.stream(f.query, "")
		got, _ := collect(t, ch, max(1, len(f.want)), 3*time.Second)
		stop()
		var ids []string
		for _, s := range got {
			ids = append(ids, s.ID)
		}
		slices.Sort(ids)
		slices.Sort(f.want)
		if !slices.Equal(ids, f.want) {
			t.Errorf("stream%s delivered %v, want %v", f.query, ids, f.want)
		}
	}
	if resp, _ := c.do("GET", "/api/stream?database=passports", nil, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown database filter: %d, want 400", resp.StatusCode)
	}

	// Reconnecting with Last-Event-ID resumes after it. The streams above are closed first:
	// until the server notices a client has gone, it still sends (and audits as shown).
	waitStreams(t, reg, 0)
	newer := alert(5, "GALLO", "FRA", "NCE", event.DBSLTD, "low")
	e.emit(t, newer)
	ch, stop = c.stream("", jsonNumber(lastSeq))
	got, _ = collect(t, ch, 1, 10*time.Second)
	stop()
	if len(got) != 1 || got[0].ID != newer.Hit.ID {
		t.Errorf("resumed stream delivered %+v, want only the alert after event %d", got, lastSeq)
	}

	// Every delivery was audited as shown: 1 + 2 + (2+1+1+0) + 1.
	evs := e.audits(t, 9)
	shown := 0
	for _, a := range evs {
		if a.Action == event.AuditAlertShown {
			shown++
			if a.OfficerID != "fra-1" || a.Country != "FRA" || a.HitID == "" {
				t.Errorf("shown audit %+v", a)
			}
			if a.HitID == live[1].Hit.ID {
				t.Errorf("the DEU alert was audited as shown to fra-1")
			}
		}
	}
	if shown != 8 {
		t.Errorf("%d alert_shown audit events, want 8 (one per alert delivered)", shown)
	}
}

// waitStreams waits until the console has n live streams open.
func waitStreams(t *testing.T, reg *prometheus.Registry, n int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		mfs, err := reg.Gather()
		if err != nil {
			t.Fatal(err)
		}
		open := -1
		for _, mf := range mfs {
			if mf.GetName() == "screening_console_streams" && len(mf.GetMetric()) == 1 {
				open = int(mf.GetMetric()[0].GetGauge().GetValue())
			}
		}
		if open == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d live streams open, want %d", open, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func jsonNumber(n uint64) string { b, _ := json.Marshal(n); return string(b) }

// TestDecisionProducesOutcome: confirming an alert writes an Outcome to the outcomes topic
// and an audit event, tells the country's streams, and cannot be done twice.
func TestDecisionProducesOutcome(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high")
	e.emit(t, a)
	c, other := e.login(t, "fra-1"), e.login(t, "fra-2")
	ch, stop := other.stream("", "")
	defer stop()
	if got, _ := collect(t, ch, 1, 10*time.Second); len(got) != 1 {
		t.Fatalf("fra-2's stream: %+v", got)
	}
	path := "/api/alerts/" + a.Hit.ID + "/decision"
	bad := []struct {
		name string
		body any
		want int
	}{
		{"unknown decision", map[string]string{"decision": "maybe", "reason_code": "identity_confirmed"}, http.StatusBadRequest},
		{"reason of the other decision", map[string]string{"decision": "confirmed", "reason_code": "different_person"}, http.StatusBadRequest},
		{"free-text reason", map[string]string{"decision": "confirmed", "reason_code": "it was him"}, http.StatusBadRequest},
	}
	for _, tt := range bad {
		if resp, b := c.do("POST", path, tt.body, nil); resp.StatusCode != tt.want {
			t.Errorf("%s: %d %s, want %d", tt.name, resp.StatusCode, b, tt.want)
		}
	}
	before := time.Now().Add(-time.Second)
	resp, body := c.do("POST", path, map[string]string{"decision": "confirmed", "reason_code": "identity_confirmed"}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("confirm: %d %s", resp.StatusCode, body)
	}
	outs := e.outcomes(t, 1)
	if len(outs) != 1 {
		t.Fatalf("%d outcomes on the topic, want 1", len(outs))
	}
	o := outs[0]
	if o.HitID != a.Hit.ID || o.Decision != event.DecisionConfirmed || o.ReasonCode != "identity_confirmed" ||
		o.OfficerID != "fra-1" || o.Country != "FRA" || o.DecidedAt.Before(before) || o.ID != event.OutcomeID(o.HitID, o.OfficerID, o.DecidedAt) {
		t.Errorf("outcome %+v", o)
	}
	// The other officer's stream learns the decision.
	_, others := collect(t, ch, 0, 3*time.Second)
	decided := false
	for _, ev := range others {
		decided = decided || ev.Event == "update" && strings.Contains(string(ev.Data), `"decision":"confirmed"`) && strings.Contains(string(ev.Data), a.Hit.ID)
	}
	if !decided {
		t.Errorf("fra-2's stream got %v, want an update with the decision", others)
	}
	// Deciding again is refused, and the detail shows the decision.
	if resp, b := other.do("POST", path, map[string]string{"decision": "dismissed", "reason_code": "different_person"}, nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("second decision: %d %s, want 409", resp.StatusCode, b)
	}
	if _, b := c.do("GET", "/api/alerts/"+a.Hit.ID, nil, nil); !strings.Contains(string(b), `"decision":"confirmed"`) {
		t.Errorf("detail after the decision: %s", b)
	}
	evs := e.audits(t, 5) // 2 logins, 1 shown, 1 confirmed, 1 viewed
	if n := countAudits(evs, "fra-1")[event.AuditHitConfirmed]; n != 1 {
		t.Errorf("%d hit_confirmed audit events, want 1", n)
	}
	for _, a := range evs {
		if a.Action == event.AuditHitConfirmed && (a.HitID != o.HitID || a.Result != "identity_confirmed") {
			t.Errorf("decision audit %+v: want the hit and the reason code", a)
		}
	}
	for _, a := range evs {
		b, _ := json.Marshal(a)
		if strings.Contains(string(b), "ROSSI") || strings.Contains(string(b), "YA") {
			t.Errorf("audit event holds personal data: %s", b)
		}
	}
}

// TestRepeatsFoldIntoOneAlert: a record with the fold id of an alert already shown is a
// repeat (another worker raised it): the console shows one alert with a repeat count.
func TestRepeatsFoldIntoOneAlert(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	first := alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high")
	repeat := first
	repeat.Hit.SubjectID, repeat.Hit.EventID = "m-FRA-001-resubmitted/0", "m-FRA-001-resubmitted"
	repeat.Hit.ID = event.HitID(repeat.Hit.SubjectID, first.Hit.Database, first.Hit.RecordID)
	repeat.Subject.ID, repeat.Subject.EventID = repeat.Hit.SubjectID, repeat.Hit.EventID
	// Two routers: two matcher workers, whose fold caches do not know each other.
	e.emit(t, first)
	if err := newRouter(t, e.c, e.serde, e.ts).Emit(t.Context(), engine.Output{Alerts: []event.Alert{repeat}}); err != nil {
		t.Fatal(err)
	}
	c := e.login(t, "fra-1")
	waitFor(t, "the repeat to be counted", func() bool {
		_, b := c.do("GET", "/api/alerts/"+first.Hit.ID, nil, nil)
		return strings.Contains(string(b), `"repeats":1`)
	})
	ch, stop := c.stream("", "")
	defer stop()
	got, _ := collect(t, ch, 1, 5*time.Second)
	if len(got) != 1 || got[0].ID != first.Hit.ID || got[0].Repeats != 1 {
		t.Errorf("stream delivered %+v, want one alert with one repeat", got)
	}
	if resp, _ := c.do("GET", "/api/alerts/"+repeat.Hit.ID, nil, nil); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the folded repeat is addressable on its own: %d", resp.StatusCode)
	}
}

// TestAuditOutageBlocksDisclosure: when the audit topic refuses writes, nothing is shown:
// the detail answers 503 without the alert, and no decision is recorded.
func TestAuditOutageBlocksDisclosure(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	a := alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high")
	e.emit(t, a)
	c := e.login(t, "fra-1")
	waitFor(t, "the alert to reach the console", func() bool {
		resp, _ := c.do("GET", "/api/alerts/"+a.Hit.ID, nil, nil)
		return resp.StatusCode == http.StatusOK
	})
	audit := e.ts.Name(deploy.RoleAudit)
	listed, err := e.c.Admin(t).ListTopics(t.Context(), audit)
	if err != nil {
		t.Fatal(err)
	}
	auditID := listed[audit].ID
	e.c.ControlKey(int16(kmsg.Produce), func(req kmsg.Request) (kmsg.Response, error, bool) {
		e.c.KeepControl()
		r := req.(*kmsg.ProduceRequest)
		touches := false
		for _, tp := range r.Topics {
			touches = touches || tp.Topic == audit || tp.TopicID == auditID // newer requests name topics by id
		}
		if !touches {
			return nil, nil, false
		}
		resp := r.ResponseKind().(*kmsg.ProduceResponse)
		for _, tp := range r.Topics {
			rt := kmsg.NewProduceResponseTopic()
			rt.Topic, rt.TopicID = tp.Topic, tp.TopicID
			for _, p := range tp.Partitions {
				rp := kmsg.NewProduceResponseTopicPartition()
				rp.Partition, rp.ErrorCode = p.Partition, 87 // INVALID_RECORD: not retriable
				rt.Partitions = append(rt.Partitions, rp)
			}
			resp.Topics = append(resp.Topics, rt)
		}
		return resp, nil, true
	})
	resp, body := c.do("GET", "/api/alerts/"+a.Hit.ID, nil, nil)
	if resp.StatusCode != http.StatusServiceUnavailable || strings.Contains(string(body), "ROSSI") {
		t.Errorf("detail during an audit outage: %d %s, want 503 without the alert", resp.StatusCode, body)
	}
	resp, body = c.do("POST", "/api/alerts/"+a.Hit.ID+"/decision", map[string]string{"decision": "confirmed", "reason_code": "identity_confirmed"}, nil)
	if resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("decision during an audit outage: %d %s, want 503", resp.StatusCode, body)
	}
}

func TestLogoutEndsTheSession(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.login(t, "fra-1")
	if resp, b := c.do("POST", "/api/logout", map[string]string{}, nil); resp.StatusCode != http.StatusOK {
		t.Fatalf("logout: %d %s", resp.StatusCode, b)
	}
	if resp, _ := c.do("GET", "/api/session", nil, nil); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("session after logout: %d, want 401", resp.StatusCode)
	}
	if n := countAudits(e.audits(t, 2), "fra-1")[event.AuditLogout]; n != 1 {
		t.Errorf("%d logout audit events, want 1", n)
	}
}

// TestPageIsSelfContained: the page, its script and its style are served from the binary
// with a Content-Security-Policy allowing nothing else, and reference no other origin.
func TestPageIsSelfContained(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	c := e.newClient(t)
	for _, f := range []struct{ path, ctype, marker string }{
		{"/", "text/html", `<script src="/static/app.js"`},
		{"/static/app.js", "javascript", "EventSource"},
		{"/static/app.css", "text/css", ".row"},
	} {
		resp, body := c.do("GET", f.path, nil, nil)
		if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), f.ctype) || !strings.Contains(string(body), f.marker) {
			t.Errorf("GET %s: %d %s", f.path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("GET %s: Content-Security-Policy %q", f.path, csp)
		}
		if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("GET %s: no nosniff", f.path)
		}
	}
	if resp, _ := c.do("GET", "/static/../console.go", nil, nil); resp.StatusCode == http.StatusOK {
		t.Error("a source file is served")
	}
	web := os.DirFS("web") // the directory embedded into the binary
	err := fs.WalkDir(web, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(web, path)
		if err != nil {
			return err
		}
		for _, bad := range []string{"http://", "https://", "//cdn", "innerHTML"} {
			if strings.Contains(string(b), bad) {
				t.Errorf("%s contains %q: the page must load nothing from elsewhere and never write server data as HTML", path, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestParseUsersRejects(t *testing.T) {
	t.Parallel()
	good, err := console.HashPassword("pw", console.MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, yaml, want string }{
		{"no users", "users: []\n", "at least one user"},
		{"bad country", "users:\n  - {id: a, country: fr, password: '" + good + "'}\n", "country: want ISO 3166 alpha-3"},
		{"plain password", "users:\n  - {id: a, country: FRA, password: hunter2}\n", "password: want pbkdf2-sha256$"},
		{"weak hash", "users:\n  - {id: a, country: FRA, password: 'pbkdf2-sha256$10$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'}\n", "iterations must be"},
		{"duplicate id", "users:\n  - {id: a, country: FRA, password: '" + good + "'}\n  - {id: a, country: DEU, password: '" + good + "'}\n", "declared twice"},
		{"unknown field", "users:\n  - {id: a, country: FRA, password: '" + good + "', role: admin}\n", "field role not found"},
		{"bad id", "users:\n  - {id: 'a b', country: FRA, password: '" + good + "'}\n", "id: want"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := console.ParseUsers([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseUsers = %v, want an error containing %q", err, tt.want)
			}
			if err != nil && strings.Contains(err.Error(), "hunter2") {
				t.Errorf("the error quotes the password: %v", err)
			}
		})
	}
}

func TestHashPasswordRoundTrip(t *testing.T) {
	t.Parallel()
	h1, err := console.HashPassword("s3cret", console.MinIterations)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := console.HashPassword("s3cret", console.MinIterations)
	if h1 == h2 {
		t.Error("two hashes of one password are equal: the salt is not random")
	}
	us, err := console.ParseUsers([]byte("users:\n  - {id: a, country: FRA, password: '" + h1 + "'}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if u := us.Authenticate("a", "s3cret"); u == nil || u.Country != "FRA" {
		t.Errorf("Authenticate with the right password = %v", u)
	}
	for _, pw := range []string{"s3cret ", "S3cret", ""} {
		if us.Authenticate("a", pw) != nil {
			t.Errorf("Authenticate(%q) succeeded", pw)
		}
	}
	if _, err := console.HashPassword("x", 10); err == nil {
		t.Error("a hash below the minimum work factor was made")
	}
}

// TestStreamKeepsUpWithThousandsOfAlerts: 3,000 alerts, about an hour of a busy country at
// once, reach an open stream within seconds; whatever a stream could not take is reported
// as dropped, never silently lost; and exactly what was delivered is audited as shown.
func TestStreamKeepsUpWithThousandsOfAlerts(t *testing.T) {
	t.Parallel()
	const n = 3000
	e := newEnv(t)
	c := e.login(t, "fra-1")
	ch, stop := c.stream("", "")
	defer stop()
	start := time.Now()
	emitted := make(chan error, 1)
	go func() {
		for b := 0; b < n; b += 300 {
			batch := make([]event.Alert, 0, 300)
			for i := b; i < b+300; i++ {
				batch = append(batch, alert(1000+i, "ROSSI", "FRA", []string{"CDG", "ORY", "NCE"}[i%3], event.DBSLTD, "high"))
			}
			if err := e.router.Emit(t.Context(), engine.Output{Alerts: batch}); err != nil {
				emitted <- err
				return
			}
		}
		emitted <- nil
	}()
	delivered, dropped := 0, 0
	seen := map[string]bool{}
	deadline := time.After(60 * time.Second)
	for delivered+dropped < n {
		select {
		case ev, ok := <-ch:
			if !ok {
				t.Fatalf("stream ended after %d alerts", delivered)
			}
			switch ev.Event {
			case "alert":
				var s summary
				if err := json.Unmarshal(ev.Data, &s); err != nil {
					t.Fatal(err)
				}
				if seen[s.ID] {
					t.Errorf("alert %s delivered twice", s.ID)
				}
				seen[s.ID] = true
				delivered++
			case "dropped":
				var d struct{ Count int }
				if err := json.Unmarshal(ev.Data, &d); err != nil {
					t.Fatal(err)
				}
				dropped += d.Count
			}
		case <-deadline:
			t.Fatalf("after 60 s: %d delivered, %d dropped of %d", delivered, dropped, n)
		}
	}
	t.Logf("%d alerts delivered, %d dropped, in %v", delivered, dropped, time.Since(start).Round(time.Millisecond))
	if err := <-emitted; err != nil {
		t.Fatalf("emitting: %v", err)
	}
	if delivered+dropped != n {
		t.Errorf("%d delivered + %d dropped, want %d", delivered, dropped, n)
	}
	shown := countAudits(e.audits(t, delivered+1), "fra-1")[event.AuditAlertShown]
	if shown != delivered {
		t.Errorf("%d alert_shown audit events for %d alerts delivered", shown, delivered)
	}
}
