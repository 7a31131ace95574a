// Earthling dashboard: plain DOM and uPlot (vendored under /vendor/uplot), no build step. Every call is same-origin
// with the session cookie; every POST carries X-Earthling-Request, which the API requires so that another site cannot
// forge an action. The first paint comes from GET /api/cluster; the live stream keeps it fresh after that.
'use strict';
const $ = s => document.querySelector(s);
const state = {filters: {}, before: 0, pages: [], selected: null, history: null, charts: {}, page: 'overview'};

async function api(path, method = 'GET', body) {
  const headers = {'X-Earthling-Request': '1'};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const r = await fetch(path, {method, headers, credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body)});
  if (r.status === 401) { location.reload(); throw new Error('signed out'); }
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error(data && data.detail ? data.detail : r.status + ' ' + r.statusText);
  return data;
}

function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') e.className = v; else if (k.startsWith('on')) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v);
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}
const badge = s => el('span', {class: 'state s-' + s}, s);
// Why a job that is not final does not run (the API's "waiting"): its reason, the sentence on hover.
const waiting = j => j.waiting ? el('span', {class: 'muted waiting', title: j.waiting.detail}, ' ' + j.waiting.reason) : null;
const pad = n => String(n).padStart(2, '0');
// Date and time, local: "12-02 22:10:05" this year, with the year otherwise; the full ISO time on hover.
const time = ms => {
  if (!ms) return '';
  const d = new Date(ms);
  const day = (d.getFullYear() === new Date().getFullYear() ? '' : d.getFullYear() + '-') + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
  return el('span', {title: d.toISOString()}, day + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes()) + ':' + pad(d.getSeconds()));
};
const dur = ms => ms === undefined || ms === null ? '' : ms < 1000 ? ms + ' ms' : ms < 120000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms / 60000) + ' min';
const bytes = b => b <= 0 ? '?' : b > 1 << 30 ? (b / (1 << 30)).toFixed(1) + ' GiB' : Math.round(b / (1 << 20)) + ' MiB';
const pct = x => x < 0 ? '?' : Math.round(x * 100) + '%';
const bar = x => el('span', {class: 'bar', title: pct(x)}, el('i', {style: 'width:' + Math.max(0, Math.min(100, x * 100)) + '%'}));

function toast(text) {
  const t = $('#toast'); t.textContent = text; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => t.hidden = true, 4000);
}
async function act(label, path, describe, method = 'POST') {
  try {
    const r = await api(path, method);
    toast(label + ': ' + (describe ? describe(r) : 'done'));
    refreshJobs(); if (state.selected) showJob(state.selected);
  } catch (e) { toast(label + ': ' + e.message); }
}

function fill(tbody, rows) { tbody.replaceChildren(...rows); }

