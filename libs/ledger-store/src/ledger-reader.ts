// Read side of the ledger: checkpoints, entries and proofs, for the public API,
// certificates and the registration response. Proofs are only served for tree
// sizes up to a signed checkpoint, so every proof has a root to check against.
//
// Every proof is checked before it is served (issue 6): the stored nodes it is
// made of must fold up to the root that a checkpoint signs, through a
// consistency proof when the size asked for falls between two checkpoints.
// Otherwise (a node, an entry or a checkpoint altered in storage) the reader
// throws LedgerInconsistentError, which the API answers with 503
// LEDGER_INCONSISTENT instead of a proof that would not verify. The check
// reuses the proof's one node read (a few more node ids in the same query)
// and each checkpoint's signature is verified once per process.
import {
  consistencyProof,
  decodeEntry,
  inclusionProof,
  leafHash,
  nodeKey,
  openCheckpoint,
  parseCheckpointBody,
  parseVerifierKey,
  rootAt,
  verifyConsistency,
  verifyInclusion,
  type NodeId,
  type NodeReader,
  type NoteVerifier,
} from '#ledger';
import { LedgerInconsistentError } from './ledger-inconsistent.error.js';
import { nodeMap, nodeReader, nodesSql } from './node-store.js';
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

interface CheckpointRow {
  tree_size: string;
  root_hash: Buffer;
  note: string;
}

const ZERO_HASH = new Uint8Array(32);
const VERIFIED_NOTES_KEPT = 1024;

/** The node ids a set of proof computations reads (run once with placeholder hashes). */
async function nodeIdsOf(...computations: Array<(read: NodeReader) => Promise<unknown>>): Promise<NodeId[]> {
  const wanted = new Map<string, NodeId>();
  const record: NodeReader = async (ids) => {
    for (const id of ids) wanted.set(nodeKey(id), id);
    return new Map(ids.map((id) => [nodeKey(id), ZERO_HASH]));
  };
  for (const compute of computations) await compute(record);
  return [...wanted.values()];
}

/**
 * Runs proof computations against ONE read of every node they need: the ids
 * are recorded first, one query fetches them all, then the real hashes are
 * computed. Folding is microseconds; the round trip is what a proof costs.
 */
async function withOneNodeRead<T extends unknown[]>(sql: Sql, ...computations: { [K in keyof T]: (read: NodeReader) => Promise<T[K]> }): Promise<T> {
  const ids = await nodeIdsOf(...computations);
  const nodes = ids.length ? await nodeReader(sql)(ids) : new Map<string, Uint8Array>();
  const stored: NodeReader = async () => nodes;
  return (await Promise.all(computations.map((compute) => compute(stored)))) as T;
}

