package acl

import (
	"cmp"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/deploy"
)

// Binding is one Kafka ACL: principal, host, resource pattern, operation and permission.
type Binding struct {
	Principal  string // "User:carrier-AF"
	Host       string // "*" for declared bindings
	Type       kmsg.ACLResourceType
	Name       string
	Pattern    kadm.ACLPattern // LITERAL or PREFIXED
	Operation  kadm.ACLOperation
	Permission kmsg.ACLPermissionType
}

// String renders the binding on one line, as `watchpost acl apply` prints it.
func (b Binding) String() string {
	return fmt.Sprintf("%s %s %s on %s %s %s from %s", b.Permission, b.Principal, b.Operation, b.Pattern, b.Type, b.Name, b.Host)
}

func compareBindings(a, b Binding) int {
	return cmp.Or(
		cmp.Compare(a.Principal, b.Principal),
		cmp.Compare(a.Type, b.Type),
		cmp.Compare(a.Name, b.Name),
		cmp.Compare(a.Pattern, b.Pattern),
		cmp.Compare(a.Operation, b.Operation),
		cmp.Compare(a.Permission, b.Permission),
		cmp.Compare(a.Host, b.Host),
	)
}

// QualifiedTopic is the name of the per-carrier or per-country topic of a declared topic:
// the qualifier goes before the last version segment (v1, v2, …), or at the end when the
// name has none. "watchpost.alerts.v1" with "FRA" is "watchpost.alerts.FRA.v1"; a suffixed
// declaration ("watchpost.alerts.v1.run7") keeps its suffix ("watchpost.alerts.FRA.v1.run7").
func QualifiedTopic(name, qualifier string) string {
	segs := strings.Split(name, ".")
	i := versionSegment(segs)
	if i < 0 {
		return name + "." + qualifier
	}
	return strings.Join(slices.Concat(segs[:i], []string{qualifier}, segs[i:]), ".")
}

// TopicFamily is the PREFIXED resource name covering a declared topic and every qualified
// topic derived from it: the name up to its version segment, ending in '.'.
// "watchpost.alerts.v1" gives "watchpost.alerts.".
func TopicFamily(name string) string {
	segs := strings.Split(name, ".")
	if i := versionSegment(segs); i >= 0 {
		return strings.Join(segs[:i], ".") + "."
	}
	return name + "."
}

var versionRE = regexp.MustCompile(`^v[0-9]+$`)

func versionSegment(segs []string) int {
	for i := len(segs) - 1; i > 0; i-- {
		if versionRE.MatchString(segs[i]) {
			return i
		}
	}
	return -1
}

var topicNameRE = regexp.MustCompile(`^[A-Za-z0-9._-]{1,249}$`)

