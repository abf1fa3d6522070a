// The expected answer of every endpoint to every role, with a request that
// reaches it (the authorisation matrix of issue 6). Shared by the matrix test
// and the bad-input test, which mutates these requests. A new endpoint needs
// a row here, or both tests fail.
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { licenceTerms } from '../../support/exchange-app.js';
import { ROLES, randomHash, type AppName, type AttackWorld, type Call, type Role } from './attack-world.js';
import { servedRoutes, openApiEndpoints } from './endpoints.js';

export type Statuses = Record<Role, number>;

export interface Row {
  /** The request this role makes (fresh resources where the call uses one up). */
  call: (w: AttackWorld, role: Role) => Promise<Call> | Call;
  expect: Statuses;
}

/** Everyone, with or without a key. */
const everyone = (status: number): Statuses => ({ anonymous: status, admin: status, owner: status, stranger: status, exchange: status, officer: status });
/** Any valid key; none is 401. */
const anyKey = (status: number): Statuses => ({ ...everyone(status), anonymous: 401 });
/** Only these roles get `status`; other keys 403; none 401. */
const only = (roles: Role[], status: number, others: Partial<Statuses> = {}): Statuses => ({
  ...Object.fromEntries(ROLES.map((role) => [role, role === 'anonymous' ? 401 : roles.includes(role) ? status : 403])),
  ...others,
}) as Statuses;

export const get = (path: string, query?: Record<string, string>): Call => ({ method: 'GET', path, query });
export const post = (path: string, body: unknown = {}): Call => ({ method: 'POST', path, body });
const sighting = { sourceUrl: 'https://video.example.com/watch/1', platform: 'Example', seenAt: '2026-01-02T03:04:05Z', text: 'A suspect copy of some text.' };
const NO_SUCH_REPORT = '00000000-0000-4000-8000-00000000a0a0';

