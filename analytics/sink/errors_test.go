package sink

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/watchpost/watchpost/pipeline/fault"
)

func TestIsTransient(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"plain", errors.New("boom"), false},
		{"deadline", fmt.Errorf("sending: %w", context.DeadlineExceeded), true},
		{"cancelled", context.Canceled, false},
		{"cancelled while the socket closed", fmt.Errorf("%w (%w)", net.ErrClosed, context.Canceled), false},
		{"acquire timeout", clickhouse.ErrAcquireConnTimeout, true},
		{"connection refused", &net.OpError{Op: "dial", Net: "tcp", Err: os.NewSyscallError("connect", syscall.ECONNREFUSED)}, true},
		{"connection reset", fmt.Errorf("read: %w", syscall.ECONNRESET), true},
		{"broken pipe", fmt.Errorf("write: %w", syscall.EPIPE), true},
		{"peer closed", io.EOF, true},
		{"short read", io.ErrUnexpectedEOF, true},
		{"dial error", &net.OpError{Op: "dial", Net: "tcp", Err: errors.New("no route")}, true},
		{"read timeout", &net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded}, true},
		{"too many parts", &clickhouse.Exception{Code: 252, Name: "DB::Exception"}, true},
		{"server timeout", fmt.Errorf("querying: %w", &clickhouse.Exception{Code: 159}), true},
		{"memory limit", &clickhouse.Exception{Code: 241}, true},
		{"syntax error", &clickhouse.Exception{Code: 62}, false},
		{"unknown table", &clickhouse.Exception{Code: 60}, false},
		{"type mismatch", &clickhouse.Exception{Code: 53}, false},
		{"already marked", fault.Transient(errors.New("x")), true},
		{"our own Close", clickhouse.ErrConnectionClosed, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := IsTransient(tt.err); got != tt.want {
				t.Errorf("IsTransient(%v) = %v, want %v", tt.err, got, tt.want)
			}
			wantClass := map[bool]string{true: "transient", false: "fatal"}[tt.want]
			if tt.err == nil {
				return
			}
			if got := fault.Class(classify(tt.err)); got != wantClass {
				t.Errorf("fault.Class(classify(%v)) = %q, want %q", tt.err, got, wantClass)
			}
		})
	}
}

func TestFail(t *testing.T) {
	t.Parallel()
	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel2()
	closed := &net.OpError{Op: "read", Net: "tcp", Err: net.ErrClosed}
	tests := []struct {
		name      string
		ctx       context.Context
		err       error
		wantClass string
		wantIs    error
	}{
		{"live context keeps the class of the error", t.Context(), closed, "transient", net.ErrClosed},
		{"cancelled: the caller gave up, not transient", cancelled, closed, "fatal", context.Canceled},
		{"deadline: transient", expired, closed, "transient", context.DeadlineExceeded},
		{"server error stays fatal", t.Context(), &clickhouse.Exception{Code: 62}, "fatal", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := fail(tt.ctx, "sending x batch", tt.err)
			if got := fault.Class(err); got != tt.wantClass {
				t.Errorf("fault.Class(%v) = %q, want %q", err, got, tt.wantClass)
			}
			if !errors.Is(err, tt.err) {
				t.Errorf("fail() lost the cause: %v", err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("errors.Is(%v, %v) = false", err, tt.wantIs)
			}
		})
	}
}

// TestOpenUnreachable needs no server: a closed local port refuses the connection, and
// Open must say so promptly, as a transient error.
func TestOpenUnreachable(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listening: %v", err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		t.Fatalf("closing listener: %v", err)
	}
	start := time.Now()
	s, err := Open(t.Context(), Config{Addr: addr, DialTimeout: time.Second, QueryTimeout: 2 * time.Second})
	if err == nil {
		_ = s.Close()
		t.Fatal("Open() on a closed port succeeded")
	}
	if got := fault.Class(err); got != "transient" {
		t.Errorf("fault.Class(%v) = %q, want transient", err, got)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("Open() took %v to fail", d)
	}
}

func TestOpenInvalidConfig(t *testing.T) {
	t.Parallel()
	_, err := Open(t.Context(), Config{Database: "bad-name"})
	if err == nil {
		t.Fatal("Open() with an invalid database name succeeded")
	}
	if got := fault.Class(err); got != "fatal" {
		t.Errorf("fault.Class(%v) = %q, want fatal", err, got)
	}
}
