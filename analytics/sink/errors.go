package sink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/watchpost/watchpost/pipeline/fault"
)

// RowError is a row that can never be written, whatever the retry: it names the row's
// position in the batch and the offending field, never a value. It is returned marked
// [fault.Poison]; find it with errors.As.
type RowError struct {
	Index int    // position of the row in the batch
	Field string // e.g. subject_id
	Issue string // e.g. "is empty"
}

func (e *RowError) Error() string {
	return fmt.Sprintf("row %d: %s %s", e.Index, e.Field, e.Issue)
}

// transientCodes are ClickHouse server error codes that may succeed on retry.
var transientCodes = map[int32]string{
	159: "TIMEOUT_EXCEEDED",
	160: "TOO_SLOW",
	164: "READONLY", // a replica in read-only mode recovers
	202: "TOO_MANY_SIMULTANEOUS_QUERIES",
	203: "NO_FREE_CONNECTION",
	209: "SOCKET_TIMEOUT",
	210: "NETWORK_ERROR",
	241: "MEMORY_LIMIT_EXCEEDED",
	242: "TABLE_IS_READ_ONLY",
	252: "TOO_MANY_PARTS",
	285: "TOO_FEW_LIVE_REPLICAS",
	286: "UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE",
	319: "UNKNOWN_STATUS_OF_INSERT",
	439: "CANNOT_SCHEDULE_TASK",
	999: "KEEPER_EXCEPTION",
}

// IsTransient reports whether err may succeed when retried: a deadline exceeded, a failure
// to get or keep a connection (refused, reset, closed by the peer, timed out), or a
// ClickHouse error code that signals overload or a temporary state (TOO_MANY_PARTS,
// TIMEOUT_EXCEEDED, …). A cancelled context is not transient: the caller gave up.
func IsTransient(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	if errors.Is(err, fault.ErrTransient) {
		return true
	}
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		_, ok := transientCodes[ex.Code]
		return ok
	}
	if errors.Is(err, context.DeadlineExceeded) ||
		errors.Is(err, clickhouse.ErrAcquireConnTimeout) ||
		errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) ||
		errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) ||
		errors.Is(err, syscall.EHOSTUNREACH) ||
		errors.Is(err, syscall.ENETUNREACH) ||
		errors.Is(err, io.EOF) ||
		errors.Is(err, io.ErrUnexpectedEOF) ||
		errors.Is(err, net.ErrClosed) {
		return true
	}
	var nerr net.Error
	if errors.As(err, &nerr) && nerr.Timeout() {
		return true
	}
	var operr *net.OpError
	return errors.As(err, &operr) && operr.Op == "dial"
}

// classify marks err transient when a retry may succeed and returns it unchanged otherwise.
func classify(err error) error {
	if err == nil || errors.Is(err, fault.ErrTransient) || errors.Is(err, fault.ErrPoison) {
		return err
	}
	if IsTransient(err) {
		return fault.Transient(err)
	}
	return err
}
