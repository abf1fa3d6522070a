import { DataSource } from 'typeorm';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';
import type { TestParty } from '../support/test-app.js';

describe('exchange: 50 concurrent buyers of one exclusive licence', () => {
  let h: ExchangeHarness;

  beforeAll(async () => {
    h = await startExchangeHarness();
  });
  afterAll(() => h.close());

  it('grants exactly one licence; the other 49 get a clean LICENCE_CONFLICT and keep their money', async () => {
    const [alice, bob] = await Promise.all([h.party('Alice'), h.party('Bob')]);
    const work = await h.work([
      [alice, 7000],
      [bob, 3000],
    ]);
    const buyers: TestParty[] = await Promise.all(Array.from({ length: 50 }, (_, i) => h.party(`Buyer ${i}`)));
    await Promise.all(buyers.map((b) => h.deposit(b, 100_000)));

    // Fifty exclusive listings of the same scope: only the constraint can stop
    // two of them being sold (each listing alone would let one buyer through).
    const terms = licenceTerms({ exclusive: true, territories: ['WORLD'], media: ['any'] });
    const listings: string[] = [];
    for (let i = 0; i < 50; i++) {
      const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms, price: '77777' }).expect(201)).body;
      await h.post(`/v1/listings/${listing.id}/consents`, bob).expect(200);
      listings.push(listing.id);
    }
    const before = await h.reconcile();

    const responses = await Promise.all(buyers.map((buyer, i) => h.post(`/v1/listings/${listings[i]}/purchase`, buyer)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = responses.find((r) => r.status === 201)!.body;
    for (const r of responses.filter((x) => x.status === 409)) {
      expect(r.body.error).toMatchObject({ code: 'LICENCE_CONFLICT', details: { conflictingLicenceId: winner.licence.id } });
    }

    const db = h.exchange.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM licences WHERE work_id = $1`, [work]);
    expect(n).toBe(1);
    const winnerIndex = responses.findIndex((r) => r.status === 201);
    for (const [i, buyer] of buyers.entries()) {
      expect(await h.balance(buyer)).toMatchObject({ balance: i === winnerIndex ? String(100_000 - 77777) : '100000', held: '0' });
    }
    // 77777: fee 1944 (2.5%, half up), net 75833 split 70/30.
    expect(await h.balance(alice)).toMatchObject({ balance: '53083' });
    expect(await h.balance(bob)).toMatchObject({ balance: '22750' });

    const after = await h.reconcile();
    expect(after.checks.filter((c) => !c.ok)).toEqual([]);
    expect(after.ok).toBe(true);
    expect(after.totals).toMatchObject({
      settlements: (before.totals.settlements as number) + 1,
      licences: (before.totals.licences as number) + 1,
      voidedHolds: (before.totals.voidedHolds as number) + 49,
      pendingHolds: '0',
    });
  }, 60_000);

  it('sells one exclusive listing once when 20 buyers race for it', async () => {
    const owner = await h.party('Owner');
    const work = await h.work([[owner, 10000]]);
    const terms = licenceTerms({ exclusive: true, period: { start: '2030-01-01', end: '2031-01-01' } });
    const listing = (await h.post('/v1/listings', owner, { workId: work, kind: 'licence', terms, price: '1000' }).expect(201)).body;
    const buyers: TestParty[] = await Promise.all(Array.from({ length: 20 }, (_, i) => h.party(`Racer ${i}`)));
    await Promise.all(buyers.map((b) => h.deposit(b, 1000)));
    const responses = await Promise.all(buyers.map((b) => h.post(`/v1/listings/${listing.id}/purchase`, b)));
    expect(responses.filter((r) => r.status === 201)).toHaveLength(1);
    for (const r of responses.filter((x) => x.status !== 201)) {
      expect(r.status).toBe(409);
      expect(['LICENCE_CONFLICT', 'LISTING_NOT_AVAILABLE']).toContain(r.body.error.code);
    }
    expect(await h.balance(owner)).toMatchObject({ balance: '975' });
    expect((await h.reconcile()).ok).toBe(true);
  }, 60_000);
});
