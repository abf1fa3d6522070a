// Issue 6, attack: the authorisation matrix. Every endpoint of the registry
// and the exchange (taken from each app's OpenAPI document, and every route
// the app serves), called by every role and by no key, must answer exactly
// the status the matrix below expects. An endpoint with no row in the matrix
// fails the test, so nobody can add one silently: add its row.
//
// Roles: anonymous (no key), admin, owner (the creator who owns the
// resources the call touches), stranger (another creator), exchange,
// officer. Besides the statuses, every refused call must leave the database
// exactly as it was; an officer never moves money; anonymous calls only read
// (GET/HEAD, plus the documented public POST of RFC 3161); and a key that is
// unknown or revoked is treated like no key at all.
import { jest } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { licenceTerms } from '../support/exchange-app.js';
import { DbDigester, type DbDigest } from './support/db-digest.js';
import { servedRoutes, openApiEndpoints } from './support/endpoints.js';
import { ROLES, startAttackWorld, type AppName, type AttackWorld, type Call, type Role } from './support/attack-world.js';
import { DOCUMENTATION, get, MATRIX, post, PUBLIC_WRITES, servedEndpoints } from './support/endpoint-matrix.js';

jest.setTimeout(180_000);

const MONEY_TABLES = ['transfers', 'holds', 'accounts'];

