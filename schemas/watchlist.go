package schemas

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// EncodeSLTDRecord encodes an SLTD record; it must pass watchlist.Document.Validate.
func (s *Serde) EncodeSLTDRecord(d *watchlist.Document) ([]byte, error) {
	return encodeValue(s, kindSLTDRecord, d, validateSLTD, sltdNative)
}

// DecodeSLTDRecord decodes an SLTD record written with any known version. Errors are poison.
func (s *Serde) DecodeSLTDRecord(b []byte) (*watchlist.Document, error) {
	return decodeValue(s, kindSLTDRecord, b, readSLTD, validateSLTD)
}

// EncodeNoticeRecord encodes a notice or nominal record; it must pass
// watchlist.Person.Validate.
func (s *Serde) EncodeNoticeRecord(p *watchlist.Person) ([]byte, error) {
	return encodeValue(s, kindNoticeRecord, p, validateNotice, noticeNative)
}

// DecodeNoticeRecord decodes a notice or nominal record written with any known version.
// Errors are poison.
func (s *Serde) DecodeNoticeRecord(b []byte) (*watchlist.Person, error) {
	return decodeValue(s, kindNoticeRecord, b, readNotice, validateNotice)
}

// --- SLTD ---

func validateSLTD(d *watchlist.Document) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("validating record: %w", oneLine(err))
	}
	return nil
}

func sltdNative(d *watchlist.Document) map[string]any {
	return map[string]any{
		"id":              d.ID,
		"number":          d.Number,
		"number_to":       optString(d.NumberTo),
		"type":            optString(d.Type),
		"issuer":          d.Issuer,
		"status":          string(d.Status),
		"owner":           optString(d.Owner),
		"restricted_from": strs(d.RestrictedFrom),
		"restricted_to":   strs(d.RestrictedTo),
	}
}

func readSLTD(r *reader, o obj) *watchlist.Document {
	return &watchlist.Document{
		ID:       r.str(o, "id", true),
		Number:   r.str(o, "number", true),
		NumberTo: r.str(o, "number_to", false),
		Type:     r.str(o, "type", false),
		Issuer:   r.str(o, "issuer", true),
		Status:   watchlist.DocumentStatus(r.str(o, "status", true)),
		Owner:    r.str(o, "owner", false),
		Access:   readAccess(r, o),
	}
}

// --- notices ---

func validateNotice(p *watchlist.Person) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("validating record: %w", oneLine(err))
	}
	return nil
}

func noticeNative(p *watchlist.Person) map[string]any {
	names := make([]any, len(p.Names))
	for i := range p.Names {
		n := &p.Names[i]
		names[i] = map[string]any{
			"surname":     optString(n.Surname),
			"given_names": optString(n.GivenNames),
			"full_name":   optString(n.FullName),
			"weak":        n.Weak,
		}
	}
	dates := make([]any, len(p.BirthDates))
	for i, d := range p.BirthDates {
		dates[i] = optDate(d)
	}
	return map[string]any{
		"id":              p.ID,
		"notice_type":     optEnum(nameNoticeType, string(p.NoticeType)),
		"names":           names,
		"birth_dates":     dates,
		"nationalities":   strs(p.Nationalities),
		"sex":             optString(p.Sex),
		"owner":           optString(p.Owner),
		"restricted_from": strs(p.RestrictedFrom),
		"restricted_to":   strs(p.RestrictedTo),
	}
}

func readNotice(r *reader, o obj) *watchlist.Person {
	p := &watchlist.Person{
		ID:            r.str(o, "id", true),
		NoticeType:    watchlist.NoticeType(r.str(o, "notice_type", false)),
		Nationalities: r.strings(o, "nationalities"),
		Sex:           r.str(o, "sex", false),
		Owner:         r.str(o, "owner", false),
		Access:        readAccess(r, o),
	}
	if names := r.array(o, "names"); len(names) > 0 {
		p.Names = make([]watchlist.Name, len(names))
		for i, v := range names {
			n := r.asObj(v, o.l.elem("names", i))
			p.Names[i] = watchlist.Name{
				Surname:    r.str(n, "surname", false),
				GivenNames: r.str(n, "given_names", false),
				FullName:   r.str(n, "full_name", false),
				Weak:       r.boolean(n, "weak"),
			}
		}
	}
	if dates := r.array(o, "birth_dates"); len(dates) > 0 {
		p.BirthDates = make([]event.Date, len(dates))
		for i, v := range dates {
			p.BirthDates[i] = r.dateValue(v, o.l.elem("birth_dates", i))
		}
	}
	return p
}

// readAccess reads the owner's restrictions; records written before v2 have none.
func readAccess(r *reader, o obj) event.Access {
	return event.Access{RestrictedFrom: r.strings(o, "restricted_from"), RestrictedTo: r.strings(o, "restricted_to")}
}

// --- TDAWN, vehicles, vessels, firearms ---

// EncodeTDAWNRecord encodes a TDAWN record; it must pass watchlist.TravelDocument.Validate.
func (s *Serde) EncodeTDAWNRecord(d *watchlist.TravelDocument) ([]byte, error) {
	return encodeValue(s, kindTDAWNRecord, d, validated((*watchlist.TravelDocument).Validate), func(d *watchlist.TravelDocument) map[string]any {
		return withAccess(map[string]any{
			"id": d.ID, "number": d.Number, "type": optString(d.Type), "issuer": d.Issuer,
			"notice_id": optString(d.NoticeID), "owner": optString(d.Owner),
		}, d.Access)
	})
}

