// PostgreSQL restarted under load, twice: a clean restart and a crash (a
// private server: the shared one is never touched). While it is down every app says so on /health (503) and every
// call gets a clean 503 SERVICE_UNAVAILABLE, never a 500; when it is back the
// apps recover by themselves (same processes: sequencer, integration waiter,
// pools) and nothing is half-written: a call that got a 503 either did all of
// its change or none, so retrying it (same hash, same Idempotency-Key) ends
// with exactly one registration or settlement.
import { randomUUID } from 'node:crypto';
import { randomHash } from '../support/proofs.js';
import { AppProcess, sleep, waitUntil } from './support/app-process.js';
import {
  call,
  countBy,
  ledgerCheck,
  ledgerDrained,
  ledgerProblems,
  outboxDrained,
  poolFor,
  register,
  runLoad,
  scanJobProblems,
  serviceEnv,
  type ServiceEnv,
} from './support/fault-fixtures.js';
import { purchase, reconciliation, setUpMarket, type Market, type Party } from './support/market.js';
import { PrivatePostgres } from './support/private-postgres.js';
import { PrivateRedis } from './support/private-redis.js';

const DOWN_MS = 5000;

describe('fault: PostgreSQL restarted under load', () => {
  let database: PrivatePostgres;
  let redis: PrivateRedis;
  let db: ReturnType<typeof poolFor>;
  let service: ServiceEnv;
  let registry: AppProcess;
  let exchange: AppProcess;
  let worker: AppProcess;
  let market: Market;
  const apps = () => [registry, exchange, worker];

  beforeAll(async () => {
    [database, redis] = await Promise.all([PrivatePostgres.start(), PrivateRedis.start()]);
    db = poolFor(database.url);
    service = serviceEnv(database.url, redis.url);
    registry = await AppProcess.create('registry', service.env);
    exchange = await AppProcess.create('exchange', service.env);
    worker = await AppProcess.create('worker', service.env);
    await registry.start();
    await Promise.all([exchange.start(), worker.start()]);
    market = await setUpMarket(registry.url, exchange.url, { sellers: 4, buyers: 4, deposit: 10_000_000n });
  }, 90_000);

  afterAll(async () => {
    await Promise.all(apps().map((app) => app?.stop()));
    await db?.drop();
    await Promise.all([database?.destroy(), redis?.destroy()]);
    service?.cleanup();
  }, 30_000);

  it('answers 503 while it is down, recovers by itself, and leaves no half-written record', async () => {
    const creator = market.sellers[0];
    let stop = false;
    type Call =
      | { kind: 'registration'; sha256: string }
      | { kind: 'purchase'; buyer: Party; listingId: string; idempotencyKey: string }
      | { kind: 'read'; path: string };
    const load = runLoad({
      clients: 10,
      stop: () => stop,
      maxCallsPerClient: 5000,
      maxMs: 90_000,
      backoffMs: 250,
      call: async (client, n) => {
        const startedAt = Date.now();
        let request: Call;
        let answer;
        if (client < 4) {
          request = { kind: 'registration', sha256: randomHash() };
          answer = await register(registry.url, creator.key, request.sha256);
        } else if (client < 8) {
          const listing = market.listings[n % market.listings.length];
          request = { kind: 'purchase', buyer: market.buyers[client - 4], listingId: listing.id, idempotencyKey: randomUUID() };
          answer = await purchase(exchange.url, request.buyer, request.listingId, request.idempotencyKey);
        } else {
          request = { kind: 'read', path: client === 8 ? `${registry.url}/v1/works?limit=5` : `${exchange.url}/v1/accounts/${market.buyers[0].partyId}` };
          answer = await call('GET', request.path, { key: client === 8 ? creator.key : market.operator.key });
        }
        return { request, status: answer.status, body: answer.body, error: answer.error, startedAt };
      },
    });

    // Two outages: a clean restart (fast shutdown: sessions told 57P01), then a
    // crash (immediate shutdown: sessions cut without a word, crash recovery).
    const outages: Array<{ mode: 'fast' | 'immediate'; down: number; up: number; recovered: number; reportedDown: boolean; healthy: boolean }> = [];
    for (const mode of ['fast', 'immediate'] as const) {
      await sleep(2000);
      const down = Date.now();
      await database.stop(mode);
      const reportedDown = await waitUntil(async () => (await Promise.all(apps().map((a) => a.health()))).every((s) => s === 503), 10_000);
      await sleep(down + DOWN_MS - Date.now());
      await database.start();
      const up = Date.now();
      const healthy = await waitUntil(async () => (await Promise.all(apps().map((a) => a.health()))).every((s) => s === 200), 30_000);
      outages.push({ mode, down, up, recovered: Date.now(), reportedDown, healthy });
      await sleep(3000); // the load goes on against the recovered apps
    }
    stop = true;
    const results = await load;
    const summary = countBy(results, (r) => `${r.request.kind} ${r.status}${r.status === 503 ? ` ${r.body?.error?.code}` : ''}`);

    expect(outages.map((o) => [o.mode, o.reportedDown, o.healthy])).toEqual([
      ['fast', true, true],
      ['immediate', true, true],
    ]);
    // The same processes, never restarted.
    expect(apps().map((a) => [a.name, a.running, a.starts])).toEqual(apps().map((a) => [a.name, true, 1]));
    // Success or a clean 503, nothing else (no 500, no dropped connection).
    const unclean = results.filter((r) => !((r.status >= 200 && r.status < 300) || (r.status === 503 && r.body?.error?.code === 'SERVICE_UNAVAILABLE')));
    if (unclean.length) console.log(apps().map((a) => a.logs().split('\n').filter((line) => / ERROR /.test(line)).slice(0, 20).join('\n')).join('\n'));
    expect(unclean.map((r) => `${r.request.kind} ${r.status} ${r.error ?? ''} ${JSON.stringify(r.body)}`.slice(0, 400))).toEqual([]);
    expect(results.filter((r) => r.status === 503).length).toBeGreaterThan(0);
    // Once healthy again, registrations get their proof in time (201) again: the sequencer and waiter are back.
    const expected = { registration: 201, purchase: 201, read: 200 };
    const late = results.filter((r) => outages.some((o, i) => r.startedAt > o.recovered + 1000 && r.at < (outages[i + 1]?.down ?? Infinity)));
    expect(late.length).toBeGreaterThan(60);
    expect(
      late
        .filter((r) => r.status !== expected[r.request.kind])
        .map((r) => `${r.request.kind} ${r.status} started ${outages.map((o) => `${r.startedAt - o.recovered} ms after ${o.mode}`).join(', ')}: ${JSON.stringify(r.body)}`),
    ).toEqual([]);

    // Every process has its LISTEN connection back (one waiter each) and one sequencer holds the lock.
    expect(
      await waitUntil(async () => {
        const { rows } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'ledger-waiter' AND datname = 'faults'`);
        return rows[0].n === 3;
      }, 10_000),
    ).toBe(true);
    const { rows: locks } = await db.pool.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND granted`);
    expect(locks[0].n).toBe(1);

    // Retry every call that got no success, as a client would: same hash, same Idempotency-Key.
    const retried = results.filter((r) => r.status === 503 && r.request.kind !== 'read');
    const retryAnswers: string[] = [];
    for (let i = 0; i < retried.length; i += 8) {
      await Promise.all(
        retried.slice(i, i + 8).map(async ({ request }) => {
          if (request.kind === 'registration') {
            // 200: it had committed before its 503 (this is the same registration); 201: it had not, and is made now.
            const answer = await register(registry.url, creator.key, request.sha256);
            retryAnswers.push(`registration ${answer.status === 200 ? 201 : answer.status}`);
          } else if (request.kind === 'purchase') {
            // 201 either way: replayed if it had committed, settled now if not.
            const answer = await purchase(exchange.url, request.buyer, request.listingId, request.idempotencyKey);
            retryAnswers.push(`purchase ${answer.status}`);
          }
        }),
      );
    }
    expect(countBy(retryAnswers, (a) => a)).toEqual(countBy(retried, (r) => `${r.request.kind} 201`));

    // Nothing half-written: each registration once, with owners and its entry; each purchase key settled once.
    expect(await ledgerDrained(db.pool)).toBe(true);
    expect(await ledgerProblems(db.pool)).toEqual([]);
    const registrations = results.filter((r) => r.request.kind === 'registration' && (r.status < 300 || r.status === 503));
    const { rows: works } = await db.pool.query(`SELECT encode(sha256, 'hex') AS sha256, count(*)::int AS n FROM works GROUP BY 1`);
    const worksByHash = new Map(works.map((w) => [w.sha256 as string, w.n as number]));
    expect(registrations.filter((r) => worksByHash.get((r.request as { sha256: string }).sha256) !== 1)).toEqual([]);
    const purchases = results.filter((r) => r.request.kind === 'purchase');
    const { rows: holds } = await db.pool.query(`SELECT status, count(*)::int AS n FROM holds GROUP BY 1`);
    expect(Object.fromEntries(holds.map((h) => [h.status, h.n]))).toEqual({ posted: purchases.length });
    const books = await reconciliation(exchange.url, market.operator);
    expect(books.body.ok).toBe(true);
    expect(books.body.totals.settlements).toBe(purchases.length);
    expect(await ledgerCheck(database.url, service.signingKey)).toMatchObject({ code: 0 });
    // The worker's relay came back too: every registration's scan job reached BullMQ, once.
    expect(await outboxDrained(db.pool)).toBe(true);
    const jobs = await scanJobProblems(db.pool, redis.url);
    expect(jobs).toEqual({ works: jobs.works, lost: [], doubled: [], strays: [] });

    console.log(
      `postgres restarts: ${outages.map((o) => `${o.mode}: down ${o.up - o.down} ms, healthy ${o.recovered - o.up} ms after the start`).join('; ')}; ` +
        `${JSON.stringify(summary)}; ${retried.length} retried`,
    );
  }, 150_000);
});
