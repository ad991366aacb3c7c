package edifact_test

import (
	"os/exec"
	"strings"
	"testing"
)

// TestImports keeps the carrier-message decoders pure: edifact, paxlst and pnrgov may depend
// on the standard library, golang.org/x/text and the pipeline packages edifact, event,
// normalize and fault only — never on logging, Kafka, Avro or ClickHouse.
func TestImports(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("go tool not on PATH")
	}
	const mod = "github.com/watchpost/watchpost/"
	allowed := map[string]bool{
		mod + "pipeline/edifact": true, mod + "pipeline/paxlst": true, mod + "pipeline/pnrgov": true,
		mod + "pipeline/event": true, mod + "pipeline/normalize": true, mod + "pipeline/fault": true,
	}
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}",
		mod+"pipeline/edifact", mod+"pipeline/paxlst", mod+"pipeline/pnrgov").Output()
	if err != nil {
		t.Fatalf("listing dependencies: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 3 {
		t.Fatalf("go list found only %v: the check is blind", deps)
	}
	for _, p := range deps {
		if !allowed[p] && !strings.HasPrefix(p, "golang.org/x/text/") {
			t.Errorf("the carrier-message decoders depend on %s", p)
		}
	}
}
