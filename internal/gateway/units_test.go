package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
)

// clock is a settable clock for tests.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	valid := func() Config {
		c := Config{CredentialsFile: "creds.yaml"}
		c.SetDefaults()
		return c
	}
	cases := []struct {
		name   string
		mutate func(*Config)
		want   []string // substrings, one per expected problem
	}{
		{"defaults plus credentials", func(*Config) {}, nil},
		{"no credentials", func(c *Config) { c.CredentialsFile = "" }, []string{"credentials_file is required"}},
		{"half a TLS pair", func(c *Config) { c.TLSCert = "a.pem" }, []string{"tls_cert and tls_key"}},
		{"client CA without TLS", func(c *Config) { c.ClientCA = "ca.pem" }, []string{"client_ca needs tls_cert"}},
		{"optional client cert without CA", func(c *Config) { c.ClientCertOptional = true }, []string{"client_cert_optional needs client_ca"}},
		{"bad listen", func(c *Config) { c.Listen = "nowhere" }, []string{"listen must be host:port"}},
		{"every number wrong at once", func(c *Config) {
			c.BodyLimit, c.DefaultRate, c.DefaultBurst, c.ProduceTimeout, c.Producers = -1, -1, 0, -1, 1000
			c.DedupSize, c.DedupTTL, c.ReadTimeout, c.ShutdownTimeout = -1, -1, -1, -1
		}, []string{"body_limit", "default_rate", "default_burst", "produce_timeout", "producers", "dedup_size", "dedup_ttl", "read_timeout", "shutdown_timeout"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			c := valid()
			tc.mutate(&c)
			err := c.Validate()
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Validate = nil, want problems")
			}
			lines := strings.Split(err.Error(), "\n")
			if len(lines) != len(tc.want) {
				t.Errorf("Validate reported %d problems, want %d:\n%v", len(lines), len(tc.want), err)
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Validate = %v, want a problem mentioning %q", err, w)
				}
			}
		})
	}
	var zero Config
	if err := zero.Validate(); !errors.Is(err, ErrNoCredentials) {
		t.Errorf("zero Config: %v, want ErrNoCredentials among the problems", err)
	}
}

func TestParseCredentials(t *testing.T) {
	t.Parallel()
	key := HashKey("k1")
	cases := []struct {
		name string
		doc  string
		want []string // problems; nil means valid
	}{
		{"valid YAML", "clients:\n- {id: af, kind: carrier, carriers: [af], key_sha256: " + key + "}\n- {id: cdg, kind: border_post, country: fra}\n" +
			"- {id: hotel-7, kind: partner, country: nld}\n", nil},
		{"valid JSON", `{"clients": [{"id": "af", "kind": "carrier", "carriers": ["AF"], "key_sha256": "` + key + `", "rate_per_second": 5, "burst": 3}]}`, nil},
		{"unknown field", "clients:\n- {id: af, kind: carrier, carriers: [AF], key: secret}\n", []string{"field key not found"}},
		{"every problem", "clients:\n" +
			"- {kind: carrier}\n" +
			"- {id: x, kind: pilot}\n" +
			"- {id: x, kind: border_post, country: France, carriers: [AF]}\n" +
			"- {id: y, kind: carrier, carriers: [A], key_sha256: ABC, rate_per_second: -1, burst: -2}\n" +
			"- {id: z, kind: carrier, carriers: [ZZ], key_sha256: " + key + "}\n" +
			"- {id: w, kind: carrier, carriers: [WW], key_sha256: " + key + ", cert_cn: z}\n" +
			"- {id: p, kind: partner, carriers: [AF]}\n" +
			"- {id: bank, kind: partner, country: France, border_posts: [CDG]}\n",
			[]string{
				"clients[0]: id is required", "clients[0]: a carrier needs at least one carrier code",
				"(x): kind must be one of", "(x): id declared twice", "(x): a border post needs country", "(x): a border post has no carriers",
				"(y): carriers[0]: want 2-8", "(y): key_sha256 must be 64", "(y): rate_per_second", "(y): burst",
				"(w): key_sha256 is also the key of z", "(w): cert_cn is also the common name of z",
				"(p): a partner needs country", "(p): a partner has no carriers or border_posts", "(p): a partner's id must be",
				"(bank): a partner needs country", "(bank): a partner has no carriers or border_posts", "(bank): a partner's id must be",
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cs, err := ParseCredentials([]byte(tc.doc))
			if tc.want == nil {
				if err != nil {
					t.Fatalf("ParseCredentials = %v", err)
				}
				if len(cs.Clients()) == 0 {
					t.Fatal("no clients")
				}
				return
			}
			if err == nil {
				t.Fatal("ParseCredentials = nil, want problems")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems do not mention %q:\n%v", w, err)
				}
			}
			if strings.Contains(err.Error(), key) {
				t.Error("a problem quotes a key hash")
			}
		})
	}
}

