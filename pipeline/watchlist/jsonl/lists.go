package jsonl

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/index"
	"github.com/watchpost/watchpost/pipeline/normalize"
	"github.com/watchpost/watchpost/pipeline/watchlist"
)

// File names in a lists directory, one per database.
const (
	FileSLTD     = "sltd.jsonl"
	FileNotices  = "notices.jsonl"
	FileNominals = "nominals.jsonl"
	FileTDAWN    = "tdawn.jsonl"
	FileVehicles = "vehicles.jsonl"
	FileVessels  = "vessels.jsonl"
	FileFirearms = "firearms.jsonl"
)

// MaxErrorsPerFile is how many errors ReadDir lists per file; the rest are counted in one
// closing error.
const MaxErrorsPerFile = 1000

// maxLine bounds one line.
const maxLine = 16 << 20

// maxField is the longest value a record field may hold (the index's compact layout).
const maxField = 255

// ReadDir reads every list file of dir into a Set. A missing file is an empty database; dir
// itself must exist. Every file is read completely; if any line of any file is bad, the
// result is nil and the error joins every problem found (at most MaxErrorsPerFile listed per
// file), each as "FILE:LINE: FIELD: MESSAGE" — never a value.
func ReadDir(dir string) (*watchlist.Set, error) {
	if st, err := os.Stat(dir); err != nil {
		return nil, fmt.Errorf("reading lists directory: %w", err)
	} else if !st.IsDir() {
		return nil, errors.New("reading lists directory: not a directory")
	}
	set := &watchlist.Set{}
	var errs []error
	read := func(name string, fn func(io.Reader) error) {
		f, err := os.Open(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("reading %s: %w", name, err))
			return
		}
		defer f.Close()
		if err := fn(f); err != nil {
			errs = append(errs, err)
		}
	}
	read(FileSLTD, func(r io.Reader) (err error) { set.Documents, err = ReadDocuments(r, FileSLTD); return })
	read(FileNotices, func(r io.Reader) (err error) { set.Notices, err = ReadNotices(r, FileNotices); return })
	read(FileNominals, func(r io.Reader) (err error) { set.Nominals, err = ReadNominals(r, FileNominals); return })
	read(FileTDAWN, func(r io.Reader) (err error) { set.TDAWN, err = ReadTDAWN(r, FileTDAWN); return })
	read(FileVehicles, func(r io.Reader) (err error) { set.Vehicles, err = ReadVehicles(r, FileVehicles); return })
	read(FileVessels, func(r io.Reader) (err error) { set.Vessels, err = ReadVessels(r, FileVessels); return })
	read(FileFirearms, func(r io.Reader) (err error) { set.Firearms, err = ReadFirearms(r, FileFirearms); return })
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return set, nil
}

// Format is the encoding of a list file.
type Format string

// Formats of list files.
const (
	FormatJSONL Format = "jsonl" // one JSON object per line
	FormatCSV   Format = "csv"   // a header row naming the fields, then one record per row (see csv.go)
)

// Options changes how Read reads a list file. The zero value reads JSONL as ReadDir does.
type Options struct {
	Format Format // default FormatJSONL
	// Owner, when set, is the country the reader loads for (a loader's credentials): a
	// record without an owner gets it, a record of another owner is an error, and SLTD and
	// TDAWN documents must also be issued by it (only the issuing country may add its
	// documents). Records then carry Owner exactly, whatever the spelling in the file.
	Owner string
}

// List is one database's records, read from one file.
type List struct {
	Name string         // the file name errors use
	DB   event.Database // the database
	Set  *watchlist.Set // DB's records, in file order; every other database is empty
	// Lines is the line each record id was read from, to locate later problems.
	Lines map[string]int
}

