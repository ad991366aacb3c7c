package acl_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/acl"
)

const testDecl = `
manage: {resource_prefixes: ["watchpost.", "watchpost-"]}
roles:
  carrier: {write: ["manifests/{carrier}"]}
  controlroom: {read: ["alerts/{country}"], groups: ["watchpost-controlroom-{country}"]}
  matcher:
    read: ["manifests/*"]
    write: ["alerts/*"]
    groups: [watchpost-matcher]
    transactional_ids: ["watchpost-matcher-*"]
principals:
  - {user: carrier-AF, role: carrier, carrier: AF}
  - {user: carrier-LH, role: carrier, carrier: LH}
  - {user: controlroom-FRA, role: controlroom, country: FRA}
  - {user: matcher, role: matcher}
`

// kfakeCluster is a SASL cluster with ACLs enforced, a SCRAM super user "admin" and the users.
func kfakeCluster(t *testing.T, users ...string) (addrs []string, adm *kadm.Client) {
	t.Helper()
	opts := []kfake.Opt{kfake.NumBrokers(1), kfake.EnableSASL(), kfake.EnableACLs(), kfake.Superuser("SCRAM-SHA-512", "admin", "admin-pw")}
	for _, u := range users {
		opts = append(opts, kfake.User("SCRAM-SHA-512", u, u+"-pw"))
	}
	c, err := kfake.NewCluster(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c.ListenAddrs(), kadm.NewClient(userClient(t, c.ListenAddrs(), "admin", "admin-pw"))
}

func userClient(t *testing.T, addrs []string, user, pw string) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(addrs...), kgo.SASL(scram.Auth{User: user, Pass: pw}.AsSha512Mechanism()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func TestApply(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	addrs, adm := kfakeCluster(t, "carrier-AF", "carrier-LH")
	ts := defaultTopics(t)
	f, err := acl.Parse([]byte(testDecl))
	if err != nil {
		t.Fatal(err)
	}
	want, err := f.Bindings(ts)
	if err != nil {
		t.Fatal(err)
	}
	af := acl.QualifiedTopic(ts.Name(deploy.RoleManifests), "AF")
	lh := acl.QualifiedTopic(ts.Name(deploy.RoleManifests), "LH")
	if _, err := adm.CreateTopics(ctx, 1, 1, nil, af, lh); err != nil {
		t.Fatal(err)
	}
	// Before: a stray grant on a managed resource and a binding outside the managed scope.
	stray := kadm.NewACLs().Topics(lh).Allow("User:carrier-AF").Operations(kadm.OpWrite).ResourcePatternType(kadm.ACLPatternLiteral)
	foreign := kadm.NewACLs().Topics("billing.invoices").Allow("User:billing").Operations(kadm.OpRead).ResourcePatternType(kadm.ACLPatternLiteral)
	for _, b := range []*kadm.ACLBuilder{stray, foreign} {
		if res, err := adm.CreateACLs(ctx, b); err != nil || res[0].Err != nil {
			t.Fatalf("seeding ACLs: %v %v", err, res)
		}
	}

	// Dry run: the full plan, no change.
	p, err := acl.Apply(ctx, adm, f, ts, true)
	if err != nil {
		t.Fatalf("dry run: %v", err)
	}
	if len(p.Create) != len(want) || len(p.Delete) != 1 || p.Delete[0].Name != lh || len(p.Unchanged) != 0 {
		t.Fatalf("dry-run plan: %d create, delete %v, %d unchanged", len(p.Create), p.Delete, len(p.Unchanged))
	}
	if all, _ := acl.Describe(ctx, adm); len(all) != 2 {
		t.Fatalf("the dry run changed the cluster: %v", all)
	}

	// Apply, then the cluster holds exactly the declaration plus the foreign binding.
	if _, err := acl.Apply(ctx, adm, f, ts, false); err != nil {
		t.Fatalf("apply: %v", err)
	}
	all, err := acl.Describe(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	var managed []acl.Binding
	foreignKept := false
	for _, b := range all {
		if f.Manages(b) {
			managed = append(managed, b)
		}
		foreignKept = foreignKept || b.Name == "billing.invoices"
	}
	if !equal(managed, want) {
		t.Errorf("managed bindings after apply:\n%v\nwant\n%v", managed, want)
	}
	if !foreignKept {
		t.Error("apply deleted a binding outside its scope")
	}

	// Idempotent.
	p, err = acl.Apply(ctx, adm, f, ts, false)
	if err != nil || len(p.Create)+len(p.Delete) != 0 || len(p.Unchanged) != len(want) {
		t.Fatalf("second apply: %+v, %v", p, err)
	}

	// The grants are enforced: carrier AF writes its own input, not LH's.
	produce := func(user, topic string) error {
		cl := userClient(t, addrs, user, user+"-pw")
		return cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte("m")}).FirstErr()
	}
	if err := produce("carrier-AF", af); err != nil {
		t.Errorf("carrier-AF to its own topic: %v", err)
	}
	if err := produce("carrier-AF", lh); !errors.Is(err, kerr.TopicAuthorizationFailed) {
		t.Errorf("carrier-AF to LH's topic: %v, want TOPIC_AUTHORIZATION_FAILED", err)
	}

	// A principal dropped from the declaration loses its bindings, and only it.
	f2, err := acl.Parse([]byte(strings.Replace(testDecl, "  - {user: carrier-LH, role: carrier, carrier: LH}\n", "", 1)))
	if err != nil {
		t.Fatal(err)
	}
	p, err = acl.Apply(ctx, adm, f2, ts, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Create) != 0 || len(p.Delete) != 1 || p.Delete[0].Principal != "User:carrier-LH" {
		t.Fatalf("plan after dropping carrier-LH: %+v", p)
	}
	if err := produce("carrier-LH", lh); !errors.Is(err, kerr.TopicAuthorizationFailed) {
		t.Errorf("carrier-LH after removal: %v, want TOPIC_AUTHORIZATION_FAILED", err)
	}
}

// TestApplyRefusesInvalidDeclaration plans nothing when the declaration does not expand.
func TestApplyRefusesInvalidDeclaration(t *testing.T) {
	t.Parallel()
	_, adm := kfakeCluster(t)
	f, err := acl.Parse([]byte("manage: {resource_prefixes: [watchpost.]}\nroles: {r: {read: [vessels]}}\nprincipals: [{user: u, role: r}]"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := acl.Apply(t.Context(), adm, f, defaultTopics(t), false); err == nil {
		t.Fatal("Apply accepted a reference to an undeclared topic role")
	}
	if all, err := acl.Describe(t.Context(), adm); err != nil || len(all) != 0 {
		t.Fatalf("cluster changed: %v %v", all, err)
	}
}

// TestDescribeNeedsAuthority: a principal without cluster DESCRIBE cannot plan.
func TestDescribeNeedsAuthority(t *testing.T) {
	t.Parallel()
	addrs, _ := kfakeCluster(t, "carrier-AF")
	_, err := acl.Describe(t.Context(), kadm.NewClient(userClient(t, addrs, "carrier-AF", "carrier-AF-pw")))
	if !errors.Is(err, kerr.ClusterAuthorizationFailed) {
		t.Fatalf("got %v, want CLUSTER_AUTHORIZATION_FAILED", err)
	}
}

func equal(a, b []acl.Binding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
