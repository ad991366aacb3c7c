package gateway

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"time"
)

// Defaults applied by [Config.SetDefaults].
const (
	DefaultListen                = ":8443"
	DefaultBodyLimit             = 4 << 20 // 4 MiB
	DefaultRate                  = 10.0    // requests per second per client
	DefaultBurst                 = 20
	DefaultProduceTimeout        = 10 * time.Second
	DefaultProducers             = 4
	DefaultTransactionalIDPrefix = "watchpost-gateway"
	DefaultDedupSize             = 100_000
	DefaultDedupTTL              = 24 * time.Hour
	DefaultReadTimeout           = 30 * time.Second
	DefaultShutdownTimeout       = 30 * time.Second

	maxBodyLimit = 256 << 20
	maxProducers = 64
)

// Sentinels for the most common configuration mistakes; Validate wraps them.
var (
	ErrNoCredentials = errors.New("gateway: credentials_file is required")
	ErrTLSPair       = errors.New("gateway: tls_cert and tls_key must be set together")
	ErrClientCAnoTLS = errors.New("gateway: client_ca needs tls_cert and tls_key (mutual TLS runs over TLS)")
)

// Config configures the gateway. The zero value plus SetDefaults is valid except for
// CredentialsFile, which has no default.
type Config struct {
	// Listen is the host:port ListenAndServe listens on. Default DefaultListen.
	Listen string `yaml:"listen" json:"listen"`
	// TLSCert and TLSKey are PEM files of the server's certificate chain and key. Both or
	// neither; without them the gateway speaks plain HTTP (for a TLS-terminating proxy or tests).
	TLSCert string `yaml:"tls_cert" json:"tls_cert"`
	TLSKey  string `yaml:"tls_key" json:"tls_key"`
	// ClientCA is a PEM file of the CAs that sign client certificates. When set, clients
	// authenticate with a certificate whose subject CN maps to a client id (see Credentials),
	// and a client without a verified certificate is refused during the TLS handshake.
	ClientCA string `yaml:"client_ca" json:"client_ca"`
	// ClientCertOptional relaxes ClientCA: a certificate is verified when given, and a client
	// without one must present an API key instead.
	ClientCertOptional bool `yaml:"client_cert_optional" json:"client_cert_optional"`
	// CredentialsFile is the YAML or JSON file of clients and their hashed keys, loaded at New.
	CredentialsFile string `yaml:"credentials_file" json:"credentials_file"`
	// BodyLimit is the largest request body accepted, in bytes; reading stops there and the
	// request is answered 413. Default 4 MiB, at most 256 MiB.
	BodyLimit int64 `yaml:"body_limit" json:"body_limit"`
	// DefaultRate and DefaultBurst are the token bucket of a client whose credentials set
	// none: sustained requests per second and the burst allowed above it.
	DefaultRate  float64 `yaml:"default_rate" json:"default_rate"`
	DefaultBurst int     `yaml:"default_burst" json:"default_burst"`
	// ProduceTimeout bounds waiting for a free producer and for Kafka to acknowledge a
	// submission's records; when it passes, the transaction is aborted and the client is
	// answered 503 (about a quarter second later at most). Committing the transaction has a
	// bound of the same length. Default 10s.
	ProduceTimeout time.Duration `yaml:"produce_timeout" json:"produce_timeout"`
	// Producers is how many transactional producers run side by side (one open transaction
	// each). Default 4, at most 64.
	Producers int `yaml:"producers" json:"producers"`
	// TransactionalIDPrefix names this gateway's transactional producers (prefix-0,
	// prefix-1, …). It MUST be unique per gateway replica: two replicas with the same prefix
	// fence each other's transactions. Default DefaultTransactionalIDPrefix.
	TransactionalIDPrefix string `yaml:"transactional_id_prefix" json:"transactional_id_prefix"`
	// DedupSize and DedupTTL bound the store of recently accepted ids used to answer an
	// identical resubmission as a duplicate. Defaults 100000 and 24h.
	DedupSize int           `yaml:"dedup_size" json:"dedup_size"`
	DedupTTL  time.Duration `yaml:"dedup_ttl" json:"dedup_ttl"`
	// ReadTimeout bounds reading one request, headers and body. Default 30s.
	ReadTimeout time.Duration `yaml:"read_timeout" json:"read_timeout"`
	// ShutdownTimeout bounds the graceful shutdown of Serve. Default 30s.
	ShutdownTimeout time.Duration `yaml:"shutdown_timeout" json:"shutdown_timeout"`
}

