package ingest

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/pnrgov"
)

// TestPNRsKeepEverything decodes every PNRGOV corpus file and checks that each message
// carries its PNRs, linked to its manifest, and that the mapping keeps every value the
// decoder produced: the PNRs as JSON equal pnrgov's, less the fields that only locate the
// input (segment, line) and the fields the mapping adds.
func TestPNRsKeepEverything(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join("..", "pnrgov", "testdata", "*.edi"))
	decoded := 0
	for _, f := range files {
		name := filepath.Base(f)
		if strings.HasPrefix(name, "error_") {
			continue
		}
		b := read(t, filepath.Join("pnrgov", "testdata", name))
		res, err := Decode(PNRGOV, b, now)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		src, err := pnrgov.Options{Now: now}.Decode(b)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for i, m := range res.Messages {
			decoded++
			man := &m.Manifest
			want := src.Messages[i].PNRs
			if len(m.PNRs) != len(want) || len(want) == 0 {
				t.Fatalf("%s message %d: %d PNRs, want %d (and at least one)", name, i, len(m.PNRs), len(want))
			}
			pos := 0
			for j := range m.PNRs {
				p := &m.PNRs[j]
				if p.ID != event.PNRID(man.ID, j) || p.ManifestID != man.ID || p.Carrier != man.Carrier || p.Carrier == "" ||
					p.LocatorCarrier == "" || p.Locator != want[j].Locator || p.MessageRef != m.Ref || !p.ReceivedAt.Equal(now) ||
					p.Flight.Flight != man.Flight {
					t.Errorf("%s message %d PNR %d: ids, carriers, references or flight not linked: %+v", name, i, j, p)
				}
				for k := range p.Travellers {
					tr := &p.Travellers[k]
					if tr.SubjectID != event.SubjectID(man.ID, pos) {
						t.Errorf("%s PNR %d traveller %d: subject id %q, want position %d", name, j, k, tr.SubjectID, pos)
					}
					if ev := want[j].Travellers[k].Event(); !cmp.Equal(ev, man.Travellers[pos]) {
						t.Errorf("%s PNR %d traveller %d is not manifest traveller %d", name, j, k, pos)
					}
					pos++
				}
				if diff := cmp.Diff(asJSON(t, &want[j], "carrier"), asJSON(t, p, "id", "manifest_id", "carrier", "locator_carrier",
					"country", "interchange", "message_ref", "received_at", "subject_id", "flight")); diff != "" {
					t.Errorf("%s message %d PNR %d lost or changed data (-pnrgov +ingest):\n%s", name, i, j, diff)
				}
				if diff := cmp.Diff(asJSON(t, &src.Messages[i].Flight), asJSON(t, &p.Flight)); diff != "" {
					t.Errorf("%s message %d PNR %d: the flight pushed for differs (-pnrgov +ingest):\n%s", name, i, j, diff)
				}
				if want[j].Carrier != "" && p.LocatorCarrier != want[j].Carrier {
					t.Errorf("%s PNR %d: locator carrier %q, want the RCI's %q", name, j, p.LocatorCarrier, want[j].Carrier)
				}
			}
			if pos != len(man.Travellers) {
				t.Errorf("%s message %d: PNRs hold %d travellers, the manifest %d", name, i, pos, len(man.Travellers))
			}
		}
	}
	if decoded < 5 {
		t.Fatalf("only %d PNRGOV messages decoded", decoded)
	}
}

// asJSON renders v as generic JSON without the top-level keys drop, without the keys that
// locate the input or that only the mapping adds at any depth (subject_id), and without
// empty values (which each side omits differently).
func asJSON(t *testing.T, v any, drop ...string) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	for _, k := range drop {
		delete(out, k)
	}
	return prune(out)
}

