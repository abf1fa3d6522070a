// Checks a proof bundle the way an outside verifier would: only with the
// public verifier key and RFC 9162 / C2SP rules, through the ledger library.
import { createHash } from 'node:crypto';
import { leafHash, openCheckpoint, verifyInclusion } from '#ledger';

export interface ProofBundle {
  ledgerIndex: number;
  entry: string;
  leafHash: string;
  checkpoint: string;
  inclusionProof: { index: number; treeSize: number; hashes: string[] };
}

export function verifyBundle(bundle: ProofBundle, vkey: string): { ok: boolean; root: Uint8Array; size: number } {
  const checkpoint = openCheckpoint(bundle.checkpoint, vkey);
  const data = Buffer.from(bundle.entry, 'base64');
  const leaf = leafHash(data);
  const matchesLeaf = Buffer.from(leaf).equals(Buffer.from(bundle.leafHash, 'base64'));
  const included = verifyInclusion(
    leaf,
    bundle.inclusionProof.index,
    checkpoint.size,
    bundle.inclusionProof.hashes.map((h) => Buffer.from(h, 'base64')),
    checkpoint.rootHash,
  );
  return { ok: matchesLeaf && included && bundle.inclusionProof.treeSize === checkpoint.size, root: checkpoint.rootHash, size: checkpoint.size };
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

export function randomHash(): string {
  return sha256Hex(Math.random().toString() + process.hrtime.bigint().toString());
}
