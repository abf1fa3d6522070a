// Authorship disputes: a party contests a registration (a work.disputed
// ledger entry, written in the same transaction as the dispute); while the
// dispute is open the exchange refuses to list or sell the work
// (apps/exchange work-listability); an officer resolves it once, upheld or
// rejected (a work.dispute-resolved entry).
import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { metadataHash } from '#ledger';
import { enqueueEntry, IntegrationWaiter } from '#ledger-store';
import { APP_CONFIG, LedgerProofService, type AppConfig, type EntryProof } from '#platform';
import type { OpenDisputeDto, ResolveDisputeDto } from './disputes.dto.js';
import { rightHolderSql } from '../../works/right-holder.js';

interface DisputeRow {
  id: string;
  work_id: string;
  claimant_id: string;
  grounds: string;
  metadata: Record<string, unknown>;
  entry_id: string;
  status: 'open' | 'upheld' | 'rejected';
  opened_at: Date;
  resolved_by: string | null;
  resolution_reason: string | null;
  resolution_metadata: Record<string, unknown> | null;
  resolution_entry_id: string | null;
  resolved_at: Date | null;
}

export interface DisputeView {
  id: string;
  workId: string;
  claimantId: string;
  grounds: string;
  status: DisputeRow['status'];
  openedAt: string;
  /** The object whose canonical hash the work.disputed entry carries. */
  ledgerMetadata: Record<string, unknown>;
  openingProof: EntryProof | null;
  resolution: { outcome: string; reason: string; by: string; at: string; ledgerMetadata: Record<string, unknown>; proof: EntryProof | null } | null;
}

const UNIQUE_VIOLATION = '23505';

