// A job that is not ready yet waits without spending its attempts: with 5
// attempts, a job told to wait 7 times still completes.
import { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, JobName, QUEUE_OF, RetryLater } from '#queue';
import type { JobHandlers } from '../../apps/worker/src/queue/job-handlers.js';
import { QueueWorkersService } from '../../apps/worker/src/queue/queue-workers.service.js';
import { testConfig } from '../support/test-app.js';

describe('jobs that are not ready yet', () => {
  it('wait without spending attempts, and the handler never sees the wait count', async () => {
    const prefix = `{retry-later-${process.pid}-${Date.now()}}`;
    const seen: unknown[] = [];
    const idle = async () => undefined;
    const handlers: JobHandlers = {
      [JobName.FingerprintWork]: idle,
      [JobName.FingerprintSighting]: idle,
      [JobName.MatchSighting]: idle,
      [JobName.MatchWork]: async (data) => {
        seen.push(data);
        if (seen.length <= 7) throw new RetryLater('not integrated yet');
        return 'matched';
      },
    };
    const workers = new QueueWorkersService(testConfig({ QUEUE_PREFIX: prefix, QUEUE_RETRY_LATER_MS: '20' }), handlers);
    const queue = new Queue(QUEUE_OF[JobName.MatchWork], { connection: { url: process.env.TEST_RUN_REDIS_URL }, prefix });
    workers.onModuleInit();
    try {
      await queue.add(JobName.MatchWork, { workId: 'w1' }, { ...DEFAULT_JOB_OPTIONS, jobId: 'match-work.w1' });
      const deadline = Date.now() + 30_000;
      let state = await queue.getJobState('match-work.w1');
      while (state !== 'completed' && state !== 'failed' && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        state = await queue.getJobState('match-work.w1');
      }
      expect(state).toBe('completed');
      expect(seen).toHaveLength(8);
      expect(seen.every((data) => JSON.stringify(data) === JSON.stringify({ workId: 'w1' }))).toBe(true);
      expect((await queue.getJob('match-work.w1'))?.returnvalue).toBe('matched');
    } finally {
      await workers.onApplicationShutdown();
      await queue.obliterate({ force: true });
      await queue.close();
    }
  }, 40_000);
});
