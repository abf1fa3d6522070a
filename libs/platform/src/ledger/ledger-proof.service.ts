// Builds the self-checking proof bundle for one ledger entry: the entry bytes,
// its leaf hash, the latest signed checkpoint and the inclusion proof against
// it. Anyone holding the verifier key can check the bundle offline.
import { Injectable } from '@nestjs/common';
import { LedgerReader } from '#ledger-store';

export interface EntryProof {
  ledgerIndex: number;
  /** Base64 of the canonical entry bytes. */
  entry: string;
  leafHash: string;
  checkpoint: string;
  inclusionProof: { index: number; treeSize: number; hashes: string[] };
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

@Injectable()
export class LedgerProofService {
  constructor(private readonly reader: LedgerReader) {}

  /** Undefined while the entry still waits in the queue. */
  async forEntry(entryId: string): Promise<EntryProof | undefined> {
    const found = await this.reader.entryWithLatestCheckpoint(entryId);
    if (!found) return undefined;
    const { entry, checkpoint } = found;
    // Checked against the checkpoint's signed root with the entry's own leaf hash (issue 6).
    const hashes = await this.reader.inclusionProofAt(entry.index, checkpoint, entry.leafHash);
    return {
      ledgerIndex: entry.index,
      entry: b64(entry.data),
      leafHash: b64(entry.leafHash),
      checkpoint: checkpoint.note,
      inclusionProof: { index: entry.index, treeSize: checkpoint.treeSize, hashes: hashes.map(b64) },
    };
  }
}