/** A NodeReader answering from nodes already fetched. */
const fromNodes =
  (nodes: Map<string, Uint8Array>): NodeReader =>
  async () =>
    nodes;

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
  private readonly verifier: NoteVerifier | undefined;
  /** Checkpoint notes whose signature checked out, with the root they sign. Rows never change, so neither does the answer. */
  private readonly verifiedNotes = new Map<string, Uint8Array>();

  /**
   * With `verifierKey` (the apps), checkpoint signatures are verified before a
   * proof is served against them; without it (benchmarks, tools) the note's
   * root is still compared with the stored root hash.
   */
  constructor(
    private readonly sql: Sql,
    options: { verifierKey?: string } = {},
  ) {
    this.verifier = options.verifierKey ? parseVerifierKey(options.verifierKey) : undefined;
  }

  /** The root a checkpoint row signs; throws LedgerInconsistentError if the row does not hold up. */
  private signedRoot(row: CheckpointRow): Uint8Array {
    const known = this.verifiedNotes.get(row.note);
    const treeSize = toIndex(row.tree_size);
    if (known && Buffer.from(known).equals(row.root_hash)) return known;
    let signed;
    try {
      signed = this.verifier ? openCheckpoint(row.note, this.verifier) : parseCheckpointBody(row.note.slice(0, row.note.indexOf('\n\n') + 1));
    } catch (error) {
      throw new LedgerInconsistentError(`the checkpoint at tree size ${treeSize} does not verify (${(error as Error).message})`);
    }
    if (signed.size !== treeSize || !Buffer.from(signed.rootHash).equals(row.root_hash)) {
      throw new LedgerInconsistentError(`the checkpoint row at tree size ${treeSize} does not match its signed note`);
    }
    if (this.verifiedNotes.size >= VERIFIED_NOTES_KEPT) this.verifiedNotes.delete(this.verifiedNotes.keys().next().value!);
    this.verifiedNotes.set(row.note, signed.rootHash);
    return signed.rootHash;
  }

  /**
   * In ONE round trip: the first checkpoint at or after `treeSize` (the signed
   * root a proof for that size is checked against), the data of entry
   * `leafIndex`, and the nodes `ids`, read on the bet that `treeSize` is
   * itself a checkpoint size (the usual case: clients ask for sizes they hold
   * checkpoints of).
   */
  private async checkpointWithNodes(treeSize: number, leafIndex: number | null, ids: NodeId[]): Promise<{ checkpoint: CheckpointRow; data: Buffer | null; nodes: Map<string, Uint8Array> }> {
    // The checkpoint row first (level NULL), then one row per node.
    const rows = await this.sql<CheckpointRow & { data: Buffer | null; level: number | null; idx: string | null; hash: Buffer | null }>(
      `SELECT c.tree_size, c.root_hash, c.note, (SELECT data FROM ledger_entries WHERE idx = $2) AS data, NULL::smallint AS level, NULL::bigint AS idx, NULL::bytea AS hash
         FROM (SELECT tree_size, root_hash, note FROM ledger_checkpoints WHERE tree_size >= $1 ORDER BY tree_size LIMIT 1) c
       UNION ALL
       SELECT NULL, NULL, NULL, NULL, x.level, x.idx, x.hash FROM (${nodesSql('$3', '$4')}) x`,
      [treeSize, leafIndex, ids.map((id) => id.level), ids.map((id) => id.index)],
    );
    const row = rows.find((r) => r.level === null);
    if (!row) {
      const signed = await this.signedSize();
      throw new LedgerRangeError(`tree size ${treeSize} is beyond the latest checkpoint (${signed})`);
    }
    const nodeRows = rows.filter((r) => r.level !== null) as Array<{ level: number; idx: string; hash: Buffer | null }>;
    return { checkpoint: row, data: row.data, nodes: nodeMap(ids, nodeRows) };
  }

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

  /**
   * Entries by entry id, each with the latest checkpoint, in one round trip
   * for any number of them (proof bundles). Undefined for an entry still queued.
   */
  async entriesWithLatestCheckpoint(entryIds: string[]): Promise<Array<{ entry: StoredEntry; checkpoint: StoredCheckpoint } | undefined>> {
    const rows = await this.sql<EntryRow & { tree_size: string; root_hash: Buffer; note: string; created_at: Date }>(
      `SELECT e.idx, e.entry_id, e.kind, e.subject_id, e.data, e.integrated_at, c.tree_size, c.root_hash, c.note, c.created_at
         FROM ledger_entries e
         CROSS JOIN LATERAL (SELECT tree_size, root_hash, note, created_at FROM ledger_checkpoints ORDER BY tree_size DESC LIMIT 1) c
        WHERE e.entry_id = ANY($1::bigint[])`,
      [entryIds],
    );
    const found = new Map(
      rows.map((row) => [
        String(row.entry_id),
        { entry: toEntry(row), checkpoint: { treeSize: toIndex(row.tree_size), rootHash: row.root_hash, note: row.note, createdAt: row.created_at } },
      ]),
    );
    return entryIds.map((id) => found.get(String(id)));
  }

  /**
   * Inclusion proofs against checkpoints the caller has just read (no second
   * lookup), from ONE read of every node they need, each checked against its
   * checkpoint's signed root. `leaf` is the entry's leaf hash when the caller
   * holds the entry (then an altered entry is caught too); otherwise the
   * stored leaf hash is used.
   */
  async inclusionProofsAt(wanted: Array<{ index: number; checkpoint: StoredCheckpoint; leaf?: Uint8Array }>): Promise<Uint8Array[][]> {
    const roots = wanted.map(({ index, checkpoint }) => {
      if (index >= checkpoint.treeSize) throw new LedgerRangeError(`index ${index} is not below treeSize ${checkpoint.treeSize}`);
      return this.signedRoot({ tree_size: String(checkpoint.treeSize), root_hash: checkpoint.rootHash, note: checkpoint.note });
    });
    const storedLeaf = async (read: NodeReader, index: number) => (await read([{ level: 0, index }])).get(nodeKey({ level: 0, index }));
    const computed = await withOneNodeRead<Array<[Uint8Array[], Uint8Array | undefined]>>(
      this.sql,
      ...wanted.map(
        ({ index, checkpoint, leaf }) =>
          async (read: NodeReader): Promise<[Uint8Array[], Uint8Array | undefined]> => [await inclusionProof(index, checkpoint.treeSize, read), leaf ?? (await storedLeaf(read, index))],
      ),
    );
    return computed.map(([proof, leaf], i) => {
      const { index, checkpoint } = wanted[i]!;
      if (!leaf || !verifyInclusion(leaf, index, checkpoint.treeSize, proof, roots[i]!)) {
        throw new LedgerInconsistentError(`the stored tree does not prove entry ${index} in the signed tree of size ${checkpoint.treeSize}`);
      }
      return proof;
    });
  }

  /** Entries whose subject is `subjectId`; an entry whose bytes name another subject or kind is an altered row. */
  async entriesAbout(subjectId: string): Promise<StoredEntry[]> {
    const rows = await this.sql<EntryRow>(`SELECT ${ENTRY_COLUMNS} FROM ledger_entries WHERE subject_id = $1 ORDER BY idx`, [subjectId]);
    for (const row of rows) {
      let entry;
      try {
        entry = decodeEntry(row.data);
      } catch (error) {
        throw new LedgerInconsistentError(`entry ${row.idx} is not a valid entry (${(error as Error).message})`);
      }
      if (entry.subject.id !== row.subject_id || entry.kind !== row.kind) {
        throw new LedgerInconsistentError(`entry ${row.idx}: its stored subject or kind differs from the entry itself`);
      }
    }
    return rows.map(toEntry);
  }

  /** Tree size of the latest checkpoint: the largest size proofs can be served for. */
  private async signedSize(): Promise<number> {
    return (await this.latestCheckpoint())?.treeSize ?? 0;
  }

  /**
   * RFC 9162 inclusion proof of entry `index` in the tree of `treeSize`,
   * checked before it is returned: the stored entry's leaf hash folds with
   * the proof to the root of `treeSize`, which is the signed root of the
   * covering checkpoint or, between checkpoints, consistent with it. One
   * round trip when `treeSize` is a checkpoint size, two otherwise.
   */
  async inclusionProof(index: number, treeSize: number): Promise<Uint8Array[]> {
    if (index >= treeSize) throw new LedgerRangeError(`index ${index} is not below treeSize ${treeSize}`);
    const path = (read: NodeReader) => inclusionProof(index, treeSize, read);
    const { checkpoint, data, nodes } = await this.checkpointWithNodes(treeSize, index, await nodeIdsOf(path));
    const signedSize = toIndex(checkpoint.tree_size);
    const root = this.signedRoot(checkpoint);
    if (!data) throw new LedgerInconsistentError(`entry ${index} is missing below the signed tree size ${signedSize}`);
    const leaf = leafHash(data);
    const proof = await path(fromNodes(nodes));
    if (signedSize === treeSize) {
      if (!verifyInclusion(leaf, index, treeSize, proof, root)) throw this.inconsistent(`entry ${index}`, treeSize);
      return proof;
    }
    const [rootOfSize, extension] = await withOneNodeRead<[Uint8Array, Uint8Array[]]>(
      this.sql,
      (read) => rootAt(treeSize, read),
      (read) => consistencyProof(treeSize, signedSize, read),
    );
    if (!verifyConsistency(treeSize, signedSize, extension, rootOfSize, root) || !verifyInclusion(leaf, index, treeSize, proof, rootOfSize)) {
      throw this.inconsistent(`entry ${index}`, treeSize);
    }
    return proof;
  }

  /**
   * RFC 9162 consistency proof from `from` to `to`, checked against the
   * signed root covering `to` before it is returned. One round trip when `to`
   * is a checkpoint size, two otherwise.
   */
  async consistencyProof(from: number, to: number): Promise<Uint8Array[]> {
    if (from > to) throw new LedgerRangeError(`from ${from} is greater than to ${to}`);
    if (to === 0) return [];
    const trivial = from === 0 || from === to;
    const proofOf = (read: NodeReader) => consistencyProof(from, to, read);
    const fromRootOf = (read: NodeReader) => rootAt(from, read);
    const { checkpoint, nodes } = await this.checkpointWithNodes(to, null, trivial ? [] : await nodeIdsOf(proofOf, fromRootOf));
    if (trivial) return [];
    const signedSize = toIndex(checkpoint.tree_size);
    const root = this.signedRoot(checkpoint);
    const [proof, fromRoot] = [await proofOf(fromNodes(nodes)), await fromRootOf(fromNodes(nodes))];
    if (signedSize === to) {
      if (!verifyConsistency(from, to, proof, fromRoot, root)) throw this.inconsistent(`size ${from}`, to);
      return proof;
    }
    const [toRoot, extension] = await withOneNodeRead<[Uint8Array, Uint8Array[]]>(
      this.sql,
      (read) => rootAt(to, read),
      (read) => consistencyProof(to, signedSize, read),
    );
    if (!verifyConsistency(to, signedSize, extension, toRoot, root) || !verifyConsistency(from, to, proof, fromRoot, toRoot)) {
      throw this.inconsistent(`size ${from}`, to);
    }
    return proof;
  }

  private inconsistent(what: string, treeSize: number): LedgerInconsistentError {
    return new LedgerInconsistentError(`the stored tree nodes for ${what} in the tree of size ${treeSize} do not match the signed checkpoint`);
  }
}