function renderCluster(c) {
  $('#leader').textContent = c.leader ? 'leader ' + c.self + ' · epoch ' + c.epoch : 'standby: no data';
  $('#logout').hidden = !c.tokenRequired;
  if (!c.leader) return;
  $('#counts').replaceChildren(...Object.entries(c.counts).map(([k, v]) => el('span', {}, badge(k), ' ', v)));
  fill($('#nodes tbody'), c.nodes.map(n => {
    const off = n.status === 'OFFLINE'; // its last readings are stale: show none
    return el('tr', {'data-node': n.id},
      el('td', {}, n.id), el('td', {}, badge(n.status), n.reason ? el('span', {class: 'muted'}, ' ' + n.reason) : null),
      el('td', {}, n.workers + (n.broken ? ' (' + n.broken + ' broken)' : '')),
      el('td', {}, off ? '–' : Math.min(n.running, n.workers) + ' / ' + n.idle),
      el('td', {}, off ? '–' : bar(n.cpuLoad), off ? '' : ' ' + pct(n.cpuLoad)), el('td', {}, off ? '–' : bytes(n.memoryAvailableBytes)),
      el('td', {}, off ? '–' : bytes(n.diskAvailableBytes)), el('td', {}, n.delivered),
      el('td', {}, n.status === 'ONLINE' ? el('button', {onclick: () => confirm('Drain ' + n.id + '?') && act('drain ' + n.id, '/api/nodes/' + encodeURIComponent(n.id) + '/drain')}, 'drain') : ''));
  }));
  fill($('#queues tbody'), c.queues.map(q => el('tr', {'data-queue': q.name},
    el('td', {}, q.name, q.paused ? el('span', {class: 'state s-CANCELLED'}, 'paused') : ''), el('td', {}, q.ready),
    el('td', {}, q.delayed), el('td', {}, q.running), el('td', {}, dur(q.oldestReadyAgeMs)),
    el('td', {}, q.submittedPerSecond + ' / ' + q.finishedPerSecond),
    el('td', {title: 'share of recent attempts that succeeded'}, bar(q.health), ' ', pct(q.health)),
    el('td', {class: 'muted', title: 'weight ' + q.weight + ' (share of turns)' + (q.concurrency ? ', at most ' + q.concurrency + ' at once' : '') + (q.rateLimit ? ', at most ' + q.rateLimit + ' starts per second' : '')},
      'w' + q.weight + (q.concurrency ? ' c' + q.concurrency : '') + (q.rateLimit ? ' ' + q.rateLimit + '/s' : '')),
    el('td', {class: 'actions'}, el('button', {onclick: () => act((q.paused ? 'resume ' : 'pause ') + q.name, '/api/queues/' + encodeURIComponent(q.name) + (q.paused ? '/resume' : '/pause'))}, q.paused ? 'resume' : 'pause'),
      ' ', el('button', {class: 'retry-dead', title: 'retry every DEAD job of this queue with a fresh attempt budget',
        onclick: () => confirm('Retry every DEAD job of queue ' + q.name + '?') && act('retry DEAD of ' + q.name, '/api/queues/' + encodeURIComponent(q.name) + '/retry', r => r.ids.length + ' jobs retried')}, 'retry dead'),
      ' ', el('button', {class: 'delete-dead danger', title: 'delete every DEAD job of this queue, with its events and logs, for good',
        onclick: () => confirm('Delete every DEAD job of queue ' + q.name + ' for good?') && act('delete DEAD of ' + q.name, '/api/queues/' + encodeURIComponent(q.name) + '/dead', r => r.ids.length + ' jobs deleted', 'DELETE')}, 'delete dead')))));
  fill($('#events tbody'), c.events.map(e => el('tr', {class: e.jobId ? '' : 'node-event'},
    el('td', {}, time(e.atMs)),
    el('td', {}, e.jobId ? el('a', {href: '#', onclick: ev => { ev.preventDefault(); showJob(e.jobId); }}, e.jobId) : e.node),
    el('td', {}, badge(e.kind)), el('td', {}, e.attempt || ''), el('td', {}, e.jobId ? (e.worker || e.node || '') : ''),
    el('td', {class: 'detail'}, e.detail || ''))));
  const by = $('#chart-by'), chosen = by.value;
  const options = [['', 'all queues']].concat(c.queues.map(q => ['queue:' + q.name, 'queue ' + q.name]),
    Object.keys((state.history && state.history.types) || {}).map(t => ['type:' + t, 'type ' + t]));
  if (by.options.length !== options.length) {
    by.replaceChildren(...options.map(([v, t]) => el('option', {value: v}, t)));
    by.value = chosen;
  }
}

// ---- charts: the last hour from /api/history, redrawn every 5 s ----

const COLORS = ['#2b6cb0', '#1f8a4c', '#c53030', '#b7791f', '#6b46c1', '#2c7a7b', '#97266d', '#4a5568'];
function chart(id, title, names, data, colors) {
  const box = $('#' + id);
  const width = Math.max(240, box.clientWidth), height = 150;
  const old = state.charts[id];
  const key = names.join('|');
  if (old && old.key === key && old.width === width) { old.plot.setData(data); return; }
  if (old) old.plot.destroy();
  const opts = {width, height, legend: {show: true}, cursor: {drag: {x: false, y: false}},
    // At least a minute wide: a few samples after a start would otherwise get ticks like ":12.500".
    scales: {x: {time: true, range: (u, min, max) => max == null ? [min, max] : [Math.min(min, max - 60), max]}}, axes: [{stroke: '#6b7385'}, {stroke: '#6b7385', size: 60}],
    series: [{}].concat(names.map((n, i) => ({label: n, stroke: colors[i % colors.length], width: 1.5, points: {show: false}, spanGaps: true})))};
  state.charts[id] = {key, width, plot: new uPlot(opts, data, box)};
}

