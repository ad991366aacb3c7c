package schemas_test

import (
	"math"
	"strings"
	"testing"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

// Personal data planted in malformed messages; no error may repeat it.
const (
	secretName   = "Secretariat"
	secretNumber = "SECRET123"
	secretDate   = "1990-13-01"
)

func rawManifest(edit func(m map[string]any)) map[string]any {
	person := map[string]any{
		"surname": map[string]any{"string": secretName}, "given_names": nil, "birth_date": map[string]any{"string": "1990-01-01"},
		"sex": nil, "nationality": nil,
		"documents": []any{map[string]any{"type": nil, "number": map[string]any{"string": secretNumber}, "issuer": nil, "expiry": nil}},
	}
	m := map[string]any{
		"id": "m-1", "carrier": "LH", "flight": "LH0400", "country": "DEU", "legs": []any{},
		"travellers":  []any{map[string]any{"role": "passenger", "person": person}},
		"received_at": nil,
	}
	if edit != nil {
		edit(m)
	}
	return m
}

func personOf(m map[string]any, i int) map[string]any {
	return m["travellers"].([]any)[i].(map[string]any)["person"].(map[string]any)
}

func TestDecodeErrors(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	manifestV1, _ := schemas.Schema(schemas.SubjectManifest, 1)
	alertV1, _ := schemas.Schema(schemas.SubjectAlert, 1)
	valid, err := s.EncodeManifest(fixtureManifest())
	if err != nil {
		t.Fatal(err)
	}
	crossing, err := s.EncodeCrossing(fixtureCrossings()["person"])
	if err != nil {
		t.Fatal(err)
	}
	alertNative := func(edit func(hit map[string]any)) map[string]any {
		hit := map[string]any{
			"id": "h", "subject_id": "s", "event_id": "e", "database": "notices", "record_id": "r", "score": 0.5,
			"reasons": []any{}, "snapshot_version": int64(1), "severity": nil, "action": nil, "owner": nil,
		}
		edit(hit)
		return map[string]any{
			"hit":       hit,
			"subject":   map[string]any{"id": "s", "event_id": "e", "kind": "person", "role": nil, "presented": nil},
			"context":   map[string]any{"source": nil, "carrier": nil, "flight": nil, "departure": nil, "arrival": nil, "departure_at": nil, "border_post": nil, "country": nil, "event_time": nil},
			"raised_at": nil,
		}
	}
	decodeManifest := func(b []byte) error { _, err := s.DecodeManifest(b); return err }
	decodeAlert := func(b []byte) error { _, err := s.DecodeAlert(b); return err }
	tests := []struct {
		name   string
		b      []byte
		decode func([]byte) error
		want   string // in the error message
	}{
		{"empty buffer", nil, decodeManifest, "short buffer: 0 bytes"},
		{"short header", []byte{0, 0, 0}, decodeManifest, "short buffer: 3 bytes"},
		{"wrong magic byte", append([]byte{1}, valid[1:]...), decodeManifest, "magic byte at offset 0 is 1"},
		{"unknown schema id", append([]byte{0, 0, 0, 0, 99}, valid[5:]...), decodeManifest, "unknown schema id 99"},
		{"id of another record", crossing, decodeManifest, "schema id 12 is registered for watchpost.v1.Crossing"},
		{"truncated body", valid[:len(valid)/2], decodeManifest, "bad Avro body"},
		{"header only", valid[:5], decodeManifest, "bad Avro body"},
		{"trailing bytes", append(append([]byte{}, valid...), 0, 0), decodeManifest, "2 trailing bytes"},
		{"huge array block count", []byte{0, 0, 0, 0, 1, 2, 'm', 2, 'c', 2, 'f', 2, 'c', 0xfe, 0xff, 0xff, 0xff, 0x0f}, decodeManifest, "MaxBlockCount"},
		{"invalid date", writeWith(t, manifestV1, 1, rawManifest(func(m map[string]any) {
			personOf(m, 0)["birth_date"] = map[string]any{"string": secretDate}
		})), decodeManifest, "travellers[0].person.birth_date: invalid date"},
		{"malformed date", writeWith(t, manifestV1, 1, rawManifest(func(m map[string]any) {
			personOf(m, 0)["documents"].([]any)[0].(map[string]any)["expiry"] = map[string]any{"string": "31/12/2030"}
		})), decodeManifest, "travellers[0].person.documents[0].expiry: invalid date"},
		{"empty required id", writeWith(t, manifestV1, 1, rawManifest(func(m map[string]any) { m["id"] = "" })), decodeManifest, "id: required"},
		{"empty required country", writeWith(t, manifestV1, 1, rawManifest(func(m map[string]any) { m["country"] = "" })), decodeManifest, "country: required"},
		{"timestamp out of range", writeWith(t, manifestV1, 1, rawManifest(func(m map[string]any) {
			m["received_at"] = map[string]any{"long.timestamp-micros": int64(math.MaxInt64)}
		})), decodeManifest, "received_at: timestamp out of range"},
		{"negative snapshot version", writeWith(t, alertV1, 4, alertNative(func(h map[string]any) { h["snapshot_version"] = int64(-1) })), decodeAlert, "hit.snapshot_version: negative"},
		{"NaN score", writeWith(t, alertV1, 4, alertNative(func(h map[string]any) { h["score"] = math.NaN() })), decodeAlert, "hit.score: want a finite number"},
		{"empty reason field", writeWith(t, alertV1, 4, alertNative(func(h map[string]any) {
			h["reasons"] = []any{map[string]any{"field": "surname", "match": nil, "weight": 0.1, "detail": nil}, map[string]any{"field": "", "match": nil, "weight": 0.1, "detail": nil}}
		})), decodeAlert, "hit.reasons[1].field: required"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.decode(tt.b)
			if err == nil {
				t.Fatal("decoded without error")
			}
			if !isPoison(err) {
				t.Errorf("error is not poison: %v", err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
			for _, secret := range []string{secretName, secretNumber, secretDate} {
				if strings.Contains(err.Error(), secret) {
					t.Errorf("error repeats personal data: %q", err)
				}
			}
		})
	}
}

func TestSchemaID(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		b       []byte
		want    int
		wantErr bool
	}{
		{"valid", []byte{0, 0, 1, 0, 2, 9}, 1<<16 + 2, false},
		{"header only", []byte{0, 0x7f, 0xff, 0xff, 0xff}, math.MaxInt32, false},
		{"short", []byte{0, 0}, 0, true},
		{"magic", []byte{2, 0, 0, 0, 1}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := schemas.SchemaID(tt.b)
			if (err != nil) != tt.wantErr || got != tt.want {
				t.Errorf("SchemaID = %d, %v; want %d, error %v", got, err, tt.want, tt.wantErr)
			}
			if err != nil && !isPoison(err) {
				t.Errorf("error is not poison: %v", err)
			}
		})
	}
}

