package chbatch_test

import (
	"context"
	"testing"
	"time"

	"github.com/watchpost/watchpost/analytics/internal/chbatch"
	"github.com/watchpost/watchpost/analytics/internal/chtest"
)

// TestIntegrationBatchThenStatement repeats "batch insert, then a statement on the pooled
// connection" many times; with chbatch.Context it must never fail. The race it guards against
// needs the watchdog goroutine to still be unscheduled when Send returns, which happened under
// the full parallel suite but does not reproduce reliably here, so this is a regression guard,
// not a reproducer.
func TestIntegrationBatchThenStatement(t *testing.T) {
	t.Parallel()
	conn, _ := chtest.Database(t)
	ctx := t.Context()
	if err := conn.Exec(ctx, "CREATE TABLE t (n UInt32) ENGINE = MergeTree() ORDER BY n"); err != nil {
		t.Fatal(err)
	}
	for i := range 300 {
		bctx, done := chbatch.Context(ctx, 10*time.Second)
		batch, err := conn.PrepareBatch(bctx, "INSERT INTO t (n)")
		if err != nil {
			done()
			t.Fatalf("iteration %d: preparing: %v", i, err)
		}
		if err := batch.Append(uint32(i)); err != nil {
			t.Fatal(err)
		}
		if err := batch.Send(); err != nil {
			t.Fatalf("iteration %d: sending: %v", i, err)
		}
		done()
		qctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err = conn.Exec(qctx, "SELECT 1")
		cancel()
		if err != nil {
			t.Fatalf("iteration %d: statement after a batch: %v", i, err)
		}
	}
}

func TestParentCancelInterruptsBatch(t *testing.T) {
	t.Parallel()
	parent, cancel := context.WithCancel(t.Context())
	ctx, done := chbatch.Context(parent, time.Minute)
	defer done()
	cancel()
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("cancelling the parent did not cancel the batch context")
	}
}

func TestDoneCancelsAfterGrace(t *testing.T) {
	t.Parallel()
	ctx, done := chbatch.Context(t.Context(), time.Minute)
	done()
	if ctx.Err() != nil {
		t.Fatal("batch context cancelled at once: the clickhouse-go watchdog could still close the pooled connection")
	}
	select {
	case <-ctx.Done():
	case <-time.After(5 * time.Second):
		t.Fatal("batch context never released")
	}
}
