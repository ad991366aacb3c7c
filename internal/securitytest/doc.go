// Package securitytest proves Watchpost's Kafka security end to end and gives other tests the
// means to: NewPKI writes a throw-away certificate authority, a broker certificate for
// 127.0.0.1 and a client CA with one client certificate, as PEM files; StartBroker runs a
// private Apache Kafka broker through deploy/local/kafka.sh in its sasl_ssl mode (TLS,
// SCRAM, the StandardAuthorizer, User:admin the only super user) on free loopback ports.
//
// Its own tests, TestIntegration*, need the broker jars and run only when
// WATCHPOST_TEST_KAFKA is set (make test sets it, and WATCHPOST_REQUIRE_INTEGRATION=1 under
// which they fail instead of skipping): users, ACLs from a declaration, and the refusals —
// another carrier's topic, another country's alerts, a wrong password, plaintext, an
// untrusted CA, a missing client certificate.
//
// The helpers are for tests only; they call t.Fatal and register t.Cleanup.
package securitytest
