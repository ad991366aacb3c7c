package fault

import "errors"

var (
	// ErrPoison marks an error that will never succeed for the same input.
	ErrPoison = errors.New("poison record")
	// ErrTransient marks an error that may succeed when retried.
	ErrTransient = errors.New("transient")
)

type marked struct {
	class error
	err   error
}

func (m marked) Error() string   { return m.err.Error() }
func (m marked) Unwrap() []error { return []error{m.class, m.err} }

// Poison marks err as poison. Poison(nil) is nil.
func Poison(err error) error {
	if err == nil {
		return nil
	}
	return marked{ErrPoison, err}
}

// Transient marks err as transient. Transient(nil) is nil.
func Transient(err error) error {
	if err == nil {
		return nil
	}
	return marked{ErrTransient, err}
}

// Class names the class of err for metric labels and dead-letter headers:
// "poison", "transient" or "fatal".
func Class(err error) string {
	switch {
	case errors.Is(err, ErrPoison):
		return "poison"
	case errors.Is(err, ErrTransient):
		return "transient"
	default:
		return "fatal"
	}
}
