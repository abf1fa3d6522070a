// Lets a request wait, bounded, until its entry has been integrated. One
// LISTEN connection per process; each notification (or a slow fallback poll)
// triggers one query covering every waiting request, so a thousand waiting
// registrations cost one round trip per batch, not a thousand.
import pg from 'pg';
import { INTEGRATED_CHANNEL } from './ledger-channels.js';
import { toIndex, type Sql } from './sql.js';

interface Waiter {
  resolve: (index: number | undefined) => void;
  timer: NodeJS.Timeout;
}

export class IntegrationWaiter {
  private listener: pg.Client | undefined;
  private readonly waiters = new Map<string, Waiter[]>();
  private checking = false;
  private recheck = false;
  private poll: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly sql: Sql,
    private readonly pollMs = 500,
  ) {}

  async start(): Promise<void> {
    this.closed = false;
    await this.listen();
    this.poll = setInterval(() => this.check(), this.pollMs);
    this.poll.unref();
  }

  async stop(): Promise<void> {
    this.closed = true;
    clearInterval(this.poll);
    for (const list of this.waiters.values()) for (const waiter of list) waiter.resolve(undefined);
    this.waiters.clear();
    await this.listener?.end().catch(() => undefined);
  }

  /** Resolves with the entry's ledger index, or undefined if not integrated within timeoutMs. */
  waitFor(entryId: string, timeoutMs: number): Promise<number | undefined> {
    return new Promise((resolve) => {
      const waiter: Waiter = {
        resolve: (index) => {
          clearTimeout(waiter.timer);
          resolve(index);
        },
        timer: setTimeout(() => this.remove(entryId, waiter), timeoutMs),
      };
      const list = this.waiters.get(entryId) ?? [];
      list.push(waiter);
      this.waiters.set(entryId, list);
      // The entry may already be integrated before we started waiting.
      this.check();
    });
  }

  private remove(entryId: string, waiter: Waiter): void {
    const list = this.waiters.get(entryId)?.filter((w) => w !== waiter) ?? [];
    if (list.length) this.waiters.set(entryId, list);
    else this.waiters.delete(entryId);
    waiter.resolve(undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'ledger-waiter' });
    client.on('notification', () => this.check());
    // A lost listener falls back to the poll and reconnects in the background.
    client.on('error', () => this.reconnect(client));
    client.on('end', () => this.reconnect(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${INTEGRATED_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
  }

  private reconnect(client: pg.Client): void {
    if (this.closed || this.listener !== client) return;
    this.listener = undefined;
    this.relisten();
  }

  /**
   * Retries every second until the database is back. (It used to retry only
   * once: after a database restart longer than a second every process was left
   * on the slow poll for good. Found by the PostgreSQL restart fault test.)
   */
  private relisten(): void {
    setTimeout(() => {
      if (this.closed) return;
      // Notifications sent while we were away are lost: look once on reconnecting.
      this.listen().then(
        () => this.check(),
        () => this.relisten(),
      );
    }, 1000).unref();
  }

  private check(): void {
    if (this.waiters.size === 0) return;
    if (this.checking) {
      this.recheck = true;
      return;
    }
    this.checking = true;
    void this.checkOnce().finally(() => {
      this.checking = false;
      if (this.recheck) {
        this.recheck = false;
        this.check();
      }
    });
  }

  private async checkOnce(): Promise<void> {
    const ids = [...this.waiters.keys()];
    let rows: Array<{ entry_id: string; idx: string }>;
    try {
      rows = await this.sql('SELECT entry_id, idx FROM ledger_entries WHERE entry_id = ANY($1::bigint[])', [ids]);
    } catch {
      return; // database unavailable: waiters time out into a 202, nothing is lost
    }
    for (const row of rows) {
      const list = this.waiters.get(String(row.entry_id));
      this.waiters.delete(String(row.entry_id));
      for (const waiter of list ?? []) waiter.resolve(toIndex(row.idx));
    }
  }
}
