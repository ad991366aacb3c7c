package sink

import (
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
)

var (
	t0    = time.Date(2026, 3, 14, 23, 59, 58, 700_000_000, time.FixedZone("CET", 3600)) // 22:59:58.7 UTC
	t0UTC = time.Date(2026, 3, 14, 22, 59, 58, 0, time.UTC)
	day0  = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)
	epoch = time.Unix(0, 0).UTC()
)

func testContext() event.Context {
	return event.Context{
		Source: "api", Carrier: "XY", Flight: "XY123", Departure: "CDG", Arrival: "JFK",
		DepartureAt: t0, BorderPost: "JFK", Country: "USA", EventTime: t0.Add(-time.Hour),
	}
}

// testPerson carries personal data that must never reach a row.
func testPerson() *event.Person {
	return &event.Person{
		Surname: "QWERTYSURNAME", GivenNames: "ASDFGIVEN", BirthDate: event.Date{Year: 1977, Month: 7, Day: 17},
		Sex: "F", Nationality: "FRA",
		Documents: []event.Document{{Type: "P", Number: "ZX9988776", Issuer: "FRA", Expiry: event.Date{Year: 2030, Month: 1, Day: 2}}},
	}
}

func TestScreeningToRow(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		in      event.Screening
		want    screeningRow
		wantErr *RowError
	}{
		{
			name: "full",
			in: event.Screening{
				SubjectID: "m1/0", EventID: "m1", Kind: event.KindPerson, Role: event.RolePassenger, Nationality: "FRA",
				Context: testContext(), ScreenedAt: t0, SnapshotVersion: 42, Hits: 2,
				Databases: []event.Database{event.DBNotices, event.DBSLTD}, DurationMicros: 1234,
			},
			want: screeningRow{
				SubjectID: "m1/0", EventID: "m1", Kind: "person", Role: "passenger", Nationality: "FRA",
				Source: "api", Carrier: "XY", Flight: "XY123", Departure: "CDG", Arrival: "JFK", BorderPost: "JFK", Country: "USA",
				EventTime: t0UTC.Add(-time.Hour), ScreenedAt: t0UTC, ScreenedDate: day0,
				SnapshotVersion: 42, Hits: 2, Databases: []string{"notices", "sltd"}, DurationMicros: 1234,
			},
		},
		{
			name: "zero times, no hits, out-of-range counters",
			in:   event.Screening{SubjectID: "c1/0", EventID: "c1", Kind: event.KindVehicle, Hits: 70000, DurationMicros: -5},
			want: screeningRow{
				SubjectID: "c1/0", EventID: "c1", Kind: "vehicle", EventTime: epoch, ScreenedAt: epoch, ScreenedDate: epoch,
				Hits: math.MaxUint16, Databases: []string{},
			},
		},
		{
			name: "far future clamps",
			in:   event.Screening{SubjectID: "c2/0", ScreenedAt: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)},
			want: screeningRow{
				SubjectID: "c2/0", EventTime: epoch, ScreenedAt: maxDateTime, ScreenedDate: maxDateTime, Databases: []string{},
			},
		},
		{
			name:    "no subject id",
			in:      event.Screening{EventID: "m1"},
			wantErr: &RowError{Index: 7, Field: "subject_id", Issue: "is empty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := screeningToRow(7, &tt.in)
			if diff := cmp.Diff(tt.wantErr, asRowError(err)); diff != "" {
				t.Fatalf("screeningToRow() error mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("screeningToRow() mismatch (-want +got):\n%s", diff)
			}
			if n, cols := len(got.values()), len(strings.Split(screeningColumns, ",")); n != cols {
				t.Errorf("values() has %d values for %d columns", n, cols)
			}
		})
	}
}

