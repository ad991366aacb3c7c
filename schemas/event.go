package schemas

import (
	"github.com/watchpost/watchpost/pipeline/event"
)

// Full names of the named types used in unions.
const (
	nameRole       = "watchpost.v1.Role"
	namePerson     = "watchpost.v1.Person"
	nameVehicle    = "watchpost.v1.Vehicle"
	nameVessel     = "watchpost.v1.Vessel"
	nameFirearm    = "watchpost.v1.Firearm"
	nameNoticeType = "watchpost.v1.NoticeType"
)

var (
	roles      = []string{string(event.RolePassenger), string(event.RoleCrew)}
	directions = []string{string(event.DirectionEntry), string(event.DirectionExit)}
	kinds      = []string{string(event.KindPerson), string(event.KindVehicle), string(event.KindVessel), string(event.KindFirearm)}
	databases  = []string{
		string(event.DBSLTD), string(event.DBNotices), string(event.DBNominals), string(event.DBTDAWN),
		string(event.DBVehicles), string(event.DBVessels), string(event.DBFirearms),
	}
)

// EncodeManifest encodes an API manifest. The id, carrier, flight and country are required.
func (s *Serde) EncodeManifest(m *event.Manifest) ([]byte, error) {
	return encodeValue(s, kindManifest, m, validateManifest, manifestNative)
}

// DecodeManifest decodes a manifest written with any known version. Errors are poison.
func (s *Serde) DecodeManifest(b []byte) (*event.Manifest, error) {
	return decodeValue(s, kindManifest, b, readManifest, validateManifest)
}

// EncodeCrossing encodes a crossing. Exactly one of Person, Vehicle, Vessel and Firearm is
// set, as Kind says; the id, border post, country and direction are required.
func (s *Serde) EncodeCrossing(c *event.Crossing) ([]byte, error) {
	return encodeValue(s, kindCrossing, c, validateCrossing, crossingNative)
}

// DecodeCrossing decodes a crossing written with any known version; Kind is set from the
// subject it carries. Errors are poison.
func (s *Serde) DecodeCrossing(b []byte) (*event.Crossing, error) {
	return decodeValue(s, kindCrossing, b, readCrossing, validateCrossing)
}

// --- manifest ---

func validateManifest(m *event.Manifest) error {
	var v validator
	v.required(root, "id", m.ID)
	v.required(root, "carrier", m.Carrier)
	v.required(root, "flight", m.Flight)
	v.required(root, "country", m.Country)
	for i := range m.Legs {
		l := root.elem("legs", i)
		v.time(l, "departure_at", m.Legs[i].DepartureAt)
		v.time(l, "arrival_at", m.Legs[i].ArrivalAt)
	}
	for i := range m.Travellers {
		t := &m.Travellers[i]
		l := root.elem("travellers", i)
		v.enum(l, "role", string(t.Role), false, roles...)
		validatePerson(&v, l.at("person"), &t.Person)
	}
	v.time(root, "received_at", m.ReceivedAt)
	return v.result()
}

func manifestNative(m *event.Manifest) map[string]any {
	legs := make([]any, len(m.Legs))
	for i := range m.Legs {
		g := &m.Legs[i]
		legs[i] = map[string]any{
			"departure":    optString(g.Departure),
			"arrival":      optString(g.Arrival),
			"departure_at": optTime(g.DepartureAt),
			"arrival_at":   optTime(g.ArrivalAt),
		}
	}
	travellers := make([]any, len(m.Travellers))
	for i := range m.Travellers {
		t := &m.Travellers[i]
		travellers[i] = map[string]any{"role": string(t.Role), "person": personNative(&t.Person)}
	}
	return map[string]any{
		"id":          m.ID,
		"carrier":     m.Carrier,
		"flight":      m.Flight,
		"country":     m.Country,
		"legs":        legs,
		"travellers":  travellers,
		"received_at": optTime(m.ReceivedAt),
	}
}

