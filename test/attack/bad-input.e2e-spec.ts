// Issue 6, attack: every endpoint of both apps fed generated bad input
// (fast-check): each run takes the matrix's valid request for the endpoint
// and spoils one part of it: a path parameter, a query parameter, one field
// of the JSON body (replaced, removed or joined by an unknown one), the whole
// body, the raw bytes, the content type or the Idempotency-Key. Values are
// wrong types, huge strings, deep nesting, unicode edge cases, negative and
// huge numbers, path traversal, SQL fragments, bad hashes, bad base64 and
// bad cursors. Whatever comes back: never a 5xx, always the one error shape,
// and a refused request changes nothing, in the database or the file store.
// Uploads, RFC 3161 queries and text round trips get their own properties.
//
// Runs per endpoint: ATTACK_RUNS (default 20), so the suite stays short.
import { jest } from '@jest/globals';
import fc from 'fast-check';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { createTimeStampRequest } from '#timestamp';
import { TEST_DATA_DIR } from '../support/test-app.js';
import { startAttackWorld, type AppName, type AttackWorld, type Call, type Role } from './support/attack-world.js';
import { DbDigester } from './support/db-digest.js';
import { allowedRole, MATRIX, servedEndpoints } from './support/endpoint-matrix.js';
import { openApiEndpoints, type Endpoint } from './support/endpoints.js';
import { CONTENT_TYPES, nastyString, nastyValue, RAW_BODIES } from './support/nasty.js';

jest.setTimeout(300_000);

// A fixed seed keeps CI deterministic; set FC_SEED to explore other inputs.
const FC_SEED = Number(process.env.FC_SEED ?? 20261129);
const RUNS = Number(process.env.ATTACK_RUNS ?? 20);
const BLOB_DIR = path.join(TEST_DATA_DIR, 'blobs', 'sha256');

type Mutation =
  | { kind: 'path'; pick: number; value: string; encode: boolean }
  | { kind: 'query'; pick: number; value: unknown }
  | { kind: 'field'; pick: number; op: 'replace' | 'delete' | 'add'; value: unknown; name: string }
  | { kind: 'body'; value: unknown }
  | { kind: 'raw'; pick: number }
  | { kind: 'contentType'; pick: number }
  | { kind: 'idempotencyKey'; value: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('path' as const), pick: fc.nat(), value: nastyString, encode: fc.boolean() }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('query' as const), pick: fc.nat(), value: fc.oneof(nastyString, fc.array(nastyString, { minLength: 2, maxLength: 3 })) }) },
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('field' as const), pick: fc.nat(), op: fc.constantFrom('replace' as const, 'delete' as const, 'add' as const), value: nastyValue, name: nastyString }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('body' as const), value: nastyValue }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('raw' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('contentType' as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('idempotencyKey' as const), value: nastyString }) },
);

/** Cursors shaped like this API's (base64url JSON) but forged: bad times, bad ids, wrong types, not JSON. */
const FORGED_CURSORS = [
  { t: '1', id: '-'.repeat(36) },
  { t: '2026-01-01T00:00:00.000Z', id: '-'.repeat(36) },
  { t: '0000-01-01T00:00:00.000Z', id: '00000000-0000-4000-8000-000000000000' },
  { s: '-detectedAt', v: '1', id: '-'.repeat(36) },
  { s: '-detectedAt', v: '2026-02-30', id: '00000000-0000-4000-8000-000000000000' },
  { s: 'score', v: 'high', id: '00000000-0000-4000-8000-000000000000' },
  { s: '-score', v: 1e308, id: 'x' },
  [1, 2, 3],
  'not json',
].map((value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url'));

/** A GET has only its path and query to spoil. */
const readMutation: fc.Arbitrary<Mutation> = mutation.filter((m) => m.kind === 'path' || m.kind === 'query');

/** Percent-encodes any string, even lone surrogates (as their WTF-8 bytes: invalid UTF-8 the server must refuse). */
function encodeAny(value: string): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (code >= 0xd800 && code <= 0xdfff) out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    else out += encodeURIComponent(char);
  }
  return out;
}

