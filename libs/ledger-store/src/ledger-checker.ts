// Recomputes the whole tree from the stored entry bytes and compares it with
// every stored leaf hash, tree node and signed checkpoint. Any edit of a
// ledger row (even one made around the append-only triggers) shows up here
// with the first ledger index it affects.
import { CheckpointError, MerkleFrontier, decodeEntry, leafHash, nodeKey, openCheckpoint, type NodeId } from '#ledger';
import { nodesSql } from './node-store.js';
import { toIndex, type Sql } from './sql.js';

export interface LedgerCheckResult {
  ok: boolean;
  entries: number;
  checkpoints: number;
  /** First leaf index affected by the first problem found. */
  firstBadIndex?: number;
  problem?: string;
}

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
}

class Tampered extends Error {
  constructor(
    readonly index: number,
    message: string,
  ) {
    super(message);
  }
}

interface EntryRow {
  idx: string;
  data: Buffer;
  kind: string;
  subject_id: string;
  integrated_at: Date;
}

/**
 * Run it inside one REPEATABLE READ transaction on a live ledger: every query
 * must see the same snapshot, or batches integrated meanwhile look like
 * tampering (the ledger:check command does).
 */
export async function checkLedger(sql: Sql, verifierKey: string, chunkSize = 10_000): Promise<LedgerCheckResult> {
  const checkpoints = await sql<CheckpointRow>('SELECT tree_size, root_hash, note FROM ledger_checkpoints ORDER BY tree_size');
  const [{ count }] = await sql<{ count: string }>('SELECT count(*) AS count FROM ledger_entries');
  const total = toIndex(count);
  const frontier = new MerkleFrontier();
  let nextCheckpoint = 0;
  const signedSize = checkpoints.length ? toIndex(checkpoints[checkpoints.length - 1].tree_size) : 0;
  // Rows the per-entry walk below cannot see: node runs added, removed,
  // extended or shadowing others, and checkpoints deleted between batches.
  let structural = await structureProblem(sql, signedSize, checkpoints);

  try {
    for (let start = 0; start < total; start += chunkSize) {
      const rows = await sql<EntryRow>('SELECT idx, data, kind, subject_id, integrated_at FROM ledger_entries WHERE idx >= $1 ORDER BY idx LIMIT $2', [start, chunkSize]);
      // Every problem in the chunk is collected, then the one touching the
      // lowest index is reported: a rewritten entry shows in its stored leaf
      // hash, a rewritten leaf hash in the nodes above it, and both before
      // the checkpoint roots that cover them.
      const problems: Tampered[] = [];
      const badLeaves: number[] = [];
      if (structural && structural.index < start + chunkSize) {
        problems.push(structural);
        structural = undefined;
      }
      const contiguous = rows.findIndex((row, i) => toIndex(row.idx) !== start + i);
      const checked = contiguous === -1 ? rows : rows.slice(0, contiguous);
      if (contiguous !== -1) problems.push(new Tampered(start + contiguous, `entry ${start + contiguous} is missing (next stored index is ${rows[contiguous].idx})`));
      const storedLeaves = checked.length
        ? await storedNodes(sql, checked.map((_, i) => ({ level: 0, index: start + i })))
        : new Map<string, Uint8Array | undefined>();
      const produced: Array<{ id: NodeId; hash: Uint8Array }> = [];
      for (let i = 0; i < checked.length; i++) {
        const index = start + i;
        const stored = storedLeaves.get(nodeKey({ level: 0, index }));
        if (!stored) {
          problems.push(new Tampered(index, `leaf hash ${index} is missing from the tree`));
          break;
        }
        if (!Buffer.from(leafHash(checked[i].data)).equals(Buffer.from(stored))) {
          problems.push(new Tampered(index, `entry ${index}: data does not match its leaf hash in the tree`));
          badLeaves.push(index);
        }
        try {
          const entry = decodeEntry(checked[i].data);
          // The columns the API selects by (history, certificates) must say
          // what the hashed bytes say: they are not covered by the tree.
          const row = checked[i];
          if (entry.kind !== row.kind || entry.subject.id !== row.subject_id || Date.parse(entry.integratedAt) !== new Date(row.integrated_at).getTime()) {
            problems.push(new Tampered(index, `entry ${index}: its kind, subject_id or integrated_at column differs from the entry's hashed bytes`));
          }
        } catch (error) {
          problems.push(new Tampered(index, `entry ${index}: ${(error as Error).message}`));
        }
        // The tree is rebuilt from the stored leaf hashes, so an edit of the
        // data alone is pinned to its own index by the check above, and an
        // edit of a leaf hash shows in the nodes above it.
        produced.push(...frontier.append([stored]).nodes.filter((node) => node.id.level > 0));
        while (nextCheckpoint < checkpoints.length && toIndex(checkpoints[nextCheckpoint].tree_size) === frontier.size) {
          const problem = checkpointProblem(checkpoints[nextCheckpoint++], frontier.root(), verifierKey);
          if (problem) problems.push(problem);
        }
      }
      if (rows.length < Math.min(chunkSize, total - start)) problems.push(new Tampered(start + rows.length, `entry ${start + rows.length} is missing`));
      const nodeProblem = await storedNodeProblem(sql, produced, badLeaves);
      if (nodeProblem) problems.push(nodeProblem);
      if (problems.length) throw problems.reduce((first, p) => (p.index < first.index ? p : first));
    }
    if (nextCheckpoint < checkpoints.length) {
      const size = toIndex(checkpoints[nextCheckpoint].tree_size);
      throw new Tampered(total, `checkpoint at size ${size} covers entries that are not stored (only ${total})`);
    }
    if (signedSize !== total) throw new Tampered(signedSize, `entries from ${signedSize} to ${total - 1} are not covered by any checkpoint`);
    if (structural) throw structural;
  } catch (error) {
    if (!(error instanceof Tampered)) throw error;
    return { ok: false, entries: total, checkpoints: checkpoints.length, firstBadIndex: error.index, problem: error.message };
  }
  return { ok: true, entries: total, checkpoints: checkpoints.length };
}

