package schemas_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/linkedin/goavro/v2"
	"github.com/twmb/franz-go/pkg/sr"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/schemas"
)

func newRegistry(t *testing.T) (*srfake.Registry, *sr.Client) {
	t.Helper()
	reg := srfake.New()
	t.Cleanup(reg.Close)
	cl, err := sr.NewClient(sr.URLs(reg.URL()))
	if err != nil {
		t.Fatal(err)
	}
	return reg, cl
}

func TestRegister(t *testing.T) {
	t.Parallel()
	reg, cl := newRegistry(t)
	first, err := schemas.Register(t.Context(), cl)
	if err != nil {
		t.Fatalf("Register: %v", err)
	}
	ids := first.IDs()
	if len(ids) != len(schemas.Subjects()) {
		t.Fatalf("IDs() has %d subjects, want %d", len(ids), len(schemas.Subjects()))
	}
	seen := map[int]string{}
	for subject, id := range ids {
		if other, dup := seen[id]; dup {
			t.Errorf("subjects %s and %s share id %d", subject, other, id)
		}
		seen[id] = subject
		if !reg.SubjectExists(subject) {
			t.Errorf("subject %s not registered", subject)
		}
		got, err := cl.SchemaByID(t.Context(), id)
		if err != nil {
			t.Fatalf("SchemaByID(%d): %v", id, err)
		}
		vs := schemas.Versions(subject)
		if want, _ := schemas.Schema(subject, vs[len(vs)-1]); !sameJSON(t, got.Schema, want) {
			t.Errorf("registry holds another schema under id %d for %s", id, subject)
		}
	}

	second, err := schemas.Register(t.Context(), cl)
	if err != nil {
		t.Fatalf("Register again: %v", err)
	}
	if diff := cmp.Diff(ids, second.IDs()); diff != "" {
		t.Errorf("registering twice changed the ids (-first +second):\n%s", diff)
	}
	for _, subject := range schemas.Subjects() {
		vs, err := cl.SubjectVersions(t.Context(), subject)
		if err != nil {
			t.Fatal(err)
		}
		if want := len(schemas.Versions(subject)); len(vs) != want {
			t.Errorf("%s has versions %v after registering twice, want %d (one per shipped version)", subject, vs, want)
		}
	}

	// The two serdes interoperate.
	m := fixtureManifest()
	b, err := first.EncodeManifest(m)
	if err != nil {
		t.Fatal(err)
	}
	got, err := second.DecodeManifest(b)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(m, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}

func sameJSON(t *testing.T, a, b string) bool {
	t.Helper()
	var x, y any
	if err := json.Unmarshal([]byte(a), &x); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(b), &y); err != nil {
		t.Fatal(err)
	}
	return cmp.Equal(x, y)
}

// editSchema returns the shipped schema of subject with edit applied to its decoded JSON.
func editSchema(t *testing.T, subject string, edit func(top map[string]any)) string {
	t.Helper()
	text, ok := schemas.Schema(subject, 1)
	if !ok {
		t.Fatalf("no schema for %s", subject)
	}
	var top map[string]any
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		t.Fatal(err)
	}
	edit(top)
	out, err := json.Marshal(top)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// writeWith encodes native with a writer schema text under id, as another producer would.
func writeWith(t *testing.T, text string, id int, native map[string]any) []byte {
	t.Helper()
	codec, err := goavro.NewCodec(text)
	if err != nil {
		t.Fatalf("building writer codec: %v", err)
	}
	var h sr.ConfluentHeader
	b, _ := h.AppendEncode(nil, id, nil)
	b, err = codec.BinaryFromNative(b, native)
	if err != nil {
		t.Fatalf("encoding with writer schema: %v", err)
	}
	return b
}

func fields(top map[string]any) []any { return top["fields"].([]any) }

