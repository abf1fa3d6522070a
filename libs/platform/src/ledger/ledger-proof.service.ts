// Builds the self-checking proof bundle for one ledger entry: the entry bytes,
// its leaf hash, the latest signed checkpoint and the inclusion proof against
// it. Anyone holding the verifier key can check the bundle offline.
// Bundles asked for at the same time (the registrations of one integrated
// batch) share two round trips.
import { Injectable } from '@nestjs/common';
import { LedgerInconsistentError, LedgerReader } from '#ledger-store';
import { StatementBatcher } from '#persistence';

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
  private readonly bundles = new StatementBatcher<string, EntryProof | undefined>((entryIds) => this.forEntries(entryIds), {
    maxBatch: 256,
    // One altered entry must not cost the others their proofs.
    isolate: (error) => error instanceof LedgerInconsistentError,
  });

  constructor(private readonly reader: LedgerReader) {}

  /** Undefined while the entry still waits in the queue. */
  forEntry(entryId: string): Promise<EntryProof | undefined> {
    return this.bundles.submit(entryId);
  }

  private async forEntries(entryIds: string[]): Promise<Array<EntryProof | undefined>> {
    const found = await this.reader.entriesWithLatestCheckpoint(entryIds);
    const integrated = found.filter((f) => f !== undefined);
    // Checked against the checkpoint's signed root with the entry's own leaf hash (issue 6).
    const proofs = await this.reader.inclusionProofsAt(integrated.map(({ entry, checkpoint }) => ({ index: entry.index, checkpoint, leaf: entry.leafHash })));
    const byEntry = new Map(
      integrated.map(({ entry, checkpoint }, i): [string, EntryProof] => [
        entry.entryId,
        {
          ledgerIndex: entry.index,
          entry: b64(entry.data),
          leafHash: b64(entry.leafHash),
          checkpoint: checkpoint.note,
          inclusionProof: { index: entry.index, treeSize: checkpoint.treeSize, hashes: proofs[i]!.map(b64) },
        },
      ]),
    );
    return entryIds.map((id) => byEntry.get(String(id)));
  }
}