function drawCharts() {
  const h = state.history;
  if (!h || typeof uPlot === 'undefined' || state.page !== 'overview') return;
  const x = h.atMs.map(ms => ms / 1000);
  const by = $('#chart-by').value;
  const s = by.startsWith('queue:') ? h.queues[by.slice(6)] : by.startsWith('type:') ? h.types[by.slice(5)] : h.total;
  const series = s || {in: x.map(() => 0), out: x.map(() => 0), failed: x.map(() => 0)};
  chart('chart-throughput', 'throughput', ['in', 'out'], [x, series.in, series.out], COLORS);
  chart('chart-failures', 'failures', ['failed'], [x, series.failed], ['#c53030']);
  const queues = by.startsWith('queue:') ? [by.slice(6)] : Object.keys(h.queues);
  chart('chart-depth', 'depth', queues.length ? queues : ['total'],
    [x].concat(queues.length ? queues.map(q => (h.queues[q] || {}).depth || x.map(() => 0)) : [h.total.depth]), COLORS);
  chart('chart-pickup', 'pickup', ['p99 ms'], [x, h.p99PickupMs], ['#6b46c1']);
  $('#charts').dataset.points = String(x.length);
}

async function refreshHistory() {
  try { state.history = await api('/api/history'); drawCharts(); } catch (e) { /* the next round tries again */ }
}

// ---- jobs ----

async function refreshJobs() {
  if (state.page !== 'overview') return;
  const f = state.filters;
  if (f.id) { return showJob(f.id); }
  const q = new URLSearchParams({limit: 25});
  for (const k of ['state', 'queue', 'type', 'q']) if (f[k]) q.set(k, f[k]);
  if (state.before) q.set('before', state.before);
  try {
    const page = await api('/api/jobs?' + q);
    fill($('#jobs tbody'), page.jobs.map(j => el('tr', {'data-id': j.id, class: j.id === state.selected ? 'selected' : '', onclick: () => showJob(j.id)},
      el('td', {}, j.id), el('td', {}, badge(j.state), waiting(j)), el('td', {}, j.queue), el('td', {}, j.type),
      el('td', {}, j.attempts + '/' + j.maxAttempts), el('td', {}, j.worker || j.node || ''),
      el('td', {}, time(j.createdAtMs)), el('td', {}, dur(j.runMs)))));
    $('#older').disabled = page.nextBefore === undefined;
    $('#older').onclick = () => { state.pages.push(state.before); state.before = page.nextBefore; refreshJobs(); };
    $('#newer').disabled = !state.before;
  } catch (e) { toast('jobs: ' + e.message); }
}

