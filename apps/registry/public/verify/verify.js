// The public verification page. Plain ES module, no build step. Every check
// runs here, in the browser, on data from the public ledger API: files are
// hashed with Web Crypto (they never leave the machine), RFC 9162 proofs and
// C2SP Ed25519 checkpoint signatures are verified with the algorithms of
// libs/ledger, and the RFC 3161 time-stamp's ECDSA signature is checked
// against the published TSA CA. The server is only a source of data.

const CERTIFICATE_FORMAT = 'copyright-ledger/registration-certificate';
const subtle = globalThis.crypto.subtle;

// ---------- bytes ----------
const utf8 = new TextEncoder();
const fromB64 = (text) => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const toB64 = (bytes) => btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
};
const equalBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
const sha256 = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));

// ---------- RFC 9162 Merkle proofs (same steps as libs/ledger/src/proofs.ts) ----------
const leafHash = (data) => sha256(concat(Uint8Array.of(0), data));
const nodeHash = (left, right) => sha256(concat(Uint8Array.of(1), left, right));
const odd = (x) => x % 2 === 1;
const half = (x) => Math.floor(x / 2);

async function verifyInclusion(leaf, index, treeSize, proof, root) {
  if (index >= treeSize) return false;
  let fn = index;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (p.length !== 32 || sn === 0) return false;
    if (odd(fn) || fn === sn) {
      r = await nodeHash(p, r);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(r, root);
}

async function verifyConsistency(from, to, proof, fromRoot, toRoot) {
  if (from > to) return false;
  if (from === to) return proof.length === 0 && equalBytes(fromRoot, toRoot);
  if (from === 0 || proof.length === 0) return false;
  let n = from;
  while (n > 1 && n % 2 === 0) n /= 2;
  const path = n === 1 ? [fromRoot, ...proof] : proof;
  let fn = from - 1;
  let sn = to - 1;
  while (odd(fn)) {
    fn = half(fn);
    sn = half(sn);
  }
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = await nodeHash(c, fr);
      sr = await nodeHash(c, sr);
      while (!odd(fn) && fn !== 0) {
        fn = half(fn);
        sn = half(sn);
      }
    } else {
      sr = await nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 && equalBytes(fr, fromRoot) && equalBytes(sr, toRoot);
}

// ---------- C2SP signed notes and checkpoints, Ed25519 ----------
async function parseVerifierKey(vkey) {
  const [name, idHex] = vkey.split('+', 2);
  const key = fromB64(vkey.slice(name.length + idHex.length + 2));
  if (key.length !== 33 || key[0] !== 1) throw new Error('not an Ed25519 verifier key');
  const publicKey = key.slice(1);
  const keyId = (await sha256(concat(utf8.encode(`${name}\n`), Uint8Array.of(1), publicKey))).slice(0, 4);
  if (toHex(keyId) !== idHex.toLowerCase()) throw new Error('verifier key id does not match its name and key');
  return { name, keyId, publicKey };
}

/** Verifies the note's signature by `verifier` (Ed25519 in Web Crypto) and returns { origin, size, root }. */
async function openCheckpoint(note, verifier) {
  const split = note.lastIndexOf('\n\n');
  if (split < 0) throw new Error('not a signed note');
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2).replace(/\n$/, '').split('\n');
  let signature;
  for (const line of lines) {
    const match = /^\u2014 (\S+) (\S+)$/u.exec(line);
    if (!match) throw new Error(`bad signature line ${line}`);
    const bytes = fromB64(match[2]);
    if (match[1] === verifier.name && equalBytes(bytes.slice(0, 4), verifier.keyId)) signature = bytes.slice(4);
  }
  if (!signature) throw new Error(`no signature by ${verifier.name}`);
  let key;
  try {
    key = await subtle.importKey('raw', verifier.publicKey, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw new Error('this browser cannot check Ed25519 signatures (Web Crypto); use a current browser or `npm run verify`');
  }
  if (!(await subtle.verify({ name: 'Ed25519' }, key, signature, utf8.encode(text)))) throw new Error('the signature does not verify');
  const [origin, size, root] = text.split('\n');
  return { origin, size: Number(size), root: fromB64(root) };
}

// ---------- RFC 8785 canonical JSON (for metadata hashes) ----------
function canonicalize(value) {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalize).join(',')}]`;
  const keys = Object.keys(value).filter((k) => value[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalize(value[k])}`).join(',')}}`;
}
const metadataHash = async (metadata) => toHex(await sha256(utf8.encode(canonicalize(metadata))));
const AMENDABLE = ['title', 'type', 'authors', 'completedOn', 'publication', 'description', 'derivedFrom'];
function applyChanges(metadata, changes) {
  const next = { ...metadata };
  for (const field of AMENDABLE) {
    if (!(field in changes)) continue;
    if (changes[field] === null) delete next[field];
    else next[field] = changes[field];
  }
  return next;
}

// ---------- DER, for the RFC 3161 token ----------
function tlv(buf, at) {
  const tag = buf[at];
  let p = at + 1;
  let len = buf[p++];
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[p++];
  }
  if (p + len > buf.length) throw new Error('truncated DER');
  return { tag, start: at, vstart: p, end: p + len, buf };
}
const kids = (node) => {
  const out = [];
  for (let p = node.vstart; p < node.end; ) {
    const child = tlv(node.buf, p);
    out.push(child);
    p = child.end;
  }
  return out;
};
const rawOf = (node) => node.buf.slice(node.start, node.end);
const valueOf = (node) => node.buf.slice(node.vstart, node.end);
const OID_MESSAGE_DIGEST = '2a864886f70d010904';
const OID_ECDSA_SHA256 = '2a8648ce3d040302';

/** ECDSA-Sig-Value (DER) to the r || s form Web Crypto wants. */
function ecdsaRaw(derSignature, size = 32) {
  const [r, s] = kids(tlv(derSignature, 0)).map((n) => {
    let v = valueOf(n);
    while (v.length > size && v[0] === 0) v = v.slice(1);
    return concat(new Uint8Array(size - v.length), v);
  });
  return concat(r, s);
}

function parseCertificate(der) {
  const [tbs, , signatureBits] = kids(tlv(der, 0));
  const fields = kids(tbs);
  const offset = fields[0].tag === 0xa0 ? 1 : 0;
  return {
    tbs: rawOf(tbs),
    serial: valueOf(fields[offset]),
    spki: rawOf(fields[offset + 5]),
    signature: valueOf(signatureBits).slice(1),
    sigAlg: toHex(valueOf(kids(fields[offset + 1])[0])),
  };
}

const pemToDer = (pem) => fromB64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
const ecKey = (spki) => subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
const ecVerify = (key, signatureDer, data) => subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, ecdsaRaw(signatureDer), data);

function generalizedTime(node) {
  const t = new TextDecoder().decode(valueOf(node));
  const m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\.\d+)?Z$/.exec(t);
  return m ? new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${m[7] ?? ''}Z`) : null;
}

