// Recomputes the whole tree from the stored entry bytes and compares it with
// every stored leaf hash, tree node and signed checkpoint. Any edit of a
// ledger row (even one made around the append-only triggers) shows up here
// with the first ledger index it affects.
import { CheckpointError, MerkleFrontier, decodeEntry, leafHash, nodeKey, openCheckpoint, type NodeId } from '#ledger';
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

export async function checkLedger(sql: Sql, verifierKey: string, chunkSize = 10_000): Promise<LedgerCheckResult> {
  const checkpoints = await sql<CheckpointRow>('SELECT tree_size, root_hash, note FROM ledger_checkpoints ORDER BY tree_size');
  const [{ count }] = await sql<{ count: string }>('SELECT count(*) AS count FROM ledger_entries');
  const total = toIndex(count);
  const frontier = new MerkleFrontier();
  let nextCheckpoint = 0;

  try {
    for (let start = 0; start < total; start += chunkSize) {
      const rows = await sql<{ idx: string; data: Buffer }>('SELECT idx, data FROM ledger_entries WHERE idx >= $1 ORDER BY idx LIMIT $2', [start, chunkSize]);
      // Every problem in the chunk is collected, then the one touching the
      // lowest index is reported: a rewritten entry shows in its stored leaf
      // hash, a rewritten leaf hash in the nodes above it, and both before
      // the checkpoint roots that cover them.
      const problems: Tampered[] = [];
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
        }
        try {
          decodeEntry(checked[i].data);
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
      const nodeProblem = await storedNodeProblem(sql, produced);
      if (nodeProblem) problems.push(nodeProblem);
      if (problems.length) throw problems.reduce((first, p) => (p.index < first.index ? p : first));
    }
    if (nextCheckpoint < checkpoints.length) {
      const size = toIndex(checkpoints[nextCheckpoint].tree_size);
      throw new Tampered(total, `checkpoint at size ${size} covers entries that are not stored (only ${total})`);
    }
    const signedSize = checkpoints.length ? toIndex(checkpoints[checkpoints.length - 1].tree_size) : 0;
    if (signedSize !== total) throw new Tampered(signedSize, `entries from ${signedSize} to ${total - 1} are not covered by any checkpoint`);
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

/** Reads nodes that may be missing (a tampered store), without failing on the first. */
async function storedNodes(sql: Sql, ids: NodeId[]): Promise<Map<string, Uint8Array | undefined>> {
  const rows = await sql<{ level: number; idx: string; hash: Buffer | null }>(
    `SELECT want.level, want.idx, substring(run.hashes FROM ((want.idx - run.start_idx) * 32 + 1)::int FOR 32) AS hash
       FROM unnest($1::smallint[], $2::bigint[]) AS want(level, idx)
       LEFT JOIN LATERAL (
         SELECT r.start_idx, r.hashes FROM ledger_node_runs r
          WHERE r.level = want.level AND r.start_idx <= want.idx
          ORDER BY r.start_idx DESC LIMIT 1) AS run ON true`,
    [ids.map((id) => id.level), ids.map((id) => id.index)],
  );
  return new Map(rows.map((row) => [nodeKey({ level: Number(row.level), index: toIndex(row.idx) }), row.hash?.length === 32 ? row.hash : undefined]));
}

async function storedNodeProblem(sql: Sql, expected: Array<{ id: NodeId; hash: Uint8Array }>): Promise<Tampered | undefined> {
  if (expected.length === 0) return undefined;
  const stored = await storedNodes(sql, expected.map((node) => node.id));
  let first: Tampered | undefined;
  for (const node of expected) {
    const hash = stored.get(nodeKey(node.id));
    const firstLeaf = node.id.index * 2 ** node.id.level;
    if (first && first.index <= firstLeaf) continue;
    const lastLeaf = firstLeaf + 2 ** node.id.level - 1;
    if (!hash) first = new Tampered(firstLeaf, `tree node ${node.id.level}/${node.id.index} is missing`);
    else if (!Buffer.from(hash).equals(Buffer.from(node.hash))) {
      first = new Tampered(firstLeaf, `tree node ${node.id.level}/${node.id.index} over leaves ${firstLeaf}-${lastLeaf} does not match the leaves below it`);
    }
  }
  return first;
}