describe('authorisation matrix', () => {
  let w: AttackWorld;
  let digester: DbDigester;
  const endpoints: Record<AppName, string[]> = { registry: [], exchange: [] };

  beforeAll(async () => {
    w = await startAttackWorld();
    digester = new DbDigester();
    for (const app of ['registry', 'exchange'] as const) endpoints[app] = await servedEndpoints(w.apps[app]);
  });
  afterAll(async () => {
    await digester.close();
    await w.close();
  });

  it('has a row for every endpoint the apps serve (add one for each new endpoint)', () => {
    const missing = (['registry', 'exchange'] as const).flatMap((app) => endpoints[app].filter((key) => !MATRIX[app][key]).map((key) => `${app} ${key}`));
    expect(missing).toEqual([]);
    const stale = (['registry', 'exchange'] as const).flatMap((app) => Object.keys(MATRIX[app]).filter((key) => !endpoints[app].includes(key)).map((key) => `${app} ${key}`));
    expect(stale).toEqual([]);
  });

  it('documents every served endpoint in OpenAPI (undocumented routes would escape clients and reviews)', async () => {
    for (const app of ['registry', 'exchange'] as const) {
      const documented = new Set((await openApiEndpoints(w.apps[app])).endpoints.map((e) => e.key));
      const undocumented = servedRoutes(w.apps[app]).routes.filter((route) => !DOCUMENTATION.test(route) && !documented.has(route));
      expect(undocumented).toEqual([]);
    }
  });

  for (const app of ['registry', 'exchange'] as const) {
    describe(app, () => {
      for (const key of Object.keys(MATRIX[app])) {
        it(`${key}: every role gets its expected status, and refusals change nothing`, async () => {
          const row = MATRIX[app][key]!;
          const failures: string[] = [];
          for (const role of ROLES) {
            const call = await row.call(w, role);
            const before = await digester.digest();
            const response = await w.send(app, role, { ...call, method: call.method === 'MOUNT' ? 'GET' : call.method });
            const after = await digester.digest();
            const expected = row.expect[role];
            if (response.status !== expected) failures.push(`${role}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body).slice(0, 200)}`);
            const changed = DbDigester.changed(before, after);
            if (response.status >= 400 && changed.length) failures.push(`${role}: refused with ${response.status} but changed ${changed.join(', ')}`);
            if (role === 'officer') {
              const moved = changed.filter((t) => MONEY_TABLES.includes(t));
              if (moved.length) failures.push(`officer moved money: ${moved.join(', ')} changed`);
            }
            if (role === 'anonymous' && response.status < 400) {
              if (!['GET', 'HEAD'].includes(call.method) && call.method !== 'MOUNT' && !PUBLIC_WRITES.has(`${app} ${key}`)) failures.push(`anonymous ${key} is a public write`);
              if (changed.length) failures.push(`anonymous call changed ${changed.join(', ')}`);
            }
            if (response.status === 401 || response.status === 403) {
              expect(response.body.error?.code).toMatch(/^(UNAUTHENTICATED|FORBIDDEN|NOT_WORK_OWNER|CONSENT_NOT_EXPECTED)$/);
            }
          }
          expect(failures).toEqual([]);
        });
      }
    });
  }

  it('treats an unknown, a malformed and a revoked key like no key on every protected endpoint', async () => {
    // A revoked key needs its secret: issue one, then revoke it.
    const issued = await w.send('registry', 'admin', post('/v1/admin/api-keys', { role: 'creator', partyId: w.owner.partyId }));
    await w.send('registry', 'admin', { method: 'DELETE', path: `/v1/admin/api-keys/${issued.body.keyId}` });
    const failures: string[] = [];
    for (const app of ['registry', 'exchange'] as const) {
      for (const [key, row] of Object.entries(MATRIX[app])) {
        if (row.expect.anonymous !== 401) continue;
        for (const authorization of [`Bearer crk_${'A'.repeat(43)}`, 'Bearer', 'Basic dXNlcjpwYXNz', `Bearer ${issued.body.key}`, `bearer  ${w.owner.key} extra`]) {
          const call = await row.call(w, 'anonymous');
          const response = await w.send(app, 'anonymous', { ...call, method: call.method === 'MOUNT' ? 'GET' : call.method, authorization });
          if (response.status !== 401) failures.push(`${app} ${key} with "${authorization.slice(0, 12)}...": ${response.status}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers HEAD on public reads like GET, without a body', async () => {
    for (const app of ['registry', 'exchange'] as const) {
      for (const [key, row] of Object.entries(MATRIX[app])) {
        if (!key.startsWith('GET ') || row.expect.anonymous !== 200) continue;
        const call = await row.call(w, 'anonymous');
        const response = await w.send(app, 'anonymous', { ...call, method: 'HEAD' });
        expect([key, response.status]).toEqual([key, 200]);
        expect(response.text ?? '').toBe('');
      }
    }
  });

  describe('a creator cannot touch another creator\'s work, listing or account', () => {
    const as = (role: Role, app: AppName, call: Call) => w.send(app, role, call);
    let before: DbDigest;
    beforeEach(async () => {
      before = await digester.digest();
    });
    afterEach(async () => {
      expect(DbDigester.changed(before, await digester.digest())).toEqual([]);
    });

    it('not by listing it, consenting for it, withdrawing or buying a deal reserved for someone else', async () => {
      expect((await as('stranger', 'exchange', post('/v1/listings', { workId: w.workId, kind: 'assignment', shareBp: 10_000, price: '1' }))).status).toBe(403);
      expect((await as('stranger', 'exchange', post('/v1/listings', { workId: w.coWorkId, kind: 'licence', terms: licenceTerms(), price: '1' }))).status).toBe(403);
      expect((await as('stranger', 'exchange', post(`/v1/listings/${w.listingId}/withdrawal`))).status).toBe(403);
      expect((await as('stranger', 'exchange', post(`/v1/listings/${w.listingId}/consents`))).status).toBe(403);
      expect((await as('stranger', 'exchange', post(`/v1/listings/${w.dealId}/purchase`))).status).toBe(404);
      expect((await as('stranger', 'exchange', post(`/v1/listings/${w.dealId}/consents`))).status).toBe(403);
      // A deal is invisible to parties outside it.
      expect((await as('stranger', 'exchange', get(`/v1/listings/${w.dealId}`))).status).toBe(404);
      const search = await as('stranger', 'exchange', get('/v1/listings', { work: w.workId }));
      expect(search.body.items.map((l: { id: string }) => l.id)).not.toContain(w.dealId);
    });

    it('not by amending, withdrawing or taking its certificate', async () => {
      expect((await as('stranger', 'registry', post(`/v1/works/${w.workId}/amendments`, { reason: 'Mine now.', changes: { title: 'Stolen' } }))).status).toBe(403);
      expect((await as('stranger', 'registry', post(`/v1/works/${w.workId}/withdrawal`, { reason: 'Gone.' }))).status).toBe(403);
      expect((await as('stranger', 'registry', get(`/v1/works/${w.workId}/certificate`))).status).toBe(403);
    });

    it('not by reading or moving its money', async () => {
      for (const path of [`/v1/accounts/${w.owner.partyId}`, `/v1/accounts/${w.owner.partyId}/statement`]) expect((await as('stranger', 'exchange', get(path))).status).toBe(403);
      expect((await as('stranger', 'exchange', post('/v1/payouts', { partyId: w.owner.partyId, amount: '1', externalRef: `X-${randomUUID()}` }))).status).toBe(403);
      expect((await as('stranger', 'exchange', get(`/v1/settlements/${w.settlementId}`))).status).toBe(404);
    });

    it('not by replaying its Idempotency-Key: keys are scoped to the party', async () => {
      const key = randomUUID();
      const body = { workId: w.workId, kind: 'licence', terms: licenceTerms({ purpose: `replay ${key}` }), price: '100' };
      const mine = await w.harness.post('/v1/listings', w.owner, body, key).expect(201);
      const theirs = await w.harness.post('/v1/listings', w.stranger, body, key);
      expect(theirs.status).toBe(403);
      expect(theirs.headers['idempotency-replayed']).toBeUndefined();
      expect(JSON.stringify(theirs.body)).not.toContain(mine.body.id);
      before = await digester.digest(); // the owner's listing above is a legitimate change
    });
  });

  it('the queue dashboard refuses cross-site writes even with admin credentials (a browser would send them)', async () => {
    const request = (await import('supertest')).default;
    const server = w.apps.registry.getHttpServer();
    const basic = `Basic ${Buffer.from(`admin:${w.keyOf('admin')}`).toString('base64')}`;
    const fromElsewhere = await request(server).put('/admin/queues/api/queues/fingerprint/retry/failed').set('Authorization', basic).set('Origin', 'https://evil.example');
    expect(fromElsewhere.status).toBe(403);
    const fetchMetadata = await request(server).post('/admin/queues/api/queues/fingerprint/add').set('Authorization', basic).set('Sec-Fetch-Site', 'cross-site').send({ name: 'x' });
    expect(fetchMetadata.status).toBe(403);
    // The dashboard's own page (same origin, no Origin header from a plain client) still works.
    expect((await request(server).get('/admin/queues').set('Authorization', basic)).status).toBe(200);
  });

  it('an officer cannot move money on any endpoint', async () => {
    const moneyBefore = await Promise.all(MONEY_TABLES.map((t) => digester.count(t)));
    const officerCalls: Array<[AppName, Call]> = [
      ['exchange', post('/v1/deposits', { partyId: w.officer.partyId, amount: '1000', externalRef: `O-${randomUUID()}` })],
      ['exchange', post('/v1/payouts', { partyId: w.owner.partyId, amount: '1', externalRef: `O-${randomUUID()}` })],
      ['exchange', post(`/v1/listings/${w.listingId}/purchase`)],
      ['exchange', post(`/v1/deals/${w.dealId}/settlement`)],
      ['exchange', post('/v1/deals', { workId: w.workId, kind: 'licence', terms: licenceTerms(), price: '1', buyerId: w.officer.partyId })],
      ['exchange', get(`/v1/accounts/${w.owner.partyId}`)],
    ];
    for (const [app, call] of officerCalls) expect([call.path, (await w.send(app, 'officer', call)).status]).toEqual([call.path, 403]);
    expect(await Promise.all(MONEY_TABLES.map((t) => digester.count(t)))).toEqual(moneyBefore);
  });
});
