package event

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in      string
		want    Date
		wantErr string
	}{
		{"", Date{}, ""},
		{"1980", Date{Year: 1980}, ""},
		{"1980-05", Date{Year: 1980, Month: 5}, ""},
		{"1980-05-17", Date{Year: 1980, Month: 5, Day: 17}, ""},
		{"2000-02-29", Date{Year: 2000, Month: 2, Day: 29}, ""},
		{"1900-02-29", Date{}, "day out of range"},
		{"1980-13", Date{}, "month out of range"},
		{"1980-04-31", Date{}, "day out of range"},
		{"80-05-17", Date{}, "want YYYY"},
		{"1980/05/17", Date{}, "want YYYY"},
		{"+980", Date{}, "want YYYY"},
		{"1980-5-17", Date{}, "want YYYY"},
		{"0000", Date{}, "year out of range"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			got, err := ParseDate(tt.in)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("ParseDate(%q) error = %v, want %q", tt.in, err, tt.wantErr)
				}
				if strings.Contains(err.Error(), tt.in) && tt.in != "" {
					t.Errorf("error %q repeats the input: dates of birth are personal data", err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ParseDate(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
			if got.String() != tt.in {
				t.Errorf("String() = %q, want %q", got.String(), tt.in)
			}
		})
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	var v struct {
		D Date `json:"d"`
	}
	if err := json.Unmarshal([]byte(`{"d":"1980-05"}`), &v); err != nil || v.D != (Date{Year: 1980, Month: 5}) {
		t.Fatalf("unmarshal = %+v, %v", v.D, err)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"d":"1980-05"}` {
		t.Errorf("marshal = %s", b)
	}
	if err := json.Unmarshal([]byte(`{"d":19800517}`), &v); err == nil {
		t.Error("a number was accepted as a date")
	}
	if err := json.Unmarshal([]byte(`{"d":null}`), &v); err != nil || !v.D.IsZero() {
		t.Errorf("null = %+v, %v; want the unknown date", v.D, err)
	}
}

// FuzzParseDate: never panics; a parsed date validates, renders back to its input, and
// parses again to itself.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"", "1980", "1980-05", "1980-05-17", "2000-02-29", "1980-13-01", "x"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := ParseDate(s)
		if err != nil {
			return
		}
		if err := d.Validate(); err != nil {
			t.Fatalf("ParseDate(%q) = %+v which does not validate: %v", s, d, err)
		}
		if d.String() != s {
			t.Fatalf("ParseDate(%q).String() = %q", s, d.String())
		}
		if d2, err := ParseDate(d.String()); err != nil || d2 != d {
			t.Fatalf("round trip of %q: %+v, %v", s, d2, err)
		}
	})
}
