import type { INestApplication } from '@nestjs/common';
import { Queue } from 'bullmq';
import pg from 'pg';
import request from 'supertest';
import { JobName, OutboxRelay, QueueName, enqueueJob } from '#queue';
import { issueKey, startRegistry } from '../support/test-app.js';
import { randomHash } from '../support/proofs.js';

describe('transactional outbox', () => {
  let app: INestApplication;
  let pool: pg.Pool;
  const prefix = `{test-${process.pid}-${Date.now()}}`;
  const relay = (redisUrl: string) =>
    new OutboxRelay({
      redisTimeoutMs: 1000,
      connect: async () => {
        const client = await pool.connect();
        return { query: (text, params) => client.query(text, params), release: () => client.release() };
      },
      redisUrl,
      prefix,
    });
  const fingerprintQueue = () => new Queue(QueueName.Fingerprint, { connection: { url: process.env.TEST_RUN_REDIS_URL }, prefix });

  beforeAll(async () => {
    app = await startRegistry();
    pool = new pg.Pool({ connectionString: process.env.TEST_RUN_DATABASE_URL, max: 3 });
  });
  afterAll(async () => {
    await pool.end();
    await app.close();
  });

  it('writes a fingerprint job with every registration, in the same statement', async () => {
    const creator = await issueKey(app, 'creator');
    const { body } = await request(app.getHttpServer())
      .post('/v1/works')
      .set('Authorization', `Bearer ${creator.key}`)
      .send({ sha256: randomHash(), title: 'Scanned', type: 'text', authors: [{ name: 'S' }] })
      .expect(201);
    const { rows } = await pool.query(`SELECT job_name, payload, job_id FROM outbox WHERE payload->>'workId' = $1`, [body.id]);
    expect(rows).toEqual([{ job_name: JobName.FingerprintWork, payload: { workId: body.id }, job_id: `${JobName.FingerprintWork}.${body.id}` }]);
  });

  it('relays past rows naming jobs it does not know, leaves them in place, and says so', async () => {
    await pool.query(`INSERT INTO outbox (job_name, payload) SELECT 'retired-job', '{}' FROM generate_series(1, 250)`);
    const workId = crypto.randomUUID();
    await enqueueJob((text, params) => pool.query(text, params).then((r) => r.rows), JobName.FingerprintWork, { workId }, `after-unknown.${workId}`);
    const logged: string[] = [];
    const r = new OutboxRelay({
      connect: async () => {
        const client = await pool.connect();
        return { query: (text, params) => client.query(text, params), release: () => client.release() };
      },
      redisUrl: process.env.TEST_RUN_REDIS_URL!,
      prefix,
      log: (_level, message) => logged.push(message),
    });
    try {
      let relayed = 0;
      for (let n = await r.relayOnce(); n > 0; n = await r.relayOnce()) relayed += n;
      expect(relayed).toBeGreaterThanOrEqual(1);
      expect((await fingerprintQueue().getJob(`after-unknown.${workId}`))?.data).toEqual({ workId });
      expect((await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE job_name = 'retired-job'`)).rows[0].n).toBe(250);
      expect(logged).toEqual([expect.stringMatching(/^250 outbox rows name jobs this release does not know \(such as retired-job\)/)]);
    } finally {
      await r.stop();
      await pool.query(`DELETE FROM outbox WHERE job_name = 'retired-job'`);
    }
  });

  it('keeps jobs while Redis is unreachable and relays each exactly once when it is back', async () => {
    const workId = crypto.randomUUID();
    await enqueueJob((text, params) => pool.query(text, params).then((r) => r.rows), JobName.FingerprintWork, { workId }, `test.${workId}`);
    // The same cause recorded twice (a retried operation) must still give one job.
    await enqueueJob((text, params) => pool.query(text, params).then((r) => r.rows), JobName.FingerprintWork, { workId }, `test.${workId}`);

    const down = relay('redis://127.0.0.1:1');
    await expect(down.relayOnce()).rejects.toThrow();
    await down.stop();
    const waiting = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1`, [`test.${workId}`]);
    expect(waiting.rows[0].n).toBe(2);

    const up = relay(process.env.TEST_RUN_REDIS_URL!);
    while ((await up.relayOnce()) > 0);
    await up.stop();
    const left = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE job_id = $1`, [`test.${workId}`]);
    expect(left.rows[0].n).toBe(0);

    const queue = fingerprintQueue();
    const job = await queue.getJob(`test.${workId}`);
    expect(job?.data).toEqual({ workId });
    expect(job?.name).toBe(JobName.FingerprintWork);
    expect(job?.opts.attempts).toBe(5);
    const counts = await queue.getJobCounts('waiting', 'delayed', 'active', 'completed', 'failed');
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    const ids = (await queue.getJobs(['waiting'])).map((j) => j.id).filter((id) => id === `test.${workId}`);
    expect(ids).toHaveLength(1);
    expect(total).toBeGreaterThanOrEqual(1);
    await queue.obliterate({ force: true });
    await queue.close();
  }, 20_000);
});