func TestCredentialLookup(t *testing.T) {
	t.Parallel()
	k1, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	k2, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	if k1 == k2 || !strings.HasPrefix(k1, "wpk_") || len(k1) != 4+43 {
		t.Fatalf("NewKey = %q, %q: want distinct wpk_ keys of 256 bits", k1, k2)
	}
	// SHA-256 test vector (FIPS 180-2): "abc".
	if got, want := HashKey("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; got != want {
		t.Errorf("HashKey(abc) = %s, want %s", got, want)
	}
	cs, err := ParseCredentials([]byte(fmt.Sprintf("clients:\n- {id: a, kind: carrier, carriers: [AF], key_sha256: %s}\n- {id: b, kind: border_post, country: FRA, key_sha256: %s, cert_cn: post-b}\n- {id: c1, kind: partner, country: NLD}\n",
		HashKey(k1), HashKey(k2))))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		key, cn string
		want    string // client id, "" for none
	}{
		{k1, "", "a"}, {k2, "", "b"}, {k1 + "x", "", ""}, {"", "", ""}, {HashKey(k1), "", ""},
		{"", "post-b", "b"}, {"", "b", ""}, {"", "c1", "c1"}, {"", "a", "a"},
	}
	for _, tc := range cases {
		var got *Client
		if tc.key != "" {
			got = cs.byKey(tc.key)
		} else {
			got = cs.byCertCN(tc.cn)
		}
		id := ""
		if got != nil {
			id = got.ID
		}
		if id != tc.want {
			t.Errorf("lookup(key %.8q…, cn %q) = %q, want %q", tc.key, tc.cn, id, tc.want)
		}
	}
}

func TestTokenBucket(t *testing.T) {
	t.Parallel()
	t0 := time.Unix(1_700_000_000, 0)
	b := newBucket(2, 3, t0) // 2 per second, burst 3
	for i := range 3 {
		if ok, _ := b.take(t0); !ok {
			t.Fatalf("take %d of the burst refused", i)
		}
	}
	ok, wait := b.take(t0)
	if ok || wait != 500*time.Millisecond {
		t.Fatalf("take past the burst = %v, wait %v; want refused, 500ms", ok, wait)
	}
	if ok, _ := b.take(t0.Add(499 * time.Millisecond)); ok {
		t.Error("a token appeared before its time")
	}
	if ok, _ := b.take(t0.Add(500 * time.Millisecond)); !ok {
		t.Error("no token after 500ms at 2/s")
	}
	if ok, _ := b.take(t0.Add(time.Hour)); !ok {
		t.Error("no token after an hour")
	}
	for range 2 {
		b.take(t0.Add(time.Hour))
	}
	if ok, _ := b.take(t0.Add(time.Hour)); ok {
		t.Error("the bucket held more than its burst after an idle hour")
	}
	for _, c := range []struct {
		d    time.Duration
		want int
	}{{0, 1}, {time.Millisecond, 1}, {time.Second, 1}, {1001 * time.Millisecond, 2}, {100 * time.Second, 100}} {
		if got := retryAfterSeconds(c.d); got != c.want {
			t.Errorf("retryAfterSeconds(%v) = %d, want %d", c.d, got, c.want)
		}
	}
}

