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

// imoLabels are the words certificates and port forms write between the IMO prefix and the
// digits ("IMO No. 9074729", "IMO-Nr.", "IMO number", "IMO Nº"), upper case, longest first
// so that NO is tried before N. № stays a rune after clean; normalize.DocNumber makes it NO.
// The empty label last lets punctuation alone go ("IMO#9074729").
var imoLabels = []string{"NUMBER", "NUMMER", "NUMERO", "NUM", "NBR", "NR", "NO", "№", "N", ""}

// TrimIMOLabel drops what forms write before the digits of an IMO number. s is upper case
// without spaces and dashes (as ident's own cleaning and normalize.DocNumber leave it).
// First every leading "IMO" goes, each with an optional colon ("IMO:9074729"). Then a label
// word (see imoLabels: NO, NR, N, NUMBER, …) or none, with any '.', ':', '#', '°' or 'º'
// after it, goes when exactly seven characters follow and the first is a digit: the number
// itself. A label before anything else is kept, so that a short or garbled number is not read
// as a number with a label, and "N" before "O074729" is not taken for a label with an
// OCR-confused number. The result is a fixed point: trimming it again changes nothing.
func TrimIMOLabel(s string) string {
	if s == "" || isDigit(s[0]) {
		return s // the common case, a bare number: no prefix, no label
	}
	for strings.HasPrefix(s, "IMO") {
		s = strings.TrimPrefix(strings.TrimPrefix(s, "IMO"), ":")
	}
	for _, label := range imoLabels {
		if !strings.HasPrefix(s, label) {
			continue
		}
		rest := strings.TrimLeft(s[len(label):], ".:#°º")
		if utf8.RuneCountInString(rest) == 7 && isDigit(rest[0]) {
			return rest
		}
	}
	return s
}

// IMO validates an IMO ship identification number, written "IMO 9074729", "9074729" or with
// a label, "IMO No. 9074729" (see TrimIMOLabel). Normalized is the seven digits without the
// prefix and label.
func IMO(s string) Result {
	n := clean(s)
	prefix := strings.HasPrefix(n, "IMO")
	n = TrimIMOLabel(n)
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
