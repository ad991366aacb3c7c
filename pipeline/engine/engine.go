package engine

import (
	"context"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Message is one record of an input topic as the engine sees it. The engine never retains a
// Message or its byte slices after the call that received it returns.
type Message struct {
	Topic     string
	Partition int32
	Offset    int64
	Key       []byte
	Value     []byte
	Timestamp time.Time
}

// Output is everything one or more messages produced. Screenings, alerts and dead letters are
// emitted together and acknowledged together.
type Output struct {
	Screenings  []event.Screening
	Alerts      []event.Alert
	DeadLetters []event.DeadLetter
}

// Append adds o2's items to o.
func (o *Output) Append(o2 Output) {
	o.Screenings = append(o.Screenings, o2.Screenings...)
	o.Alerts = append(o.Alerts, o2.Alerts...)
	o.DeadLetters = append(o.DeadLetters, o2.DeadLetters...)
}

// Empty reports whether o holds nothing.
func (o *Output) Empty() bool {
	return len(o.Screenings) == 0 && len(o.Alerts) == 0 && len(o.DeadLetters) == 0
}

// Processor turns one message into outputs. It must be deterministic for a given message and
// watchlist snapshot, so that a redelivery yields the same ids. Errors are classified with
// package fault: poison (never succeeds), transient (may succeed), otherwise fatal.
type Processor interface {
	Process(ctx context.Context, msg *Message) (Output, error)
}

// ProcessorFunc adapts a function to a Processor.
type ProcessorFunc func(ctx context.Context, msg *Message) (Output, error)

// Process calls f.
func (f ProcessorFunc) Process(ctx context.Context, msg *Message) (Output, error) { return f(ctx, msg) }

// Middleware wraps a Processor with one concern.
type Middleware func(Processor) Processor

// Chain applies middleware so that the first listed is the outermost.
func Chain(p Processor, mws ...Middleware) Processor {
	for i := len(mws) - 1; i >= 0; i-- {
		p = mws[i](p)
	}
	return p
}

// Emitter publishes outputs. Emit returns nil only once every item is durably acknowledged
// (for Kafka: acks=all). It must be safe for concurrent use; items of one call may be written
// in any order, but a redelivered item carries the same id, so consumers can de-duplicate.
// An error means some items may have been written and others not: the caller must not mark
// the inputs as done.
type Emitter interface {
	Emit(ctx context.Context, out Output) error
}

// BatchHandler handles the records of one partition, in offset order. A nil error means every
// message is fully handled and its offset may be committed. A non-nil error is fatal for the
// partition: nothing of the batch may be committed.
type BatchHandler interface {
	HandleBatch(ctx context.Context, msgs []*Message) error
}

// BatchHandlerFunc adapts a function to a BatchHandler.
type BatchHandlerFunc func(ctx context.Context, msgs []*Message) error

// HandleBatch calls f.
func (f BatchHandlerFunc) HandleBatch(ctx context.Context, msgs []*Message) error {
	return f(ctx, msgs)
}

// Pipeline is the matcher's BatchHandler: every message through the processor, then one Emit
// for the whole batch.
type Pipeline struct {
	Processor Processor
	Emitter   Emitter
}

// HandleBatch processes every message and emits the combined output.
func (p *Pipeline) HandleBatch(ctx context.Context, msgs []*Message) error {
	var out Output
	for _, m := range msgs {
		o, err := p.Processor.Process(ctx, m)
		if err != nil {
			return err
		}
		out.Append(o)
	}
	if out.Empty() {
		return nil
	}
	return p.Emitter.Emit(ctx, out)
}
