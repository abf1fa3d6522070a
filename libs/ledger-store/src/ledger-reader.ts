// Read side of the ledger: checkpoints, entries and proofs, for the public API,
// certificates and the registration response. Proofs are only served for tree
// sizes that have a signed checkpoint, so every proof has a root to check against.
import { consistencyProof, inclusionProof, leafHash } from '#ledger';
import { nodeReader } from './node-store.js';
import { toIndex, type Sql } from './sql.js';

export interface StoredCheckpoint {
  treeSize: number;
  rootHash: Buffer;
  note: string;
  createdAt: Date;
}

export interface StoredEntry {
  index: number;
  entryId: string;
  kind: string;
  subjectId: string;
  data: Buffer;
  leafHash: Buffer;
  integratedAt: Date;
}

export class LedgerRangeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LedgerRangeError';
  }
}

interface EntryRow {
  idx: string;
  entry_id: string;
  kind: string;
  subject_id: string;
  data: Buffer;
  integrated_at: Date;
}

const ENTRY_COLUMNS = 'idx, entry_id, kind, subject_id, data, integrated_at';

function toEntry(row: EntryRow): StoredEntry {
  return {
    index: toIndex(row.idx),
    entryId: String(row.entry_id),
    kind: row.kind,
    subjectId: row.subject_id,
    data: row.data,
    leafHash: Buffer.from(leafHash(row.data)),
    integratedAt: row.integrated_at,
  };
}

export class LedgerReader {
  constructor(private readonly sql: Sql) {}

  async latestCheckpoint(): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.sql<{ tree_size: string; root_hash: Buffer; note: string; created_at: Date }>(
      'SELECT tree_size, root_hash, note, created_at FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1',
    );
    return row && { treeSize: toIndex(row.tree_size), rootHash: row.root_hash, note: row.note, createdAt: row.created_at };
  }

  async checkpointAt(treeSize: number): Promise<StoredCheckpoint | undefined> {
    const [row] = await this.sql<{ tree_size: string; root_hash: Buffer; note: string; created_at: Date }>(
      'SELECT tree_size, root_hash, note, created_at FROM ledger_checkpoints WHERE tree_size = $1',
      [treeSize],
    );
    return row && { treeSize: toIndex(row.tree_size), rootHash: row.root_hash, note: row.note, createdAt: row.created_at };
  }

  async entries(start: number, end: number): Promise<StoredEntry[]> {
    const rows = await this.sql<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE idx >= $1 AND idx < $2 ORDER BY idx`, [start, end]);
    return rows.map(toEntry);
  }

  async entryByEntryId(entryId: string): Promise<StoredEntry | undefined> {
    const [row] = await this.sql<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE entry_id = $1`, [entryId]);
    return row && toEntry(row);
  }

  /** An entry with the latest checkpoint, in one round trip (for proof bundles). */
  async entryWithLatestCheckpoint(entryId: string): Promise<{ entry: StoredEntry; checkpoint: StoredCheckpoint } | undefined> {
    const [row] = await this.sql<EntryRow & { tree_size: string; root_hash: Buffer; note: string; created_at: Date }>(
      `SELECT e.idx, e.entry_id, e.kind, e.subject_id, e.data, e.integrated_at, c.tree_size, c.root_hash, c.note, c.created_at
         FROM ledger_entries e
         CROSS JOIN LATERAL (SELECT tree_size, root_hash, note, created_at FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1) c
        WHERE e.entry_id = $1`,
      [entryId],
    );
    if (!row) return undefined;
    return {
      entry: toEntry(row),
      checkpoint: { treeSize: toIndex(row.tree_size), rootHash: row.root_hash, note: row.note, createdAt: row.created_at },
    };
  }

  /** Inclusion proof against a checkpoint the caller has just read (no second lookup). */
  async inclusionProofAt(index: number, checkpoint: StoredCheckpoint): Promise<Uint8Array[]> {
    if (index >= checkpoint.treeSize) throw new LedgerRangeError(`index ${index} is not below treeSize ${checkpoint.treeSize}`);
    return inclusionProof(index, checkpoint.treeSize, nodeReader(this.sql));
  }

  async entriesAbout(subjectId: string): Promise<StoredEntry[]> {
    const rows = await this.sql<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE subject_id = $1 ORDER BY idx`, [subjectId]);
    return rows.map(toEntry);
  }

  /** Tree size of the latest checkpoint: the largest size proofs can be served for. */
  private async signedSize(): Promise<number> {
    return (await this.latestCheckpoint())?.treeSize ?? 0;
  }

  async inclusionProof(index: number, treeSize: number): Promise<Uint8Array[]> {
    if (index >= treeSize) throw new LedgerRangeError(`index ${index} is not below treeSize ${treeSize}`);
    const signed = await this.signedSize();
    if (treeSize > signed) throw new LedgerRangeError(`treeSize ${treeSize} is beyond the latest checkpoint (${signed})`);
    return inclusionProof(index, treeSize, nodeReader(this.sql));
  }

  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    if (from > to) throw new LedgerRangeError(`from ${from} is greater than to ${to}`);
    const signed = await this.signedSize();
    if (to > signed) throw new LedgerRangeError(`to ${to} is beyond the latest checkpoint (${signed})`);
    return consistencyProof(from, to, nodeReader(this.sql));
  }
}
