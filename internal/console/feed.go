package console

import (
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

// A feed holds one country's recent alerts, read from that country's control-room topic
// only, and fans them out to the country's live streams. It is the only place a country's
// alerts live in the console: a session reads the feed of its own country and no other.

// alertItem is one alert of a feed. Its alert is immutable; repeats and decision change
// under the feed's lock.
type alertItem struct {
	seq      uint64 // position in the feed: the SSE event id
	key      string // fold id: the Kafka key the router wrote it with
	alert    *event.Alert
	repeats  int    // further records with the same fold id
	decision string // confirmed, dismissed or ""
}

// summary is an alert as the list shows it: what an officer needs to triage, no more.
type summary struct {
	ID          string    `json:"id"` // hit id
	Seq         uint64    `json:"seq"`
	RaisedAt    time.Time `json:"raised_at"`
	EventTime   time.Time `json:"event_time"`
	Database    string    `json:"database"`
	Severity    string    `json:"severity"`
	Action      string    `json:"action"`
	Score       float64   `json:"score"`
	BorderPost  string    `json:"border_post"`
	Flight      string    `json:"flight"`
	Kind        string    `json:"kind"`
	Subject     string    `json:"subject"`
	BirthDate   string    `json:"birth_date,omitempty"`
	Nationality string    `json:"nationality,omitempty"`
	Repeats     int       `json:"repeats"`
	Decision    string    `json:"decision,omitempty"`
}

func (it *alertItem) summary() summary {
	a := it.alert
	s := summary{
		ID: a.Hit.ID, Seq: it.seq, RaisedAt: a.RaisedAt, EventTime: a.Context.EventTime,
		Database: string(a.Hit.Database), Severity: a.Hit.Severity, Action: a.Hit.Action, Score: a.Hit.Score,
		BorderPost: a.Context.BorderPost, Flight: a.Context.Flight, Kind: string(a.Subject.Kind),
		Repeats: it.repeats, Decision: it.decision,
	}
	switch sub := &a.Subject; {
	case sub.Person != nil:
		p := sub.Person
		name := strings.TrimSpace(strings.ToUpper(p.Surname) + ", " + p.GivenNames)
		if p.Surname == "" {
			name = p.FullName
		}
		s.Subject, s.BirthDate, s.Nationality = strings.Trim(name, ", "), p.BirthDate.String(), p.Nationality
	case sub.Vehicle != nil:
		s.Subject = strings.TrimSpace(sub.Vehicle.Make + " " + sub.Vehicle.Model + " " + sub.Vehicle.VIN)
	case sub.Vessel != nil:
		s.Subject = strings.TrimSpace(sub.Vessel.Name + " IMO " + sub.Vessel.IMO)
	case sub.Firearm != nil:
		s.Subject = strings.TrimSpace(sub.Firearm.Make + " " + sub.Firearm.Model + " " + sub.Firearm.Serial)
	default:
		s.Subject = a.Subject.ID
	}
	return s
}

// detail is one alert with all its evidence, for the detail view.
type detail struct {
	Alert    *event.Alert `json:"alert"`
	FoldID   string       `json:"fold_id"`
	Repeats  int          `json:"repeats"`
	Decision string       `json:"decision,omitempty"`
}

// filter selects alerts for one stream; empty fields select everything.
type filter struct {
	BorderPost, Database, Severity string
}

func (f filter) match(a *event.Alert) bool {
	return (f.BorderPost == "" || a.Context.BorderPost == f.BorderPost) &&
		(f.Database == "" || string(a.Hit.Database) == f.Database) &&
		(f.Severity == "" || a.Hit.Severity == f.Severity)
}

// message is one server-sent event prepared for every subscriber.
type message struct {
	event string // alert or update
	id    uint64 // SSE id of an alert; 0 for an update
	hitID string // the alert shown, to audit; "" for an update
	data  []byte
}

// subscriber is one live stream: a bounded queue that drops its oldest messages when the
// browser cannot keep up, and counts what it dropped.
type subscriber struct {
	filter filter
	limit  int
	wake   chan struct{}

	mu      sync.Mutex
	queue   []message
	dropped int
}

func newSubscriber(f filter, limit int) *subscriber {
	return &subscriber{filter: f, limit: limit, wake: make(chan struct{}, 1)}
}

// push queues m, dropping the oldest message when the queue is full. It never blocks.
func (s *subscriber) push(m message) {
	s.mu.Lock()
	if len(s.queue) >= s.limit {
		n := len(s.queue) - s.limit + 1
		s.queue = append(s.queue[:0], s.queue[n:]...)
		s.dropped += n
	}
	s.queue = append(s.queue, m)
	s.mu.Unlock()
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// take returns the queued messages and how many were dropped since the last take.
func (s *subscriber) take() ([]message, int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q, d := s.queue, s.dropped
	s.queue, s.dropped = nil, 0
	return q, d
}

// feed is one country's recent alerts, bounded to backlog items, oldest evicted first.
type feed struct {
	country string
	topic   string
	backlog int

	mu    sync.Mutex
	seq   uint64
	items []*alertItem // oldest first
	byKey map[string]*alertItem
	byHit map[string]*alertItem
	posts map[string]int // border post -> live items, for the filter's choices
	subs  map[*subscriber]struct{}
}

func newFeed(country, topic string, backlog int) *feed {
	return &feed{country: country, topic: topic, backlog: backlog,
		byKey: map[string]*alertItem{}, byHit: map[string]*alertItem{}, posts: map[string]int{}, subs: map[*subscriber]struct{}{}}
}

// add records an alert read from the country's topic under its Kafka key. A record whose
// key is already held is a repeat (a redelivery, or a repeat the router folded by id only):
// it increments the alert's repeat count. decided is the decision already known for the
// hit, if any.
func (f *feed) add(key string, a *event.Alert, decided string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if it, ok := f.byKey[key]; ok {
		if it.alert.Hit.ID != a.Hit.ID { // the same hit again is a redelivery, not a repeat
			it.repeats++
			f.broadcastUpdate(it)
		}
		return
	}
	if it, ok := f.byHit[a.Hit.ID]; ok && it.key != key {
		return // the same hit under another key: already shown
	}
	f.seq++
	it := &alertItem{seq: f.seq, key: key, alert: a, decision: decided}
	f.items = append(f.items, it)
	f.byKey[key], f.byHit[a.Hit.ID] = it, it
	f.posts[a.Context.BorderPost]++
	for len(f.items) > f.backlog {
		old := f.items[0]
		f.items[0] = nil
		f.items = f.items[1:]
		delete(f.byKey, old.key)
		delete(f.byHit, old.alert.Hit.ID)
		if f.posts[old.alert.Context.BorderPost]--; f.posts[old.alert.Context.BorderPost] <= 0 {
			delete(f.posts, old.alert.Context.BorderPost)
		}
	}
	m := alertMessage(it)
	for s := range f.subs {
		if s.filter.match(a) {
			s.push(m)
		}
	}
}

// decide records a decision on a hit of this feed; false when the hit is not held or is
// already decided.
func (f *feed) decide(hitID, decision string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.byHit[hitID]
	if !ok || it.decision != "" {
		return false
	}
	it.decision = decision
	f.broadcastUpdate(it)
	return true
}

// broadcastUpdate tells the streams showing it that an alert changed. Caller holds f.mu.
func (f *feed) broadcastUpdate(it *alertItem) {
	b, _ := json.Marshal(struct {
		ID       string `json:"id"`
		Repeats  int    `json:"repeats"`
		Decision string `json:"decision,omitempty"`
	}{it.alert.Hit.ID, it.repeats, it.decision}) // plain strings and ints: cannot fail
	m := message{event: "update", data: b}
	for s := range f.subs {
		if s.filter.match(it.alert) {
			s.push(m)
		}
	}
}

func alertMessage(it *alertItem) message {
	b, _ := json.Marshal(it.summary()) // strings, numbers and times: cannot fail
	return message{event: "alert", id: it.seq, hitID: it.alert.Hit.ID, data: b}
}

// subscribe registers s and queues the held alerts matching its filter with a sequence
// number above after (the last one the browser saw), at most s.limit of the newest. It is
// atomic with add, so no alert falls between the backlog and the live stream.
func (f *feed) subscribe(s *subscriber, after uint64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var backlog []*alertItem
	for i := len(f.items) - 1; i >= 0 && len(backlog) < s.limit; i-- {
		it := f.items[i]
		if it.seq <= after {
			break
		}
		if s.filter.match(it.alert) {
			backlog = append(backlog, it)
		}
	}
	for i := len(backlog) - 1; i >= 0; i-- {
		s.push(alertMessage(backlog[i]))
	}
	f.subs[s] = struct{}{}
}

func (f *feed) unsubscribe(s *subscriber) {
	f.mu.Lock()
	delete(f.subs, s)
	f.mu.Unlock()
}

// get returns the detail of a held hit.
func (f *feed) get(hitID string) (detail, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	it, ok := f.byHit[hitID]
	if !ok {
		return detail{}, false
	}
	return detail{Alert: it.alert, FoldID: it.key, Repeats: it.repeats, Decision: it.decision}, true
}

// borderPosts returns the border posts of the held alerts, sorted.
func (f *feed) borderPosts() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.posts))
	for p := range f.posts {
		if p != "" {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}

// decisions remembers the decisions read from the outcomes topic (or made here), bounded,
// so that an alert read after its outcome shows as decided.
type decisions struct {
	mu    sync.Mutex
	limit int
	byHit map[string]string
	order []string
}

func newDecisions(limit int) *decisions {
	return &decisions{limit: limit, byHit: map[string]string{}}
}

func (d *decisions) put(hitID, decision string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if _, ok := d.byHit[hitID]; ok {
		return
	}
	d.byHit[hitID] = decision
	d.order = append(d.order, hitID)
	for len(d.order) > d.limit {
		delete(d.byHit, d.order[0])
		d.order = d.order[1:]
	}
}

func (d *decisions) get(hitID string) string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.byHit[hitID]
}
