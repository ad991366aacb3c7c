package gateway_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
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
