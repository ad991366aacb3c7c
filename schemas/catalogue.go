package schemas

import (
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/linkedin/goavro/v2"
)

//go:embed avro/*.avsc
var avscFS embed.FS

// Subjects under the record-name strategy: the full name of each record.
const (
	SubjectManifest      = "watchpost.v1.Manifest"
	SubjectCrossing      = "watchpost.v1.Crossing"
	SubjectScreening     = "watchpost.v1.Screening"
	SubjectAlert         = "watchpost.v1.Alert"
	SubjectDeadLetter    = "watchpost.v1.DeadLetter"
	SubjectSLTDRecord    = "watchpost.v1.SLTDRecord"
	SubjectNoticeRecord  = "watchpost.v1.NoticeRecord"
	SubjectOutcome       = "watchpost.v1.Outcome"
	SubjectAuditEvent    = "watchpost.v1.AuditEvent"
	SubjectPNR           = "watchpost.v1.PNR"
	SubjectTDAWNRecord   = "watchpost.v1.TDAWNRecord"
	SubjectVehicleRecord = "watchpost.v1.VehicleRecord"
	SubjectVesselRecord  = "watchpost.v1.VesselRecord"
	SubjectFirearmRecord = "watchpost.v1.FirearmRecord"
)

// kind is one record type of the catalogue; it indexes catalogue.
type kind int

const (
	kindManifest kind = iota
	kindCrossing
	kindScreening
	kindAlert
	kindDeadLetter
	kindSLTDRecord
	kindNoticeRecord
	kindOutcome
	kindAuditEvent
	kindPNR
	kindTDAWNRecord
	kindVehicleRecord
	kindVesselRecord
	kindFirearmRecord
	numKinds
)

// recordDef describes one record and every version of its schema this build ships, oldest
// first. Adding a v2 means adding avro/<file>.v2.avsc and appending 2 to versions; v1 stays.
type recordDef struct {
	subject  string
	file     string // file name stem under avro/
	versions []int
}

var catalogue = [numKinds]recordDef{
	kindManifest:      {SubjectManifest, "manifest", []int{1, 2}},
	kindCrossing:      {SubjectCrossing, "crossing", []int{1, 2}},
	kindScreening:     {SubjectScreening, "screening", []int{1}},
	kindAlert:         {SubjectAlert, "alert", []int{1, 2}},
	kindDeadLetter:    {SubjectDeadLetter, "dead_letter", []int{1}},
	kindSLTDRecord:    {SubjectSLTDRecord, "sltd_record", []int{1, 2}},
	kindNoticeRecord:  {SubjectNoticeRecord, "notice_record", []int{1, 2}},
	kindOutcome:       {SubjectOutcome, "outcome", []int{1}},
	kindAuditEvent:    {SubjectAuditEvent, "audit_event", []int{1}},
	kindPNR:           {SubjectPNR, "pnr", []int{1}},
	kindTDAWNRecord:   {SubjectTDAWNRecord, "tdawn_record", []int{1}},
	kindVehicleRecord: {SubjectVehicleRecord, "vehicle_record", []int{1}},
	kindVesselRecord:  {SubjectVesselRecord, "vessel_record", []int{1}},
	kindFirearmRecord: {SubjectFirearmRecord, "firearm_record", []int{1}},
}

// Subjects returns every subject, in a fixed order.
func Subjects() []string {
	out := make([]string, numKinds)
	for k := range catalogue {
		out[k] = catalogue[k].subject
	}
	return out
}

// Versions returns the shipped versions of a subject, oldest first; the last is the one
// encoded. It is nil for an unknown subject.
func Versions(subject string) []int {
	for k := range catalogue {
		if catalogue[k].subject == subject {
			return slices.Clone(catalogue[k].versions)
		}
	}
	return nil
}

// VersionKey names one shipped version of a subject in the ids given to [NewSerde], e.g.
// "watchpost.v1.Manifest@1". The bare subject names the newest version, the one encoded.
func VersionKey(subject string, version int) string {
	return subject + "@" + strconv.Itoa(version)
}

