package pnrgov

import (
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/watchpost/watchpost/pipeline/edifact"
	"github.com/watchpost/watchpost/pipeline/fault"
)

// ErrMissingPart classifies the error for a multi-part message whose parts are not all in the
// interchange (errors.Is).
var ErrMissingPart = edifact.ErrMissingPart

// Options tune Decode. The zero value is the strict default.
type Options struct {
	// Partial keeps an incomplete multi-part message, marked Complete false with a warning,
	// instead of failing with ErrMissingPart.
	Partial bool
	// Now is the reference date for two-digit years when neither the flight (TVL) nor the
	// interchange (UNB) gives one; the zero value means the current time.
	Now time.Time
}

// Decode decodes a PNRGOV interchange with the default Options.
func Decode(b []byte) (*Result, error) { return Options{}.Decode(b) }

// Decode decodes a PNRGOV interchange. The error, marked fault.ErrPoison, wraps a
// *edifact.SyntaxError or an edifact.ErrorList naming each problem's segment, line, tag and
// element.
func (o Options) Decode(b []byte) (*Result, error) {
	ic, err := edifact.Parse(b)
	if err != nil {
		return nil, fault.Poison(fmt.Errorf("decoding PNRGOV: %w", err))
	}
	d := &decoder{ic: ic, sep: ic.Separators, ref: ic.Prepared}
	if d.ref.IsZero() {
		d.ref = o.Now
		if d.ref.IsZero() {
			d.ref = time.Now().UTC()
		}
	}
	var msgs []Message
	for i := range ic.Messages {
		if m := d.message(&ic.Messages[i]); m != nil {
			msgs = append(msgs, *m)
		}
		if len(d.errs) >= edifact.MaxErrors {
			break
		}
	}
	if len(d.errs) > 0 {
		return nil, fault.Poison(fmt.Errorf("decoding PNRGOV: %w", d.errs.Err()))
	}
	res := &Result{Messages: []Message{}, Warnings: []edifact.Warning{}}
	var keys []string
	sets := map[string][]Message{}
	for _, m := range msgs {
		k := "\x00" + strconv.Itoa(len(keys))
		if m.Parts != nil {
			k = m.CommonRef
		}
		if _, ok := sets[k]; !ok {
			keys = append(keys, k)
		}
		sets[k] = append(sets[k], m)
	}
	var errs edifact.ErrorList
	byUNH := map[int]int{}
	for _, k := range keys {
		set := sets[k]
		for _, p := range set {
			byUNH[p.Segment] = len(res.Messages)
		}
		if set[0].Parts == nil {
			m := set[0]
			m.Complete = true
			m.Warnings = append(m.Warnings, checkEQN(&m)...)
			res.Messages = append(res.Messages, m)
			continue
		}
		m, st, err := assemble(set)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !m.Complete {
			if !o.Partial {
				errs = append(errs, &edifact.SyntaxError{Segment: m.Segment, Line: m.Line, Tag: "UNH", Element: "4",
					Message: "multi-part message incomplete: " + st.String(), Err: ErrMissingPart})
				continue
			}
			m.Warnings = append(m.Warnings, edifact.Warning{Segment: m.Segment, Line: m.Line, Tag: "UNH", Element: "4",
				Message: "multi-part message incomplete, kept with the parts at hand: " + st.String()})
		}
		res.Messages = append(res.Messages, m)
	}
	if len(errs) > 0 {
		return nil, fault.Poison(fmt.Errorf("decoding PNRGOV: %w", errs.Err()))
	}
	for _, w := range ic.Warnings {
		i, ok := -1, false
		for _, em := range ic.Messages {
			if w.Segment >= em.Header.Index && w.Segment <= em.Trailer.Index {
				i, ok = byUNH[em.Header.Index]
				break
			}
		}
		if ok {
			res.Messages[i].Warnings = append(res.Messages[i].Warnings, w)
		} else {
			res.Warnings = append(res.Warnings, w)
		}
	}
	for i := range res.Messages {
		sortWarnings(res.Messages[i].Warnings)
		if res.Messages[i].Warnings == nil {
			res.Messages[i].Warnings = []edifact.Warning{}
		}
	}
	return res, nil
}

// AllWarnings returns the interchange's warnings and every message's.
func (r *Result) AllWarnings() []edifact.Warning {
	out := append([]edifact.Warning(nil), r.Warnings...)
	for _, m := range r.Messages {
		out = append(out, m.Warnings...)
	}
	sortWarnings(out)
	return out
}

func sortWarnings(ws []edifact.Warning) {
	key := func(w edifact.Warning) int {
		if w.Line == 0 {
			return int(^uint(0) >> 1)
		}
		return w.Line
	}
	slices.SortStableFunc(ws, func(a, b edifact.Warning) int { return key(a) - key(b) })
}

// assemble joins the parts of one multi-part message in sequence order.
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
	m.PNRs = slices.Clone(m.PNRs)
	m.eqn = slices.Clone(m.eqn)
	for _, p := range set[1:] {
		m.Parts = append(m.Parts, p.Parts...)
		m.PNRs = append(m.PNRs, p.PNRs...)
		m.eqn = append(m.eqn, p.eqn...)
		m.Warnings = append(m.Warnings, p.Warnings...)
		if m.Flight.Flight == "" {
			m.Flight = p.Flight
		} else if p.Flight.Flight != "" && p.Flight.Flight != m.Flight.Flight {
			m.Warnings = append(m.Warnings, edifact.Warning{Segment: p.Segment, Line: p.Line, Tag: "UNH",
				Message: "part " + strconv.Itoa(p.Parts[0]) + " is for another flight (TVL); the first part's is kept"})
		}
	}
	slices.Sort(m.Parts)
	m.FinalPart = final
	m.Complete = st.Complete()
	if m.Complete {
		m.Warnings = append(m.Warnings, checkEQN(&m)...)
	}
	return m, st, nil
}

// eqnCount is an EQN as declared, with the number of PNRs in its part.
type eqnCount struct {
	value, pnrs int
	seg, line   int
}

func checkEQN(m *Message) []edifact.Warning {
	var ws []edifact.Warning
	for _, c := range m.eqn {
		if c.value == c.pnrs || m.Complete && c.value == len(m.PNRs) {
			continue
		}
		ws = append(ws, edifact.Warning{Segment: c.seg, Line: c.line, Tag: "EQN", Element: "1.1",
			Message: "the number of PNRs is " + strconv.Itoa(c.value) + " but there are " + strconv.Itoa(c.pnrs)})
	}
	return ws
}
