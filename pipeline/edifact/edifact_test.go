package edifact_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/edifact"
)

// seg is a compact view of a segment for comparisons.
type seg struct {
	Tag   string
	Elems [][]string
	Index int
	Line  int
}

func view(ss []edifact.Segment) []seg {
	out := make([]seg, len(ss))
	for i, s := range ss {
		out[i] = seg{s.Tag, s.Elements, s.Index, s.Line}
	}
	return out
}

func messages(ws []edifact.Warning) []string {
	out := []string{}
	for _, w := range ws {
		out = append(out, w.String())
	}
	return out
}

func TestTokenize(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		in    string
		sep   string // the six UNA characters of the result
		want  []seg
		warns []string
	}{
		{
			name: "default separators without UNA",
			in:   "UNB+UNOA:4+S+R+240601:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'NAD+FL+++DOE:JOHN",
			sep:  ":+.? '",
			want: []seg{
				{"UNB", [][]string{{"UNOA", "4"}, {"S"}, {"R"}, {"240601", "1200"}, {"1"}}, 1, 1},
				{"UNH", [][]string{{"1"}, {"PAXLST", "D", "05B", "UN", "IATA"}}, 2, 1},
				{"NAD", [][]string{{"FL"}, {""}, {""}, {"DOE", "JOHN"}}, 3, 1},
			},
			warns: []string{"segment 3 (NAD) line 1: the last segment has no segment terminator"},
		},
		{
			name: "UNA with odd separators and a released release character",
			in:   "UNA|^,\\ ~UNB^UNOA|4~NAD^FL^^^O'BRIEN\\^X|A\\|B\\\\C~",
			sep:  "|^,\\ ~",
			want: []seg{
				{"UNB", [][]string{{"UNOA", "4"}}, 1, 1},
				{"NAD", [][]string{{"FL"}, {""}, {""}, {"O'BRIEN^X", "A|B\\C"}}, 2, 1},
			},
			warns: []string{},
		},
		{
			name: "release before every separator and itself",
			in:   "UNA:+.? 'UNB+UNOA:4'FTX+A?:B?+C?'D??E?? F'",
			sep:  ":+.? '",
			want: []seg{
				{"UNB", [][]string{{"UNOA", "4"}}, 1, 1},
				{"FTX", [][]string{{"A:B+C'D?E? F"}}, 2, 1},
			},
			warns: []string{},
		},
		{
			name:  "release before a plain character is kept as data",
			in:    "UNB+UNOA:4'FTX+WHAT?X'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOA", "4"}}, 1, 1}, {"FTX", [][]string{{"WHAT?X"}}, 2, 1}},
			warns: []string{"segment 2 line 1: release character before a character that is not a separator kept as data (1×, first here)"},
		},
		{
			name: "teletype header, framing and a byte-order mark",
			in:   "\ufeff\x01QU HDQRMXH\r\n.HDQRMAA 241200\r\n\x02UNA:+.? '\r\nUNB+UNOA:4'\r\nUNH+1'\r\n\x03",
			sep:  ":+.? '",
			want: []seg{{"UNB", [][]string{{"UNOA", "4"}}, 1, 4}, {"UNH", [][]string{{"1"}}, 2, 5}},
			warns: []string{"line 1: 2 envelope line(s) before the interchange ignored (teletype or transport header)",
				"segment 3 line 6: control characters removed (1×, first here)"},
		},
		{
			name: "line breaks hard-wrapped inside segments keep the starting line",
			in:   "UNB+UNOA:4'\nNAD+FL+++SMI\r\nTH:JO\nHN'\n  DTM+329:\n800101'",
			sep:  ":+.? '",
			want: []seg{
				{"UNB", [][]string{{"UNOA", "4"}}, 1, 1},
				{"NAD", [][]string{{"FL"}, {""}, {""}, {"SMITH", "JOHN"}}, 2, 2},
				{"DTM", [][]string{{"329", "800101"}}, 3, 5},
			},
			warns: []string{"segment 2 line 2: line breaks inside segments removed (3×, first here)"},
		},
		{
			name:  "a lone CR counts as a line break",
			in:    "UNB+UNOA:4'\rUNH+1'\rBGM+745'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOA", "4"}}, 1, 1}, {"UNH", [][]string{{"1"}}, 2, 2}, {"BGM", [][]string{{"745"}}, 3, 3}},
			warns: []string{},
		},
		{
			name: "trailing e-mail footer after UNZ",
			in:   "UNB+UNOA:4+S+R+240601:1200+1'UNH+1+X'UNT+2+1'UNZ+1+1'\n\n-- \nKind regards\n",
			sep:  ":+.? '",
			want: []seg{
				{"UNB", [][]string{{"UNOA", "4"}, {"S"}, {"R"}, {"240601", "1200"}, {"1"}}, 1, 1},
				{"UNH", [][]string{{"1"}, {"X"}}, 2, 1},
				{"UNT", [][]string{{"2"}, {"1"}}, 3, 1},
				{"UNZ", [][]string{{"1"}, {"1"}}, 4, 1},
			},
			warns: []string{"segment 4 (UNZ) line 1: 2 line(s) of trailing content after UNZ ignored"},
		},
		{
			name: "garbage after the last UNT when UNZ is missing",
			in:   "UNB+UNOA:4'UNH+1+X'UNT+2+1'\nSent from my phone\n",
			sep:  ":+.? '",
			want: []seg{
				{"UNB", [][]string{{"UNOA", "4"}}, 1, 1},
				{"UNH", [][]string{{"1"}, {"X"}}, 2, 1},
				{"UNT", [][]string{{"2"}, {"1"}}, 3, 1},
			},
			warns: []string{"segment 4 line 2: 1 line(s) of trailing content after the last message ignored"},
		},
		{
			name:  "empty segments skipped",
			in:    "UNB+UNOA:4'' 'BGM+745'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOA", "4"}}, 1, 1}, {"BGM", [][]string{{"745"}}, 2, 1}},
			warns: []string{"segment 2 line 1: empty segments skipped (2×, first here)"},
		},
		{
			name:  "UNOC Latin-1 bytes decoded",
			in:    "UNB+UNOC:3'NAD+FL+++M\xdcLLER:J\xdcRG'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOC", "3"}}, 1, 1}, {"NAD", [][]string{{"FL"}, {""}, {""}, {"MÜLLER", "JÜRG"}}, 2, 1}},
			warns: []string{},
		},
		{
			name:  "UNOD Latin-2 bytes decoded",
			in:    "UNB+UNOD:3'NAD+FL+++\xa3UKASIEWICZ'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOD", "3"}}, 1, 1}, {"NAD", [][]string{{"FL"}, {""}, {""}, {"ŁUKASIEWICZ"}}, 2, 1}},
			warns: []string{},
		},
		{
			name:  "UTF-8 kept, stray byte read as Latin-1 with a warning",
			in:    "UNB+UNOA:4'NAD+FL+++ØSTERGÅRD:S\xf8REN'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOA", "4"}}, 1, 1}, {"NAD", [][]string{{"FL"}, {""}, {""}, {"ØSTERGÅRD", "SøREN"}}, 2, 1}},
			warns: []string{"segment 2 line 1: bytes that are not UTF-8 read as ISO 8859-1: the UNB character set does not explain them (1×, first here)"},
		},
		{
			name: "level B separators without UNA",
			in:   "UNB\x1dUNOB\x1f4\x1cNAD\x1dFL\x1d\x1d\x1dA'B\x1fC\x1c",
			sep:  "\x1f\x1d.  \x1c",
			want: []seg{
				{"UNB", [][]string{{"UNOB", "4"}}, 1, 1},
				{"NAD", [][]string{{"FL"}, {""}, {""}, {"A'B", "C"}}, 2, 1},
			},
			warns: []string{},
		},
		{
			name:  "header glued to the interchange on one line",
			in:    "ZCZC 0042 UNA:+.? 'UNB+UNOA:4'",
			sep:   ":+.? '",
			want:  []seg{{"UNB", [][]string{{"UNOA", "4"}}, 1, 1}},
			warns: []string{"line 1: 1 envelope line(s) before the interchange ignored (teletype or transport header)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			toks, err := edifact.Tokenize([]byte(tt.in))
			if err != nil {
				t.Fatalf("Tokenize: %v", err)
			}
			if got := toks.Separators.String(); got != tt.sep {
				t.Errorf("separators %q, want %q", got, tt.sep)
			}
			if diff := cmp.Diff(tt.want, view(toks.Segments)); diff != "" {
				t.Errorf("segments mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tt.warns, messages(toks.Warnings)); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestTokenizeErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"not EDIFACT", "Dear customer,\nplease find attached.\n", "line 1: no UNA, UNB or UNH segment found: the input is not an EDIFACT interchange"},
		{"UNA separators not distinct", "UNA::.? 'UNB+UNOA:4'", "UNA line 1: the service characters must be distinct"},
		{"UNA space separator", "UNA: .? 'UNB+UNOA:4'", "UNA line 1: a component, element or segment separator cannot be a space"},
		{"bad tag inside a message", "UNB+UNOA:4'\nUNH+1+X'\nnad+FL'\n", "segment 3 line 3: segment tag is not three capital letters"},
		{"another interchange after UNZ", "UNB+UNOA:4+S+R+1+1'UNH+1+X'UNT+2+1'UNZ+1+1'\nUNB+UNOA:4+S+R+1+2'UNH+1+X'UNT+2+1'UNZ+1+2'", "segment 4 (UNZ) line 1: another interchange or message follows UNZ; send one interchange at a time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := edifact.Tokenize([]byte(tt.in))
			var se *edifact.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SyntaxError", err)
			}
			if diff := cmp.Diff(tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestParse(t *testing.T) {
	t.Parallel()
	const ok = "UNA:+.? '\nUNB+UNOA:4+SND:ZZ+RCV:ZZ+240601:1230+IC1++APIS++++1'\n" +
		"UNG+PAXLST+SND+RCV+240601:1230+G1+UN+D:05B'\n" +
		"UNH+M1+PAXLST:D:05B:UN:IATA+REF/1+01:C'\nBGM+745'\nUNT+3+M1'\n" +
		"UNH+M2+PAXLST:D:05B:UN:IATA+REF/1+02:F'\nBGM+745'\nUNT+3+M2'\n" +
		"UNE+2+G1'\nUNZ+1+IC1'\n"
	ic, err := edifact.Parse([]byte(ok))
	if err != nil {
		t.Fatal(err)
	}
	type msgView struct {
		Ref, Type, Version, Release, Agency, Association, Common, Group string
		Transfer                                                        edifact.Transfer
		Body                                                            []string
	}
	var got []msgView
	for _, m := range ic.Messages {
		var body []string
		for _, s := range m.Body {
			body = append(body, s.Tag)
		}
		got = append(got, msgView{m.Ref, m.Type, m.Version, m.Release, m.Agency, m.Association, m.CommonAccessRef, m.Group, m.Transfer, body})
	}
	want := []msgView{
		{"M1", "PAXLST", "D", "05B", "UN", "IATA", "REF/1", "G1", edifact.Transfer{Sequence: 1, Marker: "C"}, []string{"BGM"}},
		{"M2", "PAXLST", "D", "05B", "UN", "IATA", "REF/1", "G1", edifact.Transfer{Sequence: 2, Marker: "F"}, []string{"BGM"}},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("messages mismatch (-want +got):\n%s", diff)
	}
	if ic.ControlRef != "IC1" || ic.Sender != (edifact.Party{ID: "SND", Qualifier: "ZZ"}) || !ic.Test || ic.Application != "APIS" ||
		!ic.Prepared.Equal(time.Date(2024, 6, 1, 12, 30, 0, 0, time.UTC)) || len(ic.Groups) != 1 || ic.Groups[0].Messages != 2 {
		t.Errorf("interchange header not read: %+v", ic)
	}
	if len(ic.Warnings) != 0 {
		t.Errorf("unexpected warnings: %v", messages(ic.Warnings))
	}

	warnTests := []struct {
		name, in string
		want     []string
	}{
		{"wrong counts and references",
			"UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X'\nBGM+1'\nUNT+9+2'\nUNZ+4+IC2'\n",
			[]string{
				"segment 4 (UNT) line 4 element 1: the control count is 9 but there are 3 segments in the message (UNH to UNT)",
				"segment 4 (UNT) line 4 element 2: the message reference does not match UNH",
				"segment 5 (UNZ) line 5 element 1: the control count is 4 but there are 1 messages in the interchange",
				"segment 5 (UNZ) line 5 element 2: the interchange control reference does not match UNB",
			}},
		{"missing UNZ", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X'\nUNT+2+1'\n",
			[]string{"segment 3 line 3: no UNZ interchange trailer after the last segment"}},
		{"no UNB", "UNH+1+X'\nUNT+2+1'\n", []string{"segment 1 (UNH) line 1: no UNB interchange header: the input starts with a message"}},
		{"group without UNE and bad UNE count", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNG+X+S+R+1+G1'\nUNH+1+X'\nUNT+2+1'\nUNE+5+G2'\nUNZ+1+IC1'\n",
			[]string{"segment 5 (UNE) line 5 element 1: the control count is 5 but there are 1 messages in the group",
				"segment 5 (UNE) line 5 element 2: the group reference does not match UNG"}},
		{"unreadable preparation date", "UNB+UNOA:4+S+R+241301:1200+IC1'\nUNH+1+X'\nUNT+2+1'\nUNZ+1+IC1'\n",
			[]string{"segment 1 (UNB) line 1 element 4: the date and time of preparation is not YYMMDD or CCYYMMDD with HHMM"}},
	}
	for _, tt := range warnTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ic, err := edifact.Parse([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, messages(ic.Warnings)); diff != "" {
				t.Errorf("warnings mismatch (-want +got):\n%s", diff)
			}
		})
	}

	errTests := []struct {
		name, in, want string
	}{
		{"message without UNT", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X'\nBGM+1'\nUNZ+1+IC1'\n", "segment 2 (UNH) line 2: the message has no UNT: it is truncated or its trailer is missing"},
		{"truncated", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X'\nBGM+1'\n", "segment 2 (UNH) line 2: the message has no UNT: it is truncated or its trailer is missing"},
		{"segment between messages", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X'\nUNT+2+1'\nNAD+FL'\nUNZ+1+IC1'\n", "segment 4 (NAD) line 4: segment outside any message (not between UNH and UNT)"},
		{"UNT without UNH", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNT+2+1'\nUNZ+0+IC1'\n", "segment 2 (UNT) line 2: UNT without UNH"},
		{"UNH without reference", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH++X'\nUNT+2+1'\n", "segment 2 (UNH) line 2 element 1: the message reference number is missing"},
		{"UNH without type", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1'\nUNT+2+1'\n", "segment 2 (UNH) line 2 element 2.1: the message type is missing"},
		{"bad sequence", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X+R+A1:C'\nUNT+2+1'\n", "segment 2 (UNH) line 2 element 4.1: the sequence of transfers is not a number from 1 to 99"},
		{"bad marker", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X+R+01:Z'\nUNT+2+1'\n", "segment 2 (UNH) line 2 element 4.2: the first and last transfer marker is not C or F"},
		{"no message", "UNB+UNOA:4+S+R+240601:1200+IC1'\nUNZ+0+IC1'\n", "segment 1 (UNB) line 1: the interchange holds no message"},
	}
	for _, tt := range errTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := edifact.Parse([]byte(tt.in))
			if err == nil {
				t.Fatal("Parse succeeded, want an error")
			}
			var se *edifact.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("got %v, want a *SyntaxError", err)
			}
			if diff := cmp.Diff(tt.want, se.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestErrorList(t *testing.T) {
	t.Parallel()
	_, err := edifact.Parse([]byte("UNB+UNOA:4+S+R+240601:1200+IC1'\nUNH+1+X'\nUNH+2+X'\nUNT+2+2'\nNAD'\nUNZ+1+IC1'\n"))
	var list edifact.ErrorList
	if !errors.As(err, &list) || len(list) != 2 {
		t.Fatalf("got %v, want an ErrorList of 2", err)
	}
	want := "segment 2 (UNH) line 2: the message has no UNT: it is truncated or its trailer is missing\n" +
		"segment 5 (NAD) line 5: segment outside any message (not between UNH and UNT)"
	if diff := cmp.Diff(want, err.Error()); diff != "" {
		t.Errorf("error mismatch (-want +got):\n%s", diff)
	}
}

func TestSegmentAccessors(t *testing.T) {
	t.Parallel()
	s := edifact.Segment{Tag: "NAD", Elements: [][]string{{"FL"}, {}, {" DOE ", "JOHN"}}}
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"element 1", s.Element(1), []string{"FL"}},
		{"element 0", s.Element(0), []string(nil)},
		{"element past the end", s.Element(9), []string(nil)},
		{"negative element", s.Element(-1), []string(nil)},
		{"component", s.Component(3, 2), "JOHN"},
		{"component of an empty element", s.Component(2, 1), ""},
		{"component past the end", s.Component(3, 3), ""},
		{"component 0", s.Component(3, 0), ""},
		{"value trims", s.Value(3, 1), "DOE"},
		{"has", s.Has(3), true},
		{"has empty", s.Has(2), false},
		{"pos", edifact.Pos(4, 1), "4.1"},
		{"text", s.Text(edifact.DefaultSeparators()), "FL++ DOE :JOHN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if diff := cmp.Diff(tt.want, tt.got); diff != "" {
				t.Errorf("mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRepeats(t *testing.T) {
	t.Parallel()
	toks, err := edifact.Tokenize([]byte("UNA:+.?*'UNB+UNOA:4'NAD+FL+++A:B*C:D*E+X'"))
	if err != nil {
		t.Fatal(err)
	}
	s := toks.Segments[1]
	if diff := cmp.Diff(map[int][][]string{3: {{"C", "D"}, {"E"}}}, s.Repeats); diff != "" {
		t.Errorf("repeats mismatch (-want +got):\n%s", diff)
	}
	if got := s.Text(toks.Separators); got != "FL+++A:B*C:D*E+X" {
		t.Errorf("Text = %q", got)
	}
	if !s.FoldRepeats(toks.Separators.Repetition) {
		t.Fatal("FoldRepeats found nothing")
	}
	if diff := cmp.Diff([][]string{{"FL"}, {""}, {""}, {"A", "B*C", "D*E"}, {"X"}}, s.Elements); diff != "" {
		t.Errorf("folded elements mismatch (-want +got):\n%s", diff)
	}
	if s.Repeats != nil || s.FoldRepeats('*') {
		t.Error("repeats left after folding")
	}
}

func TestYears(t *testing.T) {
	t.Parallel()
	ref := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		got, want int
	}{
		{"past: earlier this century", edifact.PastYear(10, 1, 1, ref), 2010},
		{"past: later month this year is last century", edifact.PastYear(24, 7, 1, ref), 1924},
		{"past: today", edifact.PastYear(24, 6, 1, ref), 2024},
		{"past: unknown month this year", edifact.PastYear(24, 0, 0, ref), 2024},
		{"past: next year is last century", edifact.PastYear(25, 1, 1, ref), 1925},
		{"past: 99", edifact.PastYear(99, 12, 31, ref), 1999},
		{"near: soon", edifact.NearYear(30, ref), 2030},
		{"near: 49 years ahead", edifact.NearYear(73, ref), 2073},
		{"near: 50 years back", edifact.NearYear(74, ref), 1974},
		{"near: recent past", edifact.NearYear(20, ref), 2020},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if tt.got != tt.want {
				t.Errorf("got %d, want %d", tt.got, tt.want)
			}
		})
	}
}

func TestCheckParts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		seqs     []int
		final    int
		complete bool
		msg      string
	}{
		{"complete out of order", []int{2, 3, 1}, 3, true, ""},
		{"one missing", []int{1, 3}, 3, false, "part 2 of 3 is missing"},
		{"two missing", []int{4}, 4, false, "parts 1, 2, 3 of 4 are missing"},
		{"no final part", []int{1, 2}, 0, false, "the final part (marked F) is missing"},
		{"gap and no final part", []int{1, 3}, 0, false, "part 2 is missing; the final part (marked F) is missing"},
		{"repeated", []int{1, 2, 2}, 2, false, "part 2 is sent more than once"},
		{"after the final part", []int{1, 2, 3}, 2, false, "part 3 is after the final part"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			st := edifact.CheckParts(tt.seqs, tt.final)
			if st.Complete() != tt.complete || st.String() != tt.msg {
				t.Errorf("got complete %v %q, want %v %q", st.Complete(), st.String(), tt.complete, tt.msg)
			}
		})
	}
}

// encode writes segments back with the given separators, releasing separators in the data.
func encode(sep edifact.Separators, segs []edifact.Segment) []byte {
	var b bytes.Buffer
	b.WriteString("UNA" + sep.String())
	esc := func(s string) {
		for i := 0; i < len(s); i++ {
			c := s[i]
			if sep.Release != 0 && (c == sep.Component || c == sep.Element || c == sep.Segment || c == sep.Release || c == sep.Repetition && c != 0) {
				b.WriteByte(sep.Release)
			}
			b.WriteByte(c)
		}
	}
	elem := func(e []string) {
		for j, c := range e {
			if j > 0 {
				b.WriteByte(sep.Component)
			}
			esc(c)
		}
	}
	for _, s := range segs {
		b.WriteString(s.Tag)
		for i, e := range s.Elements {
			b.WriteByte(sep.Element)
			elem(e)
			for _, r := range s.Repeats[i] {
				b.WriteByte(sep.Repetition)
				elem(r)
			}
		}
		b.WriteByte(sep.Segment)
	}
	return b.Bytes()
}

// FuzzTokenize tokenizes arbitrary bytes. Invariants: never panics; deterministic; an error is
// a *SyntaxError or an ErrorList; on success segments are numbered 1, 2, … on non-decreasing
// lines from 1, every tag is three capital letters, every value is valid UTF-8, and writing the
// segments back with the same separators and tokenizing again gives the same segments. Parse
// never panics and, when it succeeds, its messages hold only segments the tokenizer produced.
func FuzzTokenize(f *testing.F) {
	for _, s := range []string{
		"UNA:+.? 'UNB+UNOA:4+S+R+240601:1200+1'UNH+1+PAXLST:D:05B:UN:IATA'NAD+FL+++O?'NEIL:J'UNT+3+1'UNZ+1+1'",
		"UNA|^,\\ ~UNB^UNOA|4~NAD^FL^^^A\\^B|C\\\\~",
		"\ufeff\x01QU HDQRMXH\r\n.HDQRMAA 241200\r\n\x02UNA:+.? '\r\nUNB+UNOA:4'\r\nUNH+1+X'\r\nUNT+2+1'UNZ+1+1'\r\n\x03-- \nfooter",
		"UNB+UNOC:3'NAD+FL+++M\xdcLLER'",
		"UNA:+.?*'UNB+UNOA:4'NAD+FL+++A*B:C'",
		"UNB\x1dUNOB\x1f4\x1cNAD\x1dFL\x1c",
		"UNH+1+X'\nBGM+745'\nUNT+3+1'",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		toks, err := edifact.Tokenize(b)
		toks2, err2 := edifact.Tokenize(b)
		if (err == nil) != (err2 == nil) || err != nil && err.Error() != err2.Error() {
			t.Fatalf("non-deterministic: %v then %v", err, err2)
		}
		if _, perr := edifact.Parse(b); perr != nil {
			var se *edifact.SyntaxError
			if !errors.As(perr, &se) {
				t.Fatalf("Parse error is not located: %v", perr)
			}
		}
		if err != nil {
			var se *edifact.SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error is not located: %v", err)
			}
			return
		}
		if !cmp.Equal(toks, toks2) {
			t.Fatal("non-deterministic segments")
		}
		line := 1
		for i, s := range toks.Segments {
			if s.Index != i+1 {
				t.Fatalf("segment %d numbered %d", i+1, s.Index)
			}
			if s.Line < line {
				t.Fatalf("segment %d on line %d before line %d", s.Index, s.Line, line)
			}
			line = s.Line
			if len(s.Tag) != 3 || strings.ToUpper(s.Tag) != s.Tag || strings.ContainsAny(s.Tag, "0123456789") {
				t.Fatalf("segment %d has tag %q", s.Index, s.Tag)
			}
			for _, e := range s.Elements {
				for _, c := range e {
					if !utf8.ValidString(c) {
						t.Fatalf("segment %d holds invalid UTF-8", s.Index)
					}
				}
			}
		}
		sep := toks.Separators
		if sep.Release == 0 || sep.Component >= 0x80 || sep.Element >= 0x80 || sep.Segment >= 0x80 || sep.Release >= 0x80 || sep.Repetition >= 0x80 {
			return // data may hold bytes that cannot be written back unambiguously
		}
		again, err := edifact.Tokenize(encode(sep, toks.Segments))
		if err != nil {
			t.Fatalf("tokenizing the written-back segments: %v", err)
		}
		a, z := view(toks.Segments), view(again.Segments)
		for i := range z {
			z[i].Line = 0
		}
		for i := range a {
			a[i].Line = 0
		}
		if diff := cmp.Diff(a, z); diff != "" {
			t.Fatalf("round trip changed the segments (-first +second):\n%s", diff)
		}
	})
}

func BenchmarkTokenize(b *testing.B) {
	var buf strings.Builder
	buf.WriteString("UNA:+.? '\nUNB+UNOA:4+S+R+240601:1200+1'\nUNH+1+PAXLST:D:05B:UN:IATA'\n")
	for i := 0; i < 300; i++ {
		buf.WriteString("NAD+FL+++O?'BRIEN:SEAN PATRICK+1 MAIN ST+DUBLIN++D01+IRL'\nATT+2++M'\nDTM+329:770317'\nNAT+2+IRL'\nDOC+P:110:111+PX1234567'\nDTM+36:290101'\nLOC+91+IRL'\n")
	}
	buf.WriteString("UNT+2102+1'\nUNZ+1+1'\n")
	data := []byte(buf.String())
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := edifact.Tokenize(data); err != nil {
			b.Fatal(err)
		}
	}
}
