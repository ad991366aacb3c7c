package acl

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/twmb/franz-go/pkg/kadm"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/deploy"
)

// Plan is what Apply does, or would do on a dry run.
type Plan struct {
	Create    []Binding // declared, missing on the cluster
	Delete    []Binding // on the cluster, managed, no longer declared
	Unchanged []Binding // declared and present
}

// Diff compares the declared bindings with the cluster's: declared ones that are missing are
// created; present ones that the declaration manages (manages) but does not declare are
// deleted; all others are left alone.
func Diff(declared, current []Binding, manages func(Binding) bool) Plan {
	var p Plan
	have := make(map[Binding]bool, len(current))
	for _, b := range current {
		have[b] = true
	}
	want := make(map[Binding]bool, len(declared))
	for _, b := range declared {
		want[b] = true
		if have[b] {
			p.Unchanged = append(p.Unchanged, b)
		} else {
			p.Create = append(p.Create, b)
		}
	}
	for _, b := range current {
		if !want[b] && manages(b) {
			p.Delete = append(p.Delete, b)
		}
	}
	for _, s := range [][]Binding{p.Create, p.Delete, p.Unchanged} {
		slices.SortFunc(s, compareBindings)
	}
	p.Delete = slices.CompactFunc(p.Delete, func(a, b Binding) bool { return compareBindings(a, b) == 0 })
	return p
}

// Describe returns every ACL binding on the cluster. The client's principal needs DESCRIBE on
// the cluster (a super user has it).
func Describe(ctx context.Context, adm *kadm.Client) ([]Binding, error) {
	all := kadm.NewACLs().AnyResource().
		Allow().AllowHosts().Deny().DenyHosts().
		Operations().ResourcePatternType(kadm.ACLPatternAny)
	res, err := adm.DescribeACLs(ctx, all)
	if err != nil {
		return nil, fmt.Errorf("describing ACLs: %w", err)
	}
	var out []Binding
	for _, r := range res {
		if r.Err != nil {
			return nil, fmt.Errorf("describing ACLs: %w%s", r.Err, detail(r.ErrMessage))
		}
		for _, d := range r.Described {
			out = append(out, Binding{
				Principal: d.Principal, Host: d.Host, Type: d.Type, Name: d.Name,
				Pattern: d.Pattern, Operation: d.Operation, Permission: d.Permission,
			})
		}
	}
	slices.SortFunc(out, compareBindings)
	return out, nil
}

// Apply makes the cluster's bindings match the declaration for the topic declaration ts:
// it creates the missing declared bindings first, then deletes the managed bindings that are
// no longer declared, so that replacing a grant never leaves a moment without it. With
// dryRun it only computes the plan. The returned plan is what was attempted; the error lists
// every binding that failed. The client needs DESCRIBE and ALTER on the cluster.
//
// A broker answers DescribeACLs from its metadata cache, which may trail a change committed
// a moment earlier: a run right after another may plan again a creation the first made
// (creating an existing binding is a no-op) or miss a deletion until the next run. Apply
// converges; it does not lock.
func Apply(ctx context.Context, adm *kadm.Client, f *File, ts deploy.Topics, dryRun bool) (Plan, error) {
	declared, err := f.Bindings(ts)
	if err != nil {
		return Plan{}, err
	}
	current, err := Describe(ctx, adm)
	if err != nil {
		return Plan{}, err
	}
	p := Diff(declared, current, f.Manages)
	if dryRun {
		return p, nil
	}
	var errs []error
	for _, b := range p.Create {
		if err := create(ctx, adm, b); err != nil {
			errs = append(errs, err)
		}
	}
	for _, b := range p.Delete {
		if err := remove(ctx, adm, b); err != nil {
			errs = append(errs, err)
		}
	}
	return p, errors.Join(errs...)
}

// builder returns a kadm builder naming exactly one binding.
func builder(b Binding) (*kadm.ACLBuilder, error) {
	ab := kadm.NewACLs().Operations(b.Operation).ResourcePatternType(b.Pattern)
	// The enums below have members (cluster, delegation token, ANY, MATCH, …) that Apply
	// never manages; the default cases reject them.
	//exhaustive:ignore
	switch b.Type {
	case kmsg.ACLResourceTypeTopic:
		ab.Topics(b.Name)
	case kmsg.ACLResourceTypeGroup:
		ab.Groups(b.Name)
	case kmsg.ACLResourceTypeTransactionalId:
		ab.TransactionalIDs(b.Name)
	default:
		return nil, fmt.Errorf("binding %s: resource type %s is not managed", b, b.Type)
	}
	//exhaustive:ignore
	switch b.Permission {
	case kmsg.ACLPermissionTypeAllow:
		ab.Allow(b.Principal).AllowHosts(b.Host)
	case kmsg.ACLPermissionTypeDeny:
		ab.Deny(b.Principal).DenyHosts(b.Host)
	default:
		return nil, fmt.Errorf("binding %s: permission %s is neither ALLOW nor DENY", b, b.Permission)
	}
	return ab, nil
}

func create(ctx context.Context, adm *kadm.Client, b Binding) error {
	ab, err := builder(b)
	if err != nil {
		return err
	}
	res, err := adm.CreateACLs(ctx, ab)
	if err != nil {
		return fmt.Errorf("creating ACL %s: %w", b, err)
	}
	for _, r := range res {
		if r.Err != nil {
			return fmt.Errorf("creating ACL %s: %w%s", b, r.Err, detail(r.ErrMessage))
		}
	}
	return nil
}

func remove(ctx context.Context, adm *kadm.Client, b Binding) error {
	ab, err := builder(b)
	if err != nil {
		return err
	}
	res, err := adm.DeleteACLs(ctx, ab)
	if err != nil {
		return fmt.Errorf("deleting ACL %s: %w", b, err)
	}
	for _, r := range res {
		if r.Err != nil {
			return fmt.Errorf("deleting ACL %s: %w%s", b, r.Err, detail(r.ErrMessage))
		}
		for _, d := range r.Deleted {
			if d.Err != nil {
				return fmt.Errorf("deleting ACL %s: %w%s", b, d.Err, detail(d.ErrMessage))
			}
		}
	}
	return nil
}

func detail(msg string) string {
	if msg == "" {
		return ""
	}
	return ": " + msg
}