function checkpointProblem(row: CheckpointRow, root: Uint8Array, verifierKey: string): Tampered | undefined {
  const treeSize = toIndex(row.tree_size);
  const lastLeaf = Math.max(0, treeSize - 1);
  let signed;
  try {
    signed = openCheckpoint(row.note, verifierKey);
  } catch (error) {
    const reason = error instanceof CheckpointError ? error.message : String(error);
    return new Tampered(lastLeaf, `checkpoint at size ${treeSize} does not verify: ${reason}`);
  }
  if (signed.size !== treeSize) return new Tampered(lastLeaf, `checkpoint row ${treeSize} holds a note for size ${signed.size}`);
  if (!Buffer.from(root).equals(Buffer.from(signed.rootHash)) || !Buffer.from(root).equals(row.root_hash)) {
    return new Tampered(lastLeaf, `root recomputed from entries differs from the signed checkpoint at size ${treeSize}`);
  }
  return undefined;
}

/**
 * The layout of ledger_node_runs and its agreement with the checkpoints. Each
 * batch writes one run per level of exactly the nodes it completed, and one
 * checkpoint. So at level L the runs must tile nodes 0 .. floor(size / 2^L) - 1
 * with no gap, overlap or excess, and the level-0 runs start exactly at the
 * checkpointed sizes (a batch's first leaf is the previous batch's size).
 * Returns the problem touching the lowest leaf index.
 */
