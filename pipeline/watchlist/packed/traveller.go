package packed

import (
	"time"

	"github.com/watchpost/watchpost/pipeline/event"
)

const formatTraveller = 'R'

// Traveller packs a screened person subject with where it was screened: what
// retro-screening keeps of each recent traveller. Only a person's identity and documents
// are kept (no PNR, no itinerary). It returns "" for a subject that is not a person.
func Traveller(s *event.Subject, c *event.Context) string {
	p := s.Person
	if p == nil {
		return ""
	}
	w := writer{b: make([]byte, 0, 128)}
	w.b = append(w.b, formatTraveller)
	for _, x := range []string{s.ID, s.EventID, string(s.Role), c.Source, c.Carrier, c.Flight, c.BorderPost, c.Country} {
		w.str(x)
	}
	w.uint(uint64(max(c.EventTime.UnixMicro(), 0)))
	for _, x := range []string{p.Surname, p.GivenNames, p.FullName, p.Sex, p.Nationality} {
		w.str(x)
	}
	w.date(p.BirthDate)
	w.uint(uint64(len(p.Documents)))
	for _, d := range p.Documents {
		w.str(d.Type)
		w.str(d.Number)
		w.str(d.Issuer)
		w.date(d.Expiry)
	}
	return string(w.b)
}

// UnpackTraveller decodes a packed traveller into its subject and context.
func UnpackTraveller(s string) (event.Subject, event.Context, error) {
	r := start(s, formatTraveller)
	sub := event.Subject{ID: r.str("subject_id"), EventID: r.str("event_id"), Kind: event.KindPerson, Role: event.Role(r.str("role"))}
	c := event.Context{Source: r.str("source"), Carrier: r.str("carrier"), Flight: r.str("flight"), BorderPost: r.str("border_post"), Country: r.str("country")}
	if us := r.uint("event_time"); us > 0 && us < 1<<62 {
		c.EventTime = time.UnixMicro(int64(us)).UTC()
	}
	p := &event.Person{Surname: r.str("surname"), GivenNames: r.str("given_names"), FullName: r.str("full_name"), Sex: r.str("sex"), Nationality: r.str("nationality")}
	p.BirthDate = r.date("birth_date")
	if n := r.count("documents"); n > 0 {
		p.Documents = make([]event.Document, n)
		for i := range p.Documents {
			p.Documents[i] = event.Document{Type: r.str("documents.type"), Number: r.str("documents.number"), Issuer: r.str("documents.issuer"), Expiry: r.date("documents.expiry")}
		}
	}
	sub.Person = p
	if err := r.end(); err != nil {
		return event.Subject{}, event.Context{}, err
	}
	return sub, c, nil
}
