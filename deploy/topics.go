package deploy

import (
	_ "embed"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/watchpost/watchpost/pipeline/event"
)

//go:embed topics.yaml
var topicsYAML []byte

// Topic is one declared Kafka topic.
//
// A declared name holding {country} is a per-country template: one topic per country, for
// the per-country alert and notification streams that Kafka ACLs can grant to one control
// room or one record owner. The template's countries are declared up front; ParseTopics
// expands the template into one Topic per listed country, each with Pattern and Country
// set, so that callers ranging over Topics (topic creation, ACLs) see only real names.
// Topics for further countries follow the same template: see ForCountry.
type Topic struct {
	Role              string            `yaml:"role"`
	Name              string            `yaml:"name"`
	Partitions        int32             `yaml:"partitions"`
	ReplicationFactor int16             `yaml:"replication_factor"`
	Doc               string            `yaml:"doc"`
	Config            map[string]string `yaml:"config"`
	// Countries lists, on a template, the ISO 3166 alpha-3 countries whose topics are
	// declared up front. Empty on every other entry and on expanded topics.
	Countries []string `yaml:"countries,omitempty"`

	// Pattern is the template name (with {country}) a topic was expanded from; "" for a
	// topic declared by name.
	Pattern string `yaml:"-"`
	// Country is the country an expanded topic is for; "" for a topic declared by name.
	Country string `yaml:"-"`
}

// PlaceholderCountry in a declared name makes the entry a per-country template.
const PlaceholderCountry = "{country}"

var (
	alpha3    = regexp.MustCompile(`^[A-Z]{3}$`)
	topicName = regexp.MustCompile(`^[a-zA-Z0-9._-]+$`)
)

// ValidCountry reports whether c is an ISO 3166 alpha-3 code as Watchpost writes them:
// three upper-case ASCII letters. Only such codes are ever put into a topic name.
func ValidCountry(c string) bool { return alpha3.MatchString(c) }

// isTemplate reports whether t is a template as declared (not yet expanded).
func (t Topic) isTemplate() bool { return strings.Contains(t.Name, PlaceholderCountry) }

// expand returns the topic of one country of template t.
func (t Topic) expand(country string) Topic {
	out := t
	out.Name = strings.ReplaceAll(t.Name, PlaceholderCountry, country)
	out.Pattern, out.Country, out.Countries = t.Name, country, nil
	out.Config = t.Config // shared, read-only
	return out
}

// Compacted reports whether the topic is log-compacted.
func (t Topic) Compacted() bool { return strings.Contains(t.Config["cleanup.policy"], "compact") }

// Topics is the declared set, in file order.
type Topics []Topic

// Roles every deployment needs.
const (
	RoleManifests         = "manifests"
	RoleCrossings         = "crossings"
	RoleReferenceSLTD     = "reference.sltd"
	RoleReferenceNotices  = "reference.notices"
	RoleReferenceNominals = "reference.nominals"
	RoleReferenceTDAWN    = "reference.tdawn"
	RoleReferenceVehicles = "reference.vehicles"
	RoleReferenceVessels  = "reference.vessels"
	RoleReferenceFirearms = "reference.firearms"
	RoleScreenings        = "screenings"
	RoleAlerts            = "alerts" // every alert: the analytics sink's stream
	RoleDeadLetters       = "deadletters"
	// RoleAlertsCountry is the per-country template of the control rooms' alert streams:
	// watchpost.alerts.<country>.v1, one per screening country.
	RoleAlertsCountry = "alerts.country"
	// RoleNotificationsOwner is the per-country template of the record owners'
	// notifications: watchpost.notifications.<owner>.v1, one per owning country.
	RoleNotificationsOwner = "notifications.owner"
	RoleOutcomes           = "outcomes" // officers' confirm / dismiss decisions
	RoleAudit              = "audit"    // what each officer was shown and did, ids only
	RolePNR                = "pnr"      // PNR data kept for targeting rules, keyed by locator and carrier
)

