package report

import (
	"fmt"
	"html/template"
	"math"
	"strconv"
	"strings"
)

// Colours of the charts. The HTML test looks for the operation colour's exact pixels in a
// screenshot, so keep it a flat fill.
const (
	colourOperation = "#2563eb"
	colourBefore    = "#9ca3af"
	colourScreened  = "#0d9488"
	colourConfirmed = "#16a34a"
	colourDismissed = "#dc2626"
	colourUndecided = "#d1d5db"
	colourGrid      = "#e5e7eb"
	colourText      = "#111827"
	colourMuted     = "#6b7280"
)

const chartWidth = 1000

// series is one set of values drawn in one colour.
type series struct {
	Name   string // data-series attribute and legend text
	Colour string
	Values []float64
}

// svgBuilder accumulates SVG markup; every text it is given is escaped.
type svgBuilder struct{ b strings.Builder }

func (s *svgBuilder) printf(format string, args ...any) { fmt.Fprintf(&s.b, format, args...) }

func esc(s string) string { return template.HTMLEscapeString(s) }

func num(f float64) string { return strconv.FormatFloat(math.Round(f*10)/10, 'f', -1, 64) }

// niceCeil returns the smallest 1, 2 or 5 times a power of ten that is at least v (1 for
// v <= 0), so axes end on round numbers.
func niceCeil(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*p >= v*(1-1e-12) {
			return m * p
		}
	}
	return 10 * p
}

func maxOf(ser []series) float64 {
	m := 0.0
	for _, s := range ser {
		for _, v := range s.Values {
			m = max(m, v)
		}
	}
	return m
}

func (s *svgBuilder) open(id, label string, height int) {
	s.printf(`<svg id="%s" class="chart" role="img" aria-label="%s" viewBox="0 0 %d %d" width="100%%" preserveAspectRatio="xMinYMin meet">`,
		esc(id), esc(label), chartWidth, height)
	s.printf(`<title>%s</title>`, esc(label))
}

func (s *svgBuilder) legend(y int, ser []series) {
	x := 0
	for _, sr := range ser {
		s.printf(`<rect class="legend" x="%d" y="%d" width="12" height="12" fill="%s"></rect>`, x, y, sr.Colour)
		s.printf(`<text x="%d" y="%d" font-size="13" fill="%s">%s</text>`, x+18, y+11, colourText, esc(sr.Name))
		x += 30 + 8*len(sr.Name)
	}
}

// hbars draws horizontal bars: one group per label, one bar per series, the value printed
// at the end of each bar.
func hbars(id, label string, labels []string, ser []series, format func(float64) string) template.HTML {
	const (
		labelWidth = 250
		barHeight  = 18
		barGap     = 3
		groupGap   = 12
		top        = 8
		valueRoom  = 110
	)
	if len(labels) == 0 {
		return empty(id, label)
	}
	group := len(ser)*(barHeight+barGap) - barGap + groupGap
	height := top + len(labels)*group + 28
	var s svgBuilder
	s.open(id, label, height)
	scale := float64(chartWidth-labelWidth-valueRoom) / niceCeil(maxOf(ser))
	for i, l := range labels {
		y0 := top + i*group
		s.printf(`<text x="%d" y="%d" font-size="13" text-anchor="end" fill="%s">%s</text>`,
			labelWidth-8, y0+(group-groupGap)/2+4, colourText, esc(truncate(l, 32)))
		for j, sr := range ser {
			v := sr.Values[i]
			y := y0 + j*(barHeight+barGap)
			w := v * scale
			if v > 0 {
				w = max(w, 1)
			}
			s.printf(`<rect class="bar" data-series="%s" data-label="%s" data-value="%s" x="%d" y="%d" width="%s" height="%d" fill="%s"><title>%s, %s: %s</title></rect>`,
				esc(sr.Name), esc(l), num(v), labelWidth, y, num(w), barHeight, sr.Colour, esc(l), esc(sr.Name), esc(format(v)))
			s.printf(`<text class="value" x="%s" y="%d" font-size="12" fill="%s">%s</text>`,
				num(float64(labelWidth)+w+6), y+barHeight-5, colourMuted, esc(format(v)))
		}
	}
	s.legend(height-16, ser)
	s.printf(`</svg>`)
	return template.HTML(s.b.String()) //nolint:gosec // built from escaped text and numbers only
}

