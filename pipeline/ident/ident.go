package ident

import (
	"errors"
	"strings"
	"unicode"
)

// Kinds of identifier, as `watchpost id check --kind` names them.
const (
	KindVIN = "vin"
	KindIMO = "imo"
	KindHIN = "hin"
)

// Status is the outcome of one check.
type Status string

const (
	Pass          Status = "pass"
	Fail          Status = "fail"
	NotApplicable Status = "n/a" // the rule does not apply to this identifier, or could not be evaluated
)

// Check is one rule applied to an identifier. Detail says what was found; for a failure it
// is the reason.
type Check struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	Detail string `json:"detail,omitempty"`
}

// Result is the verdict on one identifier. Normalized is the canonical form to match on
// (also when invalid, as far as normalisation goes). Valid is true exactly when no check
// failed; Reason then is empty, otherwise it joins the failed checks' details. Fields holds
// what the identifier encodes (region, model year, country, …).
type Result struct {
	Kind       string            `json:"kind"`
	Input      string            `json:"input"`
	Normalized string            `json:"normalized"`
	Valid      bool              `json:"valid"`
	Reason     string            `json:"reason,omitempty"`
	Checks     []Check           `json:"checks"`
	Fields     map[string]string `json:"fields,omitempty"`
}

// ErrUnknownKind is returned by ByKind for a kind other than vin, imo and hin.
var ErrUnknownKind = errors.New("unknown identifier kind: want vin, imo or hin")

// ByKind validates s as the identifier kind names (vin, imo or hin, any case).
func ByKind(kind, s string) (Result, error) {
	switch strings.ToLower(kind) {
	case KindVIN:
		return VIN(s), nil
	case KindIMO:
		return IMO(s), nil
	case KindHIN:
		return HIN(s), nil
	}
	return Result{}, ErrUnknownKind
}

func (r *Result) add(name string, st Status, detail string) {
	r.Checks = append(r.Checks, Check{Name: name, Status: st, Detail: detail})
}

func (r *Result) field(k, v string) {
	if r.Fields == nil {
		r.Fields = map[string]string{}
	}
	r.Fields[k] = v
}

// finish sets Valid and Reason from the checks.
func (r *Result) finish() Result {
	var reasons []string
	for _, c := range r.Checks {
		if c.Status == Fail {
			reasons = append(reasons, c.Name+": "+c.Detail)
		}
	}
	r.Valid = len(reasons) == 0
	r.Reason = strings.Join(reasons, "; ")
	if r.Checks == nil {
		r.Checks = []Check{}
	}
	return *r
}

// clean upper-cases ASCII letters and drops white space and dashes, the separators people
// and forms put into identifiers. Everything else is kept for the checks to judge.
func clean(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 'a' && r <= 'z':
			return r - 'a' + 'A'
		case unicode.IsSpace(r), r == '-', r == '‐', r == '‑', r == '–', r == '—':
			return -1
		}
		return r
	}, s)
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }
