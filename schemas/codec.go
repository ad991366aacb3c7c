package schemas

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/fault"
)

// root is the path of a top-level record: its fields render without a prefix.
var root = &loc{idx: -1}

// encodeValue validates v, maps it to goavro's native form and frames it.
func encodeValue[T any](s *Serde, k kind, v *T, validate func(*T) error, native func(*T) map[string]any) ([]byte, error) {
	if v == nil {
		return nil, fmt.Errorf("encoding %s: nil value", catalogue[k].subject)
	}
	if err := validate(v); err != nil {
		return nil, fmt.Errorf("encoding %s: %w", catalogue[k].subject, err)
	}
	return s.encode(k, native(v))
}

// decodeValue decodes b as a k, maps it by field name and validates it. Errors are poison.
func decodeValue[T any](s *Serde, k kind, b []byte, read func(*reader, obj) *T, validate func(*T) error) (*T, error) {
	native, err := s.decode(k, b)
	if err != nil {
		return nil, err
	}
	r := &reader{}
	v := read(r, obj{m: native, l: root})
	if r.err == nil {
		r.err = validate(v)
	}
	if r.err != nil {
		id, _ := SchemaID(b)
		return nil, fault.Poison(fmt.Errorf("decoding %s (schema id %d): %w", catalogue[k].subject, id, r.err))
	}
	return v, nil
}