// columns draws vertical bars over an ordered axis (days), with a value axis on the left and
// at most about 15 axis labels.
func columns(id, label string, labels []string, sr series, format func(float64) string) template.HTML {
	const (
		left   = 70
		top    = 10
		plotH  = 200
		bottom = 40
	)
	if len(labels) == 0 {
		return empty(id, label)
	}
	height := top + plotH + bottom
	var s svgBuilder
	s.open(id, label, height)
	ceil := niceCeil(maxOf([]series{sr}))
	for k := 0; k <= 4; k++ {
		v := ceil * float64(k) / 4
		y := float64(top+plotH) - float64(plotH)*float64(k)/4
		s.printf(`<line x1="%d" x2="%d" y1="%s" y2="%s" stroke="%s"></line>`, left, chartWidth, num(y), num(y), colourGrid)
		s.printf(`<text x="%d" y="%s" font-size="12" text-anchor="end" fill="%s">%s</text>`, left-6, num(y+4), colourMuted, esc(format(v)))
	}
	slot := float64(chartWidth-left) / float64(len(labels))
	barW := max(1, slot*0.8)
	every := (len(labels) + 14) / 15
	for i, l := range labels {
		v := sr.Values[i]
		h := v / ceil * plotH
		if v > 0 {
			h = max(h, 1)
		}
		x := float64(left) + float64(i)*slot + (slot-barW)/2
		s.printf(`<rect class="bar" data-series="%s" data-label="%s" data-value="%s" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`,
			esc(sr.Name), esc(l), num(v), num(x), num(float64(top+plotH)-h), num(barW), num(h), sr.Colour, esc(l), esc(format(v)))
		if i%every == 0 {
			s.printf(`<text x="%s" y="%d" font-size="11" text-anchor="middle" fill="%s">%s</text>`,
				num(x+barW/2), top+plotH+16, colourMuted, esc(l))
		}
	}
	s.printf(`</svg>`)
	return template.HTML(s.b.String()) //nolint:gosec // built from escaped text and numbers only
}

// segment is one part of a stacked bar.
type segment struct {
	Name   string
	Colour string
	Value  float64
}

// stack draws one horizontal bar split into segments, with a legend giving each value.
func stack(id, label string, segs []segment, format func(float64) string) template.HTML {
	total := 0.0
	for _, g := range segs {
		total += g.Value
	}
	if total == 0 {
		return empty(id, label)
	}
	var s svgBuilder
	s.open(id, label, 64)
	x := 0.0
	for _, g := range segs {
		w := g.Value / total * chartWidth
		s.printf(`<rect class="bar" data-series="%s" data-label="%s" data-value="%s" x="%s" y="0" width="%s" height="28" fill="%s"><title>%s: %s</title></rect>`,
			esc(g.Name), esc(g.Name), num(g.Value), num(x), num(w), g.Colour, esc(g.Name), esc(format(g.Value)))
		x += w
	}
	lx := 0
	for _, g := range segs {
		text := g.Name + " " + format(g.Value)
		s.printf(`<rect class="legend" x="%d" y="42" width="12" height="12" fill="%s"></rect>`, lx, g.Colour)
		s.printf(`<text x="%d" y="53" font-size="13" fill="%s">%s</text>`, lx+18, colourText, esc(text))
		lx += 40 + 8*len(text)
	}
	s.printf(`</svg>`)
	return template.HTML(s.b.String()) //nolint:gosec // built from escaped text and numbers only
}

func empty(id, label string) template.HTML {
	var s svgBuilder
	s.open(id, label, 40)
	s.printf(`<text x="0" y="24" font-size="14" fill="%s">No data in this period.</text></svg>`, colourMuted)
	return template.HTML(s.b.String()) //nolint:gosec // built from escaped text only
}

// truncate shortens s to at most n runes, ending with an ellipsis when it cut.
func truncate(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
