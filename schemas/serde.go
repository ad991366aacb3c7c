package schemas

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/twmb/franz-go/pkg/sr"

	"github.com/watchpost/watchpost/pipeline/fault"
)

// headerLen is the length of the Confluent wire header: magic byte 0 and a 4-byte id.
const headerLen = 5

var confluent sr.ConfluentHeader

// Serde encodes and decodes every Watchpost message in the Confluent wire format. Encoding
// uses the newest shipped version of each record; decoding accepts every version whose id it
// knows. A Serde is immutable and safe for concurrent use.
type Serde struct {
	byID     map[int]*schema
	writer   [numKinds]*schema
	writerID [numKinds]int
	lastSize [numKinds]atomic.Int64 // size of the last encoding of each kind, to presize buffers
}

// Register registers every shipped schema version with the registry under the record-name
// strategy (subject = full record name, e.g. "watchpost.v1.Manifest"), oldest version first,
// learns the ids, and returns a Serde. Registering again is idempotent: the registry returns
// the ids it already holds. Versions of the subjects registered by other writers (for example
// a newer build) are fetched too, so their messages decode. Errors are those of the registry
// or of a registered schema that is not a Watchpost record; neither is marked.
func Register(ctx context.Context, cl *sr.Client) (*Serde, error) {
	c, err := loadedCatalogue()
	if err != nil {
		return nil, err
	}
	s := &Serde{byID: make(map[int]*schema)}
	for k := range catalogue {
		def := &catalogue[k]
		for _, sc := range c.schemas[k] {
			id, err := cl.RegisterSchema(ctx, def.subject, sr.Schema{Schema: sc.text, Type: sr.TypeAvro}, -1, -1)
			if err != nil {
				return nil, fmt.Errorf("registering %s: %w", VersionKey(def.subject, sc.version), err)
			}
			if err := s.add(id, sc); err != nil {
				return nil, fmt.Errorf("registering %s: %w", VersionKey(def.subject, sc.version), err)
			}
			s.writer[k], s.writerID[k] = sc, id
		}
		all, err := cl.Schemas(ctx, def.subject)
		if err != nil {
			return nil, fmt.Errorf("listing versions of %s: %w", def.subject, err)
		}
		for _, ss := range all {
			if _, ok := s.byID[ss.ID]; ok {
				continue
			}
			if err := s.addRegistered(kind(k), ss); err != nil {
				return nil, fmt.Errorf("learning %s version %d (schema id %d): %w", def.subject, ss.Version, ss.ID, err)
			}
		}
	}
	return s, nil
}

// addRegistered compiles a version of a subject that this build does not ship.
func (s *Serde) addRegistered(k kind, ss sr.SubjectSchema) error {
	if ss.Type != sr.TypeAvro {
		return fmt.Errorf("schema type is %s, want AVRO", ss.Type)
	}
	if len(ss.References) > 0 {
		return errors.New("schema references are not supported")
	}
	sc, err := compile(k, ss.Schema.Schema)
	if err != nil {
		return err
	}
	return s.add(ss.ID, sc)
}

// add maps id to sc, refusing an id already mapped to another schema.
func (s *Serde) add(id int, sc *schema) error {
	if !validID(id) {
		return fmt.Errorf("schema id %d out of range 1-2147483647", id)
	}
	if old, ok := s.byID[id]; ok && old != sc {
		return fmt.Errorf("schema id %d is already used by %s", id, catalogue[old.kind].subject)
	}
	s.byID[id] = sc
	return nil
}

// NewSerde builds a Serde from already-known schema ids (for tests and golden bytes). Keys
// are subjects, naming the newest shipped version, or [VersionKey]s naming one shipped
// version. Every subject's newest version needs an id; ids must be distinct.
func NewSerde(ids map[string]int) (*Serde, error) {
	c, err := loadedCatalogue()
	if err != nil {
		return nil, err
	}
	s := &Serde{byID: make(map[int]*schema)}
	keys := make([]string, 0, len(ids))
	for key := range ids {
		keys = append(keys, key)
	}
	slices.Sort(keys) // deterministic errors
	var errs []error
	for _, key := range keys {
		id := ids[key]
		sc, err := c.lookup(key)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if err := s.add(id, sc); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", key, err))
			continue
		}
		if newest := c.schemas[sc.kind][len(c.schemas[sc.kind])-1]; sc == newest {
			if s.writer[sc.kind] != nil && s.writerID[sc.kind] != id {
				errs = append(errs, fmt.Errorf("%s: two ids for the newest version", catalogue[sc.kind].subject))
				continue
			}
			s.writer[sc.kind], s.writerID[sc.kind] = sc, id
		}
	}
	for k := range catalogue {
		if s.writer[k] == nil {
			errs = append(errs, fmt.Errorf("%s: no schema id for the newest version", catalogue[k].subject))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("building serde: %w", err)
	}
	return s, nil
}

