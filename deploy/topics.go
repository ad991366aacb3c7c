package deploy

import (
	_ "embed"
	"errors"
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed topics.yaml
var topicsYAML []byte

// Topic is one declared Kafka topic.
type Topic struct {
	Role              string            `yaml:"role"`
	Name              string            `yaml:"name"`
	Partitions        int32             `yaml:"partitions"`
	ReplicationFactor int16             `yaml:"replication_factor"`
	Doc               string            `yaml:"doc"`
	Config            map[string]string `yaml:"config"`
}

// Compacted reports whether the topic is log-compacted.
func (t Topic) Compacted() bool { return strings.Contains(t.Config["cleanup.policy"], "compact") }

// Topics is the declared set, in file order.
type Topics []Topic

// Roles every deployment needs.
const (
	RoleManifests        = "manifests"
	RoleCrossings        = "crossings"
	RoleReferenceSLTD    = "reference.sltd"
	RoleReferenceNotices = "reference.notices"
	RoleScreenings       = "screenings"
	RoleAlerts           = "alerts"
	RoleDeadLetters      = "deadletters"
)

var requiredRoles = []string{RoleManifests, RoleCrossings, RoleReferenceSLTD, RoleReferenceNotices, RoleScreenings, RoleAlerts, RoleDeadLetters}

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
	return doc.Topics, nil
}

// Validate lists every problem of the declaration.
func (ts Topics) Validate() error {
	var errs []error
	names, roles := map[string]bool{}, map[string]bool{}
	for i, t := range ts {
		where := fmt.Sprintf("topics[%d] (%s)", i, t.Role)
		if t.Name == "" {
			errs = append(errs, fmt.Errorf("%s: name is required", where))
		}
		if names[t.Name] {
			errs = append(errs, fmt.Errorf("%s: name %q declared twice", where, t.Name))
		}
		if roles[t.Role] {
			errs = append(errs, fmt.Errorf("%s: role declared twice", where))
		}
		names[t.Name], roles[t.Role] = true, true
		if t.Partitions < 1 {
			errs = append(errs, fmt.Errorf("%s: partitions must be at least 1", where))
		}
		if t.ReplicationFactor < 1 {
			errs = append(errs, fmt.Errorf("%s: replication_factor must be at least 1", where))
		}
		if strings.HasPrefix(t.Role, "reference.") && !t.Compacted() {
			errs = append(errs, fmt.Errorf("%s: reference topics must be compacted", where))
		}
	}
	for _, r := range requiredRoles {
		if !roles[r] {
			errs = append(errs, fmt.Errorf("topic declaration: role %q is missing", r))
		}
	}
	return errors.Join(errs...)
}

// Name returns the topic name for a role, or "" when none is declared.
func (ts Topics) Name(role string) string {
	for _, t := range ts {
		if t.Role == role {
			return t.Name
		}
	}
	return ""
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
		out[i] = t
	}
	return out
}
