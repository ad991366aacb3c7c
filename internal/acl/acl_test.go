package acl_test

import (
	"strings"
	"testing"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/acl"
)

func defaultTopics(t *testing.T) deploy.Topics {
	t.Helper()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func TestQualifiedTopicAndFamily(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, qualifier, qualified, family string
	}{
		{"watchpost.alerts.v1", "FRA", "watchpost.alerts.FRA.v1", "watchpost.alerts."},
		{"watchpost.manifests.v1", "AF", "watchpost.manifests.AF.v1", "watchpost.manifests."},
		{"watchpost.reference.sltd.v1", "X", "watchpost.reference.sltd.X.v1", "watchpost.reference.sltd."},
		{"watchpost.alerts.v1.run7", "FRA", "watchpost.alerts.FRA.v1.run7", "watchpost.alerts."},
		{"watchpost.alerts.v2", "DEU", "watchpost.alerts.DEU.v2", "watchpost.alerts."},
		{"alerts", "FRA", "alerts.FRA", "alerts."},
		{"v1", "FRA", "v1.FRA", "v1."}, // a leading segment is a name, not a version
	}
	for _, tt := range tests {
		if got := acl.QualifiedTopic(tt.name, tt.qualifier); got != tt.qualified {
			t.Errorf("QualifiedTopic(%q, %q) = %q, want %q", tt.name, tt.qualifier, got, tt.qualified)
		}
		if got := acl.TopicFamily(tt.name); got != tt.family {
			t.Errorf("TopicFamily(%q) = %q, want %q", tt.name, got, tt.family)
		}
		if q := acl.QualifiedTopic(tt.name, tt.qualifier); !strings.HasPrefix(q, tt.family) {
			t.Errorf("%q is not covered by its family %q", q, tt.family)
		}
	}
}

