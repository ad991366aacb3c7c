package engine

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/fault"
)

// Recover turns a panic inside the wrapped processor into a poison error, so the message is
// dead-lettered instead of crashing the worker. The stack is logged; the panic value is not
// (it may hold personal data).
func Recover(log *zap.Logger, m *Metrics) Middleware {
	return func(next Processor) Processor {
		return ProcessorFunc(func(ctx context.Context, msg *Message) (out Output, err error) {
			defer func() {
				if r := recover(); r != nil {
					m.panics.Inc()
					log.Error("panic while processing message",
						zap.String("topic", msg.Topic), zap.Int32("partition", msg.Partition),
						zap.Int64("offset", msg.Offset), zap.ByteString("stack", debug.Stack()))
					out, err = Output{}, fault.Poison(fmt.Errorf("processing %s/%d@%d: panic in processor", msg.Topic, msg.Partition, msg.Offset))
				}
			}()
			return next.Process(ctx, msg)
		})
	}
}

// DeadLetterPoison turns a poison error into a dead letter in the output, carrying the
// original bytes and the reason, so that the offset advances once the dead letter is
// acknowledged. Other errors pass through. Each dead letter is logged once, here.
func DeadLetterPoison(log *zap.Logger, m *Metrics, now func() time.Time) Middleware {
	return func(next Processor) Processor {
		return ProcessorFunc(func(ctx context.Context, msg *Message) (Output, error) {
			out, err := next.Process(ctx, msg)
			if err == nil || !errors.Is(err, fault.ErrPoison) {
				return out, err
			}
			m.dropped.WithLabelValues(msg.Topic, "poison").Inc()
			log.Warn("dead-lettering message", zap.String("topic", msg.Topic),
				zap.Int32("partition", msg.Partition), zap.Int64("offset", msg.Offset), zap.Error(err))
			return Output{DeadLetters: []event.DeadLetter{{
				Topic: msg.Topic, Partition: msg.Partition, Offset: msg.Offset,
				Key: msg.Key, Value: msg.Value, ErrorClass: fault.Class(err), Error: err.Error(),
				FailedAt: now().UTC(),
			}}}, nil
		})
	}
}

// RetryConfig bounds retries of transient errors.
type RetryConfig struct {
	Attempts int           // total attempts, including the first; default 5
	Initial  time.Duration // first backoff; default 100ms
	Max      time.Duration // backoff cap; default 5s
}

func (c *RetryConfig) setDefaults() {
	if c.Attempts <= 0 {
		c.Attempts = 5
	}
	if c.Initial <= 0 {
		c.Initial = 100 * time.Millisecond
	}
	if c.Max <= 0 {
		c.Max = 5 * time.Second
	}
}

// Retry retries transient errors with exponential backoff, up to cfg.Attempts in total. When
// the attempts run out the last error is returned unmarked, which is fatal for the partition:
// the offset is held and the worker restarts rather than skipping the message.
func Retry(cfg RetryConfig) Middleware {
	cfg.setDefaults()
	return func(next Processor) Processor {
		return ProcessorFunc(func(ctx context.Context, msg *Message) (Output, error) {
			wait := cfg.Initial
			for attempt := 1; ; attempt++ {
				out, err := next.Process(ctx, msg)
				if err == nil || !errors.Is(err, fault.ErrTransient) {
					return out, err
				}
				if attempt >= cfg.Attempts {
					// %v, not %w: the transient class must not survive, or an outer Retry
					// would start again. The exhausted error is fatal for the partition.
					return Output{}, fmt.Errorf("giving up after %d attempts: %v", attempt, err) //nolint:errorlint // dropping the transient marker on purpose

				}
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return Output{}, ctx.Err()
				case <-t.C:
				}
				wait = min(wait*2, cfg.Max)
			}
		})
	}
}
