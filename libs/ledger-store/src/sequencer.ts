// The sequencer integrates queued entries into the Merkle tree in batches: one
// transaction appends many entries, their tree nodes and one signed checkpoint.
// Exactly one process sequences at a time: it holds a session-level advisory
// lock on its own connection, and does all writes on that same connection, so
// if it dies its lock and any half-done batch vanish together and another
// process takes over.
import pg from 'pg';
import type { NoteSigner, PendingEntry } from '#ledger';
import { LedgerAppender } from './ledger-appender.js';
import { SEQUENCER_LOCK_ID } from './ledger-channels.js';
import { sqlOf, type Sql } from './sql.js';

export interface SequencerOptions {
  databaseUrl: string;
  signer: NoteSigner;
  origin: string;
  batchSize: number;
  /** How often a standby process tries to take the lock. */
  takeoverIntervalMs?: number;
  /** How often an idle sequencer looks at the queue (default 10 ms). */
  idlePollMs?: number;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

export class LedgerSequencer {
  private client: pg.Client | undefined;
  private appender: LedgerAppender | undefined;
  private running = false;
  private active = false;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly options: SequencerOptions) {}

  /** True while this process holds the sequencer lock. */
  get isActive(): boolean {
    return this.active;
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
  }

  private log(level: 'log' | 'warn' | 'error', message: string): void {
    this.options.log?.(level, message);
  }

  private async run(): Promise<void> {
    while (this.running) {
      try {
        if (await this.acquire()) await this.sequence();
        else await this.sleep(this.options.takeoverIntervalMs ?? 1000);
      } catch (error) {
        this.log('error', `sequencer stopped: ${(error as Error).message}; will retry`);
        await this.sleep(1000);
      } finally {
        this.active = false;
        await this.closeClient();
      }
    }
  }

  private async acquire(): Promise<boolean> {
    const client = new pg.Client({ connectionString: this.options.databaseUrl, application_name: 'ledger-sequencer' });
    client.on('error', () => undefined); // surfaced by the next query instead
    await client.connect();
    const [{ locked }] = (await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [SEQUENCER_LOCK_ID])).rows;
    if (!locked) {
      await client.end().catch(() => undefined);
      return false;
    }
    this.client = client;
    this.appender = await LedgerAppender.load(sqlOf(client), this.options.signer, this.options.origin);
    this.active = true;
    this.log('log', `sequencer active at tree size ${this.appender.size}`);
    return true;
  }

  private async sequence(): Promise<void> {
    const sql = sqlOf(this.client!);
    while (this.running) {
      const integrated = await this.integrateBatch(sql);
      if (integrated === 0) await this.sleep(this.options.idlePollMs ?? 10);
    }
  }

  /** Integrates up to batchSize queued entries in one statement; returns how many. */
  private async integrateBatch(sql: Sql): Promise<number> {
    const queued = await sql<{ id: string; body: PendingEntry }>('SELECT id, body FROM ledger_queue ORDER BY id LIMIT $1', [this.options.batchSize]);
    if (queued.length === 0) return 0;
    // On failure the appender has not advanced; the error ends this term as
    // sequencer and the next holder reloads the tree from storage.
    await this.appender!.append(sql, queued.map((row) => ({ entryId: String(row.id), body: row.body })));
    return queued.length;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async closeClient(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.appender = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
