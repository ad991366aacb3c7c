package event

import (
	"errors"
	"fmt"
	"slices"
)

// Access is who a watchlist record's owner lets see the record's details. A record with no
// restriction (the zero Access) may be disclosed to every country. RestrictedTo, when set,
// names the only countries besides the owner that may see the details; RestrictedFrom names
// countries that may not. A hit from a country not permitted raises a neutral alert: the
// screening country is told to contact the owner, and the owner is told of the hit.
type Access struct {
	RestrictedFrom []string `json:"restricted_from,omitempty"` // ISO 3166 alpha-3
	RestrictedTo   []string `json:"restricted_to,omitempty"`   // ISO 3166 alpha-3
}

// Restricted reports whether any restriction is set.
func (a Access) Restricted() bool { return len(a.RestrictedFrom) > 0 || len(a.RestrictedTo) > 0 }

// Permits reports whether the record's details may be disclosed to country, given the
// record's owner (which always may). An unknown (empty) country is never permitted a
// restricted record.
func (a Access) Permits(country, owner string) bool {
	switch {
	case !a.Restricted():
		return true
	case country != "" && country == owner:
		return true
	case country == "":
		return false
	case slices.Contains(a.RestrictedFrom, country):
		return false
	case len(a.RestrictedTo) > 0:
		return slices.Contains(a.RestrictedTo, country)
	default:
		return true
	}
}

// Validate checks that every listed country is an upper-case ISO 3166 alpha-3 code. Errors
// name the field and position, never a value.
func (a Access) Validate() error {
	var errs []error
	for _, f := range []struct {
		name string
		cs   []string
	}{{"restricted_from", a.RestrictedFrom}, {"restricted_to", a.RestrictedTo}} {
		for i, c := range f.cs {
			if !isAlpha3(c) {
				errs = append(errs, fmt.Errorf("%s[%d]: want an upper-case ISO 3166 alpha-3 code", f.name, i))
			}
		}
	}
	return errors.Join(errs...)
}

func isAlpha3(c string) bool {
	if len(c) != 3 {
		return false
	}
	for i := range 3 {
		if c[i] < 'A' || c[i] > 'Z' {
			return false
		}
	}
	return true
}
