package watchlistfeed

import (
	"encoding/binary"
	"errors"
	"hash/crc32"
	"iter"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
	"github.com/watchpost/watchpost/pipeline/watchlist/packed"
)

// FuzzParseState: a snapshot file of any content is parsed or refused with ErrBadState,
// never a panic.
func FuzzParseState(f *testing.F) {
	d := watchlist.Document{ID: "D1", Number: "AA0000001", Issuer: "FRA", Status: watchlist.StatusStolen}
	st := &state{
		header: stateHeader{Created: time.Unix(1e9, 0).UTC(), Version: 7, Offsets: []stateOffset{{Topic: "t", Partition: 0, Next: 3}},
			Databases: []stateDatabase{{DB: event.DBSLTD, Topic: "t", Count: 1}}},
		lists: []iter.Seq[string]{listOf([]string{packed.Document(&d)})},
	}
	path := filepath.Join(f.TempDir(), StateFile)
	if err := writeState(path, st); err != nil {
		f.Fatal(err)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add([]byte(stateMagic))
	f.Add(good[:len(good)-1])
	f.Add(good[:len(good)-4]) // the body alone: sealed by the fuzz function
	f.Fuzz(func(t *testing.T, b []byte) {
		// As given, and with a valid checksum appended so the parser past it is explored.
		sealed := binary.BigEndian.AppendUint32(append([]byte(nil), b...), crc32.Checksum(b, castagnoli))
		for _, in := range [][]byte{b, sealed} {
			st, err := parseState(in)
			if err != nil {
				if !errors.Is(err, ErrBadState) {
					t.Fatalf("error %v is not ErrBadState", err)
				}
				continue
			}
			if len(st.recs) != len(st.header.Databases) {
				t.Fatalf("%d record lists for %d databases", len(st.recs), len(st.header.Databases))
			}
		}
	})
}
