package console

import (
	"errors"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.uber.org/zap"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/schemas"
)

// Config configures a console. Zero durations and sizes take the defaults below.
type Config struct {
	Brokers []string
	Opts    []kgo.Opt // TLS, SASL, logging hooks
	Topics  deploy.Topics
	Serde   *schemas.Serde
	Users   *Users
	Logger  *zap.Logger
	// Registry receives the console's metrics; nil registers nowhere.
	Registry prometheus.Registerer

	// Backlog is how many recent alerts the console holds per country: what a page
	// shows when it opens, and what can be opened and decided. Default 5000.
	Backlog int
	// StreamBuffer is how many events wait for one browser before the oldest are dropped
	// (and counted): a slow screen never slows the others. Default 1000.
	StreamBuffer int
	// Since is how far back a country's alerts are read when the console starts.
	// Default 24 hours.
	Since time.Duration
	// SessionIdle ends a session unused for this long (default 30 minutes); SessionMax
	// ends any session this long after login (default 12 hours).
	SessionIdle, SessionMax time.Duration
	// SecureCookies marks the session cookie Secure (and names it __Host-…) even when the
	// console itself serves plain HTTP, for a console behind a TLS-terminating proxy. It
	// is always on when the console serves TLS.
	SecureCookies bool
	// LoginFailures failed logins to one account within LoginWindow block further attempts
	// until the window has passed. Defaults 5 and 15 minutes.
	LoginFailures int
	LoginWindow   time.Duration
	// Now is the clock; default time.Now.
	Now func() time.Time
}

// Defaults.
const (
	DefaultBacklog      = 5000
	DefaultStreamBuffer = 1000
	DefaultSince        = 24 * time.Hour
	DefaultSessionIdle  = 30 * time.Minute
	DefaultSessionMax   = 12 * time.Hour
)

// Sentinel configuration errors.
var (
	ErrNoBrokers = errors.New("console: no seed brokers")
	ErrNoUsers   = errors.New("console: users: required")
	ErrNoSerde   = errors.New("console: serde: required")
)

func (c *Config) setDefaults() {
	if c.Backlog == 0 {
		c.Backlog = DefaultBacklog
	}
	if c.StreamBuffer == 0 {
		c.StreamBuffer = DefaultStreamBuffer
	}
	if c.Since == 0 {
		c.Since = DefaultSince
	}
	if c.SessionIdle == 0 {
		c.SessionIdle = DefaultSessionIdle
	}
	if c.SessionMax == 0 {
		c.SessionMax = DefaultSessionMax
	}
	if c.LoginFailures == 0 {
		c.LoginFailures = 5
	}
	if c.LoginWindow == 0 {
		c.LoginWindow = 15 * time.Minute
	}
	if c.Logger == nil {
		c.Logger = zap.NewNop()
	}
	if c.Now == nil {
		c.Now = time.Now
	}
}

// Validate lists every problem of the configuration (after defaults).
func (c Config) Validate() error {
	var errs []error
	if len(c.Brokers) == 0 {
		errs = append(errs, ErrNoBrokers)
	}
	if c.Users == nil {
		errs = append(errs, ErrNoUsers)
	}
	if c.Serde == nil {
		errs = append(errs, ErrNoSerde)
	}
	for _, role := range []string{deploy.RoleOutcomes, deploy.RoleAudit} {
		if c.Topics.Name(role) == "" {
			errs = append(errs, fmt.Errorf("console: topics: no %s topic declared", role))
		}
	}
	if _, ok := c.Topics.Template(deploy.RoleAlertsCountry); !ok {
		errs = append(errs, fmt.Errorf("console: topics: no %s template declared", deploy.RoleAlertsCountry))
	}
	if c.Backlog < 1 || c.StreamBuffer < 1 {
		errs = append(errs, errors.New("console: backlog and stream buffer must be at least 1"))
	}
	if c.Since < 0 || c.SessionIdle < 0 || c.SessionMax < 0 || c.LoginWindow < 0 || c.LoginFailures < 0 {
		errs = append(errs, errors.New("console: durations and counts must not be negative"))
	}
	return errors.Join(errs...)
}
