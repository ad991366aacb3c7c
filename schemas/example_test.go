package schemas_test

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/schemas"
)

func ExampleSerde_EncodeManifest() {
	s, err := schemas.NewSerde(map[string]int{
		schemas.SubjectManifest: 11, schemas.SubjectCrossing: 12, schemas.SubjectScreening: 13, schemas.SubjectAlert: 14,
		schemas.SubjectDeadLetter: 15, schemas.SubjectSLTDRecord: 16, schemas.SubjectNoticeRecord: 17,
		schemas.SubjectOutcome: 18, schemas.SubjectAuditEvent: 19, schemas.SubjectPNR: 20,
		schemas.SubjectTDAWNRecord: 21, schemas.SubjectVehicleRecord: 22, schemas.SubjectVesselRecord: 23,
		schemas.SubjectFirearmRecord: 24,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	b, err := s.EncodeManifest(&event.Manifest{
		ID: "m-1", Carrier: "LH", Flight: "LH0400", Country: "DEU",
		Travellers: []event.Traveller{{Role: event.RoleCrew, Person: event.Person{Surname: "Doe", BirthDate: event.Date{Year: 1980}}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	id, _ := schemas.SchemaID(b)
	fmt.Printf("header % x, schema id %d\n", b[:5], id)

	m, err := s.DecodeManifest(b)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(m.Travellers[0].Role, m.Travellers[0].BirthDate)

	_, err = s.DecodeCrossing(b)
	fmt.Println(err)
	// Output:
	// header 00 00 00 00 0b, schema id 11
	// crew 1980
	// decoding watchpost.v1.Crossing: schema id 11 is registered for watchpost.v1.Manifest
}
