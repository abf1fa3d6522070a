// kill -9 of the exchange while 16 buyers purchase licences (non-exclusive
// ones, and exclusive ones they race for, whose losers leave voided holds).
// Afterwards no hold is left pending: each is posted (with its settlement,
// licence and ledger entry) or voided (with nothing); every acknowledged
// purchase has its licence; retrying the unanswered ones under their
// Idempotency-Key settles each at most once; and reconciliation is exact,
// down to every buyer's balance.
import { randomUUID } from 'node:crypto';
import { verifyBundle } from '../support/proofs.js';
import { AppProcess, sleep } from './support/app-process.js';
import {
  call,
  countBy,
  createFaultDatabase,
  ledgerCheck,
  ledgerDrained,
  ledgerProblems,
  runLoad,
  serviceEnv,
  type FaultDatabase,
  type ServiceEnv,
} from './support/fault-fixtures.js';
import { PrivateRedis } from './support/private-redis.js';
import { purchase, reconciliation, setUpMarket, type Market } from './support/market.js';

const BUYERS = 16;
const DEPOSIT = 10_000_000n;

describe('fault: kill -9 of the exchange during purchases', () => {
  let db: FaultDatabase;
  let redis: PrivateRedis;
  let service: ServiceEnv;
  let registry: AppProcess;
  let exchange: AppProcess;
  let market: Market;

  beforeAll(async () => {
    db = await createFaultDatabase('exchange_kill');
    redis = await PrivateRedis.start(); // not the shared one: these processes' Redis traffic stays their own
    service = serviceEnv(db.url, redis.url);
    registry = await AppProcess.create('registry', service.env);
    exchange = await AppProcess.create('exchange', service.env);
    await registry.start();
    await exchange.start();
    market = await setUpMarket(registry.url, exchange.url, { sellers: 4, buyers: BUYERS, deposit: DEPOSIT, exclusive: 40 });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([registry?.stop(), exchange?.stop()]);
    await db?.drop();
    await redis?.destroy();
    service?.cleanup();
  }, 30_000);

  it('leaves every hold posted with its licence or voided, and the books exact', async () => {
    let acknowledged = 0;
    let killed = false;
    const kill = (async () => {
      const deadline = Date.now() + 15_000;
      while (acknowledged < 150 && Date.now() < deadline) await sleep(10);
      await exchange.kill('SIGKILL');
      killed = true;
    })();
    const results = await runLoad({
      clients: BUYERS,
      stop: () => killed,
      maxCallsPerClient: 200,
      maxMs: 30_000,
      call: async (client, n) => {
        const buyer = market.buyers[client];
        // Every third call races the other buyers for the same exclusive licence.
        const listing =
          n % 3 === 0 ? market.exclusiveListings[(n / 3) % market.exclusiveListings.length] : market.listings[(client + n) % market.listings.length];
        const idempotencyKey = randomUUID();
        const answer = await purchase(exchange.url, buyer, listing.id, idempotencyKey);
        if (answer.status === 201) acknowledged++;
        return { status: answer.status, body: answer.body, buyer, listing, idempotencyKey };
      },
    });
    await kill;
    const refused = (r: { status: number; body: any }) => r.status === 409 && ['LICENCE_CONFLICT', 'LISTING_NOT_AVAILABLE'].includes(r.body?.error?.code);
    expect(results.filter((r) => ![0, 201].includes(r.status) && !refused(r)).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const unanswered = results.filter((r) => r.status === 0);
    expect(unanswered.length).toBeGreaterThan(0); // the kill really hit purchases in flight

    // Straight after the crash, before any restart: nothing is left half-done.
    const { rows: pending } = await db.pool.query(`SELECT count(*)::int AS n FROM holds WHERE status = 'pending'`);
    expect(pending[0].n).toBe(0);

    await exchange.start();
    // Every acknowledged purchase has its licence, which verifies against the ledger.
    const vkey = ((await call('GET', `${registry.url}/v1/ledger/key`)).body as string).trim();
    expect(await ledgerDrained(db.pool)).toBe(true);
    for (const r of results.filter((r) => r.status === 201)) {
      const licence = await call('GET', `${exchange.url}/v1/licences/${r.body.licence.id}`);
      expect([licence.status, licence.status === 200 && verifyBundle(licence.body, vkey).ok]).toEqual([200, true]);
    }
    // A client retries what got no answer, under the same key: it is settled (or refused) now, or replayed.
    for (const r of unanswered) {
      const retry = await purchase(exchange.url, r.buyer, r.listing.id, r.idempotencyKey);
      expect(retry.status === 201 || refused(retry)).toBe(true);
      Object.assign(r, { status: retry.status, body: retry.body });
    }
    const bought = results.filter((r) => r.status === 201);
    const summary = countBy(results, (r) => `${r.status}${r.status === 409 ? ` ${r.body.error.code}` : ''}`);
    expect(await ledgerDrained(db.pool)).toBe(true);
    expect(await ledgerProblems(db.pool)).toEqual([]);

    // Every hold is posted with its settlement, licence and integrated ledger entry, or voided with none of them.
    const { rows: holds } = await db.pool.query(`
      SELECT h.status, count(*)::int AS n, count(s.id)::int AS settled, count(l.id)::int AS licensed, count(e.idx)::int AS entered,
             count(t.hold_id)::int AS moved
        FROM holds h
        LEFT JOIN settlements s ON s.id = h.settlement_id
        LEFT JOIN licences l ON l.settlement_id = s.id
        LEFT JOIN ledger_entries e ON e.entry_id = l.entry_id
        LEFT JOIN (SELECT DISTINCT hold_id FROM transfers) t ON t.hold_id = h.id
       GROUP BY 1`);
    const voided = holds.find((h) => h.status === 'voided')?.n ?? 0;
    expect(holds.filter((h) => h.status !== 'voided')).toEqual([{ status: 'posted', n: bought.length, settled: bought.length, licensed: bought.length, entered: bought.length, moved: bought.length }]);
    expect(holds.filter((h) => h.status === 'voided')).toEqual(voided ? [{ status: 'voided', n: voided, settled: 0, licensed: 0, entered: 0, moved: 0 }] : []);
    // One settlement per answered Idempotency-Key; an exclusive licence sold at most once.
    const { rows: keys } = await db.pool.query(
      `SELECT count(*)::int AS n, count(DISTINCT response_body->'settlement'->>'id')::int AS settlements FROM idempotency_keys WHERE key = ANY($1) AND response_status = 201`,
      [bought.map((r) => r.idempotencyKey)],
    );
    expect(keys[0]).toEqual({ n: bought.length, settlements: bought.length });
    const { rows: twice } = await db.pool.query(`SELECT listing_id FROM licences WHERE exclusive GROUP BY 1 HAVING count(*) > 1`);
    expect(twice).toEqual([]);

    const books = await reconciliation(exchange.url, market.operator);
    expect(books.status).toBe(200);
    expect(books.body.checks.filter((c: { ok: boolean }) => !c.ok)).toEqual([]);
    expect(books.body.totals).toMatchObject({
      deposits: String(market.deposited),
      payouts: '0',
      pendingHolds: '0',
      settlements: bought.length,
      licences: bought.length,
      voidedHolds: voided,
    });
    // Exact to the fen: each buyer paid exactly for the licences they were answered (or retried) with.
    const spent = new Map<string, bigint>();
    for (const r of bought) spent.set(r.buyer.partyId, (spent.get(r.buyer.partyId) ?? 0n) + r.listing.price);
    for (const buyer of market.buyers) {
      const account = await call('GET', `${exchange.url}/v1/accounts/${buyer.partyId}`, { key: market.operator.key });
      expect([buyer.partyId, account.body.balance, account.body.held]).toEqual([buyer.partyId, String(DEPOSIT - (spent.get(buyer.partyId) ?? 0n)), '0']);
    }
    expect(await ledgerCheck(db.url, service.signingKey)).toMatchObject({ code: 0 });
    console.log(`exchange kill: ${results.length} purchases ${JSON.stringify(summary)}, ${voided} voided holds, ${unanswered.length} in flight at the kill and retried`);
  }, 120_000);
});
