package acl

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// File is a parsed ACL declaration.
type File struct {
	Manage     Manage          `yaml:"manage"`
	Roles      map[string]Role `yaml:"roles"`
	Principals []Principal     `yaml:"principals"`
}

// Manage says which existing bindings belong to the declaration.
type Manage struct {
	// ResourcePrefixes: bindings on topics, groups and transactional ids whose names start
	// with one of these are owned by the file.
	ResourcePrefixes []string `yaml:"resource_prefixes"`
}

// Role is what a kind of principal may do. Topic references use the grammar of the package
// doc; group and transactional-id names may use the placeholders and end in '*' (PREFIXED).
type Role struct {
	Doc              string   `yaml:"doc"`
	Read             []string `yaml:"read"`              // topics: READ (implies DESCRIBE)
	Write            []string `yaml:"write"`             // topics: WRITE (implies DESCRIBE; idempotent producing)
	Groups           []string `yaml:"groups"`            // consumer groups: READ
	TransactionalIDs []string `yaml:"transactional_ids"` // transactional ids: WRITE
}

// Principal is one SCRAM user and the role it takes.
type Principal struct {
	User    string `yaml:"user"`
	Role    string `yaml:"role"`
	Carrier string `yaml:"carrier"` // IATA or ICAO airline designator, for {carrier}
	Country string `yaml:"country"` // ISO 3166 alpha-3, for {country}
	Doc     string `yaml:"doc"`
}

// Placeholders a role may use, filled from the principal.
const (
	PlaceholderUser    = "{user}"
	PlaceholderCarrier = "{carrier}"
	PlaceholderCountry = "{country}"
)

var (
	userRE      = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	carrierRE   = regexp.MustCompile(`^[A-Z0-9]{2,3}$`)
	countryRE   = regexp.MustCompile(`^[A-Z]{3}$`)
	roleNameRE  = regexp.MustCompile(`^[a-z][a-z0-9_-]*$`)
	topicRoleRE = regexp.MustCompile(`^[a-z][a-z0-9._-]*$`)
	// qualifierRE is a literal qualifier or one placeholder.
	qualifierRE   = regexp.MustCompile(`^(\{user\}|\{carrier\}|\{country\}|[A-Za-z0-9_-]+)$`)
	nameRE        = regexp.MustCompile(`^[A-Za-z0-9._{}-]+$`)
	placeholderRE = regexp.MustCompile(`\{[^}]*\}`)
)

// ParseFile reads and parses a declaration.
func ParseFile(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("reading ACL declaration: %w", err)
	}
	f, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return f, nil
}

// Parse parses a declaration (unknown fields are errors) and validates it.
func Parse(b []byte) (*File, error) {
	var f File
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("parsing ACL declaration: %w", err)
	}
	if err := f.Validate(); err != nil {
		return nil, err
	}
	return &f, nil
}

// Validate lists every problem of the declaration that does not depend on the topic
// declaration (Bindings checks the rest).
func (f *File) Validate() error {
	var errs []error
	if len(f.Manage.ResourcePrefixes) == 0 {
		errs = append(errs, errors.New("manage.resource_prefixes: at least one prefix is required"))
	}
	for i, p := range f.Manage.ResourcePrefixes {
		if len(p) < 2 || !nameRE.MatchString(p) || strings.ContainsAny(p, "{}") {
			errs = append(errs, fmt.Errorf("manage.resource_prefixes[%d] %q: want two or more of [A-Za-z0-9._-]", i, p))
		}
	}
	if len(f.Roles) == 0 {
		errs = append(errs, errors.New("roles: at least one role is required"))
	}
	for _, name := range sortedKeys(f.Roles) {
		errs = append(errs, f.Roles[name].validate(name)...)
	}
	users := map[string]bool{}
	for i, p := range f.Principals {
		where := fmt.Sprintf("principals[%d] (%s)", i, p.User)
		if !userRE.MatchString(p.User) {
			errs = append(errs, fmt.Errorf("principals[%d]: user %q: want letters, digits, '.', '_' or '-'", i, p.User))
		}
		if users[p.User] {
			errs = append(errs, fmt.Errorf("%s: user declared twice", where))
		}
		users[p.User] = true
		if p.Carrier != "" && !carrierRE.MatchString(p.Carrier) {
			errs = append(errs, fmt.Errorf("%s: carrier %q: want a 2- or 3-character upper-case airline designator", where, p.Carrier))
		}
		if p.Country != "" && !countryRE.MatchString(p.Country) {
			errs = append(errs, fmt.Errorf("%s: country %q: want ISO 3166 alpha-3 in upper case", where, p.Country))
		}
		r, ok := f.Roles[p.Role]
		if !ok {
			errs = append(errs, fmt.Errorf("%s: role %q is not declared", where, p.Role))
			continue
		}
		for _, ph := range r.placeholders() {
			if ph == PlaceholderCarrier && p.Carrier == "" {
				errs = append(errs, fmt.Errorf("%s: role %s uses {carrier}: carrier is required", where, p.Role))
			}
			if ph == PlaceholderCountry && p.Country == "" {
				errs = append(errs, fmt.Errorf("%s: role %s uses {country}: country is required", where, p.Role))
			}
		}
	}
	return errors.Join(errs...)
}

