package console

import (
	"bytes"
	"crypto/pbkdf2"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Password hashes are PBKDF2-HMAC-SHA-256 from the standard library, written
//
//	pbkdf2-sha256$ITERATIONS$SALT$KEY
//
// with SALT (16 bytes or more) and KEY (32 bytes) in unpadded standard base64. `watchpost
// console hash-password` writes them.
const (
	hashScheme = "pbkdf2-sha256"
	// DefaultIterations is the work factor HashPassword uses: OWASP's 2023 advice for
	// PBKDF2-HMAC-SHA-256.
	DefaultIterations = 600_000
	// MinIterations is the lowest work factor a users file may use (tests use it).
	MinIterations = 1_000
	keyLen        = 32
	saltLen       = 16
)

// User is one console account: an officer of one country's control room. The id is not
// secret and appears in audit records; it should not be a name.
type User struct {
	ID       string `yaml:"id"`
	Country  string `yaml:"country"`  // ISO 3166 alpha-3: the only country whose alerts the user sees
	Password string `yaml:"password"` // a hash written by HashPassword, never the password

	iter int
	salt []byte
	key  []byte
}

// Users are the accounts of a console, loaded once at start. Immutable after loading and
// safe for concurrent use.
type Users struct {
	byID  map[string]*User
	order []*User
	dummy *User // verified against when the id is unknown, so timing does not tell
}

var (
	userIDSyntax  = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$`)
	countrySyntax = regexp.MustCompile(`^[A-Z]{3}$`)
)

// LoadUsers reads and validates a users file.
func LoadUsers(path string) (*Users, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading users file: %w", err)
	}
	u, err := ParseUsers(b)
	if err != nil {
		return nil, fmt.Errorf("loading users file %s: %w", path, err)
	}
	return u, nil
}

// ParseUsers parses a YAML users document (unknown fields are errors) and reports every
// problem at once:
//
//	users:
//	  - id: off-fra-0042
//	    country: FRA
//	    password: pbkdf2-sha256$600000$…$…
func ParseUsers(b []byte) (*Users, error) {
	var f struct {
		Users []*User `yaml:"users"`
	}
	dec := yaml.NewDecoder(bytes.NewReader(b))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parsing users: %w", err)
	}
	us := &Users{byID: map[string]*User{}}
	var errs []error
	for i, u := range f.Users {
		where := fmt.Sprintf("users[%d]", i)
		if u == nil {
			errs = append(errs, fmt.Errorf("%s: empty entry", where))
			continue
		}
		if !userIDSyntax.MatchString(u.ID) {
			errs = append(errs, fmt.Errorf("%s: id: want 1-64 letters, digits, '.', '_', '@' or '-'", where))
		} else {
			where = fmt.Sprintf("users[%d] (%s)", i, u.ID)
			if us.byID[u.ID] != nil {
				errs = append(errs, fmt.Errorf("%s: id declared twice", where))
			}
		}
		if !countrySyntax.MatchString(u.Country) {
			errs = append(errs, fmt.Errorf("%s: country: want ISO 3166 alpha-3, upper case", where))
		}
		var err error
		if u.iter, u.salt, u.key, err = parseHash(u.Password); err != nil {
			errs = append(errs, fmt.Errorf("%s: password: %w", where, err))
		}
		us.byID[u.ID] = u
		us.order = append(us.order, u)
	}
	if len(f.Users) == 0 {
		errs = append(errs, errors.New("users: at least one user is required"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	// The dummy costs what the dearest real account costs.
	iter := MinIterations
	for _, u := range us.order {
		iter = max(iter, u.iter)
	}
	us.dummy = &User{iter: iter, salt: make([]byte, saltLen), key: make([]byte, keyLen)}
	return us, nil
}

// Countries returns the countries of all users, sorted, without repeats.
func (us *Users) Countries() []string {
	seen := map[string]bool{}
	var out []string
	for _, u := range us.order {
		if !seen[u.Country] {
			seen[u.Country] = true
			out = append(out, u.Country)
		}
	}
	slices.Sort(out)
	return out
}

// Lookup returns the user with id, or nil.
func (us *Users) Lookup(id string) *User { return us.byID[id] }

// Authenticate returns the user whose id and password these are, or nil. It always derives
// one key, also for an unknown id, and compares in constant time.
func (us *Users) Authenticate(id, password string) *User {
	u := us.byID[id]
	target := u
	if target == nil {
		target = us.dummy
	}
	got, err := pbkdf2.Key(sha256.New, password, target.salt, target.iter, keyLen)
	if err != nil || u == nil {
		return nil
	}
	if subtle.ConstantTimeCompare(got, u.key) != 1 {
		return nil
	}
	return u
}

// HashPassword returns the users-file hash of password with a fresh random salt and the
// given work factor (DefaultIterations when 0).
func HashPassword(password string, iterations int) (string, error) {
	if iterations == 0 {
		iterations = DefaultIterations
	}
	if iterations < MinIterations {
		return "", fmt.Errorf("hashing password: iterations must be at least %d", MinIterations)
	}
	if password == "" {
		return "", errors.New("hashing password: the password is empty")
	}
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hashing password: reading random salt: %w", err)
	}
	key, err := pbkdf2.Key(sha256.New, password, salt, iterations, keyLen)
	if err != nil {
		return "", fmt.Errorf("hashing password: %w", err)
	}
	enc := base64.RawStdEncoding
	return strings.Join([]string{hashScheme, strconv.Itoa(iterations), enc.EncodeToString(salt), enc.EncodeToString(key)}, "$"), nil
}

// parseHash splits a users-file hash. Its errors never quote the hash.
func parseHash(s string) (iter int, salt, key []byte, err error) {
	parts := strings.Split(s, "$")
	if len(parts) != 4 || parts[0] != hashScheme {
		return 0, nil, nil, fmt.Errorf("want %s$ITERATIONS$SALT$KEY (see `watchpost console hash-password`)", hashScheme)
	}
	iter, err = strconv.Atoi(parts[1])
	if err != nil || iter < MinIterations || iter > 100_000_000 {
		return 0, nil, nil, fmt.Errorf("iterations must be a number from %d to 100000000", MinIterations)
	}
	enc := base64.RawStdEncoding
	if salt, err = enc.DecodeString(parts[2]); err != nil || len(salt) < saltLen {
		return 0, nil, nil, fmt.Errorf("salt must be at least %d bytes of unpadded base64", saltLen)
	}
	if key, err = enc.DecodeString(parts[3]); err != nil || len(key) != keyLen {
		return 0, nil, nil, fmt.Errorf("key must be %d bytes of unpadded base64", keyLen)
	}
	return iter, salt, key, nil
}
