package gateway

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/normalize"
)

// checkMessages are every problem message decodeCheck may give, digits written as N. A
// message outside the set could quote the body: add it here only once it cannot.
var checkMessages = map[string]bool{
	"required": true, "at most N bytes": true, "holds no letter or digit": true,
	"want an ICAO document code: a letter, optionally followed by a letter or digit (P, PM, I, ID, V)": true,
	"want ISO N alpha-N as on travel documents":                                                        true,
	"malformed JSON at column N":                                                                       true, "malformed JSON": true, "the JSON ends before the object does": true,
	"the body holds no JSON value": true, "unknown field": true, "unexpected data after the check object, at column N": true,
	"want a JSON string": true, "want a JSON object": true, "want a JSON number": true, "want a JSON boolean": true,
	"want a JSON array": true, "want a JSON value": true,
}

var digitRun = regexp.MustCompile(`[0-9]+`)

// FuzzDecodeCheck: decoding a check never panics. A body that is not a check request yields
// exactly one problem. Every problem's message is one of checkMessages (so none quotes a
// value), and its field is one of the request's fields or a key of the body. An accepted
// document is canonical — a number of at most 64 bytes holding a letter or digit, an ICAO
// code, an alpha-3 issuer — and decoding it again yields it unchanged (idempotent).
func FuzzDecodeCheck(f *testing.F) {
	for _, s := range []string{
		`{"document_number":"C01X00T47","document_type":"P","issuing_country":"DEU"}`,
		`{"document_number":" c01x 00t-47 ","document_type":"p<","issuing_country":"d"}`,
		`{"document_number":"--","document_type":"PASSPORT","issuing_country":"Germany"}`,
		`{"document_number":12}`, `{"x":"y"}`, `{} {}`, `[]`, `null`, "{\n\"document_number\": \"A\",\n", `"ÄÖÜ"`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		doc, errs := decodeCheck(body)
		if doc == nil && len(errs) != 1 {
			t.Fatalf("not a check but %d problems", len(errs))
		}
		var keys map[string]json.RawMessage
		_ = json.Unmarshal(body, &keys) // best effort: the keys a problem may name
		for _, e := range errs {
			if msg := digitRun.ReplaceAllString(e.Message, "N"); !checkMessages[msg] {
				t.Fatalf("problem message %q is not a known one: it may quote the body", e.Message)
			}
			switch e.Field {
			case "", "document_number", "document_type", "issuing_country":
			default:
				if _, ok := keys[e.Field]; !ok && !strings.Contains(string(body), e.Field) {
					t.Fatalf("problem names field %q, which is not a key of the body", e.Field)
				}
			}
		}
		if doc == nil || len(errs) > 0 {
			return
		}
		if len(doc.Number) > maxDocumentNumber || normalize.DocNumber(doc.Number) == "" || !docCode.MatchString(doc.Type) || !countryCode.MatchString(doc.Issuer) {
			t.Fatalf("accepted a document that is not canonical: number of %d bytes, type %q, issuer %q", len(doc.Number), doc.Type, doc.Issuer)
		}
		again, errs := decodeCheck(mustMarshal(t, checkWire{DocumentNumber: doc.Number, DocumentType: doc.Type, IssuingCountry: doc.Issuer}))
		if len(errs) > 0 || again == nil || *again != *doc {
			t.Fatalf("decoding the accepted document again gives %+v, %v", again, errs)
		}
	})
}

func mustMarshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