func readManifest(r *reader, o obj) *event.Manifest {
	m := &event.Manifest{
		ID:         r.str(o, "id", true),
		Carrier:    r.str(o, "carrier", true),
		Flight:     r.str(o, "flight", true),
		Country:    r.str(o, "country", true),
		ReceivedAt: r.time(o, "received_at"),
	}
	if legs := r.array(o, "legs"); len(legs) > 0 {
		m.Legs = make([]event.Leg, len(legs))
		for i, v := range legs {
			g := r.asObj(v, o.l.elem("legs", i))
			m.Legs[i] = event.Leg{
				Departure:   r.str(g, "departure", false),
				Arrival:     r.str(g, "arrival", false),
				DepartureAt: r.time(g, "departure_at"),
				ArrivalAt:   r.time(g, "arrival_at"),
			}
		}
	}
	if ts := r.array(o, "travellers"); len(ts) > 0 {
		m.Travellers = make([]event.Traveller, len(ts))
		for i, v := range ts {
			t := r.asObj(v, o.l.elem("travellers", i))
			m.Travellers[i] = event.Traveller{
				Role:   event.Role(r.str(t, "role", true)),
				Person: readPerson(r, r.record(t, "person")),
			}
		}
	}
	return m
}

// --- person and other subjects ---

func validatePerson(v *validator, l *loc, p *event.Person) {
	v.date(l, "birth_date", p.BirthDate)
	for j := range p.Documents {
		v.date(l.elem("documents", j), "expiry", p.Documents[j].Expiry)
	}
}

func personNative(p *event.Person) map[string]any {
	docs := make([]any, len(p.Documents))
	for j := range p.Documents {
		d := &p.Documents[j]
		docs[j] = map[string]any{
			"type":   optString(d.Type),
			"number": optString(d.Number),
			"issuer": optString(d.Issuer),
			"expiry": optDate(d.Expiry),
		}
	}
	return map[string]any{
		"surname":     optString(p.Surname),
		"given_names": optString(p.GivenNames),
		"full_name":   optString(p.FullName),
		"birth_date":  optDate(p.BirthDate),
		"sex":         optString(p.Sex),
		"nationality": optString(p.Nationality),
		"documents":   docs,
	}
}

func readPerson(r *reader, o obj) event.Person {
	p := event.Person{
		Surname:     r.str(o, "surname", false),
		GivenNames:  r.str(o, "given_names", false),
		FullName:    r.str(o, "full_name", false),
		BirthDate:   r.date(o, "birth_date"),
		Sex:         r.str(o, "sex", false),
		Nationality: r.str(o, "nationality", false),
	}
	if docs := r.array(o, "documents"); len(docs) > 0 {
		p.Documents = make([]event.Document, len(docs))
		for j, v := range docs {
			d := r.asObj(v, o.l.elem("documents", j))
			p.Documents[j] = event.Document{
				Type:   r.str(d, "type", false),
				Number: r.str(d, "number", false),
				Issuer: r.str(d, "issuer", false),
				Expiry: r.date(d, "expiry"),
			}
		}
	}
	return p
}

// presented is the one subject a crossing or alert carries.
type presented struct {
	kind    event.SubjectKind
	person  *event.Person
	vehicle *event.Vehicle
	vessel  *event.Vessel
	firearm *event.Firearm
}

// validatePresented checks that at most one subject is set (exactly one when required) and
// that it is the one kind names.
func validatePresented(v *validator, l *loc, field string, p presented, required bool) {
	n := 0
	var got event.SubjectKind
	if p.person != nil {
		n, got = n+1, event.KindPerson
		validatePerson(v, l.at(field), p.person)
	}
	if p.vehicle != nil {
		n, got = n+1, event.KindVehicle
	}
	if p.vessel != nil {
		n, got = n+1, event.KindVessel
	}
	if p.firearm != nil {
		n, got = n+1, event.KindFirearm
	}
	switch {
	case n > 1:
		v.add(l.at(field), "more than one of person, vehicle, vessel and firearm is set")
	case n == 0 && required:
		v.add(l.at(field), "required: set one of person, vehicle, vessel and firearm")
	case n == 1 && got != p.kind:
		v.add(l.at(field), "the subject set does not agree with kind")
	}
}