// SetDefaults fills every zero field that has a default.
func (c *Config) SetDefaults() {
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.BodyLimit == 0 {
		c.BodyLimit = DefaultBodyLimit
	}
	if c.DefaultRate == 0 {
		c.DefaultRate = DefaultRate
	}
	if c.DefaultBurst == 0 {
		c.DefaultBurst = DefaultBurst
	}
	if c.ProduceTimeout == 0 {
		c.ProduceTimeout = DefaultProduceTimeout
	}
	if c.Producers == 0 {
		c.Producers = DefaultProducers
	}
	if c.TransactionalIDPrefix == "" {
		c.TransactionalIDPrefix = DefaultTransactionalIDPrefix
	}
	if c.DedupSize == 0 {
		c.DedupSize = DefaultDedupSize
	}
	if c.DedupTTL == 0 {
		c.DedupTTL = DefaultDedupTTL
	}
	if c.ReadTimeout == 0 {
		c.ReadTimeout = DefaultReadTimeout
	}
	if c.ShutdownTimeout == 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
}

// Validate reports every problem with the configuration at once. It does not apply defaults
// and does not read the files it names (New does).
func (c Config) Validate() error {
	var errs []error
	if c.Listen == "" {
		errs = append(errs, errors.New("gateway: listen is required"))
	} else if _, port, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, errors.New("gateway: listen must be host:port (host may be empty)"))
	} else if p, err := strconv.Atoi(port); err != nil || p < 0 || p > 65535 {
		errs = append(errs, errors.New("gateway: listen port must be 0-65535"))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, ErrTLSPair)
	}
	if c.ClientCA != "" && (c.TLSCert == "" || c.TLSKey == "") {
		errs = append(errs, ErrClientCAnoTLS)
	}
	if c.ClientCertOptional && c.ClientCA == "" {
		errs = append(errs, errors.New("gateway: client_cert_optional needs client_ca"))
	}
	if c.CredentialsFile == "" {
		errs = append(errs, ErrNoCredentials)
	}
	if c.BodyLimit <= 0 || c.BodyLimit > maxBodyLimit {
		errs = append(errs, fmt.Errorf("gateway: body_limit must be 1-%d bytes", maxBodyLimit))
	}
	if !(c.DefaultRate > 0) { // also rejects NaN
		errs = append(errs, errors.New("gateway: default_rate must be positive"))
	}
	if c.DefaultBurst < 1 {
		errs = append(errs, errors.New("gateway: default_burst must be at least 1"))
	}
	if c.ProduceTimeout <= 0 {
		errs = append(errs, errors.New("gateway: produce_timeout must be positive"))
	}
	if c.Producers < 1 || c.Producers > maxProducers {
		errs = append(errs, fmt.Errorf("gateway: producers must be 1-%d", maxProducers))
	}
	if c.TransactionalIDPrefix == "" {
		errs = append(errs, errors.New("gateway: transactional_id_prefix is required"))
	}
	if c.DedupSize < 1 {
		errs = append(errs, errors.New("gateway: dedup_size must be at least 1"))
	}
	if c.DedupTTL <= 0 {
		errs = append(errs, errors.New("gateway: dedup_ttl must be positive"))
	}
	if c.ReadTimeout <= 0 {
		errs = append(errs, errors.New("gateway: read_timeout must be positive"))
	}
	if c.ShutdownTimeout <= 0 {
		errs = append(errs, errors.New("gateway: shutdown_timeout must be positive"))
	}
	return errors.Join(errs...)
}

// Warnings lists legal but suspicious settings, to be logged at startup.
func (c Config) Warnings() []string {
	var w []string
	if c.TLSCert == "" {
		w = append(w, "gateway: serving plain HTTP: API keys travel in clear unless a TLS-terminating proxy is in front")
	}
	if c.TransactionalIDPrefix == DefaultTransactionalIDPrefix {
		w = append(w, "gateway: transactional_id_prefix is the default: give each replica its own, or replicas fence each other")
	}
	if c.DedupTTL < time.Hour {
		w = append(w, "gateway: dedup_ttl under an hour: a carrier's retry after that is produced again (downstream de-duplicates)")
	}
	return w
}
