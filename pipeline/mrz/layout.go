package mrz

// span is a run of characters on one MRZ line: 0-based line, start and exclusive end.
type span struct{ line, start, end int }

// pos is one character of the MRZ: 0-based line and column. The zero-length marker none
// stands for a position the format does not have.
type pos struct{ line, col int }

var none = pos{-1, -1}

func (p pos) ok() bool { return p.line >= 0 }

func (p pos) span() span { return span{p.line, p.col, p.col + 1} }

// layout places the fields of one MRZ format (ICAO 9303 Parts 4–7).
type layout struct {
	format       string
	lines, width int

	code, issuer, name span
	number             span
	numberCheck        pos
	nationality        span
	birth              span
	birthCheck         pos
	sex                pos
	expiry             span
	expiryCheck        pos
	optional1          span
	optional1Check     pos // TD3 only: the personal number has its own check digit
	optional2          span
	hasOptional2       bool
	composite          pos
	compositeSpans     []span
	longNumber         bool // the TD1/TD2 rule for document numbers longer than nine characters
}

// Format names as Result.Format reports them.
const (
	FormatTD1  = "TD1"
	FormatTD2  = "TD2"
	FormatTD3  = "TD3"
	FormatMRVA = "MRV-A"
	FormatMRVB = "MRV-B"
)

// td1 is ICAO 9303 Part 5: 3 lines of 30; number, optional data on line 1, dates on line 2,
// name on line 3.
var td1 = layout{
	format: FormatTD1, lines: 3, width: 30,
	code: span{0, 0, 2}, issuer: span{0, 2, 5},
	number: span{0, 5, 14}, numberCheck: pos{0, 14},
	optional1:  span{0, 15, 30},
	birth:      span{1, 0, 6},
	birthCheck: pos{1, 6},
	sex:        pos{1, 7},
	expiry:     span{1, 8, 14}, expiryCheck: pos{1, 14},
	nationality:    span{1, 15, 18},
	optional2:      span{1, 18, 29},
	hasOptional2:   true,
	optional1Check: none,
	composite:      pos{1, 29},
	compositeSpans: []span{{0, 5, 30}, {1, 0, 7}, {1, 8, 15}, {1, 18, 29}},
	name:           span{2, 0, 30},
	longNumber:     true,
}

// td2 is ICAO 9303 Part 6: 2 lines of 36.
var td2 = layout{
	format: FormatTD2, lines: 2, width: 36,
	code: span{0, 0, 2}, issuer: span{0, 2, 5}, name: span{0, 5, 36},
	number: span{1, 0, 9}, numberCheck: pos{1, 9},
	nationality: span{1, 10, 13},
	birth:       span{1, 13, 19}, birthCheck: pos{1, 19},
	sex:    pos{1, 20},
	expiry: span{1, 21, 27}, expiryCheck: pos{1, 27},
	optional1:      span{1, 28, 35},
	optional1Check: none,
	composite:      pos{1, 35},
	compositeSpans: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 35}},
	longNumber:     true,
}

// td3 is ICAO 9303 Part 4 (passports): 2 lines of 44; the optional data field holds the
// personal number and has its own check digit.
var td3 = layout{
	format: FormatTD3, lines: 2, width: 44,
	code: span{0, 0, 2}, issuer: span{0, 2, 5}, name: span{0, 5, 44},
	number: span{1, 0, 9}, numberCheck: pos{1, 9},
	nationality: span{1, 10, 13},
	birth:       span{1, 13, 19}, birthCheck: pos{1, 19},
	sex:    pos{1, 20},
	expiry: span{1, 21, 27}, expiryCheck: pos{1, 27},
	optional1:      span{1, 28, 42},
	optional1Check: pos{1, 42},
	composite:      pos{1, 43},
	compositeSpans: []span{{1, 0, 10}, {1, 13, 20}, {1, 21, 43}},
}

// mrva is ICAO 9303 Part 7, format A: 2 lines of 44, no composite check digit.
var mrva = layout{
	format: FormatMRVA, lines: 2, width: 44,
	code: span{0, 0, 2}, issuer: span{0, 2, 5}, name: span{0, 5, 44},
	number: span{1, 0, 9}, numberCheck: pos{1, 9},
	nationality: span{1, 10, 13},
	birth:       span{1, 13, 19}, birthCheck: pos{1, 19},
	sex:    pos{1, 20},
	expiry: span{1, 21, 27}, expiryCheck: pos{1, 27},
	optional1:      span{1, 28, 44},
	optional1Check: none,
	composite:      none,
}

// mrvb is ICAO 9303 Part 7, format B: 2 lines of 36, no composite check digit.
var mrvb = layout{
	format: FormatMRVB, lines: 2, width: 36,
	code: span{0, 0, 2}, issuer: span{0, 2, 5}, name: span{0, 5, 36},
	number: span{1, 0, 9}, numberCheck: pos{1, 9},
	nationality: span{1, 10, 13},
	birth:       span{1, 13, 19}, birthCheck: pos{1, 19},
	sex:    pos{1, 20},
	expiry: span{1, 21, 27}, expiryCheck: pos{1, 27},
	optional1:      span{1, 28, 36},
	optional1Check: none,
	composite:      none,
}
