// THE one place that decides whether a work may be offered or sold on the
// exchange. Listing creation and every purchase ask it: listing creation
// inside its transaction, a purchase on the row it reads with the listing
// (the settlement then re-checks, in the database, that the owners it pays
// are still the owners).
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
  /** Its co-owners now, with their accounts, in party id order (read with the check: one round trip). */
  owners: Array<{ partyId: string; shareBp: number; accountId: string }>;
}

/** What the check reads of a work (see LISTABLE_WORK_COLUMNS). */
export interface ListableWorkRow {
  id: string;
  sha256: Buffer;
  status: string;
  disputed: boolean;
  owners: ListableWork['owners'] | null;
}

/**
 * SQL condition, over works `w`: the work is under an open authorship dispute
 * (the registry's dispute workflow, table work_disputes; an officer's
 * resolution closes it).
 */
const DISPUTED = `EXISTS (SELECT 1 FROM work_disputes d WHERE d.work_id = w.id AND d.status = 'open')`;

/**
 * SQL select-list over works `w` giving a ListableWorkRow, so that a caller
 * can read the check's inputs in the same query as something else (a
 * purchase reads them with the listing) and then call check().
 */
export const LISTABLE_WORK_COLUMNS = `w.id, w.sha256, w.status, ${DISPUTED} AS disputed,
  (SELECT json_agg(json_build_object('partyId', o.party_id, 'shareBp', o.share_bp, 'accountId', a.id) ORDER BY o.party_id)
     FROM work_owners o JOIN accounts a ON a.party_id = o.party_id WHERE o.work_id = w.id) AS owners`;

@Injectable()
export class WorkListability {
  /**
   * Inside the caller's transaction, with the work's row locked until it
   * ends, so that changes of the work and of its owners happen one after the
   * other: a withdrawal or amendment (which lock it for update) and a listing
   * or assignment wait for each other. An assignment (`changesOwners`) locks
   * it exclusively, so a concurrent assignment, listing or licence settlement
   * (exchange_settle_licence share-locks it) reads the owners after it, not
   * the ones it replaces. Licences' foreign keys take weaker locks, which
   * this does not block.
   */
  async assertListable(manager: EntityManager, workId: string, changesOwners = false): Promise<ListableWork> {
    // The lock first, on its own: a statement that waited for it still reads
    // the owners as they were when it began, before the change it waited for.
    await manager.query(`SELECT 1 FROM works WHERE id = $1 ${changesOwners ? 'FOR NO KEY UPDATE' : 'FOR SHARE'}`, [workId]);
    const [work]: ListableWorkRow[] = await manager.query(`SELECT ${LISTABLE_WORK_COLUMNS} FROM works w WHERE w.id = $1`, [workId]);
    return this.check(work, workId);
  }

  /** The decision, on a row read with LISTABLE_WORK_COLUMNS (undefined: no such work). */
  check(work: ListableWorkRow | undefined, workId: string): ListableWork {
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
