package kafkasec

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/sasl/scram"
)

// SASL mechanisms Config accepts.
const (
	MechanismNone        = ""
	MechanismSCRAMSHA256 = "SCRAM-SHA-256"
	MechanismSCRAMSHA512 = "SCRAM-SHA-512"
)

// EnvPassword is the environment variable the SASL password is read from.
const EnvPassword = "WATCHPOST_SASL_PASSWORD"

// Config is how a client secures its connections to Kafka. The zero value is a plaintext,
// unauthenticated client, as the embedded demo cluster and the plain test broker expect.
type Config struct {
	// TLS encrypts every broker connection and verifies the broker's certificate.
	TLS bool `yaml:"tls" json:"tls"`
	// CAFile is a PEM bundle of the CAs trusted to sign broker certificates. Empty means the
	// system roots.
	CAFile string `yaml:"ca_file" json:"ca_file"`
	// CertFile and KeyFile are the client's PEM certificate chain and key, for brokers that
	// require mutual TLS. Both or neither.
	CertFile string `yaml:"cert_file" json:"cert_file"`
	KeyFile  string `yaml:"key_file" json:"key_file"`
	// ServerName is the name the broker certificate must hold. Empty means the host of each
	// broker address, as dialled (an IP SAN for 127.0.0.1:9093).
	ServerName string `yaml:"server_name" json:"server_name"`
	// SASLMechanism is "", SCRAM-SHA-256 or SCRAM-SHA-512. SASL requires TLS.
	SASLMechanism string `yaml:"sasl_mechanism" json:"sasl_mechanism"`
	// Username and Password are the SCRAM credentials. Password is never encoded or printed.
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"-" json:"-"`
}

// Enabled reports whether the config asks for anything beyond a plaintext connection.
func (c Config) Enabled() bool { return c.TLS || c.SASLMechanism != "" }

// Validate lists every problem of the config. Messages name settings, never the password.
func (c Config) Validate() error {
	var errs []error
	if !c.TLS {
		for _, s := range []struct{ name, v string }{
			{"ca file", c.CAFile}, {"client certificate", c.CertFile}, {"client key", c.KeyFile}, {"server name", c.ServerName},
		} {
			if s.v != "" {
				errs = append(errs, fmt.Errorf("kafka security: a %s is set but TLS is off", s.name))
			}
		}
	}
	if (c.CertFile == "") != (c.KeyFile == "") {
		errs = append(errs, errors.New("kafka security: a client certificate and its key go together: set both or neither"))
	}
	switch c.SASLMechanism {
	case MechanismNone:
		if c.Username != "" || c.Password != "" {
			errs = append(errs, errors.New("kafka security: SASL credentials are set but no SASL mechanism"))
		}
	case MechanismSCRAMSHA256, MechanismSCRAMSHA512:
		if !c.TLS {
			errs = append(errs, fmt.Errorf("kafka security: SASL %s requires TLS", c.SASLMechanism))
		}
		if c.Username == "" {
			errs = append(errs, fmt.Errorf("kafka security: SASL %s requires a username", c.SASLMechanism))
		}
		if c.Password == "" {
			errs = append(errs, fmt.Errorf("kafka security: SASL %s requires a password (env %s or a password file)", c.SASLMechanism, EnvPassword))
		}
	default:
		errs = append(errs, fmt.Errorf("kafka security: SASL mechanism %q is not supported: want %s or %s",
			c.SASLMechanism, MechanismSCRAMSHA256, MechanismSCRAMSHA512))
	}
	return errors.Join(errs...)
}

// Opts validates the config and returns the client options it implies: none for the zero
// Config, kgo.DialTLSConfig for TLS, kgo.SASL for SCRAM. Files are read now, so a missing or
// malformed certificate fails here rather than at the first connection.
func (c Config) Opts() ([]kgo.Opt, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var opts []kgo.Opt
	if c.TLS {
		tc, err := c.TLSConfig()
		if err != nil {
			return nil, err
		}
		opts = append(opts, kgo.DialTLSConfig(tc))
	}
	switch c.SASLMechanism {
	case MechanismSCRAMSHA256:
		opts = append(opts, kgo.SASL(scram.Auth{User: c.Username, Pass: c.Password}.AsSha256Mechanism()))
	case MechanismSCRAMSHA512:
		opts = append(opts, kgo.SASL(scram.Auth{User: c.Username, Pass: c.Password}.AsSha512Mechanism()))
	}
	return opts, nil
}

// TLSConfig returns the verified TLS client configuration: the CA bundle (or system roots),
// the client certificate when set, TLS 1.2 at least.
func (c Config) TLSConfig() (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12, ServerName: c.ServerName}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("reading Kafka CA file: %w", err)
		}
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("reading Kafka CA file %s: no PEM certificate in it", c.CAFile)
		}
		tc.RootCAs = pool
	}
	if c.CertFile != "" {
		cert, err := tls.LoadX509KeyPair(c.CertFile, c.KeyFile)
		if err != nil {
			return nil, fmt.Errorf("loading Kafka client certificate %s: %w", c.CertFile, err)
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}

// String describes the config without the password.
func (c Config) String() string {
	var b strings.Builder
	if c.TLS {
		b.WriteString("tls")
		if c.CAFile != "" {
			fmt.Fprintf(&b, " ca=%s", c.CAFile)
		}
		if c.CertFile != "" {
			fmt.Fprintf(&b, " cert=%s", c.CertFile)
		}
		if c.ServerName != "" {
			fmt.Fprintf(&b, " server-name=%s", c.ServerName)
		}
	} else {
		b.WriteString("plaintext")
	}
	if c.SASLMechanism != "" {
		fmt.Fprintf(&b, " sasl=%s user=%s", c.SASLMechanism, c.Username)
		if c.Password != "" {
			b.WriteString(" password=[redacted]")
		}
	}
	return b.String()
}

// GoString is String, so that %#v does not print the password either.
func (c Config) GoString() string { return "kafkasec.Config{" + c.String() + "}" }

// ReadPassword returns the SASL password from the environment variable EnvPassword (looked
// up with getenv) or from file, whichever is set; both set is an error, as is an empty file.
// One trailing newline of the file is dropped. Neither returns nor errors with the secret.
func ReadPassword(getenv func(string) string, file string) (string, error) {
	env := getenv(EnvPassword)
	switch {
	case env != "" && file != "":
		return "", fmt.Errorf("reading SASL password: both %s and a password file are set; use one", EnvPassword)
	case env != "":
		return env, nil
	case file == "":
		return "", nil
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return "", fmt.Errorf("reading SASL password file: %w", err)
	}
	pw := strings.TrimSuffix(strings.TrimSuffix(string(b), "\n"), "\r")
	if pw == "" {
		return "", fmt.Errorf("reading SASL password file %s: it is empty", file)
	}
	return pw, nil
}
