package gateway

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"time"
)

// accepted is what the gateway remembers of an accepted submission: enough to answer an
// identical resubmission, and the content hash to tell a reused reference from a real
// duplicate. It holds ids and counts only, never personal data.
type accepted struct {
	ids        []string // manifest (or crossing) ids, in body order
	travellers int
	pnrs       int
	content    [32]byte
}

// errConflict is returned when an id is known with another content hash.
var errConflict = errors.New("id already accepted with different content")

// dedup answers "was this id accepted recently?" and makes concurrent submissions of one id
// produce once. It is a bounded LRU with a time-to-live, and a single-flight table of the ids
// being produced right now. Safe for concurrent use.
//
// It lives in memory only: after a restart it is empty, and a resubmission of something
// accepted before the restart is produced again. The ids are deterministic, so the copy
// carries the same manifest id, subject ids and hit ids as the first, and downstream stores
// (ClickHouse ReplacingMergeTree, control-room alert handling) drop the repeat.
type dedup struct {
	size int
	ttl  time.Duration
	now  func() time.Time

	mu       sync.Mutex
	lru      *list.List // of *dedupEntry, most recent first
	byID     map[string]*list.Element
	inflight map[string]*flight
}

type dedupEntry struct {
	id      string
	acc     accepted
	expires time.Time
}

// flight is a submission being produced; followers wait on done.
type flight struct {
	content [32]byte
	done    chan struct{}
	acc     accepted
	err     error
}

func newDedup(size int, ttl time.Duration, now func() time.Time) *dedup {
	return &dedup{size: size, ttl: ttl, now: now, lru: list.New(), byID: map[string]*list.Element{}, inflight: map[string]*flight{}}
}

// do runs produce for id unless id was accepted recently or is being produced: then it
// returns the first submission's outcome with duplicate set, without calling produce. A
// follower whose leader failed gets the leader's error (the client retries). A known id with
// another content hash returns errConflict once it is accepted. Only a successful produce is
// remembered.
func (d *dedup) do(ctx context.Context, id string, content [32]byte, produce func() (accepted, error)) (acc accepted, duplicate bool, err error) {
	d.mu.Lock()
	if e, ok := d.lookupLocked(id); ok {
		d.mu.Unlock()
		if e.content != content {
			return accepted{}, false, errConflict
		}
		return e, true, nil
	}
	if f, ok := d.inflight[id]; ok {
		d.mu.Unlock()
		select {
		case <-f.done:
		case <-ctx.Done():
			return accepted{}, false, ctx.Err()
		}
		switch {
		case f.err != nil: // nothing was accepted: the reference is still free
			return accepted{}, false, f.err
		case f.content != content:
			return accepted{}, false, errConflict
		}
		return f.acc, true, nil
	}
	f := &flight{content: content, done: make(chan struct{})}
	d.inflight[id] = f
	d.mu.Unlock()

	defer func() {
		d.mu.Lock()
		delete(d.inflight, id)
		if f.err == nil {
			d.addLocked(id, f.acc)
		}
		d.mu.Unlock()
		close(f.done)
	}()
	f.err = errors.New("producing: panicked") // replaced unless produce panics
	f.acc, f.err = produce()
	f.acc.content = content
	return f.acc, false, f.err
}

// lookupLocked returns the live entry for id, dropping it when expired.
func (d *dedup) lookupLocked(id string) (accepted, bool) {
	el, ok := d.byID[id]
	if !ok {
		return accepted{}, false
	}
	e := el.Value.(*dedupEntry)
	if !d.now().Before(e.expires) {
		d.lru.Remove(el)
		delete(d.byID, id)
		return accepted{}, false
	}
	d.lru.MoveToFront(el)
	return e.acc, true
}

func (d *dedup) addLocked(id string, acc accepted) {
	if el, ok := d.byID[id]; ok {
		d.lru.Remove(el)
	}
	d.byID[id] = d.lru.PushFront(&dedupEntry{id: id, acc: acc, expires: d.now().Add(d.ttl)})
	for d.lru.Len() > d.size {
		old := d.lru.Back()
		d.lru.Remove(old)
		delete(d.byID, old.Value.(*dedupEntry).id)
	}
}

// len is the number of remembered ids (expired ones included until touched or evicted).
func (d *dedup) len() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.lru.Len()
}
