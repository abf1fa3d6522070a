// Tree nodes in storage. A batch writes, per level, one run of consecutive
// node hashes; a read of any set of nodes is one query that finds each node's
// run and slices its 32 bytes out on the server.
import type { NodeId, NodeReader, StoredNode } from '#ledger';
import { nodeKey } from '#ledger';
import { LedgerInconsistentError } from './ledger-inconsistent.error.js';
import { toIndex, type Sql } from './sql.js';

const HASH = 32;

/** SQL yielding (level, idx, hash) for the node ids given as two array parameters, e.g. nodesSql('$1', '$2'). */
export function nodesSql(levels: string, indexes: string): string {
  return `SELECT want.level, want.idx, substring(run.hashes FROM ((want.idx - run.start_idx) * ${HASH} + 1)::int FOR ${HASH}) AS hash
         FROM unnest(${levels}::smallint[], ${indexes}::bigint[]) AS want(level, idx)
         CROSS JOIN LATERAL (
           SELECT r.start_idx, r.hashes FROM ledger_node_runs r
            WHERE r.level = want.level AND r.start_idx <= want.idx
            ORDER BY r.start_idx DESC LIMIT 1) AS run`;
}

/** The nodes found, keyed by nodeKey; a node missing from storage is an inconsistent ledger. */
export function nodeMap(ids: NodeId[], rows: Array<{ level: number | string; idx: number | string; hash: Buffer | null }>): Map<string, Uint8Array> {
  const found = new Map<string, Uint8Array>();
  for (const row of rows) {
    if (row.hash?.length === HASH) found.set(nodeKey({ level: Number(row.level), index: toIndex(row.idx) }), row.hash);
  }
  const missing = ids.find((id) => !found.has(nodeKey(id)));
  if (missing) throw new LedgerInconsistentError(`ledger node ${missing.level}/${missing.index} is missing from storage`);
  return found;
}

export function nodeReader(sql: Sql): NodeReader {
  return async (ids: NodeId[]) => {
    const rows = await sql<{ level: number; idx: string; hash: Buffer }>(nodesSql('$1', '$2'), [ids.map((id) => id.level), ids.map((id) => id.index)]);
    return nodeMap(ids, rows);
  };
}

/** Groups freshly completed nodes into one run per level (they are consecutive). */
export function nodeRuns(nodes: StoredNode[]): Array<{ level: number; start: number; hashes: Buffer }> {
  const byLevel = new Map<number, StoredNode[]>();
  for (const node of nodes) {
    const list = byLevel.get(node.id.level) ?? [];
    list.push(node);
    byLevel.set(node.id.level, list);
  }
  return [...byLevel.entries()].map(([level, list]) => {
    list.sort((a, b) => a.id.index - b.id.index);
    list.forEach((node, i) => {
      if (node.id.index !== list[0].id.index + i) throw new Error(`nodes at level ${level} are not consecutive`);
    });
    return { level, start: list[0].id.index, hashes: Buffer.concat(list.map((node) => node.hash)) };
  });
}