// lookup resolves a subject or a VersionKey to a shipped schema.
func (c *compiled) lookup(key string) (*schema, error) {
	subject, ver, versioned := strings.Cut(key, "@")
	k, ok := kindOf(subject)
	if !ok {
		return nil, fmt.Errorf("unknown subject %q", subject)
	}
	scs := c.schemas[k]
	if !versioned {
		return scs[len(scs)-1], nil
	}
	for _, sc := range scs {
		if VersionKey(subject, sc.version) == key {
			return sc, nil
		}
	}
	return nil, fmt.Errorf("%s: no shipped version %q", subject, ver)
}

// IDs returns the schema id of the newest version of every subject, keyed by subject: the
// ids this Serde encodes with.
func (s *Serde) IDs() map[string]int {
	out := make(map[string]int, numKinds)
	for k := range catalogue {
		out[catalogue[k].subject] = s.writerID[k]
	}
	return out
}

// SchemaID returns the schema id in the Confluent wire header of b. Errors are poison.
func SchemaID(b []byte) (int, error) {
	id, _, err := splitHeader(b)
	return id, err
}

func splitHeader(b []byte) (int, []byte, error) {
	switch {
	case len(b) < headerLen:
		return 0, nil, fault.Poison(fmt.Errorf("reading wire header: short buffer: %d bytes, want at least %d", len(b), headerLen))
	case b[0] != 0:
		return 0, nil, fault.Poison(fmt.Errorf("reading wire header: magic byte at offset 0 is %d, want 0", b[0]))
	}
	id, body, err := confluent.DecodeID(b)
	if err != nil {
		return 0, nil, fault.Poison(fmt.Errorf("reading wire header: %w", err))
	}
	return id, body, nil
}

// encode frames native with the header of the newest version of k. It validates nothing:
// callers validate and map first.
func (s *Serde) encode(k kind, native map[string]any) ([]byte, error) {
	w := s.writer[k]
	if w == nil {
		return nil, fmt.Errorf("encoding %s: serde has no schema id for it", catalogue[k].subject)
	}
	b, _ := confluent.AppendEncode(make([]byte, 0, s.lastSize[k].Load()+64), s.writerID[k], nil) // error is always nil
	b, err := w.codec.BinaryFromNative(b, native)
	if err != nil {
		// goavro's message may quote the value; it must not reach logs, so it is dropped.
		// Values are validated before this point, so this is a mapping defect.
		return nil, fmt.Errorf("encoding %s: Avro encoder rejected the mapped value", catalogue[k].subject)
	}
	s.lastSize[k].Store(int64(len(b)))
	return b, nil
}

// decode reads the header, finds the writer's schema, checks it is a k, and decodes the body
// into goavro's native form. Errors are poison.
func (s *Serde) decode(k kind, b []byte) (map[string]any, error) {
	subject := catalogue[k].subject
	id, body, err := splitHeader(b)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", subject, err)
	}
	sc, ok := s.byID[id]
	if !ok {
		return nil, fault.Poison(fmt.Errorf("decoding %s: unknown schema id %d", subject, id))
	}
	if sc.kind != k {
		return nil, fault.Poison(fmt.Errorf("decoding %s: schema id %d is registered for %s", subject, id, catalogue[sc.kind].subject))
	}
	native, rest, err := sc.codec.NativeFromBinary(body)
	if err != nil {
		// goavro's binary decoding errors name types, fields and sizes, never data.
		return nil, fault.Poison(fmt.Errorf("decoding %s (schema id %d): bad Avro body: %v", subject, id, err))
	}
	if len(rest) != 0 {
		return nil, fault.Poison(fmt.Errorf("decoding %s (schema id %d): %d trailing bytes after the Avro body", subject, id, len(rest)))
	}
	m, ok := native.(map[string]any)
	if !ok {
		return nil, fault.Poison(fmt.Errorf("decoding %s (schema id %d): body is not a record", subject, id))
	}
	return m, nil
}
