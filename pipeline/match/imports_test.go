package match_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the matching core pure: normalize, index and match may depend on the
// standard library, golang.org/x/text and the pipeline packages below them only — never on
// logging, Kafka, Avro or ClickHouse. ident (identifier standards: VIN and IMO check digits,
// IMO labels) is such a leaf: it imports only the standard library and golang.org/x/text.
func TestImports(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not on PATH")
	}
	const mod = "github.com/watchpost/watchpost/"
	allowed := map[string]bool{
		mod + "pipeline/normalize": true, mod + "pipeline/index": true, mod + "pipeline/match": true,
		mod + "pipeline/event": true, mod + "pipeline/watchlist": true, mod + "pipeline/fault": true,
		mod + "pipeline/ident": true,
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}",
		mod+"pipeline/normalize", mod+"pipeline/index", mod+"pipeline/match").Output()
	if err != nil {
		t.Fatalf("listing dependencies: %v", err)
	}
	for _, p := range strings.Fields(string(out)) {
		if !allowed[p] && !strings.HasPrefix(p, "golang.org/x/text/") {
			t.Errorf("the matching core depends on %s", p)
		}
	}
}
