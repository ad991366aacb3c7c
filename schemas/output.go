package schemas

import (
	"math"

	"github.com/watchpost/watchpost/pipeline/event"
)

// EncodeScreening encodes a screening record. The subject and event ids are required.
func (s *Serde) EncodeScreening(sc *event.Screening) ([]byte, error) {
	return encodeValue(s, kindScreening, sc, validateScreening, screeningNative)
}

// DecodeScreening decodes a screening written with any known version. Errors are poison.
func (s *Serde) DecodeScreening(b []byte) (*event.Screening, error) {
	return decodeValue(s, kindScreening, b, readScreening, validateScreening)
}

// EncodeAlert encodes an alert: the hit with its reasons, the subject as presented, and the
// context. The hit's ids and the subject's ids are required.
func (s *Serde) EncodeAlert(a *event.Alert) ([]byte, error) {
	return encodeValue(s, kindAlert, a, validateAlert, alertNative)
}

// DecodeAlert decodes an alert written with any known version. Errors are poison.
func (s *Serde) DecodeAlert(b []byte) (*event.Alert, error) {
	return decodeValue(s, kindAlert, b, readAlert, validateAlert)
}

// EncodeDeadLetter encodes a dead letter. The topic and error class are required; a nil key
// or value encodes as null, an empty one as empty bytes.
func (s *Serde) EncodeDeadLetter(d *event.DeadLetter) ([]byte, error) {
	return encodeValue(s, kindDeadLetter, d, validateDeadLetter, deadLetterNative)
}

// DecodeDeadLetter decodes a dead letter written with any known version. Errors are poison.
func (s *Serde) DecodeDeadLetter(b []byte) (*event.DeadLetter, error) {
	return decodeValue(s, kindDeadLetter, b, readDeadLetter, validateDeadLetter)
}

// --- context ---

func validateContext(v *validator, l *loc, c *event.Context) {
	v.time(l, "departure_at", c.DepartureAt)
	v.time(l, "event_time", c.EventTime)
}

func contextNative(c *event.Context) map[string]any {
	return map[string]any{
		"source":       optString(c.Source),
		"carrier":      optString(c.Carrier),
		"flight":       optString(c.Flight),
		"departure":    optString(c.Departure),
		"arrival":      optString(c.Arrival),
		"departure_at": optTime(c.DepartureAt),
		"border_post":  optString(c.BorderPost),
		"country":      optString(c.Country),
		"event_time":   optTime(c.EventTime),
	}
}

func readContext(r *reader, o obj) event.Context {
	return event.Context{
		Source:      r.str(o, "source", false),
		Carrier:     r.str(o, "carrier", false),
		Flight:      r.str(o, "flight", false),
		Departure:   r.str(o, "departure", false),
		Arrival:     r.str(o, "arrival", false),
		DepartureAt: r.time(o, "departure_at"),
		BorderPost:  r.str(o, "border_post", false),
		Country:     r.str(o, "country", false),
		EventTime:   r.time(o, "event_time"),
	}
}

// readSnapshot reads a snapshot version, which is never negative on the wire.
func readSnapshot(r *reader, o obj, field string) uint64 {
	n := r.long(o, field)
	if n < 0 {
		r.fail(o.l.at(field), "negative snapshot version")
		return 0
	}
	return uint64(n)
}

// --- screening ---

func validateScreening(sc *event.Screening) error {
	var v validator
	v.required(root, "subject_id", sc.SubjectID)
	v.required(root, "event_id", sc.EventID)
	v.enum(root, "kind", string(sc.Kind), false, kinds...)
	v.enum(root, "role", string(sc.Role), true, roles...)
	validateContext(&v, root.at("context"), &sc.Context)
	v.time(root, "screened_at", sc.ScreenedAt)
	v.snapshot(root, "snapshot_version", sc.SnapshotVersion)
	if sc.Hits < math.MinInt32 || sc.Hits > math.MaxInt32 {
		v.add(root.at("hits"), "out of 32-bit range")
	}
	for i, db := range sc.Databases {
		v.enum(root.elem("databases", i), "", string(db), false, databases...)
	}
	return v.result()
}

