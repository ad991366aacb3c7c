package schemas

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// EncodeSLTDRecord encodes an SLTD record; it must pass watchlist.Document.Validate.
func (s *Serde) EncodeSLTDRecord(d *watchlist.Document) ([]byte, error) {
	return encodeValue(s, kindSLTDRecord, d, validateSLTD, sltdNative)
}

// DecodeSLTDRecord decodes an SLTD record written with any known version. Errors are poison.
func (s *Serde) DecodeSLTDRecord(b []byte) (*watchlist.Document, error) {
	return decodeValue(s, kindSLTDRecord, b, readSLTD, validateSLTD)
}

// EncodeNoticeRecord encodes a notice or nominal record; it must pass
// watchlist.Person.Validate.
func (s *Serde) EncodeNoticeRecord(p *watchlist.Person) ([]byte, error) {
	return encodeValue(s, kindNoticeRecord, p, validateNotice, noticeNative)
}

// DecodeNoticeRecord decodes a notice or nominal record written with any known version.
// Errors are poison.
func (s *Serde) DecodeNoticeRecord(b []byte) (*watchlist.Person, error) {
	return decodeValue(s, kindNoticeRecord, b, readNotice, validateNotice)
}

// --- SLTD ---

func validateSLTD(d *watchlist.Document) error {
	if err := d.Validate(); err != nil {
		return fmt.Errorf("validating record: %w", oneLine(err))
	}
	return nil
}

func sltdNative(d *watchlist.Document) map[string]any {
	return map[string]any{
		"id":        d.ID,
		"number":    d.Number,
		"number_to": optString(d.NumberTo),
		"type":      optString(d.Type),
		"issuer":    d.Issuer,
		"status":    string(d.Status),
		"owner":     optString(d.Owner),
	}
}

func readSLTD(r *reader, o obj) *watchlist.Document {
	return &watchlist.Document{
		ID:       r.str(o, "id", true),
		Number:   r.str(o, "number", true),
		NumberTo: r.str(o, "number_to", false),
		Type:     r.str(o, "type", false),
		Issuer:   r.str(o, "issuer", true),
		Status:   watchlist.DocumentStatus(r.str(o, "status", true)),
		Owner:    r.str(o, "owner", false),
	}
}

// --- notices ---

func validateNotice(p *watchlist.Person) error {
	if err := p.Validate(); err != nil {
		return fmt.Errorf("validating record: %w", oneLine(err))
	}
	return nil
}

func noticeNative(p *watchlist.Person) map[string]any {
	names := make([]any, len(p.Names))
	for i := range p.Names {
		n := &p.Names[i]
		names[i] = map[string]any{
			"surname":     optString(n.Surname),
			"given_names": optString(n.GivenNames),
			"full_name":   optString(n.FullName),
			"weak":        n.Weak,
		}
	}
	dates := make([]any, len(p.BirthDates))
	for i, d := range p.BirthDates {
		dates[i] = optDate(d)
	}
	return map[string]any{
		"id":            p.ID,
		"notice_type":   optEnum(nameNoticeType, string(p.NoticeType)),
		"names":         names,
		"birth_dates":   dates,
		"nationalities": strs(p.Nationalities),
		"sex":           optString(p.Sex),
		"owner":         optString(p.Owner),
	}
}

func readNotice(r *reader, o obj) *watchlist.Person {
	p := &watchlist.Person{
		ID:            r.str(o, "id", true),
		NoticeType:    watchlist.NoticeType(r.str(o, "notice_type", false)),
		Nationalities: r.strings(o, "nationalities"),
		Sex:           r.str(o, "sex", false),
		Owner:         r.str(o, "owner", false),
	}
	if names := r.array(o, "names"); len(names) > 0 {
		p.Names = make([]watchlist.Name, len(names))
		for i, v := range names {
			n := r.asObj(v, o.l.elem("names", i))
			p.Names[i] = watchlist.Name{
				Surname:    r.str(n, "surname", false),
				GivenNames: r.str(n, "given_names", false),
				FullName:   r.str(n, "full_name", false),
				Weak:       r.boolean(n, "weak"),
			}
		}
	}
	if dates := r.array(o, "birth_dates"); len(dates) > 0 {
		p.BirthDates = make([]event.Date, len(dates))
		for i, v := range dates {
			p.BirthDates[i] = r.dateValue(v, o.l.elem("birth_dates", i))
		}
	}
	return p
}
