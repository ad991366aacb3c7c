package sink

import (
	"math"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// screeningColumns lists the screenings columns in insert order; screeningRow.values follows it.
const screeningColumns = "subject_id, event_id, kind, role, nationality, source, carrier, flight, " +
	"departure, arrival, border_post, country, event_time, screened_at, screened_date, " +
	"snapshot_version, hits, databases, duration_micros"

// screeningRow is one row of the screenings table.
type screeningRow struct {
	SubjectID       string
	EventID         string
	Kind            string
	Role            string
	Nationality     string
	Source          string
	Carrier         string
	Flight          string
	Departure       string
	Arrival         string
	BorderPost      string
	Country         string
	EventTime       time.Time
	ScreenedAt      time.Time
	ScreenedDate    time.Time
	SnapshotVersion uint64
	Hits            uint16
	Databases       []string
	DurationMicros  uint64
}

func (r *screeningRow) values() []any {
	return []any{
		r.SubjectID, r.EventID, r.Kind, r.Role, r.Nationality, r.Source, r.Carrier, r.Flight,
		r.Departure, r.Arrival, r.BorderPost, r.Country, r.EventTime, r.ScreenedAt, r.ScreenedDate,
		r.SnapshotVersion, r.Hits, r.Databases, r.DurationMicros,
	}
}

// hitColumns lists the hits columns in insert order; hitRow.values follows it.
const hitColumns = "hit_id, subject_id, event_id, kind, database, record_id, score, severity, action, " +
	"owner, snapshot_version, reason_field, reason_match, reason_weight, source, carrier, flight, " +
	"border_post, country, event_time, raised_at, raised_date, latency_ms"

// hitRow is one row of the hits table.
type hitRow struct {
	HitID           string
	SubjectID       string
	EventID         string
	Kind            string
	Database        string
	RecordID        string
	Score           float64
	Severity        string
	Action          string
	Owner           string
	SnapshotVersion uint64
	ReasonField     []string
	ReasonMatch     []string
	ReasonWeight    []float64
	Source          string
	Carrier         string
	Flight          string
	BorderPost      string
	Country         string
	EventTime       time.Time
	RaisedAt        time.Time
	RaisedDate      time.Time
	LatencyMS       int64 // raised_at − event_time in milliseconds; -1 when either is unknown
}

func (r *hitRow) values() []any {
	return []any{
		r.HitID, r.SubjectID, r.EventID, r.Kind, r.Database, r.RecordID, r.Score, r.Severity, r.Action,
		r.Owner, r.SnapshotVersion, r.ReasonField, r.ReasonMatch, r.ReasonWeight, r.Source, r.Carrier, r.Flight,
		r.BorderPost, r.Country, r.EventTime, r.RaisedAt, r.RaisedDate, r.LatencyMS,
	}
}

// maxDateTime is the latest instant written to a DateTime column: 2100-01-01T00:00:00Z,
// inside the range of every ClickHouse version (18.16 mis-renders values near 2106).
var maxDateTime = time.Unix(4102444800, 0).UTC()

// dateTime maps t to a DateTime value: UTC, whole seconds, clamped to [1970, 2100]. The zero
// time (unknown) becomes 1970-01-01T00:00:00Z, ClickHouse's zero DateTime.
func dateTime(t time.Time) time.Time {
	switch {
	case t.IsZero() || t.Unix() < 0:
		return time.Unix(0, 0).UTC()
	case t.After(maxDateTime):
		return maxDateTime
	default:
		return t.UTC().Truncate(time.Second)
	}
}

// date maps t to a Date value: midnight UTC of the day of dateTime(t).
func date(t time.Time) time.Time {
	y, m, d := dateTime(t).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func clampUint16(n int) uint16 {
	switch {
	case n < 0:
		return 0
	case n > math.MaxUint16:
		return math.MaxUint16
	default:
		return uint16(n)
	}
}

func nonNegative(n int64) uint64 {
	if n < 0 {
		return 0
	}
	return uint64(n)
}

// finite maps NaN to 0 and infinities to the largest finite values, so a bad score from an
// upstream bug cannot poison a whole batch's aggregates.
func finite(f float64) float64 {
	switch {
	case math.IsNaN(f):
		return 0
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	default:
		return f
	}
}

// screeningToRow maps a screening to its row. It fails, naming the field, when the row
// could never be de-duplicated.
func screeningToRow(i int, s *event.Screening) (screeningRow, error) {
	if s.SubjectID == "" {
		return screeningRow{}, &RowError{Index: i, Field: "subject_id", Issue: "is empty"}
	}
	dbs := make([]string, len(s.Databases))
	for j, d := range s.Databases {
		dbs[j] = string(d)
	}
	c := &s.Context
	return screeningRow{
		SubjectID:       s.SubjectID,
		EventID:         s.EventID,
		Kind:            string(s.Kind),
		Role:            string(s.Role),
		Nationality:     s.Nationality,
		Source:          c.Source,
		Carrier:         c.Carrier,
		Flight:          c.Flight,
		Departure:       c.Departure,
		Arrival:         c.Arrival,
		BorderPost:      c.BorderPost,
		Country:         c.Country,
		EventTime:       dateTime(c.EventTime),
		ScreenedAt:      dateTime(s.ScreenedAt),
		ScreenedDate:    date(s.ScreenedAt),
		SnapshotVersion: s.SnapshotVersion,
		Hits:            clampUint16(s.Hits),
		Databases:       dbs,
		DurationMicros:  nonNegative(s.DurationMicros),
	}, nil
}

// alertToRow maps an alert to its hits row. Only the hit's ids, codes, score and reason
// field/match/weight are kept: the subject as presented (names, documents, birth date) and
// the reasons' details are dropped. A missing hit id is derived with [event.HitID], as the
// matcher derives it; a hit without subject, database or record id fails, naming the field.
func alertToRow(i int, a *event.Alert) (hitRow, error) {
	h := &a.Hit
	subjectID := h.SubjectID
	if subjectID == "" {
		subjectID = a.Subject.ID
	}
	eventID := h.EventID
	if eventID == "" {
		eventID = a.Subject.EventID
	}
	switch {
	case subjectID == "":
		return hitRow{}, &RowError{Index: i, Field: "subject_id", Issue: "is empty"}
	case h.Database == "":
		return hitRow{}, &RowError{Index: i, Field: "database", Issue: "is empty"}
	case h.RecordID == "" && !h.Restricted: // a neutral hit withholds its record id
		return hitRow{}, &RowError{Index: i, Field: "record_id", Issue: "is empty"}
	case h.ID == "" && h.Restricted:
		return hitRow{}, &RowError{Index: i, Field: "id", Issue: "is empty in a neutral hit"}
	}
	id := h.ID
	if id == "" {
		id = event.HitID(subjectID, h.Database, h.RecordID)
	}
	fields := make([]string, len(h.Reasons))
	matches := make([]string, len(h.Reasons))
	weights := make([]float64, len(h.Reasons))
	for j, r := range h.Reasons {
		fields[j], matches[j], weights[j] = r.Field, r.Match, finite(r.Weight)
	}
	c := &a.Context
	return hitRow{
		HitID:           id,
		SubjectID:       subjectID,
		EventID:         eventID,
		Kind:            string(a.Subject.Kind),
		Database:        string(h.Database),
		RecordID:        h.RecordID,
		Score:           finite(h.Score),
		Severity:        h.Severity,
		Action:          h.Action,
		Owner:           h.Owner,
		SnapshotVersion: h.SnapshotVersion,
		ReasonField:     fields,
		ReasonMatch:     matches,
		ReasonWeight:    weights,
		Source:          c.Source,
		Carrier:         c.Carrier,
		Flight:          c.Flight,
		BorderPost:      c.BorderPost,
		Country:         c.Country,
		EventTime:       dateTime(c.EventTime),
		RaisedAt:        dateTime(a.RaisedAt),
		RaisedDate:      date(a.RaisedAt),
		LatencyMS:       latencyMillis(c.EventTime, a.RaisedAt),
	}, nil
}

// latencyMillis is how long after the event the hit was raised, in milliseconds, measured
// before DateTime truncates both times to seconds: -1 when either time is unknown, 0 when
// the clocks disagree and the hit seems raised before its event.
func latencyMillis(event, raised time.Time) int64 {
	if event.IsZero() || raised.IsZero() {
		return -1
	}
	return max(0, raised.Sub(event).Milliseconds())
}
