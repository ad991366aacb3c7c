package jsonl

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The CSV form of a list file maps each row to the JSONL object of the same record, so both
// forms share one validator and give identical records:
//
//   - The first row is a header naming the columns, in any order; a column missing from it
//     is a field absent from every record. Only id is required in the header.
//   - Columns are the database's JSONL fields. A person's names are the primary name's
//     surname, given_names and full_name (and weak: true or false) columns, plus an aliases
//     column (see below); names[0] is the primary name and names[i] the i-th alias.
//   - Values are trimmed of surrounding spaces; an empty cell is an absent field.
//   - List fields (birth_dates, nationalities, part_serials, engine_serials,
//     restricted_from, restricted_to, aliases) hold values separated by ';'.
//   - An alias is "SURNAME, GIVEN NAMES" (surname and given names split at the first
//     comma; "SURNAME," or ", GIVEN NAMES" give one of them) or, without a comma, a full
//     name. A leading '~' marks a weak alias (a nickname).
//
// Quoting follows RFC 4180 (encoding/csv): a value holding a comma, a quote or a line break
// is quoted, with inner quotes doubled. Blank rows are skipped.

// CSV columns of each database.
var (
	csvAccess         = []string{"owner", "restricted_from", "restricted_to"}
	csvDocument       = slices.Concat([]string{"id", "number", "number_to", "type", "issuer", "status"}, csvAccess)
	csvNominal        = slices.Concat([]string{"id", "surname", "given_names", "full_name", "weak", "aliases", "birth_dates", "nationalities", "sex"}, csvAccess)
	csvNotice         = slices.Concat([]string{"notice_type"}, csvNominal)
	csvTravelDocument = slices.Concat([]string{"id", "number", "type", "issuer", "notice_id"}, csvAccess)
	csvVehicle        = slices.Concat([]string{"id", "vin", "plate", "plate_country", "make", "model", "part_serials"}, csvAccess)
	csvVessel         = slices.Concat([]string{"id", "imo", "hin", "name", "engine_serials"}, csvAccess)
	csvFirearm        = slices.Concat([]string{"id", "serial", "make", "model", "calibre"}, csvAccess)
)

// csvListColumns hold ';'-separated values.
var csvListColumns = map[string]bool{
	"birth_dates": true, "nationalities": true, "part_serials": true, "engine_serials": true,
	"restricted_from": true, "restricted_to": true,
}

// csvPrimaryName are the columns of a person's primary name.
var csvPrimaryName = map[string]bool{"surname": true, "given_names": true, "full_name": true, "weak": true}

// CSV messages.
const (
	msgColumnUnknown  = "not a column of this database (or is the header row missing?)"
	msgColumnMiscased = "unknown column (column names are lower-case)"
	msgColumnTwice    = "column named twice"
	msgColumnRequired = "required column"
	msgBareQuote      = "a quote inside an unquoted value (quote the whole value and double inner quotes)"
	msgOpenQuote      = "a quoted value is not closed, or a quote is misplaced"
)

var errLineTooLong = errors.New("line too long")

// readCSV feeds every row of a CSV list file to c, after checking the header against
// columns. A bad header stops the file (every header problem is reported); a bad row is
// reported and reading goes on. It returns an error only when r fails.
func readCSV[T any](r io.Reader, c *collector[T], columns []string) error {
	lim := &lineLimiter{r: r}
	br := bufio.NewReaderSize(lim, 1<<16)
	if b, _ := br.Peek(3); bytes.Equal(b, []byte("\xef\xbb\xbf")) {
		_, _ = br.Discard(3) // a UTF-8 byte-order mark
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1 // counted here, to report the row and go on
	var header []string
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			if stop, ioErr := c.csvError(err, lim); stop {
				return ioErr
			}
			if header == nil {
				return nil // a header that cannot be parsed: its rows mean nothing
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if header == nil {
			if header = c.csvHeader(line, row, columns); header == nil {
				return nil
			}
			continue
		}
		c.csvRow(line, header, row)
	}
}

// csvError reports a CSV parse error at its line. It tells the caller to stop on a line
// over the limit (reported) and on a read failure (returned).
func (c *collector[T]) csvError(err error, lim *lineLimiter) (stop bool, ioErr error) {
	var pe *csv.ParseError
	switch {
	case errors.Is(err, errLineTooLong):
		c.report(lim.lines+1, []fieldError{{msg: msgLineTooLong}})
		return true, nil
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrBareQuote):
		c.report(pe.StartLine, []fieldError{{msg: msgBareQuote}})
	case errors.As(err, &pe) && errors.Is(pe.Err, csv.ErrQuote):
		c.report(pe.StartLine, []fieldError{{msg: msgOpenQuote}})
	default:
		return true, fmt.Errorf("reading %s after line %d: %w", c.name, lim.lines, err)
	}
	return false, nil
}

