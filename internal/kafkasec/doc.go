// Package kafkasec turns Watchpost's Kafka security settings — TLS (optionally mutual) and
// SASL/SCRAM — into franz-go client options, so that every component reaches the cluster the
// same way: `cmd/watchpost` fills a Config from flags and the environment and appends Opts to
// app.Kafka.Opts.
//
// TLS always verifies the broker certificate (against CAFile, or the system roots when CAFile
// is empty) and never negotiates below TLS 1.2; there is no switch to skip verification. SASL
// is only offered over TLS. The SASL password is a secret: it is read from the environment
// (WATCHPOST_SASL_PASSWORD) or a file, never from a flag, and it appears in no error, log line
// or formatted Config (String and GoString redact it; JSON and YAML encoders skip it).
//
// The package imports franz-go's kgo and sasl/scram and the standard library only. A Config is
// a plain value; Opts may be called from several goroutines.
package kafkasec
