package schemas_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/schemas"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// codecCase encodes and decodes one value through the serde, type-erased for tables.
type codecCase struct {
	name    string
	subject string
	value   any
	encode  func(*schemas.Serde) ([]byte, error)
	decode  func(*schemas.Serde, []byte) (any, error)
}

func manifestCase(name string, m *event.Manifest) codecCase {
	return codecCase{name, schemas.SubjectManifest, m,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeManifest(m) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeManifest(b) }}
}

func crossingCase(name string, c *event.Crossing) codecCase {
	return codecCase{name, schemas.SubjectCrossing, c,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeCrossing(c) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeCrossing(b) }}
}

func screeningCase(name string, v *event.Screening) codecCase {
	return codecCase{name, schemas.SubjectScreening, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeScreening(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeScreening(b) }}
}

func alertCase(name string, v *event.Alert) codecCase {
	return codecCase{name, schemas.SubjectAlert, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeAlert(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeAlert(b) }}
}

func deadLetterCase(name string, v *event.DeadLetter) codecCase {
	return codecCase{name, schemas.SubjectDeadLetter, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeDeadLetter(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeDeadLetter(b) }}
}

func sltdCase(name string, v *watchlist.Document) codecCase {
	return codecCase{name, schemas.SubjectSLTDRecord, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeSLTDRecord(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeSLTDRecord(b) }}
}

func noticeCase(name string, v *watchlist.Person) codecCase {
	return codecCase{name, schemas.SubjectNoticeRecord, v,
		func(s *schemas.Serde) ([]byte, error) { return s.EncodeNoticeRecord(v) },
		func(s *schemas.Serde, b []byte) (any, error) { return s.DecodeNoticeRecord(b) }}
}

func roundTripCases() []codecCase {
	cs := fixtureCrossings()
	minimalManifest := &event.Manifest{ID: "m-2", Carrier: "SK", Flight: "SK0911", Country: "NOR"}
	crewOnly := fixtureManifest()
	crewOnly.Legs = nil
	crewOnly.ReceivedAt = crewOnly.ReceivedAt.In(mustLoc("Asia/Tokyo")) // any zone; decodes as UTC
	noPresented := fixtureAlert()
	noPresented.Subject.Person, noPresented.Subject.Role = nil, ""
	vehicleAlert := fixtureAlert()
	vehicleAlert.Hit.Database, vehicleAlert.Hit.Reasons = event.DBVehicles, nil
	vehicleAlert.Subject = cs["vehicle"].Subject()
	vehicleAlert.Context = cs["vehicle"].Context()
	crossingScreening := fixtureScreening()
	crossingScreening.Role, crossingScreening.Nationality, crossingScreening.Databases, crossingScreening.Hits = "", "", nil, 0
	crossingScreening.Context = cs["firearm"].Context()
	noKeyDL := fixtureDeadLetter()
	noKeyDL.Key, noKeyDL.Value, noKeyDL.FailedAt = nil, []byte{}, noKeyDL.FailedAt.Add(0)
	nominal := fixtureNotice()
	nominal.NoticeType, nominal.BirthDates, nominal.Nationalities = "", nil, nil
	single := fixtureSLTD()
	single.NumberTo, single.Type, single.Owner, single.Status = "", "", "", watchlist.StatusLost

	return []codecCase{
		manifestCase("manifest", fixtureManifest()),
		manifestCase("manifest minimal", minimalManifest),
		manifestCase("manifest without legs", crewOnly),
		manifestCase("manifest 300 travellers", bigManifest(300)),
		crossingCase("crossing person", cs["person"]),
		crossingCase("crossing vehicle", cs["vehicle"]),
		crossingCase("crossing vessel", cs["vessel"]),
		crossingCase("crossing firearm", cs["firearm"]),
		screeningCase("screening", fixtureScreening()),
		screeningCase("screening of a crossing", crossingScreening),
		alertCase("alert", fixtureAlert()),
		alertCase("alert without presented subject", noPresented),
		alertCase("alert on a vehicle", vehicleAlert),
		deadLetterCase("dead letter", fixtureDeadLetter()),
		deadLetterCase("dead letter without key", noKeyDL),
		sltdCase("sltd range", fixtureSLTD()),
		sltdCase("sltd single", single),
		noticeCase("notice", fixtureNotice()),
		noticeCase("nominal", nominal),
		outcomeCase("outcome confirmed", fixtureOutcome()),
		outcomeCase("outcome dismissed", fixtureDismissal()),
		auditCase("audit alert shown", fixtureAudit()),
		auditCase("audit login", fixtureLoginAudit()),
		auditCase("audit decision", fixtureDecisionAudit()),
		pnrCase("pnr", fixturePNR()),
	}
}

func TestRoundTrip(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	for _, tt := range roundTripCases() {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			b, err := tt.encode(s)
			if err != nil {
				t.Fatalf("encode: %v", err)
			}
			id, err := schemas.SchemaID(b)
			if err != nil || id != testIDs[tt.subject] {
				t.Errorf("SchemaID = %d, %v; want %d", id, err, testIDs[tt.subject])
			}
			got, err := tt.decode(s, b)
			if err != nil {
				t.Fatalf("decode: %v", err)
			}
			if diff := cmp.Diff(tt.value, got); diff != "" {
				t.Errorf("decode(encode(x)) != x (-want +got):\n%s", diff)
			}
		})
	}
}