func TestEncodeInvalid(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	badRole := fixtureManifest()
	badRole.Travellers[2].Role = "pilot"
	badDate := fixtureManifest()
	badDate.Travellers[1].Documents[0].Expiry = event.Date{Year: 2030, Month: 2, Day: 30}
	twoSubjects := fixtureCrossings()["person"]
	twoSubjects.Vehicle = &event.Vehicle{VIN: "WVWZZZ1JZXW000001"}
	wrongKind := fixtureCrossings()["firearm"]
	wrongKind.Kind = event.KindVessel
	noSubject := fixtureCrossings()["vessel"]
	noSubject.Vessel = nil
	bigHits := fixtureScreening()
	bigHits.Hits = math.MaxInt32 + 1
	bigSnap := fixtureAlert()
	bigSnap.Hit.SnapshotVersion = math.MaxUint64
	badDB := fixtureScreening()
	badDB.Databases = append(badDB.Databases, "interpol")
	farFuture := fixtureDeadLetter()
	farFuture.FailedAt = farFuture.FailedAt.AddDate(9000, 0, 0)
	noTopic := fixtureDeadLetter()
	noTopic.Topic = ""
	badIssuer := fixtureSLTD()
	badIssuer.Issuer = "DE"
	noNames := fixtureNotice()
	noNames.Names = nil

	enc := func(f func() ([]byte, error)) func() error { return func() error { _, err := f(); return err } }
	tests := []struct {
		name string
		enc  func() error
		want string
	}{
		{"nil manifest", enc(func() ([]byte, error) { return s.EncodeManifest(nil) }), "nil value"},
		{"empty manifest id", enc(func() ([]byte, error) {
			return s.EncodeManifest(&event.Manifest{Carrier: "LH", Flight: "LH1", Country: "DEU"})
		}), "id: required"},
		{"unknown role", enc(func() ([]byte, error) { return s.EncodeManifest(badRole) }), "travellers[2].role: want one of passenger, crew"},
		{"invalid expiry", enc(func() ([]byte, error) { return s.EncodeManifest(badDate) }), "travellers[1].person.documents[0].expiry: invalid date"},
		{"two crossing subjects", enc(func() ([]byte, error) { return s.EncodeCrossing(twoSubjects) }), "subject: more than one"},
		{"crossing kind disagrees", enc(func() ([]byte, error) { return s.EncodeCrossing(wrongKind) }), "subject: the subject set does not agree with kind"},
		{"crossing without subject", enc(func() ([]byte, error) { return s.EncodeCrossing(noSubject) }), "subject: required"},
		{"hits beyond int32", enc(func() ([]byte, error) { return s.EncodeScreening(bigHits) }), "hits: out of 32-bit range"},
		{"unknown database", enc(func() ([]byte, error) { return s.EncodeScreening(badDB) }), "databases[2]: want one of"},
		{"snapshot beyond int64", enc(func() ([]byte, error) { return s.EncodeAlert(bigSnap) }), "hit.snapshot_version"},
		{"timestamp beyond 9999", enc(func() ([]byte, error) { return s.EncodeDeadLetter(farFuture) }), "failed_at: timestamp out of range"},
		{"dead letter without topic", enc(func() ([]byte, error) { return s.EncodeDeadLetter(noTopic) }), "topic: required"},
		{"sltd issuer", enc(func() ([]byte, error) { return s.EncodeSLTDRecord(badIssuer) }), "issuer: want an ISO 3166 alpha-3 code"},
		{"notice without names", enc(func() ([]byte, error) { return s.EncodeNoticeRecord(noNames) }), "names: at least one name required"},
		{"nil notice", enc(func() ([]byte, error) { return s.EncodeNoticeRecord((*watchlist.Person)(nil)) }), "nil value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.enc()
			if err == nil {
				t.Fatal("encoded an invalid value")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
}

func TestNewSerdeErrors(t *testing.T) {
	t.Parallel()
	with := func(edit func(map[string]int)) map[string]int {
		ids := map[string]int{}
		for k, v := range testIDs {
			ids[k] = v
		}
		edit(ids)
		return ids
	}
	tests := []struct {
		name string
		ids  map[string]int
		want string
	}{
		{"missing subject", with(func(m map[string]int) { delete(m, schemas.SubjectAlert) }), "watchpost.v1.Alert: no schema id"},
		{"unknown subject", with(func(m map[string]int) { m["watchpost.v1.Nope"] = 50 }), `unknown subject "watchpost.v1.Nope"`},
		{"unknown version", with(func(m map[string]int) { m[schemas.VersionKey(schemas.SubjectAlert, 9)] = 50 }), "no shipped version"},
		{"duplicate id", with(func(m map[string]int) { m[schemas.SubjectAlert] = 1 }), "schema id 1 is already used"},
		{"id out of range", with(func(m map[string]int) { m[schemas.SubjectAlert] = 0 }), "out of range"},
		{"two ids for one version", with(func(m map[string]int) { m[schemas.VersionKey(schemas.SubjectAlert, 2)] = 40 }), "two ids"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := schemas.NewSerde(tt.ids)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("NewSerde = %v, want an error containing %q", err, tt.want)
			}
		})
	}
	// A version key for the newest version alone is enough.
	ids := with(func(m map[string]int) {
		delete(m, schemas.SubjectAlert)
		m[schemas.VersionKey(schemas.SubjectAlert, 2)] = 13
	})
	if _, err := schemas.NewSerde(ids); err != nil {
		t.Errorf("NewSerde with a version key: %v", err)
	}
}
