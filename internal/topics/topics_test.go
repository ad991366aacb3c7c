package topics_test

import (
	"testing"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/topics"
)

func TestApplyCreatesIsIdempotentAndGrows(t *testing.T) {
	t.Parallel()
	c := consumerstest.NewCluster(t, 1)
	// franz-go caches metadata per client for a few seconds, so every step uses a fresh admin
	// client, as separate `watchpost topics apply` runs would.
	adm := c.Admin(t)
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	res, err := topics.Apply(t.Context(), adm, ts)
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	for _, r := range res {
		if !r.Created {
			t.Errorf("%s not created on an empty cluster", r.Name)
		}
	}
	listed, err := c.Admin(t).ListTopics(t.Context(), ts.Names()...)
	if err != nil {
		t.Fatal(err)
	}
	for _, tp := range ts {
		td, ok := listed[tp.Name]
		if !ok {
			t.Fatalf("%s missing after Apply; listed %v", tp.Name, listed.Names())
		}
		if got := int32(len(td.Partitions)); got != tp.Partitions {
			t.Errorf("%s has %d partitions, want %d (err %v)", tp.Name, got, tp.Partitions, td.Err)
		}
	}
	cfgs, err := c.Admin(t).DescribeTopicConfigs(t.Context(), ts.Name(deploy.RoleReferenceSLTD))
	if err != nil {
		t.Fatal(err)
	}
	rc, err := cfgs.On(ts.Name(deploy.RoleReferenceSLTD), nil)
	if err != nil {
		t.Fatal(err)
	}
	compacted := false
	for _, kv := range rc.Configs {
		compacted = compacted || (kv.Key == "cleanup.policy" && kv.MaybeValue() == "compact")
	}
	if !compacted {
		t.Error("reference topic is not compacted")
	}

	// Second run: nothing created. Then a declaration with more partitions grows the topic.
	res, err = topics.Apply(t.Context(), c.Admin(t), ts)
	if err != nil {
		t.Fatalf("second Apply: %v", err)
	}
	for _, r := range res {
		if r.Created || r.Grown != 0 {
			t.Errorf("second Apply changed %s: %+v", r.Name, r)
		}
	}
	grown := append(deploy.Topics(nil), ts...)
	grown[0].Partitions += 2
	res, err = topics.Apply(t.Context(), c.Admin(t), grown)
	if err != nil {
		t.Fatalf("growing: %v", err)
	}
	if res[0].Grown != 2 {
		t.Errorf("grown by %d, want 2", res[0].Grown)
	}
}
