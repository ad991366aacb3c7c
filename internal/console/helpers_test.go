package console_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/console"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// Test accounts: two FRA officers and a DEU officer.
var passwords = map[string]string{"fra-1": "correct horse FRA", "fra-2": "battery staple FRA", "deu-1": "korrektes Pferd DEU"}

var countries = map[string]string{"fra-1": "FRA", "fra-2": "FRA", "deu-1": "DEU"}

// env is a console on 127.0.0.1 against kfake, with the declared topics of FRA and DEU,
// alerts written through the real producers.Router.
type env struct {
	c      *consumerstest.Cluster
	ts     deploy.Topics
	serde  *schemas.Serde
	router *producers.Router
	srv    *console.Server
	url    string
}

type envOpt func(*console.Config)

func usersFile(t testing.TB) []byte {
	t.Helper()
	var b strings.Builder
	b.WriteString("users:\n")
	for _, id := range []string{"fra-1", "fra-2", "deu-1"} {
		h, err := console.HashPassword(passwords[id], console.MinIterations)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "  - id: %s\n    country: %s\n    password: %q\n", id, countries[id], h)
	}
	return []byte(b.String())
}

func newEnv(t *testing.T, opts ...envOpt) *env {
	t.Helper()
	return newEnvTLS(t, nil, opts...)
}

// newEnvTLS is newEnv serving HTTPS with tlsCfg (plain HTTP when nil).
func newEnvTLS(t *testing.T, tlsCfg *tls.Config, opts ...envOpt) *env {
	t.Helper()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, role := range []string{deploy.RoleScreenings, deploy.RoleAlerts, deploy.RoleDeadLetters, deploy.RoleOutcomes, deploy.RoleAudit} {
		names = append(names, ts.Name(role))
	}
	for _, c := range []string{"FRA", "DEU"} {
		tp, err := ts.ForCountry(deploy.RoleAlertsCountry, c)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, tp.Name)
	}
	c := consumerstest.NewCluster(t, 2, names...)
	ids := map[string]int{}
	for i, s := range schemas.Subjects() {
		ids[s] = i + 1
	}
	serde, err := schemas.NewSerde(ids)
	if err != nil {
		t.Fatal(err)
	}
	users, err := console.ParseUsers(usersFile(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg := console.Config{Brokers: c.Brokers, Topics: ts, Serde: serde, Users: users}
	for _, o := range opts {
		o(&cfg)
	}
	srv, err := console.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, tlsCfg) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve: %v", err)
		}
		srv.Close()
	})
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	e := &env{c: c, ts: ts, serde: serde, srv: srv, url: scheme + "://" + ln.Addr().String()}
	e.router = newRouter(t, c, serde, ts)
	return e
}