async function showJob(id) {
  state.selected = Number(id);
  try {
    const [j, ev] = await Promise.all([api('/api/jobs/' + id), api('/api/jobs/' + id + '/events')]);
    $('#detail').hidden = false;
    $('#detail-id').textContent = j.id;
    $('#detail-state').replaceChildren(badge(j.state));
    const fields = {'waiting because': j.waiting ? j.waiting.reason + ': ' + j.waiting.detail : undefined, queue: j.queue,
      type: j.type, attempts: j.attempts + ' of ' + j.maxAttempts, priority: j.priority,
      node: j.node, worker: j.worker, created: time(j.createdAtMs), started: time(j.startedAtMs),
      finished: time(j.finishedAtMs), 'run time': dur(j.runMs), error: j.error, payload: JSON.stringify(j.payload)};
    $('#detail-fields').replaceChildren(...Object.entries(fields).filter(([, v]) => v !== undefined && v !== '')
      .flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]));
    fill($('#detail-events tbody'), ev.events.map(e => el('tr', {}, el('td', {}, time(e.atMs)), el('td', {}, badge(e.kind)),
      el('td', {}, e.attempt || ''), el('td', {}, e.worker || e.node || ''), el('td', {class: 'detail'}, e.detail || ''))));
    $('#detail-result').textContent = j.result === undefined ? '(none)' : JSON.stringify(j.result, null, 2);
    const active = ['PENDING', 'ASSIGNED', 'RUNNING'].includes(j.state);
    $('#cancel-btn').hidden = !active;
    $('#cancel-btn').onclick = () => act('cancel ' + j.id, '/api/jobs/' + j.id + '/cancel');
    $('#retry-btn').hidden = j.state !== 'DEAD';
    $('#retry-btn').onclick = () => act('retry ' + j.id, '/api/jobs/' + j.id + '/retry');
    $('#run-now-btn').hidden = !(j.state === 'PENDING' && j.waiting && ['DELAYED', 'RETRY_BACKOFF'].includes(j.waiting.reason));
    $('#run-now-btn').onclick = () => act('run now ' + j.id, '/api/jobs/' + j.id + '/run-now', r => 'job ' + r.id + ' is due now');
    $('#delete-btn').hidden = !['SUCCEEDED', 'DEAD', 'CANCELLED'].includes(j.state);
    $('#delete-btn').onclick = async () => {
      if (!confirm('Delete job ' + j.id + ' with its events and log, for good?')) return;
      await act('delete ' + j.id, '/api/jobs/' + j.id, r => r.ids.length ? 'deleted' : 'kept: its split parent still waits for it', 'DELETE');
      $('#detail').hidden = true; state.selected = null;
    };
    showTree(j.id, $('#detail-tree'), $('#tree-count'), $('#tree-cells'));
    showLog(j.id);
  } catch (e) { toast('job ' + id + ': ' + e.message); }
}

// A split's children as one small cell each, coloured by state, and its gather job; hidden when it did not split.
async function showTree(id, box, count, cells) {
  try {
    const t = await api('/api/jobs/' + id + '/children?limit=200');
    box.hidden = t.children === 0;
    if (t.children === 0) return;
    count.textContent = t.childrenFinal + ' of ' + t.children + ' final' + (t.nextAfter ? ' (first 200 shown)' : '');
    const cell = c => el('a', {href: '#', class: 'cell s-' + c.state, title: 'job ' + c.id + ': ' + c.state + (c.error ? ': ' + c.error : ''),
      onclick: ev => { ev.preventDefault(); go('overview'); showJob(c.id); }});
    cells.replaceChildren(...t.page.map(cell), t.gather ? el('span', {class: 'muted'}, ' gathered by ') : '',
      t.gather ? el('a', {href: '#', onclick: ev => { ev.preventDefault(); go('overview'); showJob(t.gather.id); }}, 'job ' + t.gather.id + ' ', badge(t.gather.state)) : '');
  } catch (e) { box.hidden = true; }
}

async function showLog(id) {
  try {
    const l = await api('/api/jobs/' + id + '/logs');
    const parts = l.attempts.map(a => '── attempt ' + a.attempt + (a.truncated ? ' (truncated)' : '') + ' ──\n' + a.text);
    if (l.running) parts.push('── attempt ' + l.running.attempt + ' (running) ──\n' + l.running.text);
    const text = parts.join('\n');
    $('#detail-log').textContent = text || '(no output)';
  } catch (e) { $('#detail-log').textContent = '(' + e.message + ')'; }
}

// ---- schedules and pipelines pages ----

async function refreshSchedules() {
  try {
    const s = await api('/api/schedules');
    fill($('#schedules tbody'), s.schedules.length === 0 ? [el('tr', {}, el('td', {colspan: 9, class: 'muted'}, 'no schedules'))]
      : s.schedules.map(x => el('tr', {'data-schedule': x.name}, el('td', {}, x.name), el('td', {}, el('code', {}, x.cron)),
        el('td', {}, x.timeZone), el('td', {}, x.type), el('td', {}, x.queue), el('td', {}, x.origin),
        el('td', {}, time(x.lastTickMs) || 'never'), el('td', {}, time(x.nextTickMs)), el('td', {class: 'detail'}, x.payload))));
  } catch (e) { toast('schedules: ' + e.message); }
}

