// Issue 6, attack: secrets never leave the process. A real registry and
// exchange (OS processes from the build, logging at debug level) issue and
// revoke keys, register, trade, time-stamp and refuse bad requests; their
// whole stdout and stderr, and every answer except the one that shows a new
// key once, must hold no API key, no ADMIN_API_KEY, no signing seed and no
// TSA private key. Security headers (helmet) are set on every answer,
// errors and binary answers included.
import { jest } from '@jest/globals';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTimeStampRequest } from '#timestamp';
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { randomHash } from '../support/proofs.js';
import { freePort } from '../faults/support/app-process.js';

jest.setTimeout(120_000);

class RunningApp {
  output = '';
  private constructor(
    readonly url: string,
    private readonly child: ChildProcess,
  ) {}

  static async start(app: 'registry' | 'exchange', env: Record<string, string>): Promise<RunningApp> {
    const port = await freePort();
    const child = spawn(process.execPath, [path.resolve('dist/apps', app, 'src/main.js')], {
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env, [app === 'registry' ? 'REGISTRY_PORT' : 'EXCHANGE_PORT']: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const running = new RunningApp(`http://127.0.0.1:${port}`, child);
    for (const stream of [child.stdout!, child.stderr!]) stream.on('data', (chunk: Buffer) => (running.output += chunk.toString('utf8')));
    for (let i = 0; i < 300; i++) {
      if (child.exitCode !== null) throw new Error(`${app} exited: ${running.output}`);
      if (await fetch(`${running.url}/health`).then((r) => r.ok, () => false)) return running;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`${app} did not start: ${running.output}`);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => {
      if (this.child.exitCode !== null) return resolve();
      this.child.once('exit', () => resolve());
      this.child.kill('SIGTERM');
    });
  }
}

const SECURITY_HEADERS = {
  'content-security-policy': /default-src 'self'/,
  'x-content-type-options': /^nosniff$/,
  'x-frame-options': /^SAMEORIGIN$/,
  'strict-transport-security': /max-age=\d+/,
  'referrer-policy': /no-referrer/,
  'cross-origin-opener-policy': /same-origin/,
  'cross-origin-resource-policy': /same-origin/,
  'x-dns-prefetch-control': /off/,
};

describe('secrets stay secret; security headers are set', () => {
  let db: ScratchDatabase;
  let dataDir: string;
  let registry: RunningApp;
  let exchange: RunningApp;
  const adminKey = `admin-${randomBytes(24).toString('base64url')}`;
  const seed = randomBytes(32);
  /** Every answer body except the issuing ones. */
  const answers: string[] = [];
  const issuedKeys: string[] = [];

  const call = async (base: string, method: string, route: string, key?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const response = await fetch(`${base}${route}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body !== undefined && !(body instanceof Uint8Array) ? { 'content-type': 'application/json' } : {}),
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
        ...headers,
      },
      body: body === undefined ? undefined : body instanceof Uint8Array ? body : JSON.stringify(body),
    });
    const text = Buffer.from(await response.arrayBuffer()).toString('latin1');
    return { status: response.status, text, headers: response.headers, json: () => JSON.parse(text) };
  };

  beforeAll(async () => {
    db = await createScratchDatabase(`secrets_${process.pid}`);
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'attack-secrets-'));
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: process.env.TEST_RUN_REDIS_URL!,
      DATA_DIR: dataDir,
      ADMIN_API_KEY: adminKey,
      LEDGER_SIGNING_KEY: seed.toString('base64'),
      LOG_LEVEL: 'debug',
      LEDGER_PROOF_WAIT_MS: '5000',
    };
    [registry, exchange] = await Promise.all([RunningApp.start('registry', env), RunningApp.start('exchange', env)]);

    const issue = async (role: string) => {
      const issued = await call(registry.url, 'POST', '/v1/admin/api-keys', adminKey, { role, party: { name: `Secret ${role}`, contact: 's@example.com' } });
      expect(issued.status).toBe(201);
      const body = issued.json() as { key: string; keyId: string; partyId: string };
      issuedKeys.push(body.key);
      return body;
    };
    const creator = await issue('creator');
    const buyer = await issue('creator');
    const operator = await issue('exchange');
    const revoked = await issue('officer');
    const record = (answer: { text: string }) => answers.push(answer.text);

    // Registration, with its proof and certificate.
    const work = await call(registry.url, 'POST', '/v1/works', creator.key, { sha256: randomHash(), title: 'Secret work', type: 'text', authors: [{ name: 'S' }] });
    record(work);
    expect(work.status).toBe(201);
    record(await call(registry.url, 'GET', `/v1/works/${work.json().id}/certificate`, creator.key));
    record(await call(registry.url, 'POST', '/v1/tsa', creator.key, createTimeStampRequest({ sha256: createHash('sha256').update('draft').digest(), certReq: true }), { 'content-type': 'application/timestamp-query' }));
    // Trading.
    record(await call(exchange.url, 'POST', '/v1/deposits', operator.key, { partyId: buyer.partyId, amount: '100000', externalRef: `S-${randomUUID()}` }));
    const listing = await call(exchange.url, 'POST', '/v1/listings', creator.key, {
      workId: work.json().id,
      kind: 'licence',
      terms: { rights: ['reproduction'], exclusive: false, territories: ['CN'], media: ['online'], period: { start: '2026-01-01', end: '2027-01-01' }, sublicensable: false },
      price: '500',
    });
    record(listing);
    record(await call(exchange.url, 'POST', `/v1/listings/${listing.json().id}/purchase`, buyer.key));
    // Revocation, then refusals of every kind, some carrying key material where it does not belong.
    record(await call(registry.url, 'DELETE', `/v1/admin/api-keys/${revoked.keyId}`, adminKey));
    for (const [base, method, route, key, body] of [
      [registry.url, 'GET', '/v1/works', revoked.key],
      [registry.url, 'GET', '/v1/works', `${creator.key}x`],
      [registry.url, 'GET', '/v1/works', adminKey.slice(0, -1)],
      [registry.url, 'POST', '/v1/works', creator.key, { sha256: creator.key, title: adminKey, type: 'text', authors: [{ name: seed.toString('base64') }] }],
      [registry.url, 'POST', '/v1/works', creator.key, { sha256: randomHash(), title: 'x', type: creator.key, authors: [], owners: [{ partyId: creator.key, shareBp: 1 }] }],
      [registry.url, 'GET', `/v1/works?cursor=${Buffer.from(creator.key).toString('base64url')}`, creator.key],
      [registry.url, 'POST', '/v1/admin/api-keys', creator.key, { role: 'admin', party: { name: 'x', contact: 'y' } }],
      [exchange.url, 'POST', '/v1/payouts', operator.key, { partyId: buyer.partyId, amount: '99999999999', externalRef: operator.key.slice(0, 40) }],
      [exchange.url, 'GET', `/v1/accounts/${creator.partyId}`, buyer.key],
      [exchange.url, 'POST', '/v1/deposits', operator.key, { partyId: buyer.partyId, amount: adminKey, externalRef: 'x' }],
    ] as Array<[string, string, string, string, unknown?]>) {
      const answer = await call(base, method, route, key, body);
      expect([route, answer.status >= 400 && answer.status < 500]).toEqual([route, true]);
      record(answer);
    }
    await new Promise((r) => setTimeout(r, 300)); // let the last log lines flush
  });
  afterAll(async () => {
    await Promise.all([registry?.stop(), exchange?.stop()]);
    await db.drop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every form a secret could be printed in. */
  function secrets(): Array<[string, string]> {
    const list: Array<[string, string]> = [
      ['ADMIN_API_KEY', adminKey],
      ['signing seed (base64)', seed.toString('base64')],
      ['signing seed (hex)', seed.toString('hex')],
      ['signing seed (base64url)', seed.toString('base64url')],
    ];
    for (const key of issuedKeys) {
      list.push(['API key', key], ['API key secret part', key.slice('crk_'.length + 8)]);
    }
    const tsaDir = path.join(dataDir, 'keys', 'tsa');
    for (const file of fs.existsSync(tsaDir) ? fs.readdirSync(tsaDir) : []) {
      const pem = fs.readFileSync(path.join(tsaDir, file), 'utf8');
      if (!/PRIVATE KEY/.test(pem)) continue;
      const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
      list.push([`TSA private key ${file}`, body.slice(20, 80)]);
    }
    expect(list.some(([what]) => what.startsWith('TSA private key'))).toBe(true);
    return list;
  }

  it('the processes logged a good deal (at debug level), but no key material', () => {
    expect(registry.output).toMatch(/issued creator key/);
    expect(registry.output).toMatch(/verifier key/);
    const leaks = secrets().filter(([, secret]) => registry.output.includes(secret) || exchange.output.includes(secret));
    expect(leaks.map(([what]) => what)).toEqual([]);
  });

  it('no answer (refusals included) carries key material, except the one that shows a new key once', () => {
    const leaks = secrets().flatMap(([what, secret]) => answers.filter((text) => text.includes(secret)).map((text) => `${what} in ${text.slice(0, 120)}`));
    expect(leaks).toEqual([]);
  });

  it('sets the security headers on JSON, errors, text, PDF-free binary and the pages', async () => {
    for (const [base, route, status] of [
      [registry.url, '/health', 200],
      [registry.url, '/v1/ledger/checkpoint', 200],
      [registry.url, '/v1/works', 401],
      [registry.url, '/no/such/endpoint', 404],
      [registry.url, '/verify', 200],
      [registry.url, '/v1/tsa/certs/ca.pem', 200],
      [exchange.url, '/v1/licences/verify', 400],
      [exchange.url, '/health', 200],
    ] as Array<[string, string, number]>) {
      const answer = await call(base, 'GET', route);
      expect([route, answer.status]).toEqual([route, status]);
      for (const [header, pattern] of Object.entries(SECURITY_HEADERS)) {
        expect([route, header, answer.headers.get(header) ?? '']).toEqual([route, header, expect.stringMatching(pattern)]);
      }
      expect([route, answer.headers.get('x-powered-by')]).toEqual([route, null]);
    }
  });
});