// Read reads one database's list file (name is used in errors) as opts say. Parsing is as
// strict as ReadDir's, and every bad line is reported: on any error Read returns no list and
// the error joins every problem ("NAME:LINE: FIELD: MESSAGE", never a value).
func Read(r io.Reader, name string, db event.Database, opts Options) (*List, error) {
	if opts.Owner != "" && !alpha3(opts.Owner) {
		return nil, fmt.Errorf("reading %s: owner: want an upper-case ISO 3166 alpha-3 code", name)
	}
	l := &List{Name: name, DB: db, Set: &watchlist.Set{}}
	var err error
	switch db {
	case event.DBSLTD:
		l.Set.Documents, l.Lines, err = readFile(r, name, opts, csvDocument, decodeDocument)
	case event.DBNotices:
		l.Set.Notices, l.Lines, err = readFile(r, name, opts, csvNotice, decodeNotice)
	case event.DBNominals:
		l.Set.Nominals, l.Lines, err = readFile(r, name, opts, csvNominal, decodeNominal)
	case event.DBTDAWN:
		l.Set.TDAWN, l.Lines, err = readFile(r, name, opts, csvTravelDocument, decodeTravelDocument)
	case event.DBVehicles:
		l.Set.Vehicles, l.Lines, err = readFile(r, name, opts, csvVehicle, decodeVehicle)
	case event.DBVessels:
		l.Set.Vessels, l.Lines, err = readFile(r, name, opts, csvVessel, decodeVessel)
	case event.DBFirearms:
		l.Set.Firearms, l.Lines, err = readFile(r, name, opts, csvFirearm, decodeFirearm)
	default:
		return nil, fmt.Errorf("reading %s: unknown database %q", name, db)
	}
	if err != nil {
		return nil, err
	}
	return l, nil
}

// ReadDocuments reads an SLTD file (name is used in errors). On any error it returns no
// records.
func ReadDocuments(r io.Reader, name string) ([]watchlist.Document, error) {
	return readAll(r, name, decodeDocument)
}

func decodeDocument(o *object) (watchlist.Document, string) {
	d := watchlist.Document{ID: o.str("id"), Number: o.str("number"), NumberTo: o.str("number_to"), Type: o.str("type"),
		Issuer: o.str("issuer"), Status: watchlist.DocumentStatus(o.str("status")), Access: readAccess(o)}
	checkID(o, d.ID)
	checkDocNumber(o, "number", d.Number)
	if o.has("number_to") && o.ok("number_to") && (index.DocumentNumberLen(d.NumberTo) == 0 || !index.DocumentRangeValid(d.Number, d.NumberTo)) {
		o.fail("number_to", msgRange)
	}
	checkDocType(o, d.Type)
	checkIssuer(o, "issuer", d.Issuer, true)
	switch d.Status {
	case watchlist.StatusStolen, watchlist.StatusLost, watchlist.StatusStolenBlank, watchlist.StatusRevoked, watchlist.StatusInvalidated:
	default:
		if o.ok("status") {
			o.fail("status", msgStatus)
		}
	}
	d.Owner = readOwner(o)
	checkIssuedByOwner(o, d.Issuer)
	return d, d.ID
}

// ReadNotices reads a notices file. On any error it returns no records.
func ReadNotices(r io.Reader, name string) ([]watchlist.Person, error) {
	return readAll(r, name, decodeNotice)
}

func decodeNotice(o *object) (watchlist.Person, string) {
	p := readPerson(o)
	p.NoticeType = watchlist.NoticeType(o.str("notice_type"))
	switch p.NoticeType {
	case watchlist.NoticeRed, watchlist.NoticeYellow, watchlist.NoticeBlue, watchlist.NoticeGreen, watchlist.NoticeUNSpecial,
		watchlist.NoticeBlack, watchlist.NoticeOrange, watchlist.NoticePurple:
	default:
		if o.ok("notice_type") {
			o.fail("notice_type", msgNoticeType)
		}
	}
	return p, p.ID
}

