// Package schemastest builds a schemas.Serde for tests without a schema registry: fixed
// schema ids for the newest version of every subject.
//
// It imports schemas and the standard library only; its functions are safe for concurrent use.
package schemastest

import (
	"testing"

	"github.com/watchpost/watchpost/schemas"
)

// IDs returns a fresh map of fixed schema ids: 1, 2, … for the newest version of each subject,
// in schemas.Subjects order. Callers may add ids for older versions (schemas.VersionKey).
func IDs() map[string]int {
	ids := map[string]int{}
	for i, s := range schemas.Subjects() {
		ids[s] = i + 1
	}
	return ids
}

// NewSerde returns a Serde on ids, or on IDs() when ids is nil, and fails tb if it cannot be
// built.
func NewSerde(tb testing.TB, ids map[string]int) *schemas.Serde {
	tb.Helper()
	if ids == nil {
		ids = IDs()
	}
	s, err := schemas.NewSerde(ids)
	if err != nil {
		tb.Fatalf("building a test serde: %v", err)
	}
	return s
}
