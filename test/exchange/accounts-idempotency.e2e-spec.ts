import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';
import type { TestParty } from '../support/test-app.js';

describe('exchange: accounts, money movements and idempotency', () => {
  let h: ExchangeHarness;
  let alice: TestParty;
  let db: DataSource;

  beforeAll(async () => {
    h = await startExchangeHarness();
    alice = await h.party('Alice');
    db = h.exchange.get(DataSource);
  });
  afterAll(() => h.close());

  const deposit = (party: TestParty, amount: string, externalRef = `BANK-${randomUUID()}`, key?: string) =>
    h.post('/v1/deposits', h.operator, { partyId: party.partyId, amount, externalRef }, key);

  it('books deposits and payouts double-entry, with a statement of running balances', async () => {
    const carol = await h.party('Carol');
    const booked = (await deposit(carol, '50000', 'ICBC-0001').expect(201)).body;
    expect(booked).toMatchObject({ kind: 'deposit', amount: '50000', creditBalanceAfter: '50000', externalRef: 'ICBC-0001' });
    await deposit(carol, '2500').expect(201);
    await h.post('/v1/payouts', h.operator, { partyId: carol.partyId, amount: 30000, externalRef: 'ICBC-P-0001' }).expect(201);
    expect(await h.balance(carol)).toMatchObject({ balance: '22500', held: '0', available: '22500' });

    const statement = (await h.get(`/v1/accounts/${carol.partyId}/statement`, carol).expect(200)).body;
    expect(statement.lines.map((l: { amount: string; balanceAfter: string }) => [l.amount, l.balanceAfter])).toEqual([
      ['50000', '50000'],
      ['2500', '52500'],
      ['-30000', '22500'],
    ]);
    const page = (await h.get(`/v1/accounts/${carol.partyId}/statement?limit=2`, carol).expect(200)).body;
    expect(page.lines).toHaveLength(2);
    const rest = (await h.get(`/v1/accounts/${carol.partyId}/statement?limit=2&after=${page.nextCursor}`, carol).expect(200)).body;
    expect(rest.lines.map((l: { balanceAfter: string }) => l.balanceAfter)).toEqual(['22500']);
    expect((await h.reconcile()).ok).toBe(true);
  });

  it('refuses a payout larger than the available balance, a reused bank reference, and bad amounts', async () => {
    const dave = await h.party('Dave');
    await deposit(dave, '1000', 'ABC-REF-1').expect(201);
    const over = await h.post('/v1/payouts', h.operator, { partyId: dave.partyId, amount: '1001', externalRef: 'ABC-P-1' }).expect(409);
    expect(over.body.error).toMatchObject({ code: 'INSUFFICIENT_FUNDS', details: { available: '1000', required: '1001' } });
    expect((await deposit(dave, '5', 'ABC-REF-1').expect(409)).body.error.code).toBe('DUPLICATE_EXTERNAL_REF');
    for (const amount of ['0', '-1', '1.00', 'abc', '1e3', '99999999999999999999']) {
      expect((await deposit(dave, amount).expect(400)).body.error.code).toBe('INVALID_AMOUNT');
    }
    expect((await h.post('/v1/deposits', h.operator, { partyId: randomUUID(), amount: '5', externalRef: 'NOBODY-1' }).expect(404)).body.error.code).toBe('ACCOUNT_NOT_FOUND');
    expect(await h.balance(dave)).toMatchObject({ balance: '1000' });
  });

  it('never lets a balance go negative, even for a statement that bypasses the application', async () => {
    await expect(db.query(`UPDATE accounts SET balance = -1 WHERE party_id = $1`, [alice.partyId])).rejects.toThrow(/accounts_no_overdraft/);
    await expect(db.query(`UPDATE transfers SET amount = amount + 1`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM transfers`)).rejects.toThrow(/append-only/);
  });

  it('lets a hold move from pending to posted or voided exactly once', async () => {
    const [{ id: accountId }] = await db.query(`SELECT id FROM accounts WHERE party_id = $1`, [alice.partyId]);
    const holdId = randomUUID();
    await db.query(`INSERT INTO holds (id, account_id, amount) VALUES ($1, $2, 1)`, [holdId, accountId]);
    await db.query(`UPDATE holds SET status = 'voided', void_reason = 'test', resolved_at = now() WHERE id = $1`, [holdId]);
    await expect(db.query(`UPDATE holds SET status = 'voided', void_reason = 'again', resolved_at = now() WHERE id = $1`, [holdId])).rejects.toThrow(/already voided/);
    await expect(db.query(`UPDATE holds SET status = 'pending', resolved_at = NULL, void_reason = NULL WHERE id = $1`, [holdId])).rejects.toThrow(/already voided/);
    await expect(db.query(`DELETE FROM holds WHERE id = $1`, [holdId])).rejects.toThrow(/never deleted/);
  });

  it('replays the first answer for a retry with the same key and body, refuses the key with another body', async () => {
    const erin = await h.party('Erin');
    const key = randomUUID();
    const first = await deposit(erin, '700', 'RETRY-REF-1', key).expect(201);
    const again = await deposit(erin, '700', 'RETRY-REF-1', key).expect(201);
    expect(again.headers['idempotency-replayed']).toBe('true');
    expect(again.body).toEqual(first.body);
    const other = await deposit(erin, '701', 'RETRY-REF-1', key).expect(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await h.balance(erin)).toMatchObject({ balance: '700' });

    // Keys are per party: another party may use the same key for its own call.
    const work = await h.work([[erin, 10000]]);
    await h.post('/v1/listings', erin, { workId: work, kind: 'licence', terms: licenceTerms(), price: '10' }, 'shared-key-1').expect(201);
    const frank = await h.party('Frank');
    const frankWork = await h.work([[frank, 10000]]);
    await h.post('/v1/listings', frank, { workId: frankWork, kind: 'licence', terms: licenceTerms(), price: '10' }, 'shared-key-1').expect(201);
  });

  it('replays a refusal that left a trace, and lets a request that changed nothing be fixed and retried', async () => {
    const grace = await h.party('Grace');
    const seller = await h.party('Seller');
    const work = await h.work([[seller, 10000]]);
    const listing = (await h.post('/v1/listings', seller, { workId: work, kind: 'licence', terms: licenceTerms(), price: '500' }).expect(201)).body;
    // No money: nothing was held, nothing stored; after a deposit the same key succeeds.
    const key = randomUUID();
    expect((await h.post(`/v1/listings/${listing.id}/purchase`, grace, {}, key).expect(409)).body.error.code).toBe('INSUFFICIENT_FUNDS');
    await deposit(grace, '500').expect(201);
    const bought = await h.post(`/v1/listings/${listing.id}/purchase`, grace, {}, key).expect(201);
    const replayed = await h.post(`/v1/listings/${listing.id}/purchase`, grace, {}, key).expect(201);
    expect(replayed.headers['idempotency-replayed']).toBe('true');
    expect(replayed.body).toEqual(bought.body);
    expect(await h.balance(grace)).toMatchObject({ balance: '0' });

    // Invalid input is not stored either: the same key works with a corrected body.
    const fixKey = randomUUID();
    await h.post('/v1/listings', seller, { workId: work, kind: 'licence', terms: licenceTerms(), price: 'ten' }, fixKey).expect(400);
    await h.post('/v1/listings', seller, { workId: work, kind: 'licence', terms: licenceTerms(), price: '10' }, fixKey).expect(201);
  });

  it('runs a burst of concurrent retries with one key exactly once', async () => {
    const henry = await h.party('Henry');
    const key = randomUUID();
    const responses = await Promise.all(Array.from({ length: 20 }, () => deposit(henry, '1234', 'BURST-REF-1', key)));
    const statuses = responses.map((r) => r.status);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    const ok = responses.filter((r) => r.status === 201);
    expect(ok.length).toBeGreaterThan(0);
    for (const r of ok) expect(r.body).toEqual(ok[0].body);
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(await h.balance(henry)).toMatchObject({ balance: '1234' });
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM transfers WHERE external_ref = 'BURST-REF-1'`);
    expect(n).toBe(1);
  });

  it('asks for an Idempotency-Key on every mutating call', async () => {
    const response = await h.exchange.getHttpServer();
    const request = (await import('supertest')).default;
    const missing = await request(response).post('/v1/deposits').set('Authorization', `Bearer ${h.operator.key}`).send({}).expect(400);
    expect(missing.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
  });
});
