package watchlist

import (
	"errors"
	"fmt"

	"github.com/watchpost/watchpost/pipeline/event"
)

// TravelDocument is a TDAWN record: a valid travel document held by the subject of a notice. A
// hit means the person presenting it, not the document, is of interest; NoticeID names the
// notice (it may be absent from the snapshot, or empty when the owner did not share it).
type TravelDocument struct {
	ID       string `json:"id"`
	Number   string `json:"number"`
	Type     string `json:"type"`
	Issuer   string `json:"issuer"`
	NoticeID string `json:"notice_id"`
	Owner    string `json:"owner"`
	// Access restricts who may see the record's details.
	event.Access
}

// Vehicle is a stolen motor vehicle record, or a record of identifiable stolen parts. It
// holds no personal data. Part serials are engine and other part numbers.
type Vehicle struct {
	ID           string   `json:"id"`
	VIN          string   `json:"vin"`
	Plate        string   `json:"plate"`
	PlateCountry string   `json:"plate_country"`
	Make         string   `json:"make"`
	Model        string   `json:"model"`
	PartSerials  []string `json:"part_serials"`
	Owner        string   `json:"owner"`
	// Access restricts who may see the record's details.
	event.Access
}

// Vessel is a stolen vessel or outboard-engine record: IMO number (seagoing ships), hull
// identification number (small craft) and engine serials.
type Vessel struct {
	ID            string   `json:"id"`
	IMO           string   `json:"imo"`
	HIN           string   `json:"hin"`
	Name          string   `json:"name"`
	EngineSerials []string `json:"engine_serials"`
	Owner         string   `json:"owner"`
	// Access restricts who may see the record's details.
	event.Access
}

// Firearm is an iARMS record: a lost, stolen or trafficked firearm.
type Firearm struct {
	ID      string `json:"id"`
	Serial  string `json:"serial"`
	Make    string `json:"make"`
	Model   string `json:"model"`
	Calibre string `json:"calibre"`
	Owner   string `json:"owner"`
	// Access restricts who may see the record's details.
	event.Access
}

// Validate checks a TDAWN record. Errors name the field, never its value.
func (d *TravelDocument) Validate() error {
	var errs []error
	if d.ID == "" {
		errs = append(errs, errors.New("id: required"))
	}
	if d.Number == "" {
		errs = append(errs, errors.New("number: required"))
	}
	if len(d.Issuer) != 3 {
		errs = append(errs, errors.New("issuer: want an ISO 3166 alpha-3 code"))
	}
	if err := d.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Validate checks a vehicle record: an id and at least one identifier. Errors name the
// field, never its value.
func (v *Vehicle) Validate() error {
	var errs []error
	if v.ID == "" {
		errs = append(errs, errors.New("id: required"))
	}
	if v.VIN == "" && v.Plate == "" && !anySet(v.PartSerials) {
		errs = append(errs, errors.New("vin: one of vin, plate or part_serials required"))
	}
	for i, s := range v.PartSerials {
		if s == "" {
			errs = append(errs, fmt.Errorf("part_serials[%d]: empty", i))
		}
	}
	if err := v.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Validate checks a vessel record: an id and at least one identifier. Errors name the field,
// never its value.
func (v *Vessel) Validate() error {
	var errs []error
	if v.ID == "" {
		errs = append(errs, errors.New("id: required"))
	}
	if v.IMO == "" && v.HIN == "" && !anySet(v.EngineSerials) {
		errs = append(errs, errors.New("imo: one of imo, hin or engine_serials required"))
	}
	for i, s := range v.EngineSerials {
		if s == "" {
			errs = append(errs, fmt.Errorf("engine_serials[%d]: empty", i))
		}
	}
	if err := v.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Validate checks a firearm record: an id and a serial number. Errors name the field, never
// its value.
func (f *Firearm) Validate() error {
	var errs []error
	if f.ID == "" {
		errs = append(errs, errors.New("id: required"))
	}
	if f.Serial == "" {
		errs = append(errs, errors.New("serial: required"))
	}
	if err := f.Access.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

func anySet(xs []string) bool {
	for _, x := range xs {
		if x != "" {
			return true
		}
	}
	return false
}
