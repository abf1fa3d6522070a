// SIGTERM of the registry while 32 clients register (a deploy, a scale-down):
// the server stops taking connections, the registrations already running
// finish and are answered, and only then are the database, Redis and the
// sequencer closed. No client gets a 5xx, nothing is logged as an error, the
// process ends by the signal well before the forced kill, and every
// acknowledged registration is there after a restart.
import { AppProcess, sleep } from './support/app-process.js';
import { call, countBy, createFaultDatabase, issueKey, ledgerDrained, register, runLoad, serviceEnv, type FaultDatabase, type ServiceEnv } from './support/fault-fixtures.js';
import { PrivateRedis } from './support/private-redis.js';

describe('fault: SIGTERM of the registry under registration load', () => {
  let db: FaultDatabase;
  let redis: PrivateRedis;
  let service: ServiceEnv;
  let registry: AppProcess;

  beforeAll(async () => {
    db = await createFaultDatabase('registry_sigterm');
    redis = await PrivateRedis.start();
    service = serviceEnv(db.url, redis.url);
    registry = await AppProcess.create('registry', service.env);
    await registry.start();
  }, 60_000);

  afterAll(async () => {
    await registry?.stop();
    await db?.drop();
    await redis?.destroy();
    service?.cleanup();
  }, 30_000);

  it('drains the registrations in flight, answers them, and closes cleanly', async () => {
    const creators = await Promise.all([0, 1, 2, 3].map(() => issueKey(registry.url, 'creator')));
    let acknowledged = 0;
    let stopped = false;
    const stop = (async () => {
      const deadline = Date.now() + 15_000;
      while (acknowledged < 300 && Date.now() < deadline) await sleep(20);
      const started = Date.now();
      await registry.kill('SIGTERM', 15_000);
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
    const stopMs = await stop;

    const statuses = countBy(results, (r) => r.status);
    // Answered (201/202) or refused at the door (0: connection refused or closed); never a 5xx.
    expect(Object.keys(statuses).filter((s) => !['0', '201', '202'].includes(s))).toEqual([]);
    expect(registry.ended).toEqual({ code: null, signal: 'SIGTERM' });
    expect(stopMs).toBeLessThan(12_000);
    const logs = registry.logs();
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