// Bindings expands the declaration for one topic declaration (already suffixed, if the
// deployment uses --topic-suffix) into the ALLOW bindings it declares, sorted and without
// duplicates. It lists every problem: unknown topic roles, invalid expanded names, and
// bindings outside manage.resource_prefixes.
func (f *File) Bindings(ts deploy.Topics) ([]Binding, error) {
	var out []Binding
	var errs []error
	for i, p := range f.Principals {
		r, ok := f.Roles[p.Role]
		if !ok {
			errs = append(errs, fmt.Errorf("principals[%d] (%s): role %q is not declared", i, p.User, p.Role))
			continue
		}
		where := fmt.Sprintf("principal %s (role %s)", p.User, p.Role)
		add := func(t kmsg.ACLResourceType, name string, pat kadm.ACLPattern, op kadm.ACLOperation) {
			b := Binding{
				Principal: "User:" + p.User, Host: "*", Type: t, Name: name, Pattern: pat,
				Operation: op, Permission: kmsg.ACLPermissionTypeAllow,
			}
			if !f.Manages(b) {
				errs = append(errs, fmt.Errorf("%s: %s %s is outside manage.resource_prefixes %v: apply could never remove it", where, t, name, f.Manage.ResourcePrefixes))
				return
			}
			out = append(out, b)
		}
		for _, g := range []struct {
			refs []string
			op   kadm.ACLOperation
		}{{r.Read, kadm.OpRead}, {r.Write, kadm.OpWrite}} {
			for _, ref := range g.refs {
				name, pat, err := resolveTopic(ref, ts, p)
				if err != nil {
					errs = append(errs, fmt.Errorf("%s: %w", where, err))
					continue
				}
				add(kmsg.ACLResourceTypeTopic, name, pat, g.op)
			}
		}
		for _, g := range []struct {
			names []string
			t     kmsg.ACLResourceType
			op    kadm.ACLOperation
		}{{r.Groups, kmsg.ACLResourceTypeGroup, kadm.OpRead}, {r.TransactionalIDs, kmsg.ACLResourceTypeTransactionalId, kadm.OpWrite}} {
			for _, n := range g.names {
				name, pat := expandName(n, p)
				add(g.t, name, pat, g.op)
			}
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	slices.SortFunc(out, compareBindings)
	return slices.CompactFunc(out, func(a, b Binding) bool { return compareBindings(a, b) == 0 }), nil
}

// Manages reports whether the binding is owned by the declaration: a topic, group or
// transactional id whose name starts with one of manage.resource_prefixes.
func (f *File) Manages(b Binding) bool {
	if b.Type != kmsg.ACLResourceTypeTopic && b.Type != kmsg.ACLResourceTypeGroup && b.Type != kmsg.ACLResourceTypeTransactionalId {
		return false
	}
	for _, p := range f.Manage.ResourcePrefixes {
		if strings.HasPrefix(b.Name, p) {
			return true
		}
	}
	return false
}

func resolveTopic(ref string, ts deploy.Topics, p Principal) (string, kadm.ACLPattern, error) {
	r, err := parseTopicRef(ref)
	if err != nil {
		return "", 0, err
	}
	base := ts.Name(r.role)
	if base == "" && r.family {
		// A per-country role (watchpost.notifications.{country}.v1) has no single name; its
		// family is its template up to the country.
		if t, ok := ts.Template(r.role); ok {
			if pre, _, found := strings.Cut(t.Name, deploy.PlaceholderCountry); found && pre != "" && strings.HasSuffix(pre, ".") {
				return pre, kadm.ACLPatternPrefixed, nil
			}
		}
	}
	if base == "" {
		return "", 0, fmt.Errorf("topic reference %q: no topic with role %q in the topic declaration", ref, r.role)
	}
	var name string
	pat := kadm.ACLPatternLiteral
	switch {
	case r.family:
		name, pat = TopicFamily(base), kadm.ACLPatternPrefixed
	case r.qualifier == "":
		name = base
	default:
		q := fill(r.qualifier, p)
		name = QualifiedTopic(base, q)
		if r.prefixed {
			if versionSegment(strings.Split(base, ".")) < 0 {
				return "", 0, fmt.Errorf("topic reference %q: %s has no version segment, so QUALIFIER* would not cover its qualified topic", ref, base)
			}
			// Everything up to and including the qualifier: watchpost.manifests.AF.
			name, pat = strings.TrimSuffix(TopicFamily(base), ".")+"."+q+".", kadm.ACLPatternPrefixed
		}
	}
	if !topicNameRE.MatchString(name) || name == "." || name == ".." {
		return "", 0, fmt.Errorf("topic reference %q: %q is not a legal topic name", ref, name)
	}
	return name, pat, nil
}

func expandName(n string, p Principal) (string, kadm.ACLPattern) {
	if base, ok := strings.CutSuffix(n, "*"); ok {
		return fill(base, p), kadm.ACLPatternPrefixed
	}
	return fill(n, p), kadm.ACLPatternLiteral
}

func fill(s string, p Principal) string {
	return strings.NewReplacer(PlaceholderUser, p.User, PlaceholderCarrier, p.Carrier, PlaceholderCountry, p.Country).Replace(s)
}
