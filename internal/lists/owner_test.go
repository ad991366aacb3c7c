package lists

import (
	"strings"
	"testing"

	"github.com/watchpost/watchpost/internal/acl"
)

// TestOwner resolves the loader's owner against the shipped ACL declaration.
func TestOwner(t *testing.T) {
	t.Parallel()
	decl, err := acl.ParseFile("../../deploy/acls.yaml")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, user, flag string
		want, wantErr    string
	}{
		{"credentials name the owner", "loader-FRA", "", "FRA", ""},
		{"flag agreeing", "loader-DEU", "DEU", "DEU", ""},
		{"flag disagreeing", "loader-FRA", "DEU", "", "--owner DEU disagrees with SASL user loader-FRA, which loads for FRA"},
		{"shared loader has no country", "loader", "FRA", "", "SASL user loader has no country"},
		{"not a loader", "matcher", "FRA", "", "SASL user matcher has role matcher, not loader"},
		{"unknown user", "loader-ITA", "", "", "SASL user loader-ITA is not a principal"},
		{"no security: flag", "", "ITA", "ITA", ""},
		{"no security, no flag", "", "", "", "--owner is required"},
		{"bad flag", "", "fra", "", "--owner: want an upper-case"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := Owner(decl, tt.user, tt.flag)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Owner = %q, %v; want an error containing %q", got, err, tt.wantErr)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("Owner = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
	if _, err := Owner(nil, "loader-FRA", ""); err == nil {
		t.Error("a SASL user without a declaration was accepted")
	}
}
