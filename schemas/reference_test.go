package schemas_test

import (
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

// Cases and fixtures of the v2 schemas and of the reference records of the databases other
// than SLTD and notices.

func tdawnCase(name string, v *watchlist.TravelDocument) codecCase {
	return codecCase{name, schemas.SubjectTDAWNRecord, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeTDAWNRecord(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeTDAWNRecord(b) }}
}

func vehicleCase(name string, v *watchlist.Vehicle) codecCase {
	return codecCase{name, schemas.SubjectVehicleRecord, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeVehicleRecord(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeVehicleRecord(b) }}
}

func vesselCase(name string, v *watchlist.Vessel) codecCase {
	return codecCase{name, schemas.SubjectVesselRecord, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeVesselRecord(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeVesselRecord(b) }}
}

func firearmCase(name string, v *watchlist.Firearm) codecCase {
	return codecCase{name, schemas.SubjectFirearmRecord, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeFirearmRecord(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeFirearmRecord(b) }}
}

var fixtureAccess = event.Access{RestrictedFrom: []string{"ITA", "ESP"}, RestrictedTo: []string{"FRA"}}

func fixtureManifestV2() *event.Manifest {
	m := fixtureManifest()
	m.Travellers[0].Person.Surname, m.Travellers[0].Person.GivenNames = "", ""
	m.Travellers[0].Person.FullName = "Nguyễn Thị Minh Khai"
	return m
}

func fixtureCrossingV2() *event.Crossing {
	c := fixtureCrossings()["vehicle"]
	c.Vehicle.PartSerials = []string{"CAX123456", "GB-0042-77"}
	return c
}

func fixtureNeutralAlert() *event.Alert {
	a := fixtureAlert()
	a.Hit = a.Hit.Neutral()
	a.Subject.Person.FullName = "Мария Аль-Рашид"
	a.Retro = true
	return a
}

func fixtureSLTDV2() *watchlist.Document {
	d := fixtureSLTD()
	d.Access = fixtureAccess
	return d
}

func fixtureNoticeV2() *watchlist.Person {
	p := fixtureNotice()
	p.Access = event.Access{RestrictedFrom: []string{"USA"}}
	return p
}

func fixtureTDAWN() *watchlist.TravelDocument {
	return &watchlist.TravelDocument{ID: "tdawn-FRA-0001", Number: "18FR44021", Type: "P", Issuer: "FRA", NoticeID: "2019/12345", Owner: "FRA", Access: fixtureAccess}
}

func fixtureVehicleRecord() *watchlist.Vehicle {
	return &watchlist.Vehicle{ID: "smv-DEU-17", VIN: "WVWZZZ1JZXW000001", Plate: "B-MW 1234", PlateCountry: "DEU", Make: "Volkswagen", Model: "Golf", PartSerials: []string{"CAX123456"}, Owner: "DEU"}
}

func fixtureVesselRecord() *watchlist.Vessel {
	return &watchlist.Vessel{ID: "vsl-NOR-3", IMO: "9074729", HIN: "NO-ABC12345D404", Name: "Nordlys", EngineSerials: []string{"YAM-001"}, Owner: "NOR", Access: event.Access{RestrictedTo: []string{"SWE", "DNK"}}}
}

func fixtureFirearmRecord() *watchlist.Firearm {
	return &watchlist.Firearm{ID: "iarms-AUT-99", Serial: "GLK-12345", Make: "Glock", Model: "17", Calibre: "9x19mm", Owner: "AUT"}
}

// TestReferenceRecordsRejectInvalid: encoding refuses a record its Validate refuses, and the
// error names the field, not the value.
func TestReferenceRecordsRejectInvalid(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	bad := fixtureVehicleRecord()
	bad.RestrictedFrom = []string{"it"}
	if _, err := s.EncodeVehicleRecord(bad); err == nil || !contains(err.Error(), "restricted_from[0]") {
		t.Errorf("EncodeVehicleRecord(bad restriction) = %v, want an error naming restricted_from[0]", err)
	}
	f := fixtureFirearmRecord()
	f.Serial = ""
	if _, err := s.EncodeFirearmRecord(f); err == nil || !contains(err.Error(), "serial") {
		t.Errorf("EncodeFirearmRecord(no serial) = %v, want an error naming serial", err)
	}
	td := fixtureTDAWN()
	td.Issuer = "X"
	if _, err := s.EncodeTDAWNRecord(td); err == nil || contains(err.Error(), td.Number) {
		t.Errorf("EncodeTDAWNRecord(bad issuer) = %v, want an error without the number", err)
	}
	// A neutral alert may omit the record id; an ordinary one may not.
	a := fixtureAlert()
	a.Hit.RecordID = ""
	if _, err := s.EncodeAlert(a); err == nil {
		t.Error("EncodeAlert(no record id) = nil error")
	}
	if _, err := s.EncodeAlert(fixtureNeutralAlert()); err != nil {
		t.Errorf("EncodeAlert(neutral) = %v", err)
	}
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
