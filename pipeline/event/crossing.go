package event

import "time"

// Vehicle identifies a motor vehicle at a crossing.
type Vehicle struct {
	VIN          string `json:"vin"`
	Plate        string `json:"plate"`
	PlateCountry string `json:"plate_country"`
	Make         string `json:"make"`
	Model        string `json:"model"`
	// PartSerials are engine and other part numbers read on the vehicle, matched against the
	// identifiable parts of stolen-vehicle records.
	PartSerials []string `json:"part_serials,omitempty"`
}

// Vessel identifies a vessel at a sea port.
type Vessel struct {
	IMO           string   `json:"imo"`
	HIN           string   `json:"hin"`
	Name          string   `json:"name"`
	EngineSerials []string `json:"engine_serials"`
}

// Firearm identifies a declared or seized firearm.
type Firearm struct {
	Serial  string `json:"serial"`
	Make    string `json:"make"`
	Model   string `json:"model"`
	Calibre string `json:"calibre"`
}

// Direction is which way a subject crosses.
type Direction string

const (
	DirectionEntry Direction = "entry"
	DirectionExit  Direction = "exit"
)

// Crossing is one subject presented at a border post. Exactly one of Person, Vehicle, Vessel
// and Firearm is set, as Kind says.
type Crossing struct {
	ID         string      `json:"id"`
	BorderPost string      `json:"border_post"`
	Country    string      `json:"country"` // ISO alpha-3 of the screening authority
	Direction  Direction   `json:"direction"`
	Time       time.Time   `json:"time"`
	Kind       SubjectKind `json:"kind"`
	Person     *Person     `json:"person,omitempty"`
	Vehicle    *Vehicle    `json:"vehicle,omitempty"`
	Vessel     *Vessel     `json:"vessel,omitempty"`
	Firearm    *Firearm    `json:"firearm,omitempty"`
}

// Subject returns the crossing's one subject.
func (c *Crossing) Subject() Subject {
	return Subject{ID: SubjectID(c.ID, 0), EventID: c.ID, Kind: c.Kind, Person: c.Person, Vehicle: c.Vehicle, Vessel: c.Vessel, Firearm: c.Firearm}
}

// Context returns the screening context of the crossing.
func (c *Crossing) Context() Context {
	return Context{Source: "crossing", BorderPost: c.BorderPost, Country: c.Country, EventTime: c.Time}
}

// DeadLetter is a message that can never be processed, with why and the original bytes.
type DeadLetter struct {
	Topic      string    `json:"topic"`
	Partition  int32     `json:"partition"`
	Offset     int64     `json:"offset"`
	Key        []byte    `json:"key"`
	Value      []byte    `json:"value"` // the original bytes, untouched
	ErrorClass string    `json:"error_class"`
	Error      string    `json:"error"` // never personal data: errors name fields and positions only
	FailedAt   time.Time `json:"failed_at"`
}
