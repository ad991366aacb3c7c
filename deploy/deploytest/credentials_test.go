package deploytest

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/internal/gateway"
)

// TestGatewayCredentials parses the credentials files the deployment ships the way the gateway
// loads them, and checks that every published development key hashes to the key_sha256 next
// to it (so the curl example in the compose file works).
func TestGatewayCredentials(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile(repoRoot + "/deploy/compose/gateway/credentials.yaml")
	if err != nil {
		t.Fatal(err)
	}
	cs, err := gateway.ParseCredentials(b)
	if err != nil {
		t.Fatalf("compose credentials: %v", err)
	}
	if len(cs.Clients()) == 0 {
		t.Fatal("compose credentials: no client")
	}
	pair := regexp.MustCompile(`# key: (\S+)\n\s*key_sha256: ([0-9a-f]{64})`)
	pairs := pair.FindAllStringSubmatch(string(b), -1)
	if len(pairs) != len(cs.Clients()) {
		t.Errorf("%d clients but %d documented keys", len(cs.Clients()), len(pairs))
	}
	for _, p := range pairs {
		if got := gateway.HashKey(p[1]); got != p[2] {
			t.Errorf("key %s hashes to %s, the file says %s", p[1], got, p[2])
		}
	}

	// The Kubernetes placeholder must load too: a gateway started with it runs (and refuses
	// every submission) instead of crash-looping.
	objs, err := Kustomize(os.DirFS(repoRoot), SecretsDir)
	if err != nil {
		t.Fatal(err)
	}
	sec := find(objs, "Secret", "watchpost-gateway-credentials")
	if sec == nil {
		t.Fatal("no watchpost-gateway-credentials placeholder")
	}
	doc := keysOf(sec)["credentials.yaml"]
	if _, err := gateway.ParseCredentials([]byte(doc)); err != nil || strings.TrimSpace(doc) == "" {
		t.Errorf("placeholder credentials.yaml: %v", err)
	}
}
