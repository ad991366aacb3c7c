package gateway

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kgo"
	"gopkg.in/yaml.v3"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/schemas"
)

// newOfflineServer builds a Server whose Kafka clients point at a closed port: enough for
// the endpoints that do not produce. Clients connect lazily, so nothing is dialled.
func newOfflineServer(t *testing.T) *Server {
	t.Helper()
	creds := filepath.Join(t.TempDir(), "creds.yaml")
	if err := os.WriteFile(creds, []byte("clients:\n- {id: af, kind: carrier, carriers: [AF], key_sha256: "+HashKey("k")+"}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	ids := map[string]int{}
	for i, s := range schemas.Subjects() {
		ids[s] = i + 1
	}
	serde, err := schemas.NewSerde(ids)
	if err != nil {
		t.Fatal(err)
	}
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(Config{CredentialsFile: creds}, Deps{
		NewProducer: func(extra ...kgo.Opt) (*kgo.Client, error) {
			return kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers("127.0.0.1:1")}, extra...)...)
		},
		Serde: serde, Topics: ts, Watchlist: &index.Store{},
		Decoder: DecoderFunc(func(string, []byte) (*Decoded, error) { return nil, &DecodeError{Message: "unused"} }),
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// TestOpenAPIDocumentsEveryRoute fetches /openapi.yaml over HTTP, parses it, and checks that
// it is OpenAPI 3.1, that every route the server serves is documented with its method, that
// the submission routes document every answer they give, and that every $ref resolves.
func TestOpenAPIDocumentsEveryRoute(t *testing.T) {
	t.Parallel()
	s := newOfflineServer(t)
	hs := httptest.NewServer(s.Handler())
	defer hs.Close()
	resp, err := http.Get(hs.URL + "/openapi.yaml") //nolint:noctx // test against a local server
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/yaml") {
		t.Fatalf("GET /openapi.yaml = %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	var doc map[string]any
	if err := yaml.Unmarshal(body, &doc); err != nil {
		t.Fatalf("openapi.yaml does not parse as YAML: %v", err)
	}
	if v, _ := doc["openapi"].(string); !strings.HasPrefix(v, "3.1.") {
		t.Errorf("openapi = %q, want 3.1.x", v)
	}
	paths, _ := doc["paths"].(map[string]any)
	for _, rt := range s.routeList() {
		item, ok := paths[rt.pattern].(map[string]any)
		if !ok {
			t.Errorf("route %s %s is not documented", rt.method, rt.pattern)
			continue
		}
		op, ok := item[strings.ToLower(rt.method)].(map[string]any)
		if !ok {
			t.Errorf("route %s %s: method not documented", rt.method, rt.pattern)
			continue
		}
		if rt.method != http.MethodPost {
			continue
		}
		responses, _ := op["responses"].(map[string]any)
		codes := []string{"202", "400", "401", "403", "409", "413", "415", "429", "500", "503"}
		if rt.pattern == "/v1/checks" { // answered at once, and a check has no reference to reuse
			codes = []string{"200", "400", "401", "403", "413", "415", "429", "500", "503"}
		}
		for _, code := range codes {
			if _, ok := responses[code]; !ok {
				t.Errorf("route %s %s: response %s not documented", rt.method, rt.pattern, code)
			}
		}
	}
	if len(paths) != len(s.routeList()) {
		t.Errorf("%d documented paths, %d served", len(paths), len(s.routeList()))
	}
	var walk func(v any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for k, val := range x {
				if ref, ok := val.(string); ok && k == "$ref" {
					if !resolves(doc, ref) {
						t.Errorf("$ref %s does not resolve", ref)
					}
				}
				walk(val)
			}
		case []any:
			for _, val := range x {
				walk(val)
			}
		}
	}
	walk(doc)
	// Every problem kind the code can answer with is named in the document.
	for _, k := range []problemKind{probBadRequest, probMalformed, probInvalid, probUnauth, probForbidden, probNotFound, probMethod,
		probConflict, probTooLarge, probMediaType, probRateLimited, probInternal, probUnavailable, probNotReady} {
		if !strings.Contains(string(body), k.slug) {
			t.Errorf("problem type %s is not documented", k.slug)
		}
	}
}

func resolves(doc map[string]any, ref string) bool {
	path, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return false
	}
	var cur any = doc
	for _, p := range strings.Split(path, "/") {
		m, ok := cur.(map[string]any)
		if !ok {
			return false
		}
		if cur, ok = m[p]; !ok {
			return false
		}
	}
	return true
}

// TestHealthWithoutBroker: liveness holds and readiness fails when no broker answers.
func TestHealthWithoutBroker(t *testing.T) {
	t.Parallel()
	s := newOfflineServer(t)
	cases := []struct {
		path string
		want int
	}{{"/healthz", 200}, {"/readyz", 503}}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			t.Parallel()
			rec := httptest.NewRecorder()
			s.Handler().ServeHTTP(rec, httptest.NewRequestWithContext(t.Context(), http.MethodGet, tc.path, nil))
			if rec.Code != tc.want {
				t.Errorf("%s = %d, want %d", tc.path, rec.Code, tc.want)
			}
			if rec.Header().Get("X-Request-Id") == "" {
				t.Error("no X-Request-Id")
			}
		})
	}
}