async function structureProblem(sql: Sql, size: number, checkpoints: CheckpointRow[]): Promise<Tampered | undefined> {
  const runs = await sql<{ level: number; start_idx: string; len: number }>(
    'SELECT level, start_idx, octet_length(hashes) AS len FROM ledger_node_runs ORDER BY level, start_idx',
  );
  const problems: Tampered[] = [];
  const next = new Map<number, number>();
  const batchStarts: number[] = [];
  for (const run of runs) {
    const level = Number(run.level);
    const start = toIndex(run.start_idx);
    const count = Math.floor(Number(run.len) / 32);
    const expectedStart = next.get(level) ?? 0;
    const nodesAtLevel = Math.floor(size / 2 ** level);
    const firstLeaf = (node: number) => node * 2 ** level;
    if (level === 0) batchStarts.push(start);
    if (Number(run.len) % 32 !== 0 || count === 0) problems.push(new Tampered(firstLeaf(start), `tree node run ${level}/${start} holds a partial hash`));
    if (start < expectedStart) problems.push(new Tampered(firstLeaf(start), `tree node run ${level}/${start} overlaps the run before it`));
    else if (start > expectedStart && expectedStart < nodesAtLevel) problems.push(new Tampered(firstLeaf(expectedStart), `tree nodes ${level}/${expectedStart}-${start - 1} are missing`));
    if (start + count > nodesAtLevel) {
      const at = Math.max(start, nodesAtLevel);
      problems.push(new Tampered(firstLeaf(at), `tree node run ${level}/${start} holds nodes beyond the signed tree of size ${size}`));
    }
    next.set(level, Math.max(expectedStart, start + count));
  }
  for (let level = 0; 2 ** level <= size; level++) {
    const have = next.get(level) ?? 0;
    const want = Math.floor(size / 2 ** level);
    if (have < want) problems.push(new Tampered(have * 2 ** level, `tree nodes ${level}/${have}-${want - 1} are missing`));
  }
  const signedSizes = new Set(checkpoints.map((row) => toIndex(row.tree_size)));
  for (const batchStart of batchStarts) {
    if (batchStart > 0 && batchStart <= size && !signedSizes.has(batchStart)) {
      problems.push(new Tampered(batchStart - 1, `the checkpoint at tree size ${batchStart} (end of a batch) is missing`));
    }
  }
  return problems.reduce<Tampered | undefined>((first, p) => (!first || p.index < first.index ? p : first), undefined);
}

/** Reads nodes that may be missing (a tampered store), without failing on the first: a missing node is simply absent. */
async function storedNodes(sql: Sql, ids: NodeId[]): Promise<Map<string, Uint8Array | undefined>> {
  const rows = await sql<{ level: number; idx: string; hash: Buffer | null }>(nodesSql('$1', '$2'), [ids.map((id) => id.level), ids.map((id) => id.index)]);
  return new Map(rows.map((row) => [nodeKey({ level: Number(row.level), index: toIndex(row.idx) }), row.hash?.length === 32 ? row.hash : undefined]));
}

/**
 * The most precise node problem: an altered node makes every stored ancestor
 * disagree with the one recomputed from the leaves too, so the lowest
 * disagreeing node (the smallest subtree) is where the change is; nodes above
 * a leaf already found altered are explained by it. (Picking the node with
 * the lowest first leaf named index 0 for an edit of leaf 11.)
 */
async function storedNodeProblem(sql: Sql, expected: Array<{ id: NodeId; hash: Uint8Array }>, badLeaves: number[]): Promise<Tampered | undefined> {
  if (expected.length === 0) return undefined;
  const stored = await storedNodes(sql, expected.map((node) => node.id));
  let first: Tampered | undefined;
  let firstLevel = Infinity;
  for (const node of expected) {
    const hash = stored.get(nodeKey(node.id));
    const firstLeaf = node.id.index * 2 ** node.id.level;
    const lastLeaf = firstLeaf + 2 ** node.id.level - 1;
    if (hash && Buffer.from(hash).equals(Buffer.from(node.hash))) continue;
    if (badLeaves.some((leaf) => leaf >= firstLeaf && leaf <= lastLeaf)) continue;
    if (first && (node.id.level > firstLevel || (node.id.level === firstLevel && firstLeaf >= first.index))) continue;
    firstLevel = node.id.level;
    first = hash
      ? new Tampered(firstLeaf, `tree node ${node.id.level}/${node.id.index} over leaves ${firstLeaf}-${lastLeaf} does not match the leaves below it`)
      : new Tampered(firstLeaf, `tree node ${node.id.level}/${node.id.index} is missing`);
  }
  return first;
}
