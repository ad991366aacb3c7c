package archtest

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/watchpost/watchpost"

func deps(t *testing.T, pattern string) map[string][]string {
	t.Helper()
	out, err := exec.Command("go", "list", "-f", `{{.ImportPath}}:{{join .Deps " "}}`, pattern).Output()
	if err != nil {
		t.Fatalf("go list %s: %v", pattern, err)
	}
	m := map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, ds, _ := strings.Cut(line, ":")
		m[pkg] = strings.Fields(ds)
	}
	return m
}

func TestForbiddenImports(t *testing.T) {
	t.Parallel()
	rules := []struct {
		pattern   string
		forbidden []string
	}{
		{"./../../pipeline/...", []string{"github.com/twmb/franz-go", "github.com/linkedin/goavro", "github.com/ClickHouse/", module + "/consumers", module + "/producers", module + "/analytics", module + "/schemas", module + "/internal", module + "/cmd"}},
		{"./../../consumers/...", []string{module + "/producers", module + "/analytics", module + "/internal", module + "/cmd", "github.com/ClickHouse/"}},
		{"./../../producers/...", []string{module + "/consumers", module + "/analytics", module + "/internal", module + "/cmd", "github.com/ClickHouse/"}},
		{"./../../analytics/...", []string{module + "/consumers", module + "/producers", module + "/internal", module + "/cmd", "github.com/twmb/franz-go/pkg/kgo"}},
		{"./../../schemas/...", []string{module + "/consumers", module + "/producers", module + "/analytics", module + "/internal", "github.com/ClickHouse/", "github.com/twmb/franz-go/pkg/kgo"}},
	}
	for _, r := range rules {
		for pkg, ds := range deps(t, r.pattern) {
			for _, d := range ds {
				for _, f := range r.forbidden {
					if strings.HasPrefix(d, f) {
						t.Errorf("%s imports %s (directly or not): forbidden by the import direction in STYLE.md", pkg, d)
					}
				}
			}
		}
	}
}

// TestRuleCatchesViolation proves the rule can fail: consumers really does depend on kgo,
// so asking whether it reaches franz-go must say yes.
func TestRuleCatchesViolation(t *testing.T) {
	t.Parallel()
	found := false
	for _, ds := range deps(t, "./../../consumers") {
		for _, d := range ds {
			found = found || strings.HasPrefix(d, "github.com/twmb/franz-go/pkg/kgo")
		}
	}
	if !found {
		t.Fatal("go list -deps found no franz-go dependency in consumers: the check is blind")
	}
}