func TestDedupRemembersWithinTTLAndSize(t *testing.T) {
	t.Parallel()
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	d := newDedup(2, time.Minute, clk.now)
	ctx := context.Background()
	calls := 0
	produce := func(id string) func() (accepted, error) {
		return func() (accepted, error) { calls++; return accepted{ids: []string{id}, travellers: 1}, nil }
	}
	c1, c2 := [32]byte{1}, [32]byte{2}
	steps := []struct {
		id        string
		content   [32]byte
		advance   time.Duration
		duplicate bool
		err       error
		calls     int
	}{
		{"a", c1, 0, false, nil, 1},
		{"a", c1, 0, true, nil, 1},
		{"a", c2, 0, false, errConflict, 1},
		{"b", c1, 0, false, nil, 2},
		{"c", c1, 0, false, nil, 3}, // evicts a, the least recent
		{"a", c1, 0, false, nil, 4},
		{"a", c1, 59 * time.Second, true, nil, 4},
		{"a", c1, 61 * time.Second, false, nil, 5}, // expired
	}
	for i, s := range steps {
		clk.advance(s.advance)
		acc, dup, err := d.do(ctx, s.id, s.content, produce(s.id))
		if dup != s.duplicate || !errors.Is(err, s.err) || calls != s.calls {
			t.Fatalf("step %d (%s): duplicate %v err %v calls %d; want %v %v %d", i, s.id, dup, err, calls, s.duplicate, s.err, s.calls)
		}
		if err == nil && (len(acc.ids) != 1 || acc.ids[0] != s.id) {
			t.Fatalf("step %d: accepted %+v", i, acc)
		}
	}
	if n := d.len(); n > 2 {
		t.Errorf("%d entries, bound is 2", n)
	}
}

// TestDedupSingleFlight: many concurrent submissions of one id run produce once; followers
// share the outcome; a failure is shared and not remembered, so a retry produces.
func TestDedupSingleFlight(t *testing.T) {
	t.Parallel()
	d := newDedup(10, time.Hour, time.Now)
	var calls atomic.Int32
	release := make(chan struct{})
	failing := errors.New("broker down")
	var fail atomic.Bool
	fail.Store(true)
	produce := func() (accepted, error) {
		calls.Add(1)
		<-release
		if fail.Load() {
			return accepted{}, failing
		}
		return accepted{ids: []string{"x"}}, nil
	}
	run := func(n int) (dups, errs int) {
		var wg sync.WaitGroup
		var mu sync.Mutex
		for range n {
			wg.Go(func() {
				_, dup, err := d.do(context.Background(), "x", [32]byte{9}, produce)
				mu.Lock()
				defer mu.Unlock()
				if dup {
					dups++
				}
				if err != nil {
					errs++
				}
			})
		}
		for calls.Load() == 0 {
			time.Sleep(time.Millisecond)
		}
		time.Sleep(50 * time.Millisecond) // let the followers queue behind the leader
		close(release)
		wg.Wait()
		return dups, errs
	}
	if dups, errs := run(16); calls.Load() != 1 || errs != 16 || dups != 0 {
		t.Fatalf("failing flight: %d calls, %d errors, %d duplicates; want 1, 16, 0", calls.Load(), errs, dups)
	}
	calls.Store(0)
	fail.Store(false)
	release = make(chan struct{})
	if dups, errs := run(16); calls.Load() != 1 || errs != 0 || dups != 15 {
		t.Fatalf("succeeding flight: %d calls, %d errors, %d duplicates; want 1, 0, 15", calls.Load(), errs, dups)
	}
}

