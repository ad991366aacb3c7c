package mrz

import (
	"fmt"
	"slices"
	"strings"
)

// confusable maps each character OCR engines and people confuse with one of the other class
// to that character: O↔0, I↔1, S↔5, B↔8, Z↔2, G↔6.
var confusable = [256]byte{
	'O': '0', 'I': '1', 'S': '5', 'B': '8', 'Z': '2', 'G': '6',
	'0': 'O', '1': 'I', '5': 'S', '8': 'B', '2': 'Z', '6': 'G',
}

func isDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' }

// fieldAt names the field that holds q, with q's 1-based position in it.
func (p *parser) fieldAt(q pos) (ns namedSpan, position int, ok bool) {
	for _, f := range p.fields {
		if f.sp.line == q.line && q.col >= f.sp.start && q.col < f.sp.end {
			return f, f.offset + q.col - f.sp.start + 1, true
		}
	}
	return namedSpan{}, 0, false
}

// trySwap puts c at q and reports which failing check digits would then pass, and whether
// a check digit that passes would then fail. The MRZ is restored before it returns.
func (p *parser) trySwap(q pos, c byte, before []bool) (fixes []string, breaks bool) {
	old := p.lines[q.line][q.col]
	p.lines[q.line][q.col] = c
	for i, d := range p.defs {
		now := p.valid(d)
		switch {
		case now && !before[i]:
			fixes = append(fixes, d.field)
		case !now && before[i]:
			breaks = true
		}
	}
	p.lines[q.line][q.col] = old
	return fixes, breaks
}

// hints reports the characters that may have been misread, without changing any:
//   - a letter in a numeric field (dates, check digits) or a digit in a letter field (codes,
//     names) that is one of the confusable pairs;
//   - in a letters-and-digits field protected by a failing check digit, a confusable
//     character whose swap would make that check pass without breaking a passing one; when
//     that field is the only one failing, the swap must repair a failing composite as well
//     (the issuer computed both over the true character), which keeps chance repairs (one
//     swap in ten passes a mod-10 check by luck) out. The composite check is searched this
//     way only when every other check passes, and only over the characters no other check
//     covers.
func (p *parser) hints() {
	before := make([]bool, len(p.defs))
	for i, c := range p.res.Checks {
		before[i] = c.Valid
	}
	var seen []pos
	add := func(q pos, to byte, why string, fixes []string) {
		if slices.Contains(seen, q) {
			return
		}
		seen = append(seen, q)
		f, position, _ := p.fieldAt(q)
		from := p.at(q)
		msg := fmt.Sprintf("line %d column %d (%s position %d): %smay be %c not %c", q.line+1, q.col+1, f.name, position, why, to, from)
		if len(fixes) > 0 {
			plural := ""
			if len(fixes) > 1 {
				plural = "s"
			}
			msg += fmt.Sprintf("; the %s check digit%s would then pass", strings.Join(fixes, " and "), plural)
		}
		p.res.Hints = append(p.res.Hints, Hint{
			Field: f.name, Line: q.line + 1, Column: q.col + 1, Position: position,
			Found: string(from), Suggest: string(to), Fixes: fixes, Message: msg,
		})
	}

	// Characters of the wrong class for their field.
	for _, f := range p.fields {
		for col := f.sp.start; col < f.sp.end; col++ {
			q := pos{f.sp.line, col}
			c := p.at(q)
			to := confusable[c]
			if to == 0 {
				continue
			}
			switch {
			case f.kind == kindNumeric && isLetter(c):
				fixes, _ := p.trySwap(q, to, before)
				add(q, to, "a letter in a numeric field; ", fixes)
			case f.kind == kindAlpha && isDigit(c):
				fixes, _ := p.trySwap(q, to, before)
				add(q, to, "a digit in a letter field; ", fixes)
			}
		}
	}

	// Swaps that would repair a failing check digit.
	if !slices.Contains(before, false) {
		p.sortHints()
		return
	}
	failingFields := 0
	for i, d := range p.defs {
		if d.field != "composite" && !before[i] {
			failingFields++
		}
	}
	othersPass := failingFields == 0
	compositeFails, compositeCovers := false, map[pos]bool{}
	for i, d := range p.defs {
		if d.field == "composite" {
			compositeFails = !before[i]
			compositeCovers[d.digit] = true
			for _, s := range d.data {
				for col := s.start; col < s.end; col++ {
					compositeCovers[pos{s.line, col}] = true
				}
			}
		}
	}
	covered := map[pos]bool{}
	for _, d := range p.defs {
		if d.field == "composite" {
			continue
		}
		covered[d.digit] = true
		for _, s := range d.data {
			for col := s.start; col < s.end; col++ {
				covered[pos{s.line, col}] = true
			}
		}
	}
	for i, d := range p.defs {
		if before[i] || (d.field == "composite" && !othersPass) {
			continue
		}
		for _, s := range d.data {
			for col := s.start; col < s.end; col++ {
				q := pos{s.line, col}
				if d.field == "composite" && covered[q] {
					continue
				}
				f, _, ok := p.fieldAt(q)
				to := confusable[p.at(q)]
				if !ok || f.kind != kindAlnum || to == 0 {
					continue
				}
				// The issuer computed the composite over the right character too: when this is
				// the only failing field and the composite covers q, the swap must repair the
				// composite as well.
				fixes, breaks := p.trySwap(q, to, before)
				needComposite := compositeFails && compositeCovers[q] && failingFields == 1
				if !breaks && slices.Contains(fixes, d.field) && (!needComposite || slices.Contains(fixes, "composite")) {
					add(q, to, "", fixes)
				}
			}
		}
	}
	p.sortHints()
}

func (p *parser) sortHints() {
	slices.SortFunc(p.res.Hints, func(a, b Hint) int {
		if a.Line != b.Line {
			return a.Line - b.Line
		}
		return a.Column - b.Column
	})
}
