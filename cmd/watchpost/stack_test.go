package main

import (
	"context"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"

	"github.com/watchpost/watchpost/consumers/consumerstest"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/embedded"
	"github.com/watchpost/watchpost/internal/topics"
)

// newStack starts kfake with every declared topic and an in-process schema registry, both
// stopped when the test ends, and returns the cluster and the registry's URL.
func newStack(t *testing.T) (*consumerstest.Cluster, string) {
	t.Helper()
	c := consumerstest.NewCluster(t, 1)
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	if _, err := topics.Apply(ctx, kadm.NewClient(c.Client(t)), ts); err != nil {
		t.Fatal(err)
	}
	reg, err := embedded.StartRegistry()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(reg.Close)
	return c, reg.URL
}
