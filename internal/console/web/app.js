// Watchpost control-room console. Plain JavaScript, no external resource: the page's
// Content-Security-Policy allows none. Every value from the server is written with
// textContent, never as HTML.
'use strict';

(function () {
  const MAX_ALERTS = 2000; // alerts kept in memory, newest first
  const MAX_ROWS = 200;    // rows in the DOM: the list is capped, the rest is counted

  const state = {
    session: null,   // {officer_id, country, csrf_token}
    facets: null,
    alerts: [],      // summaries, newest first
    byId: new Map(),
    selected: null,  // hit id shown in the detail pane
    source: null,    // EventSource
    dropped: 0,
    dirty: false,
  };

  const $ = (id) => document.getElementById(id);

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }

  async function api(path, opts) {
    opts = opts || {};
    const headers = { 'Accept': 'application/json' };
    if (opts.body !== undefined) headers['Content-Type'] = 'application/json';
    if (opts.method === 'POST' && state.session) headers['X-CSRF-Token'] = state.session.csrf_token;
    const resp = await fetch(path, {
      method: opts.method || 'GET', headers, credentials: 'same-origin',
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
    let data = null;
    try { data = await resp.json(); } catch (_) { /* empty body */ }
    return { status: resp.status, ok: resp.ok, data };
  }

  // --- login ---

  function showLogin(message) {
    stopStream();
    state.session = null;
    $('console').hidden = true;
    $('whoami').hidden = true;
    $('login').hidden = false;
    $('login-error').textContent = message || '';
    $('password').value = '';
  }

  async function onLogin(ev) {
    ev.preventDefault();
    $('login-submit').disabled = true;
    $('login-error').textContent = '';
    try {
      const r = await api('/api/login', { method: 'POST', body: { officer_id: $('officer-id').value.trim(), password: $('password').value } });
      if (!r.ok) {
        $('login-error').textContent = (r.data && r.data.error) || ('login failed (' + r.status + ')');
        return;
      }
      $('password').value = '';
      await start(r.data);
    } finally {
      $('login-submit').disabled = false;
    }
  }

  async function onLogout() {
    await api('/api/logout', { method: 'POST', body: {} });
    showLogin('Logged out.');
  }

  // --- console ---

  async function start(session) {
    state.session = session;
    $('officer').textContent = session.officer_id;
    $('country').textContent = session.country;
    $('login').hidden = true;
    $('whoami').hidden = false;
    $('console').hidden = false;
    await loadFacets();
    fillSelect($('filter-db'), state.facets.databases);
    fillSelect($('filter-severity'), state.facets.severities);
    fillSelect($('filter-post'), state.facets.border_posts);
    fillReasons();
    openStream();
  }

  async function loadFacets() {
    const r = await api('/api/facets');
    if (r.status === 401) { showLogin('Your session has ended: log in again.'); return; }
    if (r.ok) state.facets = r.data;
  }

  function fillSelect(sel, values) {
    const keep = sel.value;
    const have = new Set(Array.from(sel.options).map((o) => o.value));
    for (const v of values || []) {
      if (!have.has(v)) sel.appendChild(el('option', { value: v }, v));
    }
    sel.value = keep;
  }

  function fillReasons() {
    const kind = $('decision-kind').value;
    const sel = $('decision-reason');
    sel.textContent = '';
    for (const code of (state.facets && state.facets.reasons[kind]) || []) {
      sel.appendChild(el('option', { value: code }, code.replace(/_/g, ' ')));
    }
  }

  function filterQuery() {
    const q = new URLSearchParams();
    if ($('filter-post').value) q.set('border_post', $('filter-post').value);
    if ($('filter-db').value) q.set('database', $('filter-db').value);
    if ($('filter-severity').value) q.set('severity', $('filter-severity').value);
    return q.toString();
  }

  function stopStream() {
    if (state.source) { state.source.close(); state.source = null; }
  }

  // openStream (re)starts the live stream for the current filters; the server replays the
  // recent alerts that match, then sends new ones as they come.
  function openStream() {
    stopStream();
    state.alerts = [];
    state.byId.clear();
    state.dropped = 0;
    $('dropped-wrap').hidden = true;
    schedule();
    const q = filterQuery();
    const src = new EventSource('/api/stream' + (q ? '?' + q : ''));
    state.source = src;
    setStatus('connecting', 'connecting…');
    src.onopen = () => setStatus('live', 'live');
    src.onerror = async () => {
      if (src.readyState === EventSource.CLOSED) {
        const r = await api('/api/session');
        if (r.status === 401) { showLogin('Your session has ended: log in again.'); return; }
        setTimeout(() => { if (state.source === src) openStream(); }, 2000);
      }
      setStatus('reconnecting', 'reconnecting…');
    };
    src.addEventListener('alert', (e) => addAlert(JSON.parse(e.data)));
    src.addEventListener('update', (e) => updateAlert(JSON.parse(e.data)));
    src.addEventListener('dropped', (e) => {
      state.dropped += JSON.parse(e.data).count;
      $('dropped').textContent = String(state.dropped);
      $('dropped-wrap').hidden = false;
    });
    src.addEventListener('logout', () => showLogin('Your session has ended: log in again.'));
    src.addEventListener('failure', () => setStatus('reconnecting', 'server unavailable, retrying…'));
  }

  function setStatus(stateName, text) {
    const s = $('stream-status');
    s.dataset.state = stateName;
    s.textContent = text;
  }

  function addAlert(a) {
    if (state.byId.has(a.id)) { updateAlert(a); return; }
    state.byId.set(a.id, a);
    state.alerts.unshift(a);
    if (state.alerts.length > MAX_ALERTS) {
      for (const old of state.alerts.splice(MAX_ALERTS)) state.byId.delete(old.id);
    }
    if (a.border_post) fillSelect($('filter-post'), [a.border_post]);
    schedule();
  }

  function updateAlert(u) {
    const a = state.byId.get(u.id);
    if (!a) return;
    if (u.repeats !== undefined) a.repeats = u.repeats;
    if (u.decision) a.decision = u.decision;
    if (state.selected === u.id && u.decision && $('decision-status').dataset.decision !== u.decision) showDecided(u.decision);
    schedule();
  }

  // schedule renders at most once per animation frame, however fast alerts arrive.
  function schedule() {
    if (state.dirty) return;
    state.dirty = true;
    requestAnimationFrame(render);
  }

  function render() {
    state.dirty = false;
    const list = $('alert-list');
    const frag = document.createDocumentFragment();
    const n = Math.min(state.alerts.length, MAX_ROWS);
    for (let i = 0; i < n; i++) frag.appendChild(row(state.alerts[i]));
    list.replaceChildren(frag);
    $('count').textContent = String(state.alerts.length);
    const more = $('list-more');
    more.hidden = state.alerts.length <= MAX_ROWS;
    more.textContent = (state.alerts.length - MAX_ROWS) + ' older alerts not listed: narrow the filters to see them';
  }

  function row(a) {
    const li = el('li', { 'class': 'row', 'data-id': a.id, 'data-database': a.database, 'data-severity': a.severity || '', 'data-post': a.border_post || '' });
    if (a.id === state.selected) li.classList.add('selected');
    if (a.decision) li.classList.add('decided');
    const t = new Date(a.event_time || a.raised_at);
    li.appendChild(el('span', null, isNaN(t) ? '' : t.toISOString().slice(11, 19)));
    const sev = el('span');
    sev.appendChild(el('span', { 'class': 'sev sev-' + (a.severity || 'low') }, a.severity || '—'));
    li.appendChild(sev);
    li.appendChild(el('span', null, a.database));
    li.appendChild(el('span', null, a.border_post));
    const subj = el('span', { 'class': 'subject' }, a.subject);
    if (a.repeats > 0) subj.appendChild(el('span', { 'class': 'repeats' }, '×' + (a.repeats + 1)));
    li.appendChild(subj);
    li.appendChild(el('span', null, Number(a.score).toFixed(2)));
    li.appendChild(el('span', { 'class': 'decision' }, a.decision || 'open'));
    return li;
  }

  async function openDetail(id) {
    state.selected = id;
    schedule();
    const r = await api('/api/alerts/' + encodeURIComponent(id));
    if (r.status === 401) { showLogin('Your session has ended: log in again.'); return; }
    if (!r.ok) {
      $('detail').hidden = false;
      $('d-subject').textContent = (r.data && r.data.error) || ('cannot open this alert (' + r.status + ')');
      return;
    }
    renderDetail(r.data);
  }

  function renderDetail(d) {
    const a = d.alert;
    const s = a.subject || {};
    const p = s.person;
    $('detail').hidden = false;
    $('detail').dataset.id = a.hit.id;
    $('d-subject').textContent = p ? [String(p.surname || '').toUpperCase(), p.given_names].filter(Boolean).join(', ') : (state.byId.get(a.hit.id) || {}).subject || s.id;
    $('d-action').textContent = a.hit.action || '';
    const facts = $('d-facts');
    facts.textContent = '';
    const add = (k, v) => { if (v !== undefined && v !== null && v !== '') { facts.appendChild(el('dt', null, k)); facts.appendChild(el('dd', null, v)); } };
    if (p) {
      add('Birth date', p.birth_date);
      add('Sex', p.sex);
      add('Nationality', p.nationality);
    }
    if (s.vehicle) { add('VIN', s.vehicle.vin); add('Plate', s.vehicle.plate + ' ' + (s.vehicle.plate_country || '')); add('Make / model', s.vehicle.make + ' ' + s.vehicle.model); }
    if (s.vessel) { add('IMO', s.vessel.imo); add('HIN', s.vessel.hin); add('Vessel', s.vessel.name); }
    if (s.firearm) { add('Serial', s.firearm.serial); add('Make / model', s.firearm.make + ' ' + s.firearm.model); add('Calibre', s.firearm.calibre); }
    add('Role', s.role);
    add('Database', a.hit.database);
    add('Record', a.hit.record_id);
    add('Record owner', a.hit.owner);
    add('Score', Number(a.hit.score).toFixed(4));
    add('Severity', a.hit.severity);
    add('Flight', a.context.flight);
    add('Route', [a.context.departure, a.context.arrival].filter(Boolean).join(' → '));
    add('Border post', a.context.border_post);
    add('Event time', a.context.event_time);
    add('Snapshot', a.hit.snapshot_version);
    add('Repeats', d.repeats > 0 ? String(d.repeats) : '');
    const docs = $('documents').tBodies[0];
    docs.textContent = '';
    for (const doc of (p && p.documents) || []) {
      const tr = el('tr');
      for (const v of [doc.type, doc.number, doc.issuer, doc.expiry]) tr.appendChild(el('td', null, v || ''));
      docs.appendChild(tr);
    }
    const reasons = $('reasons').tBodies[0];
    reasons.textContent = '';
    for (const x of a.hit.reasons || []) {
      const tr = el('tr', { 'data-field': x.field });
      tr.appendChild(el('td', null, x.field));
      tr.appendChild(el('td', null, x.match || ''));
      tr.appendChild(el('td', x.weight < 0 ? { 'class': 'neg' } : null, Number(x.weight).toFixed(3)));
      tr.appendChild(el('td', null, x.detail || ''));
      reasons.appendChild(tr);
    }
    if (d.decision) showDecided(d.decision); else showOpen();
  }

  function showOpen() {
    $('decide-btn').disabled = false;
    $('decision-kind').disabled = false;
    $('decision-reason').disabled = false;
    $('decision-status').textContent = '';
    $('decision-status').dataset.decision = '';
  }

  function showDecided(decision, reason) {
    $('decide-btn').disabled = true;
    $('decision-kind').disabled = true;
    $('decision-reason').disabled = true;
    $('decision-status').dataset.decision = decision;
    $('decision-status').textContent = 'Decided: ' + decision + (reason ? ' (' + reason.replace(/_/g, ' ') + ')' : '');
  }

  async function onDecide(ev) {
    ev.preventDefault();
    const id = $('detail').dataset.id;
    if (!id) return;
    const decision = $('decision-kind').value;
    const reason = $('decision-reason').value;
    $('decide-btn').disabled = true;
    $('decision-status').textContent = 'recording…';
    const r = await api('/api/alerts/' + encodeURIComponent(id) + '/decision', { method: 'POST', body: { decision: decision, reason_code: reason } });
    if (r.status === 401) { showLogin('Your session has ended: log in again.'); return; }
    if (!r.ok) {
      $('decide-btn').disabled = false;
      $('decision-status').textContent = (r.data && r.data.error) || ('not recorded (' + r.status + ')');
      return;
    }
    showDecided(r.data.decision, r.data.reason_code);
    updateAlert({ id: id, decision: r.data.decision });
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('login-form').addEventListener('submit', onLogin);
    $('logout').addEventListener('click', onLogout);
    $('decision-form').addEventListener('submit', onDecide);
    $('decision-kind').addEventListener('change', fillReasons);
    for (const id of ['filter-post', 'filter-db', 'filter-severity']) $(id).addEventListener('change', openStream);
    $('alert-list').addEventListener('click', (e) => {
      const li = e.target.closest('li[data-id]');
      if (li) openDetail(li.dataset.id);
    });
    setInterval(async () => {
      if (!state.session) return;
      await loadFacets();
      if (state.facets) fillSelect($('filter-post'), state.facets.border_posts);
    }, 30000);
    const r = await api('/api/session');
    if (r.ok) await start(r.data); else showLogin('');
  });
})();