func screeningNative(sc *event.Screening) map[string]any {
	dbs := make([]any, len(sc.Databases))
	for i, db := range sc.Databases {
		dbs[i] = string(db)
	}
	return map[string]any{
		"subject_id":       sc.SubjectID,
		"event_id":         sc.EventID,
		"kind":             string(sc.Kind),
		"role":             optEnum(nameRole, string(sc.Role)),
		"nationality":      optString(sc.Nationality),
		"context":          contextNative(&sc.Context),
		"screened_at":      optTime(sc.ScreenedAt),
		"snapshot_version": int64(sc.SnapshotVersion),
		"hits":             int32(sc.Hits),
		"databases":        dbs,
		"duration_micros":  sc.DurationMicros,
	}
}

func readScreening(r *reader, o obj) *event.Screening {
	sc := &event.Screening{
		SubjectID:       r.str(o, "subject_id", true),
		EventID:         r.str(o, "event_id", true),
		Kind:            event.SubjectKind(r.str(o, "kind", true)),
		Role:            event.Role(r.str(o, "role", false)),
		Nationality:     r.str(o, "nationality", false),
		Context:         readContext(r, r.record(o, "context")),
		ScreenedAt:      r.time(o, "screened_at"),
		SnapshotVersion: readSnapshot(r, o, "snapshot_version"),
		Hits:            int(r.int32(o, "hits")),
		DurationMicros:  r.long(o, "duration_micros"),
	}
	for _, db := range r.strings(o, "databases") {
		sc.Databases = append(sc.Databases, event.Database(db))
	}
	return sc
}

// --- alert ---

func alertPresented(sub *event.Subject) presented {
	return presented{kind: sub.Kind, person: sub.Person, vehicle: sub.Vehicle, vessel: sub.Vessel, firearm: sub.Firearm}
}

func validateAlert(a *event.Alert) error {
	var v validator
	h, hl := &a.Hit, root.at("hit")
	v.required(hl, "id", h.ID)
	v.required(hl, "subject_id", h.SubjectID)
	v.required(hl, "event_id", h.EventID)
	v.enum(hl, "database", string(h.Database), false, databases...)
	if !h.Restricted {
		v.required(hl, "record_id", h.RecordID) // a neutral hit withholds it
	}
	v.finite(hl, "score", h.Score)
	for i := range h.Reasons {
		rl := hl.elem("reasons", i)
		v.required(rl, "field", h.Reasons[i].Field)
		v.finite(rl, "weight", h.Reasons[i].Weight)
	}
	v.snapshot(hl, "snapshot_version", h.SnapshotVersion)

	sub, sl := &a.Subject, root.at("subject")
	v.required(sl, "id", sub.ID)
	v.required(sl, "event_id", sub.EventID)
	v.enum(sl, "kind", string(sub.Kind), false, kinds...)
	v.enum(sl, "role", string(sub.Role), true, roles...)
	validatePresented(&v, sl, "presented", alertPresented(sub), false)

	validateContext(&v, root.at("context"), &a.Context)
	v.time(root, "raised_at", a.RaisedAt)
	return v.result()
}

