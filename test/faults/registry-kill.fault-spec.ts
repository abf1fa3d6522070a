// kill -9 of the registry while 32 clients register (hash-only JSON). After a
// restart: every registration that got a 2xx is there and provable against
// the current checkpoint, the ledger has no gap, `ledger:check` passes, and
// every proof bundle handed out before the crash is consistent with the new
// checkpoint.
//
// Then SIGTERM under the same load (a deploy, a scale-down): the server stops
// taking connections, the registrations already running finish and are
// answered, and only then are the database, Redis and the sequencer closed.
// No client gets a 5xx, nothing is logged as an error, the process ends by
// the signal well before the forced kill, and every acknowledged
// registration is there after a restart.
import { verifyBundle, type ProofBundle } from '../support/proofs.js';
import { AppProcess, sleep } from './support/app-process.js';
import {
  bundlesConsistentWith,
  call,
  countBy,
  createFaultDatabase,
  currentCheckpoint,
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

describe('fault: the registry stopped under registration load', () => {
  let db: FaultDatabase;
  let redis: PrivateRedis;
  let service: ServiceEnv;
  let registry: AppProcess;

  beforeAll(async () => {
    db = await createFaultDatabase('registry_kill');
    redis = await PrivateRedis.start(); // not the shared one: these processes' Redis traffic stays their own
    service = serviceEnv(db.url, redis.url);
    registry = await AppProcess.create('registry', service.env);
    await registry.start();
  }, 60_000);

  /**
   * 32 clients register until the registry has acknowledged `acknowledgedTarget`
   * (or 15 s passed), then `stopRegistry` runs while they keep calling.
   */
  async function registerUntilStopped(creators: Array<{ key: string }>, acknowledgedTarget: number, stopRegistry: () => Promise<unknown>) {
    let acknowledged = 0;
    let stopped = false;
    const stop = (async () => {
      const deadline = Date.now() + 15_000;
      while (acknowledged < acknowledgedTarget && Date.now() < deadline) await sleep(20);
      const started = Date.now();
      await stopRegistry();
      stopped = true;
      return Date.now() - started;
    })();
    const results = await runLoad({
      clients: 32,
      stop: () => stopped,
      maxCallsPerClient: 200,
      maxMs: 30_000,
      call: async (client) => {
        const answer = await register(registry.url, creators[client % creators.length].key);
        if (answer.status >= 200 && answer.status < 300) acknowledged++;
        return { status: answer.status, body: answer.body };
      },
    });
    return { results, stopMs: await stop };
  }

  afterAll(async () => {
    await registry?.stop();
    await db?.drop();
    await redis?.destroy();
    service?.cleanup();
  }, 30_000);

  it('loses no acknowledged registration and keeps every issued proof consistent', async () => {
    const creators = await Promise.all([0, 1, 2, 3].map(() => issueKey(registry.url, 'creator')));
    const vkey = ((await call('GET', `${registry.url}/v1/ledger/key`)).body as string).trim();

    // 32 clients register until the registry has acknowledged enough, then it is killed mid-flight.
    const { results } = await registerUntilStopped(creators, 400, () => registry.kill('SIGKILL'));

    const ok = results.filter((r) => r.status >= 200 && r.status < 300);
    const statuses = countBy(results, (r) => r.status);
    // Before the kill only 201/202 (a 5xx would be a bug); after it, no answer (0).
    expect(Object.keys(statuses).filter((s) => !['0', '201', '202'].includes(s))).toEqual([]);
    expect(ok.length).toBeGreaterThanOrEqual(400);
    const issued = ok.filter((r) => r.status === 201).map((r) => r.body as ProofBundle & { id: string });

    await registry.start();
    // Whatever committed before the crash (answered or not) is integrated by the new sequencer.
    expect(await ledgerDrained(db.pool)).toBe(true);
    expect(await ledgerProblems(db.pool)).toEqual([]);

    const now = await currentCheckpoint(registry.url, vkey);
    const missing: string[] = [];
    const unprovable: string[] = [];
    const ids = ok.map((r) => r.body.id as string);
    for (let i = 0; i < ids.length; i += 32) {
      await Promise.all(
        ids.slice(i, i + 32).map(async (id) => {
          const answer = await call('GET', `${registry.url}/v1/works/${id}`, { key: creators[0].key });
          if (answer.status !== 200) return void missing.push(`${id}: ${answer.status}`);
          const verified = answer.body.proofStatus === 'integrated' && verifyBundle(answer.body, vkey);
          if (!verified || !verified.ok || verified.size !== now.size) unprovable.push(id);
        }),
      );
    }
    expect(missing).toEqual([]);
    expect(unprovable).toEqual([]);
    // Every registration's entry is in the ledger exactly once.
    const { rows } = await db.pool.query(
      `SELECT count(*)::int AS works, count(DISTINCT e.idx)::int AS entries FROM works w JOIN ledger_entries e ON e.entry_id = w.entry_id`,
    );
    expect(rows[0].works).toBe(rows[0].entries);
    expect(rows[0].works).toBeGreaterThanOrEqual(ok.length);

    // Certificates issued before the crash still hold: their checkpoints are prefixes of today's tree.
    expect(issued.length).toBeGreaterThan(0);
    expect(await bundlesConsistentWith(registry.url, vkey, issued)).toEqual([]);

    const check = await ledgerCheck(db.url, service.signingKey);
    expect(check).toMatchObject({ code: 0 });
    expect(check.output).toContain('ledger OK');
    console.log(
      `registry kill: ${ok.length} registrations acknowledged (${issued.length} with a proof) before the kill, ` +
        `${statuses[0] ?? 0} cut off, ${rows[0].works - ok.length} committed without an answer; all integrated at tree size ${now.size}`,
    );
  }, 120_000);

  it('drains the registrations in flight, answers them, and closes cleanly', async () => {
    const creators = await Promise.all([0, 1, 2, 3].map(() => issueKey(registry.url, 'creator')));
    const thisRun = `[${registry.name}#${registry.starts}]`; // the log lines of the process stopped below
    const { results, stopMs } = await registerUntilStopped(creators, 300, () => registry.kill('SIGTERM', 15_000));

    const statuses = countBy(results, (r) => r.status);
    // Answered (201/202) or refused at the door (0: connection refused or closed); never a 5xx.
    expect(Object.keys(statuses).filter((s) => !['0', '201', '202'].includes(s))).toEqual([]);
    expect(registry.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stopMs).toBeLessThan(12_000);
    const logs = registry.logs().split('\n').filter((line) => line.startsWith(thisRun)).join('\n');
    expect(logs).not.toBe('');
    expect(logs).not.toMatch(/ERROR|Driver not Connected|pool is ending/i);

    await registry.start();
    expect(await ledgerDrained(db.pool)).toBe(true);
    const ok = results.filter((r) => r.status >= 200 && r.status < 300);
    expect(ok.length).toBeGreaterThanOrEqual(300);
    const missing: string[] = [];
    for (const r of ok) {
      const answer = await call('GET', `${registry.url}/v1/works/${r.body.id as string}`, { key: creators[0].key });
      if (answer.status !== 200 || answer.body.proofStatus !== 'integrated') missing.push(`${r.body.id as string}: ${answer.status}`);
    }
    expect(missing).toEqual([]);
    console.log(`registry SIGTERM: ${ok.length} acknowledged, ${statuses[0] ?? 0} refused at the door, stopped in ${stopMs} ms`);
  }, 120_000);
});
