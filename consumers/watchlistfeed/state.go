package watchlistfeed

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"iter"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"
	"unsafe"

	"go.uber.org/zap"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/watchlist/packed"
)

// StateConfig configures the local snapshot: every record the feed holds, packed, with the
// reference offsets it covers. A worker restarted with one reads it, then replays only the
// tail of the topics, instead of replaying them in full.
type StateConfig struct {
	// Dir holds the snapshot file (feed.state); empty keeps none.
	Dir string
	// Interval is the least time between two saves while following; default 10 minutes.
	Interval time.Duration
	// MaxAge is the oldest snapshot a start will use; default 12 hours. It must stay below
	// the reference topics' delete.retention.ms (a day): past it, compaction may have
	// removed a tombstone the snapshot never saw.
	MaxAge time.Duration
	// SaveOnStop saves once more when the feed stops.
	SaveOnStop bool
}

func (c *StateConfig) setDefaults() {
	if c.Interval <= 0 {
		c.Interval = 10 * time.Minute
	}
	if c.MaxAge <= 0 {
		c.MaxAge = 12 * time.Hour
	}
}

// StateFile is the name of the snapshot file inside StateConfig.Dir.
const StateFile = "feed.state"

// stateMagic starts every snapshot file; its last byte is the format version.
const stateMagic = "WATCHPOST-FEED-STATE\x01"

// ErrBadState marks a snapshot file that cannot be used: wrong format, truncated, or a
// checksum mismatch.
var ErrBadState = errors.New("unusable local snapshot")

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type stateHeader struct {
	Created   time.Time       `json:"created"`
	Version   uint64          `json:"version"`
	Offsets   []stateOffset   `json:"offsets"`
	Databases []stateDatabase `json:"databases"`
}

type stateOffset struct {
	Topic     string `json:"topic"`
	Partition int32  `json:"partition"`
	Next      int64  `json:"next"`
}

type stateDatabase struct {
	DB    event.Database `json:"db"`
	Topic string         `json:"topic"`
	Count int            `json:"count"`
}

// state is one snapshot file's content: immutable once taken.
type state struct {
	header stateHeader
	// recs holds the records per header.Databases entry, as read; a save writes lists
	// instead, so that an indexed table's records stream from its index without being
	// packed into memory all at once.
	recs  [][]string
	lists []iter.Seq[string]
}

// listOf is a list of records held in memory.
func listOf(recs []string) iter.Seq[string] { return slices.Values(recs) }

