package jsonl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
)

// subjectFields are the fields each kind of subject may carry besides id and kind. Vehicles
// may also give make, model and part_serials, and vessels a name: the event types hold them
// and the matchers use them.
var subjectFields = map[event.SubjectKind][]string{
	event.KindPerson:  {"surname", "given_names", "full_name", "birth_date", "nationality", "sex", "documents"},
	event.KindVehicle: {"vin", "plate", "plate_country", "make", "model", "part_serials"},
	event.KindVessel:  {"imo", "hin", "engine_serials", "name"},
	event.KindFirearm: {"serial", "make", "model", "calibre"},
}

// ReadSubjects reads JSONL subjects, one per line (blank lines skipped), and yields each as an
// event.Subject whose ID and EventID are the line's id. A bad line yields a zero Subject and
// an error "line N: FIELD: MESSAGE" (never a value), and reading goes on; a read failure
// yields a final error. Fields of another kind of subject are errors, as are unknown ones.
// The sequence reads r as it is iterated and can be iterated once.
func ReadSubjects(r io.Reader) iter.Seq2[event.Subject, error] {
	return func(yield func(event.Subject, error) bool) {
		br := bufio.NewReaderSize(r, 1<<16)
		ids := map[string]int{}
		var fe []fieldError
		for n := 1; ; n++ {
			line, tooLong, err := readLine(br)
			if err != nil && !errors.Is(err, io.EOF) {
				yield(event.Subject{}, fmt.Errorf("reading subjects after line %d: %w", n-1, err))
				return
			}
			if line == nil && errors.Is(err, io.EOF) {
				return
			}
			if n == 1 {
				line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf"))
			}
			fe = fe[:0]
			var s event.Subject
			switch {
			case tooLong:
				fe = append(fe, fieldError{msg: msgLineTooLong})
			case len(bytes.TrimSpace(line)) == 0:
				if errors.Is(err, io.EOF) {
					return
				}
				continue
			default:
				if o, ok := decodeLine(line, &fe); ok {
					s = decodeSubject(o)
					if prev, dup := ids[s.ID]; dup && s.ID != "" {
						fe = append(fe, fieldError{path: "id", msg: msgDuplicate + " (first on line " + strconv.Itoa(prev) + ")"})
					} else if s.ID != "" {
						ids[s.ID] = n
					}
				}
			}
			var lineErr error
			if len(fe) > 0 {
				s, lineErr = event.Subject{}, errorsPerLine(n, fe)
			}
			if !yield(s, lineErr) || errors.Is(err, io.EOF) {
				return
			}
		}
	}
}

// errorsPerLine renders a subject line's errors: "line N: FIELD: MESSAGE", one per field.
func errorsPerLine(n int, fe []fieldError) error {
	out := make([]error, len(fe))
	for i, e := range fe {
		if e.path == "" {
			out[i] = fmt.Errorf("line %d: %s", n, e.msg)
		} else {
			out[i] = fmt.Errorf("line %d: %s: %s", n, e.path, e.msg)
		}
	}
	return errors.Join(out...)
}

func decodeSubject(o *object) event.Subject {
	s := event.Subject{ID: o.str("id"), Kind: event.SubjectKind(o.str("kind"))}
	s.EventID = s.ID
	checkID(o, s.ID)
	fields, known := subjectFields[s.Kind]
	if !known {
		if o.ok("kind") {
			o.fail("kind", msgKind)
		}
		o.known = append(o.known, allSubjectFields()...) // one error for the kind, not one per field
		o.finish()
		return s
	}
	for kind, fs := range subjectFields {
		if kind == s.Kind {
			continue
		}
		for _, f := range fs {
			if o.has(f) && !contains(fields, f) && !contains(o.known, f) {
				o.known = append(o.known, f)
				o.fail(f, msgOtherKind)
			}
		}
	}
	switch s.Kind {
	case event.KindPerson:
		s.Person = decodePerson(o)
	case event.KindVehicle:
		s.Vehicle = &event.Vehicle{VIN: o.str("vin"), Plate: o.str("plate"), PlateCountry: o.str("plate_country"), Make: o.str("make"), Model: o.str("model"), PartSerials: o.strs("part_serials")}
		if v := s.Vehicle.VIN; v != "" && o.ok("vin") {
			if c := index.VIN(v); c == "" || strings.Count(c, string(index.Unreadable)) > 1 || c == string(index.Unreadable) {
				o.fail("vin", msgVINSubject)
			}
		}
		checkCountry(o, "plate_country", s.Vehicle.PlateCountry, false)
	case event.KindVessel:
		s.Vessel = &event.Vessel{IMO: o.str("imo"), HIN: o.str("hin"), EngineSerials: o.strs("engine_serials"), Name: o.str("name")}
	case event.KindFirearm:
		s.Firearm = &event.Firearm{Serial: o.str("serial"), Make: o.str("make"), Model: o.str("model"), Calibre: o.str("calibre")}
	}
	o.finish()
	return s
}

func decodePerson(o *object) *event.Person {
	p := &event.Person{Surname: o.str("surname"), GivenNames: o.str("given_names"), FullName: o.str("full_name"),
		BirthDate: o.date("birth_date"), Nationality: o.str("nationality"), Sex: o.str("sex")}
	if p.FullName != "" && (p.Surname != "" || p.GivenNames != "") {
		o.fail("full_name", msgNameForm)
	}
	checkCountry(o, "nationality", p.Nationality, false)
	switch p.Sex {
	case "", "M", "F", "U":
	default:
		if o.ok("sex") {
			o.fail("sex", msgSex)
		}
	}
	for _, d := range o.objects("documents") {
		doc := event.Document{Type: d.str("type"), Number: d.str("number"), Issuer: d.str("issuer"), Expiry: d.date("expiry")}
		checkDocNumber(d, "number", doc.Number)
		checkDocType(d, doc.Type)
		checkCountry(d, "issuer", doc.Issuer, false)
		d.finish()
		p.Documents = append(p.Documents, doc)
	}
	return p
}

func allSubjectFields() []string {
	var out []string
	for _, fs := range subjectFields {
		out = append(out, fs...)
	}
	return out
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
