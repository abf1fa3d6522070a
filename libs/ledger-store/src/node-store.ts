// Reads stored tree nodes for proofs: leaves (level 0) come from
// ledger_entries, inner perfect subtrees from ledger_nodes, in one query.
import type { NodeId, NodeReader } from '#ledger';
import { nodeKey } from '#ledger';
import type { Sql } from './sql.js';

export function nodeReader(sql: Sql): NodeReader {
  return async (ids: NodeId[]) => {
    const leaves = ids.filter((id) => id.level === 0).map((id) => id.index);
    const inner = ids.filter((id) => id.level > 0);
    const rows = await sql<{ level: number; idx: string; hash: Buffer }>(
      `SELECT 0 AS level, idx, leaf_hash AS hash FROM ledger_entries WHERE idx = ANY($1::bigint[])
       UNION ALL
       SELECT n.level, n.idx, n.hash FROM ledger_nodes n
         JOIN unnest($2::smallint[], $3::bigint[]) AS want(level, idx) ON n.level = want.level AND n.idx = want.idx`,
      [leaves, inner.map((id) => id.level), inner.map((id) => id.index)],
    );
    const found = new Map<string, Uint8Array>();
    for (const row of rows) found.set(nodeKey({ level: Number(row.level), index: Number(row.idx) }), row.hash);
    const missing = ids.find((id) => !found.has(nodeKey(id)));
    if (missing) throw new Error(`ledger node ${missing.level}/${missing.index} is missing from storage`);
    return found;
  };
}