func (r Role) validate(name string) []error {
	var errs []error
	where := "roles." + name
	if !roleNameRE.MatchString(name) {
		errs = append(errs, fmt.Errorf("%s: role names are lower-case letters, digits, '_' and '-'", where))
	}
	if len(r.Read)+len(r.Write)+len(r.Groups)+len(r.TransactionalIDs) == 0 {
		errs = append(errs, fmt.Errorf("%s: grants nothing", where))
	}
	for _, list := range []struct {
		field string
		refs  []string
	}{{"read", r.Read}, {"write", r.Write}} {
		for i, ref := range list.refs {
			if _, err := parseTopicRef(ref); err != nil {
				errs = append(errs, fmt.Errorf("%s.%s[%d]: %w", where, list.field, i, err))
			}
		}
	}
	for _, list := range []struct {
		field string
		names []string
	}{{"groups", r.Groups}, {"transactional_ids", r.TransactionalIDs}} {
		for i, n := range list.names {
			if err := validateName(n); err != nil {
				errs = append(errs, fmt.Errorf("%s.%s[%d]: %w", where, list.field, i, err))
			}
		}
	}
	return errs
}

// placeholders returns every placeholder the role uses.
func (r Role) placeholders() []string {
	var out []string
	for _, s := range slices.Concat(r.Read, r.Write, r.Groups, r.TransactionalIDs) {
		for _, ph := range placeholderRE.FindAllString(s, -1) {
			if !slices.Contains(out, ph) {
				out = append(out, ph)
			}
		}
	}
	return out
}

// topicRef is a parsed topic reference.
type topicRef struct {
	role      string // topic role in deploy/topics.yaml
	qualifier string // "" for the declared topic; a literal or a placeholder
	family    bool   // ROLE/*
	prefixed  bool   // ROLE/QUAL*
}

func parseTopicRef(ref string) (topicRef, error) {
	role, qual, hasQual := strings.Cut(ref, "/")
	if !topicRoleRE.MatchString(role) {
		return topicRef{}, fmt.Errorf("topic reference %q: want ROLE, ROLE/QUALIFIER, ROLE/QUALIFIER* or ROLE/*", ref)
	}
	if !hasQual {
		return topicRef{role: role}, nil
	}
	if qual == "*" {
		return topicRef{role: role, family: true}, nil
	}
	t := topicRef{role: role}
	if q, ok := strings.CutSuffix(qual, "*"); ok {
		t.prefixed, qual = true, q
	}
	if !qualifierRE.MatchString(qual) {
		return topicRef{}, fmt.Errorf("topic reference %q: qualifier %q: want {carrier}, {country}, {user} or letters, digits, '_' and '-'", ref, qual)
	}
	t.qualifier = qual
	return t, nil
}

// validateName checks a group or transactional-id template.
func validateName(n string) error {
	base, prefixed := strings.CutSuffix(n, "*")
	if base == "" || !nameRE.MatchString(base) {
		return fmt.Errorf("%q: want letters, digits, '.', '_', '-' and placeholders, with an optional trailing '*'", n)
	}
	for _, ph := range placeholderRE.FindAllString(base, -1) {
		if ph != PlaceholderUser && ph != PlaceholderCarrier && ph != PlaceholderCountry {
			return fmt.Errorf("%q: unknown placeholder %s", n, ph)
		}
	}
	if strings.Count(base, "{") != len(placeholderRE.FindAllString(base, -1)) || strings.Count(base, "}") != strings.Count(base, "{") {
		return fmt.Errorf("%q: unbalanced braces", n)
	}
	if prefixed && !endsAtSeparator(base) {
		return fmt.Errorf("%q: a prefix must end in '.', '-' or '_', so that it cannot cover a longer name (AF would cover AFR)", n)
	}
	return nil
}

func endsAtSeparator(s string) bool {
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "-") || strings.HasSuffix(s, "_")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
