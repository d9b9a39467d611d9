'use strict';
// effsim serve's page: edit the scenario, and every edit re-runs it through the JSON API.
// Plain JavaScript, no libraries, no network beyond this server. The charts are the report's
// own SVGs, drawn by the server; this page only places them.

const token = new URLSearchParams(location.search).get('token') || '';
// One computation per page at a time: the server cancels this page's older one on a newer one.
const pageId = Array.from(crypto.getRandomValues(new Uint8Array(8)), b => b.toString(16).padStart(2, '0')).join('');
// The smallest run compare takes: two chunks of 65,536 trials (the interval needs two batches).
const compareMinimum = 131072;

let baseline = null;   // the file as loaded (or last saved)
let doc = null;        // the edited document
let lastRun = null;    // the newest valid answer
let lastCompare = null;
let sequence = 0;      // the newest edit's number: an older answer is dropped
let controller = null;
// Edit-to-redraw times in milliseconds (make serve-check prints their p95).
window.effsimTimings = [];

const $ = id => document.getElementById(id);

// `seq` numbers the request in the page's order of edits (X-Effsim-Sequence): the server lets
// the newest edit's computation win even when an older request reaches it later.
async function api(method, path, body, signal, seq = sequence) {
  const headers = { 'Authorization': 'Bearer ' + token, 'X-Effsim-Page': pageId, 'X-Effsim-Sequence': String(seq) };
  const init = { method, headers, signal };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  let json = null;
  try { json = JSON.parse(text); } catch (e) { json = { error: text }; }
  return { status: response.status, body: json, headers: response.headers };
}

// ---- Paths into the document: "factors[0].distribution.ci" ----

function parsePath(path) {
  const parts = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) parts.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  return parts;
}

function setAt(target, path, value) {
  const parts = parsePath(path);
  let o = target;
  for (const p of parts.slice(0, -1)) o = o[p];
  const last = parts[parts.length - 1];
  if (value === undefined) delete o[last]; else o[last] = value;
}

function getAt(target, path) {
  let o = target;
  for (const p of parsePath(path)) { if (o == null) return undefined; o = o[p]; }
  return o;
}

// ---- Editors: every field shows the value as written and writes back what is typed ----

// Text to a JSON value: a number when it reads as one, else the text itself (so that
// effsim's validation says what is wrong, in its own words).
function fromText(text) {
  const t = text.trim();
  if (t === '') return undefined;
  if (t === 'null') return null;
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return text;
}