export const MATRIX: Record<AppName, Record<string, Row>> = {
  registry: {
    'GET /health': { call: () => get('/health'), expect: everyone(200) },
    'POST /v1/admin/api-keys': {
      call: () => post('/v1/admin/api-keys', { role: 'creator', party: { name: 'Matrix', contact: 'matrix@example.com' } }),
      expect: only(['admin'], 201),
    },
    'DELETE /v1/admin/api-keys/{keyId}': {
      call: async (w) => ({ method: 'DELETE', path: `/v1/admin/api-keys/${await w.freshKeyId()}` }),
      expect: only(['admin'], 204),
    },
    'GET /v1/ledger/checkpoint': { call: () => get('/v1/ledger/checkpoint'), expect: everyone(200) },
    'GET /v1/ledger/key': { call: () => get('/v1/ledger/key'), expect: everyone(200) },
    'GET /v1/ledger/entries': { call: () => get('/v1/ledger/entries', { start: '0', end: '1' }), expect: everyone(200) },
    'GET /v1/ledger/proof/inclusion': { call: () => get('/v1/ledger/proof/inclusion', { index: '0', treeSize: '2' }), expect: everyone(200) },
    'GET /v1/ledger/proof/consistency': { call: () => get('/v1/ledger/proof/consistency', { from: '1', to: '2' }), expect: everyone(200) },
    'POST /v1/works': {
      call: () => post('/v1/works', { sha256: randomHash(), title: 'Matrix', type: 'text', authors: [{ name: 'M' }] }),
      expect: only(['owner', 'stranger'], 201),
    },
    // Registrations are searchable by every key holder (the registry is a public record); certificates are not.
    'GET /v1/works': { call: (w) => get('/v1/works', { owner: w.owner.partyId }), expect: anyKey(200) },
    'GET /v1/works/{id}': { call: (w) => get(`/v1/works/${w.workId}`), expect: anyKey(200) },
    'GET /v1/works/{id}/history': { call: (w) => get(`/v1/works/${w.workId}/history`), expect: anyKey(200) },
    'GET /v1/works/{id}/certificate': { call: (w) => get(`/v1/works/${w.workId}/certificate`), expect: only(['owner', 'admin', 'exchange', 'officer'], 200) },
    'GET /v1/works/{id}/certificate.pdf': { call: (w) => get(`/v1/works/${w.workId}/certificate.pdf`), expect: only(['owner', 'admin', 'exchange', 'officer'], 200) },
    'GET /v1/works/{id}/timestamp': { call: (w) => get(`/v1/works/${w.workId}/timestamp`), expect: only(['owner', 'admin', 'exchange', 'officer'], 200) },
    'POST /v1/works/{id}/amendments': {
      call: (w) => post(`/v1/works/${w.workId}/amendments`, { reason: 'A typo in the title.', changes: { description: 'Corrected.' } }),
      expect: only(['owner'], 201),
    },
    'POST /v1/works/{id}/withdrawal': {
      call: async (w) => post(`/v1/works/${await w.freshWork()}/withdrawal`, { reason: 'Registered by mistake.' }),
      expect: only(['owner'], 201),
    },
    'GET /v1/tsa/certs': { call: () => get('/v1/tsa/certs'), expect: everyone(200) },
    'GET /v1/tsa/certs/ca.pem': { call: () => get('/v1/tsa/certs/ca.pem'), expect: everyone(200) },
    'GET /v1/tsa/certs/tsa.pem': { call: () => get('/v1/tsa/certs/tsa.pem'), expect: everyone(200) },
    'POST /v1/tsa': { call: (w) => ({ method: 'POST', path: '/v1/tsa', raw: w.timeStampQuery(), contentType: 'application/timestamp-query' }), expect: everyone(200) },
    'GET /v1/verify/works': { call: (w) => get('/v1/verify/works', { sha256: w.workSha256 }), expect: everyone(200) },
    'GET /v1/verify/works/{id}': { call: (w) => get(`/v1/verify/works/${w.workId}`), expect: everyone(200) },
    'GET /verify': { call: () => get('/verify'), expect: everyone(200) },
    'GET /verify/{file}': { call: () => get('/verify/verify.js'), expect: everyone(200) },
    // Infringement (issue 5). Reports are raised by the worker; these rows check the role gate with an id that names no report.
    'GET /officers': { call: () => get('/officers'), expect: everyone(200) },
    'GET /officers/{file}': { call: () => get('/officers/officers.js'), expect: everyone(200) },
    'POST /v1/sightings': { call: () => post('/v1/sightings', { ...sighting, text: `${sighting.text} ${randomUUID()}` }), expect: only(['owner', 'stranger', 'officer'], 202) },
    'GET /v1/sightings/{id}': {
      call: async (w) => get(`/v1/sightings/${(await w.send('registry', 'owner', post('/v1/sightings', { ...sighting, text: randomUUID() }))).body.id}`),
      expect: only(['owner', 'admin', 'officer'], 200, { stranger: 404 }),
    },
    'GET /v1/reports': { call: () => get('/v1/reports'), expect: only(['owner', 'stranger', 'admin', 'officer'], 200) },
    'GET /v1/reports/{id}': { call: () => get(`/v1/reports/${NO_SUCH_REPORT}`), expect: only(['owner', 'stranger', 'admin', 'officer'], 404) },
    'GET /v1/reports/{id}/evidence': { call: () => get(`/v1/reports/${NO_SUCH_REPORT}/evidence`), expect: only(['owner', 'stranger', 'admin', 'officer'], 404) },
    'GET /v1/reports/{id}/takedown-notice': { call: () => get(`/v1/reports/${NO_SUCH_REPORT}/takedown-notice`), expect: only(['owner', 'stranger', 'admin', 'officer'], 404) },
    'POST /v1/reports/{id}/status': { call: () => post(`/v1/reports/${NO_SUCH_REPORT}/status`, { status: 'investigating', reason: 'Looking into it.' }), expect: only(['officer'], 404) },
    'POST /v1/reports/{id}/notes': { call: () => post(`/v1/reports/${NO_SUCH_REPORT}/notes`, { note: 'A note.' }), expect: only(['officer'], 404) },
    'POST /v1/works/{id}/disputes': {
      call: async (w) => post(`/v1/works/${await w.freshWork()}/disputes`, { grounds: 'I wrote this work myself, years earlier.' }),
      // A work's own owner cannot dispute it (422); another creator can.
      expect: only(['stranger'], 201, { owner: 422 }),
    },
    'GET /v1/disputes': { call: () => get('/v1/disputes'), expect: anyKey(200) },
    'GET /v1/disputes/{id}': {
      call: async (w) => {
        const opened = await w.send('registry', 'anonymous', { ...post(`/v1/works/${await w.freshWork()}/disputes`, { grounds: 'The buyer says it wrote this work.' }), authorization: `Bearer ${w.buyer.key}` });
        return get(`/v1/disputes/${opened.body.id}`);
      },
      expect: only(['owner', 'admin', 'exchange', 'officer'], 200, { stranger: 404 }),
    },
    'POST /v1/disputes/{id}/resolution': {
      call: async (w) => {
        const opened = await w.send('registry', 'anonymous', { ...post(`/v1/works/${await w.freshWork()}/disputes`, { grounds: 'The buyer says it wrote this work.' }), authorization: `Bearer ${w.buyer.key}` });
        return post(`/v1/disputes/${opened.body.id}/resolution`, { outcome: 'rejected', reason: 'No evidence.' });
      },
      expect: only(['officer'], 200),
    },
    // Mounted outside Nest (bull-board): it authenticates by itself.
    'MOUNT /admin/queues': { call: () => get('/admin/queues'), expect: only(['admin'], 200) },
  },
  exchange: {
    'GET /health': { call: () => get('/health'), expect: everyone(200) },
    'POST /v1/deposits': { call: (w) => post('/v1/deposits', { partyId: w.owner.partyId, amount: '10', externalRef: `M-${randomUUID()}` }), expect: only(['exchange'], 201) },
    'POST /v1/payouts': { call: (w) => post('/v1/payouts', { partyId: w.owner.partyId, amount: '1', externalRef: `M-${randomUUID()}` }), expect: only(['exchange'], 201) },
    'GET /v1/accounts/{partyId}': { call: (w) => get(`/v1/accounts/${w.owner.partyId}`), expect: only(['owner', 'exchange'], 200) },
    'GET /v1/accounts/{partyId}/statement': { call: (w) => get(`/v1/accounts/${w.owner.partyId}/statement`), expect: only(['owner', 'exchange'], 200) },
    'POST /v1/listings': {
      call: (w) => post('/v1/listings', { workId: w.workId, kind: 'licence', terms: licenceTerms(), price: '100' }),
      expect: only(['owner'], 201, { stranger: 403 }),
    },
    'GET /v1/listings': { call: () => get('/v1/listings'), expect: anyKey(200) },
    'GET /v1/listings/{id}': { call: (w) => get(`/v1/listings/${w.listingId}`), expect: anyKey(200) },
    'POST /v1/listings/{id}/consents': { call: async (w) => post(`/v1/listings/${await w.listingAwaitingOwnerConsent()}/consents`), expect: only(['owner'], 200) },
    'POST /v1/listings/{id}/withdrawal': { call: async (w) => post(`/v1/listings/${await w.freshListing()}/withdrawal`), expect: only(['owner'], 200) },
    'POST /v1/listings/{id}/purchase': {
      call: async (w) => post(`/v1/listings/${await w.freshListing()}/purchase`),
      // Another creator may buy a public listing; its owner cannot buy its own.
      expect: only(['stranger'], 201, { owner: 422 }),
    },
    'GET /v1/licences/verify': {
      call: (w) => get('/v1/licences/verify', { work: w.workId, licensee: w.buyer.partyId, right: 'reproduction', territory: 'CN', media: 'online', at: '2026-06-01' }),
      expect: everyone(200),
    },
    'GET /v1/licences/{id}': { call: (w) => get(`/v1/licences/${w.licenceId}`), expect: everyone(200) },
    // The owner is a payee; a stranger is told the settlement does not exist.
    'GET /v1/settlements/{id}': { call: (w) => get(`/v1/settlements/${w.settlementId}`), expect: only(['owner', 'exchange'], 200, { stranger: 404 }) },
    'POST /v1/deals': {
      call: async (w) => post('/v1/deals', { workId: await w.freshWork(), kind: 'licence', terms: licenceTerms(), price: '300', buyerId: w.buyer.partyId }),
      expect: only(['exchange'], 201),
    },
    'POST /v1/deals/{id}/settlement': { call: async (w) => post(`/v1/deals/${await w.consentedDeal()}/settlement`), expect: only(['exchange'], 201) },
    'GET /v1/reconciliation': { call: () => get('/v1/reconciliation'), expect: only(['exchange'], 200) },
  },
};

