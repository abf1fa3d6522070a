// THE one place that decides whether a work may be offered or sold on the
// exchange. Listing creation and every purchase ask it, inside their
// transaction.
//
// A work is listable when it is registered (not withdrawn) and is not under
// an open authorship dispute (the work_disputes table of the registry's
// dispute workflow). Any new reason a work must not trade belongs here.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError, ErrorCode } from '#errors';

export interface ListableWork {
  id: string;
  sha256: Buffer;
  /** Its co-owners now, with their accounts (read with the check: one round trip). */
  owners: Array<{ partyId: string; shareBp: number; accountId: string }>;
}

@Injectable()
export class WorkListability {
  async assertListable(manager: EntityManager, workId: string): Promise<ListableWork> {
    const [work]: Array<{ id: string; sha256: Buffer; status: string; disputed: boolean; owners: ListableWork['owners'] | null }> = await manager.query(
      `SELECT w.id, w.sha256, w.status, ${DISPUTED} AS disputed,
              (SELECT json_agg(json_build_object('partyId', o.party_id, 'shareBp', o.share_bp, 'accountId', a.id) ORDER BY o.party_id)
                 FROM work_owners o JOIN accounts a ON a.party_id = o.party_id WHERE o.work_id = w.id) AS owners
         FROM works w WHERE w.id = $1`,
      [workId],
    );
    if (!work) throw new AppError(ErrorCode.WorkNotFound, `No work with id ${workId}.`);
    if (work.status !== 'registered') {
      throw new AppError(ErrorCode.WorkNotListable, `The work is ${work.status}; only registered works can be traded.`, { reason: work.status });
    }
    if (work.disputed) {
      throw new AppError(ErrorCode.WorkNotListable, 'The work is under an open authorship dispute; it cannot be traded until the dispute is resolved.', {
        reason: 'disputed',
      });
    }
    return { id: work.id, sha256: work.sha256, owners: work.owners ?? [] };
  }
}

/**
 * SQL condition, over works `w`: the work is under an open authorship dispute
 * (the registry's dispute workflow, table work_disputes; an officer's
 * resolution closes it).
 */
const DISPUTED = `EXISTS (SELECT 1 FROM work_disputes d WHERE d.work_id = w.id AND d.status = 'open')`;
