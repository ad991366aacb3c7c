package event

import (
	"strings"
	"testing"
)

func TestAccessPermits(t *testing.T) {
	tests := []struct {
		name           string
		a              Access
		country, owner string
		want           bool
	}{
		{"unrestricted", Access{}, "FRA", "DEU", true},
		{"unrestricted, unknown country", Access{}, "", "DEU", true},
		{"restricted from the screening country", Access{RestrictedFrom: []string{"FRA"}}, "FRA", "DEU", false},
		{"restricted from another country", Access{RestrictedFrom: []string{"ITA"}}, "FRA", "DEU", true},
		{"restricted to the screening country", Access{RestrictedTo: []string{"FRA"}}, "FRA", "DEU", true},
		{"restricted to other countries", Access{RestrictedTo: []string{"ITA", "ESP"}}, "FRA", "DEU", false},
		{"the owner always sees its record", Access{RestrictedFrom: []string{"DEU"}, RestrictedTo: []string{"ITA"}}, "DEU", "DEU", true},
		{"from wins over to", Access{RestrictedFrom: []string{"FRA"}, RestrictedTo: []string{"FRA"}}, "FRA", "DEU", false},
		{"unknown country, restricted record", Access{RestrictedFrom: []string{"ITA"}}, "", "DEU", false},
		{"unknown country and owner", Access{RestrictedTo: []string{"ITA"}}, "", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.a.Permits(tt.country, tt.owner); got != tt.want {
				t.Errorf("Permits(%q, %q) = %v, want %v", tt.country, tt.owner, got, tt.want)
			}
		})
	}
}

func TestAccessValidate(t *testing.T) {
	if err := (Access{RestrictedFrom: []string{"FRA"}, RestrictedTo: []string{"DEU", "ITA"}}).Validate(); err != nil {
		t.Errorf("valid access: %v", err)
	}
	err := Access{RestrictedFrom: []string{"fr"}, RestrictedTo: []string{"DEU", "I1A"}}.Validate()
	if err == nil {
		t.Fatal("invalid access: no error")
	}
	for _, want := range []string{"restricted_from[0]", "restricted_to[1]"} {
		if !contains(err.Error(), want) {
			t.Errorf("error %q does not name %s", err, want)
		}
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
