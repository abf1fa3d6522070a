// Loads everything that proves a registration: its ledger entries with
// inclusion proofs against one checkpoint, the metadata each entry commits to,
// the time-stamp, and the names of the parties. Shared by certificates and
// the public verification API.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { CertificateEntry } from '#certificate';
import { LedgerReader, type StoredCheckpoint } from '#ledger-store';
import { WorkAmendmentEntity, WorkTimestampEntity, WorkWithdrawalEntity, type WorkEntity } from '#persistence';
import { registrationMetadata } from '../works/work-view.js';

export interface WorkEvidence {
  /** The latest checkpoint; every entry proof is against it. */
  checkpoint: StoredCheckpoint | undefined;
  /** Integrated entries about the work, in ledger order, with the metadata they commit to where known. */
  entries: CertificateEntry[];
  /** Entries about the work still waiting to be integrated. */
  pending: number;
  timeStamp: WorkTimestampEntity | null;
  amendments: WorkAmendmentEntity[];
  withdrawal: WorkWithdrawalEntity | null;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

@Injectable()
export class WorkEvidenceRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly reader: LedgerReader,
  ) {}

  /** `at`: prove against this checkpoint (default: the latest). */
  async load(work: WorkEntity, at?: StoredCheckpoint): Promise<WorkEvidence> {
    // The checkpoint first: entries integrated after it are reported as pending.
    const checkpoint = at ?? (await this.reader.latestCheckpoint());
    const [stored, [{ queued }], timeStamp, amendments, withdrawal, disputes] = await Promise.all([
      this.reader.entriesAbout(work.id),
      this.dataSource.query('SELECT count(*)::int AS queued FROM ledger_queue WHERE subject_id = $1', [work.id]) as Promise<Array<{ queued: number }>>,
      this.dataSource.getRepository(WorkTimestampEntity).findOneBy({ workId: work.id }),
      this.dataSource.getRepository(WorkAmendmentEntity).find({ where: { workId: work.id }, order: { seq: 'ASC' } }),
      this.dataSource.getRepository(WorkWithdrawalEntity).findOneBy({ workId: work.id }),
      // Authorship disputes and their resolutions (issue 5): their entries commit to these objects.
      this.dataSource.query('SELECT entry_id, metadata, resolution_entry_id, resolution_metadata FROM work_disputes WHERE work_id = $1', [work.id]) as Promise<
        Array<{ entry_id: string; metadata: Record<string, unknown>; resolution_entry_id: string | null; resolution_metadata: Record<string, unknown> | null }>
      >,
    ]);
    const metadataByEntry = new Map<string, Record<string, unknown>>([
      // The works row shows corrected values; the registration's own metadata is what the first amendment saw.
      [String(work.entryId), amendments[0]?.previousMetadata ?? registrationMetadata(work)],
      ...amendments.map((a) => [String(a.entryId), a.metadata] as const),
      ...(withdrawal ? [[String(withdrawal.entryId), withdrawal.metadata] as const] : []),
      ...disputes.flatMap((d) => [
        [String(d.entry_id), d.metadata] as const,
        ...(d.resolution_entry_id && d.resolution_metadata ? [[String(d.resolution_entry_id), d.resolution_metadata] as const] : []),
      ]),
    ]);
    const size = checkpoint?.treeSize ?? 0;
    const proved = stored.filter((e) => e.index < size);
    const entries = await Promise.all(
      proved.map(async (e): Promise<CertificateEntry> => {
        const hashes = await this.reader.inclusionProof(e.index, size);
        const metadata = metadataByEntry.get(e.entryId);
        return {
          kind: e.kind,
          ledgerIndex: e.index,
          entry: b64(e.data),
          leafHash: b64(e.leafHash),
          inclusionProof: { index: e.index, treeSize: size, hashes: hashes.map(b64) },
          ...(metadata ? { metadata } : {}),
        };
      }),
    );
    return { checkpoint, entries, pending: queued + stored.length - proved.length, timeStamp, amendments, withdrawal };
  }

  timeStamp(workId: string): Promise<WorkTimestampEntity | null> {
    return this.dataSource.getRepository(WorkTimestampEntity).findOneBy({ workId });
  }

  async partyNames(ids: string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows: Array<{ id: string; name: string }> = await this.dataSource.query('SELECT id, name FROM parties WHERE id = ANY($1::uuid[])', [[...new Set(ids)]]);
    return new Map(rows.map((r) => [r.id, r.name]));
  }

  async owners(workId: string): Promise<Array<{ partyId: string; shareBp: number }>> {
    const rows: Array<{ party_id: string; share_bp: number }> = await this.dataSource.query(
      'SELECT party_id, share_bp FROM work_owners WHERE work_id = $1 ORDER BY share_bp DESC, party_id',
      [workId],
    );
    return rows.map((r) => ({ partyId: r.party_id, shareBp: r.share_bp }));
  }
}
