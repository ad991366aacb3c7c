package mrz

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/normalize"
)

// ErrNotMRZ is the class of every error Parse returns: the input is not shaped like a
// machine-readable zone. Test with errors.Is; errors.As gives the *ShapeError with the place.
var ErrNotMRZ = errors.New("not a machine-readable zone")

// ShapeError says where the input stops looking like an MRZ. It never quotes the input.
type ShapeError struct {
	Line   int    // 1-based line, 0 when the error is about the whole input
	Column int    // 1-based column, 0 when the error is about the whole line
	Reason string // what is wrong, naming counts and expectations only
}

func (e *ShapeError) Error() string {
	switch {
	case e.Line == 0:
		return "mrz: " + e.Reason
	case e.Column == 0:
		return fmt.Sprintf("mrz: line %d: %s", e.Line, e.Reason)
	}
	return fmt.Sprintf("mrz: line %d column %d: %s", e.Line, e.Column, e.Reason)
}

// Unwrap makes every ShapeError match ErrNotMRZ.
func (e *ShapeError) Unwrap() error { return ErrNotMRZ }

// Check is one check digit: which field it protects, where the digit is (1-based line and
// column), the digit computed from the field, the character found, and whether they agree.
type Check struct {
	Field    string `json:"field"` // document_number, birth_date, expiry_date, optional_data, composite
	Line     int    `json:"line"`
	Column   int    `json:"column"`
	Expected string `json:"expected"`
	Found    string `json:"found"`
	Valid    bool   `json:"valid"`
}

// Hint points at a character that may have been misread (O/0, I/1, S/5, B/8, Z/2, G/6).
// Parse never applies a hint; Fixes lists the check digits that would pass if it were.
type Hint struct {
	Field    string   `json:"field"`
	Line     int      `json:"line"`
	Column   int      `json:"column"`
	Position int      `json:"position"` // 1-based position within Field
	Found    string   `json:"found"`
	Suggest  string   `json:"suggest"`
	Fixes    []string `json:"fixes,omitempty"`
	Message  string   `json:"message"`
}

// Result is a parsed MRZ. Text fields are in their MRZ form with fillers removed (names with
// single spaces); dates are partial when the MRZ says a part is unknown, and the zero Date
// when the field is unknown or unreadable. Valid is true exactly when every check digit is.
type Result struct {
	Format          string     `json:"format"`        // TD1, TD2, TD3, MRV-A or MRV-B
	DocumentCode    string     `json:"document_code"` // P, I, ID, V, AC, …
	Issuer          string     `json:"issuer"`        // normalize.Country of IssuerCode: D → DEU
	IssuerCode      string     `json:"issuer_code"`   // as printed
	Surname         string     `json:"surname"`       // primary identifier
	GivenNames      string     `json:"given_names"`   // secondary identifier
	NameTruncated   bool       `json:"name_truncated"`
	Number          string     `json:"number"` // reassembled when longer than nine characters
	Nationality     string     `json:"nationality"`
	NationalityCode string     `json:"nationality_code"`
	BirthDate       event.Date `json:"birth_date"`
	Expiry          event.Date `json:"expiry"`
	Sex             string     `json:"sex"`       // M, F or U
	Optional1       string     `json:"optional1"` // TD3: personal number; TD1: line 1 optional data
	Optional2       string     `json:"optional2"` // TD1: line 2 optional data
	Checks          []Check    `json:"checks"`
	Hints           []Hint     `json:"hints"`
	Warnings        []string   `json:"warnings"` // problems with the zone or the document; never personal data
	Notes           []string   `json:"notes"`    // how to read the fields: transliteration, special codes, partial dates
	Valid           bool       `json:"valid"`
}

// Person returns the holder and the document for screening. The document type is the
// document code.
func (r *Result) Person() event.Person {
	p := event.Person{
		Surname:     r.Surname,
		GivenNames:  r.GivenNames,
		BirthDate:   r.BirthDate,
		Sex:         r.Sex,
		Nationality: r.Nationality,
	}
	if r.Number != "" {
		p.Documents = []event.Document{{Type: r.DocumentCode, Number: r.Number, Issuer: r.Issuer, Expiry: r.Expiry}}
	}
	return p
}

