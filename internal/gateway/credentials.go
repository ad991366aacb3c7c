package gateway

import (
	"bytes"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"os"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/watchpost/watchpost/analytics/sink"
)

// Kind is what a client is, and so what it may submit.
type Kind string

const (
	// KindCarrier submits manifests for its own carrier codes.
	KindCarrier Kind = "carrier"
	// KindBorderPost submits crossings for its own country and, if listed, its own posts.
	KindBorderPost Kind = "border_post"
	// KindPartner checks documents at POST /v1/checks (hit or no-hit, nothing more).
	KindPartner Kind = "partner"
)

// Client is one set of credentials and what it is allowed to do. Identifiers (id, codes) are
// not secret and may be logged; the key is only ever held as its SHA-256.
type Client struct {
	ID   string `yaml:"id" json:"id"`
	Kind Kind   `yaml:"kind" json:"kind"`
	// Carriers are the carrier codes (IATA or operator) a carrier may submit manifests for.
	Carriers []string `yaml:"carriers,omitempty" json:"carriers,omitempty"`
	// Country is the ISO 3166 alpha-3 country a border post submits crossings for, or the
	// country where a partner operates (its checks are screened for that country).
	Country string `yaml:"country,omitempty" json:"country,omitempty"`
	// BorderPosts, when not empty, restricts a border post to these posts of its country.
	BorderPosts []string `yaml:"border_posts,omitempty" json:"border_posts,omitempty"`
	// KeySHA256 is HashKey of the client's API key: 64 lowercase hex digits. Optional for a
	// client that authenticates with a certificate only.
	KeySHA256 string `yaml:"key_sha256,omitempty" json:"key_sha256,omitempty"`
	// CertCN is the subject common name of the client's certificate; default the id.
	CertCN string `yaml:"cert_cn,omitempty" json:"cert_cn,omitempty"`
	// RatePerSecond and Burst override the configured default token bucket when positive.
	RatePerSecond float64 `yaml:"rate_per_second,omitempty" json:"rate_per_second,omitempty"`
	Burst         int     `yaml:"burst,omitempty" json:"burst,omitempty"`

	keyHash [sha256.Size]byte
	hasKey  bool
}

// mayCarry reports whether a carrier client may submit for carrier code code.
func (c *Client) mayCarry(code string) bool {
	return slices.Contains(c.Carriers, strings.ToUpper(strings.TrimSpace(code)))
}

// mayPost reports whether a border post client may submit a crossing at post in country.
func (c *Client) mayPost(country, post string) (countryOK, postOK bool) {
	countryOK = strings.EqualFold(strings.TrimSpace(country), c.Country)
	postOK = len(c.BorderPosts) == 0 || slices.Contains(c.BorderPosts, strings.ToUpper(strings.TrimSpace(post)))
	return countryOK, postOK
}

// Credentials are the clients a gateway knows, loaded once at start. Immutable after
// loading and safe for concurrent use.
type Credentials struct {
	clients []*Client
	byCN    map[string]*Client
}

// credentialsFile is the file format: YAML, or JSON (which YAML reads too).
type credentialsFile struct {
	Clients []*Client `yaml:"clients"`
}

// LoadCredentials reads and validates a credentials file.
func LoadCredentials(path string) (*Credentials, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading credentials file: %w", err)
	}
	c, err := ParseCredentials(b)
	if err != nil {
		return nil, fmt.Errorf("loading credentials file %s: %w", path, err)
	}
	return c, nil
}

var (
	hexKey     = regexp.MustCompile(`^[0-9a-f]{64}$`)
	alpha3     = regexp.MustCompile(`^[A-Z]{3}$`)
	codeSyntax = regexp.MustCompile(`^[A-Z0-9]{2,8}$`)
)