/**
 * Checks a TimeStampResp: granted, imprint = expected SHA-256, messageDigest =
 * SHA-256(TSTInfo), ECDSA P-256 signature by the TSA certificate, and that
 * certificate signed by the CA. Returns { ok, detail, genTime }.
 */
async function verifyTimeStamp(response, expectedSha256Hex, caPem, tsaPem) {
  try {
    const [statusInfo, token] = kids(tlv(response, 0));
    if (valueOf(kids(statusInfo)[0])[0] > 1) return { ok: false, detail: 'the TSA refused this request' };
    const signedData = kids(kids(token)[1])[0];
    const parts = kids(signedData);
    const encap = parts[2];
    const tstInfo = valueOf(kids(kids(encap)[1])[0]);
    const info = kids(tlv(tstInfo, 0));
    const imprint = toHex(valueOf(kids(info[2])[1]));
    const genTime = generalizedTime(info[4]);
    const certs = parts.find((p) => p.tag === 0xa0);
    const signerInfo = kids(parts[parts.length - 1])[0];
    const [, sid, , signedAttrs, sigAlg, signature] = kids(signerInfo);
    if (toHex(valueOf(kids(sigAlg)[0])) !== OID_ECDSA_SHA256) return { ok: false, detail: 'signature algorithm is not ECDSA with SHA-256 (check it with openssl)', genTime };
    const digestAttr = kids(signedAttrs).find((a) => toHex(valueOf(kids(a)[0])) === OID_MESSAGE_DIGEST);
    const messageDigest = valueOf(kids(kids(digestAttr)[1])[0]);
    const serial = toHex(valueOf(kids(sid)[1]));
    const candidates = [...(certs ? kids(certs).map(rawOf) : []), pemToDer(tsaPem)].map(parseCertificate);
    const tsaCert = candidates.find((c) => toHex(c.serial) === serial);
    const problems = [];
    if (imprint !== expectedSha256Hex) problems.push(`the token is over ${imprint}, not ${expectedSha256Hex}`);
    if (!equalBytes(messageDigest, await sha256(tstInfo))) problems.push('the signed digest does not match the token contents');
    if (!tsaCert) problems.push('the signing certificate is not the TSA\'s');
    else {
      const attrs = rawOf(signedAttrs);
      attrs[0] = 0x31; // signed as a SET OF, carried as [0] IMPLICIT
      if (!(await ecVerify(await ecKey(tsaCert.spki), signature.buf.slice(signature.vstart, signature.end), attrs))) problems.push('the TSA signature does not verify');
      const ca = parseCertificate(pemToDer(caPem));
      if (tsaCert.sigAlg !== OID_ECDSA_SHA256 || !(await ecVerify(await ecKey(ca.spki), tsaCert.signature, tsaCert.tbs))) {
        problems.push('the TSA certificate is not signed by the TSA CA');
      }
    }
    return { ok: problems.length === 0, detail: problems.length ? problems.join('; ') : `signed by the TSA at ${genTime?.toISOString()}, over this SHA-256`, genTime };
  } catch (error) {
    return { ok: false, detail: `unreadable time-stamp: ${error.message}` };
  }
}

