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

// Stack is a running embedded Kafka broker and schema registry.
type Stack struct {
	Brokers     []string
	RegistryURL string

	cluster *kfake.Cluster
	srv     *http.Server
	ln      net.Listener
}

// Start starts the broker and registry and applies the topic declaration.
func Start(ctx context.Context, ts deploy.Topics) (*Stack, error) {
	cluster, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		return nil, fmt.Errorf("starting embedded kafka: %w", err)
	}
	s := &Stack{Brokers: cluster.ListenAddrs(), cluster: cluster}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		cluster.Close()
		return nil, fmt.Errorf("listening for the embedded schema registry: %w", err)
	}
	s.ln = ln
	s.srv = &http.Server{Handler: srfake.NewRegistry().Handler(), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = s.srv.Serve(ln) }() // returns ErrServerClosed on Close
	s.RegistryURL = "http://" + ln.Addr().String()

	cl, err := kgo.NewClient(kgo.SeedBrokers(s.Brokers...))
	if err != nil {
		s.Close()
		return nil, fmt.Errorf("creating admin client: %w", err)
	}
	defer cl.Close()
	if _, err := topics.Apply(ctx, kadm.NewClient(cl), ts); err != nil {
		s.Close()
		return nil, fmt.Errorf("creating topics: %w", err)
	}
	return s, nil
}

// Cluster exposes the kfake cluster for fault injection in tests.
func (s *Stack) Cluster() *kfake.Cluster { return s.cluster }

// Close stops the registry and the broker.
func (s *Stack) Close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		_ = s.srv.Close()
	}
	s.cluster.Close()
}
