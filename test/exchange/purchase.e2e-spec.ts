import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { decodeEntry, metadataHash } from '#ledger';
import { verifyBundle } from '../support/proofs.js';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';
import type { TestParty } from '../support/test-app.js';

describe('exchange: listing and buying licences', () => {
  let h: ExchangeHarness;
  let alice: TestParty;
  let bob: TestParty;
  let buyer: TestParty;
  let vkey: string;

  beforeAll(async () => {
    h = await startExchangeHarness();
    [alice, bob, buyer] = await Promise.all([h.party('Alice'), h.party('Bob'), h.party('Buyer')]);
    vkey = (await h.registryGet('/v1/ledger/key').expect(200)).text.trim();
  });
  afterAll(() => h.close());

  it('settles a purchase: holds, splits the net among co-owners after the fee, grants the licence and appends it to the ledger', async () => {
    const work = await h.work([
      [alice, 6667],
      [bob, 3333],
    ]);
    await h.deposit(buyer, 1_000_000);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: '100001' }).expect(201)).body;
    expect(listing).toMatchObject({ status: 'active', price: '100001', feeBp: 250, fee: '2500', netToRightsHolders: '97501', consentRequired: false });

    const bought = (await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201)).body;
    const { settlement, licence } = bought;
    expect(settlement).toMatchObject({ price: '100001', fee: '2500', buyerId: buyer.partyId, kind: 'licence' });
    // 97501 * 6667/10000 = 65003.91… and * 3333/10000 = 32497.08…: parts sum to the net exactly.
    expect(settlement.payouts).toEqual([
      { partyId: alice.partyId, amount: '65004' },
      { partyId: bob.partyId, amount: '32497' },
    ].sort((a, b) => (a.partyId < b.partyId ? -1 : 1)));
    expect(settlement.transfers.reduce((s: bigint, t: { amount: string }) => s + BigInt(t.amount), 0n)).toBe(100001n);
    expect(licence).toMatchObject({ workId: work, licenseeId: buyer.partyId, exclusive: false, status: 'active' });

    // The answer carries a ledger proof that verifies, for a licence.granted entry whose metadata hash we can recompute.
    expect(bought.ledger.proofStatus).toBe('integrated');
    expect(verifyBundle(bought.ledger, vkey).ok).toBe(true);
    const entry = decodeEntry(Buffer.from(bought.ledger.entry, 'base64'));
    expect(entry).toMatchObject({ kind: 'licence.granted', subject: { type: 'licence', id: licence.id }, refs: { work, settlement: settlement.id } });
    expect(entry.metadataHash).toBe(metadataHash(licence.ledgerMetadata));

    expect(await h.balance(buyer)).toMatchObject({ balance: String(1_000_000 - 100001), held: '0' });
    expect(await h.balance(alice)).toMatchObject({ balance: '65004', available: '65004' });
    expect(await h.balance(bob)).toMatchObject({ balance: '32497' });

    // Anyone can fetch the licence with its proof and ask whether a use is licensed.
    const fetched = (await h.get(`/v1/licences/${licence.id}`).expect(200)).body;
    expect(verifyBundle(fetched, vkey).ok).toBe(true);
    const verify = (q: string) => h.get(`/v1/licences/verify?work=${work}&licensee=${buyer.partyId}&${q}`).expect(200);
    expect((await verify('right=reproduction&territory=CN&media=online&at=2026-06-01')).body).toMatchObject({ licensed: true, licence: { id: licence.id } });
    expect((await verify('right=reproduction&territory=CN&media=online&at=2027-01-01')).body.licensed).toBe(false);
    expect((await verify('right=reproduction&territory=JP&media=online&at=2026-06-01')).body.licensed).toBe(false);
    expect((await verify('right=broadcast&territory=CN&media=online&at=2026-06-01')).body.licensed).toBe(false);
    expect((await verify('right=reproduction&territory=CN&media=print&at=2026-06-01')).body.licensed).toBe(false);

    // The buyer's statement shows the fee and each payout with running balances.
    const statement = (await h.get(`/v1/accounts/${buyer.partyId}/statement`, buyer).expect(200)).body;
    const balances = statement.lines.map((l: { balanceAfter: string }) => l.balanceAfter);
    expect(balances[0]).toBe('1000000');
    expect(balances[balances.length - 1]).toBe(String(1_000_000 - 100001));
    expect(statement.lines.slice(1).map((l: { kind: string }) => l.kind)).toEqual(['exchange_fee', 'sale_proceeds', 'sale_proceeds']);

    const settlementView = (await h.get(`/v1/settlements/${settlement.id}`, alice).expect(200)).body;
    expect(settlementView).toMatchObject({ id: settlement.id, licenceId: licence.id, price: '100001' });
    await h.get(`/v1/settlements/${settlement.id}`, await h.party()).expect(404);

    expect((await h.reconcile()).ok).toBe(true);
  });

  it('refuses a purchase the buyer cannot pay (INSUFFICIENT_FUNDS) without touching any balance', async () => {
    const poor = await h.party('Poor');
    await h.deposit(poor, 999);
    const work = await h.work([[alice, 10000]]);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: 1000 }).expect(201)).body;
    const refused = await h.post(`/v1/listings/${listing.id}/purchase`, poor).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { available: '999', required: '1000' } });
    expect(await h.balance(poor)).toMatchObject({ balance: '999', held: '0' });
    expect((await h.reconcile()).ok).toBe(true);
  });

  it('leaves no trace but a voided hold when a purchase fails after the hold (licence conflict)', async () => {
    const work = await h.work([[alice, 10000]]);
    const other = await h.party('Other');
    await Promise.all([h.deposit(buyer, 50_000), h.deposit(other, 50_000)]);
    // A non-exclusive licence is sold first; then an exclusive one over the same scope can no longer be granted.
    const open = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: 100 }).expect(201)).body;
    const exclusiveTerms = licenceTerms({ exclusive: true, territories: ['WORLD'], media: ['any'], period: { start: '2026-06-01', end: '2026-07-01' } });
    const exclusive = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: exclusiveTerms, price: 20_000 }).expect(201)).body;
    expect(exclusive.status).toBe('active'); // sole owner: no further consent needed
    const first = (await h.post(`/v1/listings/${open.id}/purchase`, buyer).expect(201)).body;

    const before = { other: await h.balance(other), alice: await h.balance(alice), recon: await h.reconcile() };
    const refused = await h.post(`/v1/listings/${exclusive.id}/purchase`, other).expect(409);
    expect(refused.body.error).toMatchObject({ code: 'LICENCE_CONFLICT', details: { conflictingLicenceId: first.licence.id } });

    expect(await h.balance(other)).toEqual(before.other);
    expect(await h.balance(alice)).toEqual(before.alice);
    const after = await h.reconcile();
    expect(after.ok).toBe(true);
    expect(after.totals).toMatchObject({
      settlements: before.recon.totals.settlements,
      licences: before.recon.totals.licences,
      voidedHolds: (before.recon.totals.voidedHolds as number) + 1,
    });
    const listing = (await h.get(`/v1/listings/${exclusive.id}`, alice).expect(200)).body;
    expect(listing.status).toBe('active');
  });

  it('needs every co-owner to consent before an exclusive licence can be sold', async () => {
    const work = await h.work([
      [alice, 5000],
      [bob, 5000],
    ]);
    await h.deposit(buyer, 10_000);
    const terms = licenceTerms({ exclusive: true, territories: ['HK', 'MO'], period: { start: '2028-01-01', end: '2029-01-01' } });
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms, price: 5000 }).expect(201)).body;
    expect(listing.status).toBe('awaiting_consent');
    expect(listing.consents).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ partyId: alice.partyId, consented: true }),
        expect.objectContaining({ partyId: bob.partyId, consented: false }),
      ]),
    );
    const early = await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(409);
    expect(early.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', details: { missingConsents: [bob.partyId] } });
    const stranger = await h.post(`/v1/listings/${listing.id}/consents`, buyer).expect(403);
    expect(stranger.body.error.code).toBe('CONSENT_NOT_EXPECTED');

    const consented = (await h.post(`/v1/listings/${listing.id}/consents`, bob).expect(200)).body;
    expect(consented.status).toBe('active');
    const bought = (await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201)).body;
    expect(bought.licence).toMatchObject({ exclusive: true, licensors: expect.arrayContaining([{ partyId: bob.partyId, shareBp: 5000 }]) });
    expect((await h.get(`/v1/listings/${listing.id}`, bob).expect(200)).body.status).toBe('sold');
    const again = await h.post(`/v1/listings/${listing.id}/purchase`, await h.party()).expect(409);
    expect(again.body.error.code).toBe('LISTING_NOT_AVAILABLE');
  });

  it('lets any co-owner offer a non-exclusive licence, and shares its proceeds with all', async () => {
    const work = await h.work([
      [alice, 2500],
      [bob, 7500],
    ]);
    await h.deposit(buyer, 10_000);
    const listing = (await h.post('/v1/listings', bob, { workId: work, kind: 'licence', terms: licenceTerms(), price: 4000 }).expect(201)).body;
    expect(listing.status).toBe('active');
    const bought = (await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201)).body;
    const byParty = Object.fromEntries(bought.settlement.payouts.map((p: { partyId: string; amount: string }) => [p.partyId, p.amount]));
    expect(byParty).toEqual({ [alice.partyId]: '975', [bob.partyId]: '2925' }); // fee 100, net 3900
  });

  it('takes a purchase that says it sends JSON but has no body (as HTTP clients often do)', async () => {
    const work = await h.work([[alice, 10_000]]);
    await h.deposit(buyer, 10_000);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: '1000' }).expect(201)).body;
    const bought = await request(h.http)
      .post(`/v1/listings/${listing.id}/purchase`)
      .set('Authorization', `Bearer ${buyer.key}`)
      .set('Idempotency-Key', randomUUID())
      .set('Content-Type', 'application/json');
    expect([bought.status, bought.body.settlement?.price]).toEqual([201, '1000']);
  });

  it('refuses to list works the caller does not own, withdrawn terms, bad prices and bad terms with clear 4xx codes', async () => {
    const work = await h.work([[alice, 10000]]);
    const list = (as: TestParty, body: object) => h.post('/v1/listings', as, { workId: work, kind: 'licence', terms: licenceTerms(), price: '100', ...body });
    expect((await list(bob, {}).expect(403)).body.error.code).toBe('NOT_WORK_OWNER');
    expect((await list(alice, { price: '-5' }).expect(400)).body.error.code).toBe('INVALID_AMOUNT');
    expect((await list(alice, { price: '1.5' }).expect(400)).body.error.code).toBe('INVALID_AMOUNT');
    expect((await list(alice, { price: '1' + '0'.repeat(30) }).expect(400)).body.error.code).toBe('INVALID_AMOUNT');
    expect((await list(alice, { terms: licenceTerms({ territories: ['UK'] }) }).expect(400)).body.error).toMatchObject({ code: 'INVALID_TERMS', details: { field: 'territories[0]' } });
    expect((await list(alice, { terms: licenceTerms({ period: { start: '2026-02-01', end: '2026-02-01' } }) }).expect(400)).body.error.code).toBe('INVALID_TERMS');
    expect((await list(alice, { terms: licenceTerms({ rights: ['moral'] }) }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await list(alice, { terms: licenceTerms({ territories: Array(300).fill('CN') }) }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await list(alice, { extra: 1 }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await list(alice, { kind: 'assignment', terms: undefined }).expect(400)).body.error.code).toBe('VALIDATION_FAILED');
    expect((await list(alice, { workId: '00000000-0000-4000-8000-000000000000' }).expect(404)).body.error.code).toBe('WORK_NOT_FOUND');
    // A withdrawn work cannot be listed.
    await h.exchange.get(DataSource).query(`UPDATE works SET status = 'withdrawn' WHERE id = $1`, [work]);
    expect((await list(alice, {}).expect(409)).body.error).toMatchObject({ code: 'WORK_NOT_LISTABLE', details: { reason: 'withdrawn' } });
    await h.post('/v1/listings', alice, {}, 'x y').expect(400);
    await h.get(`/v1/licences/verify?work=${work}&licensee=${bob.partyId}&right=reproduction&territory=XX&media=online`).expect(400);
    await h.get(`/v1/licences/00000000-0000-4000-8000-000000000000`).expect(404);
  });

  it('keeps buyers off deals and creators off other accounts', async () => {
    await h.get(`/v1/accounts/${alice.partyId}`, bob).expect(403);
    await h.post('/v1/deposits', alice, { partyId: alice.partyId, amount: '100', externalRef: 'SELF-SERVICE' }).expect(403);
    await h.get('/v1/reconciliation', alice).expect(403);
    await h.get('/v1/reconciliation').expect(401);
  });
});