func TestAlertToRow(t *testing.T) {
	t.Parallel()
	subject := event.Subject{ID: "m1/0", EventID: "m1", Kind: event.KindPerson, Role: event.RolePassenger, Person: testPerson()}
	reasons := []event.Reason{
		{Field: "document_number", Match: "exact", Weight: 0.8, Detail: "document number equals ZX9988776"},
		{Field: "surname", Match: "fuzzy", Weight: math.NaN(), Detail: "QWERTYSURNAME ~ QWERTYSURNAM"},
	}
	hit := event.Hit{
		ID: "h1", SubjectID: "m1/0", EventID: "m1", Database: event.DBSLTD, RecordID: "sltd-9", Score: 0.97,
		Reasons: reasons, SnapshotVersion: 42, Severity: "high", Action: "seize document", Owner: "FRA",
	}
	wantFull := hitRow{
		HitID: "h1", SubjectID: "m1/0", EventID: "m1", Kind: "person", Database: "sltd", RecordID: "sltd-9", Score: 0.97,
		Severity: "high", Action: "seize document", Owner: "FRA", SnapshotVersion: 42,
		ReasonField: []string{"document_number", "surname"}, ReasonMatch: []string{"exact", "fuzzy"}, ReasonWeight: []float64{0.8, 0},
		Source: "api", Carrier: "XY", Flight: "XY123", BorderPost: "JFK", Country: "USA",
		EventTime: t0UTC.Add(-time.Hour), RaisedAt: t0UTC, RaisedDate: day0, LatencyMS: 3_600_000,
	}
	withoutIDs := hit
	withoutIDs.ID, withoutIDs.SubjectID, withoutIDs.EventID = "", "", ""
	wantDerived := wantFull
	wantDerived.HitID = event.HitID("m1/0", event.DBSLTD, "sltd-9")
	noRecord := hit
	noRecord.RecordID = ""
	noDB := hit
	noDB.Database = ""
	neutral := hit.Neutral()
	wantNeutral := hitRow{
		HitID: "h1", SubjectID: "m1/0", EventID: "m1", Kind: "person", Database: "sltd", Severity: neutral.Severity, Action: neutral.Action,
		Owner: "FRA", SnapshotVersion: 42, ReasonField: []string{}, ReasonMatch: []string{}, ReasonWeight: []float64{},
		Source: "api", Carrier: "XY", Flight: "XY123", BorderPost: "JFK", Country: "USA",
		EventTime: t0UTC.Add(-time.Hour), RaisedAt: t0UTC, RaisedDate: day0, LatencyMS: 3_600_000,
	}
	neutralNoID := neutral
	neutralNoID.ID = ""

	tests := []struct {
		name    string
		in      event.Alert
		want    hitRow
		wantErr *RowError
	}{
		{"full", event.Alert{Hit: hit, Subject: subject, Context: testContext(), RaisedAt: t0}, wantFull, nil},
		{"ids from subject, hit id derived", event.Alert{Hit: withoutIDs, Subject: subject, Context: testContext(), RaisedAt: t0}, wantDerived, nil},
		{"no subject id anywhere", event.Alert{Hit: withoutIDs, Context: testContext()}, hitRow{}, &RowError{Index: 3, Field: "subject_id", Issue: "is empty"}},
		{"no record id", event.Alert{Hit: noRecord, Subject: subject}, hitRow{}, &RowError{Index: 3, Field: "record_id", Issue: "is empty"}},
		{"no database", event.Alert{Hit: noDB, Subject: subject}, hitRow{}, &RowError{Index: 3, Field: "database", Issue: "is empty"}},
		{"neutral hit: record withheld", event.Alert{Hit: neutral, Subject: subject, Context: testContext(), RaisedAt: t0}, wantNeutral, nil},
		{"neutral hit without its id", event.Alert{Hit: neutralNoID, Subject: subject}, hitRow{}, &RowError{Index: 3, Field: "id", Issue: "is empty in a neutral hit"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := alertToRow(3, &tt.in)
			if diff := cmp.Diff(tt.wantErr, asRowError(err)); diff != "" {
				t.Fatalf("alertToRow() error mismatch (-want +got):\n%s", diff)
			}
			if err != nil {
				return
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("alertToRow() mismatch (-want +got):\n%s", diff)
			}
			if n, cols := len(got.values()), len(strings.Split(hitColumns, ",")); n != cols {
				t.Errorf("values() has %d values for %d columns", n, cols)
			}
		})
	}
}

// TestRowsCarryNoPersonalData renders every value of a mapped alert and fails if any of the
// subject's personal data or a reason's free-text detail shows up.
func TestRowsCarryNoPersonalData(t *testing.T) {
	t.Parallel()
	p := testPerson()
	a := event.Alert{
		Hit: event.Hit{
			ID: "h1", SubjectID: "m1/0", EventID: "m1", Database: event.DBNotices, RecordID: "red-1", Score: 0.9,
			Reasons: []event.Reason{{Field: "surname", Match: "exact", Weight: 0.5, Detail: "QWERTYSURNAME equals"}},
		},
		Subject:  event.Subject{ID: "m1/0", EventID: "m1", Kind: event.KindPerson, Person: p},
		Context:  testContext(),
		RaisedAt: t0,
	}
	row, err := alertToRow(0, &a)
	if err != nil {
		t.Fatalf("alertToRow() error = %v", err)
	}
	rendered := fmt.Sprint(row.values()...)
	for _, secret := range []string{p.Surname, p.GivenNames, p.Documents[0].Number, p.BirthDate.String(), "1977", "equals"} {
		if strings.Contains(rendered, secret) {
			t.Errorf("hit row contains personal data or a reason detail: %q", secret)
		}
	}
}

func TestWriteRejectsRowsWithoutIDs(t *testing.T) {
	t.Parallel()
	s := &Sink{} // no connection: mapping fails before any call reaches the server
	tests := []struct {
		name  string
		write func() error
		want  RowError
	}{
		{
			name: "screening",
			write: func() error {
				return s.WriteScreenings(t.Context(), []event.Screening{{SubjectID: "a/0"}, {SubjectID: "a/1"}, {EventID: "a"}})
			},
			want: RowError{Index: 2, Field: "subject_id", Issue: "is empty"},
		},
		{
			name: "alert",
			write: func() error {
				return s.WriteAlerts(t.Context(), []event.Alert{{Hit: event.Hit{SubjectID: "a/0", Database: event.DBSLTD}}})
			},
			want: RowError{Index: 0, Field: "record_id", Issue: "is empty"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.write()
			if got := fault.Class(err); got != "poison" {
				t.Errorf("fault.Class(%v) = %q, want poison", err, got)
			}
			re := asRowError(err)
			if re == nil {
				t.Fatalf("error %v is not a *RowError", err)
			}
			if diff := cmp.Diff(tt.want, *re); diff != "" {
				t.Errorf("RowError mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if err := s.WriteScreenings(t.Context(), nil); err != nil {
		t.Errorf("WriteScreenings(nil) = %v, want nil", err)
	}
	if err := s.WriteAlerts(t.Context(), nil); err != nil {
		t.Errorf("WriteAlerts(nil) = %v, want nil", err)
	}
}

func asRowError(err error) *RowError {
	var re *RowError
	if errors.As(err, &re) {
		return re
	}
	return nil
}
