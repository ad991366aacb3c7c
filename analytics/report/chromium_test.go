package report

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// chromium returns the headless browser to drive. It never installs one: without it the test
// skips, or fails under WATCHPOST_REQUIRE_INTEGRATION=1 (make test installs it).
func chromium(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("WATCHPOST_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("WATCHPOST_REQUIRE_INTEGRATION") == "1" {
		t.Fatal("chromium is not installed but WATCHPOST_REQUIRE_INTEGRATION=1: apt-get install -y chromium")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium) or set WATCHPOST_CHROMIUM")
	return ""
}

// runChromium runs headless Chromium on page with extra arguments and returns its stdout.
func runChromium(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 90*time.Second)
	defer cancel()
	base := []string{
		"--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,1600",
	}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("running chromium %v: %v\n%s", args, err, stderr.String())
	}
	return stdout.Bytes()
}

// svgByID returns the serialized <svg id="id">…</svg> element of dom.
func svgByID(t *testing.T, dom, id string) string {
	t.Helper()
	start := strings.Index(dom, `<svg id="`+id+`"`)
	if start < 0 {
		t.Fatalf("the rendered DOM has no chart %s", id)
	}
	end := strings.Index(dom[start:], "</svg>")
	if end < 0 {
		t.Fatalf("chart %s is not closed", id)
	}
	return dom[start : start+end]
}

var barValue = regexp.MustCompile(`<rect class="bar" data-series="([^"]*)" data-label="([^"]*)" data-value="([^"]*)"`)

// bars returns series → label → value of a chart's bars.
func bars(svg string) map[string]map[string]string {
	out := map[string]map[string]string{}
	for _, m := range barValue.FindAllStringSubmatch(svg, -1) {
		if out[m[1]] == nil {
			out[m[1]] = map[string]string{}
		}
		out[m[1]][m[2]] = m[3]
	}
	return out
}

// TestChromiumRendersReport loads the HTML report of the fixture in headless Chromium: the
// DOM it builds must hold every chart with one bar per number, and the numbers of the
// report; the screenshot must show the charts painted in their colours.
func TestChromiumRendersReport(t *testing.T) {
	t.Parallel()
	bin := chromium(t)
	r := fixture()
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteHTML(f, r); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	dom := string(runChromium(t, bin, page, "--dump-dom"))
	if !strings.Contains(dom, "<tbody>") {
		t.Fatal("the DOM has no <tbody>: it does not look parsed by a browser")
	}
	dbs := bars(svgByID(t, dom, "chart-hits-by-database"))
	for _, d := range r.Current.HitsByDatabase {
		if got, want := dbs["operation"][d.Database], strconv.FormatUint(d.Hits, 10); got != want {
			t.Errorf("hits-by-database bar for %s = %q, want %s", d.Database, got, want)
		}
	}
	for _, d := range r.Previous.HitsByDatabase {
		if got, want := dbs["before"][d.Database], strconv.FormatUint(d.Hits, 10); got != want {
			t.Errorf("hits-by-database 'before' bar for %s = %q, want %s", d.Database, got, want)
		}
	}
	if n := len(dbs["operation"]) + len(dbs["before"]); n != 6 {
		t.Errorf("hits-by-database has %d bars, want 6 (3 databases, two periods)", n)
	}
	days := bars(svgByID(t, dom, "chart-hits-by-day"))["hits"]
	screened := bars(svgByID(t, dom, "chart-screened-by-day"))["screened"]
	if len(days) != len(r.Current.ByDay) || len(screened) != len(r.Current.ByDay) {
		t.Errorf("per-day charts have %d and %d bars, want %d", len(days), len(screened), len(r.Current.ByDay))
	}
	for _, d := range r.Current.ByDay {
		day := d.Day.Format(dayLayout)
		if days[day] != strconv.FormatUint(d.Hits, 10) || screened[day] != strconv.FormatUint(d.Screened, 10) {
			t.Errorf("day %s: bars hits=%q screened=%q, want %d and %d", day, days[day], screened[day], d.Hits, d.Screened)
		}
	}
	posts := bars(svgByID(t, dom, "chart-hits-by-post"))["hits"]
	if posts["CDG Paris Charles de Gaulle"] != "44" || posts["ORY"] != "14" {
		t.Errorf("per-post bars = %v", posts)
	}
	decisions := bars(svgByID(t, dom, "chart-decisions"))
	if decisions["confirmed"]["confirmed"] != "39" || decisions["dismissed"]["dismissed"] != "12" || decisions["undecided"]["undecided"] != "7" {
		t.Errorf("decision bars = %v", decisions)
	}
	latency := bars(svgByID(t, dom, "chart-latency"))["operation"]
	if latency["p50"] != "412" || latency["p99"] != "2210" || latency["max"] != "3004" {
		t.Errorf("latency bars = %v", latency)
	}
	for id, want := range map[string]string{
		"kpi-travellers_screened": "182,340", "kpi-hits": "58", "kpi-confirmation_rate": "76.5%", "kpi-latency_p50_ms": "412 ms",
	} {
		re := regexp.MustCompile(`id="` + id + `">\s*<div class="label">[^<]*</div>\s*<div class="value">([^<]*)</div>`)
		m := re.FindStringSubmatch(dom)
		if m == nil || m[1] != want {
			t.Errorf("%s shows %v, want %q", id, m, want)
		}
	}

	shot := filepath.Join(dir, "report.png")
	runChromium(t, bin, page, "--screenshot="+shot)
	if keep := os.Getenv("WATCHPOST_REPORT_SCREENSHOT"); keep != "" {
		if b, err := os.ReadFile(shot); err == nil {
			_ = os.WriteFile(keep, b, 0o644)
		}
	}
	pf, err := os.Open(shot)
	if err != nil {
		t.Fatalf("chromium wrote no screenshot: %v", err)
	}
	defer pf.Close()
	img, err := png.Decode(pf)
	if err != nil {
		t.Fatalf("decoding the screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1200 || b.Dy() != 1600 {
		t.Errorf("screenshot is %dx%d, want 1200x1600", b.Dx(), b.Dy())
	}
	counts := colourCounts(img, colourOperation, colourScreened, colourConfirmed, colourDismissed, colourBefore)
	t.Logf("screenshot pixels per colour: %v", counts)
	for c, min := range map[string]int{colourOperation: 5000, colourScreened: 5000, colourConfirmed: 5000, colourDismissed: 1000, colourBefore: 2000} {
		if counts[c] < min {
			t.Errorf("the screenshot has %d pixels of %s, want at least %d: a chart is not painted", counts[c], c, min)
		}
	}
}

// colourCounts counts the pixels of img that have exactly each of the hex colours.
func colourCounts(img image.Image, hexes ...string) map[string]int {
	want := map[color.RGBA]string{}
	for _, h := range hexes {
		v, _ := strconv.ParseUint(strings.TrimPrefix(h, "#"), 16, 32)
		want[color.RGBA{uint8(v >> 16), uint8(v >> 8), uint8(v), 255}] = h
	}
	out := map[string]int{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, a := img.At(x, y).RGBA()
			if h, ok := want[color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), uint8(a >> 8)}]; ok {
				out[h]++
			}
		}
	}
	return out
}
