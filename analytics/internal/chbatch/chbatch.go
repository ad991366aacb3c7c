// Package chbatch works around a race in clickhouse-go (v2.50) batches.
//
// batch.Send starts a goroutine that closes the TCP connection when the batch's context is
// done, and tells it to stop when Send returns. If the context is cancelled right after Send
// (the usual `defer cancel()`), that goroutine may not have run yet, sees both signals, may pick
// the cancellation and close a connection that is already back in the pool: the next statement
// on it fails with "use of closed network connection". Seen once in this repository's full
// parallel test run: a migration statement right after the batch that recorded the previous
// migration failed that way on the same pooled connection.
//
// Context gives a batch a context that is detached from the parent's cancellation while the
// batch runs (the parent's cancellation is still forwarded, so shutdown interrupts a batch), and
// that is cancelled only after a grace period once the batch is done.
package chbatch

import (
	"context"
	"time"
)

// grace is how long after a batch its context stays open: far longer than the watchdog
// goroutine needs to observe that Send returned.
const grace = time.Second

// Context returns a context for one batch bounded by timeout, and the function to call once
// the batch is sent or aborted.
func Context(parent context.Context, timeout time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), timeout)
	stop := context.AfterFunc(parent, cancel)
	return ctx, func() {
		if stop() {
			time.AfterFunc(grace, cancel)
		}
	}
}
