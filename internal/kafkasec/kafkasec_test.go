package kafkasec_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"

	"github.com/watchpost/watchpost/internal/kafkasec"
	"github.com/watchpost/watchpost/internal/securitytest"
)

const secret = "s3cr3t-Passw0rd"

func TestValidate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  kafkasec.Config
		want []string // substrings, one per expected problem; none means valid
	}{
		{"zero value is plaintext", kafkasec.Config{}, nil},
		{"tls with system roots", kafkasec.Config{TLS: true}, nil},
		{"tls with ca and client cert", kafkasec.Config{TLS: true, CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "k.pem", ServerName: "kafka"}, nil},
		{"scram-sha-512 over tls", kafkasec.Config{TLS: true, SASLMechanism: "SCRAM-SHA-512", Username: "u", Password: secret}, nil},
		{"scram-sha-256 over tls", kafkasec.Config{TLS: true, SASLMechanism: "SCRAM-SHA-256", Username: "u", Password: secret}, nil},
		{"tls settings without tls", kafkasec.Config{CAFile: "ca.pem", CertFile: "c.pem", KeyFile: "k.pem", ServerName: "x"},
			[]string{"ca file is set but TLS is off", "client certificate is set but TLS is off", "client key is set but TLS is off", "server name is set but TLS is off"}},
		{"cert without key", kafkasec.Config{TLS: true, CertFile: "c.pem"}, []string{"set both or neither"}},
		{"key without cert", kafkasec.Config{TLS: true, KeyFile: "k.pem"}, []string{"set both or neither"}},
		{"sasl without tls", kafkasec.Config{SASLMechanism: "SCRAM-SHA-512", Username: "u", Password: secret}, []string{"requires TLS"}},
		{"sasl without credentials", kafkasec.Config{TLS: true, SASLMechanism: "SCRAM-SHA-256"}, []string{"requires a username", "requires a password"}},
		{"credentials without mechanism", kafkasec.Config{TLS: true, Username: "u", Password: secret}, []string{"no SASL mechanism"}},
		{"unsupported mechanism", kafkasec.Config{TLS: true, SASLMechanism: "PLAIN", Username: "u", Password: secret}, []string{`"PLAIN" is not supported`}},
		{"every problem at once", kafkasec.Config{CertFile: "c.pem", SASLMechanism: "SCRAM-SHA-512", Password: secret},
			[]string{"client certificate is set but TLS is off", "set both or neither", "requires TLS", "requires a username"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.cfg.Validate()
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Validate: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate accepted %v", tt.cfg)
			}
			msg := err.Error()
			for _, w := range tt.want {
				if !strings.Contains(msg, w) {
					t.Errorf("error %q lacks %q", msg, w)
				}
			}
			if got := strings.Count(msg, "\n") + 1; got != len(tt.want) {
				t.Errorf("%d problems reported, want %d:\n%s", got, len(tt.want), msg)
			}
			if strings.Contains(msg, secret) {
				t.Errorf("error contains the password: %q", msg)
			}
		})
	}
}

func TestPasswordNeverPrinted(t *testing.T) {
	t.Parallel()
	cfg := kafkasec.Config{TLS: true, CAFile: "ca.pem", SASLMechanism: "SCRAM-SHA-512", Username: "carrier-AF", Password: secret}
	js, err := json.Marshal(cfg)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{fmt.Sprint(cfg), fmt.Sprintf("%v %+v %#v %s", cfg, cfg, cfg, cfg), fmt.Sprintf("%+v", &cfg), string(js)} {
		if strings.Contains(s, secret) {
			t.Errorf("formatted config contains the password: %s", s)
		}
	}
	if s := cfg.String(); !strings.Contains(s, "user=carrier-AF") || !strings.Contains(s, "[redacted]") {
		t.Errorf("String() = %q: want the user and a redaction marker", s)
	}
}