// ParseCredentials parses a YAML or JSON credentials document (unknown fields are errors)
// and reports every problem at once. Codes are compared upper-case; write them so.
func ParseCredentials(b []byte) (*Credentials, error) {
	var f credentialsFile
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parsing credentials: %w", err)
	}
	var errs []error
	ids, keys := map[string]bool{}, map[string]string{}
	cs := &Credentials{byCN: map[string]*Client{}}
	for i, c := range f.Clients {
		if c == nil {
			errs = append(errs, fmt.Errorf("clients[%d]: empty entry", i))
			continue
		}
		where := fmt.Sprintf("clients[%d]", i)
		if c.ID == "" {
			errs = append(errs, fmt.Errorf("%s: id is required", where))
		} else {
			where = fmt.Sprintf("clients[%d] (%s)", i, c.ID)
			if ids[c.ID] {
				errs = append(errs, fmt.Errorf("%s: id declared twice", where))
			}
			ids[c.ID] = true
		}
		for j := range c.Carriers {
			c.Carriers[j] = strings.ToUpper(strings.TrimSpace(c.Carriers[j]))
		}
		for j := range c.BorderPosts {
			c.BorderPosts[j] = strings.ToUpper(strings.TrimSpace(c.BorderPosts[j]))
		}
		c.Country = strings.ToUpper(strings.TrimSpace(c.Country))
		switch c.Kind {
		case KindCarrier:
			if len(c.Carriers) == 0 {
				errs = append(errs, fmt.Errorf("%s: a carrier needs at least one carrier code", where))
			}
			for j, code := range c.Carriers {
				if !codeSyntax.MatchString(code) {
					errs = append(errs, fmt.Errorf("%s: carriers[%d]: want 2-8 letters or digits", where, j))
				}
			}
			if c.Country != "" || len(c.BorderPosts) > 0 {
				errs = append(errs, fmt.Errorf("%s: a carrier has no country or border_posts", where))
			}
		case KindBorderPost:
			if !alpha3.MatchString(c.Country) {
				errs = append(errs, fmt.Errorf("%s: a border post needs country, ISO 3166 alpha-3", where))
			}
			if len(c.Carriers) > 0 {
				errs = append(errs, fmt.Errorf("%s: a border post has no carriers", where))
			}
		case KindPartner:
			if !alpha3.MatchString(c.Country) {
				errs = append(errs, fmt.Errorf("%s: a partner needs country, ISO 3166 alpha-3, where it operates", where))
			}
			if len(c.Carriers) > 0 || len(c.BorderPosts) > 0 {
				errs = append(errs, fmt.Errorf("%s: a partner has no carriers or border_posts", where))
			}
			if c.ID != "" && !sink.ValidPersonID(c.ID) {
				// The id is the actor of the partner's audit records, which refuse what may be a name.
				errs = append(errs, fmt.Errorf("%s: a partner's id must be letters, digits and . _ : / -, with at least one digit (e.g. partner-17)", where))
			}
		default:
			errs = append(errs, fmt.Errorf("%s: kind must be one of carrier, border_post, partner", where))
		}
		if c.KeySHA256 != "" {
			if !hexKey.MatchString(c.KeySHA256) {
				errs = append(errs, fmt.Errorf("%s: key_sha256 must be 64 lowercase hex digits (see HashKey)", where))
			} else {
				if other, dup := keys[c.KeySHA256]; dup {
					errs = append(errs, fmt.Errorf("%s: key_sha256 is also the key of %s", where, other))
				}
				keys[c.KeySHA256] = c.ID
				_, _ = hex.Decode(c.keyHash[:], []byte(c.KeySHA256)) // checked by the pattern
				c.hasKey = true
			}
		}
		if c.CertCN == "" {
			c.CertCN = c.ID
		}
		if other, dup := cs.byCN[c.CertCN]; dup && c.CertCN != "" {
			errs = append(errs, fmt.Errorf("%s: cert_cn is also the common name of %s", where, other.ID))
		}
		if c.RatePerSecond < 0 || math.IsNaN(c.RatePerSecond) || math.IsInf(c.RatePerSecond, 0) {
			errs = append(errs, fmt.Errorf("%s: rate_per_second must be a positive number, or 0 for the default", where))
		}
		if c.Burst < 0 {
			errs = append(errs, fmt.Errorf("%s: burst must be positive, or 0 for the default", where))
		}
		if c.CertCN != "" {
			cs.byCN[c.CertCN] = c
		}
		cs.clients = append(cs.clients, c)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return cs, nil
}

// Clients returns the clients in file order. Callers must not modify them.
func (cs *Credentials) Clients() []*Client { return cs.clients }

// byKey returns the client whose key is key, or nil. It hashes key and compares the hash
// with every client's in constant time, without stopping at the first match, so timing
// reveals neither which client matched nor how much of a hash agreed.
func (cs *Credentials) byKey(key string) *Client {
	h := sha256.Sum256([]byte(key))
	var found *Client
	for _, c := range cs.clients {
		if c.hasKey && subtle.ConstantTimeCompare(h[:], c.keyHash[:]) == 1 {
			found = c
		}
	}
	return found
}

// byCertCN returns the client whose certificate common name is cn, or nil.
func (cs *Credentials) byCertCN(cn string) *Client {
	if cn == "" {
		return nil
	}
	return cs.byCN[cn]
}

// keyPrefix marks Watchpost API keys so that secret scanners can find leaked ones.
const keyPrefix = "wpk_"

// NewKey returns a fresh API key: 256 random bits, base64url, with a recognisable prefix.
// Give the key to the client once; store only HashKey(key).
func NewKey() (string, error) {
	var b [32]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("reading random bytes for an API key: %w", err)
	}
	return keyPrefix + base64.RawURLEncoding.EncodeToString(b[:]), nil
}

// HashKey returns the value to store as a client's key_sha256: the lowercase hex SHA-256 of
// key. A plain hash suffices because keys are high-entropy (NewKey); it is not meant for
// passwords.
func HashKey(key string) string {
	h := sha256.Sum256([]byte(key))
	return hex.EncodeToString(h[:])
}
