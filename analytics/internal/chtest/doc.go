// Package chtest is the test harness for Watchpost's ClickHouse integration tests: it reads
// the server address from WATCHPOST_TEST_CLICKHOUSE (skipping the test when it is unset, or
// failing it under WATCHPOST_REQUIRE_INTEGRATION=1), and gives each test its own throw-away
// database, dropped when the test ends.
//
// It is imported by tests only. Its functions are safe for concurrent use by parallel tests.
package chtest
