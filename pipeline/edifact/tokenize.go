package edifact

import (
	"bytes"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// Separators are the service characters of an interchange: what the UNA service string advice
// declares, or the defaults when it is absent. Release and Repetition are 0 when the
// interchange has none.
type Separators struct {
	Component  byte
	Element    byte
	Decimal    byte
	Release    byte
	Repetition byte
	Segment    byte
}

// DefaultSeparators are the level A defaults used when no UNA is present: component ':',
// element '+', decimal '.', release '?', segment terminator '\”. The position UNA reserves for
// the repetition separator is not used.
func DefaultSeparators() Separators {
	return Separators{Component: ':', Element: '+', Decimal: '.', Release: '?', Segment: '\''}
}

// levelB are the level B defaults (UNOB without UNA): IS1, IS3 and IS4, no release character.
func levelB() Separators {
	return Separators{Component: 0x1f, Element: 0x1d, Decimal: '.', Segment: 0x1c}
}

func (s Separators) isSeparator(c byte) bool {
	return c == s.Component || c == s.Element || c == s.Segment ||
		(s.Release != 0 && c == s.Release) || (s.Repetition != 0 && c == s.Repetition)
}

// String renders the separators as the six characters of a UNA (a space for an absent release
// or repetition character).
func (s Separators) String() string {
	b := []byte{s.Component, s.Element, s.Decimal, s.Release, s.Repetition, s.Segment}
	for _, i := range []int{3, 4} {
		if b[i] == 0 {
			b[i] = ' '
		}
	}
	return string(b)
}

// Tokens is an interchange split into segments.
type Tokens struct {
	Separators Separators
	UNA        bool // the interchange declared its separators in a UNA
	Segments   []Segment
	Warnings   []Warning
}

const (
	endComp = iota
	endElem
	endRep
	endSeg
)

// noted counts occurrences of one kind of noise and remembers the first.
type noted struct {
	n         int
	seg, line int
}

func (n *noted) note(seg, line int) {
	if n.n == 0 {
		n.seg, n.line = seg, line
	}
	n.n++
}

type tokenizer struct {
	src  []byte
	sep  Separators
	toks *Tokens
	errs ErrorList

	line     int
	index    int
	inSeg    bool
	segStart int // offset of the segment's first byte
	segLine  int
	released bool
	open     bool // inside UNH … UNT
	sawMsg   bool // a message has been closed
	done     bool

	buf   []byte
	ends  []int
	kinds []byte

	charset *charmap.Charmap
	known   bool // the declared character set explains non-UTF-8 bytes

	controls, wraps, badRelease, empty, latin1 noted
	snap                                       [3]noted // the first three at the start of the segment
}

// Tokenize splits an interchange into segments. It skips envelope noise before the UNA or UNB
// (teletype headers, framing bytes, a byte-order mark) and after the UNZ (e-mail footers),
// removes line breaks and control characters inside segments, and reports what it skipped as
// warnings. An input without UNB that starts at UNH is accepted with a warning.
//
// The error, when not nil, is a *SyntaxError or an ErrorList of them.
func Tokenize(b []byte) (*Tokens, error) {
	toks := &Tokens{Separators: DefaultSeparators()}
	start, line, skipped, ok := findStart(b)
	if !ok {
		return nil, &SyntaxError{Line: 1, Message: "no UNA, UNB or UNH segment found: the input is not an EDIFACT interchange"}
	}
	if skipped > 0 {
		toks.Warnings = append(toks.Warnings, Warning{Line: 1, Message: strconv.Itoa(skipped) + " envelope line(s) before the interchange ignored (teletype or transport header)"})
	}
	t := &tokenizer{src: b, toks: toks, line: line, sep: DefaultSeparators()}
	switch {
	case bytes.HasPrefix(b[start:], []byte("UNA")):
		sep, err := parseUNA(b[start+3:start+9], line)
		if err != nil {
			return nil, err
		}
		t.sep, toks.UNA = sep, true
		start += 9
	case len(b) > start+3 && b[start+3] == 0x1d:
		t.sep = levelB()
	}
	toks.Separators = t.sep
	toks.Segments = make([]Segment, 0, bytes.Count(b[start:], []byte{t.sep.Segment})+1)
	t.run(start)
	if len(t.errs) > 0 {
		return nil, t.errs.Err()
	}
	t.flushNotes()
	return toks, nil
}

// findStart finds the UNA, UNB or UNH that starts the interchange: first at the start of a line
// (after blanks, control characters and a byte-order mark), then anywhere. It returns the
// offset, its line and how many non-blank lines precede it.
func findStart(b []byte) (pos, line, skipped int, ok bool) {
	line = 1
	for ls := 0; ls < len(b); {
		le, next := lineEnd(b, ls)
		p := ls
		for p < le && isNoise(b, p) {
			p += noiseLen(b, p)
		}
		if p < le && isStart(b[p:]) {
			return p, line, skipped, true
		}
		if p < le {
			skipped++
		}
		line++
		ls = next
	}
	// Not at a line start: a header glued to the interchange on one line.
	for _, pat := range [][]byte{[]byte("UNA"), []byte("UNB+")} {
		for off := 0; off < len(b); {
			i := bytes.Index(b[off:], pat)
			if i < 0 {
				break
			}
			p := off + i
			if isStart(b[p:]) && (pat[2] == 'B' || followedByUNB(b[p+9:])) {
				return p, 1 + countLines(b[:p]), 1, true
			}
			off = p + 1
		}
	}
	return 0, 0, 0, false
}

func followedByUNB(b []byte) bool {
	for len(b) > 0 && (b[0] == '\r' || b[0] == '\n' || b[0] == ' ' || b[0] == '\t') {
		b = b[1:]
	}
	return bytes.HasPrefix(b, []byte("UNB"))
}

func lineEnd(b []byte, ls int) (end, next int) {
	for i := ls; i < len(b); i++ {
		switch b[i] {
		case '\n':
			return i, i + 1
		case '\r':
			if i+1 < len(b) && b[i+1] == '\n' {
				return i, i + 2
			}
			return i, i + 1
		}
	}
	return len(b), len(b)
}

func countLines(b []byte) int {
	n := 0
	for i, c := range b {
		if c == '\n' || (c == '\r' && (i+1 == len(b) || b[i+1] != '\n')) {
			n++
		}
	}
	return n
}

func isNoise(b []byte, p int) bool {
	c := b[p]
	return c <= ' ' || c == 0x7f || isBOM(b, p)
}

func noiseLen(b []byte, p int) int {
	if isBOM(b, p) {
		return 3
	}
	return 1
}

func isBOM(b []byte, p int) bool {
	return p+2 < len(b) && b[p] == 0xef && b[p+1] == 0xbb && b[p+2] == 0xbf
}

func isAlnum(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
}

func isStart(s []byte) bool {
	switch {
	case bytes.HasPrefix(s, []byte("UNA")):
		if len(s) < 9 {
			return false
		}
		for _, c := range s[3:9] {
			if isAlnum(c) {
				return false
			}
		}
		return true
	case bytes.HasPrefix(s, []byte("UNB")), bytes.HasPrefix(s, []byte("UNH")):
		return len(s) > 3 && !isAlnum(s[3]) && s[3] != ' '
	}
	return false
}

// parseUNA reads the six service characters of UNA: component, element, decimal, release,
// repetition (reserved before syntax version 4) and segment terminator. A space in the
// release or repetition position means there is none.
func parseUNA(c []byte, line int) (Separators, error) {
	sep := Separators{Component: c[0], Element: c[1], Decimal: c[2], Release: c[3], Repetition: c[4], Segment: c[5]}
	bad := func(msg string) (Separators, error) {
		return Separators{}, &SyntaxError{Line: line, Tag: "UNA", Message: msg}
	}
	if sep.Release == ' ' {
		sep.Release = 0
	}
	if sep.Repetition == ' ' {
		sep.Repetition = 0
	}
	chars := []byte{sep.Component, sep.Element, sep.Segment}
	if sep.Release != 0 {
		chars = append(chars, sep.Release)
	}
	if sep.Repetition != 0 {
		chars = append(chars, sep.Repetition)
	}
	for i, a := range chars {
		if a == ' ' {
			return bad("a component, element or segment separator cannot be a space")
		}
		for _, b := range chars[i+1:] {
			if a == b {
				return bad("the service characters must be distinct")
			}
		}
	}
	if sep.Decimal != '.' && sep.Decimal != ',' {
		sep.Decimal = '.'
	}
	return sep, nil
}

func (t *tokenizer) run(start int) {
	src := t.src
	for i := start; i < len(src) && !t.done; i++ {
		c := src[i]
		if !t.inSeg && c == 0xef && isBOM(src, i) {
			i += 2
			continue
		}
		nl := c == '\n' || (c == '\r' && (i+1 == len(src) || src[i+1] != '\n'))
		t.step(c, i)
		if nl {
			t.line++
		}
	}
	if t.done {
		return
	}
	if t.released {
		t.released = false
		t.toks.Warnings = append(t.toks.Warnings, Warning{Line: t.line, Message: "input ends with a release character; it was ignored"})
	}
	if t.inSeg {
		if len(t.buf) > 0 || len(t.ends) > 0 {
			t.endComp(endSeg)
			if t.emit(len(src)) && !t.done {
				s := &t.toks.Segments[len(t.toks.Segments)-1]
				t.toks.Warnings = append(t.toks.Warnings, s.Warnf("", "the last segment has no segment terminator"))
			}
		}
	}
}

func (t *tokenizer) step(c byte, i int) {
	if (c < ' ' || c == 0x7f) && c != '\t' && !t.sep.isSeparator(c) {
		switch {
		case c != '\n' && c != '\r':
			t.controls.note(t.index+1, t.line)
		case t.inSeg && (c == '\n' || i+1 == len(t.src) || t.src[i+1] != '\n'):
			// A line break after the first byte of a segment: the line was hard-wrapped.
			t.wraps.note(t.index+1, t.segLine)
		}
		return
	}
	if !t.inSeg {
		if c == ' ' || c == '\t' {
			return
		}
		t.inSeg, t.segStart, t.segLine = true, i, t.line
		t.snap = [3]noted{t.controls, t.wraps, t.badRelease}
	}
	if t.released {
		t.released = false
		if !t.sep.isSeparator(c) {
			t.badRelease.note(t.index+1, t.segLine)
			t.buf = append(t.buf, t.sep.Release)
		}
		t.buf = append(t.buf, c)
		return
	}
	switch c {
	case t.sep.Segment:
		t.endComp(endSeg)
		t.emit(i + 1)
	case t.sep.Element:
		t.endComp(endElem)
	case t.sep.Component:
		t.endComp(endComp)
	case t.sep.Release:
		t.released = true
	case t.sep.Repetition:
		t.endComp(endRep)
	default:
		t.buf = append(t.buf, c)
	}
}

func (t *tokenizer) endComp(kind byte) {
	t.ends = append(t.ends, len(t.buf))
	t.kinds = append(t.kinds, kind)
}

func (t *tokenizer) reset() {
	t.buf, t.ends, t.kinds = t.buf[:0], t.ends[:0], t.kinds[:0]
	t.inSeg = false
}

// emit turns the buffered segment into a Segment. next is the offset just after it. It reports
// whether a segment was added.
func (t *tokenizer) emit(next int) bool {
	defer t.reset()
	if len(t.ends) == 1 && t.ends[0] == 0 {
		t.empty.note(t.index+1, t.segLine)
		return false
	}
	s := string(t.buf)
	comps := make([]string, len(t.ends))
	prev := 0
	for k, e := range t.ends {
		comps[k] = s[prev:e]
		prev = e
	}
	if !isASCII(t.buf) {
		// Checked per component: two invalid halves can make a valid sequence when joined.
		for k, c := range comps {
			comps[k] = t.decode(c)
		}
	}
	nElems := 0
	for _, k := range t.kinds {
		if k == endElem || k == endSeg {
			nElems++
		}
	}
	elems := make([][]string, 0, nElems)
	var repeats map[int][][]string
	first, rep := 0, false
	for k, kind := range t.kinds {
		if kind == endComp {
			continue
		}
		occ := comps[first : k+1 : k+1]
		if rep {
			if repeats == nil {
				repeats = map[int][][]string{}
			}
			repeats[len(elems)-2] = append(repeats[len(elems)-2], occ)
		} else {
			elems = append(elems, occ)
		}
		rep = kind == endRep
		first = k + 1
	}
	tag := elems[0][0]
	if !validTag(tag) {
		if !t.open && t.sawMsg && !t.moreMessages(t.src[t.segStart:]) {
			t.controls, t.wraps, t.badRelease = t.snap[0], t.snap[1], t.snap[2] // the noise was not in the interchange
			t.toks.Warnings = append(t.toks.Warnings, Warning{Segment: t.index + 1, Line: t.segLine,
				Message: strconv.Itoa(countNonBlankLines(t.src[t.segStart:])) + " line(s) of trailing content after the last message ignored"})
			t.done = true
			return false
		}
		t.fail(&SyntaxError{Segment: t.index + 1, Line: t.segLine, Message: "segment tag is not three capital letters"})
		return false
	}
	delete(repeats, -1)
	t.index++
	seg := Segment{Tag: tag, Elements: elems[1:], Index: t.index, Line: t.segLine}
	if len(repeats) > 0 {
		seg.Repeats = repeats
	}
	t.toks.Segments = append(t.toks.Segments, seg)
	switch tag {
	case "UNB":
		t.setCharset(seg.Component(1, 1))
	case "UNH":
		t.open = true
	case "UNT":
		t.open, t.sawMsg = false, true
	case "UNZ":
		t.done = true
		if rest := t.src[next:]; countNonBlankLines(rest) > 0 {
			if t.moreMessages(rest) {
				t.fail(&SyntaxError{Segment: t.index, Line: t.segLine, Tag: tag, Message: "another interchange or message follows UNZ; send one interchange at a time"})
			} else {
				t.toks.Warnings = append(t.toks.Warnings, Warning{Segment: t.index, Line: t.segLine, Tag: tag,
					Message: strconv.Itoa(countNonBlankLines(rest)) + " line(s) of trailing content after UNZ ignored"})
			}
		}
	}
	return true
}

func (t *tokenizer) fail(e *SyntaxError) {
	t.errs = append(t.errs, e)
	if len(t.errs) >= MaxErrors {
		t.done = true
	}
}

// moreMessages reports whether b holds what looks like another interchange or message.
func (t *tokenizer) moreMessages(b []byte) bool {
	for _, tag := range []string{"UNB", "UNH", "UNZ", "UNT"} {
		if bytes.Contains(b, append([]byte(tag), t.sep.Element)) {
			return true
		}
	}
	return false
}

func countNonBlankLines(b []byte) int {
	n := 0
	for ls := 0; ls < len(b); {
		le, next := lineEnd(b, ls)
		for p := ls; p < le; p++ {
			if !isNoise(b, p) {
				n++
				break
			}
		}
		ls = next
	}
	return n
}

func validTag(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// setCharset picks the decoder for non-UTF-8 bytes from the UNB syntax identifier.
func (t *tokenizer) setCharset(id string) {
	t.charset, t.known = charmap.ISO8859_1, false
	sets := map[string]*charmap.Charmap{
		"UNOC": charmap.ISO8859_1, "UNOD": charmap.ISO8859_2, "UNOE": charmap.ISO8859_5,
		"UNOF": charmap.ISO8859_7, "UNOG": charmap.ISO8859_3, "UNOH": charmap.ISO8859_4,
		"UNOI": charmap.ISO8859_6, "UNOJ": charmap.ISO8859_8, "UNOK": charmap.ISO8859_9,
	}
	if cm, ok := sets[id]; ok {
		t.charset, t.known = cm, true
	}
}

// decode turns a value that is not valid UTF-8 into UTF-8: valid UTF-8 sequences are kept and
// every other byte is read in the declared character set (ISO 8859-1 when it declares none).
func (t *tokenizer) decode(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	cm := t.charset
	if cm == nil {
		cm = charmap.ISO8859_1
	}
	if !t.known {
		t.latin1.note(t.index+1, t.segLine)
	}
	out := make([]rune, 0, len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n <= 1 {
			r, n = cm.DecodeByte(s[i]), 1
		}
		out = append(out, r)
		i += n
	}
	return string(out)
}

func (t *tokenizer) flushNotes() {
	add := func(n noted, msg string) {
		if n.n > 0 {
			t.toks.Warnings = append(t.toks.Warnings, Warning{Segment: n.seg, Line: n.line, Message: msg + " (" + strconv.Itoa(n.n) + "×, first here)"})
		}
	}
	add(t.controls, "control characters removed")
	add(t.wraps, "line breaks inside segments removed")
	add(t.badRelease, "release character before a character that is not a separator kept as data")
	add(t.empty, "empty segments skipped")
	add(t.latin1, "bytes that are not UTF-8 read as ISO 8859-1: the UNB character set does not explain them")
}

func isASCII(b []byte) bool {
	for _, c := range b {
		if c >= 0x80 {
			return false
		}
	}
	return true
}
