// Issue 6, attack: limits answer with clear 4xx codes and change nothing:
// body size (413 PAYLOAD_TOO_LARGE), upload size (413 UPLOAD_TOO_LARGE),
// page size (400, for every endpoint whose OpenAPI document declares a
// `limit` maximum) and request rate (429 TOO_MANY_REQUESTS with Retry-After,
// per key and per address, shared by every process through Redis).
import { jest } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import request from 'supertest';
import { startExchange } from '../support/exchange-app.js';
import { randomHash } from '../support/proofs.js';
import { ADMIN_KEY, issueKey, startRegistry, TEST_DATA_DIR } from '../support/test-app.js';
import { startAttackWorld, type AttackWorld } from './support/attack-world.js';
import { DbDigester } from './support/db-digest.js';
import { allowedRole, MATRIX } from './support/endpoint-matrix.js';
import { openApiEndpoints } from './support/endpoints.js';

jest.setTimeout(120_000);

const BLOB_DIR = path.join(TEST_DATA_DIR, 'blobs', 'sha256');
const blobCount = () => (fs.existsSync(BLOB_DIR) ? fs.readdirSync(BLOB_DIR, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length : 0);

/** The rate limit counts per wall-clock minute: start well inside one so a test never straddles two. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await new Promise((resolve) => setTimeout(resolve, 60_000 - intoMinute + 200));
}

describe('limits', () => {
  let w: AttackWorld;
  let digester: DbDigester;

  beforeAll(async () => {
    w = await startAttackWorld();
    digester = new DbDigester();
  });
  afterAll(async () => {
    await digester.close();
    await w.close();
  });

  it('a JSON body over the limit is 413 PAYLOAD_TOO_LARGE on both apps, and changes nothing', async () => {
    const before = await digester.digest();
    const big = { sha256: randomHash(), title: 'x'.repeat(300 * 1024), type: 'text', authors: [{ name: 'B' }] };
    const registry = await w.send('registry', 'owner', { method: 'POST', path: '/v1/works', body: big });
    expect([registry.status, registry.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    const exchange = await w.send('exchange', 'exchange', { method: 'POST', path: '/v1/deposits', body: { partyId: w.owner.partyId, amount: '1', externalRef: 'R', memo: 'm'.repeat(300 * 1024) } });
    expect([exchange.status, exchange.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    // With a key: the TSA's own per-address budget may be spent by earlier tests this minute.
    const query = await request(w.apps.registry.getHttpServer())
      .post('/v1/tsa')
      .set('Authorization', `Bearer ${w.owner.key}`)
      .set('Content-Type', 'application/timestamp-query')
      .send(Buffer.alloc(17 * 1024, 0x30));
    expect([query.status, query.body.error.code]).toEqual([413, 'PAYLOAD_TOO_LARGE']);
    expect(DbDigester.changed(before, await digester.digest())).toEqual([]);
  });

  describe('upload size', () => {
    let small: INestApplication;
    let creator: { key: string };
    beforeAll(async () => {
      small = await startRegistry({ MAX_UPLOAD_BYTES: '64K' });
      creator = await issueKey(small, 'creator');
    });
    afterAll(() => small.close());

    const form = (size: number) => {
      const boundary = `b${randomUUID().replace(/-/g, '')}`;
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="metadata"\r\n\r\n${JSON.stringify({ title: 'Big', type: 'other', authors: [{ name: 'B' }] })}\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      );
      const content = Buffer.alloc(size, 0x61);
      content.write(randomUUID()); // new content each time: not "already registered"
      return { boundary, body: Buffer.concat([head, content, Buffer.from(`\r\n--${boundary}--\r\n`)]) };
    };

    /** Sends with or without a Content-Length (chunked), straight through node:http. */
    async function upload(size: number, chunked: boolean): Promise<{ status: number; body: { error?: { code: string } } }> {
      const server = small.getHttpServer() as http.Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const { boundary, body } = form(size);
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, path: '/v1/works', method: 'POST', headers: {
          authorization: `Bearer ${creator.key}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          ...(chunked ? { 'transfer-encoding': 'chunked' } : { 'content-length': body.length }),
        } });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text || '{}') }));
        });
        req.on('error', reject);
        for (let at = 0; at < body.length; at += 16 * 1024) req.write(body.subarray(at, at + 16 * 1024));
        req.end();
      });
    }

    it('an upload the client abandons halfway leaves no temporary file behind', async () => {
      const server = small.getHttpServer() as http.Server;
      if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as { port: number };
      const tmpDir = path.join(TEST_DATA_DIR, 'blobs', 'tmp');
      const staged = () => (fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir).length : 0);
      const before = staged();
      const { boundary, body } = form(60 * 1024);
      const req = http.request({ host: '127.0.0.1', port, path: '/v1/works', method: 'POST', headers: {
        authorization: `Bearer ${creator.key}`,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'transfer-encoding': 'chunked',
      } });
      req.on('error', () => undefined);
      req.write(body.subarray(0, 40 * 1024)); // the metadata and part of the file
      const deadline = Date.now() + 5_000;
      while (staged() === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(staged()).toBe(before + 1); // the upload is being written
      req.destroy();
      while (staged() > before && Date.now() < deadline + 5_000) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(staged()).toBe(before);
    });

    it.each([
      ['declared by Content-Length', false],
      ['streamed without a length', true],
    ])('an upload over MAX_UPLOAD_BYTES %s is 413 UPLOAD_TOO_LARGE and stores nothing', async (_how, chunked) => {
      const before = await digester.digest();
      const blobs = blobCount();
      // Over the limit by more than the multipart allowance, so a declared length is refused up front too.
      const answer = await upload(chunked ? 100 * 1024 : 2 * 1024 * 1024, chunked);
      expect([answer.status, answer.body.error?.code]).toEqual([413, 'UPLOAD_TOO_LARGE']);
      expect(DbDigester.changed(before, await digester.digest())).toEqual([]);
      expect(blobCount()).toBe(blobs);
      // Just under the limit is accepted.
      expect((await upload(60 * 1024, chunked)).status).toBe(201);
    });
  });

  it('every endpoint with a `limit` answers 400 one above its documented maximum and 0, and serves the maximum', async () => {
    const checked: string[] = [];
    for (const app of ['registry', 'exchange'] as const) {
      for (const endpoint of (await openApiEndpoints(w.apps[app])).endpoints) {
        const limit = endpoint.parameters.find((p) => p.in === 'query' && p.name === 'limit');
        const maximum = limit?.schema?.maximum as number | undefined;
        if (!limit) continue;
        // A paged endpoint must say how much it serves at most.
        expect([endpoint.key, typeof maximum]).toEqual([endpoint.key, 'number']);
        const row = MATRIX[app][endpoint.key]!;
        const role = allowedRole(row)!;
        const base = await row.call(w, role);
        for (const [value, expected] of [
          [maximum! + 1, 400],
          [0, 400],
          [-1, 400],
          [maximum!, 200],
        ] as const) {
          const response = await w.send(app, role, { ...base, query: { ...(base.query ?? {}), limit: String(value) } });
          expect([endpoint.key, value, response.status]).toEqual([endpoint.key, value, expected]);
          if (expected === 200) expect(Array.isArray(response.body.items ?? response.body.lines)).toBe(true);
          else expect(response.body.error.code).toBe('VALIDATION_FAILED');
        }
        checked.push(`${app} ${endpoint.key}`);
      }
    }
    expect(checked).toEqual(expect.arrayContaining(['registry GET /v1/works', 'exchange GET /v1/listings', 'exchange GET /v1/accounts/{partyId}/statement']));
    // The ledger serves at most 1,000 entries per request.
    const entries = await w.send('registry', 'anonymous', { method: 'GET', path: '/v1/ledger/entries', query: { start: '0', end: '1001' } });
    expect([entries.status, entries.body.error.code]).toEqual([400, 'INVALID_RANGE']);
  });
});

describe('request rate', () => {
  const LIMITS = { RATE_LIMIT_PER_KEY: '6', RATE_LIMIT_PER_ADDRESS: '4' };
  let first: INestApplication;
  let second: INestApplication;
  let exchange: INestApplication;
  /** With the default limits: the admin key used to issue keys is shared by every test, and counted too. */
  let issuer: INestApplication;

  beforeAll(async () => {
    [first, second, exchange, issuer] = await Promise.all([startRegistry(LIMITS), startRegistry(LIMITS), startExchange(LIMITS), startRegistry()]);
  });
  afterAll(async () => {
    await Promise.all([first.close(), second.close(), exchange.close(), issuer.close()]);
  });

  const issue = async () => {
    const response = await request(issuer.getHttpServer()).post('/v1/admin/api-keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ role: 'creator', party: { name: 'Rate', contact: 'rate@example.com' } });
    expect(response.status).toBe(201);
    return response.body as { key: string; partyId: string };
  };

  it('allows a key its budget across processes and apps, then answers 429 with Retry-After; other keys keep theirs', async () => {
    await awayFromMinuteBoundary();
    const creator = await issue();
    const digester = new DbDigester();
    try {
      const apps = [first, second, exchange];
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) {
        const app = apps[i % 3]!;
        const path = app === exchange ? `/v1/accounts/${creator.partyId}` : `/v1/works/${randomUUID()}`;
        statuses.push((await request(app.getHttpServer()).get(path).set('Authorization', `Bearer ${creator.key}`)).status);
      }
      expect(statuses.every((s) => s !== 429)).toBe(true);
      const before = await digester.digest();
      const refused = await request(second.getHttpServer())
        .post('/v1/works')
        .set('Authorization', `Bearer ${creator.key}`)
        .send({ sha256: randomHash(), title: 'Over the limit', type: 'text', authors: [{ name: 'R' }] });
      expect([refused.status, refused.body.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
      const retryAfter = Number(refused.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expect(refused.body.error.message).toMatch(/per minute/);
      expect(DbDigester.changed(before, await digester.digest())).toEqual([]);
      // The exchange shares the count.
      expect((await request(exchange.getHttpServer()).get(`/v1/accounts/${creator.partyId}`).set('Authorization', `Bearer ${creator.key}`)).status).toBe(429);
      const other = await issue();
      expect((await request(first.getHttpServer()).get('/v1/works').set('Authorization', `Bearer ${other.key}`)).status).toBe(200);
    } finally {
      await digester.close();
    }
  });

  it('limits callers without a valid key per address: public calls and made-up keys alike', async () => {
    await awayFromMinuteBoundary();
    // Other tests in the same minute may have used some of this address's budget already.
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const call = request((i % 2 ? second : first).getHttpServer()).get('/v1/ledger/key');
      statuses.push((i % 2 ? await call.set('Authorization', `Bearer crk_made_up_${i}`) : await call).status);
    }
    expect(statuses[4]).toBe(429);
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(4);
    const refused = await request(exchange.getHttpServer()).get('/v1/licences/verify');
    expect([refused.status, refused.body.error.code]).toEqual([429, 'TOO_MANY_REQUESTS']);
    expect(refused.headers['retry-after']).toBeDefined();
    // A valid key is counted per key, not per address.
    const creator = await issue();
    expect((await request(first.getHttpServer()).get('/v1/works').set('Authorization', `Bearer ${creator.key}`)).status).toBe(200);
  });
});
