package paxlst

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/watchpost/watchpost/pipeline/edifact"
)

const incomplete = "multi-part message incomplete, kept with the parts at hand: "

// Assemble joins the parts of one multi-part message that arrived in separate interchanges,
// each decoded with Options.Partial, into one message in part order. All parts must carry the
// same common access reference. When parts are still missing it returns the joined message
// with Complete false and an error wrapping ErrMissingPart, so the caller can keep it and
// assemble again when the next part arrives; a part sent twice or after the final part is an
// error and the message is not returned.
func Assemble(parts ...Message) (Message, error) {
	if len(parts) == 0 {
		return Message{}, errors.New("assembling PAXLST parts: no parts")
	}
	for _, p := range parts {
		if p.Parts == nil {
			return Message{}, errors.New("assembling PAXLST parts: a message sent whole is not a part")
		}
		if p.CommonRef != parts[0].CommonRef {
			return Message{}, errors.New("assembling PAXLST parts: the parts carry different common access references")
		}
	}
	m, st, err := assemble(parts)
	if err != nil {
		return Message{}, fmt.Errorf("assembling PAXLST parts: %w", err)
	}
	if !m.Complete {
		return m, fmt.Errorf("assembling PAXLST parts: %w: %s", ErrMissingPart, st.String())
	}
	return m, nil
}

// assemble joins the parts of one multi-part message, ordered by sequence number. The result
// is Complete when every part from 1 to the final one is present once; its control totals are
// then checked.
func assemble(set []Message) (Message, edifact.PartStatus, *edifact.SyntaxError) {
	set = slices.Clone(set)
	slices.SortStableFunc(set, func(a, b Message) int { return a.Parts[0] - b.Parts[0] })
	var seqs []int
	final := 0
	for _, p := range set {
		seqs = append(seqs, p.Parts...)
		final = max(final, p.FinalPart)
	}
	st := edifact.CheckParts(seqs, final)
	if len(st.Repeated) > 0 || len(st.After) > 0 {
		return Message{}, st, &edifact.SyntaxError{Segment: set[0].Segment, Line: set[0].Line, Tag: "UNH", Element: "4.1",
			Message: "multi-part message inconsistent: " + st.String()}
	}
	m := set[0]
	m.Parts = slices.Clone(m.Parts)
	m.Travellers = slices.Clone(m.Travellers)
	m.Counts = slices.Clone(m.Counts)
	m.Warnings = dropIncomplete(m.Warnings)
	m.FreeText = slices.Clone(m.FreeText)
	for _, p := range set[1:] {
		m.Parts = append(m.Parts, p.Parts...)
		m.Travellers = append(m.Travellers, p.Travellers...)
		m.Counts = append(m.Counts, p.Counts...)
		m.FreeText = append(m.FreeText, p.FreeText...)
		m.Warnings = append(m.Warnings, dropIncomplete(p.Warnings)...)
		at := edifact.Warning{Segment: p.Segment, Line: p.Line, Tag: "UNH"}
		switch {
		case len(m.Legs) == 0:
			m.Legs = p.Legs
		case len(p.Legs) > 0 && !sameLegs(m.Legs, p.Legs):
			at.Message = "part " + strconv.Itoa(p.Parts[0]) + " declares another itinerary (TDT, LOC, DTM); the first part's is kept"
			m.Warnings = append(m.Warnings, at)
		}
		if p.DocCode != m.DocCode {
			at.Message = "part " + strconv.Itoa(p.Parts[0]) + " declares another document code (BGM); the first part's is kept"
			m.Warnings = append(m.Warnings, at)
		}
		if m.Reporter == nil {
			m.Reporter = p.Reporter
		}
	}
	slices.Sort(m.Parts)
	slices.SortStableFunc(m.Travellers, func(a, b Traveller) int { return a.Part - b.Part })
	slices.SortStableFunc(m.Counts, func(a, b Count) int { return a.Part - b.Part })
	m.FinalPart = final
	m.Complete = st.Complete()
	if m.Complete {
		m.Warnings = append(m.Warnings, checkCounts(&m)...)
	}
	sortWarnings(m.Warnings)
	return m, st, nil
}

func dropIncomplete(ws []edifact.Warning) []edifact.Warning {
	var out []edifact.Warning
	for _, w := range ws {
		if !strings.HasPrefix(w.Message, incomplete) {
			out = append(out, w)
		}
	}
	return out
}

func sameLegs(a, b []Leg) bool {
	return slices.EqualFunc(a, b, func(x, y Leg) bool {
		x.Segment, y.Segment = 0, 0
		return x == y
	})
}