// TestShippedDeclaration checks deploy/acls.yaml against deploy/topics.yaml and the promises
// of DESIGN.md §6: a carrier writes only its own input, a control room reads only its own
// country's alerts.
func TestShippedDeclaration(t *testing.T) {
	t.Parallel()
	f, err := acl.ParseFile("../../deploy/acls.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"", "run7"} {
		ts := defaultTopics(t)
		if suffix != "" {
			ts = ts.WithSuffix(suffix)
		}
		bs, err := f.Bindings(ts)
		if err != nil {
			t.Fatalf("suffix %q: %v", suffix, err)
		}
		has := func(principal string, op kadm.ACLOperation, typ kmsg.ACLResourceType, name string, pat kadm.ACLPattern) {
			t.Helper()
			for _, b := range bs {
				if b.Principal == principal && b.Operation == op && b.Type == typ && b.Name == name && b.Pattern == pat {
					return
				}
			}
			t.Errorf("suffix %q: no %s %s on %s %s %s", suffix, principal, op, pat, typ, name)
		}
		af := acl.QualifiedTopic(ts.Name(deploy.RoleManifests), "AF")
		fra := acl.QualifiedTopic(ts.Name(deploy.RoleAlerts), "FRA")
		has("User:carrier-AF", kadm.OpWrite, kmsg.ACLResourceTypeTopic, af, kadm.ACLPatternLiteral)
		has("User:controlroom-FRA", kadm.OpRead, kmsg.ACLResourceTypeTopic, fra, kadm.ACLPatternLiteral)
		has("User:controlroom-FRA", kadm.OpRead, kmsg.ACLResourceTypeGroup, "watchpost-controlroom-FRA", kadm.ACLPatternLiteral)
		has("User:matcher", kadm.OpRead, kmsg.ACLResourceTypeTopic, "watchpost.manifests.", kadm.ACLPatternPrefixed)
		has("User:matcher", kadm.OpWrite, kmsg.ACLResourceTypeTopic, "watchpost.alerts.", kadm.ACLPatternPrefixed)
		has("User:matcher", kadm.OpWrite, kmsg.ACLResourceTypeTopic, "watchpost.notifications.", kadm.ACLPatternPrefixed)
		has("User:matcher", kadm.OpRead, kmsg.ACLResourceTypeGroup, "watchpost-matcher", kadm.ACLPatternLiteral)
		has("User:matcher", kadm.OpWrite, kmsg.ACLResourceTypeTransactionalId, "watchpost-matcher-", kadm.ACLPatternPrefixed)
		// The gateway's partner checks: it follows SLTD and writes audit events and alerts.
		has("User:gateway", kadm.OpRead, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleReferenceSLTD), kadm.ACLPatternLiteral)
		has("User:gateway", kadm.OpWrite, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleAudit), kadm.ACLPatternLiteral)
		has("User:gateway", kadm.OpWrite, kmsg.ACLResourceTypeTopic, "watchpost.alerts.", kadm.ACLPatternPrefixed)
		has("User:gateway", kadm.OpWrite, kmsg.ACLResourceTypeTopic, "watchpost.notifications.", kadm.ACLPatternPrefixed)
		has("User:sink", kadm.OpRead, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleScreenings), kadm.ACLPatternLiteral)
		has("User:sink", kadm.OpWrite, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleDeadLetters), kadm.ACLPatternLiteral)
		has("User:loader", kadm.OpWrite, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleReferenceSLTD), kadm.ACLPatternLiteral)
		// A country's loader reads the reference topics to diff against them and writes in
		// transactions (lists load).
		has("User:loader-FRA", kadm.OpRead, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleReferenceFirearms), kadm.ACLPatternLiteral)
		has("User:loader-FRA", kadm.OpWrite, kmsg.ACLResourceTypeTopic, ts.Name(deploy.RoleReferenceSLTD), kadm.ACLPatternLiteral)
		has("User:loader-FRA", kadm.OpWrite, kmsg.ACLResourceTypeTransactionalId, "watchpost-loader-", kadm.ACLPatternPrefixed)
		for _, b := range bs {
			if b.Permission != kmsg.ACLPermissionTypeAllow || b.Host != "*" {
				t.Errorf("%s: want ALLOW from *", b)
			}
			user := strings.TrimPrefix(b.Principal, "User:")
			if code, ok := strings.CutPrefix(user, "carrier-"); ok {
				own := acl.QualifiedTopic(ts.Name(deploy.RoleManifests), code)
				if b.Operation != kadm.OpWrite || b.Type != kmsg.ACLResourceTypeTopic || b.Name != own || b.Pattern != kadm.ACLPatternLiteral {
					t.Errorf("carrier %s may do more than write its own input: %s", code, b)
				}
			}
			if country, ok := strings.CutPrefix(user, "controlroom-"); ok {
				ownTopic := acl.QualifiedTopic(ts.Name(deploy.RoleAlerts), country)
				ownGroup := "watchpost-controlroom-" + country
				if b.Operation != kadm.OpRead || b.Pattern != kadm.ACLPatternLiteral || (b.Name != ownTopic && b.Name != ownGroup) {
					t.Errorf("control room %s may do more than read its own alerts: %s", country, b)
				}
			}
		}
	}
}