/** Routes served for the API documentation only. */
export const DOCUMENTATION = /^(GET \/docs|GET \/docs\/.*|GET \/docs-yaml|GET \/docs-json|MOUNT \/docs)$/;
/** Public endpoints that write on purpose, and only then (documented): RFC 3161 time-stamping keeps nothing. */
export const PUBLIC_WRITES = new Set(['registry POST /v1/tsa']);

/** Every endpoint an app serves: its OpenAPI operations, the routes it serves and its mounted sub-apps ("MOUNT /path"). */
export async function servedEndpoints(app: INestApplication): Promise<string[]> {
  const { endpoints: documented } = await openApiEndpoints(app);
  const served = servedRoutes(app);
  const keys = new Set(documented.map((e) => e.key));
  for (const route of served.routes) if (!DOCUMENTATION.test(route)) keys.add(route);
  for (const mount of served.mounts) if (!DOCUMENTATION.test(`MOUNT ${mount}`)) keys.add(`MOUNT ${mount}`);
  return [...keys].sort();
}

/** The first role the matrix lets through (anonymous for public endpoints), to reach validation. */
export function allowedRole(row: Row): Role | undefined {
  return ROLES.find((role) => row.expect[role] < 400 || (row.expect[role] === 404 && role !== 'anonymous' && role !== 'stranger'));
}
