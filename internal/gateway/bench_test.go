package gateway_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/watchlist/watchlisttest"
)

// BenchmarkGateway measures accepted submissions per second end to end: HTTP on 127.0.0.1,
// authentication, JSON decoding, Avro encoding, and a committed Kafka transaction on kfake,
// from parallel clients. Each submission is a new manifest (nothing is a duplicate), except
// in the duplicate case, which measures the answer to a resubmission.
func BenchmarkGateway(b *testing.B) {
	for _, bc := range []struct {
		name       string
		travellers int
		duplicate  bool
	}{
		{"manifest/1-traveller", 1, false},
		{"manifest/100-travellers", 100, false},
		{"duplicate/1-traveller", 1, true},
	} {
		b.Run(bc.name, func(b *testing.B) {
			e := newEnv(b, envOpts{quiet: true})
			base := manifest("XB", "XB0", "DOE")
			for len(base.Travellers) < bc.travellers {
				base.Travellers = append(base.Travellers, base.Travellers[0])
			}
			body := func(n int64) []byte {
				m := base
				if !bc.duplicate {
					m.Flight = "XB" + strconv.FormatInt(n, 10)
				}
				out, err := json.Marshal(m)
				if err != nil {
					b.Fatal(err)
				}
				return out
			}
			if bc.duplicate {
				e.do(b, http.MethodPost, "/v1/manifests", "bench", "application/json", body(0)).manifest(b)
			}
			var seq, failed atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(8) // 8 × GOMAXPROCS concurrent carriers
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, e.url+"/v1/manifests", bytes.NewReader(body(seq.Add(1))))
					if err != nil {
						b.Error(err)
						return
					}
					req.Header.Set("Authorization", "Bearer "+e.keys["bench"])
					req.Header.Set("Content-Type", "application/json")
					r, err := e.send(req)
					if err != nil || r.status != http.StatusAccepted {
						failed.Add(1)
					}
				}
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d of %d submissions not accepted", n, b.N)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "accepted/s")
		})
	}
}

// BenchmarkChecks measures partner checks per second through the gateway's handler,
// in-process (no network): authentication, rate limit, decoding, screening against 100,000
// SLTD records with the workers' matcher, and the committed Kafka transaction (kfake) of
// the audit event and, on a hit, the alerts to both control rooms and the owner, from
// parallel partners.
func BenchmarkChecks(b *testing.B) {
	docs := watchlisttest.Documents(100_000, 7)
	for _, bc := range []struct {
		name string
		hit  bool
	}{{"no_hit", false}, {"hit", true}} {
		b.Run(bc.name+"/100k-sltd", func(b *testing.B) {
			e := newEnv(b, envOpts{quiet: true})
			e.loadSLTD(docs...)
			h := e.srv.Handler()
			var seq, failed atomic.Int64
			body := func(n int64) []byte {
				d := docs[int(n*7919)%len(docs)]
				number := d.Number
				if !bc.hit {
					number = "Z" + number // no listed number starts with Z and an extra character
				}
				return []byte(`{"document_number":"` + number + `","document_type":"P","issuing_country":"` + d.Issuer + `"}`)
			}
			want := `"result":"no_hit"`
			if bc.hit {
				want = `"result":"hit"`
			}
			auth := "Bearer " + e.keys["partner-bench-9"]
			// Warm up: the first hit on each issuer creates that country's control-room and
			// owner topics, a one-off cost kept out of the steady state measured.
			seen := map[string]bool{}
			for _, d := range docs {
				if !seen[d.Issuer] {
					seen[d.Issuer] = true
					e.check(b, "partner-bench-9", d.Number, "P", d.Issuer).checkResult(b)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			b.SetParallelism(8)
			start := time.Now()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					req := httptest.NewRequestWithContext(b.Context(), http.MethodPost, "/v1/checks", bytes.NewReader(body(seq.Add(1))))
					req.Header.Set("Authorization", auth)
					req.Header.Set("Content-Type", "application/json")
					rec := httptest.NewRecorder()
					h.ServeHTTP(rec, req)
					if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), want) {
						failed.Add(1)
					}
				}
			})
			elapsed := time.Since(start)
			b.StopTimer()
			if n := failed.Load(); n > 0 {
				b.Fatalf("%d of %d checks not answered %s", n, b.N, want)
			}
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "checks/s")
		})
	}
}
