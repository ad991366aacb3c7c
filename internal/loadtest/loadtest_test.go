package loadtest

import (
	"testing"
	"time"

	"github.com/watchpost/watchpost/internal/gen"
)

// TestRunMeasures drives a short fixed-rate run on the embedded broker: everything offered is
// screened and the latency percentiles are ordered and plausible.
func TestRunMeasures(t *testing.T) {
	t.Parallel()
	cfg := gen.DefaultConfig()
	cfg.Manifests, cfg.Documents, cfg.Notices = 100, 2000, 300
	res, err := Run(t.Context(), Options{Rate: 1000, Duration: 2 * time.Second, Gen: cfg})
	if err != nil {
		t.Fatal(err)
	}
	t.Log(res)
	if res.Dropped != 0 || res.Screened == 0 {
		t.Fatalf("screened %d, %d offered travellers never screened", res.Screened, res.Dropped)
	}
	if res.Offered < 500 || res.Offered > 1500 {
		t.Errorf("offered %.0f travellers/s at a target of 1000", res.Offered)
	}
	if !(res.P50 > 0 && res.P50 <= res.P95 && res.P95 <= res.P99 && res.P99 <= res.Max && res.Max < time.Minute) {
		t.Errorf("latency percentiles out of order or implausible: %s", res)
	}
}