function toText(value) {
  if (value === undefined) return '';
  if (value === null) return 'null';
  if (Array.isArray(value) && value.every(v => typeof v === 'number' || typeof v === 'string')) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function field(container, label, path, kind) {
  const row = document.createElement('div');
  row.className = 'field';
  const name = document.createElement('label');
  name.textContent = label;
  const value = getAt(doc, path);
  const input = document.createElement(kind === 'json' ? 'textarea' : 'input');
  input.dataset.path = path;
  input.value = kind === 'json' ? JSON.stringify(value, null, 1) : toText(value);
  name.htmlFor = input.id = 'f-' + path.replace(/[^a-zA-Z0-9]/g, '-');
  input.addEventListener('input', () => edited(input, kind));
  row.append(name, input);
  container.append(row);
}

function edited(input, kind) {
  const started = performance.now();
  const path = input.dataset.path;
  let value;
  if (kind === 'json') {
    try { value = JSON.parse(input.value); } catch (e) { showLocalProblem(input, 'not JSON: ' + e.message); return; }
  } else if (kind === 'list') {
    value = input.value.trim() === '' ? undefined : input.value.split(',').map(fromText).map(v => v === undefined ? '' : v);
  } else if (kind === 'text') {
    value = input.value === '' ? undefined : input.value;
  } else {
    value = fromText(input.value);
  }
  setAt(doc, path, value);
  recompute(started);
}

function showLocalProblem(input, text) {
  clearFieldProblems();
  input.classList.add('invalid');
  const p = document.createElement('div');
  p.className = 'problem';
  p.textContent = text;
  input.parentElement.append(p);
  $('results').classList.add('stale');
}

function buildEditors() {
  const factors = $('factors');
  factors.replaceChildren();
  (doc.factors || []).forEach((f, i) => {
    const box = document.createElement('fieldset');
    box.dataset.factor = f.id;
    const legend = document.createElement('legend');
    legend.textContent = f.id + (f.unit ? ' [' + f.unit + ']' : '');
    box.append(legend);
    const d = f.distribution || {};
    for (const key of Object.keys(d)) {
      const v = d[key];
      const kind = Array.isArray(v) ? (v.every(x => typeof x !== 'object') ? 'list' : 'json')
        : (v !== null && typeof v === 'object') ? 'json' : key === 'type' ? 'text' : 'number';
      field(box, key, `factors[${i}].distribution.${key}`, kind);
    }
    field(box, 'floor', `factors[${i}].floor`, 'number');
    const stats = document.createElement('div');
    stats.className = 'factor-stats';
    stats.dataset.metric = f.id;
    box.append(stats);
    factors.append(box);
  });
  const outputs = $('outputs');
  outputs.replaceChildren();
  (doc.outputs || []).forEach((o, i) => {
    const box = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = o.id;
    box.append(legend);
    if (o.expression !== undefined) field(box, 'expression', `outputs[${i}].expression`, 'text');
    if (o.groups !== undefined) field(box, 'groups', `outputs[${i}].groups`, 'list');
    field(box, 'unit', `outputs[${i}].unit`, 'text');
    outputs.append(box);
  });
}

// ---- Problems: effsim validate's messages, next to the field their JSON path names ----

function clearFieldProblems() {
  document.querySelectorAll('.field .problem').forEach(p => p.remove());
  document.querySelectorAll('.invalid').forEach(e => e.classList.remove('invalid'));
}

function showProblems(body) {
  clearFieldProblems();
  const list = $('problems');
  list.replaceChildren();
  for (const line of body.validate || [body.error]) {
    const li = document.createElement('li');
    li.textContent = line;
    list.append(li);
  }
  for (const problem of body.problems || []) {
    // The field whose path is the longest prefix of the problem's path.
    let best = null;
    for (const input of document.querySelectorAll('[data-path]')) {
      const p = input.dataset.path;
      if ((problem.path === p || problem.path.startsWith(p + '.') || problem.path.startsWith(p + '['))
          && (!best || p.length > best.dataset.path.length)) best = input;
    }
    if (!best) continue;
    best.classList.add('invalid');
    const note = document.createElement('div');
    note.className = 'problem';
    note.textContent = problem.path + ': ' + problem.message;
    best.parentElement.append(note);
  }
  $('results').classList.add('stale');
}

// ---- Results ----

function shown(x) {
  if (x === null || x === undefined) return '';
  const a = Math.abs(x);
  return (a !== 0 && (a >= 1e6 || a < 1e-3)) ? x.toExponential(3) : Number(x.toPrecision(4)).toString();
}

function cell(row, text, className, data) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  Object.assign(td.dataset, data || {});
  row.append(td);
  return td;
}

function header(table, names) {
  const tr = document.createElement('tr');
  for (const n of names) { const th = document.createElement('th'); th.textContent = n; tr.append(th); }
  table.append(tr);
}