var requiredRoles = []string{
	RoleManifests, RoleCrossings, RoleReferenceSLTD, RoleReferenceNotices, RoleReferenceNominals, RoleReferenceTDAWN,
	RoleReferenceVehicles, RoleReferenceVessels, RoleReferenceFirearms, RoleScreenings, RoleAlerts, RoleDeadLetters,
	RoleAlertsCountry, RoleNotificationsOwner, RoleOutcomes, RoleAudit,
}

// ReferenceRole returns the role of a database's compacted reference topic, "" for an
// unknown database.
func ReferenceRole(db event.Database) string {
	switch db {
	case event.DBSLTD:
		return RoleReferenceSLTD
	case event.DBNotices:
		return RoleReferenceNotices
	case event.DBNominals:
		return RoleReferenceNominals
	case event.DBTDAWN:
		return RoleReferenceTDAWN
	case event.DBVehicles:
		return RoleReferenceVehicles
	case event.DBVessels:
		return RoleReferenceVessels
	case event.DBFirearms:
		return RoleReferenceFirearms
	default:
		return ""
	}
}

// templateRoles must be declared as per-country templates.
var templateRoles = []string{RoleAlertsCountry, RoleNotificationsOwner}

// DefaultTopics returns the embedded declaration.
func DefaultTopics() (Topics, error) { return ParseTopics(topicsYAML) }