// ---------- the public API ----------
async function getJson(path) {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`);
  return body;
}
async function getText(path) {
  const response = await fetch(path);
  if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status}`);
  return response.text();
}

const params = new URLSearchParams(location.search);
const trust = (async () => {
  const vkey = (params.get('key') ?? (await getText('/v1/ledger/key'))).trim();
  const [verifier, caPem, tsaPem] = await Promise.all([parseVerifierKey(vkey), getText('/v1/tsa/certs/ca.pem'), getText('/v1/tsa/certs/tsa.pem')]);
  document.getElementById('key-shown').textContent = vkey;
  return { vkey, verifier, caPem, tsaPem, pinned: params.has('key') };
})();

// ---------- checks ----------
class Checks {
  list = [];
  add(name, ok, detail) {
    this.list.push({ name, ok, detail });
    return ok;
  }
  get ok() {
    return this.list.length > 0 && this.list.every((c) => c.ok);
  }
}

const decodeEntry = (bytes) => JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));

/** Leaf hash, inclusion, subject and content hash of each entry; returns the decoded entries that passed. */
async function checkEntries(checks, entries, checkpoint, workId, sha256Hex, withMetadata) {
  const good = [];
  for (const item of entries) {
    const data = fromB64(item.entry);
    const problems = [];
    let entry;
    try {
      entry = decodeEntry(data);
    } catch {
      checks.add(`entry ${item.ledgerIndex}`, false, 'not a ledger entry');
      continue;
    }
    const leaf = await leafHash(data);
    if (toB64(leaf) !== item.leafHash) problems.push('leaf hash does not match');
    if (entry.subject?.id !== workId) problems.push('about another work');
    if (entry.workSha256 !== undefined && entry.workSha256 !== sha256Hex) problems.push('names another SHA-256');
    if (withMetadata && ['work.registered', 'work.amended', 'work.withdrawn'].includes(entry.kind)) {
      if (!item.metadata || (await metadataHash(item.metadata)) !== entry.metadataHash) problems.push('metadata does not hash to the entry');
    }
    const included =
      checkpoint && item.inclusionProof.treeSize === checkpoint.size && (await verifyInclusion(leaf, item.ledgerIndex, checkpoint.size, item.inclusionProof.hashes.map(fromB64), checkpoint.root));
    if (!included) problems.push('inclusion proof fails');
    const ok = checks.add(`entry ${item.ledgerIndex} (${entry.kind})`, problems.length === 0, problems.join('; ') || `in the ledger since ${entry.integratedAt}`);
    if (ok) good.push({ item, entry });
  }
  return good;
}

async function checkCheckpoint(checks, note, t, label = 'checkpoint signature') {
  try {
    const checkpoint = await openCheckpoint(note, t.verifier);
    checks.add(label, true, `tree of ${checkpoint.size} entries signed by ${t.verifier.name}${t.pinned ? ' (pinned key)' : ''}`);
    return checkpoint;
  } catch (error) {
    checks.add(label, false, error.message);
    return null;
  }
}