// Schema returns the text of one shipped version of a subject, as registered.
func Schema(subject string, version int) (string, bool) {
	for k := range catalogue {
		if catalogue[k].subject != subject {
			continue
		}
		for i, v := range catalogue[k].versions {
			if v == version {
				c := compileOnce()
				if c.err != nil {
					return "", false
				}
				return c.schemas[k][i].text, true
			}
		}
	}
	return "", false
}

// schema is one compiled schema version.
type schema struct {
	kind    kind
	version int    // shipped version; 0 for a version learnt only from the registry
	text    string // as registered
	codec   *goavro.Codec
}

type compiled struct {
	schemas [numKinds][]*schema // per kind, per shipped version, oldest first
	err     error
}

// maxBlockCount bounds the item count of one Avro array block. goavro preallocates a slice
// of the declared count before reading any item, so without a bound a few bytes declaring
// 2^31 items exhaust memory. No Watchpost array comes near it: a cruise ship's manifest has
// about ten thousand travellers.
const maxBlockCount = 1 << 16

var compileOnce = sync.OnceValue(func() *compiled {
	// goavro exposes its block limit only as a package variable meant to be tuned by the
	// application. schemas is the only package allowed to import goavro (see
	// internal/archtest), and every decode goes through a codec compiled here, after this
	// write, so the write is ordered before every use.
	if goavro.MaxBlockCount > maxBlockCount {
		goavro.MaxBlockCount = maxBlockCount
	}
	c := &compiled{}
	for k := range catalogue {
		def := &catalogue[k]
		for _, v := range def.versions {
			name := "avro/" + def.file + ".v" + strconv.Itoa(v) + ".avsc"
			b, err := avscFS.ReadFile(name)
			if err != nil {
				c.err = fmt.Errorf("reading %s: %w", name, err)
				return c
			}
			s, err := compile(kind(k), string(b))
			if err != nil {
				c.err = fmt.Errorf("compiling %s: %w", name, err)
				return c
			}
			s.version = v
			c.schemas[k] = append(c.schemas[k], s)
		}
	}
	return c
})

// loadedCatalogue returns the compiled shipped schemas. They are embedded and covered by
// tests, so an error here is a build defect; it is still returned, never panicked.
func loadedCatalogue() (*compiled, error) {
	c := compileOnce()
	if c.err != nil {
		return nil, fmt.Errorf("loading embedded schemas: %w", c.err)
	}
	return c, nil
}

// compile builds a codec for a schema of kind k and checks that it is that record.
func compile(k kind, text string) (*schema, error) {
	name, err := recordName(text)
	if err != nil {
		return nil, err
	}
	if name != catalogue[k].subject {
		return nil, fmt.Errorf("schema is record %s, want %s", name, catalogue[k].subject)
	}
	codec, err := goavro.NewCodec(text)
	if err != nil {
		return nil, fmt.Errorf("building codec: %w", err)
	}
	return &schema{kind: k, text: text, codec: codec}, nil
}

// recordName returns the full name of the top-level record of an Avro schema.
func recordName(text string) (string, error) {
	var top struct {
		Type      any    `json:"type"`
		Name      string `json:"name"`
		Namespace string `json:"namespace"`
	}
	if err := json.Unmarshal([]byte(text), &top); err != nil {
		return "", fmt.Errorf("parsing schema JSON: %w", err)
	}
	if top.Type != "record" {
		return "", errors.New("top-level type is not a record")
	}
	if top.Name == "" {
		return "", errors.New("record has no name")
	}
	if strings.Contains(top.Name, ".") || top.Namespace == "" {
		return top.Name, nil
	}
	return top.Namespace + "." + top.Name, nil
}

func kindOf(subject string) (kind, bool) {
	for k := range catalogue {
		if catalogue[k].subject == subject {
			return kind(k), true
		}
	}
	return 0, false
}

func validID(id int) bool { return id > 0 && id <= math.MaxInt32 }
