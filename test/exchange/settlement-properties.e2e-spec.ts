// Service-level property checks: whatever the co-owners' shares and the
// price, a settled purchase moves exactly the price out of the buyer's
// account, every co-owner gets its floor-or-ceiling share of the net, and
// the books reconcile. Few runs, as each one is a full HTTP purchase.
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';
import type { TestParty } from '../support/test-app.js';

describe('exchange: settlement properties over HTTP', () => {
  let h: ExchangeHarness;
  let owners: TestParty[];
  let buyer: TestParty;

  beforeAll(async () => {
    h = await startExchangeHarness();
    owners = await Promise.all(Array.from({ length: 5 }, (_, i) => h.party(`Owner ${i}`)));
    buyer = await h.party('Buyer');
    await h.deposit(buyer, 10n ** 13n);
  });
  afterAll(() => h.close());

  const sharesArb = fc.integer({ min: 1, max: 5 }).chain((n) =>
    fc.array(fc.integer({ min: 1, max: 100 }), { minLength: n, maxLength: n }).map((weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      const shares = weights.map((w) => Math.max(1, Math.floor((w * 10_000) / total)));
      shares[0] += 10_000 - shares.reduce((a, b) => a + b, 0);
      return shares[0] >= 1 ? shares : null;
    }),
  );

  it('moves exactly the price, splits the net by share to the fen, and reconciles', async () => {
    await fc.assert(
      fc.asyncProperty(sharesArb.filter((s): s is number[] => s !== null), fc.bigInt({ min: 1n, max: 10n ** 11n }), async (shares, price) => {
        const holders = shares.map((shareBp, i): [TestParty, number] => [owners[i], shareBp]);
        const work = await h.work(holders);
        const before = await Promise.all([buyer, ...owners].map((p) => h.balance(p)));
        const listing = (await h.post('/v1/listings', owners[0], { workId: work, kind: 'licence', terms: licenceTerms({ purpose: randomUUID() }), price: price.toString() }).expect(201)).body;
        const { settlement } = (await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201)).body;
        const after = await Promise.all([buyer, ...owners].map((p) => h.balance(p)));

        expect(BigInt(before[0].balance) - BigInt(after[0].balance)).toBe(price);
        const fee = BigInt(settlement.fee);
        const net = price - fee;
        let paid = 0n;
        for (const [i, shareBp] of shares.entries()) {
          const got = BigInt(after[i + 1].balance) - BigInt(before[i + 1].balance);
          expect(got >= 0n).toBe(true);
          const exact = net * BigInt(shareBp);
          expect(got * 10_000n > exact - 10_000n && got * 10_000n < exact + 10_000n).toBe(true);
          paid += got;
        }
        expect(paid + fee).toBe(price);
      }),
      { numRuns: 15 },
    );
    expect((await h.reconcile()).ok).toBe(true);
  }, 60_000);

  it('replays a refusal that left a voided hold instead of trying again', async () => {
    const work = await h.work([[owners[0], 10000]]);
    const terms = licenceTerms({ exclusive: true, period: { start: '2040-01-01', end: '2041-01-01' } });
    const a = (await h.post('/v1/listings', owners[0], { workId: work, kind: 'licence', terms, price: '100' }).expect(201)).body;
    const b = (await h.post('/v1/listings', owners[0], { workId: work, kind: 'licence', terms, price: '100' }).expect(201)).body;
    await h.post(`/v1/listings/${a.id}/purchase`, buyer).expect(201);
    const key = randomUUID();
    const first = await h.post(`/v1/listings/${b.id}/purchase`, buyer, {}, key).expect(409);
    const voided = (await h.reconcile()).totals.voidedHolds;
    const again = await h.post(`/v1/listings/${b.id}/purchase`, buyer, {}, key).expect(409);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    expect((await h.reconcile()).totals.voidedHolds).toBe(voided);
  });

  it('documents every exchange endpoint in OpenAPI', async () => {
    const doc = (await h.get('/docs/openapi.json').expect(200)).body;
    for (const path of [
      '/v1/deposits',
      '/v1/payouts',
      '/v1/accounts/{partyId}',
      '/v1/accounts/{partyId}/statement',
      '/v1/listings',
      '/v1/listings/{id}/consents',
      '/v1/listings/{id}/purchase',
      '/v1/deals',
      '/v1/deals/{id}/settlement',
      '/v1/licences/{id}',
      '/v1/licences/verify',
      '/v1/reconciliation',
    ]) {
      expect(doc.paths[path]).toBeDefined();
    }
    expect(JSON.stringify(doc.paths['/v1/listings/{id}/purchase'])).toContain('Idempotency-Key');
  });
});
