// The world the attack tests play in: a registry and an exchange on the run's
// database, keys for every role, and resources that belong to one creator
// (the "owner"): works, a listing, an account with money, a settlement, a
// licence, a deal. Another creator (the "stranger") owns nothing of it.
// Factories make fresh resources for calls that use one up.
import type { INestApplication } from '@nestjs/common';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTimeStampRequest } from '#timestamp';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../../support/exchange-app.js';
import { randomHash } from '../../support/proofs.js';
import { ADMIN_KEY, issueKey, type TestParty } from '../../support/test-app.js';

export const ROLES = ['anonymous', 'admin', 'owner', 'stranger', 'exchange', 'officer'] as const;
export type Role = (typeof ROLES)[number];
export type AppName = 'registry' | 'exchange';

export interface Call {
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  raw?: Buffer;
  contentType?: string;
  /** Override the Authorization header (bogus and revoked keys). */
  authorization?: string;
}

export interface AttackWorld {
  harness: ExchangeHarness;
  apps: Record<AppName, INestApplication>;
  owner: TestParty;
  stranger: TestParty;
  buyer: TestParty;
  coOwner: TestParty;
  officer: TestParty;
  operator: TestParty;
  keyOf(role: Role): string | undefined;
  /** W: registered by the owner, who holds all of it. */
  workId: string;
  workSha256: string;
  /** Registered by the co-owner, shared 50/50 with the owner. */
  coWorkId: string;
  /** The owner's non-exclusive licence listing of W. */
  listingId: string;
  settlementId: string;
  licenceId: string;
  dealId: string;
  send(app: AppName, role: Role, call: Call): Promise<request.Response>;
  freshWork(owner?: TestParty): Promise<string>;
  freshListing(owner?: TestParty): Promise<string>;
  /** An exclusive listing the co-owner made of the shared work: it waits for the owner's consent. */
  listingAwaitingOwnerConsent(): Promise<string>;
  /** A deal the exchange recorded for the buyer, consented by everyone: ready to settle. */
  consentedDeal(): Promise<string>;
  freshKeyId(): Promise<string>;
  timeStampQuery(): Buffer;
  close(): Promise<void>;
}

let periodSeq = 0;
/** Exclusive licences must not overlap: each gets its own year. */
function nextPeriod(): { start: string; end: string } {
  const year = 2100 + (periodSeq++ % 800);
  return { start: `${year}-01-01`, end: `${year + 1}-01-01` };
}

export async function startAttackWorld(overrides: Record<string, string> = {}): Promise<AttackWorld> {
  const harness = await startExchangeHarness(overrides);
  const apps = { registry: harness.registry, exchange: harness.exchange };
  const [owner, stranger, buyer, coOwner, officer] = await Promise.all([
    harness.party('Owner'),
    harness.party('Stranger'),
    harness.party('Buyer'),
    harness.party('Co-owner'),
    issueKey(harness.registry, 'officer', 'Officer'),
  ]);
  const operator = harness.operator;
  const keys: Record<Role, string | undefined> = {
    anonymous: undefined,
    admin: ADMIN_KEY,
    owner: owner.key,
    stranger: stranger.key,
    exchange: operator.key,
    officer: officer.key,
  };

  const send = async (app: AppName, role: Role, call: Call): Promise<request.Response> => {
    let req = request(apps[app].getHttpServer())[call.method.toLowerCase() as 'get'](call.path);
    if (call.query) req = req.query(call.query);
    const authorization = call.authorization ?? (keys[role] ? `Bearer ${keys[role]}` : undefined);
    if (authorization) req = req.set('Authorization', authorization);
    if (call.method !== 'GET' && call.method !== 'HEAD') req = req.set('Idempotency-Key', randomUUID());
    if (call.contentType) req = req.set('Content-Type', call.contentType);
    // As bytes: superagent would JSON-encode a Buffer sent with a JSON content type.
    if (call.raw) return req.serialize((body: unknown) => body as string).send(call.raw);
    return call.body === undefined ? req : req.send(call.body as object);
  };

  const ok = (response: request.Response, what: string) => {
    if (response.status >= 300) throw new Error(`${what} failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const freshWork = (party: TestParty = owner) => harness.work([[party, 10_000]]);
  const freshListing = async (party: TestParty = owner) =>
    ok(await harness.post('/v1/listings', party, { workId: await freshWork(party), kind: 'licence', terms: licenceTerms(), price: '100' }), 'listing').id as string;

  const workId = await freshWork(owner);
  const workSha256 = (ok(await harness.registryGet(`/v1/works/${workId}`, owner), 'work') as { sha256: string }).sha256;
  const coWorkId = await harness.work([
    [coOwner, 5_000],
    [owner, 5_000],
  ]);
  await Promise.all([harness.deposit(owner, 1_000_000), harness.deposit(stranger, 1_000_000), harness.deposit(buyer, 1_000_000)]);
  const listingId = ok(await harness.post('/v1/listings', owner, { workId, kind: 'licence', terms: licenceTerms(), price: '500' }), 'listing').id as string;
  const sold = ok(await harness.post(`/v1/listings/${await freshListing(owner)}/purchase`, buyer), 'purchase') as { settlement: { id: string }; licence: { id: string } };

  const consentedDeal = async () => {
    const deal = ok(await harness.post('/v1/deals', operator, { workId: await freshWork(owner), kind: 'licence', terms: licenceTerms(), price: '300', buyerId: buyer.partyId }), 'deal') as { id: string };
    ok(await harness.post(`/v1/listings/${deal.id}/consents`, owner), 'owner consent');
    ok(await harness.post(`/v1/listings/${deal.id}/consents`, buyer), 'buyer consent');
    return deal.id;
  };
  const dealId = ok(await harness.post('/v1/deals', operator, { workId, kind: 'licence', terms: licenceTerms(), price: '300', buyerId: buyer.partyId }), 'deal').id as string;

  return {
    harness,
    apps,
    owner,
    stranger,
    buyer,
    coOwner,
    officer,
    operator,
    keyOf: (role) => keys[role],
    workId,
    workSha256,
    coWorkId,
    listingId,
    settlementId: sold.settlement.id,
    licenceId: sold.licence.id,
    dealId,
    send,
    freshWork,
    freshListing,
    listingAwaitingOwnerConsent: async () =>
      ok(
        await harness.post('/v1/listings', coOwner, { workId: coWorkId, kind: 'licence', terms: licenceTerms({ exclusive: true, period: nextPeriod() }), price: '700' }),
        'exclusive listing',
      ).id as string,
    consentedDeal,
    freshKeyId: async () => ok(await request(harness.registry.getHttpServer()).post('/v1/admin/api-keys').set('Authorization', `Bearer ${ADMIN_KEY}`).send({ role: 'creator', partyId: owner.partyId }), 'key').keyId as string,
    timeStampQuery: () => Buffer.from(createTimeStampRequest({ sha256: createHash('sha256').update(randomBytes(16)).digest(), certReq: true })),
    close: () => harness.close(),
  };
}

export { randomHash, licenceTerms };
