// Earthling dashboard: plain DOM, no build step. Every call is same-origin with the session cookie; every POST
// carries X-Earthling-Request, which the API requires so that another site cannot forge an action.
'use strict';
const $ = s => document.querySelector(s);
const state = {filters: {}, before: 0, pages: [], selected: null};

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
const time = ms => ms ? new Date(ms).toLocaleTimeString() : '';
const dur = ms => ms === undefined || ms === null ? '' : ms < 1000 ? ms + ' ms' : ms < 120000 ? (ms / 1000).toFixed(1) + ' s' : Math.round(ms / 60000) + ' min';
const bytes = b => b <= 0 ? '?' : b > 1 << 30 ? (b / (1 << 30)).toFixed(1) + ' GiB' : Math.round(b / (1 << 20)) + ' MiB';
const pct = x => x < 0 ? '?' : Math.round(x * 100) + '%';
const bar = x => el('span', {class: 'bar', title: pct(x)}, el('i', {style: 'width:' + Math.max(0, Math.min(100, x * 100)) + '%'}));

function toast(text) {
  const t = $('#toast'); t.textContent = text; t.hidden = false;
  clearTimeout(toast.timer); toast.timer = setTimeout(() => t.hidden = true, 4000);
}
async function act(label, path) {
  try { await api(path, 'POST'); toast(label + ': done'); refreshJobs(); if (state.selected) showJob(state.selected); }
  catch (e) { toast(label + ': ' + e.message); }
}

function fill(tbody, rows) { tbody.replaceChildren(...rows); }

function renderCluster(c) {
  $('#leader').textContent = c.leader ? 'leader ' + c.self + ' · epoch ' + c.epoch : 'standby: no data';
  if (!c.leader) return;
  $('#counts').replaceChildren(...Object.entries(c.counts).map(([k, v]) => el('span', {}, badge(k), ' ', v)));
  fill($('#nodes tbody'), c.nodes.map(n => el('tr', {'data-node': n.id},
    el('td', {}, n.id), el('td', {}, badge(n.status), n.reason ? el('span', {class: 'muted'}, ' ' + n.reason) : null),
    el('td', {}, n.workers + (n.broken ? ' (' + n.broken + ' broken)' : '')),
    el('td', {}, Math.min(n.running, n.workers) + ' / ' + n.idle),
    el('td', {}, bar(n.cpuLoad), ' ', pct(n.cpuLoad)), el('td', {}, bytes(n.memoryAvailableBytes)),
    el('td', {}, bytes(n.diskAvailableBytes)), el('td', {}, n.delivered),
    el('td', {}, n.status === 'ONLINE' ? el('button', {onclick: () => confirm('Drain ' + n.id + '?') && act('drain ' + n.id, '/api/nodes/' + encodeURIComponent(n.id) + '/drain')}, 'drain') : ''))));
  fill($('#queues tbody'), c.queues.map(q => el('tr', {'data-queue': q.name},
    el('td', {}, q.name, q.paused ? el('span', {class: 'state s-CANCELLED'}, 'paused') : ''), el('td', {}, q.ready),
    el('td', {}, q.delayed), el('td', {}, q.running), el('td', {}, dur(q.oldestReadyAgeMs)),
    el('td', {}, q.submittedPerSecond + ' / ' + q.finishedPerSecond),
    el('td', {}, bar(q.health), ' ', pct(q.health)),
    el('td', {class: 'muted'}, 'w' + q.weight + (q.concurrency ? ' c' + q.concurrency : '') + (q.rateLimit ? ' ' + q.rateLimit + '/s' : '')),
    el('td', {}, el('button', {onclick: () => act((q.paused ? 'resume ' : 'pause ') + q.name, '/api/queues/' + encodeURIComponent(q.name) + (q.paused ? '/resume' : '/pause'))}, q.paused ? 'resume' : 'pause')))));
  fill($('#events tbody'), c.events.map(e => el('tr', {},
    el('td', {}, time(e.atMs)), el('td', {}, el('a', {href: '#', onclick: ev => { ev.preventDefault(); showJob(e.jobId); }}, e.jobId)),
    el('td', {}, badge(e.kind)), el('td', {}, e.attempt || ''), el('td', {}, e.worker || e.node || ''),
    el('td', {class: 'detail'}, e.detail || ''))));
}

async function refreshJobs() {
  const f = state.filters;
  if (f.id) { return showJob(f.id); }
  const q = new URLSearchParams({limit: 25});
  for (const k of ['state', 'queue', 'type']) if (f[k]) q.set(k, f[k]);
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
    const fields = {'waiting because': j.waiting ? j.waiting.reason + ': ' + j.waiting.detail : undefined, queue: j.queue, type: j.type, attempts: j.attempts + ' of ' + j.maxAttempts, priority: j.priority,
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
    showLog(j.id);
  } catch (e) { toast('job ' + id + ': ' + e.message); }
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

$('#filters').addEventListener('submit', e => {
  e.preventDefault();
  state.filters = {state: $('#f-state').value, queue: $('#f-queue').value.trim(), type: $('#f-type').value.trim(), id: $('#f-id').value.trim()};
  state.before = 0; state.pages = [];
  refreshJobs();
});
$('#newer').onclick = () => { state.before = 0; state.pages = []; refreshJobs(); };
$('#close-btn').onclick = () => { $('#detail').hidden = true; state.selected = null; };
$('#logout').onclick = async () => { await fetch('/logout', {method: 'POST', headers: {'X-Earthling-Request': '1'}}); location.reload(); };

function connect() {
  const es = new EventSource('/api/stream');
  es.addEventListener('hello', () => { $('#live').textContent = 'live'; $('#live').className = 'pill on'; });
  es.addEventListener('cluster', m => {
    renderCluster(JSON.parse(m.data));
    refreshJobs();
    if (state.selected && !$('#detail').hidden) showJob(state.selected);
  });
  es.onerror = () => { $('#live').textContent = 'reconnecting'; $('#live').className = 'pill off'; };
}
refreshJobs();
connect();
