// Redis stopped for 30 seconds under load (registrations and purchases). The
// APIs keep answering 2xx (only /health says Redis is down); the scan job
// every registration writes to the outbox waits in PostgreSQL and reaches
// BullMQ once Redis is back: every registration's job exactly once, none
// lost, none doubled.
import { randomUUID } from 'node:crypto';
import { AppProcess, sleep, waitUntil } from './support/app-process.js';
import {
  countBy,
  createFaultDatabase,
  ledgerDrained,
  ledgerProblems,
  outboxDrained,
  register,
  runLoad,
  scanJobProblems,
  serviceEnv,
  type FaultDatabase,
  type ServiceEnv,
} from './support/fault-fixtures.js';
import { purchase, reconciliation, setUpMarket, type Market } from './support/market.js';
import { PrivateRedis } from './support/private-redis.js';

const OUTAGE_MS = 30_000;

describe('fault: Redis stopped for 30 seconds under load', () => {
  let db: FaultDatabase;
  let redis: PrivateRedis;
  let service: ServiceEnv;
  let registry: AppProcess;
  let exchange: AppProcess;
  let worker: AppProcess;
  let market: Market;

  beforeAll(async () => {
    db = await createFaultDatabase('redis_outage');
    redis = await PrivateRedis.start();
    service = serviceEnv(db.url, redis.url);
    registry = await AppProcess.create('registry', service.env);
    exchange = await AppProcess.create('exchange', service.env);
    worker = await AppProcess.create('worker', service.env);
    await registry.start();
    await Promise.all([exchange.start(), worker.start()]);
    market = await setUpMarket(registry.url, exchange.url, { sellers: 4, buyers: 4, deposit: 10_000_000n });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([registry, exchange, worker].map((app) => app?.stop()));
    await redis?.destroy();
    await db?.drop();
    service?.cleanup();
  }, 30_000);

  const outboxSize = async () => (await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0].n as number;

  it('keeps registering and settling, then relays every queued scan exactly once', async () => {
    const creator = market.sellers[0];
    let stop = false;
    const window = { down: Infinity, up: Infinity };
    const phase = (at: number) => (at < window.down ? 'before' : at < window.up ? 'outage' : 'after');
    const load = runLoad({
      clients: 8,
      stop: () => stop,
      maxCallsPerClient: 5000,
      maxMs: 90_000,
      call: async (client, n) => {
        const startedAt = Date.now();
        if (client % 2 === 0) {
          const answer = await register(registry.url, creator.key);
          return { kind: 'registration', status: answer.status, body: answer.body, startedAt };
        }
        const buyer = market.buyers[(client - 1) / 2];
        const listing = market.listings[n % market.listings.length];
        const answer = await purchase(exchange.url, buyer, listing.id, randomUUID());
        return { kind: 'purchase', status: answer.status, body: answer.body, startedAt };
      },
    });

    await sleep(2000);
    window.down = Date.now();
    await redis.stop();
    // Every process notices and says so on /health, but keeps serving.
    const reportedDown = await waitUntil(async () => (await Promise.all([registry, exchange, worker].map((a) => a.health()))).every((s) => s === 503), 10_000);
    await sleep(window.down + OUTAGE_MS - Date.now());
    const buffered = await outboxSize();
    const oldest = async () => Number((await db.pool.query('SELECT coalesce(min(id), 0) AS id FROM outbox')).rows[0].id);
    const oldestWaiting = await oldest();
    await redis.start();
    window.up = Date.now();
    // The relay resumes within seconds of Redis coming back (it moves the oldest rows first).
    const resumed = await waitUntil(async () => (await oldest()) !== oldestWaiting, 30_000, 50);
    const resumeMs = Date.now() - window.up;
    const drained = await outboxDrained(db.pool, 30_000);
    const drainMs = Date.now() - window.up;
    const healthyAgain = await waitUntil(async () => (await Promise.all([registry, exchange, worker].map((a) => a.health()))).every((s) => s === 200), 10_000);
    await sleep(2000);
    stop = true;
    const results = await load;

    expect(reportedDown).toBe(true);
    expect(healthyAgain).toBe(true);
    // Nothing but success, in every phase, for both kinds of call.
    const failures = results.filter((r) => r.status < 200 || r.status >= 300).map((r) => `${r.kind} ${r.status} ${JSON.stringify(r.body)}`);
    expect(failures).toEqual([]);
    const during = countBy(results.filter((r) => phase(r.startedAt) === 'outage'), (r) => r.kind);
    expect(during.registration).toBeGreaterThan(50);
    expect(during.purchase).toBeGreaterThan(50);
    expect(buffered).toBeGreaterThan(50); // the scans really waited in the outbox

    expect(resumed).toBe(true);
    expect(resumeMs).toBeLessThan(5000);
    expect(drained).toBe(true);
    // ... and those written since: the last moments of the load, and the match
    // job each fingerprinted work queues through the outbox (thousands of works
    // registered during the outage are fingerprinted after it).
    expect(await outboxDrained(db.pool, 45_000)).toBe(true);
    const jobs = await scanJobProblems(db.pool, redis.url);
    expect(jobs).toEqual({ works: jobs.works, lost: [], doubled: [], strays: [] });
    console.log(
      `redis outage: ${results.length} calls (${JSON.stringify(during)} during the outage), ${buffered} jobs waited in the outbox; ` +
        `the relay resumed ${resumeMs} ms and drained them ${drainMs} ms after Redis returned, ${jobs.works} works each queued once`,
    );

    expect(await ledgerDrained(db.pool)).toBe(true);
    expect(await ledgerProblems(db.pool)).toEqual([]);
    const books = await reconciliation(exchange.url, market.operator);
    expect(books.status).toBe(200);
    expect(books.body.ok).toBe(true);
    expect(books.body.totals.settlements).toBe(results.filter((r) => r.kind === 'purchase').length);
  }, 180_000);
});
