package gateway

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

func TestIngestDecoder(t *testing.T) {
	t.Parallel()
	now := func() time.Time { return time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC) }
	dec := IngestDecoder("FRA", now)
	body, err := os.ReadFile("../../pipeline/paxlst/testdata/crew_list.edi")
	if err != nil {
		t.Fatal(err)
	}
	d, err := dec.Decode(FormatAuto, body)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Manifests) != 1 || d.Manifests[0].Country != "FRA" || d.InterchangeRef == "" || d.MessageRef == "" {
		t.Errorf("decoded %+v: want one manifest for FRA with its references", d)
	}
	json := `{"type":"crew","carrier":"AF","flight":"AF1","legs":[{"departure":"CDG","arrival":"JFK"}],"travellers":[{"surname":""},{"surname":"A","birth_date":"1980-13"}]}`
	_, err = dec.Decode(FormatJSON, []byte(json))
	var des []*DecodeError
	for _, e := range err.(interface{ Unwrap() []error }).Unwrap() {
		var de *DecodeError
		if !errors.As(e, &de) {
			t.Fatalf("error %v is not located", e)
		}
		des = append(des, de)
	}
	if len(des) != 2 || des[0].Field != "/travellers/0/surname" || des[1].Field != "/travellers/1/birth_date" {
		t.Errorf("JSON errors = %+v, want both travellers' fields located", des)
	}
	bad, err := os.ReadFile("../../pipeline/paxlst/testdata/error_bad_birth_date.edi")
	if err != nil {
		t.Skip("corpus file renamed:", err)
	}
	_, err = dec.Decode(FormatPAXLST, bad)
	var de *DecodeError
	if !errors.As(err, &de) || de.Segment == 0 || de.Tag == "" || strings.Contains(err.Error(), "19") {
		t.Errorf("PAXLST error %v: want segment and tag, without the value", err)
	}
}