// TestDecodeOtherWriterVersions registers versions of the manifest that this build does not
// ship, as a newer (or broken) producer would, and decodes their messages.
func TestDecodeOtherWriterVersions(t *testing.T) {
	t.Parallel()
	reg, cl := newRegistry(t)
	old, err := schemas.Register(t.Context(), cl)
	if err != nil {
		t.Fatal(err)
	}

	// v2: a new optional field at the top and inside Person, and the optional received_at
	// dropped. Backward compatible: a v1 reader maps by name and ignores the extras.
	v2 := editSchema(t, schemas.SubjectManifest, func(top map[string]any) {
		fs := fields(top)
		fs = fs[:len(fs)-1] // drop received_at
		fs = append(fs, map[string]any{"name": "booking_ref", "type": []any{"null", "string"}, "default": nil})
		top["fields"] = fs
		person := fs[5].(map[string]any)["type"].(map[string]any)["items"].(map[string]any)["fields"].([]any)[1].(map[string]any)["type"].(map[string]any)
		person["fields"] = append(person["fields"].([]any), map[string]any{"name": "place_of_birth", "type": []any{"null", "string"}, "default": nil})
	})
	v2ID, _, err := reg.RegisterSchema(schemas.SubjectManifest, sr.Schema{Schema: v2, Type: sr.TypeAvro})
	if err != nil {
		t.Fatal(err)
	}
	// A broken writer without the required carrier (srfake does not check compatibility).
	noCarrier := editSchema(t, schemas.SubjectManifest, func(top map[string]any) {
		top["fields"] = append(fields(top)[:1:1], fields(top)[2:]...)
	})
	noCarrierID, _, err := reg.RegisterSchema(schemas.SubjectManifest, sr.Schema{Schema: noCarrier, Type: sr.TypeAvro})
	if err != nil {
		t.Fatal(err)
	}

	s, err := schemas.Register(t.Context(), cl)
	if err != nil {
		t.Fatalf("Register with foreign versions present: %v", err)
	}
	if diff := cmp.Diff(old.IDs(), s.IDs()); diff != "" {
		t.Errorf("foreign versions changed the encoding ids:\n%s", diff)
	}

	person := map[string]any{
		"surname": map[string]any{"string": "Łukasiewicz"}, "given_names": nil, "birth_date": map[string]any{"string": "1978-11"},
		"sex": nil, "nationality": map[string]any{"string": "POL"}, "place_of_birth": map[string]any{"string": "Kraków"},
		"documents": []any{map[string]any{"type": map[string]any{"string": "P"}, "number": map[string]any{"string": "EA1234567"}, "issuer": nil, "expiry": nil}},
	}
	b := writeWith(t, v2, v2ID, map[string]any{
		"id": "m-v2", "carrier": "LO", "flight": "LO0281", "country": "POL", "legs": []any{},
		"travellers":  []any{map[string]any{"role": "crew", "person": person}},
		"booking_ref": map[string]any{"string": "ABC123"},
	})
	got, err := s.DecodeManifest(b)
	if err != nil {
		t.Fatalf("decoding a v2 message: %v", err)
	}
	want := &event.Manifest{ID: "m-v2", Carrier: "LO", Flight: "LO0281", Country: "POL", Travellers: []event.Traveller{{
		Role: event.RoleCrew, Person: event.Person{Surname: "Łukasiewicz", BirthDate: event.Date{Year: 1978, Month: 11}, Nationality: "POL",
			Documents: []event.Document{{Type: "P", Number: "EA1234567"}}},
	}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("v2 message (-want +got):\n%s", diff)
	}
	if _, err := old.DecodeManifest(b); !isPoison(err) || !strings.Contains(err.Error(), "unknown schema id") {
		t.Errorf("a serde that never learnt v2: err = %v, want poison unknown schema id", err)
	}

	b = writeWith(t, noCarrier, noCarrierID, map[string]any{
		"id": "m-3", "flight": "LO0281", "country": "POL", "legs": []any{}, "travellers": []any{}, "received_at": nil,
	})
	_, err = s.DecodeManifest(b)
	if !isPoison(err) || !strings.Contains(err.Error(), "carrier: required field missing") {
		t.Errorf("writer without a required field: err = %v, want poison naming carrier", err)
	}
}

func TestRegisterRejectsForeignRecordUnderSubject(t *testing.T) {
	t.Parallel()
	reg, cl := newRegistry(t)
	other := `{"type":"record","name":"Other","namespace":"x","fields":[{"name":"a","type":"string"}]}`
	if _, _, err := reg.RegisterSchema(schemas.SubjectCrossing, sr.Schema{Schema: other, Type: sr.TypeAvro}); err != nil {
		t.Fatal(err)
	}
	_, err := schemas.Register(t.Context(), cl)
	if err == nil || !strings.Contains(err.Error(), "want watchpost.v1.Crossing") {
		t.Errorf("Register = %v, want an error naming the foreign record", err)
	}
}