// Parse reads a machine-readable zone. lines are the MRZ lines, or one string holding them
// separated by newlines (or run together); surrounding white space, blank lines and
// lower-case letters are tolerated and reported in Warnings. ref is the reference date for
// the centuries of the two-digit years: a birth date is never after ref, an expiry year lies
// within 50 years of it (the zero time means now).
//
// The error, always an ErrNotMRZ, is returned only when the input is not shaped like an MRZ;
// check digits that fail, unreadable dates and unknown codes are reported in the Result.
func Parse(lines []string, ref time.Time) (*Result, error) {
	if ref.IsZero() {
		ref = time.Now()
	}
	res := &Result{Checks: []Check{}, Hints: []Hint{}, Warnings: []string{}, Notes: []string{}}
	ls := prepare(lines, res)
	l, err := detect(ls)
	if err != nil {
		return nil, err
	}
	p := &parser{l: l, ref: ref, res: res}
	for _, s := range ls {
		p.lines = append(p.lines, []byte(s))
	}
	p.run()
	return res, nil
}

// prepare splits the input into lines, drops surrounding white space and blank lines and
// upper-cases ASCII letters, reporting each in res.Warnings.
func prepare(in []string, res *Result) []string {
	var out []string
	space := false
	for _, s := range in {
		parts := strings.Split(s, "\n")
		if len(parts) > 1 && parts[len(parts)-1] == "" {
			parts = parts[:len(parts)-1] // a final newline ends the last line
		}
		for _, part := range parts {
			part = strings.TrimSuffix(part, "\r")
			t := strings.TrimSpace(part)
			if t != part {
				space = true
			}
			if t != "" {
				out = append(out, t)
			}
		}
	}
	if space {
		res.Warnings = append(res.Warnings, "input: surrounding white space or blank lines removed")
	}
	for i, s := range out {
		if strings.ContainsFunc(s, func(r rune) bool { return r >= 'a' && r <= 'z' }) {
			out[i] = strings.Map(func(r rune) rune {
				if r >= 'a' && r <= 'z' {
					return r - 'a' + 'A'
				}
				return r
			}, s)
			res.Warnings = append(res.Warnings, fmt.Sprintf("line %d: lower-case letters read as upper case", i+1))
		}
	}
	if len(out) == 1 {
		n := len(out[0])
		for _, f := range []struct{ lines, width int }{{3, 30}, {2, 36}, {2, 44}} {
			if n == f.lines*f.width && utf8.RuneCountInString(out[0]) == n {
				s := out[0]
				out = out[:0]
				for i := 0; i < f.lines; i++ {
					out = append(out, s[i*f.width:(i+1)*f.width])
				}
				res.Warnings = append(res.Warnings, fmt.Sprintf("input: one line of %d characters read as %d lines of %d", n, f.lines, f.width))
				break
			}
		}
	}
	return out
}

// detect checks the shape of the lines and picks the layout.
func detect(ls []string) (*layout, error) {
	width := func(i int) int { return utf8.RuneCountInString(ls[i]) }
	var want int
	switch len(ls) {
	case 0:
		return nil, &ShapeError{Reason: "no lines"}
	case 1:
		return nil, &ShapeError{Line: 1, Reason: fmt.Sprintf("a single line of %d characters; want 2 lines of 36 or 44, or 3 lines of 30", width(0))}
	case 2:
		switch {
		case width(0) == 36 || width(0) == 44:
			want = width(0)
		case width(1) == 36 || width(1) == 44:
			want = width(1)
		default:
			reason := fmt.Sprintf("%d characters; want 36 (TD2, MRV-B) or 44 (TD3, MRV-A)", width(0))
			if width(0) == 30 {
				reason += "; a TD1 of 30 characters a line has 3 lines"
			}
			return nil, &ShapeError{Line: 1, Reason: reason}
		}
		for i := range ls {
			if width(i) != want {
				return nil, &ShapeError{Line: i + 1, Reason: fmt.Sprintf("%d characters; want %d like the other line", width(i), want)}
			}
		}
	case 3:
		want = 30
		for i := range ls {
			if width(i) != want {
				return nil, &ShapeError{Line: i + 1, Reason: fmt.Sprintf("%d characters; want 30 (TD1)", width(i))}
			}
		}
	default:
		return nil, &ShapeError{Reason: fmt.Sprintf("%d lines; want 2 (TD2, TD3, MRV-A, MRV-B) or 3 (TD1)", len(ls))}
	}
	for i, s := range ls {
		col := 0
		for _, r := range s {
			col++
			if _, ok := charValue(byte(r)); !ok || r >= utf8.RuneSelf {
				reason := "character outside the MRZ alphabet (A-Z, 0-9, <)"
				if r == ' ' || r == '\t' {
					reason = "white space inside an MRZ line"
				}
				return nil, &ShapeError{Line: i + 1, Column: col, Reason: reason}
			}
		}
	}
	switch {
	case len(ls) == 3:
		return &td1, nil
	case want == 36 && ls[0][0] == 'V':
		return &mrvb, nil
	case want == 36:
		return &td2, nil
	case ls[0][0] == 'V':
		return &mrva, nil
	default:
		return &td3, nil
	}
}

