package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Environment variables read by the harness. They mean what internal/testenv says (that
// package is off limits to analytics by the import rules, so the logic is repeated here).
const (
	EnvAddr    = "WATCHPOST_TEST_CLICKHOUSE"     // native address of the test server
	EnvRequire = "WATCHPOST_REQUIRE_INTEGRATION" // "1": a missing address fails instead of skipping
)

// Timeout bounds every call the harness makes.
const Timeout = 30 * time.Second

// Addr returns the native-protocol address of the test server. When
// WATCHPOST_TEST_CLICKHOUSE is unset it skips the test, or fails it under
// WATCHPOST_REQUIRE_INTEGRATION=1 (make test), where a skip would hide a broken setup.
func Addr(tb testing.TB) string {
	tb.Helper()
	addr := os.Getenv(EnvAddr)
	if addr == "" {
		if os.Getenv(EnvRequire) == "1" {
			tb.Fatalf("%s is unset but %s=1: make test must start ClickHouse", EnvAddr, EnvRequire)
		}
		tb.Skip("set " + EnvAddr + "=127.0.0.1:19000 (deploy/local/clickhouse.sh start) to run")
	}
	return addr
}

// DatabaseName returns a fresh database name, wp_test_<16 hex digits>.
func DatabaseName(tb testing.TB) string {
	tb.Helper()
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatalf("reading random bytes: %v", err)
	}
	return "wp_test_" + hex.EncodeToString(b[:])
}

// Connect opens a connection to database db on addr and closes it when the test ends.
func Connect(tb testing.TB, addr, db string) driver.Conn {
	tb.Helper()
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr:        []string{addr},
		Auth:        clickhouse.Auth{Database: db, Username: "default"},
		DialTimeout: 5 * time.Second,
		ReadTimeout: Timeout,
	})
	if err != nil {
		tb.Fatalf("opening ClickHouse connection: %v", err)
	}
	tb.Cleanup(func() { _ = conn.Close() })
	return conn
}

// Database creates a fresh database on the test server, returns a connection to it and its
// name, and drops it when the test ends. It skips the test when no server is configured.
func Database(tb testing.TB) (driver.Conn, string) {
	tb.Helper()
	addr := Addr(tb)
	name := DatabaseName(tb)
	admin := Connect(tb, addr, "")
	ctx, cancel := context.WithTimeout(context.Background(), Timeout)
	defer cancel()
	if err := admin.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+name); err != nil {
		tb.Fatalf("creating database: %v", err)
	}
	DropOnCleanup(tb, addr, name)
	return Connect(tb, addr, name), name
}

// DropOnCleanup drops database name when the test ends.
func DropOnCleanup(tb testing.TB, addr, name string) {
	tb.Helper()
	tb.Cleanup(func() {
		conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: 5 * time.Second})
		if err != nil {
			tb.Errorf("opening ClickHouse connection: %v", err)
			return
		}
		defer conn.Close()
		ctx, cancel := context.WithTimeout(context.Background(), Timeout)
		defer cancel()
		if err := conn.Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
			tb.Errorf("dropping database %s: %v", name, err)
		}
	})
}