// ReadNominals reads a nominal-data file (persons without a notice type). On any error it
// returns no records.
func ReadNominals(r io.Reader, name string) ([]watchlist.Person, error) {
	return readAll(r, name, decodeNominal)
}

func decodeNominal(o *object) (watchlist.Person, string) {
	p := readPerson(o)
	return p, p.ID
}

func readPerson(o *object) watchlist.Person {
	p := watchlist.Person{ID: o.str("id"), Sex: o.str("sex"), Access: readAccess(o)}
	checkID(o, p.ID)
	for i, n := range o.objects("names") {
		name := watchlist.Name{Surname: n.str("surname"), GivenNames: n.str("given_names"), FullName: n.str("full_name"), Weak: n.boolean("weak")}
		n.finish()
		split := strings.TrimSpace(name.Surname) != "" || strings.TrimSpace(name.GivenNames) != ""
		full := strings.TrimSpace(name.FullName) != ""
		if split == full && n.ok("surname") && n.ok("given_names") && n.ok("full_name") {
			o.fail("names["+strconv.Itoa(i)+"]", msgNameForm)
		}
		p.Names = append(p.Names, name)
	}
	if !o.has("names") {
		o.fail("names", msgRequired)
	} else if o.ok("names") && len(p.Names) == 0 {
		o.fail("names", msgNoName)
	}
	p.BirthDates = o.dates("birth_dates")
	p.Nationalities = o.strs("nationalities")
	for i, c := range p.Nationalities {
		checkCountry(o, "nationalities["+strconv.Itoa(i)+"]", c, true)
	}
	switch p.Sex {
	case "", "M", "F", "U":
	default:
		o.fail("sex", msgSex)
	}
	p.Owner = readOwner(o)
	return p
}

// ReadTDAWN reads a TDAWN file. On any error it returns no records.
func ReadTDAWN(r io.Reader, name string) ([]watchlist.TravelDocument, error) {
	return readAll(r, name, decodeTravelDocument)
}

func decodeTravelDocument(o *object) (watchlist.TravelDocument, string) {
	d := watchlist.TravelDocument{ID: o.str("id"), Number: o.str("number"), Type: o.str("type"), Issuer: o.str("issuer"), NoticeID: o.str("notice_id"), Access: readAccess(o)}
	checkID(o, d.ID)
	checkDocNumber(o, "number", d.Number)
	checkDocType(o, d.Type)
	checkIssuer(o, "issuer", d.Issuer, true)
	if strings.TrimSpace(d.NoticeID) == "" && o.ok("notice_id") {
		o.fail("notice_id", msgRequired)
	}
	d.Owner = readOwner(o)
	checkIssuedByOwner(o, d.Issuer)
	return d, d.ID
}

// ReadVehicles reads a stolen-vehicles file. On any error it returns no records.
func ReadVehicles(r io.Reader, name string) ([]watchlist.Vehicle, error) {
	return readAll(r, name, decodeVehicle)
}

func decodeVehicle(o *object) (watchlist.Vehicle, string) {
	v := watchlist.Vehicle{ID: o.str("id"), VIN: o.str("vin"), Plate: o.str("plate"), PlateCountry: o.str("plate_country"),
		Make: o.str("make"), Model: o.str("model"), PartSerials: o.strs("part_serials"), Access: readAccess(o)}
	checkID(o, v.ID)
	if v.VIN != "" {
		if c := index.VIN(v.VIN); len(c) < index.MinVINLen || strings.ContainsRune(c, index.Unreadable) {
			o.fail("vin", msgVIN)
		}
	}
	if v.Plate != "" && index.Plate(v.Plate) == "" {
		o.fail("plate", msgEmpty)
	}
	checkCountry(o, "plate_country", v.PlateCountry, false)
	checkSerials(o, "part_serials", v.PartSerials)
	if v.VIN == "" && v.Plate == "" && len(v.PartSerials) == 0 && o.ok("vin") && o.ok("plate") && o.ok("part_serials") {
		o.fail("vin", msgIdentifier)
	}
	checkLength(o, "vin", index.VIN(v.VIN))
	checkLength(o, "plate", index.Plate(v.Plate))
	checkLength(o, "make", index.VehicleMake(v.Make))
	checkLength(o, "model", index.Model(v.Model))
	v.Owner = readOwner(o)
	return v, v.ID
}

