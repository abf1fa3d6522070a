// The sequencer integrates queued entries into the Merkle tree in batches: one
// transaction appends many entries, their tree nodes and one signed checkpoint.
// Exactly one process sequences at a time: it holds a session-level advisory
// lock on its own connection, and does all writes on that same connection, so
// if it dies its lock and any half-done batch vanish together and another
// process takes over.
import pg from 'pg';
import type { NoteSigner, PendingEntry } from '#ledger';
import { MerkleFrontier, encodeEntry, frontierNodeIds, leafHash, nodeKey, openCheckpoint, signCheckpoint, verifierKey } from '#ledger';
import { INTEGRATED_CHANNEL, QUEUED_CHANNEL, SEQUENCER_LOCK_ID } from './ledger-channels.js';
import { nodeReader } from './node-store.js';
import { sqlOf, toIndex, type Sql } from './sql.js';

export interface SequencerOptions {
  databaseUrl: string;
  signer: NoteSigner;
  origin: string;
  batchSize: number;
  /** How often a standby process tries to take the lock. */
  takeoverIntervalMs?: number;
  /** Fallback poll when no notification arrives. */
  idlePollMs?: number;
  log?: (level: 'log' | 'warn' | 'error', message: string) => void;
}

export class LedgerSequencer {
  private client: pg.Client | undefined;
  private frontier: MerkleFrontier | undefined;
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
    client.on('notification', () => this.wake?.());
    await client.query(`LISTEN ${QUEUED_CHANNEL}`);
    this.frontier = await this.loadFrontier(sqlOf(client));
    this.active = true;
    this.log('log', `sequencer active at tree size ${this.frontier.size}`);
    return true;
  }

  /**
   * Rebuilds the in-memory right edge of the tree from stored nodes and checks
   * it reproduces the latest signed root: the log must never sign a
   * checkpoint that is not an extension of the one before.
   */
  private async loadFrontier(sql: Sql): Promise<MerkleFrontier> {
    const [latest] = await sql<{ tree_size: string; note: string }>(
      'SELECT tree_size, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    const size = latest ? toIndex(latest.tree_size) : 0;
    const [{ count }] = await sql<{ count: string }>('SELECT count(*) AS count FROM ledger_entries');
    if (toIndex(count) !== size) {
      throw new Error(`ledger has ${count} entries but the latest checkpoint covers ${size}; run ledger:check`);
    }
    const ids = frontierNodeIds(size);
    const nodes = ids.length ? await nodeReader(sql)(ids) : new Map<string, Uint8Array>();
    const frontier = MerkleFrontier.fromNodes(size, ids.map((id) => nodes.get(nodeKey(id))!));
    if (latest) {
      const signed = openCheckpoint(latest.note, verifierKey(this.options.signer));
      if (!Buffer.from(signed.rootHash).equals(Buffer.from(frontier.root()))) {
        throw new Error(`stored tree does not match the checkpoint at size ${size}; refusing to sign`);
      }
    }
    return frontier;
  }

  private async sequence(): Promise<void> {
    const sql = sqlOf(this.client!);
    while (this.running) {
      const integrated = await this.integrateBatch(sql);
      if (integrated === 0) await this.sleep(this.options.idlePollMs ?? 250);
    }
  }

  /** Integrates up to batchSize queued entries in one transaction; returns how many. */
  async integrateBatch(sql: Sql): Promise<number> {
    const queued = await sql<{ id: string; body: PendingEntry }>(
      'SELECT id, body FROM ledger_queue ORDER BY id LIMIT $1',
      [this.options.batchSize],
    );
    if (queued.length === 0) return 0;
    const frontier = this.frontier!;
    const start = frontier.size;
    const now = new Date();
    const data = queued.map((row) => encodeEntry(row.body, now));
    const leaves = data.map((bytes) => leafHash(bytes));
    const next = frontier.clone();
    const { nodes } = next.append(leaves);
    const inner = nodes.filter((node) => node.id.level > 0);
    const rootHash = next.root();
    const note = signCheckpoint(this.options.signer, { origin: this.options.origin, size: next.size, rootHash });

    await sql('BEGIN');
    try {
      await sql(
        `INSERT INTO ledger_entries (idx, entry_id, kind, subject_id, data, leaf_hash, integrated_at)
         SELECT e.*, $7::timestamptz FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::uuid[], $5::bytea[], $6::bytea[])
           AS e(idx, entry_id, kind, subject_id, data, leaf_hash)`,
        [
          queued.map((_, i) => start + i),
          queued.map((row) => row.id),
          queued.map((row) => row.body.kind),
          queued.map((row) => row.body.subject.id),
          data.map((bytes) => Buffer.from(bytes)),
          leaves.map((hash) => Buffer.from(hash)),
          now,
        ],
      );
      if (inner.length) {
        await sql(
          `INSERT INTO ledger_nodes (level, idx, hash) SELECT * FROM unnest($1::smallint[], $2::bigint[], $3::bytea[])`,
          [inner.map((n) => n.id.level), inner.map((n) => n.id.index), inner.map((n) => Buffer.from(n.hash))],
        );
      }
      await sql('INSERT INTO ledger_checkpoints (tree_size, root_hash, note) VALUES ($1, $2, $3)', [next.size, Buffer.from(rootHash), note]);
      await sql('DELETE FROM ledger_queue WHERE id = ANY($1::bigint[])', [queued.map((row) => row.id)]);
      await sql('SELECT pg_notify($1, $2)', [INTEGRATED_CHANNEL, String(next.size)]);
      await sql('COMMIT');
    } catch (error) {
      await sql('ROLLBACK').catch(() => undefined);
      // The in-memory frontier was not advanced; a failed commit leaves nothing behind.
      throw error;
    }
    this.frontier = next;
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
    this.frontier = undefined;
    if (client) await client.end().catch(() => undefined);
  }
}