// goldenCases are the values pinned per schema version: file name and case.
func goldenCases() map[string]codecCase {
	cs := fixtureCrossings()
	return map[string]codecCase{
		"manifest.v1":       manifestCase("manifest", fixtureManifest()),
		"crossing.v1":       crossingCase("crossing", cs["person"]),
		"screening.v1":      screeningCase("screening", fixtureScreening()),
		"alert.v1":          alertCase("alert", fixtureAlert()),
		"dead_letter.v1":    deadLetterCase("dead letter", fixtureDeadLetter()),
		"sltd_record.v1":    sltdCase("sltd", fixtureSLTD()),
		"notice_record.v1":  noticeCase("notice", fixtureNotice()),
		"outcome.v1":        outcomeCase("outcome", fixtureOutcome()),
		"audit_event.v1":    auditCase("audit event", fixtureDecisionAudit()),
		"pnr.v1":            pnrCase("pnr", fixturePNR()),
		"manifest.v2":       manifestCase("manifest v2", fixtureManifestV2()),
		"crossing.v2":       crossingCase("crossing v2", fixtureCrossingV2()),
		"alert.v2":          alertCase("alert v2", fixtureNeutralAlert()),
		"sltd_record.v2":    sltdCase("sltd v2", fixtureSLTDV2()),
		"notice_record.v2":  noticeCase("notice v2", fixtureNoticeV2()),
		"tdawn_record.v1":   tdawnCase("tdawn", fixtureTDAWN()),
		"vehicle_record.v1": vehicleCase("vehicle record", fixtureVehicleRecord()),
		"vessel_record.v1":  vesselCase("vessel record", fixtureVesselRecord()),
		"firearm_record.v1": firearmCase("firearm record", fixtureFirearmRecord()),
	}
}

// Golden files hold the encoding as lowercase hex, 32 bytes a line, so diffs are reviewable.
func formatGolden(b []byte) []byte {
	var out bytes.Buffer
	for len(b) > 0 {
		n := min(32, len(b))
		out.WriteString(hex.EncodeToString(b[:n]))
		out.WriteByte('\n')
		b = b[n:]
	}
	return out.Bytes()
}

func parseGolden(t *testing.T, text []byte) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.Join(strings.Fields(string(text)), ""))
	if err != nil {
		t.Fatalf("parsing golden file: %v", err)
	}
	return b
}

func TestGolden(t *testing.T) {
	t.Parallel()
	s := newTestSerde(t)
	for file, tt := range goldenCases() {
		t.Run(file, func(t *testing.T) {
			t.Parallel()
			path := filepath.Join("testdata", file+".golden")
			// Only the newest version of a record is encoded; older versions' golden bytes
			// are frozen and must keep decoding (their ids go in testIDs as VersionKeys).
			version, err := strconv.Atoi(file[strings.LastIndex(file, ".v")+2:])
			if err != nil {
				t.Fatalf("golden file name %s lacks a .vN version", file)
			}
			_, newer := schemas.Schema(tt.subject, version+1)
			if !newer {
				b, err := tt.encode(s)
				if err != nil {
					t.Fatalf("encode: %v", err)
				}
				if *update {
					if err := os.WriteFile(path, formatGolden(b), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				text, err := os.ReadFile(path)
				if err != nil {
					t.Fatalf("reading golden file (run with -update to create it): %v", err)
				}
				if want := parseGolden(t, text); !bytes.Equal(b, want) {
					t.Errorf("encoding changed; if intended, add a new schema version or run with -update\n got: %x\nwant: %x", b, want)
				}
			}
			text, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("reading golden file: %v", err)
			}
			want := parseGolden(t, text)
			got, err := tt.decode(s, want)
			if err != nil {
				t.Fatalf("decoding golden bytes: %v", err)
			}
			if diff := cmp.Diff(tt.value, got); diff != "" {
				t.Errorf("decoding golden bytes (-want +got):\n%s", diff)
			}
		})
	}
}

func TestGoldenFilesAllKnown(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("testdata/*.golden")
	if err != nil {
		t.Fatal(err)
	}
	cases := goldenCases()
	for _, f := range files {
		if _, ok := cases[strings.TrimSuffix(filepath.Base(f), ".golden")]; !ok {
			t.Errorf("%s has no test case: an old version's golden bytes must keep being decoded", f)
		}
	}
	avsc, err := filepath.Glob("avro/*.avsc")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range avsc {
		if _, ok := cases[strings.TrimSuffix(filepath.Base(f), ".avsc")]; !ok {
			t.Errorf("%s has no golden case", f)
		}
	}
}

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		return time.FixedZone(name, 9*3600)
	}
	return l
}

func isPoison(err error) bool { return errors.Is(err, fault.ErrPoison) }