func TestBindingsExpandReferences(t *testing.T) {
	t.Parallel()
	f, err := acl.Parse([]byte(`
manage: {resource_prefixes: [watchpost., watchpost-]}
roles:
  r:
    read: ["alerts", "alerts/{country}", "alerts/{country}*", "alerts/*", "manifests/{carrier}", "manifests/{user}", "manifests/XYZ"]
    write: ["alerts/{country}"]
    groups: ["watchpost-{country}", "watchpost-{carrier}-*"]
    transactional_ids: ["watchpost-{user}-*", "watchpost-fixed"]
principals:
  - {user: u1, role: r, carrier: AF, country: FRA}
`))
	if err != nil {
		t.Fatal(err)
	}
	bs, err := f.Bindings(defaultTopics(t))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, b := range bs {
		got = append(got, b.String())
	}
	want := []string{
		"ALLOW User:u1 READ on PREFIXED TOPIC watchpost.alerts. from *",
		"ALLOW User:u1 READ on PREFIXED TOPIC watchpost.alerts.FRA. from *",
		"ALLOW User:u1 READ on LITERAL TOPIC watchpost.alerts.FRA.v1 from *",
		"ALLOW User:u1 WRITE on LITERAL TOPIC watchpost.alerts.FRA.v1 from *",
		"ALLOW User:u1 READ on LITERAL TOPIC watchpost.alerts.v1 from *",
		"ALLOW User:u1 READ on LITERAL TOPIC watchpost.manifests.AF.v1 from *",
		"ALLOW User:u1 READ on LITERAL TOPIC watchpost.manifests.XYZ.v1 from *",
		"ALLOW User:u1 READ on LITERAL TOPIC watchpost.manifests.u1.v1 from *",
		"ALLOW User:u1 READ on PREFIXED GROUP watchpost-AF- from *",
		"ALLOW User:u1 READ on LITERAL GROUP watchpost-FRA from *",
		"ALLOW User:u1 WRITE on LITERAL TRANSACTIONAL_ID watchpost-fixed from *",
		"ALLOW User:u1 WRITE on PREFIXED TRANSACTIONAL_ID watchpost-u1- from *",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("bindings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseRejects(t *testing.T) {
	t.Parallel()
	const roles = "roles: {carrier: {write: [\"manifests/{carrier}\"]}}\n"
	const manage = "manage: {resource_prefixes: [watchpost.]}\n"
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown field", manage + roles + "principals: [{user: a, role: carrier, carrier: AF, colour: red}]", []string{"field colour not found"}},
		{"no prefixes", roles, []string{"manage.resource_prefixes: at least one prefix"}},
		{"bad prefix", "manage: {resource_prefixes: [\"w\", \"a b\"]}\n" + roles, []string{`resource_prefixes[0] "w"`, `resource_prefixes[1] "a b"`}},
		{"no roles", manage, []string{"roles: at least one role"}},
		{"empty role", manage + "roles: {nothing: {doc: x}}", []string{"roles.nothing: grants nothing"}},
		{"bad role name", manage + "roles: {Carrier: {write: [manifests]}}", []string{"roles.Carrier: role names"}},
		{"bad topic refs", manage + "roles: {r: {read: [\"Manifests\", \"manifests/{airline}\", \"manifests/a.b\", \"manifests/\"]}}",
			[]string{"roles.r.read[0]", "roles.r.read[1]", "roles.r.read[2]", "roles.r.read[3]"}},
		{"bad group names", manage + "roles: {r: {groups: [\"watchpost-{city}\", \"watchpost-AF*\", \"*\", \"a b\", \"watchpost-{carrier\"]}}",
			[]string{"unknown placeholder {city}", "a prefix must end in", `groups[2]`, `groups[3]`, "groups[4]"}},
		{"principal problems", manage + roles + `principals:
  - {user: "bad user", role: carrier, carrier: AF}
  - {user: carrier-af, role: carrier, carrier: af}
  - {user: carrier-af, role: carrier}
  - {user: x, role: nope}
  - {user: y, role: carrier, carrier: AF, country: France}`,
			[]string{`user "bad user"`, `carrier "af"`, "user declared twice", "uses {carrier}: carrier is required", `role "nope" is not declared`, `country "France"`}},
		{"country placeholder needs a country", manage + "roles: {cr: {read: [\"alerts/{country}\"]}}\nprincipals: [{user: cr-x, role: cr}]",
			[]string{"uses {country}: country is required"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := acl.Parse([]byte(tt.yaml))
			if err == nil {
				t.Fatal("Parse accepted it")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
}

func TestBindingsRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		yaml string
		want []string
	}{
		{"unknown topic role", "manage: {resource_prefixes: [watchpost.]}\nroles: {r: {read: [vessels, \"alerts/*\"]}}\nprincipals: [{user: u, role: r}]",
			[]string{`no topic with role "vessels"`}},
		{"outside the managed scope", "manage: {resource_prefixes: [watchpost.]}\nroles: {r: {read: [alerts], groups: [other-group]}}\nprincipals: [{user: u, role: r}]",
			[]string{"GROUP other-group is outside manage.resource_prefixes"}},
		{"illegal expanded topic", "manage: {resource_prefixes: [watchpost.]}\nroles: {r: {read: [\"alerts/{user}\"]}}\nprincipals: [{user: " + strings.Repeat("u", 250) + ", role: r}]",
			[]string{"is not a legal topic name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f, err := acl.Parse([]byte(tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			_, err = f.Bindings(defaultTopics(t))
			if err == nil {
				t.Fatal("Bindings accepted it")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}
	// A QUALIFIER* reference needs a version segment to stop the prefix at.
	f, err := acl.Parse([]byte("manage: {resource_prefixes: [plain]}\nroles: {r: {read: [\"alerts/{user}*\"]}}\nprincipals: [{user: u, role: r}]"))
	if err != nil {
		t.Fatal(err)
	}
	unversioned := deploy.Topics{{Role: "alerts", Name: "plainalerts"}}
	if _, err := f.Bindings(unversioned); err == nil || !strings.Contains(err.Error(), "no version segment") {
		t.Errorf("unversioned QUALIFIER*: %v", err)
	}
}

func TestDiff(t *testing.T) {
	t.Parallel()
	bind := func(user, name string, op kadm.ACLOperation) acl.Binding {
		return acl.Binding{Principal: "User:" + user, Host: "*", Type: kmsg.ACLResourceTypeTopic, Name: name,
			Pattern: kadm.ACLPatternLiteral, Operation: op, Permission: kmsg.ACLPermissionTypeAllow}
	}
	a := bind("a", "watchpost.x", kadm.OpRead)
	b := bind("b", "watchpost.y", kadm.OpWrite)
	c := bind("c", "watchpost.z", kadm.OpRead)
	foreign := bind("d", "other.topic", kadm.OpRead)
	deny := b
	deny.Permission = kmsg.ACLPermissionTypeDeny
	cluster := acl.Binding{Principal: "User:e", Host: "*", Type: kmsg.ACLResourceTypeCluster, Name: "kafka-cluster",
		Pattern: kadm.ACLPatternLiteral, Operation: kadm.OpAlter, Permission: kmsg.ACLPermissionTypeAllow}
	manages := func(x acl.Binding) bool {
		return x.Type == kmsg.ACLResourceTypeTopic && strings.HasPrefix(x.Name, "watchpost.")
	}
	tests := []struct {
		name                      string
		declared, current         []acl.Binding
		create, delete, unchanged []acl.Binding
	}{
		{"empty cluster", []acl.Binding{a, b}, nil, []acl.Binding{a, b}, nil, nil},
		{"in sync", []acl.Binding{a, b}, []acl.Binding{b, a}, nil, nil, []acl.Binding{a, b}},
		{"stale managed binding deleted", []acl.Binding{a}, []acl.Binding{a, c}, nil, []acl.Binding{c}, []acl.Binding{a}},
		{"unmanaged bindings kept", []acl.Binding{a}, []acl.Binding{a, foreign, cluster}, nil, nil, []acl.Binding{a}},
		{"a deny on a managed resource is deleted", []acl.Binding{b}, []acl.Binding{deny}, []acl.Binding{b}, []acl.Binding{deny}, nil},
		{"everything undeclared", nil, []acl.Binding{a, c, foreign}, nil, []acl.Binding{a, c}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			p := acl.Diff(tt.declared, tt.current, manages)
			check := func(what string, got, want []acl.Binding) {
				t.Helper()
				if len(got) != len(want) {
					t.Fatalf("%s: %v, want %v", what, got, want)
				}
				for i := range got {
					if got[i] != want[i] {
						t.Fatalf("%s: %v, want %v", what, got, want)
					}
				}
			}
			check("create", p.Create, tt.create)
			check("delete", p.Delete, tt.delete)
			check("unchanged", p.Unchanged, tt.unchanged)
		})
	}
}