// writeState writes st to path atomically: a temporary file, synced, renamed over path.
func writeState(path string, st *state) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".feed.state-*")
	if err != nil {
		return fmt.Errorf("creating the snapshot file: %w", err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	crc := crc32.New(castagnoli)
	w := bufio.NewWriterSize(io.MultiWriter(tmp, crc), 1<<20)
	hdr, err := json.Marshal(st.header)
	if err != nil {
		return err
	}
	var lenBuf [binary.MaxVarintLen64]byte
	w.WriteString(stateMagic)
	w.Write(lenBuf[:binary.PutUvarint(lenBuf[:], uint64(len(hdr)))])
	w.Write(hdr)
	for i, recs := range st.lists {
		n := 0
		for r := range recs {
			w.Write(lenBuf[:binary.PutUvarint(lenBuf[:], uint64(len(r)))])
			w.WriteString(r)
			n++
		}
		if n != st.header.Databases[i].Count {
			return fmt.Errorf("writing the snapshot file: %s: %d records, the header says %d", st.header.Databases[i].DB, n, st.header.Databases[i].Count)
		}
	}
	if err := w.Flush(); err != nil {
		return fmt.Errorf("writing the snapshot file: %w", err)
	}
	if err := binary.Write(tmp, binary.BigEndian, crc.Sum32()); err != nil {
		return fmt.Errorf("writing the snapshot file: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("syncing the snapshot file: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("closing the snapshot file: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("renaming the snapshot file: %w", err)
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// readState reads and checks a snapshot file. The records it returns are substrings of one
// string holding the whole file.
func readState(path string) (*state, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseState(b)
}

// parseState parses a snapshot file's bytes; b must not be modified afterwards (the
// records alias it).
func parseState(b []byte) (*state, error) {
	if len(b) < len(stateMagic)+4 || string(b[:len(stateMagic)]) != stateMagic {
		return nil, fmt.Errorf("%w: not a snapshot file of this format", ErrBadState)
	}
	body, sum := b[:len(b)-4], binary.BigEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch (truncated or corrupt)", ErrBadState)
	}
	// The body is never modified after this point: records may alias it without a copy
	// of a file that can hold hundreds of megabytes.
	s := unsafe.String(unsafe.SliceData(body), len(body))[len(stateMagic):]
	n, k := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
	if k <= 0 || n > uint64(len(s)-k) {
		return nil, fmt.Errorf("%w: header length", ErrBadState)
	}
	st := &state{}
	if err := json.Unmarshal([]byte(s[k:k+int(n)]), &st.header); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrBadState, err)
	}
	s = s[k+int(n):]
	for i, d := range st.header.Databases {
		if d.Count < 0 || d.Count > len(s) {
			return nil, fmt.Errorf("%w: databases[%d]: count", ErrBadState, i)
		}
		recs := make([]string, d.Count)
		for j := range recs {
			n, k := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
			if k <= 0 || n > uint64(len(s)-k) {
				return nil, fmt.Errorf("%w: databases[%d]: record %d: length", ErrBadState, i, j)
			}
			recs[j] = s[k : k+int(n)]
			s = s[k+int(n):]
		}
		st.recs = append(st.recs, recs)
	}
	if len(s) != 0 {
		return nil, fmt.Errorf("%w: trailing bytes", ErrBadState)
	}
	return st, nil
}

// loadState fills the tables and offsets from the local snapshot, when one is configured,
// readable, young enough and of the same topics. It reports whether it did.
func (f *Feed) loadState() bool {
	if f.cfg.State.Dir == "" {
		return false
	}
	start := time.Now()
	path := filepath.Join(f.cfg.State.Dir, StateFile)
	st, err := readState(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		f.log.Info("no local snapshot; replaying the reference topics in full")
		return false
	case err != nil:
		f.log.Warn("local snapshot unusable; replaying the reference topics in full", zap.Error(err))
		return false
	case time.Since(st.header.Created) > f.cfg.State.MaxAge:
		f.log.Info("local snapshot too old; replaying the reference topics in full",
			zap.Time("created", st.header.Created), zap.Duration("max_age", f.cfg.State.MaxAge))
		return false
	}
	used := map[string]bool{}
	for i, d := range st.header.Databases {
		t := f.tables[d.DB]
		if t == nil || t.topic != d.Topic {
			continue // not followed any more, or another topic: replayed from its start
		}
		used[d.Topic] = true
		if t.indexed {
			t.base = st.recs[i] // indexed by the first publish, then dropped
			continue
		}
		recs := make(map[string]string, len(st.recs[i]))
		kept := make([]string, len(st.recs[i]))
		for j, r := range st.recs[i] {
			// A copy: the records kept must not pin the whole file's buffer, most of which
			// (the indexed tables' records) is garbage after the first publish.
			r = strings.Clone(r)
			kept[j] = r
			id, err := packed.ID(r)
			if err != nil {
				f.log.Warn("local snapshot unusable; replaying the reference topics in full",
					zap.String("database", string(d.DB)), zap.Int("record", j), zap.Error(err))
				f.reset()
				return false
			}
			recs[id] = r
		}
		t.recs, t.ordered, t.dirty = recs, kept, false
	}
	for _, o := range st.header.Offsets {
		if used[o.Topic] {
			f.next[partKey{o.Topic, o.Partition}] = o.Next
		}
	}
	f.log.Info("local snapshot loaded", zap.Any("records", f.counts()), zap.Time("created", st.header.Created),
		zap.Uint64("version", st.header.Version), zap.Duration("took", time.Since(start)))
	return true
}

// stateCovers reports whether every loaded offset lies within its partition's current end:
// if not, the topic was recreated or truncated under the snapshot.
func (f *Feed) stateCovers(ends map[partKey]int64) bool {
	for k, n := range f.next {
		end, ok := ends[k]
		if !ok || n > end {
			return false
		}
	}
	return true
}

// reset forgets everything loaded.
func (f *Feed) reset() {
	clear(f.next)
	for _, t := range f.tables {
		t.recs, t.ordered, t.dirty, t.added = map[string]string{}, nil, false, nil
		t.pending, t.base = map[string]string{}, nil
	}
}

// indexedList streams an indexed database's records from snapshot snap, packed.
func indexedList(snap *index.Snapshot, db event.Database) iter.Seq[string] {
	return func(yield func(string) bool) {
		for d := range indexedDocuments(snap, db) {
			if !yield(packed.Document(&d)) {
				return
			}
		}
	}
}

// saver runs at most one save at a time, in the background.
type saver struct {
	mu      sync.Mutex
	running bool
	wg      sync.WaitGroup
}

func (s *saver) wait() { s.wg.Wait() }

// save writes the current state to the snapshot file in the background, unless a save is
// still running. The state is taken on the feed's goroutine, so records and offsets agree;
// it must follow a publish (an indexed table's records are those of the published
// snapshot, which is immutable, so the background write may read it).
func (f *Feed) save() {
	if f.cfg.State.Dir == "" {
		return
	}
	snap := f.cfg.Store.Load()
	if snap == nil || len(f.changed) > 0 {
		return // not published yet: records and offsets would not agree
	}
	f.saver.mu.Lock()
	if f.saver.running {
		f.saver.mu.Unlock()
		return
	}
	f.saver.running = true
	f.saver.mu.Unlock()
	st := &state{header: stateHeader{Created: time.Now().UTC(), Version: f.version()}}
	for k, n := range f.next {
		st.header.Offsets = append(st.header.Offsets, stateOffset{Topic: k.topic, Partition: k.part, Next: n})
	}
	for _, db := range event.Databases() {
		t := f.tables[db]
		switch {
		case t == nil:
		case t.indexed:
			st.header.Databases = append(st.header.Databases, stateDatabase{DB: db, Topic: t.topic, Count: snap.Counts()[db]})
			st.lists = append(st.lists, indexedList(snap, db))
		default:
			recs := t.order()
			st.header.Databases = append(st.header.Databases, stateDatabase{DB: db, Topic: t.topic, Count: len(recs)})
			st.lists = append(st.lists, listOf(recs))
		}
	}
	f.saver.wg.Add(1)
	go func() {
		defer f.saver.wg.Done()
		start := time.Now()
		err := os.MkdirAll(f.cfg.State.Dir, 0o700)
		if err == nil {
			err = writeState(filepath.Join(f.cfg.State.Dir, StateFile), st)
		}
		if err != nil {
			f.log.Warn("saving the local snapshot", zap.Error(err))
		} else {
			f.log.Info("local snapshot saved", zap.Uint64("version", st.header.Version), zap.Duration("took", time.Since(start)))
		}
		f.saver.mu.Lock()
		f.saver.running = false
		f.saver.mu.Unlock()
	}()
}
