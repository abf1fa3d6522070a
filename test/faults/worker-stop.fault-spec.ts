// The worker told to stop while Redis is down. It hung: closing its BullMQ
// workers and the outbox relay's queues waited for a Redis that never
// answered, so SIGTERM (docker stop, Ctrl+C under npm start) never ended it.
import { AppProcess, waitUntil } from './support/app-process.js';
import { createFaultDatabase, serviceEnv, type FaultDatabase, type ServiceEnv } from './support/fault-fixtures.js';
import { PrivateRedis } from './support/private-redis.js';

describe('fault: the worker stopped while Redis is down', () => {
  let db: FaultDatabase;
  let redis: PrivateRedis;
  let service: ServiceEnv;
  let worker: AppProcess;

  beforeAll(async () => {
    db = await createFaultDatabase('worker_stop');
    redis = await PrivateRedis.start();
    service = serviceEnv(db.url, redis.url);
    worker = await AppProcess.create('worker', service.env);
    await worker.start();
  }, 60_000);

  afterAll(async () => {
    await worker?.kill('SIGKILL');
    await redis?.destroy();
    await db?.drop();
    service?.cleanup();
  }, 30_000);

  it('exits on SIGTERM by itself (it hung until killed)', async () => {
    await redis.stop();
    expect(await waitUntil(async () => (await worker.health()) === 503, 10_000)).toBe(true);
    const started = Date.now();
    await worker.kill('SIGTERM', 30_000); // SIGKILL only if still running after 30 s
    const tookMs = Date.now() - started;
    // Ended by the SIGTERM it was sent, not by the SIGKILL that follows after 30 s.
    expect(worker.ended).toEqual({ code: null, signal: 'SIGTERM' });
    console.log(`worker stopped ${tookMs} ms after SIGTERM with Redis down`);
  }, 90_000);
});
