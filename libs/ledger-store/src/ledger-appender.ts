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
    const start = this.frontier.size;
    const data = items.map((item) => encodeEntry(item.body, now));
    const next = this.frontier.clone();
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
      [
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
      ],
    );
    this.frontier = next;
    return next.size;
  }
}