async function refreshPipelines() {
  try {
    const p = await api('/api/pipelines?limit=20');
    fill($('#pipelines tbody'), p.runs.length === 0 ? [el('tr', {}, el('td', {colspan: 5, class: 'muted'}, 'no pipeline runs yet (earthling pipeline run NAME)'))]
      : p.runs.map(r => el('tr', {'data-run': r.run.id},
        el('td', {}, el('a', {href: '#', onclick: ev => { ev.preventDefault(); go('overview'); showJob(r.run.id); }}, r.run.id)),
        el('td', {}, r.pipeline), el('td', {}, badge(r.run.state)), el('td', {}, time(r.run.createdAtMs)),
        el('td', {class: 'stages'}, ...r.stages.flatMap((s, i) => [i ? el('span', {class: 'muted'}, ' → ') : '',
          el('a', {href: '#', class: 'stage', title: s.error || '', onclick: ev => { ev.preventDefault(); if (s.jobId) showStage(s); }},
            s.type + ' ', badge(s.state), s.children ? ' ' + s.childrenFinal + '/' + s.children : '')])))));
  } catch (e) { toast('pipelines: ' + e.message); }
}

function showStage(s) {
  $('#stage-name').textContent = s.type + ' (job ' + s.jobId + ')';
  showTree(s.jobId, $('#stage-tree'), $('#stage-count'), $('#stage-cells'));
}

// ---- pages, filters, stream ----

function go(page) {
  state.page = ['schedules', 'pipelines'].includes(page) ? page : 'overview';
  for (const p of document.querySelectorAll('.page')) p.hidden = p.id !== 'page-' + state.page;
  for (const a of document.querySelectorAll('#tabs a')) a.className = a.dataset.page === state.page ? 'on' : '';
  if (location.hash !== '#' + state.page) history.replaceState(null, '', '#' + state.page);
  if (state.page === 'schedules') refreshSchedules();
  if (state.page === 'pipelines') refreshPipelines();
  if (state.page === 'overview') { refreshJobs(); drawCharts(); }
}
window.addEventListener('hashchange', () => go(location.hash.slice(1)));

$('#filters').addEventListener('submit', e => {
  e.preventDefault();
  state.filters = {state: $('#f-state').value, queue: $('#f-queue').value.trim(), type: $('#f-type').value.trim(), id: $('#f-id').value.trim(), q: $('#f-q').value};
  state.before = 0; state.pages = [];
  refreshJobs();
});
$('#chart-by').onchange = drawCharts;
$('#newer').onclick = () => { state.before = 0; state.pages = []; refreshJobs(); };
$('#close-btn').onclick = () => { $('#detail').hidden = true; state.selected = null; };
$('#logout').onclick = async () => { await fetch('/logout', {method: 'POST', headers: {'X-Earthling-Request': '1'}}); location.reload(); };
window.addEventListener('resize', () => { state.charts = Object.fromEntries(Object.entries(state.charts).map(([k, v]) => { v.plot.destroy(); return [k, null]; }).filter(([, v]) => v)); drawCharts(); });

function connect() {
  const es = new EventSource('/api/stream');
  es.addEventListener('hello', () => { $('#live').textContent = 'live'; $('#live').className = 'pill on'; });
  es.addEventListener('cluster', m => {
    renderCluster(JSON.parse(m.data));
    if (state.page === 'overview') {
      refreshJobs();
      if (state.selected && !$('#detail').hidden) showJob(state.selected);
    } else if (state.page === 'pipelines') {
      refreshPipelines();
    }
  });
  es.onerror = () => { $('#live').textContent = 'reconnecting'; $('#live').className = 'pill off'; };
}

// First paint at once from a snapshot, then live.
api('/api/cluster').then(renderCluster).catch(e => toast('cluster: ' + e.message));
go(location.hash.slice(1));
refreshHistory();
setInterval(refreshHistory, 5000);
connect();
