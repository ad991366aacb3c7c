// Package topics applies the topic declaration of package deploy to a Kafka cluster with kadm.
// It is used by `watchpost topics apply`, the embedded demo cluster and the tests.
package topics

import (
	"context"
	"errors"
	"fmt"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"

	"github.com/watchpost/watchpost/deploy"
)

// Result says what Apply did to one topic.
type Result struct {
	Name    string
	Created bool
	Grown   int32 // partitions added
}

// Apply creates every declared topic that is missing and grows any with fewer partitions than
// declared; it never deletes or shrinks. The replication factor is capped at the number of
// brokers, so the same declaration serves a one-broker test cluster and production.
// franz-go caches topic metadata per client for a few seconds: give Apply a client that has
// not just looked at these topics, or a second run may not see what the first created.
func Apply(ctx context.Context, adm *kadm.Client, ts deploy.Topics) ([]Result, error) {
	meta, err := adm.BrokerMetadata(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading broker metadata: %w", err)
	}
	brokers := int16(len(meta.Brokers))
	// Ask for the declared names: a listing of all topics is not needed, and an unknown name
	// comes back with an error instead of being absent.
	existing, err := adm.ListTopics(ctx, ts.Names()...)
	if err != nil {
		return nil, fmt.Errorf("listing topics: %w", err)
	}
	var results []Result
	var errs []error
	for _, t := range ts {
		if td, ok := existing[t.Name]; ok && td.Err == nil {
			r := Result{Name: t.Name}
			if have := int32(len(td.Partitions)); have < t.Partitions {
				resp, err := adm.UpdatePartitions(ctx, int(t.Partitions), t.Name)
				if err == nil {
					err = resp.Error()
				}
				if err != nil {
					errs = append(errs, fmt.Errorf("growing topic %s to %d partitions: %w", t.Name, t.Partitions, err))
					continue
				}
				r.Grown = t.Partitions - have
			}
			results = append(results, r)
			continue
		}
		rf := min(t.ReplicationFactor, brokers)
		cfg := make(map[string]*string, len(t.Config))
		for k, v := range t.Config {
			if k == "min.insync.replicas" && rf < 2 {
				continue // a single-broker cluster cannot honour it
			}
			cfg[k] = &v
		}
		resp, err := adm.CreateTopic(ctx, t.Partitions, rf, cfg, t.Name)
		if err == nil {
			err = resp.Err
		}
		if errors.Is(err, kerr.TopicAlreadyExists) {
			results = append(results, Result{Name: t.Name})
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("creating topic %s: %w", t.Name, err))
			continue
		}
		results = append(results, Result{Name: t.Name, Created: true})
	}
	return results, errors.Join(errs...)
}
