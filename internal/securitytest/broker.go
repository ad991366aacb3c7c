package securitytest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/internal/kafkasec"
)

// Broker is a private secured broker started by StartBroker.
type Broker struct {
	Addr          string // 127.0.0.1:PORT, the SASL_SSL listener
	PKI           *PKI
	AdminPassword string
	Dir           string // data, config and logs
}

// ClientAuth is the broker's ssl.client.auth.
type ClientAuth string

// The ssl.client.auth settings.
const (
	ClientAuthNone      ClientAuth = "none"
	ClientAuthRequested ClientAuth = "requested"
	ClientAuthRequired  ClientAuth = "required"
)

// StartBroker generates a PKI, starts a sasl_ssl broker on free ports with deploy/local/kafka.sh
// and stops it when the test ends. With ClientAuth "required", every client must present
// PKI.ClientCertFile (Broker.Config does).
func StartBroker(t *testing.T, auth ClientAuth) *Broker {
	t.Helper()
	dir := t.TempDir()
	tlsDir := filepath.Join(dir, "tls")
	if err := os.Mkdir(tlsDir, 0o700); err != nil {
		t.Fatal(err)
	}
	b := &Broker{PKI: NewPKI(t, tlsDir), AdminPassword: RandomPassword(t), Dir: filepath.Join(dir, "kafka")}
	env := append(os.Environ(),
		"WATCHPOST_KAFKA_DIR="+b.Dir,
		"WATCHPOST_KAFKA_PORT="+strconv.Itoa(freePort(t)),
		"WATCHPOST_KAFKA_CONTROLLER_PORT="+strconv.Itoa(freePort(t)),
		"WATCHPOST_KAFKA_SECURITY=sasl_ssl",
		"WATCHPOST_KAFKA_TLS_DIR="+tlsDir,
		"WATCHPOST_KAFKA_ADMIN_PASSWORD="+b.AdminPassword,
		"WATCHPOST_KAFKA_SSL_CLIENT_AUTH="+string(auth),
	)
	script := filepath.Join(RepoRoot(t), "deploy", "local", "kafka.sh")
	run := func(verb string) (string, error) {
		// Not t.Context(): stop must still run in Cleanup, after the test's context ends.
		cmd := exec.CommandContext(context.WithoutCancel(t.Context()), script, verb)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		out, err := cmd.Output()
		if err != nil {
			return "", &scriptError{verb: verb, err: err, stderr: stderr.String()}
		}
		return strings.TrimSpace(string(out)), nil
	}
	addr, err := run("start")
	t.Cleanup(func() {
		if _, err := run("stop"); err != nil {
			t.Errorf("stopping the secured broker: %v", err)
		}
	})
	if err != nil {
		t.Fatalf("starting the secured broker: %v", err)
	}
	b.Addr = addr
	return b
}

type scriptError struct {
	verb, stderr string
	err          error
}

func (e *scriptError) Error() string {
	return "kafka.sh " + e.verb + ": " + e.err.Error() + "\n" + e.stderr
}

// Config returns the security config of a client authenticating as user with password over
// TLS (trusting the broker CA, presenting the client certificate) with SCRAM-SHA-512.
func (b *Broker) Config(user, password string) kafkasec.Config {
	return kafkasec.Config{
		TLS: true, CAFile: b.PKI.CAFile, CertFile: b.PKI.ClientCertFile, KeyFile: b.PKI.ClientKeyFile,
		SASLMechanism: kafkasec.MechanismSCRAMSHA512, Username: user, Password: password,
	}
}

// Admin is Config for the super user.
func (b *Broker) Admin() kafkasec.Config { return b.Config("admin", b.AdminPassword) }

// Logs returns the tail of the broker's server log, for failure messages.
func (b *Broker) Logs() string {
	data, _ := os.ReadFile(filepath.Join(b.Dir, "logs", "server.log"))
	if len(data) > 4000 {
		data = data[len(data)-4000:]
	}
	return string(data)
}

// RandomPassword returns a fresh 32-hex-digit password.
func RandomPassword(tb testing.TB) string {
	tb.Helper()
	var p [16]byte
	if _, err := rand.Read(p[:]); err != nil {
		tb.Fatal(err)
	}
	return hex.EncodeToString(p[:])
}

// RepoRoot is the module root, found from this file's location.
func RepoRoot(tb testing.TB) string {
	tb.Helper()
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		tb.Fatal("locating the source tree")
	}
	return filepath.Join(filepath.Dir(file), "..", "..")
}

func freePort(tb testing.TB) int {
	tb.Helper()
	ln, err := new(net.ListenConfig).Listen(context.Background(), "tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
