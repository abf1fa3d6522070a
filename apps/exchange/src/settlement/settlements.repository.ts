// SQL for settlements (one row per settled purchase or deal) and for the
// ownership changes an assignment makes.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { fen } from '../money/amount.js';
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

@Injectable()
export class SettlementsRepository {
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