// presentedNative encodes the one set subject as a union branch, or null.
func presentedNative(p presented) any {
	switch {
	case p.person != nil:
		return map[string]any{namePerson: personNative(p.person)}
	case p.vehicle != nil:
		x := p.vehicle
		return map[string]any{nameVehicle: map[string]any{
			"vin":           optString(x.VIN),
			"plate":         optString(x.Plate),
			"plate_country": optString(x.PlateCountry),
			"make":          optString(x.Make),
			"model":         optString(x.Model),
			"part_serials":  strs(x.PartSerials),
		}}
	case p.vessel != nil:
		x := p.vessel
		return map[string]any{nameVessel: map[string]any{
			"imo":            optString(x.IMO),
			"hin":            optString(x.HIN),
			"name":           optString(x.Name),
			"engine_serials": strs(x.EngineSerials),
		}}
	case p.firearm != nil:
		x := p.firearm
		return map[string]any{nameFirearm: map[string]any{
			"serial":  optString(x.Serial),
			"make":    optString(x.Make),
			"model":   optString(x.Model),
			"calibre": optString(x.Calibre),
		}}
	default:
		return nil
	}
}

// readPresented reads a union of subject records; kind is set from the branch.
func readPresented(r *reader, o obj, field string, required bool) presented {
	branch, b, ok := r.branch(o, field, required)
	if !ok {
		return presented{}
	}
	switch branch {
	case "Person":
		p := readPerson(r, b)
		return presented{kind: event.KindPerson, person: &p}
	case "Vehicle":
		return presented{kind: event.KindVehicle, vehicle: &event.Vehicle{
			VIN:          r.str(b, "vin", false),
			Plate:        r.str(b, "plate", false),
			PlateCountry: r.str(b, "plate_country", false),
			Make:         r.str(b, "make", false),
			Model:        r.str(b, "model", false),
			PartSerials:  r.strings(b, "part_serials"),
		}}
	case "Vessel":
		return presented{kind: event.KindVessel, vessel: &event.Vessel{
			IMO:           r.str(b, "imo", false),
			HIN:           r.str(b, "hin", false),
			Name:          r.str(b, "name", false),
			EngineSerials: r.strings(b, "engine_serials"),
		}}
	case "Firearm":
		return presented{kind: event.KindFirearm, firearm: &event.Firearm{
			Serial:  r.str(b, "serial", false),
			Make:    r.str(b, "make", false),
			Model:   r.str(b, "model", false),
			Calibre: r.str(b, "calibre", false),
		}}
	default:
		r.fail(o.l.at(field), "unknown subject record type")
		return presented{}
	}
}

// --- crossing ---

func crossingPresented(c *event.Crossing) presented {
	return presented{kind: c.Kind, person: c.Person, vehicle: c.Vehicle, vessel: c.Vessel, firearm: c.Firearm}
}

func validateCrossing(c *event.Crossing) error {
	var v validator
	v.required(root, "id", c.ID)
	v.required(root, "border_post", c.BorderPost)
	v.required(root, "country", c.Country)
	v.enum(root, "direction", string(c.Direction), false, directions...)
	v.time(root, "time", c.Time)
	v.enum(root, "kind", string(c.Kind), false, kinds...)
	validatePresented(&v, root, "subject", crossingPresented(c), true)
	return v.result()
}

func crossingNative(c *event.Crossing) map[string]any {
	return map[string]any{
		"id":          c.ID,
		"border_post": c.BorderPost,
		"country":     c.Country,
		"direction":   string(c.Direction),
		"time":        optTime(c.Time),
		"subject":     presentedNative(crossingPresented(c)),
	}
}

func readCrossing(r *reader, o obj) *event.Crossing {
	c := &event.Crossing{
		ID:         r.str(o, "id", true),
		BorderPost: r.str(o, "border_post", true),
		Country:    r.str(o, "country", true),
		Direction:  event.Direction(r.str(o, "direction", true)),
		Time:       r.time(o, "time"),
	}
	p := readPresented(r, o, "subject", true)
	c.Kind, c.Person, c.Vehicle, c.Vessel, c.Firearm = p.kind, p.person, p.vehicle, p.vessel, p.firearm
	return c
}
