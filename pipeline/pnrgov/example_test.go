package pnrgov_test

import (
	"fmt"

	"github.com/watchpost/watchpost/pipeline/pnrgov"
)

func ExampleDecode() {
	in := "UNA:+.? '\n" +
		"UNB+IATA:1+XX+GOV+240627:0800+IC9'\n" +
		"UNH+1+PNRGOV:11:1:IA'\nMSG+:22'\nTVL+270624:0900:270624:1130+AAA+BBB+XX+0601'\nEQN+1'\n" +
		"SRC'\nRCI+XX:ABC123::150524:1432'\n" +
		"TIF+DOE+JANE MRS:A:1+BABY:IN:2'\n" +
		"SSR+DOCS:HK:1:XX:::::/P/XXA/X1234567/XXA/01JAN85/F/01JAN30/DOE/JANE'\n" +
		"SSR+DOCS:HK:1:XX:::::/P/XXA/X7654321/XXA/10JAN24/FI/10JAN29/DOE/BABY'\n" +
		"TVL+270624:0900:270624:1130+AAA+BBB+XX+0601:Y+++1'\n" +
		"UNT+11+1'\nUNZ+1+IC9'\n"
	res, err := pnrgov.Decode([]byte(in))
	if err != nil {
		fmt.Println(err)
		return
	}
	msg := res.Messages[0]
	fmt.Println(msg.ID(), msg.Flight.Flight, msg.PNRs[0].Locator)
	for _, t := range msg.Travellers() {
		fmt.Println(t.Surname, t.GivenNames, t.BirthDate, t.Sex, t.Documents[0].Number)
	}
	// Output:
	// IC9:1 XX0601 ABC123
	// DOE JANE 1985-01-01 F X1234567
	// DOE BABY 2024-01-10 F X7654321
}
