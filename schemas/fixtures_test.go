package schemas_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

// testIDs are the fixed schema ids of the golden files.
var testIDs = map[string]int{
	schemas.VersionKey(schemas.SubjectManifest, 1):     1,
	schemas.VersionKey(schemas.SubjectCrossing, 1):     2,
	schemas.SubjectScreening:                           3,
	schemas.VersionKey(schemas.SubjectAlert, 1):        4,
	schemas.SubjectDeadLetter:                          5,
	schemas.VersionKey(schemas.SubjectSLTDRecord, 1):   6,
	schemas.VersionKey(schemas.SubjectNoticeRecord, 1): 7,
	schemas.SubjectOutcome:                             8,
	schemas.SubjectAuditEvent:                          9,
	schemas.SubjectPNR:                                 10,
	schemas.SubjectManifest:                            11,
	schemas.SubjectCrossing:                            12,
	schemas.SubjectAlert:                               13,
	schemas.SubjectSLTDRecord:                          14,
	schemas.SubjectNoticeRecord:                        15,
	schemas.SubjectTDAWNRecord:                         16,
	schemas.SubjectVehicleRecord:                       17,
	schemas.SubjectVesselRecord:                        18,
	schemas.SubjectFirearmRecord:                       19,
}

func newTestSerde(tb testing.TB) *schemas.Serde {
	tb.Helper()
	s, err := schemas.NewSerde(testIDs)
	if err != nil {
		tb.Fatalf("NewSerde: %v", err)
	}
	return s
}

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