func alertNative(a *event.Alert) map[string]any {
	h := &a.Hit
	reasons := make([]any, len(h.Reasons))
	for i := range h.Reasons {
		x := &h.Reasons[i]
		reasons[i] = map[string]any{
			"field":  x.Field,
			"match":  optString(x.Match),
			"weight": x.Weight,
			"detail": optString(x.Detail),
		}
	}
	sub := &a.Subject
	return map[string]any{
		"hit": map[string]any{
			"id":               h.ID,
			"subject_id":       h.SubjectID,
			"event_id":         h.EventID,
			"database":         string(h.Database),
			"record_id":        h.RecordID,
			"score":            h.Score,
			"reasons":          reasons,
			"snapshot_version": int64(h.SnapshotVersion),
			"severity":         optString(h.Severity),
			"action":           optString(h.Action),
			"owner":            optString(h.Owner),
			"restricted":       h.Restricted,
		},
		"subject": map[string]any{
			"id":        sub.ID,
			"event_id":  sub.EventID,
			"kind":      string(sub.Kind),
			"role":      optEnum(nameRole, string(sub.Role)),
			"presented": presentedNative(alertPresented(sub)),
		},
		"context":   contextNative(&a.Context),
		"raised_at": optTime(a.RaisedAt),
		"retro":     a.Retro,
	}
}

func readAlert(r *reader, o obj) *event.Alert {
	a := &event.Alert{}
	h := r.record(o, "hit")
	a.Hit = event.Hit{
		ID:              r.str(h, "id", true),
		SubjectID:       r.str(h, "subject_id", true),
		EventID:         r.str(h, "event_id", true),
		Database:        event.Database(r.str(h, "database", true)),
		RecordID:        r.str(h, "record_id", false),
		Score:           r.double(h, "score"),
		SnapshotVersion: readSnapshot(r, h, "snapshot_version"),
		Severity:        r.str(h, "severity", false),
		Action:          r.str(h, "action", false),
		Owner:           r.str(h, "owner", false),
		Restricted:      r.boolean(h, "restricted"),
	}
	if reasons := r.array(h, "reasons"); len(reasons) > 0 {
		a.Hit.Reasons = make([]event.Reason, len(reasons))
		for i, v := range reasons {
			x := r.asObj(v, h.l.elem("reasons", i))
			a.Hit.Reasons[i] = event.Reason{
				Field:  r.str(x, "field", true),
				Match:  r.str(x, "match", false),
				Weight: r.double(x, "weight"),
				Detail: r.str(x, "detail", false),
			}
		}
	}
	sub := r.record(o, "subject")
	a.Subject = event.Subject{
		ID:      r.str(sub, "id", true),
		EventID: r.str(sub, "event_id", true),
		Kind:    event.SubjectKind(r.str(sub, "kind", true)),
		Role:    event.Role(r.str(sub, "role", false)),
	}
	p := readPresented(r, sub, "presented", false)
	a.Subject.Person, a.Subject.Vehicle, a.Subject.Vessel, a.Subject.Firearm = p.person, p.vehicle, p.vessel, p.firearm
	a.Context = readContext(r, r.record(o, "context"))
	a.RaisedAt = r.time(o, "raised_at")
	a.Retro = r.boolean(o, "retro")
	return a
}

// --- dead letter ---

func validateDeadLetter(d *event.DeadLetter) error {
	var v validator
	v.required(root, "topic", d.Topic)
	v.required(root, "error_class", d.ErrorClass)
	v.time(root, "failed_at", d.FailedAt)
	return v.result()
}

func deadLetterNative(d *event.DeadLetter) map[string]any {
	return map[string]any{
		"topic":       d.Topic,
		"partition":   d.Partition,
		"offset":      d.Offset,
		"key":         optBytes(d.Key),
		"value":       optBytes(d.Value),
		"error_class": d.ErrorClass,
		"error":       optString(d.Error),
		"failed_at":   optTime(d.FailedAt),
	}
}

func readDeadLetter(r *reader, o obj) *event.DeadLetter {
	return &event.DeadLetter{
		Topic:      r.str(o, "topic", true),
		Partition:  r.int32(o, "partition"),
		Offset:     r.long(o, "offset"),
		Key:        r.bytes(o, "key"),
		Value:      r.bytes(o, "value"),
		ErrorClass: r.str(o, "error_class", true),
		Error:      r.str(o, "error", false),
		FailedAt:   r.time(o, "failed_at"),
	}
}