func prune(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, y := range x {
			switch k {
			case "segment", "line", "tif_segment", "subject_id":
				delete(x, k)
				continue
			}
			if p := prune(y); p == nil {
				delete(x, k)
			} else {
				x[k] = p
			}
		}
		if len(x) == 0 {
			return nil
		}
		return x
	case []any:
		if len(x) == 0 {
			return nil
		}
		for i := range x {
			x[i] = prune(x[i])
		}
		return x
	case string:
		if x == "" {
			return nil
		}
		return x
	case bool:
		if !x {
			return nil
		}
		return x
	default:
		return v
	}
}

// TestPNRsOnlyForPNRGOV: PAXLST and JSON messages carry no PNR, and the PNR content of the
// two-PNR example survives: booking, documents, itinerary, payment, tickets, bags, history.
func TestPNRsOnlyForPNRGOV(t *testing.T) {
	t.Parallel()
	for _, f := range []string{"paxlst/testdata/crew_list.edi"} {
		res, err := Decode(Auto, read(t, f), now)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range res.Messages {
			if m.PNRs != nil {
				t.Errorf("%s: a PAXLST message carries PNRs", f)
			}
		}
	}
	res, err := Decode(JSON, []byte(`{"type":"crew","carrier":"LH","flight":"LH400","legs":[{"departure":"FRA","arrival":"JFK"}],"travellers":[{"surname":"X"}]}`), now)
	if err != nil || res.Messages[0].PNRs != nil {
		t.Errorf("JSON: %v, PNRs %v; want none", err, res.Messages[0].PNRs)
	}

	res, err = Decode(Auto, read(t, "pnrgov/testdata/basic_two_pnrs.edi"), now)
	if err != nil {
		t.Fatal(err)
	}
	ps := res.Messages[0].PNRs
	if len(ps) != 2 {
		t.Fatalf("%d PNRs, want 2", len(ps))
	}
	a := ps[0]
	checks := []struct {
		what string
		ok   bool
	}{
		{"booking", a.Locator == "ABC123" && a.LocatorCarrier == "KL" && len(a.Locators) == 2 && a.Created.Format("2006-01-02 15:04") == "2024-05-15 14:32"},
		{"creator", a.Creator != nil && a.Creator.Airline == "1A" && a.Creator.Agent == "AGT001"},
		{"contacts", len(a.Contacts) == 2 && strings.HasPrefix(a.Contacts[1].Text, "CTCE") && len(a.Addresses) == 1 && a.Addresses[0].City == "AMSTERDAM"},
		{"documents", len(a.Travellers) == 2 && a.Travellers[0].Documents[0].Number == "NX12AB345" && a.Travellers[0].Documents[0].Holder &&
			a.Travellers[0].OtherDocuments[0].Type == "V" && a.Travellers[0].DocAddresses[0].City == "NEW YORK"},
		{"frequent flyer", a.Travellers[0].FrequentFlyer[0].Tier == "GOLD"},
		{"tickets and payment", a.Travellers[0].Tickets[0].Number == "0742345678901" && a.Travellers[0].Tickets[0].Payments[0].Account == "XXXXXXXXXXXX1234" &&
			a.Travellers[1].Tickets[0].Payments[0].Type == "CA"},
		{"itinerary", len(a.Itinerary) == 2 && a.Itinerary[0].Aircraft == "772" && a.Itinerary[1].Flight.Flight == "KL0642"},
		{"check-in and bags", len(a.Itinerary[0].CheckIns) == 2 && a.Itinerary[0].CheckIns[0].Seat == "23A" &&
			a.Itinerary[0].CheckIns[0].Bags[0].Tags[0].Number == "0074123456"},
		{"history", len(a.History) == 2 && strings.HasSuffix(a.History[0], "CREATED")},
		{"second PNR", ps[1].Locator == "DEF456" && ps[1].Payments == nil && ps[1].Travellers[0].Tickets[0].Payments[0].Type == "MS" &&
			ps[1].Travellers[0].SubjectID == event.SubjectID(res.Messages[0].Manifest.ID, 2)},
	}
	for _, c := range checks {
		if !c.ok {
			t.Errorf("%s not kept", c.what)
		}
	}
}