// checkDef is one check digit to verify: the field it covers (one or more spans, in order)
// and where the digit is.
type checkDef struct {
	field    string
	data     []span
	digit    pos
	fillerOK bool // '<' is accepted as the digit when the data is all fillers
}

// namedSpan names a field for hints; offset is the field position of span.start.
type namedSpan struct {
	name   string
	sp     span
	offset int
	kind   charKind
}

// charKind is what a field may hold, for the OCR hints.
type charKind int

const (
	kindAlnum   charKind = iota // letters and digits (document number, optional data)
	kindNumeric                 // digits and fillers (dates, check digits)
	kindAlpha                   // letters and fillers (codes, names)
	kindOther                   // not hinted (sex, filler markers)
)

// parser holds one parse.
type parser struct {
	l      *layout
	lines  [][]byte
	ref    time.Time
	res    *Result
	defs   []checkDef
	fields []namedSpan
}

func (p *parser) at(q pos) byte { return p.lines[q.line][q.col] }

func (p *parser) str(s span) string { return string(p.lines[s.line][s.start:s.end]) }

func (p *parser) warn(format string, args ...any) {
	p.res.Warnings = append(p.res.Warnings, fmt.Sprintf(format, args...))
}

func (p *parser) note(format string, args ...any) {
	p.res.Notes = append(p.res.Notes, fmt.Sprintf(format, args...))
}

// where renders a span for warnings: "line 2 columns 14-19".
func where(s span) string {
	if s.end-s.start == 1 {
		return fmt.Sprintf("line %d column %d", s.line+1, s.start+1)
	}
	return fmt.Sprintf("line %d columns %d-%d", s.line+1, s.start+1, s.end)
}

func trimFillers(s string) string { return strings.Trim(s, "<") }

func (p *parser) run() {
	l, r := p.l, p.res
	r.Format = l.format
	r.DocumentCode = trimFillers(p.str(l.code))
	p.documentCode()

	r.IssuerCode = trimFillers(p.str(l.issuer))
	r.Issuer = normalize.Country(r.IssuerCode)
	p.country("issuer", r.IssuerCode, l.issuer)

	r.Surname, r.GivenNames, r.NameTruncated = splitName(p.str(l.name))
	if r.NameTruncated {
		p.warn("name (%s): the field is full, so the name may be truncated", where(l.name))
	}
	if r.Surname == "" {
		p.warn("name (%s): no primary identifier", where(l.name))
	}

	p.number()

	r.NationalityCode = trimFillers(p.str(l.nationality))
	r.Nationality = normalize.Country(r.NationalityCode)
	p.country("nationality", r.NationalityCode, l.nationality)

	r.BirthDate = p.date("birth_date", l.birth, birthDate)
	r.Expiry = p.date("expiry_date", l.expiry, expiryDate)
	p.sex()

	p.field("birth_date", l.birth, 0, kindNumeric)
	p.field("birth_date_check", l.birthCheck.span(), 0, kindNumeric)
	p.field("expiry_date", l.expiry, 0, kindNumeric)
	p.field("expiry_date_check", l.expiryCheck.span(), 0, kindNumeric)
	p.field("document_code", l.code, 0, kindAlpha)
	p.field("issuer", l.issuer, 0, kindAlpha)
	p.field("nationality", l.nationality, 0, kindAlpha)
	p.field("name", l.name, 0, kindAlpha)
	p.field("sex", l.sex.span(), 0, kindOther)
	p.defs = append(p.defs,
		checkDef{field: "birth_date", data: []span{l.birth}, digit: l.birthCheck, fillerOK: true},
		checkDef{field: "expiry_date", data: []span{l.expiry}, digit: l.expiryCheck, fillerOK: true},
	)
	if l.optional1Check.ok() {
		p.defs = append(p.defs, checkDef{field: "optional_data", data: []span{l.optional1}, digit: l.optional1Check, fillerOK: true})
		p.field("optional_data_check", l.optional1Check.span(), 0, kindNumeric)
	}
	if l.hasOptional2 {
		r.Optional2 = trimFillers(p.str(l.optional2))
		p.field("optional_data_2", l.optional2, 0, kindAlnum)
	}
	if l.composite.ok() {
		p.defs = append(p.defs, checkDef{field: "composite", data: l.compositeSpans, digit: l.composite})
		p.field("composite_check", l.composite.span(), 0, kindNumeric)
	}

	r.Valid = true
	for _, d := range p.defs {
		c := p.evaluate(d)
		r.Checks = append(r.Checks, c)
		r.Valid = r.Valid && c.Valid
	}
	p.hints()
	p.consistency()

	cyr := cyrillicStates[r.Issuer] || cyrillicStates[r.Nationality]
	if n := transliterationNote("surname", r.Surname, cyr); n != "" {
		r.Notes = append(r.Notes, n)
	}
	if n := transliterationNote("given_names", r.GivenNames, cyr); n != "" {
		r.Notes = append(r.Notes, n)
	}
}

