package app

import (
	"context"
	"errors"
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

// ReferenceTopics names the compacted reference topic of every database.
func ReferenceTopics(ts deploy.Topics) map[event.Database]string {
	out := map[event.Database]string{}
	for _, db := range event.Databases() {
		out[db] = ts.Name(deploy.ReferenceRole(db))
	}
	return out
}

// ReferenceRecords encodes every record of set for its database's reference topic, keyed by
// record id, in database order.
func ReferenceRecords(serde *schemas.Serde, ts deploy.Topics, set *watchlist.Set) ([]*kgo.Record, error) {
	var recs []*kgo.Record
	var errs []error
	add := func(db event.Database, id string, b []byte, err error) {
		if err != nil {
			errs = append(errs, fmt.Errorf("encoding %s record %s: %w", db, id, err))
			return
		}
		recs = append(recs, &kgo.Record{Topic: ts.Name(deploy.ReferenceRole(db)), Key: []byte(id), Value: b})
	}
	for i := range set.Documents {
		b, err := serde.EncodeSLTDRecord(&set.Documents[i])
		add(event.DBSLTD, set.Documents[i].ID, b, err)
	}
	for i := range set.Notices {
		b, err := serde.EncodeNoticeRecord(&set.Notices[i])
		add(event.DBNotices, set.Notices[i].ID, b, err)
	}
	for i := range set.Nominals {
		b, err := serde.EncodeNoticeRecord(&set.Nominals[i])
		add(event.DBNominals, set.Nominals[i].ID, b, err)
	}
	for i := range set.TDAWN {
		b, err := serde.EncodeTDAWNRecord(&set.TDAWN[i])
		add(event.DBTDAWN, set.TDAWN[i].ID, b, err)
	}
	for i := range set.Vehicles {
		b, err := serde.EncodeVehicleRecord(&set.Vehicles[i])
		add(event.DBVehicles, set.Vehicles[i].ID, b, err)
	}
	for i := range set.Vessels {
		b, err := serde.EncodeVesselRecord(&set.Vessels[i])
		add(event.DBVessels, set.Vessels[i].ID, b, err)
	}
	for i := range set.Firearms {
		b, err := serde.EncodeFirearmRecord(&set.Firearms[i])
		add(event.DBFirearms, set.Firearms[i].ID, b, err)
	}
	return recs, errors.Join(errs...)
}

// ProduceLists writes every record of set to its database's reference topic, keyed by
// record id.
func ProduceLists(ctx context.Context, cl *kgo.Client, serde *schemas.Serde, ts deploy.Topics, set *watchlist.Set) error {
	recs, err := ReferenceRecords(serde, ts, set)
	if err != nil {
		return err
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