// csvHeader checks the header row and returns the column names, or nil after reporting
// every problem. A header cell is named in an error only when it is one of the database's
// column names, however cased: anything else could be a record's value (a file without a
// header row), so it is named by its position.
func (c *collector[T]) csvHeader(line int, row, columns []string) []string {
	var fe []fieldError
	header := make([]string, len(row))
	for i, h := range row {
		h = strings.TrimSpace(h)
		header[i] = h
		switch {
		case slices.Contains(columns, h):
			if slices.Index(header, h) < i {
				fe = append(fe, fieldError{path: h, msg: msgColumnTwice})
			}
		case asciiName(h) && slices.Contains(columns, strings.ToLower(h)):
			fe = append(fe, fieldError{path: h, msg: msgColumnMiscased})
		default:
			fe = append(fe, fieldError{path: "column " + strconv.Itoa(i+1), msg: msgColumnUnknown})
		}
	}
	if !slices.Contains(header, "id") {
		fe = append(fe, fieldError{path: "id", msg: msgColumnRequired})
	}
	if len(fe) > 0 {
		c.report(line, fe)
		return nil
	}
	return header
}

// csvRow turns one row into the JSONL object of its record and collects it.
func (c *collector[T]) csvRow(line int, header, row []string) {
	c.fe = c.fe[:0]
	switch {
	case blank(row):
		return
	case len(row) != len(header):
		c.fe = append(c.fe, fieldError{msg: fmt.Sprintf("%d values, want one per column (%d)", len(row), len(header))})
	default:
		if o := csvObject(header, row, &c.fe); o != nil {
			c.record(line, o)
		}
	}
	if len(c.fe) > 0 {
		c.report(line, c.fe)
	}
}

// asciiName reports whether s is 1 to 32 ASCII letters, digits and underscores.
func asciiName(s string) bool {
	if len(s) == 0 || len(s) > 32 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// csvObject builds the JSONL object of a row: strings, ';'-separated lists, and the names
// array from the primary-name and aliases columns.
func csvObject(header, row []string, errs *[]fieldError) *object {
	raw := map[string]json.RawMessage{}
	primary := map[string]json.RawMessage{}
	var aliases string
	for i, h := range header {
		v := strings.TrimSpace(row[i])
		if !utf8.ValidString(v) {
			*errs = append(*errs, fieldError{msg: msgBadUTF8})
			return nil
		}
		switch {
		case v == "":
		case h == "aliases":
			aliases = v
		case h == "weak" && (v == "true" || v == "false"):
			primary[h] = json.RawMessage(v)
		case csvPrimaryName[h]:
			primary[h] = jsonString(v)
		case csvListColumns[h]:
			raw[h] = jsonStrings(splitList(v))
		default:
			raw[h] = jsonString(v)
		}
	}
	if len(primary) > 0 || aliases != "" {
		names := []json.RawMessage{jsonObject(primary)}
		if aliases != "" {
			for _, a := range splitList(aliases) {
				names = append(names, jsonObject(alias(a)))
			}
		}
		raw["names"] = jsonArray(names)
	}
	return &object{raw: raw, errs: errs}
}

// alias parses one alias: "SURNAME, GIVEN NAMES" or a full name, weak with a leading '~'.
func alias(a string) map[string]json.RawMessage {
	n := map[string]json.RawMessage{}
	if rest, ok := strings.CutPrefix(a, "~"); ok {
		n["weak"] = json.RawMessage("true")
		a = strings.TrimSpace(rest)
	}
	surname, given, split := strings.Cut(a, ",")
	if !split {
		if a != "" {
			n["full_name"] = jsonString(a)
		}
		return n
	}
	if s := strings.TrimSpace(surname); s != "" {
		n["surname"] = jsonString(s)
	}
	if g := strings.TrimSpace(given); g != "" {
		n["given_names"] = jsonString(g)
	}
	return n
}

// splitList splits a ';'-separated cell, trimming each value; empty values stay, for the
// field's check to report.
func splitList(v string) []string {
	parts := strings.Split(v, ";")
	for i, p := range parts {
		parts[i] = strings.TrimSpace(p)
	}
	return parts
}

func jsonString(s string) json.RawMessage {
	b, _ := json.Marshal(s) // a valid UTF-8 string always marshals
	return b
}

func jsonStrings(ss []string) json.RawMessage {
	b, _ := json.Marshal(ss)
	return b
}

func jsonObject(m map[string]json.RawMessage) json.RawMessage {
	b, _ := json.Marshal(m) // values are valid JSON built here
	return b
}

func jsonArray(vs []json.RawMessage) json.RawMessage {
	b, _ := json.Marshal(vs)
	return b
}

// lineLimiter passes r through, counting line breaks, and fails once a line exceeds maxLine
// bytes, so that a file without line breaks cannot exhaust memory.
type lineLimiter struct {
	r     io.Reader
	lines int // complete lines read
	cur   int // bytes of the current line
}

func (l *lineLimiter) Read(p []byte) (int, error) {
	n, err := l.r.Read(p)
	for _, b := range p[:n] {
		if b == '\n' {
			l.lines++
			l.cur = 0
		} else if l.cur++; l.cur > maxLine {
			return 0, errLineTooLong
		}
	}
	return n, err
}
