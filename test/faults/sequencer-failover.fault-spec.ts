// Two registry processes on one database: kill -9 the one holding the
// sequencer lock. The other must take over within a few seconds, and
// registrations sent to it keep completing with 201 and a proof that is an
// extension of the tree the dead sequencer signed.
import { verifyBundle, type ProofBundle } from '../support/proofs.js';
import { AppProcess, sleep, waitUntil } from './support/app-process.js';
import {
  bundlesConsistentWith,
  call,
  countBy,
  createFaultDatabase,
  issueKey,
  ledgerCheck,
  ledgerDrained,
  ledgerProblems,
  register,
  runLoad,
  serviceEnv,
  type FaultDatabase,
  type ServiceEnv,
} from './support/fault-fixtures.js';
import { PrivateRedis } from './support/private-redis.js';

const sequencerRole = async (app: AppProcess) => ((await app.healthBody()).body?.ledger as { sequencer?: string } | undefined)?.sequencer;

describe('fault: kill -9 of the registry that holds the sequencer', () => {
  let db: FaultDatabase;
  let redis: PrivateRedis;
  let service: ServiceEnv;
  let first: AppProcess;
  let second: AppProcess;

  beforeAll(async () => {
    db = await createFaultDatabase('failover');
    redis = await PrivateRedis.start(); // not the shared one: these processes' Redis traffic stays their own
    service = serviceEnv(db.url, redis.url);
    first = await AppProcess.create('registry', service.env, 'registry-a');
    second = await AppProcess.create('registry', service.env, 'registry-b');
    // One after the other: the first creates the shared data directory's files.
    await first.start();
    await second.start();
  }, 60_000);

  afterAll(async () => {
    await Promise.all([first?.stop(), second?.stop()]);
    await db?.drop();
    await redis?.destroy();
    service?.cleanup();
  }, 30_000);

  it('fails over to the standby within seconds and registrations keep completing', async () => {
    expect(await waitUntil(async () => (await Promise.all([first, second].map(sequencerRole))).sort().join() === 'active,standby', 10_000)).toBe(true);
    const [victim, survivor] = (await sequencerRole(first)) === 'active' ? [first, second] : [second, first];
    const creator = await issueKey(survivor.url, 'creator');
    const vkey = ((await call('GET', `${survivor.url}/v1/ledger/key`)).body as string).trim();

    // Warm up through both processes, so there are proofs signed by the victim.
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => register((i % 2 ? victim : survivor).url, creator.key)));
    expect(countBy(before, (a) => a.status)).toEqual({ 201: 20 });

    let stop = false;
    const load = runLoad({
      clients: 16,
      stop: () => stop,
      maxCallsPerClient: 1000,
      maxMs: 30_000,
      call: async () => {
        const startedAt = Date.now();
        const answer = await register(survivor.url, creator.key);
        return { status: answer.status, body: answer.body, startedAt };
      },
    });
    await sleep(1000);
    const killedAt = Date.now();
    await victim.kill('SIGKILL');
    const tookOver = await waitUntil(async () => (await sequencerRole(survivor)) === 'active', 10_000, 50);
    const takeoverMs = Date.now() - killedAt;
    await sleep(3000); // registrations keep flowing through the new sequencer
    stop = true;
    const results = await load;

    expect(tookOver).toBe(true);
    expect(takeoverMs).toBeLessThan(5000);
    // Every registration sent to the survivor succeeded; once it had taken over, each one with its proof (201).
    expect(countBy(results, (r) => (r.status >= 200 && r.status < 300 ? 'ok' : r.status))).toEqual({ ok: results.length });
    const afterTakeover = results.filter((r) => r.startedAt > killedAt + takeoverMs);
    expect(afterTakeover.length).toBeGreaterThan(50);
    expect(afterTakeover.filter((r) => r.status !== 201)).toEqual([]);
    for (const r of afterTakeover.slice(-20)) expect(verifyBundle(r.body, vkey).ok).toBe(true);

    // The new sequencer extended the tree the old one signed.
    expect(await ledgerDrained(db.pool)).toBe(true);
    expect(await ledgerProblems(db.pool)).toEqual([]);
    const issued = [...before, ...results].filter((r) => r.status === 201).map((r) => r.body as ProofBundle);
    expect(await bundlesConsistentWith(survivor.url, vkey, issued)).toEqual([]);
    expect(await ledgerCheck(db.url, service.signingKey)).toMatchObject({ code: 0 });

    // Restarted, the old sequencer comes back as a standby: never two sequencers.
    await victim.start();
    expect(await sequencerRole(victim)).toBe('standby');
    expect(await sequencerRole(survivor)).toBe('active');
    console.log(`fail-over: takeover in ${takeoverMs} ms; ${results.length} registrations on the survivor (${countBy(results, (r) => r.status)[202] ?? 0} answered 202)`);
  }, 90_000);
});
