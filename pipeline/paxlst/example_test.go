package paxlst_test

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/paxlst"
)

func ExampleDecode() {
	in := "UNA:+.? '\n" +
		"UNB+UNOA:4+AIR:ZZ+GOV:ZZ+240601:1200+IC1'\n" +
		"UNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" +
		"TDT+20+XX100+++XX'\nLOC+125+AAA'\nDTM+189:2406011300:201'\nLOC+87+BBB'\nDTM+232:2406011600:201'\n" +
		"NAD+FL+++DOE:JANE'\nATT+2++F'\nDTM+329:850101'\nNAT+2+XXA'\nDOC+P+X1234567'\nDTM+36:300101'\nLOC+91+XXA'\n" +
		"CNT+42:2'\nUNT+16+1'\nUNZ+1+IC1'\n"
	res, err := paxlst.Decode([]byte(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	m := res.Messages[0].Manifest()
	fmt.Println(m.ID, m.Flight, m.Legs[0].Departure, m.Legs[0].Arrival, m.Legs[0].DepartureAt.Format("2006-01-02 15:04"))
	for _, t := range m.Travellers {
		d := t.Documents[0]
		fmt.Println(t.Role, t.Surname, t.GivenNames, t.BirthDate, t.Sex, t.Nationality, d.Type, d.Number, d.Issuer, d.Expiry)
	}
	for _, w := range res.AllWarnings() {
		fmt.Println("warning:", w)
	}
	// Output:
	// IC1:1 XX100 AAA BBB 2024-06-01 13:00
	// passenger DOE JANE 1985-01-01 F XXA P X1234567 XXA 2030-01-01
	// warning: segment 16 (CNT) line 17 element 1.2: the control total is 2 but there are 1 travellers of its role
}

func ExampleDecode_error() {
	in := "UNB+UNOA:4+AIR+GOV+240601:1200+IC1'\nUNH+1+PAXLST:D:05B:UN:IATA'\nBGM+745'\n" +
		"NAD+FL+++:JANE'\nDTM+329:850101'\nUNT+5+1'\nUNZ+1+IC1'\n"
	_, err := paxlst.Decode([]byte(in))
	fmt.Println(err)
	// Output:
	// decoding PAXLST: segment 4 (NAD) line 4 element 4.1: the family name is missing (given names are present)
}
