// The reconciliation must notice books that still add up but are wrong:
// proceeds moved to another party (balances adjusted to match), and a
// licence whose exclusion row is gone. Tampering goes around the
// append-only triggers, as a database superuser could, on a scratch database.
import { createScratchDatabase, type ScratchDatabase } from '../support/scratch-database.js';
import { licenceTerms, startExchangeHarness, type ExchangeHarness } from '../support/exchange-app.js';

describe('reconciliation against tampered books', () => {
  let db: ScratchDatabase;
  let h: ExchangeHarness;

  beforeAll(async () => {
    db = await createScratchDatabase(`reconcile_${Math.random().toString(36).slice(2, 8)}`);
    h = await startExchangeHarness({ DATABASE_URL: db.url });
  });
  afterAll(async () => {
    await h.close();
    await db.drop();
  });

  const failed = async () => (await h.reconcile()).checks.filter((c) => !c.ok);

  it('finds proceeds paid to the wrong party, and a licence without its exclusion row', async () => {
    const [alice, bob, mallory, buyer] = await Promise.all(['Alice', 'Bob', 'Mallory', 'Buyer'].map((name) => h.party(name)));
    const work = await h.work([
      [alice, 6000],
      [bob, 4000],
    ]);
    await h.deposit(buyer, 10_007);
    const listing = (await h.post('/v1/listings', alice, { workId: work, kind: 'licence', terms: licenceTerms(), price: '10007' }).expect(201)).body;
    const bought = (await h.post(`/v1/listings/${listing.id}/purchase`, buyer).expect(201)).body;
    const report = await h.reconcile();
    expect(report.ok).toBe(true);
    expect(report.checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(["every settlement's money came from its buyer and went to its payees in the planned parts", 'every licence has its exclusion row, with its work and exclusivity']),
    );
    await expect(db.pool.query('DELETE FROM licence_exclusion')).rejects.toThrow(/append-only/);
    await expect(db.pool.query('UPDATE licence_exclusion SET exclusive = true')).rejects.toThrow(/append-only/);

    // Bob's proceeds go to Mallory, with both balances "corrected": every total still adds up.
    const client = await db.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('ALTER TABLE transfers DISABLE TRIGGER USER');
      await client.query('ALTER TABLE accounts DISABLE TRIGGER USER');
      const [{ amount }] = (
        await client.query(
          `UPDATE transfers t SET credit_account_id = (SELECT id FROM accounts WHERE party_id = $3)
             FROM accounts b WHERE t.settlement_id = $1 AND t.credit_account_id = b.id AND b.party_id = $2 RETURNING t.amount`,
          [bought.settlement.id, bob.partyId, mallory.partyId],
        )
      ).rows;
      await client.query('UPDATE accounts SET balance = balance - $2 WHERE party_id = $1', [bob.partyId, amount]);
      await client.query('UPDATE accounts SET balance = balance + $2 WHERE party_id = $1', [mallory.partyId, amount]);
      await client.query('ALTER TABLE transfers ENABLE TRIGGER USER');
      await client.query('ALTER TABLE accounts ENABLE TRIGGER USER');
      await client.query('COMMIT');
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release();
    }
    const afterPayment = await failed();
    expect(afterPayment.map((c) => c.name)).toEqual(["every settlement's money came from its buyer and went to its payees in the planned parts"]);
    expect(afterPayment[0]!.problems).toEqual([
      expect.objectContaining({ settlementId: bought.settlement.id, actualPayouts: expect.arrayContaining([expect.stringContaining(mallory.partyId)]) }),
    ]);

    await db.pool.query('ALTER TABLE licence_exclusion DISABLE TRIGGER USER');
    await db.pool.query('DELETE FROM licence_exclusion WHERE licence_id = $1', [bought.licence.id]);
    await db.pool.query('ALTER TABLE licence_exclusion ENABLE TRIGGER USER');
    const afterExclusion = await failed();
    expect(afterExclusion.find((c) => c.name === 'every licence has its exclusion row, with its work and exclusivity')?.problems).toEqual([
      { licenceId: bought.licence.id, exclusionRows: 0 },
    ]);
  });
});
