package engine

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/match"
)

// Event is a decoded input message: its id, where it was screened, and its subjects.
type Event struct {
	ID       string
	Context  event.Context
	Subjects []event.Subject
}

// Decoder turns a message into the event it carries. Bytes that can never decode must give a
// poison error that names the field or position, never a value.
type Decoder interface {
	Decode(msg *Message) (Event, error)
}

// DecoderFunc adapts a function to a Decoder.
type DecoderFunc func(msg *Message) (Event, error)

// Decode calls f.
func (f DecoderFunc) Decode(msg *Message) (Event, error) { return f(msg) }

// ErrNotReady is returned (marked transient) while no watchlist snapshot is loaded.
var ErrNotReady = errors.New("no watchlist snapshot loaded")

// Screener is the Processor that screens every subject of an event against the current
// watchlist snapshot. It reads the snapshot once per message, so every subject of a message is
// screened against the same version, and each hit names it. The subjects of an event (a
// manifest's travellers) are screened together (match.Matcher.ScreenBatch), which gives each
// the hits Screen would and looks their documents up in one batch; each subject's screening
// and duration metric are accounted an equal share of the event's screening time.
type Screener struct {
	Decoder Decoder
	Store   *index.Store
	Matcher *match.Matcher
	Metrics *Metrics
	Now     func() time.Time // defaults to time.Now
	// Seen, if set, is told of every subject screened, with its context: retro-screening
	// remembers recent travellers through it. It must be safe for concurrent use.
	Seen func(s *event.Subject, c event.Context)
}

// Process decodes and screens one message.
func (s *Screener) Process(_ context.Context, msg *Message) (Output, error) {
	now := s.Now
	if now == nil {
		now = time.Now
	}
	ev, err := s.Decoder.Decode(msg)
	if err != nil {
		return Output{}, fmt.Errorf("decoding %s/%d@%d: %w", msg.Topic, msg.Partition, msg.Offset, err)
	}
	snap := s.Store.Load()
	if snap == nil {
		return Output{}, fault.Transient(ErrNotReady)
	}
	s.Metrics.processed.WithLabelValues(msg.Topic).Inc()
	out := Output{Screenings: make([]event.Screening, 0, len(ev.Subjects))}
	start := time.Now()
	results := s.Matcher.ScreenBatch(snap, ev.Subjects)
	took := time.Since(start) / time.Duration(max(1, len(ev.Subjects)))
	for i := range ev.Subjects {
		subj, hits := &ev.Subjects[i], results[i]
		s.Metrics.duration.Observe(took.Seconds())
		s.Metrics.screened.WithLabelValues(string(subj.Kind)).Inc()
		at := now().UTC()
		sc := event.Screening{
			SubjectID: subj.ID, EventID: ev.ID, Kind: subj.Kind, Role: subj.Role,
			Context: ev.Context, ScreenedAt: at, SnapshotVersion: snap.Version,
			Hits: len(hits), DurationMicros: took.Microseconds(),
		}
		if subj.Person != nil {
			sc.Nationality = subj.Person.Nationality
		}
		for _, h := range hits {
			s.Metrics.hits.WithLabelValues(string(h.Database)).Inc()
			if !slices.Contains(sc.Databases, h.Database) {
				sc.Databases = append(sc.Databases, h.Database)
			}
			out.Alerts = append(out.Alerts, event.Alert{Hit: h, Subject: *subj, Context: ev.Context, RaisedAt: at})
		}
		slices.Sort(sc.Databases)
		out.Screenings = append(out.Screenings, sc)
		if s.Seen != nil {
			s.Seen(subj, ev.Context)
		}
	}
	return out, nil
}