async function checkRegistration(registration, lookup, fileSha256) {
  const t = await trust;
  const checks = new Checks();
  if (fileSha256) checks.add('content hash', fileSha256 === registration.sha256, `SHA-256 of your file: ${fileSha256}`);
  const checkpoint = lookup.checkpoint ? await checkCheckpoint(checks, lookup.checkpoint, t) : (checks.add('checkpoint signature', false, 'no checkpoint yet'), null);
  const good = await checkEntries(checks, registration.entries, checkpoint, registration.workId, registration.sha256, false);
  const registered = good.find((g) => g.entry.kind === 'work.registered');
  if (registered) {
    const registrant = registered.entry.parties.find((p) => p.role === 'registrant');
    checks.add(
      'registration',
      registered.entry.refs?.registrationNumber === registration.registrationNumber && registrant?.id === registration.registrant.id,
      `${registered.entry.refs?.registrationNumber} by party ${registrant?.id}`,
    );
  } else {
    checks.add('registration', false, registration.pendingEntries ? 'not yet in the ledger (retry in a few seconds)' : 'no verified work.registered entry');
  }
  const withdrawn = good.some((g) => g.entry.kind === 'work.withdrawn');
  checks.add('status', (registration.status === 'withdrawn') === withdrawn, registration.status);
  const timeStamp = await checkTimeStamp(checks, registration.timeStamp?.response, registration.sha256, registered?.entry, t);
  return { checks, registered: registered?.entry, timeStamp, withdrawn };
}

async function checkTimeStamp(checks, responseB64, sha256Hex, registeredEntry, t) {
  if (!responseB64) {
    checks.add('time-stamp', false, 'no time-stamp token');
    return null;
  }
  const response = fromB64(responseB64);
  const result = await verifyTimeStamp(response, sha256Hex, t.caPem, t.tsaPem);
  checks.add('time-stamp signature', result.ok, result.detail);
  const bound = registeredEntry?.refs?.timeStamp;
  checks.add('time-stamp bound to the ledger', bound === toHex(await sha256(response)), bound ? 'the registration entry names this token' : 'the registration entry names no token');
  return result.genTime ?? null;
}

/** Owners and shares: the registration's owner parties, then each transfer (assignor to assignee) in ledger order. */
function ownersAfter(registration, transfers) {
  const owners = new Map(registration.parties.filter((p) => p.role === 'owner').map((p) => [p.id, p.shareBp ?? 0]));
  for (const entry of transfers) {
    const from = entry.parties.find((p) => p.role === 'assignor');
    const to = entry.parties.find((p) => p.role === 'assignee');
    if (!from || !to) continue;
    const left = (owners.get(from.id) ?? 0) - (from.shareBp ?? 0);
    if (left > 0) owners.set(from.id, left);
    else owners.delete(from.id);
    owners.set(to.id, (owners.get(to.id) ?? 0) + (from.shareBp ?? 0));
  }
  return owners;
}

