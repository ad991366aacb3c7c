package edifact

import (
	"errors"
	"slices"
	"strconv"
	"strings"
)

// PartStatus describes which parts of a multi-part message are at hand.
type PartStatus struct {
	Final    int   // sequence number of the part marked F; 0 when it is not at hand
	Missing  []int // sequence numbers absent below the final part (or below the highest part at hand)
	Repeated []int // sequence numbers present more than once
	After    []int // sequence numbers above the final part
}

// Complete reports whether every part from 1 to the final part is at hand exactly once.
func (p PartStatus) Complete() bool {
	return p.Final > 0 && len(p.Missing) == 0 && len(p.Repeated) == 0 && len(p.After) == 0
}

// String says what is wrong, without data values: "part 2 of 3 is missing", "the final part
// (marked F) is missing after part 4", …; "" when complete.
func (p PartStatus) String() string {
	var msgs []string
	if len(p.Missing) > 0 {
		of := ""
		if p.Final > 0 {
			of = " of " + strconv.Itoa(p.Final)
		}
		msgs = append(msgs, plural("part", p.Missing, of+" missing"))
	}
	if p.Final == 0 {
		msgs = append(msgs, "the final part (marked F) is missing")
	}
	if len(p.Repeated) > 0 {
		msgs = append(msgs, plural("part", p.Repeated, " sent more than once"))
	}
	if len(p.After) > 0 {
		msgs = append(msgs, plural("part", p.After, " after the final part"))
	}
	return strings.Join(msgs, "; ")
}

// plural renders "part 2 of 3 is missing" or "parts 2, 3 of 4 are missing" from its pieces.
func plural(word string, ns []int, rest string) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	of, verb := "", " is"
	if len(ns) > 1 {
		word, verb = word+"s", " are"
	}
	if strings.HasPrefix(rest, " of ") {
		i := strings.Index(rest[4:], " ")
		of, rest = rest[:4+i], rest[4+i:]
	}
	return word + " " + strings.Join(s, ", ") + of + verb + rest
}

// CheckParts checks the sequence numbers of the parts at hand against the sequence number of
// the part marked final (0 when none is at hand).
func CheckParts(seqs []int, final int) PartStatus {
	st := PartStatus{Final: final}
	seen := map[int]int{}
	top := final
	for _, s := range seqs {
		seen[s]++
		if seen[s] == 2 {
			st.Repeated = append(st.Repeated, s)
		}
		if final > 0 && s > final && seen[s] == 1 {
			st.After = append(st.After, s)
		}
		if final == 0 && s > top {
			top = s
		}
	}
	for s := 1; s <= top; s++ {
		if seen[s] == 0 {
			st.Missing = append(st.Missing, s)
		}
	}
	slices.Sort(st.Repeated)
	slices.Sort(st.After)
	return st
}

// ErrMissingPart classifies the error for a multi-part message whose parts are not all in the
// interchange (errors.Is). paxlst and pnrgov re-export it, so one check covers both.
var ErrMissingPart = errors.New("multi-part message incomplete")
