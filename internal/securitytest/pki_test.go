package securitytest_test

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"os"
	"testing"

	"github.com/watchpost/watchpost/internal/securitytest"
)

func TestPKIChains(t *testing.T) {
	t.Parallel()
	p := securitytest.NewPKI(t, t.TempDir())
	pool := func(file string) *x509.CertPool {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cp := x509.NewCertPool()
		if !cp.AppendCertsFromPEM(b) {
			t.Fatalf("%s holds no certificate", file)
		}
		return cp
	}
	leaf := func(certFile, keyFile string) *x509.Certificate {
		pair, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			t.Fatalf("loading %s: %v", certFile, err)
		}
		c, err := x509.ParseCertificate(pair.Certificate[0])
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	broker, client := leaf(p.BrokerCertFile, p.BrokerKeyFile), leaf(p.ClientCertFile, p.ClientKeyFile)
	tests := []struct {
		name  string
		cert  *x509.Certificate
		opts  x509.VerifyOptions
		valid bool
	}{
		{"broker for 127.0.0.1 under the CA", broker, x509.VerifyOptions{Roots: pool(p.CAFile), DNSName: "127.0.0.1"}, true},
		{"broker for localhost under the CA", broker, x509.VerifyOptions{Roots: pool(p.CAFile), DNSName: "localhost"}, true},
		{"broker as a client (inter-broker) under the CA", broker, x509.VerifyOptions{Roots: pool(p.CAFile), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, true},
		{"broker for another name", broker, x509.VerifyOptions{Roots: pool(p.CAFile), DNSName: "kafka.example.org"}, false},
		{"broker under the client CA", broker, x509.VerifyOptions{Roots: pool(p.ClientCAFile), DNSName: "127.0.0.1"}, false},
		{"client under the client CA", client, x509.VerifyOptions{Roots: pool(p.ClientCAFile), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, true},
		{"client under the broker CA", client, x509.VerifyOptions{Roots: pool(p.CAFile), KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}, false},
		{"client as a server", client, x509.VerifyOptions{Roots: pool(p.ClientCAFile)}, false},
	}
	for _, tt := range tests {
		_, err := tt.cert.Verify(tt.opts)
		if (err == nil) != tt.valid {
			t.Errorf("%s: verify error %v, want valid=%v", tt.name, err, tt.valid)
		}
	}
	// Kafka's PEM key store reads PKCS#8 only.
	b, err := os.ReadFile(p.BrokerKeyFile)
	if err != nil {
		t.Fatal(err)
	}
	if blk, _ := pem.Decode(b); blk == nil || blk.Type != "PRIVATE KEY" {
		t.Errorf("broker key is not an unencrypted PKCS#8 PEM block")
	}
}