async function checkCertificate(certificate, fileSha256) {
  const t = await trust;
  const checks = new Checks();
  const { work } = certificate;
  if (fileSha256) checks.add('content hash', fileSha256 === work.sha256, `SHA-256 of your file: ${fileSha256}`);
  if (certificate.ledger.verifierKey.trim() !== t.vkey) checks.add('ledger key', false, 'the certificate names another ledger key than this log\'s');
  const checkpoint = await checkCheckpoint(checks, certificate.ledger.checkpoint, t);
  const good = await checkEntries(checks, certificate.entries, checkpoint, work.id, work.sha256, true);
  const registered = good.find((g) => g.entry.kind === 'work.registered');
  if (registered && certificate.entries[0].kind === 'work.registered') {
    const registrant = registered.entry.parties.find((p) => p.role === 'registrant');
    checks.add('registration', registered.entry.refs?.registrationNumber === work.registrationNumber && registrant?.id === work.registrant.id, `${work.registrationNumber} by party ${registrant?.id}`);
    const replayed = good.filter((g) => g.entry.kind === 'work.amended').reduce((m, g) => applyChanges(m, g.item.metadata.changes ?? {}), registered.item.metadata);
    checks.add('title, authors and details', canonicalize(replayed) === canonicalize(work.metadata), 'exactly as committed in the ledger (with amendments applied)');
    const owners = ownersAfter(registered.entry, good.filter((g) => g.entry.kind === 'ownership.transferred').map((g) => g.entry));
    const expected = [...owners].map(([id, shareBp]) => `${id}:${shareBp}`).sort().join();
    const shown = work.owners.map((o) => `${o.id}:${o.shareBp}`).sort().join();
    checks.add('owners', expected === shown, 'the shares the ledger gives, transfers applied (the names are the registry\'s display names)');
  } else {
    checks.add('registration', false, 'no verified work.registered entry first');
  }
  const withdrawn = good.some((g) => g.entry.kind === 'work.withdrawn');
  checks.add('status', (work.status === 'withdrawn') === withdrawn, work.status);
  const timeStamp = await checkTimeStamp(checks, certificate.timeStamp?.response, work.sha256, registered?.entry, t);

  // Against the live log: the certificate's tree must be a prefix of today's, and nothing may have withdrawn it since.
  if (checkpoint) {
    try {
      const live = await getJson(`/v1/verify/works/${encodeURIComponent(work.id)}`);
      const latest = await checkCheckpoint(checks, live.checkpoint, t, 'log checkpoint signature');
      if (latest) {
        const proof = latest.size > checkpoint.size ? (await getJson(`/v1/ledger/proof/consistency?from=${checkpoint.size}&to=${latest.size}`)).hashes.map(fromB64) : [];
        checks.add('log consistency', latest.size >= checkpoint.size && (await verifyConsistency(checkpoint.size, latest.size, proof, checkpoint.root, latest.root)), `the certificate's tree (${checkpoint.size}) is a prefix of the log's (${latest.size})`);
        const current = live.registrations[0];
        const liveGood = await checkEntries(new Checks(), current.entries, latest, work.id, work.sha256, false);
        const laterWithdrawal = liveGood.find((g) => g.entry.kind === 'work.withdrawn' && !certificate.entries.some((e) => e.ledgerIndex === g.item.ledgerIndex));
        checks.add('current status', !laterWithdrawal, laterWithdrawal ? `withdrawn at ${laterWithdrawal.entry.integratedAt}, after this certificate was issued` : current.status);
      }
    } catch (error) {
      checks.add('log consistency', false, `cannot reach the log: ${error.message}`);
    }
  }
  return { checks, registered: registered?.entry, timeStamp, withdrawn };
}

// ---------- rendering (textContent only: nothing from the data becomes markup) ----------
const result = document.getElementById('result');
const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  for (const child of children) node.append(child);
  return node;
};
const authorsText = (authors) => (Array.isArray(authors) ? authors.map((a) => (a.role ? `${a.name} (${a.role})` : a.name)).join(', ') : '');
const beijing = (iso) => `${iso} (北京时间 ${new Date(iso).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })})`;

function card({ verdict, verdictClass, state, facts = [], checks }) {
  const section = el('section', { class: 'card', 'data-verdict': state });
  section.append(el('h2', { class: `verdict ${verdictClass}` }, verdict));
  if (facts.length) {
    const dl = el('dl', { class: 'facts' });
    for (const [label, value] of facts) if (value) dl.append(el('dt', {}, label), el('dd', {}, value));
    section.append(dl);
  }
  if (checks) {
    const table = el('table', { class: 'checks' });
    for (const c of checks.list) {
      table.append(el('tr', { class: 'check', 'data-ok': String(c.ok), 'data-name': c.name }, el('td', { class: 'mark' }, c.ok ? '✓' : '✗'), el('td', {}, c.name), el('td', { class: 'detail' }, c.detail)));
    }
    section.append(table);
  }
  result.append(section);
}

function verdictOf(checks, withdrawn) {
  if (!checks.ok) return { verdict: '✗ 验证失败 Verification failed', verdictClass: 'bad', state: 'failed' };
  if (withdrawn) return { verdict: '✓ 已登记，已撤销 Registered, later withdrawn', verdictClass: 'none', state: 'withdrawn' };
  return { verdict: '✓ 已登记 Registered', verdictClass: 'ok', state: 'registered' };
}

function registrationFacts(registration, outcome) {
  return [
    ['Registration number', registration.registrationNumber],
    ['Registered at', outcome.registered ? beijing(outcome.registered.integratedAt) : ''],
    ['Registered by', `${registration.registrant.name ?? ''} (${registration.registrant.id})`],
    ['Time-stamp', outcome.timeStamp ? beijing(outcome.timeStamp.toISOString()) : ''],
    ['SHA-256', registration.sha256],
    ['Status', registration.status],
  ];
}

