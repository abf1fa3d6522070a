// Starts the exchange app beside a registry (same database, same Redis) and
// gives the exchange tests short helpers: parties with keys, works with
// co-owners, money in, listings, and requests with an Idempotency-Key.
import type { INestApplication } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createExchangeApp } from '../../apps/exchange/src/exchange.app.js';
import { randomHash } from './proofs.js';
import { initForTests, issueKey, startRegistry, testConfig, type TestParty } from './test-app.js';

export async function startExchange(overrides: Record<string, string> = {}): Promise<INestApplication> {
  return initForTests(await createExchangeApp(testConfig(overrides)));
}

export interface ExchangeHarness {
  registry: INestApplication;
  exchange: INestApplication;
  http: ReturnType<INestApplication['getHttpServer']>;
  operator: TestParty;
  close(): Promise<void>;
  party(name?: string): Promise<TestParty>;
  /** Registers a work owned by the given shares (the first owner registers it). */
  work(owners: Array<[TestParty, number]>): Promise<string>;
  deposit(party: TestParty, amount: bigint | number): Promise<void>;
  post(path: string, as: TestParty, body?: object, key?: string): request.Test;
  get(path: string, as?: TestParty): request.Test;
  /** A GET on the registry (works, history, ledger key). */
  registryGet(path: string, as?: TestParty): request.Test;
  balance(party: TestParty): Promise<{ balance: string; held: string; available: string }>;
  reconcile(): Promise<{ ok: boolean; totals: Record<string, unknown>; checks: Array<{ name: string; ok: boolean; problems: unknown[] }> }>;
}

export async function startExchangeHarness(overrides: Record<string, string> = {}): Promise<ExchangeHarness> {
  const registry = await startRegistry(overrides);
  const exchange = await startExchange(overrides);
  const http = exchange.getHttpServer();
  const operator = await issueKey(registry, 'exchange', 'Exchange operator');
  const harness: ExchangeHarness = {
    registry,
    exchange,
    http,
    operator,
    close: async () => {
      await exchange.close();
      await registry.close();
    },
    party: (name) => issueKey(registry, 'creator', name),
    work: async (owners) => {
      const response = await request(registry.getHttpServer())
        .post('/v1/works')
        .set('Authorization', `Bearer ${owners[0][0].key}`)
        .send({
          sha256: randomHash(),
          title: '富春山居图',
          type: 'image',
          authors: [{ name: '黄公望' }],
          owners: owners.map(([party, shareBp]) => ({ partyId: party.partyId, shareBp })),
        });
      if (response.status >= 300) throw new Error(`registration failed: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body.id as string;
    },
    deposit: async (party, amount) => {
      await harness
        .post('/v1/deposits', operator, { partyId: party.partyId, amount: String(amount), externalRef: `BANK-${randomUUID()}` })
        .expect(201);
    },
    post: (path, as, body = {}, key = randomUUID()) =>
      request(http).post(path).set('Authorization', `Bearer ${as.key}`).set('Idempotency-Key', key).send(body),
    get: (path, as) => {
      const req = request(http).get(path);
      return as ? req.set('Authorization', `Bearer ${as.key}`) : req;
    },
    registryGet: (path, as) => {
      const req = request(registry.getHttpServer()).get(path);
      return as ? req.set('Authorization', `Bearer ${as.key}`) : req;
    },
    balance: async (party) => (await harness.get(`/v1/accounts/${party.partyId}`, operator).expect(200)).body,
    reconcile: async () => (await harness.get('/v1/reconciliation', operator).expect(200)).body,
  };
  return harness;
}

export const licenceTerms = (overrides: Record<string, unknown> = {}) => ({
  rights: ['reproduction', 'information_network_dissemination'],
  exclusive: false,
  territories: ['CN'],
  media: ['online'],
  period: { start: '2026-01-01', end: '2027-01-01' },
  sublicensable: false,
  ...overrides,
});