function renderRun(answer) {
  lastRun = answer;
  const thresholds = answer.columns.filter(c => c.startsWith('p_gt_'));
  const table = $('summary-table');
  table.replaceChildren();
  header(table, ['metric', 'p10', 'p50', '95% interval of p50', 'p90'].concat(thresholds.map(t => 'P(>' + t.slice(5) + ')')));
  for (const id of answer.order) {
    const m = answer.metrics[id];
    if (m.kind === 'factor') continue;
    const s = m.statistics, i = m.intervals.p50 || {};
    const tr = document.createElement('tr');
    cell(tr, id + (m.unit ? ' [' + m.unit + ']' : ''));
    for (const [stat, text] of [['p10', shown(s.p10)], ['p50', shown(s.p50)], ['p50-interval', shown(i.lo95) + ' to ' + shown(i.hi95)], ['p90', shown(s.p90)]]) {
      cell(tr, text, 'n', { metric: id, stat, value: stat === 'p50-interval' ? '' : String(s[stat]) });
    }
    for (const t of thresholds) cell(tr, (s[t] * 100).toFixed(1) + '%', 'n', { metric: id, stat: t, value: String(s[t]) });
    table.append(tr);
  }
  // Each factor's panel: its median and the share raised to the floor.
  document.querySelectorAll('.factor-stats').forEach(e => {
    const m = answer.metrics[e.dataset.metric];
    if (!m) { e.textContent = ''; return; }
    e.textContent = 'p10 ' + shown(m.statistics.p10) + ' · p50 ' + shown(m.statistics.p50) + ' · p90 ' + shown(m.statistics.p90)
      + (m.statistics.floor_share !== null ? ' · at floor ' + (m.statistics.floor_share * 100).toFixed(1) + '%' : '');
  });
  const warnings = $('warnings');
  warnings.replaceChildren();
  for (const w of answer.warnings) { const p = document.createElement('p'); p.className = 'warning'; p.textContent = w; warnings.append(p); }
  const charts = $('charts');
  charts.innerHTML = Object.values(answer.charts).join('\n');
}

function renderCompare(answer) {
  lastCompare = answer;
  const table = $('compare-table');
  table.replaceChildren();
  header(table, ['metric', 'statistic', 'a', 'b', 'b − a', 'lo95', 'hi95', '']);
  const outputs = new Set((doc.outputs || []).map(o => o.id));
  for (const r of answer.rows) {
    // The outputs' headline rows; compare.csv (download) has every row.
    if (!outputs.has(r.metric) || !['p10', 'p50', 'p90'].concat(lastRun ? lastRun.columns.filter(c => c.startsWith('p_gt_')) : []).includes(r.statistic)) continue;
    const tr = document.createElement('tr');
    cell(tr, r.metric);
    cell(tr, r.statistic);
    for (const k of ['a', 'b', 'difference', 'lo95', 'hi95']) cell(tr, shown(r[k]), 'n', { metric: r.metric, stat: r.statistic, column: k, value: String(r[k]) });
    cell(tr, r.significant ? '*' : '', 'mark');
    table.append(tr);
  }
  $('compare-charts').innerHTML = answer.charts.map(c => c.figures.join('\n')).join('\n');
}

function trials() {
  const t = $('trials').value.trim();
  return t === '' ? undefined : Number(t);
}

function status(text) { $('status').textContent = text; }
function message(text) { $('message').textContent = text; }

// Re-runs the edited scenario; the newest edit's answer wins, an older one is dropped.
async function recompute(started) {
  const mine = ++sequence;
  if (controller) controller.abort();
  controller = new AbortController();
  const signal = controller.signal;
  status('running…');
  try {
    const run = await api('POST', '/api/run', { scenario: doc, trials: trials() }, signal, mine);
    if (mine !== sequence) return;
    if (run.status === 422) { showProblems(run.body); status('invalid: the last valid answer is greyed'); return; }
    if (run.status !== 200) { status(run.body.error || ('error ' + run.status)); return; }
    clearFieldProblems();
    $('problems').replaceChildren();
    renderRun(run.body);
    $('results').classList.remove('stale');
    await new Promise(requestAnimationFrame);
    const elapsed = performance.now() - started;
    window.effsimTimings.push(elapsed);
    status(run.body.trials.toLocaleString('en') + ' trials, seed ' + run.body.seed + ' · ' + elapsed.toFixed(0) + ' ms');
    const n = Math.max(run.body.trials, compareMinimum);
    const compared = await api('POST', '/api/compare', { a: baseline, b: doc, trials: n }, signal, mine);
    if (mine !== sequence) return;
    if (compared.status === 200) renderCompare(compared.body);
  } catch (e) {
    if (e.name !== 'AbortError') status('error: ' + e.message);
  }
}