// ReadVessels reads a stolen-vessels file. On any error it returns no records.
func ReadVessels(r io.Reader, name string) ([]watchlist.Vessel, error) {
	return readAll(r, name, decodeVessel)
}

func decodeVessel(o *object) (watchlist.Vessel, string) {
	v := watchlist.Vessel{ID: o.str("id"), IMO: o.str("imo"), HIN: o.str("hin"), Name: o.str("name"), EngineSerials: o.strs("engine_serials"), Access: readAccess(o)}
	checkID(o, v.ID)
	if v.IMO != "" && !sevenDigits(index.IMO(v.IMO)) {
		o.fail("imo", msgIMO)
	}
	if v.HIN != "" && len(index.HIN(v.HIN)) < index.MinHINLen {
		o.fail("hin", msgHIN)
	}
	checkSerials(o, "engine_serials", v.EngineSerials)
	if v.IMO == "" && v.HIN == "" && len(v.EngineSerials) == 0 && o.ok("imo") && o.ok("hin") && o.ok("engine_serials") {
		o.fail("imo", msgVesselIdent)
	}
	checkLength(o, "hin", index.HIN(v.HIN))
	checkLength(o, "name", index.VesselName(v.Name))
	v.Owner = readOwner(o)
	return v, v.ID
}

// checkSerials checks a list of part or engine serials: each long enough to identify a part
// and within the index's field limit, and at most 255 of them.
func checkSerials(o *object, key string, serials []string) {
	for i, s := range serials {
		c := index.Serial(s)
		if len(c) < index.MinSerialLen {
			o.fail(key+"["+strconv.Itoa(i)+"]", msgSerial)
		}
		checkLength(o, key+"["+strconv.Itoa(i)+"]", c)
	}
	if len(serials) > 255 {
		o.fail(key, msgTooMany)
	}
}

