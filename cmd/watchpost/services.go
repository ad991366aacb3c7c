package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/analytics/sink"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/acl"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/gen"
	"github.com/watchpost/watchpost/internal/kafkasec"
	"github.com/watchpost/watchpost/internal/obs"
	"github.com/watchpost/watchpost/internal/topics"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/schemas"
)

// clusterFlags are the flags of every command that talks to a real cluster.
type clusterFlags struct {
	brokers, registry, logLevel, metricsAddr, topicSuffix string
	sec                                                   kafkasec.Config
	passwordFile                                          string
}

func (c *clusterFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.brokers, "brokers", envOr("WATCHPOST_BROKERS", "127.0.0.1:9092"), "Kafka seed brokers, comma-separated (env WATCHPOST_BROKERS)")
	fs.StringVar(&c.registry, "registry", envOr("WATCHPOST_REGISTRY", "http://127.0.0.1:8081"), "schema registry URL (env WATCHPOST_REGISTRY)")
	fs.StringVar(&c.logLevel, "log-level", envOr("WATCHPOST_LOG_LEVEL", "info"), "log level: debug, info, warn, error")
	fs.StringVar(&c.metricsAddr, "metrics-addr", envOr("WATCHPOST_METRICS_ADDR", ":9464"), "address of /metrics, /healthz and /readyz")
	fs.StringVar(&c.topicSuffix, "topic-suffix", os.Getenv("WATCHPOST_TOPIC_SUFFIX"), "suffix every declared topic name with .SUFFIX (several deployments or test runs on one cluster)")
	// Kafka security (internal/kafkasec). The SASL password has no flag: flags show in ps.
	fs.BoolVar(&c.sec.TLS, "kafka-tls", envBool("WATCHPOST_KAFKA_TLS"), "connect to Kafka over TLS, verifying the broker certificate (env WATCHPOST_KAFKA_TLS)")
	fs.StringVar(&c.sec.CAFile, "kafka-ca", os.Getenv("WATCHPOST_KAFKA_CA"), "PEM file of the CAs that sign broker certificates; default the system roots (env WATCHPOST_KAFKA_CA)")
	fs.StringVar(&c.sec.CertFile, "kafka-cert", os.Getenv("WATCHPOST_KAFKA_CERT"), "PEM client certificate chain, for brokers requiring mutual TLS (env WATCHPOST_KAFKA_CERT)")
	fs.StringVar(&c.sec.KeyFile, "kafka-key", os.Getenv("WATCHPOST_KAFKA_KEY"), "PEM key of --kafka-cert (env WATCHPOST_KAFKA_KEY)")
	fs.StringVar(&c.sec.ServerName, "kafka-server-name", os.Getenv("WATCHPOST_KAFKA_SERVER_NAME"), "name the broker certificate must hold; default each broker's host (env WATCHPOST_KAFKA_SERVER_NAME)")
	fs.StringVar(&c.sec.SASLMechanism, "sasl-mechanism", os.Getenv("WATCHPOST_SASL_MECHANISM"), "SASL mechanism: SCRAM-SHA-512 or SCRAM-SHA-256; requires --kafka-tls (env WATCHPOST_SASL_MECHANISM)")
	fs.StringVar(&c.sec.Username, "sasl-user", os.Getenv("WATCHPOST_SASL_USER"), "SASL user (env WATCHPOST_SASL_USER); the password comes from env "+kafkasec.EnvPassword+" or --sasl-password-file")
	fs.StringVar(&c.passwordFile, "sasl-password-file", os.Getenv("WATCHPOST_SASL_PASSWORD_FILE"), "file holding the SASL password (env WATCHPOST_SASL_PASSWORD_FILE)")
}

// connect is kafka followed by registering the schemas: what every service does first. The
// caller syncs the logger when it is done.
func (c *clusterFlags) connect(ctx context.Context) (app.Kafka, *zap.Logger, *schemas.Serde, error) {
	k, log, err := c.kafka()
	if err != nil {
		return app.Kafka{}, nil, nil, err
	}
	serde, err := k.Serde(ctx)
	if err != nil {
		_ = log.Sync()
		return app.Kafka{}, nil, nil, err
	}
	return k, log, serde, nil
}