/** What an HTTP client can put in a header at all: the UTF-8 bytes as Latin-1, without control characters. */
function headerSafe(value: string): string {
  return Buffer.from(value.replace(/[\ud800-\udfff]/g, '?'), 'utf8').toString('latin1').replace(/[\x00-\x08\x0a-\x1f\x7f]/g, '');
}

/** Every path to a value inside a JSON body (containers included). */
function jsonPaths(value: unknown, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (typeof value !== 'object' || value === null) return [prefix];
  const entries = Array.isArray(value) ? value.map((v, i) => [i, v] as const) : Object.entries(value);
  return [prefix, ...entries.flatMap(([k, v]) => jsonPaths(v, [...prefix, k]))];
}

function withChange(body: unknown, at: Array<string | number>, change: (container: Record<string | number, unknown>, key: string | number) => void): unknown {
  const copy = structuredClone(body) as Record<string | number, unknown>;
  if (at.length === 0) return copy;
  let container = copy;
  for (const key of at.slice(0, -1)) container = container[key] as Record<string | number, unknown>;
  change(container, at[at.length - 1]!);
  return copy;
}

/** The request with one part spoiled; undefined when the mutation does not apply to this endpoint. */
function spoil(base: Call, endpoint: Endpoint | undefined, m: Mutation): (Call & { idempotencyKey?: string }) | undefined {
  switch (m.kind) {
    case 'path': {
      const template = (endpoint?.path ?? base.path).split('/');
      const segments = base.path.split('/');
      const params = template.map((s, i) => (/^\{\w+\}$/.test(s) ? i : -1)).filter((i) => i >= 0);
      // Mounted apps and parameterless paths get a nasty extra segment instead.
      const index = params.length ? params[m.pick % params.length]! : segments.length;
      const value = m.encode ? encodeAny(m.value) : m.value.replace(/[?#\s%]/g, '_').replace(/[^\x21-\x7e]/g, (c) => encodeAny(c)) || '_';
      const spoiled = [...segments];
      spoiled[index] = value;
      return { ...base, path: spoiled.join('/') };
    }
    case 'query': {
      const declared = (endpoint?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name);
      const names = [...declared, 'limit', 'cursor', 'unknown'];
      const name = names[m.pick % names.length]!;
      const value = Array.isArray(m.value) ? m.value.map((v) => String(v)) : String(m.value);
      return { ...base, query: { ...(base.query ?? {}), [name]: value as string } };
    }
    case 'field': {
      if (typeof base.body !== 'object' || base.body === null) return undefined;
      const paths = jsonPaths(base.body);
      const at = paths[m.pick % paths.length]!;
      const body = withChange(base.body, at, (container, key) => {
        if (m.op === 'replace') container[key] = m.value;
        else if (m.op === 'delete') delete container[key];
        else if (typeof container[key] === 'object' && container[key] !== null && !Array.isArray(container[key])) (container[key] as Record<string, unknown>)[m.name] = m.value;
        else container[`x${m.name}`] = m.value;
      });
      return { ...base, body: at.length === 0 && m.op === 'replace' ? m.value : body };
    }
    case 'body':
      return base.method === 'GET' ? undefined : { ...base, body: m.value, raw: undefined, contentType: base.contentType ?? 'application/json' };
    case 'raw':
      return base.method === 'GET' ? undefined : { ...base, body: undefined, raw: RAW_BODIES[m.pick % RAW_BODIES.length], contentType: base.contentType ?? 'application/json' };
    case 'contentType':
      return base.method === 'GET' ? undefined : { ...base, contentType: CONTENT_TYPES[m.pick % CONTENT_TYPES.length] };
    case 'idempotencyKey':
      return base.method === 'POST' ? { ...base, idempotencyKey: m.value } : undefined;
  }
}

function filesUnder(dir: string): number {
  if (!fs.existsSync(dir)) return 0;
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
}

async function tmpEmptied(): Promise<boolean> {
  const tmp = path.join(TEST_DATA_DIR, 'blobs', 'tmp');
  for (let i = 0; i < 40; i++) {
    if (filesUnder(tmp) === 0) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

describe('bad input never gets a 5xx and a refusal changes nothing', () => {
  let w: AttackWorld;
  let digester: DbDigester;
  const documented: Record<AppName, Map<string, Endpoint>> = { registry: new Map(), exchange: new Map() };

  beforeAll(async () => {
    w = await startAttackWorld();
    digester = new DbDigester();
    for (const app of ['registry', 'exchange'] as const) {
      for (const endpoint of (await openApiEndpoints(w.apps[app])).endpoints) documented[app].set(endpoint.key, endpoint);
      // Same guard as the matrix: every served endpoint has a row, so none escapes this test.
      expect((await servedEndpoints(w.apps[app])).filter((key) => !MATRIX[app][key])).toEqual([]);
    }
  });
  afterAll(async () => {
    await digester.close();
    await w.close();
  });

  /** Sends `call` as `role` and checks the answer; returns the status. */
  async function attack(app: AppName, role: Role, call: Call & { idempotencyKey?: string }, label: string): Promise<number> {
    const before = await digester.digest();
    const blobs = filesUnder(BLOB_DIR);
    let response: request.Response;
    // JSON bodies go as bytes: a client library would refuse to send some of these values.
    const raw = call.raw ?? (call.body === undefined ? undefined : Buffer.from(JSON.stringify(call.body) ?? 'null'));
    const contentType = call.contentType ?? (raw && !call.raw ? 'application/json' : undefined);
    if (call.idempotencyKey !== undefined) {
      let req = request(w.apps[app].getHttpServer()).post(call.path).set('Idempotency-Key', headerSafe(call.idempotencyKey));
      const key = w.keyOf(role);
      if (key) req = req.set('Authorization', `Bearer ${key}`);
      if (contentType !== undefined) req = req.set('Content-Type', contentType);
      response = await (raw ? req.serialize((body: unknown) => body as string).send(raw) : req);
    } else {
      response = await w.send(app, role, { ...call, body: undefined, raw, contentType, method: call.method === 'MOUNT' ? 'GET' : call.method });
    }
    const where = `${label}: ${call.method} ${call.path.slice(0, 120)} ${JSON.stringify(call.query ?? {}).slice(0, 120)} -> ${response.status} ${(response.text ?? '').slice(0, 300)}`;
    if (response.status >= 500) throw new Error(`5xx: ${where}`);
    if (response.status >= 400) {
      const isJson = /json/.test(response.headers['content-type'] ?? '');
      // bull-board (mounted) answers its own 404s; every API error has the one shape.
      if (isJson && !call.path.startsWith('/admin/queues')) {
        expect([where, typeof response.body?.error?.code, typeof response.body?.error?.message]).toEqual([where, 'string', 'string']);
      }
      const changed = DbDigester.changed(before, await digester.digest());
      if (changed.length) throw new Error(`refused but changed ${changed.join(', ')}: ${where}`);
      if (filesUnder(BLOB_DIR) !== blobs) throw new Error(`refused but stored a file: ${where}`);
      if (!(await tmpEmptied())) throw new Error(`refused but left a temporary upload: ${where}`);
    }
    return response.status;
  }

  for (const app of ['registry', 'exchange'] as const) {
    describe(app, () => {
      for (const [key, row] of Object.entries(MATRIX[app])) {
        it(`${key}`, async () => {
          const role = allowedRole(row) ?? 'admin';
          const base = await row.call(w, role);
          const endpoint = documented[app].get(key);
          const statuses = new Map<number, number>();
          await fc.assert(
            fc.asyncProperty(['GET', 'MOUNT'].includes(base.method) ? readMutation : mutation, async (m) => {
              const call = spoil(base, endpoint, m);
              if (!call) return;
              const status = await attack(app, role, call, `${app} ${key} ${m.kind}`);
              statuses.set(status, (statuses.get(status) ?? 0) + 1);
            }),
            { numRuns: ['GET', 'MOUNT'].includes(base.method) ? Math.ceil(RUNS / 2) : RUNS, endOnFailure: true, seed: FC_SEED },
          );
          // Spoiled requests are refused (the property is not passing vacuously),
          // except on endpoints that take no input at all, which ignore what they're sent.
          const takesInput = base.method === 'POST' || (endpoint?.parameters.length ?? 1) > 0 || endpoint?.requestBody !== undefined;
          if (takesInput) expect([...statuses.keys()].some((s) => s >= 400)).toBe(true);
        });
      }
    });
  }

  it('every string field of every JSON body, and every query parameter, refuses NUL, lone surrogates and deep nesting; odd dates and numbers in queries are never a 5xx', async () => {
    const failures: string[] = [];
    for (const app of ['registry', 'exchange'] as const) {
      for (const [key, row] of Object.entries(MATRIX[app])) {
        const role = allowedRole(row) ?? 'admin';
        const base = await row.call(w, role);
        const endpoint = documented[app].get(key);
        const calls: Array<[string, Call]> = [];
        if (typeof base.body === 'object' && base.body !== null) {
          for (const at of jsonPaths(base.body)) {
            const leaf = at.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], base.body);
            if (typeof leaf !== 'string') continue;
            for (const bad of ['a\u0000b', 'a\ud800b']) calls.push([`${at.join('.')}=${JSON.stringify(bad)}`, { ...base, body: withChange(base.body, at, (c, k) => (c[k] = bad)) }]);
          }
          const deep = JSON.stringify({ ...(base.body as object), extra: '<deep>' }).replace('"<deep>"', '['.repeat(5_000) + ']'.repeat(5_000));
          calls.push(['deeply nested body', { ...base, body: undefined, raw: Buffer.from(deep), contentType: 'application/json' }]);
        }
        for (const name of (endpoint?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)) {
          calls.push([`?${name}=NUL`, { ...base, query: { ...(base.query ?? {}), [name]: 'a\u0000b' } }]);
        }
        // Values a format check may pass but the database refuses: these may be accepted (as search text, say), never a 5xx.
        const mayPass: Array<[string, Call]> = [];
        for (const name of (endpoint?.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name)) {
          for (const value of ['2026-02-30', '0000-01-01', '2026-W01', '+275760-09-13T00:00:00Z', '99999999999999999999', '-1', '1e400', 'x'.repeat(5_000), ...FORGED_CURSORS]) {
            mayPass.push([`?${name}=${value.slice(0, 24)}`, { ...base, query: { ...(base.query ?? {}), [name]: value } }]);
          }
        }
        for (const [label, call] of [...calls, ...mayPass]) {
          try {
            const status = await attack(app, role, call, `${app} ${key} ${label}`);
            if (status < 400 && calls.some(([l]) => l === label)) failures.push(`${app} ${key} ${label}: accepted (${status})`);
          } catch (error) {
            failures.push((error as Error).message.slice(0, 300));
          }
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('POST /v1/works multipart: hostile file names, metadata and parts', async () => {
    const validMetadata = { title: 'Upload', type: 'text', authors: [{ name: 'U' }] };
    const before = fs.existsSync(TEST_DATA_DIR) ? fs.readdirSync(TEST_DATA_DIR).sort() : [];
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          fileName: nastyString,
          partType: fc.constantFrom('application/octet-stream', 'text/plain', '../../x', '', 'image/png; name="../../a"'),
          metadata: fc.oneof(
            fc.constant(JSON.stringify(validMetadata)),
            fc.tuple(fc.constantFrom('title', 'type', 'authors', 'owners', 'sha256', 'derivedFrom', 'completedOn', '__proto__'), nastyValue).map(([k, v]) =>
              k === '__proto__' ? `{"__proto__":${JSON.stringify(v) ?? 'null'},"title":"x","type":"text","authors":[{"name":"a"}]}` : JSON.stringify({ ...validMetadata, [k]: v }),
            ),
            nastyString,
          ),
          extraField: fc.option(fc.tuple(nastyString, nastyString), { nil: undefined }),
          content: fc.uint8Array({ maxLength: 2048 }),
          fileFirst: fc.boolean(),
        }),
        async ({ fileName, partType, metadata, extraField, content, fileFirst }) => {
          const digest = await digester.digest();
          const blobs = filesUnder(BLOB_DIR);
          let req = request(w.apps.registry.getHttpServer()).post('/v1/works').set('Authorization', `Bearer ${w.owner.key}`);
          const file = () => (req = req.attach('file', Buffer.concat([Buffer.from(content), Buffer.from(String(Math.random()))]), { filename: fileName.replace(/["\r\n]/g, '_') || 'f', contentType: partType || 'application/octet-stream' }));
          if (fileFirst) file();
          req = req.field('metadata', metadata.replace(/\u0000/g, '') || '{}');
          if (extraField) req = req.field(extraField[0].replace(/["\r\n\u0000]/g, '_') || 'x', extraField[1].replace(/\u0000/g, '') || 'y');
          if (!fileFirst) file();
          const response = await req;
          const where = `${response.status} ${JSON.stringify(response.body).slice(0, 300)}`;
          expect([where, response.status < 500]).toEqual([where, true]);
          if (response.status >= 400) {
            expect(DbDigester.changed(digest, await digester.digest())).toEqual([]);
            expect(filesUnder(BLOB_DIR)).toBe(blobs);
            expect(await tmpEmptied()).toBe(true);
          } else {
            // Kept under its hash, in the store, never under the name it was sent with.
            const sha256 = response.body.sha256 as string;
            expect(fs.existsSync(path.join(BLOB_DIR, sha256.slice(0, 2), sha256.slice(2, 4), sha256))).toBe(true);
          }
        },
      ),
      { numRuns: RUNS * 2, endOnFailure: true },
    );
    // Nothing was written outside the data directory's own layout.
    const after = fs.readdirSync(TEST_DATA_DIR).sort();
    expect(after.filter((name) => !before.includes(name) && !['blobs', 'keys'].includes(name))).toEqual([]);
  });

  it('POST /v1/tsa: random and corrupted DER never gets a 5xx, and nothing is stored', async () => {
    const valid = Buffer.from(createTimeStampRequest({ sha256: Buffer.alloc(32, 7), certReq: true }));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }).map((bytes) => Buffer.from(bytes)),
          fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })).map(([at, byte]) => {
            const copy = Buffer.from(valid);
            copy[at % copy.length] = byte;
            return copy;
          }),
          fc.nat({ max: valid.length }).map((cut) => valid.subarray(0, cut)),
          fc.constant(Buffer.alloc(20_000, 0x30)),
        ),
        async (body) => {
          const before = await digester.digest();
          const response = await request(w.apps.registry.getHttpServer()).post('/v1/tsa').set('Content-Type', 'application/timestamp-query').send(body);
          expect([body.toString('hex').slice(0, 40), response.status < 500]).toEqual([body.toString('hex').slice(0, 40), true]);
          expect(DbDigester.changed(before, await digester.digest())).toEqual([]);
        },
      ),
      { numRuns: RUNS * 2, endOnFailure: true },
    );
  });

  it('text in any script, direction and composition round-trips exactly, into the certificate and its PDF', async () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme', minLength: 1, maxLength: 60 }),
      fc.constantFrom('\u202eevil\u202c', 'مرحبا بالعالم', 'שלום', '静夜思 床前明月光', '👨‍👩‍👧‍👦 family', 'Z\u0351\u0352\u0353algo', '\ufeffBOM', 'tab\tand\nnewline', 'e\u0301 vs é'),
    );
    await fc.assert(
      fc.asyncProperty(text, text, async (title, author) => {
        const sha256 = (await import('../support/proofs.js')).randomHash();
        const registered = await w.send('registry', 'owner', { method: 'POST', path: '/v1/works', body: { sha256, title, type: 'text', authors: [{ name: author }] } });
        const where = `${JSON.stringify(title)} ${registered.status} ${JSON.stringify(registered.body).slice(0, 200)}`;
        if (registered.status >= 400) {
          // Only a length or blank-title refusal is acceptable for valid Unicode.
          expect([where, registered.status]).toEqual([where, 400]);
          return;
        }
        expect([where, registered.status]).toEqual([where, 201]);
        const read = await w.send('registry', 'owner', { method: 'GET', path: `/v1/works/${registered.body.id}` });
        expect(read.body.title).toBe(title);
        expect(read.body.authors[0].name).toBe(author);
        const certificate = await w.send('registry', 'owner', { method: 'GET', path: `/v1/works/${registered.body.id}/certificate` });
        expect(certificate.status).toBe(200);
        const pdf = await w.send('registry', 'owner', { method: 'GET', path: `/v1/works/${registered.body.id}/certificate.pdf` });
        expect([where, pdf.status]).toEqual([where, 200]);
      }),
      { numRuns: Math.max(4, Math.round(RUNS / 3)), endOnFailure: true },
    );
  });
});
