package gateway

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/watchpost/watchpost/pipeline/event"
)

// Outcomes of a submission, the values of the outcome label.
const (
	outcomeAccepted  = "accepted"
	outcomeDuplicate = "duplicate"
	outcomeRejected  = "rejected"
)

// metrics are the gateway's Prometheus metrics. Every label value comes from a fixed set in
// this package (route patterns, status codes, problem slugs, outcomes, check results), never
// from a request.
type metrics struct {
	requests   *prometheus.CounterVec   // route, code
	duration   *prometheus.HistogramVec // route
	manifests  *prometheus.CounterVec   // outcome: manifests (messages), not requests
	crossings  *prometheus.CounterVec   // outcome
	checks     *prometheus.CounterVec   // result: hit, no_hit, rejected
	rejections *prometheus.CounterVec   // route, reason
	produce    prometheus.Histogram
}

func newMetrics(reg prometheus.Registerer) *metrics {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_gateway_requests_total", Help: "HTTP requests answered, by route and status code.",
		}, []string{"route", "code"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "screening_gateway_request_duration_seconds", Help: "Time to answer a request, by route.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}, []string{"route"}),
		manifests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_gateway_manifests_total", Help: "Manifests (messages) submitted, by outcome: accepted, duplicate, rejected.",
		}, []string{"outcome"}),
		crossings: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_gateway_crossings_total", Help: "Crossings submitted, by outcome: accepted, duplicate, rejected.",
		}, []string{"outcome"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_gateway_checks_total", Help: "Partner document checks, by result: hit, no_hit, or rejected (not checked).",
		}, []string{"result"}),
		rejections: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "screening_gateway_rejections_total", Help: "Requests answered with a problem document, by route and reason.",
		}, []string{"route", "reason"}),
		produce: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "screening_gateway_produce_duration_seconds", Help: "Time from starting a submission's transaction to its commit.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 12),
		}),
	}
	for _, o := range []string{outcomeAccepted, outcomeDuplicate, outcomeRejected} {
		m.manifests.WithLabelValues(o)
		m.crossings.WithLabelValues(o)
	}
	for _, r := range []string{event.CheckHit, event.CheckNoHit, outcomeRejected} {
		m.checks.WithLabelValues(r)
	}
	if reg != nil {
		reg.MustRegister(m.requests, m.duration, m.manifests, m.crossings, m.checks, m.rejections, m.produce)
	}
	return m
}
