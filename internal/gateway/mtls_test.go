package gateway_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/watchpost/watchpost/internal/gateway"
)

// tlsFiles are the PEM files a TLS gateway is configured with, and a client configuration
// that trusts it.
type tlsFiles struct {
	cert, key, clientCA string
	client              *tls.Config
}

// testCA is a certificate authority generated for one test.
type testCA struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
	pem  []byte
}

func newCA(t testing.TB, name string) *testCA {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCA{cert: cert, key: key, pem: pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})}
}

// issue signs a leaf certificate for cn: a server certificate for 127.0.0.1, or a client one.
func (ca *testCA) issue(t testing.TB, cn string, server bool) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: serial, Subject: pkix.Name{CommonName: cn},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.ExtKeyUsage = []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}
		tmpl.IPAddresses = []net.IP{net.IPv4(127, 0, 0, 1)}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		t.Fatal(err)
	}
	kder, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kder})
}

func writeFile(t testing.TB, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// tlsSetup writes a server certificate and (when mutual) the client CA, and returns the
// files and a client configuration trusting the server, with no client certificate.
func tlsSetup(t testing.TB, serverCA, clientCA *testCA) *tlsFiles {
	dir := t.TempDir()
	certPEM, keyPEM := serverCA.issue(t, "gateway", true)
	f := &tlsFiles{cert: writeFile(t, dir, "server.pem", certPEM), key: writeFile(t, dir, "server-key.pem", keyPEM)}
	if clientCA != nil {
		f.clientCA = writeFile(t, dir, "client-ca.pem", clientCA.pem)
	}
	roots := x509.NewCertPool()
	roots.AddCert(serverCA.cert)
	f.client = &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}
	return f
}

// withClientCert returns a copy of e's HTTP client presenting a certificate for cn signed by ca.
func withClientCert(t testing.TB, e *env, ca *testCA, cn string) *http.Client {
	t.Helper()
	certPEM, keyPEM := ca.issue(t, cn, false)
	cert, err := tls.X509KeyPair(certPEM, keyPEM)
	if err != nil {
		t.Fatal(err)
	}
	base := e.http.Transport.(*http.Transport)
	tc := base.TLSClientConfig.Clone()
	tc.Certificates = []tls.Certificate{cert}
	tr := &http.Transport{TLSClientConfig: tc}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// TestMutualTLS: with a client CA, a verified certificate's CN names the client and no key
// is needed; a client without a certificate, or with one from another CA, is refused during
// the handshake; a verified but unregistered CN is 401.
func TestMutualTLS(t *testing.T) {
	t.Parallel()
	serverCA, clientCA, rogueCA := newCA(t, "server CA"), newCA(t, "client CA"), newCA(t, "rogue CA")
	e := newEnv(t, envOpts{tls: tlsSetup(t, serverCA, clientCA)})

	post := func(c *http.Client, client string) (response, error) {
		return e.tryWith(c, http.MethodPost, "/v1/crossings", client, "application/json", mustJSON(t, personCrossing("CDG", "M1")))
	}
	cases := []struct {
		name    string
		client  *http.Client
		key     string
		status  int // 0: the handshake must fail
		problem string
	}{
		{"certificate of a registered client", withClientCert(t, e, clientCA, "cdg"), "", 202, ""},
		{"certificate mapped by cert_cn", withClientCert(t, e, clientCA, "cert-only.example"), "", 202, ""},
		{"certificate and the same client's key", withClientCert(t, e, clientCA, "cdg"), "cdg", 202, ""},
		{"certificate and another client's key", withClientCert(t, e, clientCA, "cdg"), "fra-any", 401, "unauthenticated"},
		{"certificate of an unregistered name", withClientCert(t, e, clientCA, "ghost"), "", 401, "unauthenticated"},
		{"certificate of a carrier", withClientCert(t, e, clientCA, "af"), "", 403, "forbidden"},
		{"no certificate, even with a key", e.http, "cdg", 0, ""},
		{"certificate from another CA", withClientCert(t, e, rogueCA, "cdg"), "", 0, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r, err := post(tc.client, tc.key)
			if tc.status == 0 {
				if err == nil {
					t.Fatalf("served %d %s, want the TLS handshake refused", r.status, r.body)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.status != tc.status {
				t.Fatalf("status %d, want %d: %s", r.status, tc.status, r.body)
			}
			if tc.problem != "" {
				if p := r.problem(t); p.Type != "urn:watchpost:problem:"+tc.problem {
					t.Errorf("type %s, want %s", p.Type, tc.problem)
				}
			}
		})
	}
}

// TestOptionalClientCert: with client_cert_optional, a client without a certificate may use
// its key, and one with neither is 401.
func TestOptionalClientCert(t *testing.T) {
	t.Parallel()
	serverCA, clientCA := newCA(t, "server CA"), newCA(t, "client CA")
	e := newEnv(t, envOpts{tls: tlsSetup(t, serverCA, clientCA), cfg: func(c *gateway.Config) { c.ClientCertOptional = true }})
	if r := e.postJSON(t, "/v1/crossings", "cdg", personCrossing("CDG", "O1")); r.status != 202 {
		t.Errorf("key without certificate = %d %s, want 202", r.status, r.body)
	}
	if r := e.postJSON(t, "/v1/crossings", "", personCrossing("CDG", "O2")); r.status != 401 {
		t.Errorf("neither key nor certificate = %d, want 401", r.status)
	}
	r, err := e.tryWith(withClientCert(t, e, clientCA, "cdg"), http.MethodPost, "/v1/crossings", "", "application/json", mustJSON(t, personCrossing("CDG", "O3")))
	if err != nil || r.status != 202 {
		t.Errorf("certificate without key = %d %s %v, want 202", r.status, r.body, err)
	}
}