func (p *parser) field(name string, s span, offset int, kind charKind) {
	p.fields = append(p.fields, namedSpan{name: name, sp: s, offset: offset, kind: kind})
}

// documentCode warns about a document code that does not belong to the format.
func (p *parser) documentCode() {
	c := p.at(pos{p.l.code.line, p.l.code.start})
	var want string
	switch p.l.format {
	case FormatTD3:
		want = "P"
	case FormatMRVA, FormatMRVB:
		want = "V"
	default:
		want = "ACI"
	}
	if !strings.ContainsRune(want, rune(c)) {
		p.warn("document_code (%s): first character is not %s, as %s documents use", where(p.l.code), strings.Join(strings.Split(want, ""), ", "), p.l.format)
	}
	if p.l.format == FormatTD2 && p.str(p.l.code) == "ID" && p.str(p.l.issuer) == "FRA" {
		p.warn("document_code: a French identity card issued before 2021 uses its own 2x36 layout, not ICAO TD2; its fields are not reliable here")
	}
}

// country explains an issuer or nationality code.
func (p *parser) country(field, code string, s span) {
	if code == "" {
		p.warn("%s (%s): empty", field, where(s))
		return
	}
	c, ok := LookupCode(code)
	switch {
	case !ok:
		p.warn("%s (%s): neither an ISO 3166-1 alpha-3 code nor an ICAO 9303 code", field, where(s))
	case c.Special && c.ISO != "":
		p.note("%s code %s: %s (ISO 3166-1 country %s)", field, code, c.Name, c.ISO)
	case c.Special:
		p.note("%s code %s: %s (no ISO 3166-1 country)", field, code, c.Name)
	}
}