func sevenDigits(s string) bool {
	if len(s) != 7 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// ReadFirearms reads an iARMS file. On any error it returns no records.
func ReadFirearms(r io.Reader, name string) ([]watchlist.Firearm, error) {
	return readAll(r, name, decodeFirearm)
}

func decodeFirearm(o *object) (watchlist.Firearm, string) {
	f := watchlist.Firearm{ID: o.str("id"), Serial: o.str("serial"), Make: o.str("make"), Model: o.str("model"), Calibre: o.str("calibre"), Access: readAccess(o)}
	checkID(o, f.ID)
	switch {
	case !o.has("serial"):
		o.fail("serial", msgRequired)
	case o.ok("serial") && len(index.Serial(f.Serial)) < index.MinFirearmSerialLen:
		o.fail("serial", msgFirearmSer)
	}
	checkLength(o, "serial", index.Serial(f.Serial))
	checkLength(o, "make", index.FirearmMake(f.Make))
	checkLength(o, "model", index.Model(f.Model))
	checkLength(o, "calibre", index.Calibre(f.Calibre))
	f.Owner = readOwner(o)
	return f, f.ID
}

// readOwner reads the owner field. Without a loader's owner (Options.Owner) it is required
// and kept as written. With one, an absent owner becomes it, another owner is an error, and
// the record carries the loader's owner exactly.
func readOwner(o *object) string {
	v := o.str("owner")
	if o.owner == "" {
		checkCountry(o, "owner", v, true)
		return v
	}
	switch c := normalize.Country(v); {
	case !o.ok("owner"):
		return v
	case v == "" || c == o.owner:
		return o.owner
	case len(v) > 3 || !alpha3(c):
		o.fail("owner", msgCountry)
	default:
		o.fail("owner", msgOtherOwner)
	}
	return v
}

// checkIssuedByOwner refuses, when reading for a loader's owner, a document another country
// issued: only the issuing country may add its documents.
func checkIssuedByOwner(o *object, issuer string) {
	if o.owner != "" && issuer != "" && o.ok("issuer") && normalize.Country(issuer) != o.owner {
		o.fail("issuer", msgOtherIssuer)
	}
}

// readAccess reads the owner's restrictions: upper-case ISO 3166 alpha-3 codes, as
// event.Access requires.
func readAccess(o *object) event.Access {
	a := event.Access{RestrictedFrom: o.strs("restricted_from"), RestrictedTo: o.strs("restricted_to")}
	for _, f := range []struct {
		key string
		cs  []string
	}{{"restricted_from", a.RestrictedFrom}, {"restricted_to", a.RestrictedTo}} {
		for i, c := range f.cs {
			if !alpha3(c) {
				o.fail(f.key+"["+strconv.Itoa(i)+"]", msgCountryUpper)
			}
		}
	}
	return a
}

func checkID(o *object, id string) {
	switch {
	case !o.ok("id"):
	case strings.TrimSpace(id) == "":
		o.fail("id", msgRequired)
	case len(id) > maxField:
		o.fail("id", msgTooLong)
	}
}

func checkDocNumber(o *object, key, number string) {
	switch n := index.DocumentNumberLen(number); {
	case !o.ok(key):
	case !o.has(key):
		o.fail(key, msgRequired)
	case n == 0 || n > index.MaxDocumentNumberLen:
		o.fail(key, msgDocNumber)
	}
}

// checkLength reports a canonical value over the index's field limit.
func checkLength(o *object, key, canonical string) {
	if len(canonical) > maxField && o.ok(key) {
		o.fail(key, msgTooLong)
	}
}

func checkDocType(o *object, typ string) {
	if typ == "" {
		return
	}
	if t := normalize.DocNumber(typ); t == "" || len(typ) > 3 || t[0] < 'A' || t[0] > 'Z' {
		o.fail("type", msgDocumentType)
	}
}

// checkIssuer accepts a three-character issuing country, MRZ fillers included ("D<<").
func checkIssuer(o *object, key, v string, required bool) {
	if !o.ok(key) {
		return
	}
	if v == "" {
		if required {
			o.fail(key, msgRequired)
		}
		return
	}
	if len(v) != 3 || !alpha3(normalize.Country(v)) {
		o.fail(key, msgCountry)
	}
}

func checkCountry(o *object, key, v string, required bool) {
	if !o.ok(key) {
		return
	}
	if v == "" {
		if required {
			o.fail(key, msgRequired)
		}
		return
	}
	if len(v) > 3 || !alpha3(normalize.Country(v)) {
		o.fail(key, msgCountry)
	}
}

func alpha3(c string) bool {
	return len(c) == 3 && c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z'
}

// collector gathers one file's records, or every error of the file: it decodes each object
// with decode (which returns the record and its id), checks ids for duplicates, and renders
// errors with the file name and line.
type collector[T any] struct {
	name   string
	owner  string // Options.Owner
	decode func(*object) (T, string)
	out    []T
	errs   []error
	extra  int            // errors beyond MaxErrorsPerFile
	ids    map[string]int // id -> line of the record that has it
	fe     []fieldError
}

func newCollector[T any](name string, opts Options, decode func(*object) (T, string)) *collector[T] {
	return &collector[T]{name: name, owner: opts.Owner, decode: decode, ids: map[string]int{}}
}

// report records a line's errors.
func (c *collector[T]) report(line int, fe []fieldError) {
	if len(c.errs) < MaxErrorsPerFile {
		c.errs = append(c.errs, formatErrors(c.name, line, fe))
	} else {
		c.extra++
	}
}

// record decodes the object read from line; its errors are in c.fe, which the caller reset
// before building o.
func (c *collector[T]) record(line int, o *object) {
	o.owner = c.owner
	rec, id := c.decode(o)
	o.finish()
	if prev, dup := c.ids[id]; dup && id != "" {
		c.fe = append(c.fe, fieldError{path: "id", msg: msgDuplicate + " (first on line " + strconv.Itoa(prev) + ")"})
	} else if id != "" {
		c.ids[id] = line
	}
	if len(c.fe) == 0 {
		c.out = append(c.out, rec)
	}
}

// result returns the records and the line of each id, or every error.
func (c *collector[T]) result() ([]T, map[string]int, error) {
	if c.extra > 0 {
		c.errs = append(c.errs, fmt.Errorf("%s: %d more bad lines not listed", c.name, c.extra))
	}
	if len(c.errs) > 0 {
		return nil, nil, errors.Join(c.errs...)
	}
	return c.out, c.ids, nil
}

// readAll reads a JSONL file with the default options.
func readAll[T any](r io.Reader, name string, decode func(*object) (T, string)) ([]T, error) {
	recs, _, err := readFile(r, name, Options{}, nil, decode)
	return recs, err
}

// readFile reads one list file in opts.Format: each non-blank JSONL line, or each CSV row,
// is one object. columns are the CSV columns of the database.
func readFile[T any](r io.Reader, name string, opts Options, columns []string, decode func(*object) (T, string)) ([]T, map[string]int, error) {
	c := newCollector(name, opts, decode)
	switch opts.Format {
	case FormatJSONL, "":
		if err := readLines(r, c); err != nil {
			return nil, nil, errors.Join(append(c.errs, err)...)
		}
	case FormatCSV:
		if err := readCSV(r, c, columns); err != nil {
			return nil, nil, errors.Join(append(c.errs, err)...)
		}
	default:
		return nil, nil, fmt.Errorf("reading %s: unknown format %q", name, opts.Format)
	}
	return c.result()
}

// readLines feeds every non-blank JSONL line to c. It returns an error only when r fails.
func readLines[T any](r io.Reader, c *collector[T]) error {
	br := bufio.NewReaderSize(r, 1<<16)
	for lineNum := 0; ; {
		line, tooLong, err := readLine(br)
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("reading %s after line %d: %w", c.name, lineNum, err)
		}
		if line == nil && errors.Is(err, io.EOF) {
			return nil
		}
		lineNum++
		if lineNum == 1 {
			line = bytes.TrimPrefix(line, []byte("\xef\xbb\xbf")) // a UTF-8 byte-order mark
		}
		switch {
		case tooLong:
			c.report(lineNum, []fieldError{{msg: msgLineTooLong}})
		case len(bytes.TrimSpace(line)) == 0:
		default:
			c.fe = c.fe[:0]
			if o, ok := decodeLine(line, &c.fe); ok {
				c.record(lineNum, o)
			}
			if len(c.fe) > 0 {
				c.report(lineNum, c.fe)
			}
		}
		if errors.Is(err, io.EOF) {
			return nil
		}
	}
}

// readLine returns the next line without its line ending. A line longer than maxLine is
// consumed and reported as tooLong. At the end of input it returns io.EOF, with the last
// line when it had no line ending.
func readLine(br *bufio.Reader) (line []byte, tooLong bool, err error) {
	for {
		chunk, err := br.ReadSlice('\n')
		if len(line)+len(chunk) > maxLine {
			tooLong = true
		} else if len(chunk) > 0 {
			line = append(line, chunk...)
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if line == nil && len(chunk) > 0 {
			line = []byte{} // a line that was all too long still counts
		}
		line = bytes.TrimSuffix(line, []byte("\n"))
		line = bytes.TrimSuffix(line, []byte("\r"))
		if err != nil && len(chunk) == 0 && !tooLong && len(line) == 0 {
			return nil, false, err
		}
		return line, tooLong, err
	}
}
