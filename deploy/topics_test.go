package deploy

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestDefaultTopics(t *testing.T) {
	t.Parallel()
	ts, err := DefaultTopics()
	if err != nil {
		t.Fatalf("DefaultTopics: %v", err)
	}
	for _, r := range requiredRoles {
		if slices.Contains(templateRoles, r) {
			if _, ok := ts.Template(r); !ok {
				t.Errorf("role %q has no template", r)
			}
			continue
		}
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
		{"template without countries", "topics:\n  - role: alerts.country\n    name: a.{country}.v1\n    partitions: 1\n    replication_factor: 1\n", "needs countries"},
		{"template with a bad country", "topics:\n  - role: alerts.country\n    name: a.{country}.v1\n    countries: [FRA, fr]\n    partitions: 1\n    replication_factor: 1\n", "countries[1]: want ISO 3166 alpha-3"},
		{"template with a country twice", "topics:\n  - role: alerts.country\n    name: a.{country}.v1\n    countries: [FRA, FRA]\n    partitions: 1\n    replication_factor: 1\n", "FRA listed twice"},
		{"template placeholder twice", "topics:\n  - role: alerts.country\n    name: a.{country}.{country}\n    countries: [FRA]\n    partitions: 1\n    replication_factor: 1\n", "once"},
		{"countries on a plain topic", "topics:\n  - role: alerts\n    name: a\n    countries: [FRA]\n    partitions: 1\n    replication_factor: 1\n", "only for a name with {country}"},
		{"per-country role declared plainly", "topics:\n  - role: alerts.country\n    name: a\n    partitions: 1\n    replication_factor: 1\n", "must be a per-country template"},
		{"illegal name", "topics:\n  - role: alerts\n    name: a b\n    partitions: 1\n    replication_factor: 1\n", "want letters, digits"},
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

func TestPerCountryTemplates(t *testing.T) {
	t.Parallel()
	ts, err := DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range ts.Names() {
		if strings.Contains(n, "{") {
			t.Errorf("DefaultTopics holds the template name %q: callers creating topics would create it", n)
		}
	}
	tmpl, ok := ts.Template(RoleAlertsCountry)
	if !ok {
		t.Fatal("no alerts.country template")
	}
	if tmpl.Name != "watchpost.alerts.{country}.v1" {
		t.Errorf("template name = %q", tmpl.Name)
	}
	if !slices.Contains(ts.Countries(RoleAlertsCountry), "FRA") {
		t.Errorf("FRA not declared up front: %v", ts.Countries(RoleAlertsCountry))
	}
	if ts.Name(RoleAlertsCountry) != "" {
		t.Errorf("Name(%s) = %q, want \"\": a per-country role has no single name", RoleAlertsCountry, ts.Name(RoleAlertsCountry))
	}
	if ts.Name(RoleAlerts) != "watchpost.alerts.v1" {
		t.Errorf("the all-alerts topic moved: %q", ts.Name(RoleAlerts))
	}

	tests := []struct {
		name, role, country, want string
		declared                  bool
	}{
		{"declared alert topic", RoleAlertsCountry, "FRA", "watchpost.alerts.FRA.v1", true},
		{"alert topic of an undeclared country", RoleAlertsCountry, "NOR", "watchpost.alerts.NOR.v1", false},
		{"owner notifications", RoleNotificationsOwner, "DEU", "watchpost.notifications.DEU.v1", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := ts.ForCountry(tt.role, tt.country)
			if err != nil {
				t.Fatal(err)
			}
			if got.Name != tt.want || got.Country != tt.country || got.Role != tt.role {
				t.Errorf("ForCountry = %+v, want name %s", got, tt.want)
			}
			if got.Partitions != tmplOf(t, ts, tt.role).Partitions || got.Config["retention.ms"] == "" {
				t.Errorf("ForCountry lost the template settings: %+v", got)
			}
			if declared := slices.Contains(ts.Names(), tt.want); declared != tt.declared {
				t.Errorf("%s declared = %v, want %v", tt.want, declared, tt.declared)
			}
		})
	}
	for _, bad := range []string{"", "fr", "FRANCE", "F.A", "../", "FR1"} {
		if _, err := ts.ForCountry(RoleAlertsCountry, bad); err == nil {
			t.Errorf("ForCountry(%q) accepted a country that is not alpha-3", bad)
		}
	}
	if _, err := ts.ForCountry(RoleAlerts, "FRA"); err == nil {
		t.Error("ForCountry on a role without a template succeeded")
	}

	suffixed := ts.WithSuffix("run1")
	got, err := suffixed.ForCountry(RoleAlertsCountry, "NOR")
	if err != nil {
		t.Fatal(err)
	}
	if got.Name != "watchpost.alerts.NOR.v1.run1" {
		t.Errorf("suffixed ForCountry = %q", got.Name)
	}
	if err := suffixed.Validate(); err != nil {
		t.Errorf("expanded, suffixed declaration does not validate: %v", err)
	}
	if diff := cmp.Diff(ts.Countries(RoleAlertsCountry), suffixed.Countries(RoleAlertsCountry)); diff != "" {
		t.Errorf("WithSuffix changed the countries: %s", diff)
	}
}

func tmplOf(t *testing.T, ts Topics, role string) Topic {
	t.Helper()
	tm, ok := ts.Template(role)
	if !ok {
		t.Fatalf("no template for %s", role)
	}
	return tm
}