// DecodeTDAWNRecord decodes a TDAWN record. Errors are poison.
func (s *Serde) DecodeTDAWNRecord(b []byte) (*watchlist.TravelDocument, error) {
	return decodeValue(s, kindTDAWNRecord, b, func(r *reader, o obj) *watchlist.TravelDocument {
		return &watchlist.TravelDocument{
			ID: r.str(o, "id", true), Number: r.str(o, "number", true), Type: r.str(o, "type", false),
			Issuer: r.str(o, "issuer", true), NoticeID: r.str(o, "notice_id", false), Owner: r.str(o, "owner", false),
			Access: readAccess(r, o),
		}
	}, validated((*watchlist.TravelDocument).Validate))
}

// EncodeVehicleRecord encodes a stolen-vehicle record; it must pass watchlist.Vehicle.Validate.
func (s *Serde) EncodeVehicleRecord(v *watchlist.Vehicle) ([]byte, error) {
	return encodeValue(s, kindVehicleRecord, v, validated((*watchlist.Vehicle).Validate), func(v *watchlist.Vehicle) map[string]any {
		return withAccess(map[string]any{
			"id": v.ID, "vin": optString(v.VIN), "plate": optString(v.Plate), "plate_country": optString(v.PlateCountry),
			"make": optString(v.Make), "model": optString(v.Model), "part_serials": strs(v.PartSerials), "owner": optString(v.Owner),
		}, v.Access)
	})
}

// DecodeVehicleRecord decodes a stolen-vehicle record. Errors are poison.
func (s *Serde) DecodeVehicleRecord(b []byte) (*watchlist.Vehicle, error) {
	return decodeValue(s, kindVehicleRecord, b, func(r *reader, o obj) *watchlist.Vehicle {
		return &watchlist.Vehicle{
			ID: r.str(o, "id", true), VIN: r.str(o, "vin", false), Plate: r.str(o, "plate", false),
			PlateCountry: r.str(o, "plate_country", false), Make: r.str(o, "make", false), Model: r.str(o, "model", false),
			PartSerials: r.strings(o, "part_serials"), Owner: r.str(o, "owner", false), Access: readAccess(r, o),
		}
	}, validated((*watchlist.Vehicle).Validate))
}

// EncodeVesselRecord encodes a stolen-vessel record; it must pass watchlist.Vessel.Validate.
func (s *Serde) EncodeVesselRecord(v *watchlist.Vessel) ([]byte, error) {
	return encodeValue(s, kindVesselRecord, v, validated((*watchlist.Vessel).Validate), func(v *watchlist.Vessel) map[string]any {
		return withAccess(map[string]any{
			"id": v.ID, "imo": optString(v.IMO), "hin": optString(v.HIN), "name": optString(v.Name),
			"engine_serials": strs(v.EngineSerials), "owner": optString(v.Owner),
		}, v.Access)
	})
}

// DecodeVesselRecord decodes a stolen-vessel record. Errors are poison.
func (s *Serde) DecodeVesselRecord(b []byte) (*watchlist.Vessel, error) {
	return decodeValue(s, kindVesselRecord, b, func(r *reader, o obj) *watchlist.Vessel {
		return &watchlist.Vessel{
			ID: r.str(o, "id", true), IMO: r.str(o, "imo", false), HIN: r.str(o, "hin", false), Name: r.str(o, "name", false),
			EngineSerials: r.strings(o, "engine_serials"), Owner: r.str(o, "owner", false), Access: readAccess(r, o),
		}
	}, validated((*watchlist.Vessel).Validate))
}

// EncodeFirearmRecord encodes a firearm record; it must pass watchlist.Firearm.Validate.
func (s *Serde) EncodeFirearmRecord(f *watchlist.Firearm) ([]byte, error) {
	return encodeValue(s, kindFirearmRecord, f, validated((*watchlist.Firearm).Validate), func(f *watchlist.Firearm) map[string]any {
		return withAccess(map[string]any{
			"id": f.ID, "serial": f.Serial, "make": optString(f.Make), "model": optString(f.Model),
			"calibre": optString(f.Calibre), "owner": optString(f.Owner),
		}, f.Access)
	})
}

// DecodeFirearmRecord decodes a firearm record. Errors are poison.
func (s *Serde) DecodeFirearmRecord(b []byte) (*watchlist.Firearm, error) {
	return decodeValue(s, kindFirearmRecord, b, func(r *reader, o obj) *watchlist.Firearm {
		return &watchlist.Firearm{
			ID: r.str(o, "id", true), Serial: r.str(o, "serial", true), Make: r.str(o, "make", false),
			Model: r.str(o, "model", false), Calibre: r.str(o, "calibre", false), Owner: r.str(o, "owner", false),
			Access: readAccess(r, o),
		}
	}, validated((*watchlist.Firearm).Validate))
}

// validated adapts a record's Validate method to the codec's validate hook.
func validated[T any](validate func(*T) error) func(*T) error {
	return func(v *T) error {
		if err := validate(v); err != nil {
			return fmt.Errorf("validating record: %w", oneLine(err))
		}
		return nil
	}
}

func withAccess(m map[string]any, a event.Access) map[string]any {
	m["restricted_from"] = strs(a.RestrictedFrom)
	m["restricted_to"] = strs(a.RestrictedTo)
	return m
}