// number reads the document number, applying the TD1/TD2 rule for numbers longer than nine
// characters, and sets up its check digit and the optional data.
func (p *parser) number() {
	l, r := p.l, p.res
	data := []span{l.number}
	digit := l.numberCheck
	opt := l.optional1
	p.field("document_number", l.number, 0, kindAlnum)
	numberText := p.str(l.number)
	if p.at(l.numberCheck) == '<' {
		switch {
		case !l.longNumber:
			p.warn("document_number (%s): the check digit position holds a filler; longer document numbers continue in the optional data only on TD1 and TD2", where(l.numberCheck.span()))
		case p.at(pos{opt.line, opt.start}) == '<':
			p.warn("document_number (%s): the check digit position holds a filler but the optional data does not continue the number", where(l.numberCheck.span()))
		default:
			text := p.str(opt)
			idx := strings.IndexByte(text, '<')
			if idx < 0 {
				idx = len(text)
			}
			// text[:idx-1] continues the number, text[idx-1] is the check digit of the whole.
			ext := span{opt.line, opt.start, opt.start + idx - 1}
			data = append(data, ext)
			digit = pos{opt.line, opt.start + idx - 1}
			opt = span{opt.line, min(opt.start+idx+1, opt.end), opt.end} // after the filler that ends the number
			numberText += p.str(ext)
			p.field("document_number", ext, l.number.end-l.number.start, kindAlnum)
			p.field("document_number_check", l.numberCheck.span(), 0, kindOther)
			p.note("document_number is longer than nine characters: it continues in the optional data (%s), as ICAO 9303 allows on %s", where(span{ext.line, ext.start, digit.col + 1}), l.format)
		}
	}
	p.field("document_number_check", digit.span(), 0, kindNumeric)
	if opt.end > opt.start {
		p.field("optional_data", opt, 0, kindAlnum)
	}
	r.Number = strings.TrimRight(numberText, "<")
	if strings.Contains(r.Number, "<") {
		p.warn("document_number (%s): fillers inside the number", where(l.number))
	}
	if r.Number == "" {
		p.warn("document_number (%s): empty", where(l.number))
	}
	if opt.end > opt.start {
		r.Optional1 = trimFillers(p.str(opt))
	}
	p.defs = append(p.defs, checkDef{field: "document_number", data: data, digit: digit})
}

func (p *parser) date(field string, s span, kind dateKind) event.Date {
	d, problem := parseDate(p.str(s), kind, p.ref)
	if problem != "" {
		p.warn("%s (%s): %s", field, where(s), problem)
	}
	switch d.Precision() {
	case 0:
		if problem == "" {
			p.note("%s is unknown", field)
		}
	case 1:
		p.note("%s is partial: year only", field)
	case 2:
		p.note("%s is partial: year and month only", field)
	}
	return d
}

func (p *parser) sex() {
	switch c := p.at(p.l.sex); c {
	case 'M', 'F':
		p.res.Sex = string(c)
	case '<', 'X':
		p.res.Sex = "U"
	default:
		p.res.Sex = "U"
		p.warn("sex (%s): neither M, F, X nor a filler; read as unspecified", where(p.l.sex.span()))
	}
}

// consistency reports what the check digits cannot see: dates out of order, an expired
// document.
func (p *parser) consistency() {
	r := p.res
	b, e := r.BirthDate, r.Expiry
	if b.Precision() > 0 && e.Precision() > 0 && dateBefore(e, b) {
		p.warn("expiry_date is before birth_date")
	}
	y, m, d := p.ref.Date()
	if e.Precision() > 0 && dateBefore(e, event.Date{Year: y, Month: int(m), Day: d}) {
		p.warn("expiry_date: the document expired before the reference date")
	}
}

// dateBefore reports whether a is certainly before b, comparing at the precision both have.
func dateBefore(a, b event.Date) bool {
	if a.Year != b.Year {
		return a.Year < b.Year
	}
	if a.Month == 0 || b.Month == 0 || a.Month != b.Month {
		return a.Month != 0 && b.Month != 0 && a.Month < b.Month
	}
	return a.Day != 0 && b.Day != 0 && a.Day < b.Day
}

// compute returns the check digit of a definition's data as it stands.
func (p *parser) compute(d checkDef) (digit byte, allFillers bool) {
	sum, i := 0, 0
	allFillers = true
	for _, s := range d.data {
		for _, c := range p.lines[s.line][s.start:s.end] {
			v, _ := charValue(c) // the alphabet was checked by detect
			sum += v * weights[i%3]
			i++
			allFillers = allFillers && c == '<'
		}
	}
	return byte('0' + sum%10), allFillers
}

func (p *parser) valid(d checkDef) bool {
	want, fillers := p.compute(d)
	got := p.at(d.digit)
	return got == want || (d.fillerOK && fillers && got == '<')
}

func (p *parser) evaluate(d checkDef) Check {
	want, fillers := p.compute(d)
	got := p.at(d.digit)
	c := Check{Field: d.field, Line: d.digit.line + 1, Column: d.digit.col + 1, Expected: string(want), Found: string(got)}
	if d.fillerOK && fillers && got == '<' {
		c.Expected = "<"
	}
	c.Valid = c.Expected == c.Found
	return c
}
