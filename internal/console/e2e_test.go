package console_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/watchpost/watchpost/internal/testenv"
	"github.com/watchpost/watchpost/pipeline/engine"
	"github.com/watchpost/watchpost/pipeline/event"
)

// browserTools finds node, npm and Debian's Chromium (WATCHPOST_CHROMIUM overrides the
// path). When one is missing the test is skipped, or fails under
// WATCHPOST_REQUIRE_INTEGRATION=1, where make test must have installed them.
func browserTools(t *testing.T) (node, npm, chromium string) {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		msg := what + " is missing: the console's browser test needs node, npm and Debian's chromium " +
			"(apt-get install -y nodejs npm chromium)"
		if os.Getenv(testenv.EnvRequire) == "1" {
			t.Fatalf("%s, and %s=1", msg, testenv.EnvRequire)
		}
		t.Skip(msg)
	}
	var err error
	if node, err = exec.LookPath("node"); err != nil {
		missing("node")
	}
	if npm, err = exec.LookPath("npm"); err != nil {
		missing("npm")
	}
	chromium = os.Getenv("WATCHPOST_CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		missing("chromium (" + chromium + ")")
	}
	return node, npm, chromium
}

// TestIntegrationConsoleBrowser drives the console in headless Chromium: a FRA officer
// logs in, sees the FRA alerts and none of DEU, filters by database, opens an alert's
// evidence and confirms it with a reason; the outcome and the audit trail are then read
// back from Kafka, and the screenshots checked.
// burstCount is the size of the live burst the browser test streams; maxRows is the page's
// cap on listed rows (MAX_ROWS in web/app.js).
const burstCount, maxRows = 1200, 200

