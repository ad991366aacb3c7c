package jsonmanifest

import (
	"errors"
	"fmt"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

func fieldErr(ptr, msg string) error { return &Error{Pointer: ptr, Message: msg} }

func isCode(s string, minLen, maxLen int) bool {
	if len(s) < minLen || len(s) > maxLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isAlpha3(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// manifest validates m and maps it onto event.Manifest. prefix is the JSON pointer of m.
func (m *Message) manifest(prefix string, receivedAt time.Time) (event.Manifest, error) {
	var errs []error
	role := event.RolePassenger
	switch m.Type {
	case "passengers", "":
		if m.Type == "" {
			errs = append(errs, fieldErr(prefix+"/type", "required: passengers or crew"))
		}
	case "crew":
		role = event.RoleCrew
	default:
		errs = append(errs, fieldErr(prefix+"/type", "want passengers or crew"))
	}
	if !isCode(m.Carrier, 2, 3) {
		errs = append(errs, fieldErr(prefix+"/carrier", "want a 2- or 3-character airline or operator code (A-Z, 0-9)"))
	}
	if m.Flight == "" || len(m.Flight) > 16 {
		errs = append(errs, fieldErr(prefix+"/flight", "required, at most 16 characters"))
	}
	if m.Country != "" && !isAlpha3(m.Country) {
		errs = append(errs, fieldErr(prefix+"/country", "want an ISO 3166 alpha-3 code"))
	}
	out := event.Manifest{Carrier: m.Carrier, Flight: m.Flight, Country: m.Country, ReceivedAt: receivedAt.UTC()}
	if len(m.Legs) == 0 {
		errs = append(errs, fieldErr(prefix+"/legs", "at least one leg required"))
	}
	for i, l := range m.Legs {
		p := fmt.Sprintf("%s/legs/%d", prefix, i)
		leg := event.Leg{Departure: l.Departure, Arrival: l.Arrival}
		if !isCode(l.Departure, 3, 5) {
			errs = append(errs, fieldErr(p+"/departure", "want an IATA airport or UN/LOCODE port code"))
		}
		if !isCode(l.Arrival, 3, 5) {
			errs = append(errs, fieldErr(p+"/arrival", "want an IATA airport or UN/LOCODE port code"))
		}
		var err error
		if leg.DepartureAt, err = parseTime(l.DepartureAt); err != nil {
			errs = append(errs, fieldErr(p+"/departure_at", err.Error()))
		}
		if leg.ArrivalAt, err = parseTime(l.ArrivalAt); err != nil {
			errs = append(errs, fieldErr(p+"/arrival_at", err.Error()))
		}
		out.Legs = append(out.Legs, leg)
	}
	if len(m.Travellers) == 0 {
		errs = append(errs, fieldErr(prefix+"/travellers", "at least one traveller required"))
	}
	for i := range m.Travellers {
		t, err := m.Travellers[i].traveller(fmt.Sprintf("%s/travellers/%d", prefix, i), role)
		if err != nil {
			errs = append(errs, err)
		}
		out.Travellers = append(out.Travellers, t)
	}
	return out, errors.Join(errs...)
}

func parseTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New("want an RFC 3339 time, e.g. 2026-11-24T10:05:00Z")
	}
	return t.UTC(), nil
}

func (t *Traveller) traveller(p string, def event.Role) (event.Traveller, error) {
	var errs []error
	out := event.Traveller{Role: def, Person: event.Person{Surname: t.Surname, GivenNames: t.GivenNames, Sex: t.Sex, Nationality: t.Nationality}}
	switch t.Role {
	case "":
	case "passenger", "crew":
		out.Role = event.Role(t.Role)
	default:
		errs = append(errs, fieldErr(p+"/role", "want passenger or crew"))
	}
	if t.Surname == "" {
		errs = append(errs, fieldErr(p+"/surname", "required"))
	}
	var err error
	if out.BirthDate, err = event.ParseDate(t.BirthDate); err != nil {
		errs = append(errs, fieldErr(p+"/birth_date", err.Error()))
	}
	switch t.Sex {
	case "", "M", "F", "U":
	case "X":
		out.Sex = "U"
	default:
		errs = append(errs, fieldErr(p+"/sex", "want M, F, U or X"))
	}
	if t.Nationality != "" && !isAlpha3(t.Nationality) {
		errs = append(errs, fieldErr(p+"/nationality", "want an ISO 3166 alpha-3 code"))
	}
	for i, d := range t.Documents {
		dp := fmt.Sprintf("%s/documents/%d", p, i)
		doc := event.Document{Type: d.Type, Number: d.Number, Issuer: d.Issuer}
		if !isCode(d.Type, 1, 2) {
			errs = append(errs, fieldErr(dp+"/type", "want an ICAO document code such as P, I, V, PP"))
		}
		if d.Number == "" || len(d.Number) > 35 {
			errs = append(errs, fieldErr(dp+"/number", "required, at most 35 characters"))
		}
		if !isAlpha3(d.Issuer) {
			errs = append(errs, fieldErr(dp+"/issuer", "want an ISO 3166 alpha-3 code"))
		}
		if doc.Expiry, err = event.ParseDate(d.Expiry); err != nil {
			errs = append(errs, fieldErr(dp+"/expiry", err.Error()))
		}
		out.Documents = append(out.Documents, doc)
	}
	return out, errors.Join(errs...)
}
