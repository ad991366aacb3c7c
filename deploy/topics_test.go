package deploy

import (
	"strings"
	"testing"
)

func TestDefaultTopics(t *testing.T) {
	t.Parallel()
	ts, err := DefaultTopics()
	if err != nil {
		t.Fatalf("DefaultTopics: %v", err)
	}
	for _, r := range requiredRoles {
		if ts.Name(r) == "" {
			t.Errorf("role %q has no topic", r)
		}
	}
	if !ts[2].Compacted() {
		t.Errorf("%s: want compacted", ts[2].Name)
	}
}

func TestParseTopicsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown field", "topics:\n  - role: manifests\n    nme: x\n", "field nme not found"},
		{"missing roles", "topics:\n  - role: manifests\n    name: a\n    partitions: 1\n    replication_factor: 1\n", `role "alerts" is missing`},
		{"reference not compacted", "topics:\n  - role: reference.sltd\n    name: a\n    partitions: 1\n    replication_factor: 1\n", "must be compacted"},
		{"zero partitions", "topics:\n  - role: alerts\n    name: a\n    partitions: 0\n    replication_factor: 1\n", "partitions must be at least 1"},
		{"duplicate name", "topics:\n  - role: alerts\n    name: a\n    partitions: 1\n    replication_factor: 1\n  - role: screenings\n    name: a\n    partitions: 1\n    replication_factor: 1\n", "declared twice"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := ParseTopics([]byte(tt.yaml))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("ParseTopics error = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}
