package app

import (
	"context"
	"fmt"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sr"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/producers"
	"github.com/watchpost/watchpost/schemas"
)

// Kafka is how every service reaches the cluster and the schema registry.
type Kafka struct {
	Brokers     []string
	RegistryURL string
	Topics      deploy.Topics
	Opts        []kgo.Opt // TLS, SASL (internal/kafkasec), logging hooks
}

// Serde registers the schemas with the registry and returns the serde.
func (k Kafka) Serde(ctx context.Context) (*schemas.Serde, error) {
	cl, err := sr.NewClient(sr.URLs(k.RegistryURL))
	if err != nil {
		return nil, fmt.Errorf("creating schema registry client: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	s, err := schemas.Register(ctx, cl)
	if err != nil {
		return nil, fmt.Errorf("registering schemas: %w", err)
	}
	return s, nil
}

// Client returns a plain client (admin, ad-hoc reads) seeded with the brokers and carrying the
// security options.
func (k Kafka) Client(extra ...kgo.Opt) (*kgo.Client, error) {
	opts := append([]kgo.Opt{kgo.SeedBrokers(k.Brokers...)}, k.Opts...)
	cl, err := kgo.NewClient(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("creating Kafka client: %w", err)
	}
	return cl, nil
}

// Producer returns a client with the producer options every Watchpost producer uses.
func (k Kafka) Producer(extra ...kgo.Opt) (*kgo.Client, error) {
	opts := append(append([]kgo.Opt{kgo.SeedBrokers(k.Brokers...)}, producers.ProducerOpts()...), k.Opts...)
	cl, err := kgo.NewClient(append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("creating producer client: %w", err)
	}
	return cl, nil
}

// ProduceLists writes every record of set to its reference topic, keyed by record id.
func ProduceLists(ctx context.Context, cl *kgo.Client, serde *schemas.Serde, ts deploy.Topics, set *watchlist.Set) error {
	recs := make([]*kgo.Record, 0, len(set.Documents)+len(set.Notices))
	for i := range set.Documents {
		b, err := serde.EncodeSLTDRecord(&set.Documents[i])
		if err != nil {
			return fmt.Errorf("encoding SLTD record %s: %w", set.Documents[i].ID, err)
		}
		recs = append(recs, &kgo.Record{Topic: ts.Name(deploy.RoleReferenceSLTD), Key: []byte(set.Documents[i].ID), Value: b})
	}
	for i := range set.Notices {
		b, err := serde.EncodeNoticeRecord(&set.Notices[i])
		if err != nil {
			return fmt.Errorf("encoding notice record %s: %w", set.Notices[i].ID, err)
		}
		recs = append(recs, &kgo.Record{Topic: ts.Name(deploy.RoleReferenceNotices), Key: []byte(set.Notices[i].ID), Value: b})
	}
	return producers.Produce(ctx, cl, recs)
}

// ProduceManifests writes manifests to the manifests topic, keyed by manifest id so that
// everything about one manifest lands in one partition.
func ProduceManifests(ctx context.Context, cl *kgo.Client, serde *schemas.Serde, ts deploy.Topics, ms []event.Manifest) error {
	recs := make([]*kgo.Record, 0, len(ms))
	for i := range ms {
		b, err := serde.EncodeManifest(&ms[i])
		if err != nil {
			return fmt.Errorf("encoding manifest %s: %w", ms[i].ID, err)
		}
		recs = append(recs, &kgo.Record{Topic: ts.Name(deploy.RoleManifests), Key: []byte(ms[i].ID), Value: b})
	}
	return producers.Produce(ctx, cl, recs)
}
