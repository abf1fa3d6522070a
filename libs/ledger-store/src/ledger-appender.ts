// Appends a batch of entries to the tree inside the caller's transaction: the
// entry rows, every perfect-subtree node the batch completes, and one signed
// checkpoint. The sequencer feeds it from the queue; bulk loads (benchmarks,
// imports) call it directly. Only one appender may write at a time: callers
// hold the sequencer lock.
import type { NoteSigner, PendingEntry } from '#ledger';
import { MerkleFrontier, encodeEntry, frontierNodeIds, leafHash, nodeKey, openCheckpoint, signCheckpoint, verifierKey } from '#ledger';
import { INTEGRATED_CHANNEL } from './ledger-channels.js';
import { nodeReader, nodeRuns } from './node-store.js';
import { toIndex, type Sql } from './sql.js';

export interface AppendItem {
  /** The entry's id (ledger_queue id), by which business rows find it. */
  entryId: string;
  body: PendingEntry;
}

export class LedgerAppender {
  private constructor(
    private frontier: MerkleFrontier,
    private readonly signer: NoteSigner,
    private readonly origin: string,
  ) {}

  get size(): number {
    return this.frontier.size;
  }

  /**
   * Rebuilds the right edge of the tree from stored nodes and checks that it
   * reproduces the latest signed root: the log must never sign a checkpoint
   * that is not an extension of the one before.
   */
  static async load(sql: Sql, signer: NoteSigner, origin: string): Promise<LedgerAppender> {
    const [latest] = await sql<{ tree_size: string; note: string }>('SELECT tree_size, note FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1');
    const size = latest ? toIndex(latest.tree_size) : 0;
    const [{ next }] = await sql<{ next: string }>('SELECT COALESCE(max(idx) + 1, 0) AS next FROM ledger_entries');
    if (toIndex(next) !== size) throw new Error(`ledger has entries up to ${next} but the latest checkpoint covers ${size}; run ledger:check`);
    const ids = frontierNodeIds(size);
    const nodes = ids.length ? await nodeReader(sql)(ids) : new Map<string, Uint8Array>();
    const frontier = MerkleFrontier.fromNodes(size, ids.map((id) => nodes.get(nodeKey(id))!));
    if (latest) {
      const signed = openCheckpoint(latest.note, verifierKey(signer));
      if (!Buffer.from(signed.rootHash).equals(Buffer.from(frontier.root()))) {
        throw new Error(`stored tree does not match the checkpoint at size ${size}; refusing to sign`);
      }
    }
    return new LedgerAppender(frontier, signer, origin);
  }

  /**
   * Writes the batch in ONE statement (so it is atomic and costs one round
   * trip): the entries, the node runs, the signed checkpoint, the removal of
   * the same ids from the queue, and the notification that wakes waiters.
   * The in-memory tree advances only when the write has succeeded.
   */
  async append(sql: Sql, items: AppendItem[], now = new Date()): Promise<number> {
    return this.write(sql, this.prepare(items, this.frontier, now));
  }

  /**
   * Appends batches back to back, each its own atomic statement with its own
   * signed checkpoint, encoding and hashing the next batch while the database
   * writes the one before (bulk loads: imports, benchmarks). Writes stay in
   * order on the one connection, so if one fails none after it is sent and
   * the tree stays at the last batch written.
   */
  async appendAll(sql: Sql, batches: Iterable<AppendItem[]>, now = () => new Date()): Promise<number> {
    let tip = this.frontier;
    let writing: Promise<number> | undefined;
    for (const items of batches) {
      const prepared = this.prepare(items, tip, now());
      tip = prepared.next;
      await writing;
      writing = this.write(sql, prepared);
    }
    await writing;
    return this.frontier.size;
  }

  /** Encodes, hashes and signs a batch on top of `base` (pure CPU: nothing is written). */
  private prepare(items: AppendItem[], base: MerkleFrontier, now: Date): PreparedBatch {
    const start = base.size;
    const data = items.map((item) => encodeEntry(item.body, now));
    const next = base.clone();
    const runs = nodeRuns(next.append(data.map((bytes) => leafHash(bytes))).nodes);
    const rootHash = next.root();
    const note = signCheckpoint(this.signer, { origin: this.origin, size: next.size, rootHash });

    // Entry bytes travel as one bytea split on the server: much cheaper than
    // a bytea[] literal of a thousand escaped elements.
    const offsets: number[] = [];
    let offset = 0;
    for (const bytes of data) {
      offsets.push(offset);
      offset += bytes.length;
    }
    const params = [
      items.map((_, i) => start + i),
      items.map((item) => item.entryId),
      items.map((item) => item.body.kind),
      items.map((item) => item.body.subject.id),
      Buffer.concat(data),
      now,
      offsets,
      data.map((bytes) => bytes.length),
      runs.map((run) => run.level),
      runs.map((run) => run.start),
      runs.map((run) => run.hashes),
      next.size,
      Buffer.from(rootHash),
      note,
    ];
    return { next, params };
  }

  private async write(sql: Sql, prepared: PreparedBatch): Promise<number> {
    await sql(
      `WITH entries AS (
         INSERT INTO ledger_entries (idx, entry_id, kind, subject_id, data, integrated_at)
         SELECT e.idx, e.entry_id, e.kind, e.subject_id, substring($5::bytea FROM e.off + 1 FOR e.len), $6::timestamptz
           FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::uuid[], $7::int[], $8::int[]) AS e(idx, entry_id, kind, subject_id, off, len)
       ), runs AS (
         INSERT INTO ledger_node_runs (level, start_idx, hashes) SELECT * FROM unnest($9::smallint[], $10::bigint[], $11::bytea[])
       ), checkpoint AS (
         INSERT INTO ledger_checkpoints (tree_size, root_hash, note) VALUES ($12, $13, $14)
       ), dequeued AS (
         DELETE FROM ledger_queue WHERE id = ANY($2::bigint[])
       )
       SELECT pg_notify('${INTEGRATED_CHANNEL}', $12::text)`,
      prepared.params,
    );
    this.frontier = prepared.next;
    return prepared.next.size;
  }
}

interface PreparedBatch {
  /** The tree once this batch is written. */
  next: MerkleFrontier;
  params: unknown[];
}
