package main

import (
	"context"
	"flag"
	"os"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/internal/obs"
)

// runGateway implements `watchpost gateway`: the HTTP API carriers and border posts submit to.
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
	k, log, err := cf.kafka()
	if err != nil {
		return err
	}
	defer func() { _ = log.Sync() }()
	serde, err := k.Serde(ctx)
	if err != nil {
		return err
	}
	reg := obs.NewRegistry()
	srv, err := gateway.New(cfg, gateway.Deps{
		NewProducer: k.Producer, Serde: serde, Topics: k.Topics,
		Decoder: gateway.IngestDecoder(*country, nil), Logger: log, Registerer: reg,
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
	return srv.ListenAndServe(ctx)
}
