// Runs a BullMQ worker per queue in this process (started in onModuleInit,
// closed on shutdown, never in a constructor). Retries, backoff and the
// dead-letter set come from the job options the outbox relay adds jobs with
// (DEFAULT_JOB_OPTIONS): 5 attempts with exponential backoff, then the job
// stays in the failed set for an operator (bull-board on the registry). A job
// that is not ready yet (RetryLater) is delayed instead, spending no attempt.
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { DelayedError, Worker, type Job } from 'bullmq';
import { closeWithin, JobName, MAX_RETRY_LATER_WAITS, QUEUE_OF, QueueName, RetryLater, retryLaterDelay } from '#queue';
import { APP_CONFIG, type AppConfig } from '#platform';
import { assertEveryJobHandled, type JobHandlers } from './job-handlers.js';

export const JOB_HANDLERS = Symbol('JOB_HANDLERS');

/**
 * How long shutdown waits for running jobs to finish and Redis to confirm the
 * close. With Redis down the close never completes (the process hung on
 * SIGTERM); past this the workers are disconnected, and a job cut short is
 * retried once its lock expires.
 */
const CLOSE_WAIT_MS = 4_000;

/** Where a job's data counts its waits (RetryLater); handlers never see it. */
const WAITS_KEY = '_retryLaterWaits';

@Injectable()
export class QueueWorkersService implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('QueueWorkers');
  private readonly workers: Worker[] = [];

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(JOB_HANDLERS) private readonly handlers: JobHandlers,
  ) {}

  onModuleInit(): void {
    assertEveryJobHandled(this.handlers);
    for (const queue of Object.values(QueueName)) {
      const names = Object.values(JobName).filter((name) => QUEUE_OF[name] === queue);
      const worker = new Worker(queue, (job: Job, token?: string) => this.process(job, token), {
        connection: { url: this.config.redisUrl, maxRetriesPerRequest: null },
        prefix: this.config.queue.prefix,
        concurrency: this.config.queue.concurrency,
      });
      worker.on('error', (error) => this.logger.warn(`queue ${queue}: ${error.message}`));
      worker.on('failed', (job, error) => {
        if (!job) return;
        const final = job.attemptsMade >= (job.opts.attempts ?? 1);
        this.logger[final ? 'error' : 'warn'](
          `${job.name} ${job.id} failed (attempt ${job.attemptsMade}/${job.opts.attempts ?? 1})${final ? ', kept in the failed set' : ', will retry'}: ${error.message}`,
        );
      });
      this.workers.push(worker);
      this.logger.log(`processing ${names.join(', ')} from queue ${queue} (prefix ${this.config.queue.prefix}, concurrency ${this.config.queue.concurrency})`);
    }
  }

  private async process(job: Job, token: string | undefined): Promise<unknown> {
    const handler = (this.handlers as Record<string, JobHandlers[JobName]>)[job.name];
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const { [WAITS_KEY]: waited, ...data } = job.data as Record<string, unknown>;
    const waits = typeof waited === 'number' ? waited : 0;
    try {
      return await (handler as (data: unknown, context: { jobId: string | undefined; attempt: number }) => Promise<unknown>)(data, { jobId: job.id, attempt: job.attemptsMade + 1 });
    } catch (error) {
      // Not ready yet: wait, without spending an attempt, for about a day at most.
      if (!(error instanceof RetryLater) || !token || waits >= MAX_RETRY_LATER_WAITS) throw error;
      const delay = retryLaterDelay(waits, this.config.queue.retryLaterMs);
      await job.updateData({ ...data, [WAITS_KEY]: waits + 1 });
      await job.moveToDelayed(Date.now() + delay, token);
      this.logger.debug(`${job.name} ${job.id} waits ${delay} ms: ${error.message}`);
      throw new DelayedError();
    }
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all(this.workers.map((worker) => closeWithin(worker, CLOSE_WAIT_MS)));
  }
}