func newRouter(t *testing.T, c *consumerstest.Cluster, serde *schemas.Serde, ts deploy.Topics) *producers.Router {
	t.Helper()
	family := func(role string) producers.CountryTopics {
		tm, ok := ts.Template(role)
		if !ok {
			t.Fatalf("no template for %s", role)
		}
		return producers.CountryTopics{Pattern: tm.Name, Partitions: tm.Partitions, ReplicationFactor: tm.ReplicationFactor, Config: tm.Config}
	}
	r, err := producers.NewRouter(c.Client(t, producers.ProducerOpts()...), serde, producers.RouterConfig{
		Topics:             producers.Topics{Screenings: ts.Name(deploy.RoleScreenings), Alerts: ts.Name(deploy.RoleAlerts), DeadLetters: ts.Name(deploy.RoleDeadLetters)},
		CountryAlerts:      family(deploy.RoleAlertsCountry),
		OwnerNotifications: family(deploy.RoleNotificationsOwner),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.Close)
	return r
}

// emit writes alerts as the matcher does.
func (e *env) emit(t *testing.T, alerts ...event.Alert) {
	t.Helper()
	if err := e.router.Emit(t.Context(), engine.Output{Alerts: alerts}); err != nil {
		t.Fatalf("emitting alerts: %v", err)
	}
}

var t0 = time.Date(2026, 11, 24, 9, 30, 0, 0, time.UTC)

// alert builds an alert for a traveller on flight n, screened by country at post.
func alert(n int, surname, country, post string, db event.Database, severity string) event.Alert {
	eventID := fmt.Sprintf("m-%s-%03d", country, n)
	sid := event.SubjectID(eventID, 0)
	rec := fmt.Sprintf("%s-%04d", db, n)
	at := t0.Add(time.Duration(n) * time.Minute)
	return event.Alert{
		Hit: event.Hit{
			ID: event.HitID(sid, db, rec), SubjectID: sid, EventID: eventID, Database: db, RecordID: rec, Score: 0.93,
			Reasons: []event.Reason{
				{Field: "document_number", Match: "exact", Weight: 0.7, Detail: "document number and issuer agree"},
				{Field: "birth_date", Match: "partial", Weight: 0.2, Detail: "year agrees"},
				{Field: "sex", Match: "conflict", Weight: -0.05, Detail: "sex differs"},
			},
			SnapshotVersion: 11, Severity: severity, Action: "seize the document and refer", Owner: "ITA",
		},
		Subject: event.Subject{ID: sid, EventID: eventID, Kind: event.KindPerson, Role: event.RolePassenger, Person: &event.Person{
			Surname: surname, GivenNames: "Test", BirthDate: event.Date{Year: 1970 + n%30}, Sex: "F", Nationality: "ITA",
			Documents: []event.Document{{Type: "P", Number: fmt.Sprintf("YA%07d", n), Issuer: "ITA"}},
		}},
		Context:  event.Context{Source: "api", Carrier: "AZ", Flight: fmt.Sprintf("AZ%04d", n), Departure: "FCO", Arrival: post, BorderPost: post, Country: country, EventTime: at},
		RaisedAt: at.Add(time.Second),
	}
}

// client is a browser-like HTTP client with a cookie jar and the session's CSRF token.
type client struct {
	t    *testing.T
	base string
	hc   *http.Client
	csrf string
}

func (e *env) newClient(t *testing.T) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: e.url, hc: &http.Client{Jar: jar, Timeout: 20 * time.Second}}
}

// login logs in and fails the test unless it succeeds.
func (e *env) login(t *testing.T, id string) *client {
	t.Helper()
	c := e.newClient(t)
	resp, body := c.do("POST", "/api/login", map[string]string{"officer_id": id, "password": passwords[id]}, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("login %s: %d %s", id, resp.StatusCode, body)
	}
	var s struct {
		CSRFToken string `json:"csrf_token"`
	}
	if err := json.Unmarshal(body, &s); err != nil || s.CSRFToken == "" {
		t.Fatalf("login response %s: %v", body, err)
	}
	c.csrf = s.CSRFToken
	return c
}