func TestReadPassword(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	withNL, crlf, bare, empty := write("nl", secret+"\n"), write("crlf", secret+"\r\n"), write("bare", secret), write("empty", "\n")
	env := func(v string) func(string) string {
		return func(name string) string {
			if name == kafkasec.EnvPassword {
				return v
			}
			return ""
		}
	}
	tests := []struct {
		name    string
		env     string
		file    string
		want    string
		wantErr string
	}{
		{"neither", "", "", "", ""},
		{"env", secret, "", secret, ""},
		{"file with newline", "", withNL, secret, ""},
		{"file with crlf", "", crlf, secret, ""},
		{"file without newline", "", bare, secret, ""},
		{"both", secret, bare, "", "use one"},
		{"empty file", "", empty, "", "is empty"},
		{"missing file", "", filepath.Join(dir, "nope"), "", "reading SASL password file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := kafkasec.ReadPassword(env(tt.env), tt.file)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error contains the password: %v", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("got %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

func TestOpts(t *testing.T) {
	t.Parallel()
	pki := securitytest.NewPKI(t, t.TempDir())
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	if err := os.WriteFile(notPEM, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		cfg     kafkasec.Config
		opts    int
		wantErr string
	}{
		{"plaintext has no options", kafkasec.Config{}, 0, ""},
		{"tls", kafkasec.Config{TLS: true, CAFile: pki.CAFile}, 1, ""},
		{"tls and scram", kafkasec.Config{TLS: true, CAFile: pki.CAFile, CertFile: pki.ClientCertFile, KeyFile: pki.ClientKeyFile, SASLMechanism: "SCRAM-SHA-512", Username: "u", Password: secret}, 2, ""},
		{"invalid config", kafkasec.Config{SASLMechanism: "SCRAM-SHA-512"}, 0, "requires TLS"},
		{"missing ca file", kafkasec.Config{TLS: true, CAFile: filepath.Join(pki.Dir, "nope.pem")}, 0, "reading Kafka CA file"},
		{"ca file without certificates", kafkasec.Config{TLS: true, CAFile: notPEM}, 0, "no PEM certificate"},
		{"key not matching certificate", kafkasec.Config{TLS: true, CertFile: pki.ClientCertFile, KeyFile: pki.BrokerKeyFile}, 0, "loading Kafka client certificate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			opts, err := tt.cfg.Opts()
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(opts) != tt.opts {
				t.Errorf("%d options, want %d", len(opts), tt.opts)
			}
		})
	}
	tc, err := kafkasec.Config{TLS: true, CAFile: pki.CAFile, CertFile: pki.ClientCertFile, KeyFile: pki.ClientKeyFile}.TLSConfig()
	if err != nil {
		t.Fatal(err)
	}
	if tc.MinVersion != tls.VersionTLS12 || tc.InsecureSkipVerify || tc.RootCAs == nil || len(tc.Certificates) != 1 {
		t.Errorf("TLS config: min %x, skip verify %v, roots %v, %d certificates", tc.MinVersion, tc.InsecureSkipVerify, tc.RootCAs != nil, len(tc.Certificates))
	}
}

// TestAgainstKfake connects through real TLS (mutual) and SCRAM to a kfake cluster, and is
// refused with a wrong password, an untrusted CA and no client certificate.
func TestAgainstKfake(t *testing.T) {
	t.Parallel()
	pki := securitytest.NewPKI(t, t.TempDir())
	cert, err := tls.LoadX509KeyPair(pki.BrokerCertFile, pki.BrokerKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	clientCAs := x509.NewCertPool()
	b, err := os.ReadFile(pki.ClientCAFile)
	if err != nil {
		t.Fatal(err)
	}
	clientCAs.AppendCertsFromPEM(b)
	c, err := kfake.NewCluster(kfake.NumBrokers(1), kfake.EnableSASL(),
		kfake.Superuser("SCRAM-SHA-512", "admin", secret),
		kfake.User("SCRAM-SHA-256", "carrier-AF", secret+"-af"),
		kfake.TLS(&tls.Config{Certificates: []tls.Certificate{cert}, ClientCAs: clientCAs, ClientAuth: tls.RequireAndVerifyClientCert, MinVersion: tls.VersionTLS12}),
	)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	good := kafkasec.Config{TLS: true, CAFile: pki.CAFile, CertFile: pki.ClientCertFile, KeyFile: pki.ClientKeyFile,
		SASLMechanism: "SCRAM-SHA-512", Username: "admin", Password: secret}
	ping := func(cfg kafkasec.Config) error {
		opts, err := cfg.Opts()
		if err != nil {
			t.Fatal(err)
		}
		cl, err := kgo.NewClient(append([]kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}, opts...)...)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
		defer cancel()
		return cl.Ping(ctx)
	}
	if err := ping(good); err != nil {
		t.Fatalf("SCRAM-SHA-512 over mutual TLS: %v", err)
	}
	sha256 := good
	sha256.SASLMechanism, sha256.Username, sha256.Password = "SCRAM-SHA-256", "carrier-AF", secret+"-af"
	if err := ping(sha256); err != nil {
		t.Fatalf("SCRAM-SHA-256 over mutual TLS: %v", err)
	}

	wrong := good
	wrong.Password = "not-" + secret
	// kfake drops the connection (EOF) where Kafka answers SASL_AUTHENTICATION_FAILED; the
	// error code is checked against a real broker in internal/securitytest.
	err = ping(wrong)
	if err == nil {
		t.Error("wrong password accepted")
	}
	if err != nil && strings.Contains(err.Error(), wrong.Password) {
		t.Errorf("authentication error contains the password: %v", err)
	}

	untrusting := good
	untrusting.CAFile = pki.ClientCAFile
	var unknown x509.UnknownAuthorityError
	if err := ping(untrusting); !errors.As(err, &unknown) {
		t.Errorf("untrusted CA: got %v, want x509.UnknownAuthorityError", err)
	}

	wrongName := good
	wrongName.ServerName = "kafka.example.org"
	var hostErr x509.HostnameError
	if err := ping(wrongName); !errors.As(err, &hostErr) {
		t.Errorf("server name not in the certificate: got %v, want x509.HostnameError", err)
	}

	anonymous := good
	anonymous.CertFile, anonymous.KeyFile = "", ""
	if err := ping(anonymous); err == nil {
		t.Error("a client without a certificate was accepted by a broker requiring one")
	}
}
