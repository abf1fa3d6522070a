// Tree nodes in storage. A batch writes, per level, one run of consecutive
// node hashes; a read of any set of nodes is one query that finds each node's
// run and slices its 32 bytes out on the server.
import type { NodeId, NodeReader, StoredNode } from '#ledger';
import { nodeKey } from '#ledger';
import { toIndex, type Sql } from './sql.js';

const HASH = 32;

export function nodeReader(sql: Sql): NodeReader {
  return async (ids: NodeId[]) => {
    const rows = await sql<{ level: number; idx: string; hash: Buffer }>(
      `SELECT want.level, want.idx, substring(run.hashes FROM ((want.idx - run.start_idx) * ${HASH} + 1)::int FOR ${HASH}) AS hash
         FROM unnest($1::smallint[], $2::bigint[]) AS want(level, idx)
         CROSS JOIN LATERAL (
           SELECT r.start_idx, r.hashes FROM ledger_node_runs r
            WHERE r.level = want.level AND r.start_idx <= want.idx
            ORDER BY r.start_idx DESC LIMIT 1) AS run`,
      [ids.map((id) => id.level), ids.map((id) => id.index)],
    );
    const found = new Map<string, Uint8Array>();
    for (const row of rows) {
      if (row.hash.length === HASH) found.set(nodeKey({ level: Number(row.level), index: toIndex(row.idx) }), row.hash);
    }
    const missing = ids.find((id) => !found.has(nodeKey(id)));
    if (missing) throw new Error(`ledger node ${missing.level}/${missing.index} is missing from storage`);
    return found;
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