func date(s string) event.Date {
	d, err := event.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func fixtureManifest() *event.Manifest {
	return &event.Manifest{
		ID:      "gw-20240611-000042",
		Carrier: "LH",
		Flight:  "LH0400",
		Country: "DEU",
		Legs: []event.Leg{
			{Departure: "JFK", Arrival: "KEF", DepartureAt: at("2024-06-11T22:05:00Z"), ArrivalAt: at("2024-06-12T07:40:00Z")},
			{Departure: "KEF", Arrival: "FRA", DepartureAt: at("2024-06-12T09:10:00.123456Z")}, // arrival unknown
		},
		Travellers: []event.Traveller{
			{Role: event.RolePassenger, Person: event.Person{
				Surname: "Müller-Lüdenscheidt", GivenNames: "Zoë Anaïs", BirthDate: date("1984-02-29"), Sex: "F", Nationality: "DEU",
				Documents: []event.Document{
					{Type: "P", Number: "C01X00T47", Issuer: "DEU", Expiry: date("2031-05")},
					{Type: "I", Number: "L01X00T47", Issuer: "DEU"},
				},
			}},
			{Role: event.RolePassenger, Person: event.Person{
				Surname: "Аль-Рашид", GivenNames: "Мария", BirthDate: date("1971"), Sex: "F", Nationality: "RUS",
				Documents: []event.Document{{Type: "P", Number: "7512 345678", Issuer: "RUS", Expiry: date("2029-12-31")}},
			}},
			{Role: event.RoleCrew, Person: event.Person{
				Surname: "محمد", GivenNames: "عبد الله", Sex: "M", Nationality: "JOR", // birth date unknown
				Documents: []event.Document{{Type: "P", Number: "N123456", Issuer: "JOR"}},
			}},
			{Role: event.RolePassenger, Person: event.Person{Surname: "O'NEILL"}}, // bare minimum
		},
		ReceivedAt: at("2024-06-11T20:00:01.000001Z"),
	}
}

func fixtureCrossings() map[string]*event.Crossing {
	base := func(id string, k event.SubjectKind) *event.Crossing {
		return &event.Crossing{ID: id, BorderPost: "FRA-T1", Country: "DEU", Direction: event.DirectionEntry, Time: at("2024-06-12T08:01:02.000003Z"), Kind: k}
	}
	person := base("x-1", event.KindPerson)
	person.Person = &event.Person{
		Surname: "Ngữ", GivenNames: "Thị Minh", BirthDate: date("1990-07"), Sex: "F", Nationality: "VNM",
		Documents: []event.Document{{Type: "P", Number: "B1234567", Issuer: "VNM", Expiry: date("2030-01-15")}},
	}
	vehicle := base("x-2", event.KindVehicle)
	vehicle.Direction = event.DirectionExit
	vehicle.Vehicle = &event.Vehicle{VIN: "WVWZZZ1JZXW000001", Plate: "B-MW 1234", PlateCountry: "DEU", Make: "Volkswagen", Model: "Golf"}
	vessel := base("x-3", event.KindVessel)
	vessel.Time = time.Time{} // unknown time
	vessel.Vessel = &event.Vessel{IMO: "9074729", Name: "Nordlys", EngineSerials: []string{"YAM-001", "YAM-002"}}
	firearm := base("x-4", event.KindFirearm)
	firearm.Firearm = &event.Firearm{Serial: "GLK-12345", Make: "Glock", Model: "17", Calibre: "9x19mm"}
	return map[string]*event.Crossing{"person": person, "vehicle": vehicle, "vessel": vessel, "firearm": firearm}
}

func fixtureContext() event.Context {
	m := fixtureManifest()
	return m.Context()
}

func fixtureScreening() *event.Screening {
	return &event.Screening{
		SubjectID: "gw-20240611-000042/1", EventID: "gw-20240611-000042", Kind: event.KindPerson, Role: event.RolePassenger,
		Nationality: "RUS", Context: fixtureContext(), ScreenedAt: at("2024-06-11T20:00:01.004200Z"),
		SnapshotVersion: 1<<40 + 7, Hits: 2, Databases: []event.Database{event.DBNotices, event.DBSLTD}, DurationMicros: 4199,
	}
}

func fixtureAlert() *event.Alert {
	m := fixtureManifest()
	subj := m.Subjects()[1]
	return &event.Alert{
		Hit: event.Hit{
			ID: event.HitID(subj.ID, event.DBNotices, "2019/12345"), SubjectID: subj.ID, EventID: m.ID,
			Database: event.DBNotices, RecordID: "2019/12345", Score: 0.9375,
			Reasons: []event.Reason{
				{Field: "surname", Match: "fuzzy", Weight: 0.41, Detail: "transliterated surname agrees"},
				{Field: "birth_date", Match: "partial", Weight: 0.2, Detail: "year agrees"},
				{Field: "sex", Match: "conflict", Weight: -0.05},
			},
			SnapshotVersion: 42, Severity: "critical", Action: "arrest with a view to extradition", Owner: "FRA",
		},
		Subject:  subj,
		Context:  m.Context(),
		RaisedAt: at("2024-06-11T20:00:01.005Z"),
	}
}

func fixtureDeadLetter() *event.DeadLetter {
	return &event.DeadLetter{
		Topic: "watchpost.manifests.v1", Partition: 3, Offset: 1 << 33, Key: []byte("gw-1"), Value: []byte{0, 0, 0, 0, 1, 0xff},
		ErrorClass: "poison", Error: "decoding watchpost.v1.Manifest (schema id 1): travellers[0].person.birth_date: invalid date",
		FailedAt: at("2024-06-11T20:00:02Z"),
	}
}

func fixtureSLTD() *watchlist.Document {
	return &watchlist.Document{ID: "sltd-DEU-000001", Number: "C01X00T40", NumberTo: "C01X00T49", Type: "P", Issuer: "DEU", Status: watchlist.StatusStolenBlank, Owner: "DEU"}
}

func fixtureNotice() *watchlist.Person {
	return &watchlist.Person{
		ID: "2019/12345", NoticeType: watchlist.NoticeRed,
		Names: []watchlist.Name{
			{Surname: "Al-Rashid", GivenNames: "Maria"},
			{FullName: "Мария Аль-Рашид"},
			{GivenNames: "Masha", Weak: true},
		},
		BirthDates:    []event.Date{date("1971-03-02"), date("1971-02-03"), date("1971"), {}},
		Nationalities: []string{"RUS", "UKR"},
		Sex:           "F", Owner: "FRA",
	}
}

// bigManifest has n travellers with two documents each.
func bigManifest(n int) *event.Manifest {
	m := fixtureManifest()
	m.Travellers = make([]event.Traveller, n)
	for i := range m.Travellers {
		m.Travellers[i] = event.Traveller{Role: event.RolePassenger, Person: event.Person{
			Surname: fmt.Sprintf("Traveller%03d", i), GivenNames: "Jean-Édouard", BirthDate: event.Date{Year: 1950 + i%60, Month: 1 + i%12, Day: 1 + i%28},
			Sex: "M", Nationality: "FRA",
			Documents: []event.Document{
				{Type: "P", Number: fmt.Sprintf("19FR%05d", i), Issuer: "FRA", Expiry: event.Date{Year: 2030, Month: 1 + i%12}},
				{Type: "V", Number: fmt.Sprintf("V%07d", i), Issuer: "USA"},
			},
		}}
	}
	return m
}
