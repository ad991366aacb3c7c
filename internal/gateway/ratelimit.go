package gateway

import (
	"math"
	"sync"
	"time"
)

// bucket is a token bucket: it holds up to burst tokens, refills at rate tokens per second,
// and each request takes one. Safe for concurrent use.
type bucket struct {
	rate  float64 // tokens per second, > 0
	burst float64 // capacity, >= 1

	mu     sync.Mutex
	tokens float64
	last   time.Time
}

func newBucket(rate float64, burst int, now time.Time) *bucket {
	return &bucket{rate: rate, burst: float64(burst), tokens: float64(burst), last: now}
}

// take takes a token if one is available. Otherwise it reports how long until one is.
func (b *bucket) take(now time.Time) (ok bool, wait time.Duration) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if dt := now.Sub(b.last).Seconds(); dt > 0 {
		b.tokens = math.Min(b.burst, b.tokens+dt*b.rate)
		b.last = now
	}
	if b.tokens >= 1 {
		b.tokens--
		return true, 0
	}
	return false, time.Duration((1 - b.tokens) / b.rate * float64(time.Second))
}

// limiter holds one bucket per client. The set of clients is fixed at start, so it never
// grows with traffic.
type limiter struct {
	buckets map[string]*bucket
}

func newLimiter(cs *Credentials, defRate float64, defBurst int, now time.Time) *limiter {
	l := &limiter{buckets: make(map[string]*bucket, len(cs.clients))}
	for _, c := range cs.clients {
		rate, burst := defRate, defBurst
		if c.RatePerSecond > 0 {
			rate = c.RatePerSecond
		}
		if c.Burst > 0 {
			burst = c.Burst
		}
		l.buckets[c.ID] = newBucket(rate, burst, now)
	}
	return l
}

// allow takes a token of client id; wait is how long until the next one when it is refused.
func (l *limiter) allow(id string, now time.Time) (bool, time.Duration) {
	b := l.buckets[id]
	if b == nil {
		return false, time.Second // not reachable: every authenticated client has a bucket
	}
	return b.take(now)
}

// retryAfterSeconds renders a wait as a Retry-After value: whole seconds, rounded up, at
// least 1.
func retryAfterSeconds(wait time.Duration) int {
	s := int(math.Ceil(wait.Seconds()))
	if s < 1 {
		s = 1
	}
	return s
}