func TestIDs(t *testing.T) {
	t.Parallel()
	m := event.Manifest{Carrier: "AF", Flight: "AF1", Country: "FRA", Travellers: []event.Traveller{{Role: event.RolePassenger}}}
	content := func(ms ...event.Manifest) [32]byte {
		h, err := manifestContent(ms)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	stamped := m
	stamped.ID, stamped.ReceivedAt = "whatever", time.Now()
	if content(m) != content(stamped) {
		t.Error("id and received_at change the content hash")
	}
	changed := m
	changed.Flight = "AF2"
	if content(m) == content(changed) {
		t.Error("a changed flight keeps the content hash")
	}
	ids := map[string]string{
		"ref":            submissionID("AF", "R1", "M1", content(m)),
		"ref, content":   submissionID("AF", "R1", "M1", content(changed)),
		"other carrier":  submissionID("BA", "R1", "M1", content(m)),
		"other message":  submissionID("AF", "R1", "M2", content(m)),
		"content":        submissionID("AF", "", "", content(m)),
		"other content":  submissionID("AF", "", "", content(changed)),
		"shifted fields": submissionID("AF", "R1M", "1", content(m)),
	}
	if ids["ref"] != ids["ref, content"] {
		t.Error("with references, the id must not depend on content (a conflict is detected instead)")
	}
	seen := map[string]string{}
	for name, id := range ids {
		if name == "ref, content" {
			continue
		}
		if !strings.HasPrefix(id, "m-") || len(id) != 34 {
			t.Errorf("%s: id %q, want m- and 32 hex digits", name, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share id %s", name, other, id)
		}
		seen[id] = name
	}
	if got := carrierSet([]event.Manifest{{Carrier: "ba"}, {Carrier: "AF"}, {Carrier: " BA"}}); got != "AF,BA" {
		t.Errorf("carrierSet = %q, want AF,BA", got)
	}
	if diff := cmp.Diff([]string{"m-1.1", "m-1.2", "m-1.3"}, manifestIDs("m-1", 3)); diff != "" {
		t.Error(diff)
	}
	if diff := cmp.Diff([]string{"m-1"}, manifestIDs("m-1", 1)); diff != "" {
		t.Error(diff)
	}
	var zero [32]byte
	if crossingID("FRA", "CDG", "1", zero) == crossingID("FRA", "ORY", "1", zero) ||
		crossingID("fra", "cdg", "1", zero) != crossingID("FRA", "CDG", "1", zero) ||
		crossingID("FRA", "CDG", "", zero) == crossingID("FRA", "CDG", "", [32]byte{1}) {
		t.Error("crossing ids: want namespaced by country and post, case-insensitive, content-derived without a post id")
	}
}

// TestCrossingWireMatchesEvent keeps crossingWire in step with event.Crossing's JSON: every
// field of a fully populated crossing survives the trip, and a field added to event.Crossing
// without the wire form fails here as an unknown field.
func TestCrossingWireMatchesEvent(t *testing.T) {
	t.Parallel()
	full := []event.Crossing{
		{ID: "p1", BorderPost: "CDG", Country: "FRA", Direction: event.DirectionEntry, Time: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC),
			Kind: event.KindPerson, Person: &event.Person{Surname: "S", GivenNames: "G", BirthDate: event.Date{Year: 1970}, Sex: "M", Nationality: "FRA",
				Documents: []event.Document{{Type: "P", Number: "N", Issuer: "FRA", Expiry: event.Date{Year: 2030, Month: 2}}, {Type: "I", Number: "M", Issuer: "DEU"}}}},
		{ID: "v1", BorderPost: "CDG", Country: "FRA", Direction: event.DirectionExit, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("", 3600)),
			Kind: event.KindVehicle, Vehicle: &event.Vehicle{VIN: "V", Plate: "P", PlateCountry: "FRA", Make: "M", Model: "X"}},
		{ID: "s1", BorderPost: "MRS", Country: "FRA", Direction: event.DirectionEntry, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			Kind: event.KindVessel, Vessel: &event.Vessel{IMO: "9074729", HIN: "H", Name: "N", EngineSerials: []string{"E1", "E2"}}},
		{ID: "f1", BorderPost: "CDG", Country: "FRA", Direction: event.DirectionEntry, Time: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
			Kind: event.KindFirearm, Firearm: &event.Firearm{Serial: "S", Make: "M", Model: "X", Calibre: "9mm"}},
	}
	for _, want := range full {
		b, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		got, errs := decodeCrossing(b)
		if len(errs) > 0 || got == nil {
			t.Fatalf("%s: problems %v", want.ID, errs)
		}
		if diff := cmp.Diff(&want, got); diff != "" {
			t.Errorf("%s (-want +got):\n%s", want.ID, diff)
		}
	}
}

func TestJSONProblemLocates(t *testing.T) {
	t.Parallel()
	cases := []struct {
		body string
		want Warning
	}{
		{"{\n  \"a\": tru\n}", Warning{Line: 2, Message: "malformed JSON at column 11"}},
		{"{\"border_post\": [1]}", Warning{Line: 1, Field: "border_post", Message: "want a JSON string"}},
		{"{\"person\": {\"documents\": {}}}", Warning{Line: 1, Field: "person.documents", Message: "want a JSON array"}},
		{"{\"border_post\": \"x\"", Warning{Line: 1, Message: "the JSON ends before the object does"}},
		{"", Warning{Message: "the body holds no JSON value"}},
		{`{"secret\u0001": 1}`, Warning{Message: "unknown field"}},
		{`{"colour": 1}`, Warning{Field: "colour", Message: "unknown field"}},
		{"{} {}", Warning{Line: 1, Message: "unexpected data after the crossing object, at column 4"}},
	}
	for _, tc := range cases {
		c, errs := decodeCrossing([]byte(tc.body))
		if c != nil || len(errs) != 1 {
			t.Errorf("%q: crossing %v, problems %v: want one located problem", tc.body, c, errs)
			continue
		}
		if diff := cmp.Diff(tc.want, errs[0]); diff != "" {
			t.Errorf("%q (-want +got):\n%s", tc.body, diff)
		}
	}
}

