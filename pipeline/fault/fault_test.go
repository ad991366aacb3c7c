package fault_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/watchpost/watchpost/pipeline/fault"
)

func TestClass(t *testing.T) {
	t.Parallel()
	base := errors.New("boom")
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"poison", fault.Poison(base), "poison"},
		{"wrapped poison", fmt.Errorf("decoding: %w", fault.Poison(base)), "poison"},
		{"transient", fault.Transient(base), "transient"},
		{"unmarked", base, "fatal"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := fault.Class(tt.err); got != tt.want {
				t.Errorf("Class(%v) = %q, want %q", tt.err, got, tt.want)
			}
			if !errors.Is(tt.err, base) {
				t.Errorf("marking lost the cause: errors.Is(%v, base) = false", tt.err)
			}
		})
	}
	if fault.Poison(nil) != nil || fault.Transient(nil) != nil {
		t.Error("marking nil must stay nil")
	}
}
