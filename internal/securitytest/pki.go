package securitytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// PKI is a set of PEM files in Dir, named as deploy/local/kafka.sh expects them.
type PKI struct {
	Dir string
	// CAFile signed the broker certificate: clients trust it.
	CAFile string
	// BrokerCertFile and BrokerKeyFile are the broker's certificate (IP SAN 127.0.0.1, DNS
	// SAN localhost; server and client auth, for the broker's connections to itself) and
	// its unencrypted PKCS#8 key.
	BrokerCertFile, BrokerKeyFile string
	// ClientCAFile signed ClientCertFile; the broker trusts it for client certificates.
	// Clients that trust only this CA cannot verify the broker.
	ClientCAFile                  string
	ClientCertFile, ClientKeyFile string
}

type issuer struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

// NewPKI generates the CAs and certificates into dir, valid from an hour ago for a day.
func NewPKI(tb testing.TB, dir string) *PKI {
	tb.Helper()
	p := &PKI{
		Dir:            dir,
		CAFile:         filepath.Join(dir, "ca.pem"),
		BrokerCertFile: filepath.Join(dir, "broker.pem"),
		BrokerKeyFile:  filepath.Join(dir, "broker-key.pem"),
		ClientCAFile:   filepath.Join(dir, "client-ca.pem"),
		ClientCertFile: filepath.Join(dir, "client.pem"),
		ClientKeyFile:  filepath.Join(dir, "client-key.pem"),
	}
	ca := newCA(tb, "Watchpost test CA", p.CAFile)
	clientCA := newCA(tb, "Watchpost test client CA", p.ClientCAFile)
	issue(tb, ca, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "watchpost-test-broker"},
		DNSNames:    []string{"localhost"},
		IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth},
	}, p.BrokerCertFile, p.BrokerKeyFile)
	issue(tb, clientCA, &x509.Certificate{
		Subject:     pkix.Name{CommonName: "watchpost-test-client"},
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}, p.ClientCertFile, p.ClientKeyFile)
	return p
}

func newKey(tb testing.TB) *ecdsa.PrivateKey {
	tb.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		tb.Fatalf("generating key: %v", err)
	}
	return k
}

func serial(tb testing.TB) *big.Int {
	tb.Helper()
	n, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 62))
	if err != nil {
		tb.Fatalf("generating serial: %v", err)
	}
	return n
}

func newCA(tb testing.TB, name, certFile string) issuer {
	tb.Helper()
	key := newKey(tb)
	tmpl := &x509.Certificate{
		SerialNumber:          serial(tb),
		Subject:               pkix.Name{CommonName: name},
		NotBefore:             time.Now().Add(-time.Hour),
		NotAfter:              time.Now().Add(24 * time.Hour),
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		tb.Fatalf("creating CA %s: %v", name, err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		tb.Fatal(err)
	}
	writePEM(tb, certFile, "CERTIFICATE", der)
	return issuer{cert: cert, key: key}
}

func issue(tb testing.TB, ca issuer, tmpl *x509.Certificate, certFile, keyFile string) {
	tb.Helper()
	key := newKey(tb)
	tmpl.SerialNumber = serial(tb)
	tmpl.NotBefore, tmpl.NotAfter = time.Now().Add(-time.Hour), time.Now().Add(24*time.Hour)
	tmpl.KeyUsage = x509.KeyUsageDigitalSignature
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		tb.Fatalf("issuing %s: %v", tmpl.Subject.CommonName, err)
	}
	pk, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		tb.Fatal(err)
	}
	writePEM(tb, certFile, "CERTIFICATE", der)
	writePEM(tb, keyFile, "PRIVATE KEY", pk)
}

func writePEM(tb testing.TB, path, typ string, der []byte) {
	tb.Helper()
	if err := os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
		tb.Fatalf("writing %s: %v", path, err)
	}
}
