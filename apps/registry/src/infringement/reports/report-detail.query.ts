// One report as officers read it: the summary, the scores and evidence, the
// priority evidence (the original's ledger index and proof), the history and,
// once confirmed, the proof of the infringement.confirmed entry.
import { Injectable } from '@nestjs/common';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import { LedgerProofService } from '#platform';
import { toReportDetail, type ReportDetail, type ReportRow } from './report-view.js';
import { ReportsRepository } from './reports.repository.js';

const READ_ALL = new Set(['officer', 'admin']);

@Injectable()
export class ReportDetailQuery {
  constructor(
    private readonly reports: ReportsRepository,
    private readonly proofs: LedgerProofService,
  ) {}

  /** The report row, if `principal` may read it (officers and admins: all; right holders: their works'). */
  async rowFor(principal: Principal, id: string): Promise<ReportRow> {
    const row = await this.reports.find(id);
    if (!row) throw new AppError(ErrorCode.ReportNotFound, `No infringement report with id ${id}.`);
    if (READ_ALL.has(principal.role)) return row;
    if (principal.role === 'creator' && principal.partyId && (await this.reports.isRightHolder(id, principal.partyId))) return row;
    throw new AppError(ErrorCode.ReportNotFound, `No infringement report with id ${id}.`);
  }

  async execute(principal: Principal, id: string): Promise<ReportDetail> {
    return this.detail(await this.rowFor(principal, id));
  }

  async detail(row: ReportRow): Promise<ReportDetail> {
    const [history, original, suspect] = await Promise.all([
      this.reports.history(row.id),
      this.reports.ledgerIndexOfWork(row.original_work_id),
      row.suspect_work_id ? this.reports.ledgerIndexOfWork(row.suspect_work_id) : Promise.resolve(undefined),
    ]);
    const originalProof = original ? ((await this.proofs.forEntry(original.entryId)) ?? null) : null;
    let confirmation: ReportDetail['confirmation'] = null;
    if (row.confirmed_entry_id) {
      const proof = await this.proofs.forEntry(String(row.confirmed_entry_id));
      confirmation = proof ? { status: 'integrated', proof } : { status: 'pending', entryId: String(row.confirmed_entry_id) };
    }
    return toReportDetail(row, {
      history,
      confirmation,
      priority: {
        originalLedgerIndex: original?.idx ?? null,
        originalRegisteredAt: (original?.createdAt ?? new Date(0)).toISOString(),
        originalProof,
        suspectLedgerIndex: suspect?.idx ?? null,
      },
    });
  }
}
