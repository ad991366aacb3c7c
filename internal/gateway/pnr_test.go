package gateway_test

import (
	"bytes"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kmsg"

	"github.com/watchpost/watchpost/deploy"
	"github.com/watchpost/watchpost/internal/gateway"
	"github.com/watchpost/watchpost/pipeline/event"
	"github.com/watchpost/watchpost/pipeline/ingest"
)

// pnrNow anchors the two-digit years of the PNRGOV corpus (pushed in June 2024).
var pnrNow = time.Date(2024, 6, 27, 6, 0, 0, 0, time.UTC)

// newPNREnv is a gateway with the production decoders, screening for USA.
func newPNREnv(t *testing.T, cfg func(*gateway.Config)) *env {
	t.Helper()
	return newEnv(t, envOpts{cfg: cfg, decoder: gateway.IngestDecoder("USA", func() time.Time { return pnrNow })})
}

func corpus(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../pipeline/" + path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// pnrsOn decodes every record of the pnr topic, checking each is keyed by its locator and
// owning carrier, sorted by id.
func (e *env) pnrsOn(t *testing.T, committed bool) []*event.PNR {
	t.Helper()
	var out []*event.PNR
	for _, r := range e.records(rolePNR, committed) {
		p, err := e.serde.DecodePNR(r.Value)
		if err != nil {
			t.Fatalf("decoding PNR record %s: %v", r.Key, err)
		}
		if string(r.Key) != p.Key() || !strings.HasPrefix(string(r.Key), p.Locator+"/") {
			t.Errorf("PNR record keyed %q holds %s/%s: want it keyed by locator and carrier", r.Key, p.Locator, p.LocatorCarrier)
		}
		out = append(out, p)
	}
	slices.SortFunc(out, func(a, b *event.PNR) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// TestPNRGOVKeepsPNRs submits a PNRGOV push of two PNRs: the manifest of its three
// travellers and one record per PNR are committed together, each PNR decoding to what was
// submitted (as pipeline/ingest reads it), linked to the manifest and its subjects. A
// resubmission produces nothing again; the same reference with changed booking data is a
// conflict.
func TestPNRGOVKeepsPNRs(t *testing.T) {
	t.Parallel()
	e := newPNREnv(t, nil)
	body := corpus(t, "pnrgov/testdata/basic_two_pnrs.edi")
	got := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", body).manifest(t)
	if got.Duplicate || got.Messages != 1 || got.Travellers != 3 || got.PNRs != 2 {
		t.Fatalf("response %+v: want 1 message, 3 travellers, 2 PNRs, not a duplicate", got)
	}

	mrecs := e.records(deploy.RoleManifests, true)
	if len(mrecs) != 1 {
		t.Fatalf("%d manifest records, want 1", len(mrecs))
	}
	man, err := e.serde.DecodeManifest(mrecs[0].Value)
	if err != nil {
		t.Fatal(err)
	}
	pnrs := e.pnrsOn(t, true)
	if len(pnrs) != 2 {
		t.Fatalf("%d committed PNR records, want 2", len(pnrs))
	}

	res, err := ingest.Decode(ingest.PNRGOV, body, pnrNow)
	if err != nil {
		t.Fatal(err)
	}
	want := res.Messages[0].PNRs
	event.LinkPNRs(got.ManifestID, want)
	for i := range want {
		want[i].Country, want[i].Carrier, want[i].ReceivedAt = "USA", "KL", man.ReceivedAt
	}
	for i := range want {
		if diff := cmp.Diff(&want[i], pnrs[i]); diff != "" {
			t.Errorf("PNR %d on the topic differs from the submitted one (-want +got):\n%s", i, diff)
		}
	}
	if pnrs[0].Locator != "ABC123" || pnrs[1].Locator != "DEF456" || pnrs[0].Travellers[0].Documents[0].Number == "" ||
		len(pnrs[0].History) != 2 || len(pnrs[0].Itinerary) != 2 || pnrs[0].Travellers[0].Tickets[0].Payments[0].Type != "CC" {
		t.Errorf("the PNRs lost booking data: %+v", pnrs[0])
	}
	// Each PNR traveller names the subject it was screened as.
	subjects := man.Subjects()
	for _, p := range pnrs {
		if p.ManifestID != man.ID || p.Flight.Flight != man.Flight {
			t.Errorf("PNR %s: manifest %q flight %q, want %q %q", p.ID, p.ManifestID, p.Flight.Flight, man.ID, man.Flight)
		}
		for _, tr := range p.Travellers {
			i := slices.IndexFunc(subjects, func(s event.Subject) bool { return s.ID == tr.SubjectID })
			if i < 0 || subjects[i].Person.Surname != tr.Documents[0].Surname {
				t.Errorf("PNR traveller %s names subject %q, which is not them", tr.Surname, tr.SubjectID)
			}
		}
	}

	again := e.do(t, http.MethodPost, "/v1/manifests?format=pnrgov", "kl", "text/plain", append([]byte("QU USCSAPIS\n.AMSKL 270800\n"), body...)).manifest(t)
	if !again.Duplicate || again.ManifestID != got.ManifestID || again.PNRs != 2 {
		t.Errorf("resubmission in a teletype envelope = %+v, want a duplicate of %s with its 2 PNRs", again, got.ManifestID)
	}
	changed := bytes.Replace(body, []byte("FOP+CA:::::'"), []byte("FOP+MS:::::'"), 1)
	if bytes.Equal(changed, body) {
		t.Fatal("the corpus file changed: no FOP+CA to edit")
	}
	r := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", changed)
	if p := r.problem(t); r.status != http.StatusConflict || p.Type != "urn:watchpost:problem:reference-reused" {
		t.Errorf("same reference, another form of payment = %d %s, want 409 reference-reused", r.status, p.Type)
	}
	if n := len(e.records(rolePNR, false)); n != 2 {
		t.Errorf("%d PNR records in the log (committed or not), want the first 2 only", n)
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 1 {
		t.Errorf("%d manifest records in the log, want 1", n)
	}
}

// TestOnlyPNRGOVProducesPNRs: PAXLST and JSON submissions produce manifests and no PNR.
func TestOnlyPNRGOVProducesPNRs(t *testing.T) {
	t.Parallel()
	e := newPNREnv(t, nil)
	pax := e.do(t, http.MethodPost, "/v1/manifests", "ua", "application/edifact", corpus(t, "paxlst/testdata/crew_list.edi")).manifest(t)
	if pax.PNRs != 0 || pax.Travellers == 0 {
		t.Errorf("PAXLST response %+v: want travellers and no PNR", pax)
	}
	doc := `{"message_ref":"R1","type":"passengers","carrier":"KL","flight":"KL601","legs":[{"departure":"AMS","arrival":"JFK"}],"travellers":[{"surname":"DOE"}]}`
	js := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/json", []byte(doc)).manifest(t)
	if js.PNRs != 0 || js.Travellers != 1 {
		t.Errorf("JSON response %+v: want 1 traveller and no PNR", js)
	}
	if n := len(e.records(deploy.RoleManifests, true)); n != 2 {
		t.Errorf("%d manifest records, want 2", n)
	}
	if n := len(e.records(rolePNR, false)); n != 0 {
		t.Errorf("%d PNR records after PAXLST and JSON submissions, want none", n)
	}
}

// TestPNRsShareTheManifestTransaction: while the broker refuses produces, a PNRGOV push is
// answered 503 and neither its manifest nor its PNRs reach the log; when the broker refuses
// the commit, both are in the log uncommitted and invisible to read_committed readers; the
// resubmission then commits both.
func TestPNRsShareTheManifestTransaction(t *testing.T) {
	t.Parallel()
	body := corpus(t, "pnrgov/testdata/basic_two_pnrs.edi")

	t.Run("broker refuses produce", func(t *testing.T) {
		t.Parallel()
		e := newPNREnv(t, func(c *gateway.Config) { c.ProduceTimeout = time.Second; c.Producers = 1 })
		var failing atomic.Bool
		failing.Store(true)
		failProduce(e, &failing)
		r := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", body)
		if p := r.problem(t); r.status != 503 || p.Type != "urn:watchpost:problem:broker-unavailable" {
			t.Fatalf("= %d %s, want 503 broker-unavailable", r.status, p.Type)
		}
		if n, m := len(e.records(rolePNR, false)), len(e.records(deploy.RoleManifests, false)); n != 0 || m != 0 {
			t.Fatalf("%d PNR and %d manifest records after a 503, want none", n, m)
		}
		failing.Store(false)
		again := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", body).manifest(t)
		if again.Duplicate || again.PNRs != 2 {
			t.Errorf("after recovery = %+v, want accepted with 2 PNRs", again)
		}
		if n := len(e.pnrsOn(t, true)); n != 2 {
			t.Errorf("%d committed PNR records after recovery, want 2", n)
		}
	})

	t.Run("broker down", func(t *testing.T) {
		t.Parallel()
		e := newPNREnv(t, func(c *gateway.Config) { c.ProduceTimeout = time.Second })
		e.cluster.Close()
		r := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", body)
		if p := r.problem(t); r.status != 503 || p.Type != "urn:watchpost:problem:broker-unavailable" {
			t.Errorf("with the broker down = %d %s, want 503", r.status, p.Type)
		}
	})

	t.Run("broker refuses commit", func(t *testing.T) {
		t.Parallel()
		e := newPNREnv(t, func(c *gateway.Config) { c.Producers = 1 })
		e.cluster.ControlKey(int16(kmsg.EndTxn), func(req kmsg.Request) (kmsg.Response, error, bool) {
			r := req.(*kmsg.EndTxnRequest)
			if !r.Commit {
				e.cluster.KeepControl()
				return nil, nil, false
			}
			resp := r.ResponseKind().(*kmsg.EndTxnResponse) // the first commit only
			resp.ErrorCode = kerr.InvalidTxnState.Code
			return resp, nil, true
		})
		r := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", body)
		if p := r.problem(t); r.status != 503 {
			t.Fatalf("refused commit = %d %s, want 503", r.status, p.Type)
		}
		if n := len(e.records(rolePNR, false)); n != 2 {
			t.Fatalf("%d PNR records in the log after the refused commit, want the 2 uncommitted ones", n)
		}
		if n := len(e.records(rolePNR, true)); n != 0 {
			t.Fatalf("%d PNR records visible to read_committed after the refused commit, want none", n)
		}
		again := e.do(t, http.MethodPost, "/v1/manifests", "kl", "application/edifact", body).manifest(t)
		if again.Duplicate {
			t.Error("the resubmission after a 503 is a duplicate")
		}
		if n, m := len(e.pnrsOn(t, true)), len(e.records(deploy.RoleManifests, true)); n != 2 || m != 1 {
			t.Errorf("%d PNR and %d manifest records committed, want 2 and 1", n, m)
		}
	})
}

// TestDecoderPNRsMismatch: a Decoder returning PNRs for another number of messages than
// manifests is a defect: 500, nothing produced.
func TestDecoderPNRsMismatch(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{decoder: gateway.DecoderFunc(func(format string, body []byte) (*gateway.Decoded, error) {
		d, err := testDecoder{}.Decode(format, body)
		if err == nil {
			d.PNRs = make([][]event.PNR, len(d.Manifests)+1)
		}
		return d, err
	})})
	r := e.postJSON(t, "/v1/manifests", "af", manifest("AF", "AF1", "DOE"))
	if p := r.problem(t); r.status != 500 || p.Type != "urn:watchpost:problem:internal" {
		t.Errorf("= %d %s, want 500 internal", r.status, p.Type)
	}
	if n := len(e.records(deploy.RoleManifests, false)); n != 0 {
		t.Errorf("%d manifest records, want none", n)
	}
}

// TestInvalidPNRIsLocated: a PNR the schema refuses (here an empty locator from a faulty
// decoder) rejects the submission with the field under pnrs[j], and nothing is produced.
func TestInvalidPNRIsLocated(t *testing.T) {
	t.Parallel()
	e := newEnv(t, envOpts{decoder: gateway.DecoderFunc(func(format string, body []byte) (*gateway.Decoded, error) {
		d, err := testDecoder{}.Decode(format, body)
		if err == nil {
			d.PNRs = [][]event.PNR{{{Locator: "ABC123"}, {LocatorCarrier: "KL"}}}
		}
		return d, err
	})})
	r := e.postJSON(t, "/v1/manifests", "af", manifest("AF", "AF1", "DOE"))
	p := r.problem(t)
	if r.status != http.StatusBadRequest || p.Type != "urn:watchpost:problem:invalid-content" || len(p.Errors) != 1 || p.Errors[0].Field != "pnrs[1].locator" {
		t.Errorf("= %d %+v, want 400 invalid-content naming pnrs[1].locator", r.status, p)
	}
	for _, role := range []string{deploy.RoleManifests, rolePNR} {
		if n := len(e.records(role, false)); n != 0 {
			t.Errorf("%d %s records, want none", n, role)
		}
	}
}
