package schemas_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/fault"
)

// FuzzDecodeManifest feeds arbitrary bytes to DecodeManifest. Invariants: it never panics;
// every error is poison; whatever decodes re-encodes, and decoding that again gives the same
// value (decode(encode(x)) == x on every decodable x).
func FuzzDecodeManifest(f *testing.F) {
	s := newTestSerde(f)
	for _, tt := range roundTripCases() {
		if b, err := tt.encode(s); err == nil {
			f.Add(b) // other records too: their ids must be refused
		}
	}
	f.Add([]byte{0, 0, 0, 0, 1})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := s.DecodeManifest(b)
		if err != nil {
			if !errors.Is(err, fault.ErrPoison) {
				t.Fatalf("decoding error is not poison: %v", err)
			}
			return
		}
		b2, err := s.EncodeManifest(m)
		if err != nil {
			t.Fatalf("re-encoding a decoded manifest: %v", err)
		}
		m2, err := s.DecodeManifest(b2)
		if err != nil {
			t.Fatalf("decoding a re-encoded manifest: %v", err)
		}
		if diff := cmp.Diff(m, m2); diff != "" {
			t.Fatalf("decode(encode(decode(b))) != decode(b) (-first +second):\n%s", diff)
		}
	})
}

// FuzzDecodeAlert is FuzzDecodeManifest for alerts, whose subject is a union of records.
func FuzzDecodeAlert(f *testing.F) {
	s := newTestSerde(f)
	for _, tt := range roundTripCases() {
		if b, err := tt.encode(s); err == nil {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := s.DecodeAlert(b)
		if err != nil {
			if !errors.Is(err, fault.ErrPoison) {
				t.Fatalf("decoding error is not poison: %v", err)
			}
			return
		}
		b2, err := s.EncodeAlert(a)
		if err != nil {
			t.Fatalf("re-encoding a decoded alert: %v", err)
		}
		a2, err := s.DecodeAlert(b2)
		if err != nil {
			t.Fatalf("decoding a re-encoded alert: %v", err)
		}
		if diff := cmp.Diff(a, a2); diff != "" {
			t.Fatalf("decode(encode(decode(b))) != decode(b) (-first +second):\n%s", diff)
		}
	})
}
