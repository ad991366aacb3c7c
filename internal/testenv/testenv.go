// Package testenv addresses the real infrastructure of integration tests by environment
// (STYLE.md H23). A package's `go test` alone skips such tests when no address is set, so a
// quick loop stays quick; `make test` starts the servers, sets the addresses and sets
// WATCHPOST_REQUIRE_INTEGRATION=1, under which a missing address fails the test instead.
package testenv

import (
	"os"
	"testing"
)

// Environment variables read by the integration tests.
const (
	EnvClickHouse = "WATCHPOST_TEST_CLICKHOUSE"
	EnvKafka      = "WATCHPOST_TEST_KAFKA"
	EnvRequire    = "WATCHPOST_REQUIRE_INTEGRATION"
)

// Addr returns the address in the environment variable env, or skips the test when it is
// unset, or fails it when WATCHPOST_REQUIRE_INTEGRATION=1.
func Addr(tb testing.TB, env string) string {
	tb.Helper()
	addr := os.Getenv(env)
	if addr == "" {
		if os.Getenv(EnvRequire) == "1" {
			tb.Fatalf("%s is unset but %s=1: make test must start this server", env, EnvRequire)
		}
		tb.Skipf("set %s to run (make test does)", env)
	}
	return addr
}

// ClickHouse returns the test ClickHouse native address (see Addr).
func ClickHouse(tb testing.TB) string { tb.Helper(); return Addr(tb, EnvClickHouse) }
