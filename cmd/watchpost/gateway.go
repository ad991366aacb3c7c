package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/consumers/watchlistfeed"
	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/internal/obs"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
)

// runGateway implements `watchpost gateway`: the HTTP API carriers and border posts submit
// to, and partners check documents at.
func runGateway(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gateway", flag.ContinueOnError)
	var cf clusterFlags
	cf.register(fs)
	var cfg gateway.Config
	fs.StringVar(&cfg.Listen, "listen", envOr("WATCHPOST_GATEWAY_LISTEN", gateway.DefaultListen), "HTTP(S) listen address")
	fs.StringVar(&cfg.TLSCert, "tls-cert", os.Getenv("WATCHPOST_GATEWAY_TLS_CERT"), "PEM certificate chain; with --tls-key the gateway serves TLS")
	fs.StringVar(&cfg.TLSKey, "tls-key", os.Getenv("WATCHPOST_GATEWAY_TLS_KEY"), "PEM private key")
	fs.StringVar(&cfg.ClientCA, "client-ca", os.Getenv("WATCHPOST_GATEWAY_CLIENT_CA"), "PEM CAs of client certificates (mutual TLS)")
	fs.BoolVar(&cfg.ClientCertOptional, "client-cert-optional", false, "with --client-ca, accept an API key from clients without a certificate")
	fs.StringVar(&cfg.CredentialsFile, "credentials", os.Getenv("WATCHPOST_GATEWAY_CREDENTIALS"), "YAML or JSON file of clients and their hashed API keys")
	fs.StringVar(&cfg.TransactionalIDPrefix, "transactional-id-prefix", os.Getenv("WATCHPOST_GATEWAY_TXN_PREFIX"), "unique per gateway replica (e.g. the pod name)")
	country := fs.String("country", os.Getenv("WATCHPOST_COUNTRY"), "ISO alpha-3 of the screening authority this gateway serves")
	if err := fs.Parse(args); err != nil {
		return err
	}
	k, log, serde, err := cf.connect(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	reg := obs.NewRegistry()
	// Partner checks screen against SLTD: the gateway follows its reference topic as the
	// matcher does, and answers checks 503 until the first snapshot is loaded.
	store := &index.Store{}
	feed, err := watchlistfeed.New(watchlistfeed.Config{
		Brokers: k.Brokers, Topics: map[event.Database]string{event.DBSLTD: k.Topics.Name(deploy.RoleReferenceSLTD)}, // checks screen SLTD only
		Decoder: serde, Store: store, Opts: k.Opts, Logger: log,
		OnSnapshot: func(snap *index.Snapshot, took time.Duration) {
			log.Info("watchlist snapshot loaded", zap.Uint64("version", snap.Version), zap.Duration("took", took))
		},
	})
	if err != nil {
		return err
	}
	srv, err := gateway.New(cfg, gateway.Deps{
		NewProducer: k.Producer, Serde: serde, Topics: k.Topics,
		Decoder: gateway.IngestDecoder(*country, nil), Watchlist: store, Match: match.DefaultConfig(), Logger: log, Registerer: reg,
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	ms, err := obs.Serve(cf.metricsAddr, reg, func() bool {
		rctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel()
		return srv.Ready(rctx) == nil
	})
	if err != nil {
		return err
	}
	defer func() { _ = ms.Close() }()
	log.Info("gateway starting", zap.String("listen", cfg.Listen), zap.String("metrics", ms.Addr()))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	feedErr, serveErr := make(chan error, 1), make(chan error, 1)
	go func() { feedErr <- feed.Run(ctx) }()
	go func() { serveErr <- srv.ListenAndServe(ctx) }()
	select {
	case err := <-feedErr: // the watchlist cannot be followed: stop serving rather than check against a stale one
		cancel()
		<-serveErr
		if err != nil {
			return fmt.Errorf("following the watchlist: %w", err)
		}
		return nil
	case err := <-serveErr:
		cancel()
		<-feedErr
		return err
	}
}
