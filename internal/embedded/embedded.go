// Package embedded starts Watchpost's embedded defaults in-process: franz-go's kfake Kafka
// broker and franz-go's in-memory Confluent-compatible schema registry, both on loopback, with
// every declared topic created. `make demo` and the fast tests run on it.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr/srfake"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/topics"
)

// Stack is a running embedded Kafka broker (or a real one it was pointed at) and an
// in-process schema registry.
type Stack struct {
	Brokers     []string
	RegistryURL string

	cluster  *kfake.Cluster // nil on a real broker
	registry *Registry
}

// Start starts the embedded broker and registry and applies the topic declaration.
func Start(ctx context.Context, ts deploy.Topics) (*Stack, error) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		return nil, fmt.Errorf("starting embedded kafka: %w", err)
	}
	s, err := attach(ctx, cluster.ListenAddrs(), ts)
	if err != nil {
		cluster.Close()
		return nil, err
	}
	s.cluster = cluster
	return s, nil
}

// Attach starts only the in-process registry, for a real broker at brokers, and applies the
// topic declaration there.
func Attach(ctx context.Context, brokers []string, ts deploy.Topics) (*Stack, error) {
	return attach(ctx, brokers, ts)
}

func attach(ctx context.Context, brokers []string, ts deploy.Topics) (*Stack, error) {
	reg, err := StartRegistry()
	if err != nil {
		return nil, err
	}
	s := &Stack{Brokers: brokers, RegistryURL: reg.URL, registry: reg}
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...))
	if err != nil {
		reg.Close()
		return nil, fmt.Errorf("creating admin client: %w", err)
	}
	defer cl.Close()
	if _, err := topics.Apply(ctx, kadm.NewClient(cl), ts); err != nil {
		reg.Close()
		return nil, fmt.Errorf("creating topics: %w", err)
	}
	return s, nil
}

// Cluster exposes the kfake cluster for fault injection in tests; nil on a real broker.
func (s *Stack) Cluster() *kfake.Cluster { return s.cluster }

// Close stops the registry and the embedded broker.
func (s *Stack) Close() {
	s.registry.Close()
	if s.cluster != nil {
		s.cluster.Close()
	}
}

// Registry is franz-go's in-memory schema registry served on a loopback port.
type Registry struct {
	URL string
	srv *http.Server
}

// StartRegistry serves an empty in-memory registry on 127.0.0.1.
func StartRegistry() (*Registry, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the embedded schema registry: %w", err)
	}
	r := &Registry{URL: "http://" + ln.Addr().String(),
		srv: &http.Server{Handler: srfake.NewRegistry().Handler(), ReadHeaderTimeout: 5 * time.Second}}
	go func() { _ = r.srv.Serve(ln) }() // returns ErrServerClosed on Close
	return r, nil
}

// Close stops the registry.
func (r *Registry) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := r.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = r.srv.Close()
	}
}
