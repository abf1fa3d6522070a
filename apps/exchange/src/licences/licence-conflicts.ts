// Finds the existing licences a new one may not coexist with. The database
// pre-selects candidates with the same operators as the exclusion constraint
// (so the scan uses its GiST index); conflicts() from the licensing library
// makes the decision and names the licence. The constraint itself remains the
// guarantee when two transactions race past this check.
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { conflicts, exclusionRow, toExclusionRowParams, type LicenceTerms } from '#licensing';

export interface Conflict {
  licenceId: string;
  exclusive: boolean;
}

@Injectable()
export class LicenceConflicts {
  async find(manager: EntityManager, workId: string, terms: LicenceTerms): Promise<Conflict | undefined> {
    const row = toExclusionRowParams(exclusionRow(terms));
    const candidates: Array<{ id: string; terms: LicenceTerms; exclusive: boolean }> = await manager.query(
      `SELECT l.id, l.terms, l.exclusive FROM licences l
        WHERE l.id IN (SELECT x.licence_id FROM licence_exclusion x
                        WHERE x.work_id = $1 AND x.rights && $2::int4multirange AND x.territories && $3::int4multirange
                          AND x.media && $4::int4multirange AND x.period && $5::daterange AND (x.exclusive OR $6)
                        LIMIT 20)`,
      [workId, row.rights, row.territories, row.media, row.period, terms.exclusive],
    );
    const found = conflicts(terms, candidates.map((c) => c.terms));
    if (!found.conflict) return undefined;
    const hit = candidates[found.with!];
    return { licenceId: hit.id, exclusive: hit.exclusive };
  }
}
