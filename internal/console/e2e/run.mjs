// Browser test of the Watchpost control-room console, run by TestIntegrationConsoleBrowser
// (internal/console/e2e_test.go), which starts the console against an in-process Kafka,
// produces the alerts and checks what this script reports against the topics.
//
//   node run.mjs SPEC.json
//
// SPEC: {url, chromium, officer_id, password, out_dir, fra_ids[], deu_ids[], deu_names[],
//        filter_db, filter_ids[], open_id, reason, burst_count}
// With burst_count, the script finally writes out_dir/burst-ready, the test then streams
// that many alerts as fast as a busy day's thousands a minute and more, and the script
// reports how the page kept up and that it stays usable.
// It drives Debian's Chromium (never a downloaded browser) through playwright-core, checks
// what a FRA officer sees, writes PNG screenshots into out_dir and prints one JSON object
// on stdout. Any failed check exits non-zero with the reason on stderr.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const spec = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const timeout = 30_000;
const screenshots = [];
const result = {};

function check(cond, msg) {
  if (!cond) throw new Error('check failed: ' + msg);
}

const sameSet = (a, b) => a.length === b.length && [...a].sort().join() === [...b].sort().join();

async function shot(page, name) {
  const path = join(spec.out_dir, name);
  await page.screenshot({ path, fullPage: false });
  screenshots.push(path);
}

async function rowIds(page) {
  return page.$$eval('#alert-list li[data-id]', (lis) => lis.map((li) => li.dataset.id));
}

const browser = await chromium.launch({
  executablePath: spec.chromium,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  page.setDefaultTimeout(timeout);
  const consoleErrors = [];
  // A refused request (401 before login, 403 below) is logged by Chromium as a failed
  // resource load: expected. Anything else is a defect of the page.
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  const offsite = [];
  page.on('request', (r) => { if (!r.url().startsWith(spec.url)) offsite.push(r.url()); });

  // Log in.
  await page.goto(spec.url);
  await page.waitForSelector('#login-form', { state: 'visible' });
  await shot(page, '00-login.png');
  await page.fill('#officer-id', spec.officer_id);
  await page.fill('#password', 'not the password');
  await page.click('#login-submit');
  await page.waitForFunction(() => document.querySelector('#login-error').textContent.length > 0);
  result.wrong_password_message = await page.textContent('#login-error');
  await page.fill('#password', spec.password);
  await page.click('#login-submit');
  await page.waitForSelector('#console', { state: 'visible' });
  result.officer = await page.textContent('#officer');
  result.country = await page.textContent('#country');
  check(result.officer === spec.officer_id && result.country === 'FRA', `header shows ${result.officer} / ${result.country}`);

  // The FRA alerts, and none of DEU.
  await page.waitForFunction((n) => document.querySelectorAll('#alert-list li[data-id]').length >= n, spec.fra_ids.length);
  await page.waitForSelector('#stream-status[data-state="live"]');
  await page.waitForTimeout(500); // an extra alert, if any were wrongly streamed, would show now
  result.rows = await rowIds(page);
  check(sameSet(result.rows, spec.fra_ids), `rows ${result.rows} are not the FRA alerts ${spec.fra_ids}`);
  for (const id of spec.deu_ids) check(!result.rows.includes(id), `DEU alert ${id} is listed`);
  const text = await page.textContent('body');
  for (const name of spec.deu_names) check(!text.includes(name), `the page shows the DEU subject ${name}`);
  await shot(page, '01-alerts.png');

  // Filter by database.
  await page.selectOption('#filter-db', spec.filter_db);
  await page.waitForFunction(
    ([db, n]) => {
      const lis = [...document.querySelectorAll('#alert-list li[data-id]')];
      return lis.length === n && lis.every((li) => li.dataset.database === db);
    },
    [spec.filter_db, spec.filter_ids.length]);
  result.filtered = await rowIds(page);
  check(sameSet(result.filtered, spec.filter_ids), `filtered rows ${result.filtered}, want ${spec.filter_ids}`);
  await shot(page, '02-filtered.png');

  // Open one alert's detail and its evidence.
  await page.click(`#alert-list li[data-id="${spec.open_id}"]`);
  await page.waitForSelector(`#detail[data-id="${spec.open_id}"]`, { state: 'visible' });
  await page.waitForFunction(() => document.querySelectorAll('#reasons tbody tr').length > 0);
  result.reasons = await page.$$eval('#reasons tbody tr', (trs) => trs.map((tr) => tr.dataset.field));
  result.detail_subject = await page.textContent('#d-subject');
  await shot(page, '03-detail.png');

  // Confirm it with a reason.
  await page.selectOption('#decision-kind', 'confirmed');
  await page.selectOption('#decision-reason', spec.reason);
  await page.click('#decide-btn');
  await page.waitForSelector('#decision-status[data-decision="confirmed"]');
  result.decision_status = await page.textContent('#decision-status');
  await page.waitForFunction((id) => {
    const li = document.querySelector(`#alert-list li[data-id="${id}"]`);
    return li && li.classList.contains('decided');
  }, spec.open_id);
  await shot(page, '04-confirmed.png');

  // The browser's own session cannot reach a DEU alert: the server refuses it.
  result.forbidden_status = await page.evaluate(async (id) => (await fetch('/api/alerts/' + id)).status, spec.deu_ids[0]);
  check(result.forbidden_status === 403, `a DEU alert answered ${result.forbidden_status}, want 403`);

  // Cookie flags as the browser stored them.
  const cookies = await context.cookies();
  result.cookie = cookies.map((c) => ({ name: c.name, httpOnly: c.httpOnly, sameSite: c.sameSite }));
  check(cookies.length === 1 && cookies[0].httpOnly && cookies[0].sameSite === 'Strict', `cookies ${JSON.stringify(result.cookie)}`);
  check(offsite.length === 0, `requests to other origins: ${offsite}`);

  if (spec.burst_count > 0) {
    // A burst of alerts: the page must take them all in, keep its list bounded, and stay
    // usable. A 50 ms interval probe measures how long the page's main thread was blocked.
    const before = Number(await page.textContent('#count'));
    await page.evaluate(() => {
      window.__lag = 0;
      let last = performance.now();
      window.__probe = setInterval(() => {
        const now = performance.now();
        window.__lag = Math.max(window.__lag, now - last - 50);
        last = now;
      }, 50);
    });
    writeFileSync(join(spec.out_dir, 'burst-ready'), '');
    const started = Date.now();
    await page.waitForFunction((n) => Number(document.querySelector('#count').textContent) >= n,
      before + spec.burst_count, { timeout: 120_000 });
    result.burst_ms = Date.now() - started;
    result.burst_max_lag_ms = Math.round(await page.evaluate(() => { clearInterval(window.__probe); return window.__lag; }));
    result.burst_count = Number(await page.textContent('#count')) - before;
    const rows = await rowIds(page);
    result.burst_rows = rows.length;
    const opened = Date.now();
    await page.click(`#alert-list li[data-id="${rows[0]}"]`);
    await page.waitForSelector(`#detail[data-id="${rows[0]}"]`, { state: 'visible' });
    result.burst_open_ms = Date.now() - opened;
    await shot(page, '05-burst.png');
  }
  check(consoleErrors.length === 0, `errors in the page: ${consoleErrors}`);
  result.screenshots = screenshots;
  process.stdout.write(JSON.stringify(result) + '\n');
} catch (err) {
  process.stderr.write(String(err && err.stack || err) + '\n');
  process.stderr.write('partial result: ' + JSON.stringify(result) + '\n');
  process.exitCode = 1;
} finally {
  await browser.close();
}
