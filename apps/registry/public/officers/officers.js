// The officers' search page: plain ES module, no build step. It calls the
// same API as any client (GET /v1/reports, GET /v1/reports/:id, POST
// /v1/reports/:id/status, GET /v1/reports/:id/evidence) with the officer's
// key, which stays in this tab (sessionStorage) and is sent only to this
// origin. Everything shown is set as text, never as HTML.

const $ = (selector) => document.querySelector(selector);
let cursor = null;
let lastQuery = '';
let searches = 0;

const key = () => sessionStorage.getItem('officer-key') ?? '';

async function api(path, options = {}) {
  const response = await fetch(path, { ...options, headers: { Authorization: `Bearer ${key()}`, ...(options.body ? { 'Content-Type': 'application/json' } : {}), ...(options.headers ?? {}) } });
  const body = response.headers.get('content-type')?.includes('json') ? await response.json() : await response.text();
  if (!response.ok) throw new Error(body?.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${response.status}`);
  return body;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (name === 'class') node.className = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) if (child !== null && child !== undefined) node.append(child instanceof Node ? child : String(child));
  return node;
}

const message = (text, isError = false) => {
  $('#message').textContent = text;
  $('#message').className = isError ? 'error' : 'muted';
};

function queryString() {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData($('#filters'))) {
    if (!value) continue;
    params.set(name, name === 'from' || name === 'to' ? new Date(`${value}T00:00:00+08:00`).toISOString() : value);
  }
  return params;
}

function suspectLabel(s) {
  return s.kind === 'work' ? `${s.registrationNumber ?? ''} ${s.title ?? ''}` : `${s.sourceUrl} (${s.platform ?? ''})`;
}

async function search(more = false) {
  const params = queryString();
  if (!more) cursor = null;
  if (cursor) params.set('cursor', cursor);
  lastQuery = params.toString();
  message('Searching…');
  try {
    const page = await api(`/v1/reports?${lastQuery}`);
    const tbody = $('#results tbody');
    if (!more) tbody.replaceChildren();
    for (const r of page.items) {
      tbody.append(
        el(
          'tr',
          { 'data-report-id': r.id, 'data-status': r.status, onclick: () => open(r.id) },
          el('td', {}, new Date(r.detectedAt).toLocaleString('zh-CN', { hour12: false })),
          el('td', { class: 'status' }, r.status),
          el('td', { class: `sev-${r.severity}` }, r.severity),
          el('td', {}, r.media),
          el('td', { class: 'score' }, r.score.toFixed(3)),
          el('td', {}, `${r.original.registrationNumber} ${r.original.title}`),
          el('td', {}, suspectLabel(r.suspect)),
          el('td', {}, r.licence.status),
        ),
      );
    }
    cursor = page.nextCursor;
    $('#more').hidden = !cursor;
    message(`${tbody.children.length} report(s)${cursor ? ', more available' : ''}`);
    document.body.dataset.results = String(tbody.children.length);
  } catch (error) {
    message(error.message, true);
  }
  // For automation: a search finished (results or error are on the page).
  document.body.dataset.searches = String(++searches);
}

function evidenceView(evidence) {
  if (evidence.method === 'sha256') return el('p', {}, `Identical file: SHA-256 ${evidence.sha256}`);
  if (evidence.method === 'image') {
    return el(
      'div',
      {},
      el('p', {}, `Image ${evidence.match} match, Hamming distance ${evidence.distance}/64 (threshold ${evidence.match === 'region' ? evidence.thresholds.region : evidence.thresholds.global})`),
      el('ul', {}, evidence.regions.map((r) => el('li', { class: 'region' }, `original ${r.original.kind} x=${r.original.x} y=${r.original.y} w=${r.original.w} h=${r.original.h}${r.original.angle ? ` rotated ${r.original.angle}°` : ''} ↔ suspect ${r.suspect.kind} x=${r.suspect.x} y=${r.suspect.y} w=${r.suspect.w} h=${r.suspect.h}${r.suspect.angle ? ` rotated ${r.suspect.angle}°` : ''} (distance ${r.distance})`))),
    );
  }
  return el(
    'div',
    {},
    el('p', {}, `Text: Jaccard ${evidence.jaccard}, ${Math.round(evidence.originalInSuspect * 100)}% of the original's phrases in the suspect, ${Math.round(evidence.suspectInOriginal * 100)}% of the suspect's in the original; ${evidence.passages.length} passage(s)${evidence.passagesOmitted ? ` (+${evidence.passagesOmitted} more)` : ''}.`),
    evidence.passages.map((p) =>
      el('div', { class: 'passage' }, el('div', {}, el('small', { class: 'muted' }, `original ${p.original.start}–${p.original.end}`), el('pre', {}, p.original.text)), el('div', {}, el('small', { class: 'muted' }, `suspect ${p.suspect.start}–${p.suspect.end}`), el('pre', {}, p.suspect.text))),
    ),
  );
}

function download(name, text, type) {
  const link = el('a', { href: URL.createObjectURL(new Blob([text], { type })), download: name });
  document.body.append(link);
  link.click();
  link.remove();
}

async function open(id) {
  const panel = $('#detail');
  panel.hidden = false;
  panel.replaceChildren(el('p', { class: 'muted' }, 'Loading…'));
  try {
    const r = await api(`/v1/reports/${id}`);
    const s = r.suspect;
    const statusForm = el(
      'form',
      { id: 'status-form' },
      el('label', {}, 'New status ', el('select', { name: 'status' }, r.allowedTransitions.map((t) => el('option', { value: t }, t)))),
      el('label', {}, 'Reason ', el('input', { name: 'reason', size: '60', required: 'required', minlength: '3' })),
      el('button', { type: 'submit' }, 'Change status'),
    );
    statusForm.addEventListener('submit', async (event) => {
      event.preventDefault();
      const data = Object.fromEntries(new FormData(statusForm));
      try {
        await api(`/v1/reports/${id}/status`, { method: 'POST', body: JSON.stringify(data) });
        await open(id);
        await search();
      } catch (error) {
        message(error.message, true);
      }
    });
    panel.replaceChildren(
      el('h2', {}, `Report ${r.id}`),
      el('p', { id: 'detail-status', 'data-status': r.status }, `Status ${r.status} · severity ${r.severity} · score ${r.score} · ${r.matchKind} ${r.media} match · licence: ${r.licence.status}`),
      el(
        'div',
        { class: 'pair' },
        el('dl', {}, el('dt', {}, 'Original'), el('dd', {}, `${r.original.registrationNumber} ${r.original.title}`), el('dt', {}, 'SHA-256'), el('dd', {}, el('code', {}, r.original.sha256)), el('dt', {}, 'Priority'), el('dd', {}, `ledger index ${r.priority.originalLedgerIndex ?? 'pending'}, registered ${r.priority.originalRegisteredAt}`)),
        el('dl', {}, el('dt', {}, 'Suspect'), el('dd', {}, suspectLabel(s)), el('dt', {}, 'SHA-256'), el('dd', {}, el('code', {}, s.sha256)), el('dt', {}, s.kind === 'work' ? 'Registered' : 'Seen'), el('dd', {}, s.kind === 'work' ? `ledger index ${r.priority.suspectLedgerIndex ?? 'pending'}` : s.seenAt)),
      ),
      el('h3', {}, 'Evidence'),
      evidenceView(r.evidence),
      el('h3', {}, 'History'),
      el('ol', { class: 'history' }, r.history.map((e) => el('li', {}, `${e.at} ${e.kind}${e.to ? ` → ${e.to}` : ''} by ${e.actor.kind === 'system' ? 'the scanner' : `${e.actor.name ?? e.actor.partyId} (${e.actor.role})`}${e.note ? `: ${e.note}` : ''}`))),
      r.confirmation ? el('p', {}, r.confirmation.status === 'integrated' ? `Confirmed on the ledger at index ${r.confirmation.proof.ledgerIndex}.` : 'Confirmation pending integration into the ledger.') : '',
      r.allowedTransitions.length ? statusForm : el('p', { class: 'muted' }, 'Final status.'),
      el(
        'p',
        {},
        el('button', { type: 'button', id: 'export', onclick: async () => download(`report-${id}.evidence.json`, JSON.stringify(await api(`/v1/reports/${id}/evidence`), null, 2), 'application/json') }, 'Export evidence package'),
        ' ',
        el('button', { type: 'button', id: 'takedown', onclick: async () => { try { download(`report-${id}.takedown.txt`, await api(`/v1/reports/${id}/takedown-notice`), 'text/plain'); } catch (error) { message(error.message, true); } } }, 'Takedown notice'),
      ),
    );
    panel.dataset.reportId = id;
    panel.scrollIntoView();
  } catch (error) {
    panel.replaceChildren(el('p', { class: 'error' }, error.message));
  }
}

$('#auth').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem('officer-key', $('#key').value.trim());
  $('#key').value = '';
  $('#who').textContent = 'key set for this tab';
  search();
});
$('#filters').addEventListener('submit', (event) => {
  event.preventDefault();
  search();
});
$('#more').addEventListener('click', () => search(true));
if (key()) {
  $('#who').textContent = 'key set for this tab';
  search();
}
document.body.dataset.ready = 'true';
