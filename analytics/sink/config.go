package sink

import (
	"errors"
	"net"
	"regexp"
	"strconv"
	"time"
)

// Defaults applied by [Config.SetDefaults].
const (
	DefaultAddr         = "127.0.0.1:19000" // deploy/local/clickhouse.sh
	DefaultDatabase     = "watchpost"
	DefaultUsername     = "default"
	DefaultDialTimeout  = 5 * time.Second
	DefaultQueryTimeout = 30 * time.Second
)

// Config says where and how to reach ClickHouse.
type Config struct {
	// Addr is the host:port of the native protocol (not HTTP). Default DefaultAddr.
	Addr string `yaml:"addr" json:"addr"`
	// Database is created when missing. An identifier: letters, digits and underscores,
	// not starting with a digit, at most 64 bytes. Default DefaultDatabase.
	Database string `yaml:"database" json:"database"`
	// Username defaults to DefaultUsername; Password may be empty.
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"password" json:"-"`
	// DialTimeout bounds connecting and waiting for a pooled connection. Default 5s.
	DialTimeout time.Duration `yaml:"dial_timeout" json:"dial_timeout"`
	// QueryTimeout bounds each call (a batch, a query, a migration statement). Default 30s.
	QueryTimeout time.Duration `yaml:"query_timeout" json:"query_timeout"`
}

// SetDefaults fills every zero field with its default.
func (c *Config) SetDefaults() {
	if c.Addr == "" {
		c.Addr = DefaultAddr
	}
	if c.Database == "" {
		c.Database = DefaultDatabase
	}
	if c.Username == "" {
		c.Username = DefaultUsername
	}
	if c.DialTimeout == 0 {
		c.DialTimeout = DefaultDialTimeout
	}
	if c.QueryTimeout == 0 {
		c.QueryTimeout = DefaultQueryTimeout
	}
}

var identifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,63}$`)

// Validate reports every problem with the configuration at once. It does not apply defaults.
func (c Config) Validate() error {
	var errs []error
	if c.Addr == "" {
		errs = append(errs, errors.New("clickhouse addr is required"))
	} else if host, port, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, errors.New("clickhouse addr must be host:port"))
	} else {
		if host == "" {
			errs = append(errs, errors.New("clickhouse addr needs a host"))
		}
		if p, err := strconv.Atoi(port); err != nil || p < 1 || p > 65535 {
			errs = append(errs, errors.New("clickhouse addr port must be 1-65535"))
		}
	}
	if !identifier.MatchString(c.Database) {
		errs = append(errs, errors.New("clickhouse database must be an identifier: letters, digits, underscores, not starting with a digit, at most 64 bytes"))
	}
	if c.Username == "" {
		errs = append(errs, errors.New("clickhouse username is required"))
	}
	if c.DialTimeout <= 0 {
		errs = append(errs, errors.New("clickhouse dial_timeout must be positive"))
	}
	if c.QueryTimeout <= 0 {
		errs = append(errs, errors.New("clickhouse query_timeout must be positive"))
	}
	return errors.Join(errs...)
}
