// Package enginetest holds conformance suites for the engine's ports and in-memory fakes that
// pass them. Any engine.Emitter — the Kafka producer, the in-memory fake — must pass
// EmitterSuite.
package enginetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
)

// Reader reads back what an Emitter wrote, as the downstream consumer sees it.
type Reader interface {
	// ReadAll returns every screening, alert and dead letter written so far, waiting up to
	// timeout for at least want items in total.
	ReadAll(t *testing.T, want int, timeout time.Duration) engine.Output
}

// EmitterSuite checks an Emitter: everything emitted is readable once Emit returns, a
// redelivered output carries the same ids (so it de-duplicates), an empty output is fine, and
// a cancelled context makes Emit return an error rather than hang.
func EmitterSuite(t *testing.T, newEmitter func(t *testing.T) (engine.Emitter, Reader)) {
	t.Run("all items readable after Emit", func(t *testing.T) {
		em, rd := newEmitter(t)
		out := SampleOutput("E1", 5, 2)
		if err := em.Emit(t.Context(), out); err != nil {
			t.Fatalf("Emit: %v", err)
		}
		got := rd.ReadAll(t, 5+2+1, 10*time.Second)
		if len(got.Screenings) != 5 || len(got.Alerts) != 2 || len(got.DeadLetters) != 1 {
			t.Fatalf("read %d screenings, %d alerts, %d dead letters; want 5, 2, 1",
				len(got.Screenings), len(got.Alerts), len(got.DeadLetters))
		}
		if got.DeadLetters[0].Value == nil || string(got.DeadLetters[0].Value) != string(out.DeadLetters[0].Value) {
			t.Errorf("dead letter value changed: the original bytes must be kept untouched")
		}
	})
	t.Run("redelivery keeps ids", func(t *testing.T) {
		em, rd := newEmitter(t)
		out := SampleOutput("E2", 3, 3)
		for range 2 {
			if err := em.Emit(t.Context(), out); err != nil {
				t.Fatalf("Emit: %v", err)
			}
		}
		got := rd.ReadAll(t, 2*(3+3+1), 10*time.Second)
		ids := map[string]int{}
		for _, a := range got.Alerts {
			ids[a.Hit.ID]++
		}
		if len(ids) != 3 {
			t.Errorf("after a redelivery, %d distinct alert ids; want 3 (duplicates must share ids)", len(ids))
		}
	})
	t.Run("empty output", func(t *testing.T) {
		em, _ := newEmitter(t)
		if err := em.Emit(t.Context(), engine.Output{}); err != nil {
			t.Errorf("Emit(empty) = %v, want nil", err)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		em, _ := newEmitter(t)
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		done := make(chan error, 1)
		go func() { done <- em.Emit(ctx, SampleOutput("E3", 1, 1)) }()
		select {
		case err := <-done:
			if err == nil {
				t.Log("Emit with a cancelled context succeeded (allowed: it may have been written before the check)")
			}
		case <-time.After(10 * time.Second):
			t.Fatal("Emit with a cancelled context did not return")
		}
	})
}

// SampleOutput builds a deterministic output for event eventID: n screenings, k alerts (on
// the first k subjects) and one dead letter.
func SampleOutput(eventID string, n, k int) engine.Output {
	at := time.Date(2026, 11, 24, 10, 0, 0, 0, time.UTC)
	ctx := event.Context{Source: "api", Carrier: "AF", Flight: "AF123", Departure: "JFK", Arrival: "CDG", BorderPost: "CDG", Country: "FRA", EventTime: at}
	var out engine.Output
	for i := range n {
		sid := event.SubjectID(eventID, i)
		hits := 0
		if i < k {
			hits = 1
			h := event.Hit{
				ID: event.HitID(sid, event.DBSLTD, fmt.Sprintf("S%d", i)), SubjectID: sid, EventID: eventID,
				Database: event.DBSLTD, RecordID: fmt.Sprintf("S%d", i), Score: 1, SnapshotVersion: 7,
				Severity: "high", Action: "seize the document", Owner: "FRA",
				Reasons: []event.Reason{{Field: "document_number", Match: "exact", Weight: 1}},
			}
			out.Alerts = append(out.Alerts, event.Alert{Hit: h, Subject: event.Subject{ID: sid, EventID: eventID, Kind: event.KindPerson, Role: event.RolePassenger,
				Person: &event.Person{Surname: "TEST", GivenNames: "SUBJECT", Nationality: "FRA"}}, Context: ctx, RaisedAt: at})
		}
		out.Screenings = append(out.Screenings, event.Screening{SubjectID: sid, EventID: eventID, Kind: event.KindPerson, Role: event.RolePassenger,
			Nationality: "FRA", Context: ctx, ScreenedAt: at, SnapshotVersion: 7, Hits: hits})
	}
	out.DeadLetters = []event.DeadLetter{{Topic: "in", Partition: 0, Offset: 42, Key: []byte("k"), Value: []byte{0, 0, 0, 0, 9, 0xff}, ErrorClass: "poison", Error: "decoding: bad", FailedAt: at}}
	return out
}

// Emitter is an in-memory engine.Emitter. FailNext makes the next Emit fail.
type Emitter struct {
	mu       sync.Mutex
	out      engine.Output
	emits    int
	failNext error
}

var _ engine.Emitter = (*Emitter)(nil)

// Emit records out, or returns the injected failure.
func (e *Emitter) Emit(ctx context.Context, out engine.Output) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if err := e.failNext; err != nil {
		e.failNext = nil
		return err
	}
	e.emits++
	e.out.Append(out)
	return nil
}

// FailNext makes the next Emit return err.
func (e *Emitter) FailNext(err error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.failNext = err
}

// Output returns a copy of everything emitted.
func (e *Emitter) Output() engine.Output {
	e.mu.Lock()
	defer e.mu.Unlock()
	var c engine.Output
	c.Append(e.out)
	return c
}

// ReadAll implements Reader.
func (e *Emitter) ReadAll(t *testing.T, want int, _ time.Duration) engine.Output {
	t.Helper()
	o := e.Output()
	if n := len(o.Screenings) + len(o.Alerts) + len(o.DeadLetters); n < want {
		t.Fatalf("in-memory emitter holds %d items, want %d", n, want)
	}
	return o
}

// ErrInjected is the failure tests inject.
var ErrInjected = errors.New("injected failure")