func TestSchemaProblems(t *testing.T) {
	t.Parallel()
	err := errors.New("encoding watchpost.v1.Manifest: flight: required; travellers[2].person.birth_date: invalid date: date year out of range 1800-2200")
	want := []Warning{
		{Field: "flight", Message: "message 1 of 2: required"},
		{Field: "travellers[2].birth_date", Message: "message 1 of 2: invalid date: date year out of range 1800-2200"},
	}
	if diff := cmp.Diff(want, schemaProblems(err, messageRef(0, 2))); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func TestDecodeErrorsWalksTheTree(t *testing.T) {
	t.Parallel()
	a, b, c := &DecodeError{Segment: 1, Message: "a"}, &DecodeError{Line: 2, Tag: "NAD", Message: "b"}, &DecodeError{Field: "x", Message: "c"}
	err := fmt.Errorf("decoding: %w", errors.Join(a, fmt.Errorf("inner: %w", b), errors.New("plain"), c))
	if diff := cmp.Diff([]*DecodeError{a, b, c}, decodeErrors(err)); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if got := decodeErrors(errors.New("no location")); got != nil {
		t.Errorf("decodeErrors(plain) = %v", got)
	}
	if got, want := b.Error(), "line 2 NAD: b"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if got, want := (&DecodeError{Segment: 14, Line: 16, Tag: "DOC", Field: "1004", Message: "document number is missing"}).Error(),
		"segment 14 line 16 DOC field 1004: document number is missing"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

// FuzzDecodeCrossing: decoding never panics; a body that is not a crossing yields exactly one
// problem whose line lies within the body; problems never quote a value longer than a field
// name could be.
func FuzzDecodeCrossing(f *testing.F) {
	for _, s := range []string{
		`{"border_post":"CDG","country":"FRA","direction":"entry","person":{"surname":"X","birth_date":"1980"}}`,
		`{"border_post":"CDG","country":"FRA","direction":"exit","vehicle":{"vin":"1"},"time":"2026-01-01T00:00:00Z"}`,
		"{\n\"a\": [1, 2,\n", `{"person":{"documents":[{"expiry":"2030-13"}]}}`, `[]`, `null`, `"x"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c, errs := decodeCrossing(body)
		if c == nil && len(errs) != 1 {
			t.Fatalf("not a crossing but %d problems", len(errs))
		}
		lines := 1 + strings.Count(string(body), "\n")
		for _, e := range errs {
			if e.Line < 0 || e.Line > lines {
				t.Fatalf("problem at line %d of a %d-line body", e.Line, lines)
			}
			if e.Message == "" {
				t.Fatal("problem without a message")
			}
			if len(e.Field) > 64 {
				t.Fatalf("field of %d bytes: a value leaked into the location", len(e.Field))
			}
		}
	})
}

// TestSubmissionContent: without PNRs the content hash is the manifests' (ids of PAXLST and
// JSON submissions do not change); with PNRs, booking data changes it but the fields the
// gateway sets (ids, links, country, reception time) do not.
func TestSubmissionContent(t *testing.T) {
	t.Parallel()
	ms := []event.Manifest{{Carrier: "KL", Flight: "KL1", Travellers: []event.Traveller{{Role: event.RolePassenger}}}}
	hash := func(pnrs [][]event.PNR) [32]byte {
		h, err := submissionContent(ms, pnrs)
		if err != nil {
			t.Fatal(err)
		}
		return h
	}
	plain, err := manifestContent(ms)
	if err != nil {
		t.Fatal(err)
	}
	if hash(nil) != plain || hash([][]event.PNR{nil}) != plain {
		t.Error("without PNRs the content hash differs from the manifests'")
	}
	pnr := func() [][]event.PNR {
		return [][]event.PNR{{{Locator: "ABC123", Travellers: []event.PNRTraveller{{Surname: "X"}}, Payments: []event.PNRPayment{{Type: "CA"}}}}}
	}
	base := pnr()
	if hash(base) == plain {
		t.Error("PNRs do not change the content hash")
	}
	linked := pnr()
	event.LinkPNRs("m-1", linked[0])
	linked[0][0].Country, linked[0][0].ReceivedAt = "USA", time.Now()
	if hash(linked) != hash(base) {
		t.Error("fields the gateway sets change the content hash")
	}
	if linked[0][0].Travellers[0].SubjectID != "m-1/0" {
		t.Error("hashing modified the PNRs")
	}
	paid := pnr()
	paid[0][0].Payments[0].Type = "CC"
	if hash(paid) == hash(base) {
		t.Error("a changed form of payment keeps the content hash")
	}
}
