package demo_test

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/app"
	"github.com/watchpost/watchpost/internal/embedded"
	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/pipeline/match"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// TestGatewayToAlert is the carrier's path end to end: a PAXLST interchange POSTed to the
// gateway over HTTP, produced transactionally, screened by a matcher, and an alert for the
// traveller carrying a stolen passport on the alert topic.
func TestGatewayToAlert(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	stack, err := embedded.Start(ctx, ts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stack.Close)
	k := app.Kafka{Brokers: stack.Brokers, RegistryURL: stack.RegistryURL, Topics: ts}
	serde, err := k.Serde(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pcl, err := k.Producer()
	if err != nil {
		t.Fatal(err)
	}
	defer pcl.Close()
	if err := app.ProduceLists(ctx, pcl, serde, ts, &watchlist.Set{Documents: []watchlist.Document{
		{ID: "SLTD-1", Number: "PA2222222", Type: "P", Issuer: "USA", Status: watchlist.StatusStolen, Owner: "USA"},
	}}); err != nil {
		t.Fatal(err)
	}
	m, err := app.NewMatcher(app.MatcherConfig{Kafka: k, Match: match.DefaultConfig(), Serde: serde})
	if err != nil {
		t.Fatal(err)
	}
	mctx, stopMatcher := context.WithCancel(ctx)
	merr := make(chan error, 1)
	go func() { merr <- m.Run(mctx) }()
	t.Cleanup(func() { stopMatcher(); <-merr })

	key, err := gateway.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	creds := filepath.Join(t.TempDir(), "clients.yaml")
	if err := os.WriteFile(creds, []byte(fmt.Sprintf("clients:\n  - id: united\n    kind: carrier\n    carriers: [UA]\n    key_sha256: %s\n", gateway.HashKey(key))), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := gateway.New(gateway.Config{CredentialsFile: creds, TransactionalIDPrefix: "e2e-gw"}, gateway.Deps{
		NewProducer: k.Producer, Serde: serde, Topics: ts, Decoder: gateway.IngestDecoder("DEU", nil), Watchlist: m.Store,
	})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	sctx, stopServer := context.WithCancel(ctx)
	serr := make(chan error, 1)
	go func() { serr <- srv.Serve(sctx, ln) }()
	t.Cleanup(func() { stopServer(); <-serr; srv.Close() })

	body, err := os.ReadFile("../../pipeline/paxlst/testdata/crew_list.edi") // UA crew, one with passport PA2222222
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, "http://"+ln.Addr().String()+"/v1/manifests", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/edifact")
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST /v1/manifests = %d, want 202", resp.StatusCode)
	}

	cl, err := kgo.NewClient(kgo.SeedBrokers(stack.Brokers...), kgo.ConsumeTopics(ts.Name(deploy.RoleAlerts)),
		kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()), kgo.FetchIsolationLevel(kgo.ReadCommitted()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	for {
		fs := cl.PollFetches(ctx)
		if ctx.Err() != nil {
			t.Fatal("no alert before the deadline")
		}
		for _, r := range fs.Records() {
			a, err := serde.DecodeAlert(r.Value)
			if err != nil {
				t.Fatal(err)
			}
			if a.Hit.RecordID != "SLTD-1" || a.Context.Country != "DEU" || a.Context.Carrier != "UA" || a.Subject.Person == nil || a.Subject.Person.Surname != "GARCIA" {
				t.Fatalf("alert = record %s country %s carrier %s; want SLTD-1 for the UA crew member, screened for DEU", a.Hit.RecordID, a.Context.Country, a.Context.Carrier)
			}
			return
		}
	}
}
