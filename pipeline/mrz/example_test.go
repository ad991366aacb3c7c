package mrz_test

import (
	"fmt"
	"time"

	"github.com/watchpost/watchpost/pipeline/mrz"
)

func ExampleParse() {
	r, err := mrz.Parse([]string{
		"P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
		"L8989O2C36UTO7408122F1204159ZE184226B<<<<<10", // the letter O read for the digit 0
	}, time.Date(2026, 1, 15, 0, 0, 0, 0, time.UTC))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Format, r.Surname+",", r.GivenNames, r.BirthDate, r.Valid)
	for _, c := range r.Checks {
		if !c.Valid {
			fmt.Printf("check %s: expected %s, found %s\n", c.Field, c.Expected, c.Found)
		}
	}
	for _, h := range r.Hints {
		fmt.Println("hint:", h.Message)
	}
	// Output:
	// TD3 ERIKSSON, ANNA MARIA 1974-08-12 false
	// check document_number: expected 0, found 6
	// check composite: expected 4, found 0
	// hint: line 2 column 6 (document_number position 6): may be 0 not O; the document_number and composite check digits would then pass
}

func ExampleTransliterate() {
	fmt.Println(mrz.Transliterate("Jörg Müller-Weiß"))
	fmt.Println(mrz.Transliterate("Жанна Хрущёва"))
	// Output:
	// JOERG MUELLER<WEISS
	// ZHANNA KHRUSHCHEVA
}
