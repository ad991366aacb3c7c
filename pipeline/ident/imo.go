package ident

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// IMOCheckDigit computes the check digit of the first six digits of an IMO ship number: the
// digits times 7, 6, 5, 4, 3, 2, summed, modulo 10. ok is false unless six digits are given.
func IMOCheckDigit(first6 string) (digit byte, ok bool) {
	if len(first6) != 6 {
		return 0, false
	}
	sum := 0
	for i := 0; i < 6; i++ {
		if !isDigit(first6[i]) {
			return 0, false
		}
		sum += int(first6[i]-'0') * (7 - i)
	}
	return byte('0' + sum%10), true
}

// IMO validates an IMO ship identification number, written "IMO 9074729" or "9074729".
// Normalized is the seven digits without the prefix.
func IMO(s string) Result {
	n := clean(s)
	prefix := strings.HasPrefix(n, "IMO")
	// Strip every leading "IMO" prefix with its optional colon ("IMO:9074729"); a bare
	// leading colon is kept. Stripping them all keeps normalising idempotent.
	for strings.HasPrefix(n, "IMO") {
		n = strings.TrimPrefix(strings.TrimPrefix(n, "IMO"), ":")
	}
	r := Result{Kind: KindIMO, Input: s, Normalized: n}
	if prefix {
		r.field("prefix", "IMO")
	}
	length := utf8.RuneCountInString(n)
	if length == 7 {
		r.add("length", Pass, "7 digits")
	} else {
		r.add("length", Fail, fmt.Sprintf("%d characters after any IMO prefix, want 7 digits", length))
	}
	digits := n != ""
	i := 0
	for _, c := range n {
		i++
		if c < '0' || c > '9' {
			r.add("digits", Fail, fmt.Sprintf("position %d: not a digit", i))
			digits = false
			break
		}
	}
	if digits {
		r.add("digits", Pass, "digits only")
	} else if n == "" {
		r.add("digits", Fail, "empty")
	}
	if length != 7 || !digits {
		r.add("check_digit", NotApplicable, "not computed: the length or digits are wrong")
		return r.finish()
	}
	want, _ := IMOCheckDigit(n[:6])
	if n[6] == want {
		r.add("check_digit", Pass, fmt.Sprintf("last digit is %c as computed", want))
	} else {
		r.add("check_digit", Fail, fmt.Sprintf("last digit is %c, computed %c", n[6], want))
	}
	return r.finish()
}