func TestIntegrationConsoleBrowser(t *testing.T) {
	node, npm, chromium := browserTools(t)
	t.Parallel()
	e := newEnv(t)
	fra := []event.Alert{
		alert(1, "ROSSI", "FRA", "CDG", event.DBSLTD, "high"),
		alert(2, "VERDI", "FRA", "ORY", event.DBNotices, "critical"),
		alert(3, "BRUNO", "FRA", "CDG", event.DBNotices, "medium"),
		alert(4, "GALLO", "FRA", "NCE", event.DBSLTD, "low"),
	}
	deu := []event.Alert{
		alert(5, "SCHMIDTKE", "DEU", "MUC", event.DBNotices, "critical"),
		alert(6, "HOFFMANNSEGG", "DEU", "FRA", event.DBSLTD, "high"),
	}
	e.emit(t, append(slices.Clone(fra), deu...)...)

	dir := filepath.Join(t.TempDir(), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	ids := func(as ...event.Alert) []string {
		var out []string
		for _, a := range as {
			out = append(out, a.Hit.ID)
		}
		return out
	}
	open := fra[1] // a notices hit: it passes the filter below
	spec := map[string]any{
		"url": e.url, "chromium": chromium, "officer_id": "fra-1", "password": passwords["fra-1"], "out_dir": dir,
		"fra_ids": ids(fra...), "deu_ids": ids(deu...), "deu_names": []string{"SCHMIDTKE", "HOFFMANNSEGG"},
		"filter_db": "notices", "filter_ids": ids(fra[1], fra[2]), "open_id": open.Hit.ID, "reason": "identity_confirmed",
		"burst_count": burstCount,
	}
	// The burst: once the page is ready for it, burstCount notices alerts for FRA in batches
	// of 100 every 200 ms — 30,000 a minute.
	burstErr := make(chan error, 1)
	go func() {
		ready := filepath.Join(dir, "burst-ready")
		for {
			if _, err := os.Stat(ready); err == nil {
				break
			}
			select {
			case <-t.Context().Done():
				burstErr <- nil
				return
			case <-time.After(50 * time.Millisecond):
			}
		}
		var batch []event.Alert
		for i := range burstCount {
			batch = append(batch, alert(1000+i, fmt.Sprintf("BURST%04d", i), "FRA", "CDG", event.DBNotices, "high"))
			if len(batch) == 100 || i == burstCount-1 {
				if err := e.router.Emit(t.Context(), engine.Output{Alerts: batch}); err != nil {
					burstErr <- err
					return
				}
				batch = nil
				time.Sleep(200 * time.Millisecond)
			}
		}
		burstErr <- nil
	}()
	specPath := filepath.Join(t.TempDir(), "spec.json")
	b, err := json.Marshal(spec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(specPath, b, 0o600); err != nil {
		t.Fatal(err)
	}

	harness, err := filepath.Abs("e2e")
	if err != nil {
		t.Fatal(err)
	}
	run := func(timeout time.Duration, name string, args ...string) []byte {
		t.Helper()
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		defer cancel()
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = harness
		// playwright-core never downloads a browser; say so anyway, and keep npm quiet.
		cmd.Env = append(os.Environ(), "PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1", "npm_config_update_notifier=false")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("%s %s: %v\nstdout:\n%s\nstderr:\n%s", filepath.Base(name), strings.Join(args, " "), err, stdout.Bytes(), stderr.Bytes())
		}
		return stdout.Bytes()
	}
	run(5*time.Minute, npm, "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error")
	out := run(3*time.Minute, node, "run.mjs", specPath)

	var res struct {
		Rows            []string `json:"rows"`
		Filtered        []string `json:"filtered"`
		Reasons         []string `json:"reasons"`
		DetailSubject   string   `json:"detail_subject"`
		DecisionStatus  string   `json:"decision_status"`
		ForbiddenStatus int      `json:"forbidden_status"`
		WrongPassword   string   `json:"wrong_password_message"`
		Screenshots     []string `json:"screenshots"`
		BurstCount      int      `json:"burst_count"`
		BurstRows       int      `json:"burst_rows"`
		BurstMS         int      `json:"burst_ms"`
		BurstMaxLagMS   int      `json:"burst_max_lag_ms"`
		BurstOpenMS     int      `json:"burst_open_ms"`
	}
	if err := json.Unmarshal(bytes.TrimSpace(out), &res); err != nil {
		t.Fatalf("harness output %q: %v", out, err)
	}
	t.Logf("browser saw %d alerts, %d after filtering; opened %q with evidence %v; %s",
		len(res.Rows), len(res.Filtered), res.DetailSubject, res.Reasons, res.DecisionStatus)
	if err := <-burstErr; err != nil {
		t.Fatalf("emitting the burst: %v", err)
	}
	t.Logf("burst of %d alerts (30,000 a minute offered): all in the page after %d ms; main thread blocked at most %d ms; %d rows in the list; the newest opened in %d ms",
		res.BurstCount, res.BurstMS, res.BurstMaxLagMS, res.BurstRows, res.BurstOpenMS)
	if res.BurstCount != burstCount {
		t.Errorf("the page counted %d alerts of the burst, want %d", res.BurstCount, burstCount)
	}
	if res.BurstRows != maxRows {
		t.Errorf("%d rows in the list after the burst, want it capped at %d", res.BurstRows, maxRows)
	}
	if !strings.Contains(res.WrongPassword, "wrong officer id or password") {
		t.Errorf("wrong-password message %q", res.WrongPassword)
	}
	if res.DecisionStatus != "Decided: confirmed (identity confirmed)" {
		t.Errorf("decision status %q", res.DecisionStatus)
	}
	if res.ForbiddenStatus != 403 {
		t.Errorf("the browser's request for a DEU alert answered %d, want 403", res.ForbiddenStatus)
	}
	if res.DetailSubject != "VERDI, Test" || !slices.Equal(res.Reasons, []string{"document_number", "birth_date", "sex"}) {
		t.Errorf("detail showed %q with evidence %v", res.DetailSubject, res.Reasons)
	}

	// The confirmation is an Outcome on the outcomes topic.
	outs := e.outcomes(t, 1)
	if len(outs) != 1 {
		t.Fatalf("%d outcomes on the topic, want 1", len(outs))
	}
	if o := outs[0]; o.HitID != open.Hit.ID || o.Decision != event.DecisionConfirmed || o.ReasonCode != "identity_confirmed" || o.OfficerID != "fra-1" || o.Country != "FRA" {
		t.Errorf("outcome %+v", o)
	}

	// The audit trail: every alert shown, the detail viewed, the confirmation, the refused
	// DEU request; and no DEU alert shown or viewed.
	evs := e.audits(t, 1+len(fra)+2+1+1+1)
	acts := map[event.AuditAction][]string{}
	for _, a := range evs {
		if a.OfficerID != "fra-1" || a.Country != "FRA" {
			t.Errorf("audit event of another officer: %+v", a)
		}
		acts[a.Action] = append(acts[a.Action], a.HitID)
	}
	for _, id := range ids(fra...) {
		if !slices.Contains(acts[event.AuditAlertShown], id) {
			t.Errorf("FRA alert %s shown without an audit event", id)
		}
	}
	for _, id := range ids(deu...) {
		if slices.Contains(acts[event.AuditAlertShown], id) || slices.Contains(acts[event.AuditAlertViewed], id) {
			t.Errorf("DEU alert %s was shown to a FRA officer", id)
		}
	}
	if !slices.Contains(acts[event.AuditAlertViewed], open.Hit.ID) || !slices.Equal(acts[event.AuditHitConfirmed], []string{open.Hit.ID}) ||
		!slices.Equal(acts[event.AuditAccessDenied], []string{deu[0].Hit.ID}) || len(acts[event.AuditLoginFailed]) != 1 || len(acts[event.AuditLogin]) != 1 {
		t.Errorf("audit trail %v", acts)
	}

	// Screenshots: PNGs of the viewport, with content.
	want := []string{"00-login.png", "01-alerts.png", "02-filtered.png", "03-detail.png", "04-confirmed.png", "05-burst.png"}
	if len(res.Screenshots) != len(want) {
		t.Errorf("harness reports screenshots %v, want %v", res.Screenshots, want)
	}
	for _, name := range want {
		checkScreenshot(t, filepath.Join(dir, name))
	}
	if keep := os.Getenv("WATCHPOST_CONSOLE_SCREENSHOTS"); keep != "" {
		// For a person to look at: the test's own copies go with its temp dir.
		if err := os.MkdirAll(keep, 0o755); err == nil {
			for _, name := range want {
				if b, err := os.ReadFile(filepath.Join(dir, name)); err == nil {
					_ = os.WriteFile(filepath.Join(keep, name), b, 0o644)
				}
			}
		}
	}
}

// checkScreenshot checks that path is a 1280x800 PNG (the viewport) that is not blank:
// it holds many colours, as a rendered page does.
func checkScreenshot(t *testing.T, path string) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil || st.Size() < 8<<10 {
		t.Errorf("%s: %d bytes, want a real screenshot (at least 8 KiB)", path, st.Size())
	}
	img, err := png.Decode(f)
	if err != nil {
		t.Errorf("%s is not a PNG: %v", path, err)
		return
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 {
		t.Errorf("%s is %dx%d, want the 1280x800 viewport", path, b.Dx(), b.Dy())
	}
	if n := colours(img, 64); n < 16 {
		t.Errorf("%s has %d distinct colours: a blank page?", path, n)
	}
}

// colours counts the distinct colours of img, stopping at limit.
func colours(img image.Image, limit int) int {
	seen := map[[4]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 3 {
		for x := b.Min.X; x < b.Max.X; x += 3 {
			r, g, bl, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, bl, a}] = true
			if len(seen) >= limit {
				return len(seen)
			}
		}
	}
	return len(seen)
}