async function precise() {
  const mine = ++sequence;
  if (controller) controller.abort();
  controller = new AbortController();
  const bar = $('progress');
  bar.hidden = false;
  bar.value = 0;
  const n = Number($('precise-trials').value);
  status('precise run: ' + n.toLocaleString('en') + ' trials…');
  const poll = setInterval(async () => {
    try {
      const p = await api('GET', '/api/progress');
      if (p.body.running && p.body.total > 0) bar.value = p.body.done / p.body.total;
    } catch (e) { /* the next poll tries again */ }
  }, 200);
  const started = performance.now();
  try {
    const run = await api('POST', '/api/run', { scenario: doc, trials: n }, controller.signal, mine);
    if (mine !== sequence) return;
    if (run.status === 422) { showProblems(run.body); return; }
    if (run.status !== 200) { status(run.body.error || ('error ' + run.status)); return; }
    renderRun(run.body);
    $('results').classList.remove('stale');
    status(n.toLocaleString('en') + ' trials, seed ' + run.body.seed + ' · ' + ((performance.now() - started) / 1000).toFixed(1) + ' s');
  } catch (e) {
    if (e.name !== 'AbortError') status('error: ' + e.message);
  } finally {
    clearInterval(poll);
    bar.hidden = true;
  }
}

async function sensitivity() {
  status('sensitivity…');
  const r = await api('POST', '/api/sensitivity', { scenario: doc, trials: trials() });
  if (r.status === 422) { showProblems(r.body); return; }
  if (r.status !== 200) { status(r.body.error || ('error ' + r.status)); return; }
  $('tornado').innerHTML = '<h2>Sensitivity</h2>' + (r.body.chart || '<p>No output to draw on a log scale.</p>');
  lastRun = Object.assign({}, lastRun, { sensitivity: r.body.files['sensitivity.csv'] });
  status('sensitivity from ' + r.body.trials.toLocaleString('en') + ' trials');
}

function documentText() { return JSON.stringify(doc, null, 2) + '\n'; }

async function save() {
  const r = await api('PUT', '/api/scenario', documentText());
  if (r.status === 200) {
    baseline = JSON.parse(JSON.stringify(doc));
    message('saved ' + r.body.saved);
  } else if (r.status === 422) {
    showProblems(r.body);
    message('not saved: the scenario is invalid');
  } else {
    message('not saved: ' + (r.body.error || r.status));
  }
}

function download(name) {
  const texts = {
    'scenario': [documentText(), 'application/json', (doc.name || 'scenario') + '.json'],
    'summary.csv': [lastRun && lastRun.files['summary.csv'], 'text/csv', 'summary.csv'],
    'precision.csv': [lastRun && lastRun.files['precision.csv'], 'text/csv', 'precision.csv'],
    'compare.csv': [lastCompare && lastCompare.files['compare.csv'], 'text/csv', 'compare.csv'],
  };
  const [text, type, file] = texts[name];
  if (!text) { message('nothing to download yet'); return; }
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type }));
  a.download = file;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

async function load() {
  const r = await api('GET', '/api/scenario');
  if (r.status !== 200) { status(r.body.error || ('error ' + r.status)); return; }
  baseline = r.body;
  $('file').textContent = r.headers.get('X-Effsim-File') || '';
  doc = JSON.parse(JSON.stringify(baseline));
  $('name').textContent = doc.name || '';
  document.title = 'effsim serve: ' + (doc.name || '');
  buildEditors();
  recompute(performance.now());
}

$('save').addEventListener('click', save);
$('reset').addEventListener('click', () => { doc = JSON.parse(JSON.stringify(baseline)); buildEditors(); recompute(performance.now()); });
$('precise').addEventListener('click', precise);
$('sensitivity').addEventListener('click', sensitivity);
$('trials').addEventListener('change', () => recompute(performance.now()));
document.querySelectorAll('[data-download]').forEach(b => b.addEventListener('click', () => download(b.dataset.download)));
load();