// do sends a request with a JSON body (when body is not nil) and returns the response and
// its body. POSTs carry the CSRF token unless headers set X-CSRF-Token themselves.
func (c *client) do(method, path string, body any, headers map[string]string) (*http.Response, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			c.t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(c.t.Context(), method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if method == "POST" && c.csrf != "" {
		req.Header.Set("X-CSRF-Token", c.csrf)
	}
	for k, v := range headers {
		if v == "" {
			req.Header.Del(k)
		} else {
			req.Header.Set(k, v)
		}
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

// sseEvent is one server-sent event.
type sseEvent struct {
	ID, Event string
	Data      []byte
}

// stream opens the live stream and returns its events as they arrive, and a function that
// closes it.
func (c *client) stream(query string, lastEventID string) (<-chan sseEvent, func()) {
	c.t.Helper()
	ctx, cancel := context.WithCancel(c.t.Context())
	req, err := http.NewRequestWithContext(ctx, "GET", c.base+"/api/stream"+query, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	hc := *c.hc
	hc.Timeout = 0
	resp, err := hc.Do(req)
	if err != nil {
		cancel()
		c.t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		cancel()
		c.t.Fatalf("stream: %d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), b)
	}
	ch := make(chan sseEvent, 1024)
	go func() {
		defer close(ch)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		var ev sseEvent
		for sc.Scan() {
			line := sc.Text()
			switch {
			case line == "":
				if ev.Event != "" || ev.Data != nil {
					ch <- ev
				}
				ev = sseEvent{}
			case strings.HasPrefix(line, "id: "):
				ev.ID = line[4:]
			case strings.HasPrefix(line, "event: "):
				ev.Event = line[7:]
			case strings.HasPrefix(line, "data: "):
				ev.Data = []byte(line[6:])
			}
		}
	}()
	return ch, cancel
}

// summary is the list view of an alert, as the stream sends it.
type summary struct {
	ID         string `json:"id"`
	Seq        uint64 `json:"seq"`
	Database   string `json:"database"`
	Severity   string `json:"severity"`
	BorderPost string `json:"border_post"`
	Subject    string `json:"subject"`
	Repeats    int    `json:"repeats"`
	Decision   string `json:"decision"`
}

// collect reads alert events until want arrived (then a short grace for extras) or the
// deadline; updates and other events go to others.
func collect(t *testing.T, ch <-chan sseEvent, want int, timeout time.Duration) (alerts []summary, others []sseEvent) {
	t.Helper()
	deadline := time.After(timeout)
	var grace <-chan time.Time
	for {
		if len(alerts) >= want && grace == nil {
			grace = time.After(300 * time.Millisecond)
		}
		select {
		case ev, ok := <-ch:
			if !ok {
				return alerts, others
			}
			if ev.Event != "alert" {
				others = append(others, ev)
				continue
			}
			var s summary
			if err := json.Unmarshal(ev.Data, &s); err != nil {
				t.Fatalf("alert event %s: %v", ev.Data, err)
			}
			if ev.ID != fmt.Sprint(s.Seq) {
				t.Errorf("event id %q, want the alert's seq %d", ev.ID, s.Seq)
			}
			alerts = append(alerts, s)
		case <-grace:
			return alerts, others
		case <-deadline:
			return alerts, others
		}
	}
}

// records reads every record of topic until want arrived (then a short grace), decoding
// each with decode.
func records[T any](t *testing.T, e *env, topic string, want int, decode func([]byte) (T, error)) []T {
	t.Helper()
	cl := e.c.Client(t, kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	var out []T
	deadline := time.Now().Add(10 * time.Second)
	var grace time.Time
	for {
		now := time.Now()
		if len(out) >= want && grace.IsZero() {
			grace = now.Add(300 * time.Millisecond)
		}
		if (!grace.IsZero() && now.After(grace)) || now.After(deadline) {
			return out
		}
		ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		if err := fs.Err0(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("fetching %s: %v", topic, err)
		}
		fs.EachRecord(func(r *kgo.Record) {
			v, err := decode(r.Value)
			if err != nil {
				t.Fatalf("decoding a record of %s: %v", topic, err)
			}
			out = append(out, v)
		})
	}
}

func (e *env) audits(t *testing.T, want int) []*event.AuditEvent {
	t.Helper()
	return records(t, e, e.ts.Name(deploy.RoleAudit), want, e.serde.DecodeAuditEvent)
}

func (e *env) outcomes(t *testing.T, want int) []*event.Outcome {
	t.Helper()
	return records(t, e, e.ts.Name(deploy.RoleOutcomes), want, e.serde.DecodeOutcome)
}

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// countAudits counts audit events by action, for one officer ("" for all).
func countAudits(evs []*event.AuditEvent, officer string) map[event.AuditAction]int {
	out := map[event.AuditAction]int{}
	for _, a := range evs {
		if officer == "" || a.OfficerID == officer {
			out[a.Action]++
		}
	}
	return out
}