@Injectable()
export class DisputesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly waiter: IntegrationWaiter,
    private readonly proofs: LedgerProofService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async open(principal: Principal, workId: string, dto: OpenDisputeDto): Promise<DisputeView> {
    const claimant = principal.partyId;
    if (!claimant) throw new AppError(ErrorCode.Forbidden, 'Open disputes with a key that belongs to a party.');
    const id = randomUUID();
    let entryId: string;
    try {
      entryId = await this.dataSource.transaction(async (manager) => {
        const sql = <Row>(text: string, params?: unknown[]): Promise<Row[]> => manager.query(text, params);
        const [work] = await sql<{ id: string; sha256: Buffer; status: string; registration_number: string; idx: string | null; own: boolean }>(
          `SELECT w.id, w.sha256, w.status, w.registration_number, e.idx,
                  (w.registrant_id = $2 OR EXISTS (SELECT 1 FROM work_owners o WHERE o.work_id = w.id AND o.party_id = $2)) AS own
             FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = $1 FOR SHARE OF w`,
          [workId, claimant],
        );
        if (!work) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${workId}.`);
        if (work.status !== 'registered') throw new AppError(ErrorCode.WorkWithdrawn, 'The registration was withdrawn; there is nothing to dispute.');
        if (work.own) throw new AppError(ErrorCode.OwnWorkDispute, 'You registered or own this work, so you cannot dispute it; its owners correct it with an amendment.');
        const metadata = {
          dispute: id,
          work: workId,
          registrationNumber: work.registration_number,
          grounds: dto.grounds,
          ...(dto.claimedAuthors ? { claimedAuthors: dto.claimedAuthors.map((a) => (a.role ? { name: a.name, role: a.role } : { name: a.name })) } : {}),
        };
        const entry = await enqueueEntry(sql, {
          kind: 'work.disputed',
          subject: { type: 'work', id: workId },
          workSha256: work.sha256.toString('hex'),
          metadataHash: metadataHash(metadata),
          parties: [{ role: 'claimant', id: claimant }],
          refs: { dispute: id, ...(work.idx !== null ? { registration: Number(work.idx) } : {}) },
        });
        await sql(`INSERT INTO work_disputes (id, work_id, claimant_id, grounds, metadata, entry_id) VALUES ($1, $2, $3, $4, $5, $6)`, [
          id,
          workId,
          claimant,
          dto.grounds,
          JSON.stringify(metadata),
          entry,
        ]);
        return entry;
      });
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new AppError(ErrorCode.DisputeAlreadyOpen, 'You already have an open dispute against this registration.');
      throw error;
    }
    await this.waiter.waitFor(entryId, this.config.ledger.proofWaitMs);
    return this.view(await this.row(id));
  }

  async resolve(principal: Principal, disputeId: string, dto: ResolveDisputeDto): Promise<DisputeView> {
    const officer = principal.partyId;
    if (!officer) throw new AppError(ErrorCode.Forbidden, 'Resolve disputes with an officer key that belongs to a party.');
    const entryId = await this.dataSource.transaction(async (manager) => {
      const sql = <Row>(text: string, params?: unknown[]): Promise<Row[]> => manager.query(text, params);
      const [dispute] = await sql<DisputeRow & { sha256: Buffer; opened_idx: string | null }>(
        `SELECT d.*, w.sha256, e.idx AS opened_idx FROM work_disputes d JOIN works w ON w.id = d.work_id LEFT JOIN ledger_entries e ON e.entry_id = d.entry_id
          WHERE d.id = $1 FOR UPDATE OF d`,
        [disputeId],
      );
      if (!dispute) throw new AppError(ErrorCode.DisputeNotFound, `No dispute with id ${disputeId}.`);
      if (dispute.status !== 'open') throw new AppError(ErrorCode.DisputeClosed, `The dispute was already ${dispute.status}.`);
      const metadata = { dispute: disputeId, work: dispute.work_id, outcome: dto.outcome, reason: dto.reason };
      const entry = await enqueueEntry(sql, {
        kind: 'work.dispute-resolved',
        subject: { type: 'work', id: dispute.work_id },
        workSha256: dispute.sha256.toString('hex'),
        metadataHash: metadataHash(metadata),
        parties: [{ role: 'officer', id: officer }, { role: 'claimant', id: dispute.claimant_id }],
        refs: { dispute: disputeId, ...(dispute.opened_idx !== null ? { disputed: Number(dispute.opened_idx) } : {}) },
      });
      await sql(
        `UPDATE work_disputes SET status = $2, resolved_by = $3, resolution_reason = $4, resolution_metadata = $5, resolution_entry_id = $6, resolved_at = date_trunc('milliseconds', now())
          WHERE id = $1`,
        [disputeId, dto.outcome, officer, dto.reason, JSON.stringify(metadata), entry],
      );
      return entry;
    });
    await this.waiter.waitFor(entryId, this.config.ledger.proofWaitMs);
    return this.view(await this.row(disputeId));
  }

  async get(principal: Principal, id: string): Promise<DisputeView> {
    const row = await this.row(id);
    await this.assertMayRead(principal, row);
    return this.view(row);
  }

  async search(principal: Principal, filter: { work?: string; status?: string }): Promise<DisputeView[]> {
    const officer = principal.role === 'officer' || principal.role === 'admin' || principal.role === 'exchange';
    const rows: DisputeRow[] = await this.dataSource.query(
      `SELECT d.* FROM work_disputes d JOIN works w ON w.id = d.work_id
        WHERE ($1::uuid IS NULL OR d.work_id = $1) AND ($2::text IS NULL OR d.status = $2)
          AND ($3 OR d.claimant_id = $4 OR ${rightHolderSql('w.id', 'w.registrant_id', '$4::uuid')})
        ORDER BY d.opened_at DESC, d.id LIMIT 200`,
      [filter.work ?? null, filter.status ?? null, officer, principal.partyId],
    );
    return Promise.all(rows.map((row) => this.view(row)));
  }

  private async assertMayRead(principal: Principal, row: DisputeRow): Promise<void> {
    if (['officer', 'admin', 'exchange'].includes(principal.role) || row.claimant_id === principal.partyId) return;
    const owns = await this.dataSource.query(
      `SELECT 1 FROM works w WHERE w.id = $1 AND ${rightHolderSql('w.id', 'w.registrant_id', '$2::uuid')}`,
      [row.work_id, principal.partyId],
    );
    if (!owns.length) throw new AppError(ErrorCode.DisputeNotFound, `No dispute with id ${row.id}.`);
  }

  private async row(id: string): Promise<DisputeRow> {
    const [row]: DisputeRow[] = await this.dataSource.query('SELECT * FROM work_disputes WHERE id = $1', [id]);
    if (!row) throw new AppError(ErrorCode.DisputeNotFound, `No dispute with id ${id}.`);
    return row;
  }

  private async view(row: DisputeRow): Promise<DisputeView> {
    const [openingProof, resolutionProof] = await Promise.all([
      this.proofs.forEntry(String(row.entry_id)),
      row.resolution_entry_id ? this.proofs.forEntry(String(row.resolution_entry_id)) : Promise.resolve(undefined),
    ]);
    return {
      id: row.id,
      workId: row.work_id,
      claimantId: row.claimant_id,
      grounds: row.grounds,
      status: row.status,
      openedAt: row.opened_at.toISOString(),
      ledgerMetadata: row.metadata,
      openingProof: openingProof ?? null,
      resolution:
        row.status === 'open'
          ? null
          : { outcome: row.status, reason: row.resolution_reason!, by: row.resolved_by!, at: row.resolved_at!.toISOString(), ledgerMetadata: row.resolution_metadata!, proof: resolutionProof ?? null },
    };
  }
}
