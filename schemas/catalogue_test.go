package schemas

import (
	"encoding/json"
	"path"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestCatalogueCoversEveryFile checks that every embedded .avsc is a listed version of a
// record, so no schema is shipped without being registered and decodable.
func TestCatalogueCoversEveryFile(t *testing.T) {
	t.Parallel()
	c, err := loadedCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	listed := map[string]bool{}
	for k := range catalogue {
		for _, sc := range c.schemas[k] {
			listed[catalogue[k].file+".v"+strconv.Itoa(sc.version)+".avsc"] = true
		}
	}
	entries, err := avscFS.ReadDir("avro")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if !listed[e.Name()] {
			t.Errorf("avro/%s is not a version in the catalogue", e.Name())
		}
	}
	if len(entries) != len(listed) {
		t.Errorf("%d files, %d catalogue versions", len(entries), len(listed))
	}
}

// TestNamedTypesAgree checks that a named type defined in several schema files (Person,
// Context, Role, ...) is defined identically in the newest version of every record, so
// consumers see one type. Older versions are frozen as they shipped.
func TestNamedTypesAgree(t *testing.T) {
	t.Parallel()
	defs := map[string]any{}     // full name -> definition
	where := map[string]string{} // full name -> first file
	entries, err := avscFS.ReadDir("avro")
	if err != nil {
		t.Fatal(err)
	}
	newest := map[string]string{} // record file stem -> its newest version's file name
	for _, e := range entries {
		stem, _, _ := strings.Cut(e.Name(), ".v")
		if prev, ok := newest[stem]; !ok || versionOf(e.Name()) > versionOf(prev) {
			newest[stem] = e.Name()
		}
	}
	for _, e := range entries {
		if stem, _, _ := strings.Cut(e.Name(), ".v"); newest[stem] != e.Name() {
			continue
		}
		b, err := avscFS.ReadFile(path.Join("avro", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		var top any
		if err := json.Unmarshal(b, &top); err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		var walk func(v any, ns string)
		walk = func(v any, ns string) {
			switch x := v.(type) {
			case []any:
				for _, y := range x {
					walk(y, ns)
				}
			case map[string]any:
				if name, ok := x["name"].(string); ok && (x["type"] == "record" || x["type"] == "enum") {
					if n, ok := x["namespace"].(string); ok {
						ns = n
					}
					full := name
					if !strings.Contains(name, ".") {
						full = ns + "." + name
					}
					def := withoutNamespace(x)
					if prev, ok := defs[full]; ok {
						if diff := cmp.Diff(prev, def); diff != "" {
							t.Errorf("%s in %s differs from %s (-first +here):\n%s", full, e.Name(), where[full], diff)
						}
					} else {
						defs[full], where[full] = def, e.Name()
					}
				}
				if f, ok := x["fields"]; ok {
					walk(f, ns)
				}
				for _, k := range []string{"type", "items"} {
					if sub, ok := x[k]; ok {
						walk(sub, ns)
					}
				}
			}
		}
		walk(top, "")
	}
	for _, name := range []string{"watchpost.v1.Person", "watchpost.v1.Document", "watchpost.v1.Context", "watchpost.v1.Role", "watchpost.v1.SubjectKind"} {
		if _, ok := defs[name]; !ok {
			t.Errorf("named type %s not found", name)
		}
	}
}

func withoutNamespace(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if k != "namespace" {
			out[k] = v
		}
	}
	return out
}

// TestEveryFieldHasDoc checks that records and fields carry doc, and that optional fields
// are unions with null and default null.
func TestEveryFieldHasDoc(t *testing.T) {
	t.Parallel()
	entries, err := avscFS.ReadDir("avro")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, _ := avscFS.ReadFile(path.Join("avro", e.Name()))
		var top any
		if err := json.Unmarshal(b, &top); err != nil {
			t.Fatal(err)
		}
		var walk func(v any, at string)
		walk = func(v any, at string) {
			switch x := v.(type) {
			case []any:
				for _, y := range x {
					walk(y, at)
				}
			case map[string]any:
				if x["type"] == "record" || x["type"] == "enum" {
					if d, _ := x["doc"].(string); d == "" {
						t.Errorf("%s: %s %v has no doc", e.Name(), x["type"], x["name"])
					}
				}
				if fs, ok := x["fields"].([]any); ok {
					for _, f := range fs {
						fm := f.(map[string]any)
						name := at + "." + fm["name"].(string)
						if d, _ := fm["doc"].(string); d == "" {
							t.Errorf("%s: field %s has no doc", e.Name(), name)
						}
						if u, ok := fm["type"].([]any); ok && len(u) > 0 && u[0] == "null" {
							if d, ok := fm["default"]; !ok || d != nil {
								t.Errorf("%s: optional field %s lacks default null", e.Name(), name)
							}
						}
						walk(fm["type"], name)
					}
				}
				if items, ok := x["items"]; ok {
					walk(items, at)
				}
			}
		}
		walk(top, strings.TrimSuffix(e.Name(), ".avsc"))
	}
}

func TestUnwrap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name       string
		in         any
		wantBranch string
		wantUnion  bool
	}{
		{"string branch", map[string]any{"string": "x"}, "string", true},
		{"timestamp branch", map[string]any{"long.timestamp-micros": int64(1)}, "long.timestamp-micros", true},
		{"record branch", map[string]any{"watchpost.v1.Person": map[string]any{}}, "watchpost.v1.Person", true},
		{"record with one field", map[string]any{"surname": "x"}, "", false},
		{"record", map[string]any{"id": "x", "kind": "person"}, "", false},
		{"plain", "x", "", false},
		{"null", nil, "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			branch, v := unwrap(tt.in)
			if branch != tt.wantBranch {
				t.Errorf("branch = %q, want %q", branch, tt.wantBranch)
			}
			if union := branch != ""; union != tt.wantUnion {
				t.Errorf("union = %v, want %v", union, tt.wantUnion)
			}
			if !tt.wantUnion && !cmp.Equal(v, tt.in) {
				t.Errorf("non-union value changed")
			}
		})
	}
}

func TestLocString(t *testing.T) {
	t.Parallel()
	l := root.elem("travellers", 3).at("person").elem("documents", 0).at("expiry")
	if got, want := l.String(), "travellers[3].person.documents[0].expiry"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := root.at("id").String(); got != "id" {
		t.Errorf("String() = %q, want id", got)
	}
}

// versionOf returns the N of a schema file name stem.vN.avsc.
func versionOf(name string) int {
	_, v, _ := strings.Cut(strings.TrimSuffix(name, ".avsc"), ".v")
	n, _ := strconv.Atoi(v)
	return n
}
