// Moves outbox rows to BullMQ. Several relays may run (one per worker
// process): each claims rows with FOR UPDATE SKIP LOCKED, adds them to their
// queues with a job id derived from the row, and deletes them in the same
// transaction. If Redis is down the add fails, the transaction rolls back and
// the rows wait for the next round; a crash after the add but before the
// commit re-adds the same job id, which BullMQ ignores.
import { Queue } from 'bullmq';
import { DEFAULT_JOB_OPTIONS, JobName, QUEUE_OF, QUEUE_PREFIX, QueueName } from './job-contracts.js';
import { closeWithin, withTimeout } from './with-timeout.js';

export interface RelayClient {
  query: (text: string, params?: unknown[]) => Promise<{ rows: Array<Record<string, unknown>> }>;
  release: () => void;
}

export interface OutboxRelayOptions {
  /** A dedicated connection per round, for the claim transaction. */
  connect: () => Promise<RelayClient>;
  redisUrl: string;
  /** Queue key prefix; tests use their own to stay apart. */
  prefix?: string;
  batchSize?: number;
  idleMs?: number;
  /** How long a relay round waits for Redis before giving up and rolling back (default 5 s). */
  redisTimeoutMs?: number;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

const KNOWN_JOBS = Object.keys(QUEUE_OF);
/** How often an idle relay says that rows it cannot relay are waiting. */
const UNKNOWN_JOBS_REPORT_MS = 60_000;

export class OutboxRelay {
  private readonly queues: Map<QueueName, Queue>;
  private running = false;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private failing = false;
  private unknownReportedAt = 0;

  constructor(private readonly options: OutboxRelayOptions) {
    this.queues = new Map(
      Object.values(QueueName).map((name) => [
        name,
        new Queue(name, {
          connection: { url: options.redisUrl, maxRetriesPerRequest: 1, enableOfflineQueue: false, retryStrategy: reconnectDelay },
          prefix: options.prefix ?? QUEUE_PREFIX,
        }),
      ]),
    );
    for (const queue of this.queues.values()) queue.on('error', () => undefined); // reported by relayOnce
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake?.();
    await this.loop;
    await Promise.all([...this.queues.values()].map((queue) => closeWithin(queue, 2000)));
  }

  /** Relays one batch; returns how many rows were moved. */
  async relayOnce(): Promise<number> {
    const client = await this.options.connect();
    try {
      await client.query('BEGIN');
      // Only jobs this release knows: rows naming others (written by a newer
      // release during a rolling upgrade?) stay for an operator, and must not
      // fill every batch ahead of the rest.
      const { rows } = await client.query(
        'SELECT id, job_name, payload, job_id FROM outbox WHERE job_name = ANY($2::text[]) ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED',
        [this.options.batchSize ?? 200, KNOWN_JOBS],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        await this.reportUnknownJobs(client);
        return 0;
      }
      const byQueue = new Map<QueueName, Array<{ name: string; data: unknown; opts: { jobId: string } & typeof DEFAULT_JOB_OPTIONS }>>();
      const relayed: unknown[] = [];
      for (const row of rows) {
        const name = row.job_name as JobName;
        const queue = QUEUE_OF[name];
        relayed.push(row.id);
        const jobs = byQueue.get(queue) ?? [];
        jobs.push({ name, data: row.payload, opts: { ...DEFAULT_JOB_OPTIONS, jobId: String(row.job_id ?? `outbox-${row.id}`) } });
        byQueue.set(queue, jobs);
      }
      // An add that completes after the timeout is harmless: the rows stay and
      // are re-added under the same job ids, which BullMQ ignores.
      for (const [queue, jobs] of byQueue) await withTimeout(this.queues.get(queue)!.addBulk(jobs), this.options.redisTimeoutMs ?? 5000);
      await client.query('DELETE FROM outbox WHERE id = ANY($1::bigint[])', [relayed]);
      await client.query('COMMIT');
      return relayed.length;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  /** When idle, at most once a minute: rows naming jobs this release does not know. */
  private async reportUnknownJobs(client: RelayClient): Promise<void> {
    if (Date.now() - this.unknownReportedAt < UNKNOWN_JOBS_REPORT_MS) return;
    this.unknownReportedAt = Date.now();
    const { rows } = await client.query('SELECT count(*)::int AS n, min(job_name) AS example FROM outbox WHERE job_name <> ALL($1::text[])', [KNOWN_JOBS]);
    if (rows[0]?.n) this.options.log?.('error', `${rows[0].n} outbox rows name jobs this release does not know (such as ${rows[0].example}); left in the outbox`);
  }

  private async run(): Promise<void> {
    while (this.running) {
      let moved = 0;
      try {
        moved = await this.relayOnce();
        if (this.failing) this.options.log?.('log', 'outbox relay recovered');
        this.failing = false;
      } catch (error) {
        if (!this.failing) this.options.log?.('warn', `outbox relay waiting: ${(error as Error).message}`);
        this.failing = true;
      }
      if (moved === 0) await this.sleep(this.failing ? 1000 : (this.options.idleMs ?? 200));
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}

/**
 * Reconnect to Redis every 2 s at most. BullMQ's default backs off
 * exponentially up to 20 s, so after an outage of half a minute the outbox
 * went on waiting for up to 20 s after Redis was back (found by the Redis
 * outage fault test).
 */
function reconnectDelay(attempt: number): number {
  return Math.min(250 * attempt, 2000);
}