func (c *clusterFlags) kafka() (app.Kafka, *zap.Logger, error) {
	log, err := obs.NewLogger(c.logLevel, false)
	if err != nil {
		return app.Kafka{}, nil, err
	}
	ts, err := deploy.DefaultTopics()
	if err != nil {
		return app.Kafka{}, nil, err
	}
	if c.topicSuffix != "" {
		ts = ts.WithSuffix(c.topicSuffix)
	}
	brokers := splitList(c.brokers)
	if len(brokers) == 0 {
		return app.Kafka{}, nil, errors.New("--brokers: at least one broker required")
	}
	sec := c.sec
	if sec.Password, err = kafkasec.ReadPassword(os.Getenv, c.passwordFile); err != nil {
		return app.Kafka{}, nil, err
	}
	opts, err := sec.Opts()
	if err != nil {
		return app.Kafka{}, nil, err
	}
	return app.Kafka{Brokers: brokers, RegistryURL: c.registry, Topics: ts, Opts: opts}, log, nil
}

// envBool reports whether the environment variable is set to a true value (1, true, yes, on).
func envBool(name string) bool {
	switch strings.ToLower(os.Getenv(name)) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func runACL(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "apply" {
		return errors.New("usage: watchpost acl apply [--file deploy/acls.yaml] [--dry-run] [--brokers …]")
	}
	fs := flag.NewFlagSet("acl apply", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	file := fs.String("file", envOr("WATCHPOST_ACL_FILE", "deploy/acls.yaml"), "ACL declaration (env WATCHPOST_ACL_FILE)")
	dryRun := fs.Bool("dry-run", false, "print what would change, change nothing")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	decl, err := acl.ParseFile(*file)
	if err != nil {
		return err
	}
	k, log, err := cf.kafka()
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	cl, err := k.Client()
	if err != nil {
		return err
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	plan, err := acl.Apply(ctx, kadm.NewClient(cl), decl, k.Topics, *dryRun)
	if err != nil && len(plan.Create)+len(plan.Delete)+len(plan.Unchanged) == 0 {
		return err // nothing was planned: the declaration or the describe failed
	}
	verb := map[bool]string{false: "", true: "would "}[*dryRun]
	for _, b := range plan.Create {
		fmt.Printf("%screate %s\n", verb, b)
	}
	for _, b := range plan.Delete {
		fmt.Printf("%sdelete %s\n", verb, b)
	}
	fmt.Printf("%d to create, %d to delete, %d unchanged\n", len(plan.Create), len(plan.Delete), len(plan.Unchanged))
	return err
}

func runMatcher(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("matcher", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	group := fs.String("group", "watchpost-matcher", "consumer group id")
	delivery := fs.String("delivery", envOr("WATCHPOST_DELIVERY", string(app.ExactlyOnce)), "exactly-once (Kafka transactions) or at-least-once")
	stateDir := fs.String("state-dir", envOr("WATCHPOST_STATE_DIR", ""), "directory for the local watchlist snapshot that makes restarts fast (env WATCHPOST_STATE_DIR); empty keeps none")
	retroWindow := fs.Duration("retro-window", 72*time.Hour, "how far back travellers are screened again when new person or document records arrive")
	noRetro := fs.Bool("no-retro", false, "turn retro-screening off")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k, log, serde, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	reg := obs.NewRegistry()
	m, err := app.NewMatcher(app.MatcherConfig{Kafka: k, Group: *group, Delivery: app.Delivery(*delivery), Match: match.DefaultConfig(), Serde: serde, Logger: log, Registry: reg,
		StateDir: *stateDir, RetroWindow: *retroWindow, NoRetro: *noRetro})
	if err != nil {
		return err
	}
	srv, err := obs.Serve(cf.metricsAddr, reg, func() bool { return m.Store.Load() != nil })
	if err != nil {
		return err
	}
	defer func() { _ = srv.Close() }()
	log.Info("matcher starting", zap.Strings("brokers", k.Brokers), zap.String("metrics", srv.Addr()))
	return m.Run(ctx)
}

func runSink(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sink", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	var scfg sink.Config
	fs.StringVar(&scfg.Addr, "clickhouse", envOr("WATCHPOST_CLICKHOUSE", "127.0.0.1:9000"), "ClickHouse native-protocol address (env WATCHPOST_CLICKHOUSE)")
	fs.StringVar(&scfg.Database, "database", envOr("WATCHPOST_CLICKHOUSE_DB", "watchpost"), "ClickHouse database")
	group := fs.String("group", "watchpost-sink", "consumer group id")
	if err := fs.Parse(args); err != nil {
		return err
	}
	scfg.Username = envOr("WATCHPOST_CLICKHOUSE_USER", "default")
	scfg.Password = envOr("WATCHPOST_CLICKHOUSE_PASSWORD", "")
	k, log, serde, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	s, err := openSink(ctx, scfg, log)
	if err != nil {
		return err
	}
	defer func() { _ = s.Close() }()
	srv, err := obs.Serve(cf.metricsAddr, obs.NewRegistry(), func() bool { return true })
	if err != nil {
		return err
	}
	defer func() { _ = srv.Close() }()
	return app.RunSink(ctx, app.SinkConfig{Kafka: k, Group: *group, Serde: serde, Sink: s, Logger: log})
}

func runTopics(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "apply" {
		return errors.New("usage: watchpost topics apply [--brokers …]")
	}
	fs := flag.NewFlagSet("topics apply", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	k, _, err := cf.kafka()
	if err != nil {
		return err
	}
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(k.Brokers...)}, k.Opts...)...)
	if err != nil {
		return fmt.Errorf("creating admin client: %w", err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	res, err := topics.Apply(ctx, kadm.NewClient(cl), k.Topics)
	for _, r := range res {
		switch {
		case r.Created:
			fmt.Printf("created %s\n", r.Name)
		case r.Grown > 0:
			fmt.Printf("grew    %s by %d partitions\n", r.Name, r.Grown)
		default:
			fmt.Printf("exists  %s\n", r.Name)
		}
	}
	return err
}

func runGen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	cfg := gen.DefaultConfig()
	fs.Int64Var(&cfg.Seed, "seed", cfg.Seed, "random seed: the same seed gives the same data")
	fs.IntVar(&cfg.Documents, "documents", cfg.Documents, "SLTD records")
	fs.IntVar(&cfg.Notices, "notices", cfg.Notices, "person notices")
	fs.IntVar(&cfg.Manifests, "manifests", cfg.Manifests, "manifests")
	fs.Float64Var(&cfg.HitRate, "hit-rate", cfg.HitRate, "fraction of travellers planted as true hits")
	fs.Float64Var(&cfg.NearMissRate, "near-miss-rate", cfg.NearMissRate, "fraction of travellers planted as near misses")
	fs.StringVar(&cfg.Country, "country", cfg.Country, "screening country (ISO alpha-3)")
	out := fs.String("out", "", "write JSONL files into this directory")
	produce := fs.Bool("produce", false, "produce the watchlists and manifests to the cluster's topics")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *out == "" && !*produce {
		return errors.New("gen: give --out DIR, --produce, or both")
	}
	ds, err := gen.Generate(cfg)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := ds.WriteDir(*out); err != nil {
			return err
		}
		fmt.Printf("wrote %d SLTD records, %d notices, %d manifests, %d planted hits to %s\n",
			len(ds.Lists.Documents), len(ds.Lists.Notices), len(ds.Manifests), len(ds.Planted), *out)
	}
	if *produce {
		k, _, err := cf.kafka()
		if err != nil {
			return err
		}
		serde, err := k.Serde(ctx)
		if err != nil {
			return err
		}
		cl, err := k.Producer()
		if err != nil {
			return err
		}
		defer cl.Close()
		if err := app.ProduceLists(ctx, cl, serde, k.Topics, &ds.Lists); err != nil {
			return err
		}
		if err := app.ProduceManifests(ctx, cl, serde, k.Topics, ds.Manifests); err != nil {
			return err
		}
		fmt.Printf("produced %d reference records and %d manifests\n", len(ds.Lists.Documents)+len(ds.Lists.Notices), len(ds.Manifests))
	}
	return nil
}

// openSink opens ClickHouse, waiting with backoff (up to two minutes) while it is unreachable,
// so a sink started during a ClickHouse outage waits instead of crash-looping.
func openSink(ctx context.Context, cfg sink.Config, log *zap.Logger) (*sink.Sink, error) {
	deadline := time.Now().Add(2 * time.Minute)
	wait := 500 * time.Millisecond
	for {
		s, err := sink.Open(ctx, cfg)
		if err == nil {
			return s, nil
		}
		if !sink.IsTransient(err) || ctx.Err() != nil || time.Now().After(deadline) {
			return nil, err
		}
		log.Warn("opening ClickHouse; retrying", zap.Error(err), zap.Duration("in", wait))
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(wait):
		}
		wait = min(2*wait, 10*time.Second)
	}
}