// ParseTopics parses and validates a topic declaration.
func ParseTopics(b []byte) (Topics, error) {
	var doc struct {
		Topics Topics `yaml:"topics"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("parsing topic declaration: %w", err)
	}
	if err := doc.Topics.Validate(); err != nil {
		return nil, err
	}
	var out Topics
	for _, t := range doc.Topics {
		if !t.isTemplate() {
			out = append(out, t)
			continue
		}
		for _, c := range t.Countries {
			out = append(out, t.expand(c))
		}
	}
	return out, nil
}

// Validate lists every problem of the declaration, as parsed or as expanded.
func (ts Topics) Validate() error {
	var errs []error
	names, roles := map[string]bool{}, map[string]string{} // role -> pattern of its template
	for i, t := range ts {
		where := fmt.Sprintf("topics[%d] (%s)", i, t.Role)
		if t.Name == "" {
			errs = append(errs, fmt.Errorf("%s: name is required", where))
		}
		if names[t.Name] {
			errs = append(errs, fmt.Errorf("%s: name %q declared twice", where, t.Name))
		}
		names[t.Name] = true
		pattern := t.Pattern
		if t.isTemplate() {
			pattern = t.Name
		}
		// The topics expanded from one template share its role.
		if prev, seen := roles[t.Role]; seen && (pattern == "" || prev != pattern) {
			errs = append(errs, fmt.Errorf("%s: role declared twice", where))
		}
		roles[t.Role] = pattern
		if t.Partitions < 1 {
			errs = append(errs, fmt.Errorf("%s: partitions must be at least 1", where))
		}
		if t.ReplicationFactor < 1 {
			errs = append(errs, fmt.Errorf("%s: replication_factor must be at least 1", where))
		}
		if strings.HasPrefix(t.Role, "reference.") && !t.Compacted() {
			errs = append(errs, fmt.Errorf("%s: reference topics must be compacted", where))
		}
		errs = append(errs, t.validateTemplate(where)...)
	}
	for _, r := range requiredRoles {
		if _, ok := roles[r]; !ok {
			errs = append(errs, fmt.Errorf("topic declaration: role %q is missing", r))
		}
	}
	for _, r := range templateRoles {
		if p, ok := roles[r]; ok && p == "" {
			errs = append(errs, fmt.Errorf("topic declaration: role %q must be a per-country template: a name with %s", r, PlaceholderCountry))
		}
	}
	return errors.Join(errs...)
}

// validateTemplate checks the per-country fields of t and the characters of its name.
func (t Topic) validateTemplate(where string) []error {
	var errs []error
	switch {
	case t.isTemplate():
		if strings.Count(t.Name, PlaceholderCountry) != 1 {
			errs = append(errs, fmt.Errorf("%s: name must hold %s once", where, PlaceholderCountry))
		}
		if len(t.Countries) == 0 {
			errs = append(errs, fmt.Errorf("%s: a per-country template needs countries: the ones declared up front", where))
		}
		seen := map[string]bool{}
		for j, c := range t.Countries {
			if !ValidCountry(c) {
				errs = append(errs, fmt.Errorf("%s: countries[%d]: want ISO 3166 alpha-3, upper case", where, j))
			}
			if seen[c] {
				errs = append(errs, fmt.Errorf("%s: countries[%d]: %s listed twice", where, j, c))
			}
			seen[c] = true
		}
		if n := strings.ReplaceAll(t.Name, PlaceholderCountry, "XXX"); !topicName.MatchString(n) {
			errs = append(errs, fmt.Errorf("%s: name: want letters, digits, '.', '_' and '-' besides %s", where, PlaceholderCountry))
		}
	case t.Pattern != "":
		if !ValidCountry(t.Country) || t.Name != strings.ReplaceAll(t.Pattern, PlaceholderCountry, t.Country) {
			errs = append(errs, fmt.Errorf("%s: expanded topic does not match its template", where))
		}
	default:
		if len(t.Countries) > 0 {
			errs = append(errs, fmt.Errorf("%s: countries: only for a name with %s", where, PlaceholderCountry))
		}
		if t.Name != "" && !topicName.MatchString(t.Name) {
			errs = append(errs, fmt.Errorf("%s: name: want letters, digits, '.', '_' and '-'", where))
		}
	}
	return errs
}

// Name returns the topic name for a role, or "" when none is declared. A per-country
// role has no single name: see ForCountry.
func (ts Topics) Name(role string) string {
	for _, t := range ts {
		if t.Role == role && t.Pattern == "" {
			return t.Name
		}
	}
	return ""
}

// Template returns the per-country template of role: Name is the pattern with {country}
// and Countries lists the countries declared up front.
func (ts Topics) Template(role string) (Topic, bool) {
	var out Topic
	found := false
	for _, t := range ts {
		if t.Role != role || t.Pattern == "" {
			continue
		}
		if !found {
			out = t
			out.Name, out.Country, out.Countries = t.Pattern, "", nil
			found = true
		}
		out.Countries = append(out.Countries, t.Country)
	}
	return out, found
}

// ForCountry returns the topic of role for country: the one declared up front, or one
// built from the role's template (same partitions, replication and config), which the
// writer creates on first use. It fails for a role without a template and for a country
// that is not an alpha-3 code, so that no input can put arbitrary text into a topic name.
func (ts Topics) ForCountry(role, country string) (Topic, error) {
	if !ValidCountry(country) {
		return Topic{}, fmt.Errorf("topic of role %s: country: want ISO 3166 alpha-3, upper case", role)
	}
	tmpl, ok := ts.Template(role)
	if !ok {
		return Topic{}, fmt.Errorf("topic of role %s: no per-country template is declared", role)
	}
	for _, t := range ts {
		if t.Role == role && t.Country == country {
			return t, nil
		}
	}
	tmpl.Countries = nil
	return tmpl.expand(country), nil
}

// Countries returns the countries declared up front for a per-country role, sorted.
func (ts Topics) Countries(role string) []string {
	t, _ := ts.Template(role)
	out := slices.Clone(t.Countries)
	slices.Sort(out)
	return out
}

// Names returns every declared topic name, in declaration order.
func (ts Topics) Names() []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.Name
	}
	return out
}

// WithSuffix returns a copy whose topic names end in "."+suffix, so that several runs (test
// suites, demos) can share one cluster without reading each other's records.
func (ts Topics) WithSuffix(suffix string) Topics {
	out := make(Topics, len(ts))
	for i, t := range ts {
		t.Name += "." + suffix
		if t.Pattern != "" {
			t.Pattern += "." + suffix
		}
		out[i] = t
	}
	return out
}
