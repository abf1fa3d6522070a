// Moves a report through its workflow: open → investigating → confirmed /
// dismissed / licensed (see libs/infringement report-status). Every change
// needs a reason and is kept with who and when. Confirming re-checks the
// licence (a licence granted since detection makes the copy licensed, not
// infringing) and appends an infringement.confirmed entry to the ledger in
// the same transaction, committing to both sides, the similarity evidence and
// the decision.
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Principal } from '#auth';
import { AppError, ErrorCode } from '#errors';
import {
  canChangeStatus,
  checkLicence,
  confirmationEntry,
  registrationUse,
  sightingUse,
  allowedNextStatuses,
  type ConfirmationMetadata,
  type ReportStatus,
} from '#infringement';
import { enqueueEntry, IntegrationWaiter } from '#ledger-store';
import { APP_CONFIG, type AppConfig } from '#platform';
import type { Right } from '#licensing';
import type { Medium } from '#licensing';

export interface ChangeReportStatusCommand {
  principal: Principal;
  reportId: string;
  status: ReportStatus;
  reason: string;
}

interface LockedReport {
  id: string;
  status: ReportStatus;
  original_work_id: string;
  suspect_kind: 'work' | 'sighting';
  suspect_work_id: string | null;
  suspect_sighting_id: string | null;
  media: string;
  match_kind: 'exact' | 'near';
  score: number;
  evidence_sha256: Buffer;
  algorithm: string;
  suspect_party_ids: string[];
}

@Injectable()
export class ChangeReportStatusUseCase {
  constructor(
    private readonly dataSource: DataSource,
    private readonly waiter: IntegrationWaiter,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async execute(command: ChangeReportStatusCommand): Promise<{ confirmedEntryId: string | null }> {
    const { principal } = command;
    if (!principal.partyId) throw new AppError(ErrorCode.Forbidden, 'Change report status with an officer key that belongs to a party.');
    const entryId = await this.dataSource.transaction(async (manager) => {
      const sql = <Row>(text: string, params?: unknown[]): Promise<Row[]> => manager.query(text, params);
      const [report] = await sql<LockedReport>(
        `SELECT id, status, original_work_id, suspect_kind, suspect_work_id, suspect_sighting_id, media, match_kind, score, evidence_sha256, algorithm, suspect_party_ids
           FROM infringement_reports WHERE id = $1 FOR UPDATE`,
        [command.reportId],
      );
      if (!report) throw new AppError(ErrorCode.ReportNotFound, `No infringement report with id ${command.reportId}.`);
      if (!canChangeStatus(report.status, command.status)) {
        throw new AppError(
          ErrorCode.InvalidStatusChange,
          `A report that is ${report.status} cannot become ${command.status}; allowed: ${allowedNextStatuses(report.status).join(', ') || 'none (final)'}.`,
          { from: report.status, to: command.status, allowed: allowedNextStatuses(report.status) },
        );
      }
      let confirmedEntryId: string | null = null;
      let details: Record<string, unknown> | null = null;
      if (command.status === 'confirmed') {
        const built = await this.confirmation(sql, report, principal.partyId!, command.reason);
        confirmedEntryId = await enqueueEntry(sql, built.entry);
        // The exact object the entry's metadataHash commits to, for the evidence package.
        details = { ledgerEntryId: confirmedEntryId, licence: built.licence, confirmation: built.metadata };
      }
      await sql(
        `UPDATE infringement_reports SET status = $2, status_changed_at = date_trunc('milliseconds', now()), confirmed_entry_id = coalesce($3, confirmed_entry_id) WHERE id = $1`,
        [report.id, command.status, confirmedEntryId],
      );
      await sql(
        `INSERT INTO report_events (report_id, kind, from_status, to_status, actor_kind, actor_party_id, actor_key_id, actor_role, note, details)
         VALUES ($1, 'status', $2, $3, 'party', $4, $5, $6, $7, $8)`,
        [report.id, report.status, command.status, principal.partyId, principal.keyId, principal.role, command.reason, details ? JSON.stringify(details) : null],
      );
      return confirmedEntryId;
    });
    if (entryId) await this.waiter.waitFor(entryId, this.config.ledger.proofWaitMs);
    return { confirmedEntryId: entryId };
  }

  private async confirmation(sql: <Row>(text: string, params?: unknown[]) => Promise<Row[]>, report: LockedReport, officer: string, reason: string) {
    const [original] = await sql<{ id: string; sha256: Buffer; registration_number: string; idx: string | null; owners: string[] }>(
      `SELECT w.id, w.sha256, w.registration_number, e.idx, array(SELECT party_id FROM work_owners o WHERE o.work_id = w.id ORDER BY party_id) AS owners
         FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = $1`,
      [report.original_work_id],
    );
    let suspect: ConfirmationMetadata['suspect'];
    let use;
    if (report.suspect_kind === 'work') {
      const [s] = await sql<{ id: string; sha256: Buffer; registration_number: string; idx: string | null; created_at: Date }>(
        'SELECT w.id, w.sha256, w.registration_number, e.idx, w.created_at FROM works w LEFT JOIN ledger_entries e ON e.entry_id = w.entry_id WHERE w.id = $1',
        [report.suspect_work_id],
      );
      suspect = { kind: 'work', id: s!.id, sha256: s!.sha256.toString('hex'), registrationNumber: s!.registration_number, ...(s!.idx !== null ? { ledgerIndex: Number(s!.idx) } : {}) };
      use = registrationUse(report.match_kind, s!.created_at);
    } else {
      const [s] = await sql<{ id: string; sha256: Buffer; source_url: string; territory: string; seen_at: Date; use_right: Right; use_medium: Medium }>(
        'SELECT id, sha256, source_url, territory, seen_at, use_right, use_medium FROM sightings WHERE id = $1',
        [report.suspect_sighting_id],
      );
      suspect = { kind: 'sighting', id: s!.id, sha256: s!.sha256.toString('hex'), sourceUrl: s!.source_url };
      use = sightingUse({ territory: s!.territory, seenAt: s!.seen_at, right: s!.use_right, medium: s!.use_medium });
    }
    const licence = await checkLicence(sql, report.original_work_id, report.suspect_party_ids, use);
    if (licence.status === 'licensed') {
      throw new AppError(
        ErrorCode.ReportLicensed,
        `The suspect party ${licence.licenseeId} now holds licence ${licence.licenceId}, which covers this use: mark the report licensed instead of confirming it.`,
        { licenceId: licence.licenceId },
      );
    }
    const metadata: ConfirmationMetadata = {
      report: report.id,
      original: { kind: 'work', id: original!.id, sha256: original!.sha256.toString('hex'), registrationNumber: original!.registration_number, ...(original!.idx !== null ? { ledgerIndex: Number(original!.idx) } : {}) },
      suspect,
      match: { media: report.media, kind: report.match_kind, score: report.score, evidenceSha256: report.evidence_sha256.toString('hex'), algorithm: report.algorithm },
      decision: { status: 'confirmed', reason, officer, decidedAt: new Date().toISOString() },
    };
    return { entry: confirmationEntry(metadata, original!.owners, report.suspect_party_ids), metadata, licence: licence.status };
  }
}
