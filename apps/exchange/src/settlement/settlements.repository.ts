// SQL for settlements (one row per settled purchase or deal) and for the
// ownership changes an assignment makes.
import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { PendingEntry } from '#ledger';
import type { Sql } from '#ledger-store';
import type { ExclusionRowParams, LicenceTerms } from '#licensing';
import { PREPARED_SQL, type IdempotencyClaim } from '#platform';
import { fen } from '../money/amount.js';
import type { TransferLine } from '../money/transfer-kind.js';
import type { Assignment } from './ledger-entries.js';

export interface NewSettlement {
  id: string;
  listingId: string;
  workId: string;
  kind: 'licence' | 'assignment';
  buyerId: string;
  settledBy: string | null;
  price: bigint;
  feeBp: number;
  fee: bigint;
  entryId: string;
}

export interface Owner {
  partyId: string;
  accountId: string;
  shareBp: number;
}

/** Everything exchange_settle_licence() needs: the settlement planned to the fen, the licence and the answer. */
export interface LicenceSettlement {
  claim: IdempotencyClaim | undefined;
  /** The answer to store with the change; the function fills settlement.settledAt and licence.grantedAt. */
  answer: unknown;
  settlement: Omit<NewSettlement, 'kind' | 'entryId'>;
  holdId: string;
  /** The owners the split was planned for, in party id order. */
  owners: Owner[];
  /** Fee line first, then the payees: credited in this order. */
  lines: TransferLine[];
  licence: { id: string; licensors: Array<{ partyId: string; shareBp: number }>; terms: LicenceTerms };
  /** The licence's row for licence_exclusion. */
  exclusion: ExclusionRowParams;
  entry: PendingEntry;
}

export type LicenceSettled = { claimed: false } | { claimed: true; entryId: string; answer: unknown };

@Injectable()
export class SettlementsRepository {
  constructor(@Inject(PREPARED_SQL) private readonly sql: Sql) {}

  /**
   * Settles a licence purchase in one statement, its own transaction (see the
   * migration settle-licence-function for the steps). Refusals arrive as
   * errors: SQLSTATE P0001 with the code as message, or 23P01 from the
   * exclusion constraint. A prepared statement: one Bind per purchase, no
   * parse or plan.
   */
  async settleLicence(s: LicenceSettlement): Promise<LicenceSettled> {
    const { settlement: st, licence, claim } = s;
    const [row] = await this.sql<{ claimed: boolean; entry_id: string | null; answer: unknown }>(
      `SELECT claimed, entry_id, answer FROM exchange_settle_licence(
         $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15::uuid[], $16::int[], $17::text[], $18::uuid[], $19::bigint[],
         $20, $21, $22, $23::text[], $24, $25::date, $26::date, $27::int4multirange, $28::int4multirange, $29::int4multirange, $30::daterange, $31)`,
      [
        claim?.scope ?? null,
        claim?.key ?? null,
        claim?.requestHash ?? null,
        claim?.successStatus ?? null,
        JSON.stringify(s.answer),
        st.id,
        s.holdId,
        st.listingId,
        st.workId,
        st.buyerId,
        st.settledBy,
        fen(st.price),
        st.feeBp,
        fen(st.fee),
        s.owners.map((o) => o.partyId),
        s.owners.map((o) => o.shareBp),
        s.lines.map((l) => l.kind),
        s.lines.map((l) => l.creditAccountId),
        s.lines.map((l) => fen(l.amount)),
        licence.id,
        JSON.stringify(licence.licensors),
        JSON.stringify(licence.terms),
        licence.terms.rights,
        licence.terms.exclusive,
        licence.terms.period.start,
        licence.terms.period.end,
        s.exclusion.rights,
        s.exclusion.territories,
        s.exclusion.media,
        s.exclusion.period,
        JSON.stringify(s.entry),
      ],
    );
    return row.claimed ? { claimed: true, entryId: String(row.entry_id), answer: row.answer } : { claimed: false };
  }

  async insert(manager: EntityManager, s: NewSettlement): Promise<Date> {
    const [row]: Array<{ created_at: Date }> = await manager.query(
      `INSERT INTO settlements (id, listing_id, work_id, kind, buyer_id, settled_by, price, fee_bp, fee, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING created_at`,
      [s.id, s.listingId, s.workId, s.kind, s.buyerId, s.settledBy, fen(s.price), s.feeBp, fen(s.fee), s.entryId],
    );
    return row.created_at;
  }

  /** The work's owners with their accounts; `lock` when the shares are about to change. */
  async owners(manager: EntityManager, workId: string, lock: boolean): Promise<Owner[]> {
    const rows: Array<{ party_id: string; share_bp: number; account_id: string }> = await manager.query(
      `SELECT o.party_id, o.share_bp, a.id AS account_id FROM work_owners o JOIN accounts a ON a.party_id = o.party_id
        WHERE o.work_id = $1 ORDER BY o.party_id ${lock ? 'FOR UPDATE OF o' : ''}`,
      [workId],
    );
    return rows.map((r) => ({ partyId: r.party_id, shareBp: r.share_bp, accountId: r.account_id }));
  }

  /** Moves shareBp from assignor to assignee (work_owners rows already locked by owners(lock)). */
  async moveShare(manager: EntityManager, assignment: Assignment, entryId: string, listingId: string): Promise<Date> {
    await manager.query('DELETE FROM work_owners WHERE work_id = $1 AND party_id = $2 AND share_bp = $3', [assignment.workId, assignment.assignorId, assignment.shareBp]);
    await manager.query('UPDATE work_owners SET share_bp = share_bp - $3 WHERE work_id = $1 AND party_id = $2 AND share_bp > $3', [
      assignment.workId,
      assignment.assignorId,
      assignment.shareBp,
    ]);
    await manager.query(
      `INSERT INTO work_owners (work_id, party_id, share_bp) VALUES ($1, $2, $3)
       ON CONFLICT (work_id, party_id) DO UPDATE SET share_bp = work_owners.share_bp + EXCLUDED.share_bp`,
      [assignment.workId, assignment.assigneeId, assignment.shareBp],
    );
    const [row]: Array<{ assigned_at: Date }> = await manager.query(
      `INSERT INTO assignments (id, work_id, assignor_id, assignee_id, share_bp, listing_id, settlement_id, entry_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING assigned_at`,
      [assignment.id, assignment.workId, assignment.assignorId, assignment.assigneeId, assignment.shareBp, listingId, assignment.settlementId, entryId],
    );
    return row.assigned_at;
  }
}
