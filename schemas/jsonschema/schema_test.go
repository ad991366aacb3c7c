package jsonschema

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/jsonmanifest"
)

type node struct {
	Properties map[string]*node `json:"properties"`
	Required   []string         `json:"required"`
	Items      *node            `json:"items"`
	Ref        string           `json:"$ref"`
}

// jsonFields returns the JSON names of a struct's fields and which are required (no omitempty).
func jsonFields(t reflect.Type) (all, required []string) {
	for i := range t.NumField() {
		tag := t.Field(i).Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		all = append(all, name)
		if !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	slices.Sort(all)
	slices.Sort(required)
	return all, required
}

func keys(m map[string]*node) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// TestSchemaMatchesDecoder keeps the published JSON Schema and the decoder's wire types one to
// one: the same properties, the same required ones, at every level.
func TestSchemaMatchesDecoder(t *testing.T) {
	t.Parallel()
	var doc struct {
		Defs map[string]*node `json:"$defs"`
	}
	if err := json.Unmarshal(Manifest, &doc); err != nil {
		t.Fatalf("manifest.schema.json: %v", err)
	}
	m := doc.Defs["manifest"]
	levels := []struct {
		name string
		n    *node
		typ  reflect.Type
	}{
		{"manifest", m, reflect.TypeFor[jsonmanifest.Message]()},
		{"leg", m.Properties["legs"].Items, reflect.TypeFor[jsonmanifest.Leg]()},
		{"traveller", m.Properties["travellers"].Items, reflect.TypeFor[jsonmanifest.Traveller]()},
		{"document", m.Properties["travellers"].Items.Properties["documents"].Items, reflect.TypeFor[jsonmanifest.Document]()},
	}
	for _, l := range levels {
		all, req := jsonFields(l.typ)
		if got := keys(l.n.Properties); !slices.Equal(got, all) {
			t.Errorf("%s: schema properties %v, decoder fields %v", l.name, got, all)
		}
		got := slices.Clone(l.n.Required)
		slices.Sort(got)
		if !slices.Equal(got, req) {
			t.Errorf("%s: schema requires %v, decoder requires %v", l.name, got, req)
		}
	}
}
