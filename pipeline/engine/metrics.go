package engine

import "github.com/prometheus/client_golang/prometheus"

// Metrics are the engine's Prometheus metrics. Labels are bounded: topic, reason, list.
// Never label with an id or any personal data.
type Metrics struct {
	processed *prometheus.CounterVec
	dropped   *prometheus.CounterVec
	hits      *prometheus.CounterVec
	screened  *prometheus.CounterVec
	duration  prometheus.Histogram
	panics    prometheus.Counter
}

// NewMetrics registers the engine's metrics with reg. A nil reg registers nowhere (tests).
func NewMetrics(reg prometheus.Registerer) *Metrics {
	m := &Metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_engine_records_processed_total", Help: "Input messages processed, by topic.",
		}, []string{"topic"}),
		dropped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_engine_records_dropped_total", Help: "Input messages dead-lettered, by topic and reason.",
		}, []string{"topic", "reason"}),
		hits: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_engine_hits_total", Help: "Hits raised, by watchlist database.",
		}, []string{"list"}),
		screened: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_engine_subjects_screened_total", Help: "Subjects screened, by kind.",
		}, []string{"kind"}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "screening_engine_screen_duration_seconds", Help: "Time to screen one subject against every list: an event's subjects are screened together, each accounted an equal share.",
			Buckets: prometheus.ExponentialBuckets(5e-6, 2.5, 12),
		}),
		panics: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "screening_engine_panics_total", Help: "Panics recovered while processing a message.",
		}),
	}
	if reg != nil {
		reg.MustRegister(m.processed, m.dropped, m.hits, m.screened, m.duration, m.panics)
	}
	return m
}
