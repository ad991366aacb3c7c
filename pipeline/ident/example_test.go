package ident_test

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/ident"
)

func ExampleVIN() {
	for _, v := range []string{"1M8GDM9AXKP042788", "WVWZZZ1JZXW000001", "1M8GDM9A1KP042788"} {
		r := ident.VIN(v)
		fmt.Println(r.Normalized, r.Valid, r.Checks[2].Status, r.Reason == "")
	}
	fmt.Println(ident.VIN("1M8GDM9A1KP042788").Reason)
	// Output:
	// 1M8GDM9AXKP042788 true pass true
	// WVWZZZ1JZXW000001 true n/a true
	// 1M8GDM9A1KP042788 false fail false
	// check_digit: position 9 is 1, computed X
}

func ExampleIMO() {
	fmt.Println(ident.IMO("IMO 9074729").Valid, ident.IMO("9074728").Reason)
	// Output:
	// true check_digit: last digit is 8, computed 9
}

func ExampleHIN() {
	r := ident.HIN("US-ABC12345D404")
	fmt.Println(r.Normalized, r.Valid, r.Fields["hin"], r.Fields["country"], r.Fields["production_month"], r.Fields["model_year"])
	// Output:
	// US-ABC12345D404 true ABC12345D404 US 2004-04 2004
}