async function showRegistrations(lookup, fileSha256, label) {
  if (lookup.registrations.length === 0) {
    card({ verdict: '未登记 Not registered', verdictClass: 'none', state: 'not-registered', facts: [['File', label], ['SHA-256', fileSha256]] });
    return;
  }
  for (const [i, registration] of lookup.registrations.entries()) {
    const outcome = await checkRegistration(registration, lookup, fileSha256);
    const facts = registrationFacts(registration, outcome);
    if (label) facts.unshift(['File', label]);
    if (lookup.registrations.length > 1) facts.push(['Priority', i === 0 ? 'earliest registration of this content' : `registered after ${lookup.registrations[0].registrationNumber}`]);
    card({ ...verdictOf(outcome.checks, outcome.withdrawn), facts, checks: outcome.checks });
  }
}

async function showCertificate(certificate, fileSha256, fileLabel) {
  const outcome = await checkCertificate(certificate, fileSha256);
  const { work } = certificate;
  card({
    ...verdictOf(outcome.checks, outcome.withdrawn),
    facts: [
      ['Certificate', work.registrationNumber],
      ['Title', String(work.metadata.title ?? '')],
      ['Authors', authorsText(work.metadata.authors)],
      ['Owners', work.owners.map((o) => `${o.name ?? o.id} ${(o.shareBp / 100).toFixed(2)}%`).join(', ')],
      ['Registered at', outcome.registered ? beijing(outcome.registered.integratedAt) : ''],
      ['Registered by', `${work.registrant.name ?? ''} (${work.registrant.id})`],
      ['Time-stamp', outcome.timeStamp ? beijing(outcome.timeStamp.toISOString()) : ''],
      ['File', fileLabel ?? 'not given: drop the work together with the certificate to check it too'],
      ['SHA-256', work.sha256],
      ['Status', work.status],
    ],
    checks: outcome.checks,
  });
}

async function readCertificate(file) {
  if (!/\.json$/i.test(file.name) && file.type !== 'application/json') return null;
  try {
    const parsed = JSON.parse(await file.text());
    return parsed?.format === CERTIFICATE_FORMAT ? parsed : null;
  } catch {
    return null;
  }
}

async function handleFiles(files) {
  result.replaceChildren(el('p', { class: 'muted', id: 'working' }, 'Checking…'));
  try {
    const certificates = [];
    const works = [];
    for (const file of files) {
      const certificate = await readCertificate(file);
      if (certificate) certificates.push(certificate);
      else works.push({ name: file.name, sha256: toHex(await sha256(new Uint8Array(await file.arrayBuffer()))) });
    }
    result.replaceChildren();
    for (const certificate of certificates) {
      const work = works.find((w) => w.sha256 === certificate.work.sha256) ?? (works.length === 1 ? works[0] : undefined);
      if (work) works.splice(works.indexOf(work), 1);
      await showCertificate(certificate, work?.sha256, work?.name);
    }
    for (const work of works) await showRegistrations(await getJson(`/v1/verify/works?sha256=${work.sha256}`), work.sha256, work.name);
  } catch (error) {
    result.replaceChildren();
    card({ verdict: `✗ ${error.message}`, verdictClass: 'bad', state: 'error' });
  }
  document.body.dataset.done = 'true';
}

const input = document.getElementById('files');
const drop = document.getElementById('drop');
input.addEventListener('change', () => input.files.length && handleFiles([...input.files]));
drop.addEventListener('dragover', (event) => {
  event.preventDefault();
  drop.classList.add('over');
});
drop.addEventListener('dragleave', () => drop.classList.remove('over'));
drop.addEventListener('drop', (event) => {
  event.preventDefault();
  drop.classList.remove('over');
  if (event.dataTransfer.files.length) handleFiles([...event.dataTransfer.files]);
});

const workParam = params.get('work');
if (workParam) {
  result.replaceChildren(el('p', { class: 'muted' }, 'Checking…'));
  getJson(`/v1/verify/works/${encodeURIComponent(workParam)}`)
    .then(async (lookup) => {
      result.replaceChildren();
      await showRegistrations(lookup);
    })
    .catch((error) => {
      result.replaceChildren();
      card({ verdict: `✗ ${error.message}`, verdictClass: 'bad', state: 'error' });
    })
    .finally(() => (document.body.dataset.done = 'true'));
}
trust.catch((error) => card({ verdict: `✗ cannot load the log's key: ${error.message}`, verdictClass: 'bad', state: 'error' }));
