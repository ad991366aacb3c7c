package securitytest_test

import (
	"bytes"
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
	"github.com/twmb/franz-go/pkg/sasl"
	"github.com/twmb/franz-go/pkg/sasl/scram"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/acl"
	"github.com/watchpost/watchpost/internal/kafkasec"
	"github.com/watchpost/watchpost/internal/securitytest"
	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/internal/topics"
)

var users = []string{"carrier-AF", "carrier-LH", "controlroom-FRA", "controlroom-DEU", "matcher", "sink", "loader"}

// TestIntegrationSecuredKafka runs a real broker with a SASL_SSL listener that requires
// client certificates, creates the users, applies testdata/acls.yaml with `watchpost acl
// apply` and proves every refusal the design promises.
func TestIntegrationSecuredKafka(t *testing.T) {
	testenv.Addr(t, testenv.EnvKafka) // set when the broker jars are present
	build := buildWatchpost(t)        // compiles while the broker starts
	began := time.Now()
	b := securitytest.StartBroker(t, securitytest.ClientAuthRequired)
	t.Logf("secured broker %s up in %s", b.Addr, time.Since(began).Round(time.Millisecond))
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	defer func() {
		if t.Failed() {
			t.Logf("broker log tail:\n%s", b.Logs())
		}
	}()

	adm := kadm.NewClient(client(t, b.Addr, b.Admin()))
	ts, err := deploy.DefaultTopics()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := topics.Apply(ctx, adm, ts); err != nil {
		t.Fatalf("applying the topic declaration as admin: %v", err)
	}
	manifests, alerts := ts.Name(deploy.RoleManifests), ts.Name(deploy.RoleAlerts)
	af, lh := acl.QualifiedTopic(manifests, "AF"), acl.QualifiedTopic(manifests, "LH")
	lhV2 := strings.Replace(lh, ".v1", ".v2", 1)
	lhx := acl.QualifiedTopic(manifests, "LHX") // a longer carrier code sharing LH's letters
	fra, deu := acl.QualifiedTopic(alerts, "FRA"), acl.QualifiedTopic(alerts, "DEU")
	created, err := adm.CreateTopics(ctx, 1, 1, nil, af, lh, lhV2, lhx, fra, deu)
	if err != nil {
		t.Fatalf("creating per-carrier and per-country topics: %v", err)
	}
	for _, c := range created.Sorted() {
		// A busy broker may see the request twice (client retry after a timeout).
		if c.Err != nil && !errors.Is(c.Err, kerr.TopicAlreadyExists) {
			t.Fatalf("creating topic %s: %v", c.Topic, c.Err)
		}
	}

	pw := map[string]string{}
	var upserts []kadm.UpsertSCRAM
	for _, u := range users {
		pw[u] = securitytest.RandomPassword(t)
		upserts = append(upserts, kadm.UpsertSCRAM{User: u, Mechanism: kadm.ScramSha512, Iterations: 4096, Password: pw[u]})
	}
	// Kafka takes one change per user and request: carrier-AF's SHA-256 credential goes second.
	sha256 := []kadm.UpsertSCRAM{{User: "carrier-AF", Mechanism: kadm.ScramSha256, Iterations: 4096, Password: pw["carrier-AF"]}}
	for _, batch := range [][]kadm.UpsertSCRAM{upserts, sha256} {
		altered, err := adm.AlterUserSCRAMs(ctx, nil, batch)
		if err != nil {
			t.Fatalf("creating SCRAM users: %v", err)
		}
		for _, a := range altered.Sorted() {
			if a.Err != nil {
				t.Fatalf("creating SCRAM user %s: %v %s", a.User, a.Err, a.ErrMessage)
			}
		}
	}

	// ACLs through the binary, as an operator would apply them: flags for TLS and SASL, the
	// password from the environment the first time and from a file the second.
	decl := filepath.Join("testdata", "acls.yaml")
	file, err := acl.ParseFile(decl)
	if err != nil {
		t.Fatal(err)
	}
	want, err := file.Bindings(ts)
	if err != nil {
		t.Fatal(err)
	}
	bin := <-build
	if bin.err != nil {
		t.Fatalf("building watchpost: %v", bin.err)
	}
	cli := func(passwordFromFile bool, extra ...string) string {
		t.Helper()
		args := append([]string{"acl", "apply", "--file", decl, "--brokers", b.Addr,
			"--kafka-tls", "--kafka-ca", b.PKI.CAFile, "--kafka-cert", b.PKI.ClientCertFile, "--kafka-key", b.PKI.ClientKeyFile,
			"--sasl-mechanism", "SCRAM-SHA-512", "--sasl-user", "admin"}, extra...)
		env := []string{"WATCHPOST_SASL_PASSWORD=" + b.AdminPassword}
		if passwordFromFile {
			f := filepath.Join(t.TempDir(), "password")
			if err := os.WriteFile(f, []byte(b.AdminPassword+"\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			args, env = append(args, "--sasl-password-file", f), nil
		}
		return runBinary(ctx, t, bin.path, env, b.AdminPassword, args...)
	}
	out := cli(false, "--dry-run")
	if !strings.Contains(out, fmt.Sprintf("%d to create, 0 to delete, 0 unchanged", len(want))) || !strings.Contains(out, "would create ALLOW User:carrier-AF WRITE on LITERAL TOPIC "+af) {
		t.Fatalf("dry run printed:\n%s", out)
	}
	if got := managed(ctx, t, adm, file); len(got) != 0 {
		t.Fatalf("the dry run created %d bindings", len(got))
	}
	out = cli(false)
	if !strings.Contains(out, fmt.Sprintf("%d to create, 0 to delete, 0 unchanged", len(want))) {
		t.Fatalf("apply printed:\n%s", out)
	}
	// DescribeACLs answers from the broker's metadata cache, a moment behind the controller.
	eventually(ctx, t, "the applied bindings are described", func() error {
		if got := managed(ctx, t, adm, file); !equalBindings(got, want) {
			return fmt.Errorf("the cluster holds\n%v\nwant\n%v", got, want)
		}
		return nil
	})
	// A hand-made grant on a managed resource (carrier AF writing LH's input) is removed by
	// the next apply; a binding outside the managed prefixes survives it.
	stray := kadm.NewACLs().Topics(lh).Allow("User:carrier-AF").Operations(kadm.OpWrite).ResourcePatternType(kadm.ACLPatternLiteral)
	foreign := kadm.NewACLs().Topics("other-team.events").Allow("User:someone").Operations(kadm.OpRead).ResourcePatternType(kadm.ACLPatternLiteral)
	for _, x := range []*kadm.ACLBuilder{stray, foreign} {
		if res, err := adm.CreateACLs(ctx, x); err != nil || res[0].Err != nil {
			t.Fatalf("creating a test binding: %v %v", err, res)
		}
	}
	eventually(ctx, t, "the test bindings are described", func() error {
		if got := managed(ctx, t, adm, file); len(got) != len(want)+1 {
			return fmt.Errorf("%d managed bindings, want %d", len(got), len(want)+1)
		}
		return nil
	})
	out = cli(true)
	if !strings.Contains(out, fmt.Sprintf("0 to create, 1 to delete, %d unchanged", len(want))) ||
		!strings.Contains(out, "delete ALLOW User:carrier-AF WRITE on LITERAL TOPIC "+lh) {
		t.Fatalf("second apply printed:\n%s", out)
	}
	all, err := acl.Describe(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(fmt.Sprint(all), "User:someone READ on LITERAL TOPIC other-team.events") {
		t.Errorf("apply deleted an unmanaged binding; cluster holds %v", all)
	}

	as := func(user string) kafkasec.Config { return b.Config(user, pw[user]) }

	t.Run("carrier writes its own input", func(t *testing.T) {
		eventually(ctx, t, "carrier-AF may write "+af, func() error { return produce(ctx, t, b.Addr, as("carrier-AF"), af) })
	})
	t.Run("carrier cannot write another carrier's input", func(t *testing.T) {
		err := produce(ctx, t, b.Addr, as("carrier-AF"), lh)
		if !errors.Is(err, kerr.TopicAuthorizationFailed) {
			t.Fatalf("carrier-AF producing to %s: got %v, want TOPIC_AUTHORIZATION_FAILED", lh, err)
		}
	})
	t.Run("prefixed grant covers every version of the carrier's own topic only", func(t *testing.T) {
		for _, topic := range []string{lh, lhV2} {
			eventually(ctx, t, "carrier-LH may write "+topic, func() error { return produce(ctx, t, b.Addr, as("carrier-LH"), topic) })
		}
		for _, topic := range []string{lhx, af} {
			if err := produce(ctx, t, b.Addr, as("carrier-LH"), topic); !errors.Is(err, kerr.TopicAuthorizationFailed) {
				t.Errorf("carrier-LH producing to %s: got %v, want TOPIC_AUTHORIZATION_FAILED", topic, err)
			}
		}
	})
	t.Run("SCRAM-SHA-256 authenticates too", func(t *testing.T) {
		cfg := as("carrier-AF")
		cfg.SASLMechanism = kafkasec.MechanismSCRAMSHA256
		eventually(ctx, t, "carrier-AF (SHA-256) may write "+af, func() error { return produce(ctx, t, b.Addr, cfg, af) })
	})
	t.Run("control room reads its own country's alerts", func(t *testing.T) {
		if err := produceValue(ctx, t, b.Addr, b.Admin(), fra, "alert for FRA"); err != nil {
			t.Fatalf("admin producing to %s: %v", fra, err)
		}
		eventually(ctx, t, "controlroom-FRA reads "+fra, func() error {
			v, err := consumeOne(ctx, t, b.Addr, as("controlroom-FRA"), fra, "watchpost-controlroom-FRA")
			if err == nil && v != "alert for FRA" {
				t.Fatalf("controlroom-FRA read %q", v)
			}
			return err
		})
	})
	t.Run("control room cannot read another country's alerts", func(t *testing.T) {
		if err := produceValue(ctx, t, b.Addr, b.Admin(), deu, "alert for DEU"); err != nil {
			t.Fatalf("admin producing to %s: %v", deu, err)
		}
		v, err := consumeOne(ctx, t, b.Addr, as("controlroom-FRA"), deu, "")
		if !errors.Is(err, kerr.TopicAuthorizationFailed) {
			t.Fatalf("controlroom-FRA consuming %s: got %q, %v; want TOPIC_AUTHORIZATION_FAILED", deu, v, err)
		}
	})
	t.Run("matcher reads every carrier's input in its group", func(t *testing.T) {
		eventually(ctx, t, "matcher reads "+af, func() error {
			_, err := consumeOne(ctx, t, b.Addr, as("matcher"), af, "watchpost-matcher")
			return err
		})
		if _, err := consumeOne(ctx, t, b.Addr, as("matcher"), af, "watchpost-sink"); !errors.Is(err, kerr.GroupAuthorizationFailed) {
			t.Errorf("matcher in the sink's group: got %v, want GROUP_AUTHORIZATION_FAILED", err)
		}
	})
	t.Run("matcher writes transactionally under its own transactional ids only", func(t *testing.T) {
		screenings := ts.Name(deploy.RoleScreenings)
		eventually(ctx, t, "matcher commits a transaction", func() error {
			return produceTxn(ctx, t, b.Addr, as("matcher"), "watchpost-matcher-host-1", screenings)
		})
		if err := produceTxn(ctx, t, b.Addr, as("matcher"), "watchpost-gateway-0", screenings); !errors.Is(err, kerr.TransactionalIDAuthorizationFailed) {
			t.Errorf("matcher with the gateway's transactional id: got %v, want TRANSACTIONAL_ID_AUTHORIZATION_FAILED", err)
		}
		if err := produce(ctx, t, b.Addr, as("loader"), af); !errors.Is(err, kerr.TopicAuthorizationFailed) {
			t.Errorf("loader producing to a carrier's input: got %v, want TOPIC_AUTHORIZATION_FAILED", err)
		}
	})
	t.Run("wrong password fails authentication", func(t *testing.T) {
		wrong := securitytest.RandomPassword(t)
		err := ping(ctx, t, b.Addr, b.Config("carrier-AF", wrong))
		if !errors.Is(err, kerr.SaslAuthenticationFailed) {
			t.Fatalf("got %v, want SASL_AUTHENTICATION_FAILED", err)
		}
		t.Logf("refused: %v", err)
		if strings.Contains(err.Error(), wrong) {
			t.Error("the authentication error contains the password")
		}
	})
	t.Run("plaintext connection to the TLS listener fails", func(t *testing.T) {
		cfg := as("carrier-AF")
		cfg.TLS, cfg.CAFile, cfg.CertFile, cfg.KeyFile = false, "", "", ""
		opts := []kgo.Opt{kgo.SASL(scramFor(cfg))} // kafkasec refuses SASL without TLS; build it by hand
		err := pingOpts(ctx, t, b.Addr, opts)
		if err == nil {
			t.Fatal("a plaintext SASL client reached the broker")
		}
		t.Logf("refused: %v", err)
		// And at the wire: a plaintext ApiVersions request gets no Kafka response (at most a
		// TLS alert record, type 0x15).
		resp := rawAPIVersions(t, b.Addr)
		if len(resp) > 0 && resp[0] != 0x15 {
			t.Fatalf("the TLS listener answered a plaintext request: % x", resp)
		}
		t.Logf("plaintext ApiVersions got %d bytes back: % x", len(resp), resp)
	})
	t.Run("client that does not trust the CA fails", func(t *testing.T) {
		cfg := as("carrier-AF")
		cfg.CAFile = b.PKI.ClientCAFile // a CA, but not the one that signed the broker
		err := ping(ctx, t, b.Addr, cfg)
		var unknown x509.UnknownAuthorityError
		if !errors.As(err, &unknown) {
			t.Fatalf("got %v, want an unknown-authority verification error", err)
		}
		t.Logf("refused: %v", err)
	})
	t.Run("client without a certificate fails when mutual TLS is required", func(t *testing.T) {
		cfg := as("carrier-AF")
		cfg.CertFile, cfg.KeyFile = "", ""
		err := ping(ctx, t, b.Addr, cfg)
		if err == nil {
			t.Fatal("a client without a certificate reached the broker")
		}
		t.Logf("refused: %v", err)
	})
	t.Run("a principal removed from the declaration loses its grants", func(t *testing.T) {
		f2, err := acl.Parse(bytes.Replace(mustRead(t, decl), []byte("  - {user: carrier-LH, role: carrier-all-versions, carrier: LH}\n"), nil, 1))
		if err != nil {
			t.Fatal(err)
		}
		plan, err := acl.Apply(ctx, adm, f2, ts, false)
		if err != nil {
			t.Fatalf("applying: %v", err)
		}
		if len(plan.Create) != 0 || len(plan.Delete) != 1 || plan.Delete[0].Principal != "User:carrier-LH" {
			t.Fatalf("plan %+v, want LH's one binding deleted", plan)
		}
		eventually(ctx, t, "carrier-LH is refused "+lh, func() error {
			if err := produce(ctx, t, b.Addr, as("carrier-LH"), lh); !errors.Is(err, kerr.TopicAuthorizationFailed) {
				return fmt.Errorf("got %v", err)
			}
			return nil
		})
	})
}

type built struct {
	path string
	err  error
}

// buildWatchpost compiles the binary in the background; the channel yields it once.
func buildWatchpost(t *testing.T) <-chan built {
	t.Helper()
	out := filepath.Join(t.TempDir(), "watchpost")
	ch := make(chan built, 1)
	go func() {
		cmd := exec.CommandContext(t.Context(), "go", "build", "-o", out, "github.com/watchpost/watchpost/cmd/watchpost")
		cmd.Dir = securitytest.RepoRoot(t)
		if b, err := cmd.CombinedOutput(); err != nil {
			ch <- built{err: fmt.Errorf("%w\n%s", err, b)}
			return
		}
		ch <- built{path: out}
	}()
	return ch
}

func runBinary(ctx context.Context, t *testing.T, bin string, env []string, secret string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	all := stdout.String() + stderr.String()
	if strings.Contains(all, secret) {
		t.Errorf("watchpost %s printed the SASL password", strings.Join(args[:2], " "))
	}
	if err != nil {
		t.Fatalf("watchpost %s: %v\n%s", strings.Join(args, " "), err, all)
	}
	return stdout.String()
}

func managed(ctx context.Context, t *testing.T, adm *kadm.Client, f *acl.File) []acl.Binding {
	t.Helper()
	all, err := acl.Describe(ctx, adm)
	if err != nil {
		t.Fatal(err)
	}
	var out []acl.Binding
	for _, b := range all {
		if f.Manages(b) {
			out = append(out, b)
		}
	}
	return out
}

func equalBindings(a, b []acl.Binding) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func client(t *testing.T, addr string, cfg kafkasec.Config, extra ...kgo.Opt) *kgo.Client {
	t.Helper()
	opts, err := cfg.Opts()
	if err != nil {
		t.Fatalf("kafkasec options: %v", err)
	}
	cl, err := kgo.NewClient(append(append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.DialTimeout(5 * time.Second)}, opts...), extra...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

func produce(ctx context.Context, t *testing.T, addr string, cfg kafkasec.Config, topic string) error {
	return produceValue(ctx, t, addr, cfg, topic, "manifest")
}

// produceValue produces one record with a fresh client, so that no cached metadata or
// authorization outcome carries over from an earlier attempt.
func produceValue(ctx context.Context, t *testing.T, addr string, cfg kafkasec.Config, topic, value string) error {
	t.Helper()
	cl := client(t, addr, cfg)
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	return cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte(value)}).FirstErr()
}

// produceTxn produces one record in a committed transaction with transactional id id.
func produceTxn(ctx context.Context, t *testing.T, addr string, cfg kafkasec.Config, id, topic string) error {
	t.Helper()
	cl := client(t, addr, cfg, kgo.TransactionalID(id))
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := cl.BeginTransaction(); err != nil {
		return err
	}
	if err := cl.ProduceSync(ctx, &kgo.Record{Topic: topic, Value: []byte("screening")}).FirstErr(); err != nil {
		_ = cl.EndTransaction(ctx, kgo.TryAbort)
		return err
	}
	return cl.EndTransaction(ctx, kgo.TryCommit)
}

// consumeOne reads the first record of topic, in group when one is given.
func consumeOne(ctx context.Context, t *testing.T, addr string, cfg kafkasec.Config, topic, group string) (string, error) {
	t.Helper()
	opts := []kgo.Opt{kgo.ConsumeTopics(topic), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart())}
	if group != "" {
		opts = append(opts, kgo.ConsumerGroup(group))
	}
	cl := client(t, addr, cfg, opts...)
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	for {
		fs := cl.PollFetches(ctx)
		for _, fe := range fs.Errors() {
			return "", fe.Err
		}
		if recs := fs.Records(); len(recs) > 0 {
			return string(recs[0].Value), nil
		}
		if ctx.Err() != nil {
			return "", ctx.Err()
		}
	}
}

func ping(ctx context.Context, t *testing.T, addr string, cfg kafkasec.Config) error {
	t.Helper()
	opts, err := cfg.Opts()
	if err != nil {
		t.Fatalf("kafkasec options: %v", err)
	}
	return pingOpts(ctx, t, addr, opts)
}

func pingOpts(ctx context.Context, t *testing.T, addr string, opts []kgo.Opt) error {
	t.Helper()
	cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(addr), kgo.DialTimeout(5 * time.Second)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return cl.Ping(ctx)
}

// rawAPIVersions sends one plaintext ApiVersions request and returns whatever comes back
// within a few seconds.
func rawAPIVersions(t *testing.T, addr string) []byte {
	t.Helper()
	conn, err := (&net.Dialer{Timeout: 5 * time.Second}).DialContext(t.Context(), "tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	req := kmsg.NewPtrApiVersionsRequest()
	req.Version = 0
	if _, err := conn.Write(kmsg.NewRequestFormatter(kmsg.FormatterClientID("plaintext-probe")).AppendRequest(nil, req, 1)); err != nil {
		return nil // the broker may already have closed the connection
	}
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	resp, _ := io.ReadAll(io.LimitReader(conn, 1<<16))
	return resp
}

func eventually(ctx context.Context, t *testing.T, what string, f func() error) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			t.Fatalf("%s: %v", what, err)
		}
		time.Sleep(250 * time.Millisecond)
	}
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func scramFor(cfg kafkasec.Config) sasl.Mechanism {
	return scram.Auth{User: cfg.Username, Pass: cfg.Password}.AsSha512Mechanism()
}
